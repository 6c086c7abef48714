"""Configuration of the layout stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LayoutConfig(BaseModel):
    """Tunable thresholds of :func:`manualtune.layout.build_blocks` (all relative to the page or line size)."""

    model_config = ConfigDict(extra="forbid")

    min_word_conf: float = Field(default=30.0, description="words below this OCR confidence are dropped as noise")
    text_word_conf: float = Field(default=60.0, description="confidence a word needs to count as real text")
    max_word_height_factor: float = Field(
        default=2.5, description="words taller than this x the median word height are photo noise"
    )
    min_block_letters: int = Field(default=3, description="blocks with fewer confident letters are photo noise")
    header_band_frac: float = Field(default=0.07, description="top fraction of the page searched for headers")
    footer_band_frac: float = Field(default=0.06, description="bottom fraction of the page searched for footers")
    column_bin_frac: float = Field(default=0.005, description="x-histogram bin width as a fraction of page width")
    column_gap_frac: float = Field(default=0.03, description="min width of an empty x band that splits columns")
    column_gap_noise: float = Field(
        default=0.15, description="x bins below this fraction of the peak count as empty (a few full-width lines may cross the gutter)"
    )
    column_search: tuple[float, float] = Field(
        default=(0.25, 0.75), description="the column gap centre must lie in this fraction range of the width"
    )
    min_column_words: int = Field(default=12, description="each column needs at least this many confident words")
    wide_gutter_frac: float = Field(
        default=0.08, description="a column gap at least this wide (of the page) is a gutter with fewer words per side"
    )
    wide_gutter_min_words: int = Field(
        default=4, description="words (of 4+ letters) each side of a wide gutter needs: photo | text | photo | text "
        "pages have short text columns"
    )
    span_min_frac: float = Field(
        default=0.3, description="a line crossing the column gap spans both columns only if this wide (of the page)"
    )
    segment_gap_factor: float = Field(
        default=2.0, description="a horizontal gap wider than this x line height splits a line into segments"
    )
    block_gap_factor: float = Field(
        default=0.8, description="a vertical gap wider than this x median line height starts a new block"
    )
    line_overlap: float = Field(default=0.5, description="min vertical overlap (of the smaller box) for one line")
    ruling_tol_px: int = Field(default=4, description="tolerance when joining and intersecting ruling lines")
    min_table_hlines: int = Field(default=3, description="a ruled table needs at least this many horizontal rules")
    min_table_vlines: int = Field(default=2, description="a ruled table needs at least this many vertical rules")
    row_rule_min_frac: float = Field(
        default=0.5, description="a horizontal rule must span this fraction of the table width to end a row"
    )
    unruled_min_lines: int = Field(default=2, description="consecutive aligned multi-segment lines for a table")
    unruled_min_segments: int = Field(default=3, description="segments a line needs to be an unruled table row")
    variant_headers: list[str] = Field(
        default=["type", "model", "engine", "variant", "typ"], description="header texts of a variant column"
    )
    warning_labels: list[str] = Field(default=["warning", "danger", "achtung"])
    caution_labels: list[str] = Field(default=["caution", "important", "attention", "wichtig"])
    note_labels: list[str] = Field(default=["note", "notice", "hinweis"])
    continued_markers: list[str] = Field(default=["continued", "cont'd", "contd", "fortsetzung"])
