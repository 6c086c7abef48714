"""Configuration of the facts stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FactsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
