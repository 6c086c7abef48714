"""Configuration of the preprocess stage (part of :class:`manualtune.config.BuildConfig`).

Defaults were picked by CER on the 3 transcribed dev scans (``manualtune.quality.ocr_score``;
raw tesseract 0.044). Measured (overall CER / order-free word recall):
upscale to 14 px glyphs + ruling removal (default) 0.028 / 0.931 (0.023 when rulings were found
after upscaling: 2x slower; the two-column page flips order with small changes); without upscaling 0.051 / 0.859;
keeping rulings 0.065 / 0.878; + median 0.045 / 0.915; + nlmeans 0.026 / 0.931 (3x slower);
+ Otsu 0.031 / 0.889; + adaptive 0.028 / 0.901. Deskew changes nothing on these straight scans
and recovers rotated pages. Each step can be switched off on its own.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PreprocessConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deskew: bool = True
    max_skew_deg: float = Field(default=5.0, ge=0, le=45, description="search range for the skew angle")
    min_skew_deg: float = Field(default=0.3, ge=0, description="smaller estimated angles are not corrected")
    deskew_work_px: int = Field(default=800, ge=200, description="long side of the copy the angle is measured on")

    upscale_to_char_px: int | None = Field(
        default=14,
        description="enlarge the page so the median glyph height reaches this many px (None: never)",
    )
    max_upscale: float = Field(default=2.0, ge=1.0)

    flatten_background: bool = Field(default=False, description="divide by the local paper tone (grey/shaded paper -> white)")
    flatten_stroke_px: int = Field(default=15, ge=1, description="widest ink stroke the paper-tone estimate ignores")
    denoise: Literal["none", "median", "nlmeans"] = "none"
    median_ksize: int = Field(default=3, description="odd kernel size of the median filter")
    nlmeans_h: float = Field(default=10.0, description="filter strength of fastNlMeansDenoising")

    binarize_tables: bool = Field(default=True, description="Otsu-threshold ruled table areas (only when binarize is 'none')")
    white_paper_min: int = Field(default=245, ge=0, le=256, description="table areas this bright (median) are already clean: not binarised")
    table_paper_min: int = Field(default=128, ge=0, le=256, description="darker areas (photos, dark fills) are not binarised")
    binarize: Literal["none", "otsu", "adaptive"] = "none"
    adaptive_block: int = Field(default=31, description="odd neighbourhood size of adaptive thresholding")
    adaptive_c: float = Field(default=15.0)

    detect_rulings: bool = Field(default=True, description="find ruling lines (kept as records)")
    remove_rulings: bool = Field(default=True, description="paint detected rulings white before OCR")
    remove_orientations: Literal["h", "v", "hv"] = Field(
        default="hv", description="which rulings to paint out: horizontal, vertical or both"
    )
    ruling_min_frac: float = Field(
        default=0.08, gt=0, le=1, description="min ruling length as a fraction of the page side it runs along"
    )
    ruling_min_px: int = Field(default=60, ge=5, description="min ruling length in px")
    cell_rulings: bool = Field(
        default=True, description="also find vertical cell borders one table row high (between two horizontal rulings)"
    )
    cell_ruling_cover: float = Field(default=0.95, gt=0, le=1, description="share of a row's height a cell border's ink must cover")
    ruling_pad_px: int = Field(default=3, ge=1, description="size of the dilation around painted-out rulings")
    ruling_fill: Literal["white", "background"] = Field(
        default="background", description="paint removed rulings white or in the local paper tone"
    )
    ruling_max_thickness_px: int = Field(default=9, ge=1, description="thicker dark bars are not rulings")
