"""Build configuration: one pydantic model per stage, loadable from a YAML or JSON file.

Each stage's config is part of that stage's cache key, so changing a parameter recomputes
exactly the stages it affects.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from manualtune.export.config import ExportConfig
from manualtune.facts.config import FactsConfig
from manualtune.generate.config import GenerateConfig
from manualtune.layout.config import LayoutConfig
from manualtune.ocr.config import OCRConfig
from manualtune.preprocess.config import PreprocessConfig
from manualtune.review.config import ReviewConfig
from manualtune.split.config import SplitConfig


class BuildConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    preprocess: PreprocessConfig = Field(default_factory=PreprocessConfig)
    ocr: OCRConfig = Field(default_factory=OCRConfig)
    layout: LayoutConfig = Field(default_factory=LayoutConfig)
    facts: FactsConfig = Field(default_factory=FactsConfig)
    generate: GenerateConfig = Field(default_factory=GenerateConfig)
    split: SplitConfig = Field(default_factory=SplitConfig)
    export: ExportConfig = Field(default_factory=ExportConfig)
    review: ReviewConfig | None = Field(
        default=None,
        description="review decisions (file, queue thresholds); None: BUILD/review/config.json (written by "
        "`review serve/apply --decisions FILE`), else BUILD/review.sqlite",
    )


class ConfigError(ValueError):
    """The config file is missing, unparsable or has unknown/invalid fields."""


def load_config(path: str | Path | None) -> BuildConfig:
    if path is None:
        return BuildConfig()
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"config file not found: {p}")
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
        return BuildConfig.model_validate(data or {})
    except Exception as e:  # noqa: BLE001 - re-raised with a message that says what to fix
        raise ConfigError(f"invalid config {p}: {e}") from e
