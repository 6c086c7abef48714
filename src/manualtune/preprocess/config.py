"""Configuration of the preprocess stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PreprocessConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
