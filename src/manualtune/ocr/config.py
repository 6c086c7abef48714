"""Configuration of the ocr stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class OCRConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
