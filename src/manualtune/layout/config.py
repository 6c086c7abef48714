"""Configuration of the layout stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class LayoutConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
