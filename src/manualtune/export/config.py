"""Configuration of the export stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ExportConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
