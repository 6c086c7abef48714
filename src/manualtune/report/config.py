"""Configuration of the QA report (not part of any cache key: the report is always rewritten)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReportConfig(BaseModel):
    """Knobs of :func:`manualtune.report.write_report`. Defaults suit a manual of a few hundred pages."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(default=20, ge=0, description="random examples shown with a source crop")
    n_excluded_shown: int = Field(default=50, ge=0, description="excluded examples listed in full")
    n_problems_shown: int = Field(default=50, ge=0, description="unreadable input lines listed in full")
    crop_padding: int = Field(default=24, ge=0, description="page pixels added around the source bbox")
    crop_min_width_frac: float = Field(
        default=0.3, ge=0, le=1, description="crop at least this share of the page width (context)"
    )
    crop_min_height_frac: float = Field(
        default=0.12, ge=0, le=1, description="crop at least this share of the page height (context)"
    )
    crop_max_width: int = Field(default=720, ge=16, description="thumbnail width cap in pixels")
    crop_max_height: int = Field(default=300, ge=16, description="thumbnail height cap in pixels")
    crop_max_upscale: float = Field(
        default=2.0, ge=1.0, description="small crops are enlarged up to this factor to fill the cap"
    )
    crop_colors: int = Field(default=32, ge=0, le=256, description="PNG palette size (0: full RGB)")
    default_dpi: int = Field(default=300, ge=36, description="PDF render dpi when the OCR page gives none")
    max_render_pixels: int = Field(
        default=60_000_000, ge=1, description="refuse to render a page larger than this (bad input)"
    )
