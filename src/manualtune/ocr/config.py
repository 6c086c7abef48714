"""Configuration of the ocr stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class OCRConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engine: Literal["tesseract", "rapidocr"] = "tesseract"
    lang: str = "eng"
    psm: int = Field(default=3, ge=0, le=13, description="tesseract page segmentation mode (3: automatic)")
    oem: int = Field(default=1, ge=0, le=3, description="tesseract engine mode (1: LSTM only)")
    tessdata: str = "/usr/share/tesseract-ocr/5/tessdata/"
    dpi: int = Field(default=200, ge=50, le=600, description="render resolution of PDF pages")
    empty_page_dpi: int | None = Field(
        default=300, ge=70, le=1200,
        description="a page image on which tesseract reads fewer than ``empty_page_words`` words is read again "
        "told this resolution (an array carries none and tesseract's own estimate can miss the text of a drawing "
        "page's legend: 64-01, 64-02); None: no second pass. Only such pages: telling every page 300 dpi made "
        "the tune half worse",
    )
    empty_page_words: int = Field(default=3, ge=1, description="see ``empty_page_dpi``")
    min_word_conf: float = Field(default=0.0, ge=0, le=100, description="words below this confidence are dropped")
    preserve_interword_spaces: bool = True
    detect_inverted: bool = Field(
        default=False, description="tesseract's white-on-black line check (tessedit_do_invert); ~15% slower"
    )
    table_reading_order: bool = Field(
        default=True, description="read ruled tables row by row (see manualtune.ocr.reading_order)"
    )
    table_cell_pass: bool = Field(
        default=True,
        description="read empty ruled-table cells on their own and check plain numbers in cells with RapidOCR "
        "(see manualtune.ocr.cells)",
    )
    column_reading_order: bool = Field(
        default=True,
        description="OCR two-column pages column by column when lines jump the gutter, and order lines "
        "header, left column, right column, footer (see manualtune.ocr.reading_order)",
    )
    step_number_pass: bool = Field(
        default=True,
        description="put back hanging step numbers ('1.') that tesseract dropped or misread, read again from "
        "the margin ink by tesseract (digits) and RapidOCR (see manualtune.ocr.margins)",
    )
    step_number_min_conf: float = Field(
        default=85.0, ge=0, le=100,
        description="one engine's reading of a step number is taken at this confidence when it fits the "
        "page's 1, 2, 3 sequence (two agreeing engines are always taken)",
    )
    plus_minus_check: bool = Field(
        default=True,
        description="a '+' between two numbers becomes '±' where RapidOCR reads '±' there (see manualtune.ocr.plusminus)",
    )
    figure_text_pass: bool = Field(
        default=True,
        description="move text inside photos (callouts, tool numbers, figure codes) out of the page text into "
        "PageOCR.figures; photo regions from image statistics (see manualtune.ocr.figures)",
    )
    rescale_below_conf: float = Field(
        default=75.0, ge=0, le=100,
        description="an enlarged page (preprocess.upscale_to_char_px) read below this mean word confidence is read "
        "again at its own scale; the reading with the higher mean confidence is kept (0: never)",
    )
    wiring_reread: bool = Field(
        default=True,
        description="read wiring-diagram pages (wire labels like '.75 GN/WT' on the first pass) again with "
        "RapidOCR, which reads scattered labels that tesseract garbles (see manualtune.ocr.wiring)",
    )
    wiring_min_labels: int = Field(default=4, ge=1, description="wire labels a page needs to count as a wiring diagram")
    use_text_layer: bool = Field(default=True, description="read text-layer PDF pages instead of OCR-ing them")
