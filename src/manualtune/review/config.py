"""Configuration of the review family (``review`` section; read by :func:`apply_review_decisions`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

CONFIG_FILE = "review/config.json"
"""Where ``review serve/apply --decisions FILE`` records the decisions file for later builds."""


class ReviewConfig(BaseModel):
    """Where decisions live and what makes a record risky enough for the queue."""

    model_config = ConfigDict(extra="forbid")

    decisions: Path | None = Field(
        default=None,
        description="SQLite decisions file; None: BUILD/review.sqlite. Relative paths are relative to the "
        "working directory of the command that set it (stored resolved).",
    )
    low_confidence: float = Field(
        default=80.0, ge=0, le=100, description="a fact whose OCR confidence is below this is queued"
    )
    queue_page_rows: int = Field(default=1000, ge=1, description="rows shown on the queue page (filter for more)")
    max_field_length: int = Field(default=300, ge=10, description="longest text accepted in an edited field")
    crop_max_width: int = Field(default=680, ge=64, description="width cap of the scan crop on the item page")
    crop_max_height: int = Field(default=360, ge=64, description="height cap of the scan crop on the item page")

    def decisions_path(self, build_dir: Path) -> Path:
        return Path(self.decisions) if self.decisions is not None else Path(build_dir) / "review.sqlite"


def load_review_config(build_dir: Path, cfg: object | None = None) -> ReviewConfig:
    """The review config in force for ``build_dir``: a ``review`` section of the build config when
    there is one, else ``BUILD/review/config.json`` (written by ``--decisions``), else defaults."""
    section = getattr(cfg, "review", None)
    if isinstance(section, ReviewConfig):
        return section
    if isinstance(section, dict):
        return ReviewConfig.model_validate(section)
    path = Path(build_dir) / CONFIG_FILE
    if path.is_file():
        return ReviewConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))
    return ReviewConfig()


def remember_decisions_file(build_dir: Path, decisions: Path) -> None:
    """Record ``decisions`` in ``BUILD/review/config.json`` so ``manualtune build`` reads the same file."""
    from manualtune.cache import write_json

    cfg = load_review_config(build_dir)
    cfg = cfg.model_copy(update={"decisions": Path(decisions).resolve()})
    write_json(Path(build_dir) / CONFIG_FILE, cfg.model_dump(mode="json"))
