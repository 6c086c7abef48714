"""Configuration of the preprocess stage (part of :class:`manualtune.config.BuildConfig`).

Defaults were picked by measuring CER on the dev scans (see ``manualtune.quality.ocr_score``
and the README of the preprocess package): each step can be switched off on its own.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PreprocessConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deskew: bool = True
    max_skew_deg: float = Field(default=5.0, ge=0, le=45, description="search range for the skew angle")
    min_skew_deg: float = Field(default=0.15, ge=0, description="smaller estimated angles are not corrected")
    deskew_work_px: int = Field(default=1000, ge=200, description="long side of the copy the angle is measured on")

    upscale_to_char_px: int | None = Field(
        default=None,
        description="enlarge the page so the median glyph height reaches this many px (None: never)",
    )
    max_upscale: float = Field(default=2.0, ge=1.0)

    denoise: Literal["none", "median", "nlmeans"] = "none"
    median_ksize: int = Field(default=3, description="odd kernel size of the median filter")
    nlmeans_h: float = Field(default=10.0, description="filter strength of fastNlMeansDenoising")

    binarize: Literal["none", "otsu", "adaptive"] = "none"
    adaptive_block: int = Field(default=31, description="odd neighbourhood size of adaptive thresholding")
    adaptive_c: float = Field(default=15.0)

    remove_rulings: bool = True
    ruling_min_frac: float = Field(
        default=0.08, gt=0, le=1, description="min ruling length as a fraction of the page side it runs along"
    )
    ruling_min_px: int = Field(default=60, ge=5, description="min ruling length in px")
    ruling_max_thickness_px: int = Field(default=9, ge=1, description="thicker dark bars are not rulings")
