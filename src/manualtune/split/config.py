"""Configuration of the split stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SplitConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
