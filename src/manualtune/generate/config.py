"""Configuration of the generate stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class GenerateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
