"""A page on which tesseract reads no word is read again told a resolution (manualtune.ocr.page
.read_empty_page_again): the drawing page 64-01 of ../shared/realpages, whose legend tesseract's own
resolution estimate misses, and an engine double for the rule itself."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from manualtune.config import BuildConfig
from manualtune.ocr import TesseractEngine
from manualtune.ocr.config import OCRConfig
from manualtune.ocr.page import process_page, read_empty_page_again
from manualtune.records import BBox, Line, PageRef, Word

REALPAGES = Path(__file__).resolve().parents[3] / "shared" / "realpages"


class _Engine:
    """Reads nothing unless told a resolution (what tesseract does on 64-01)."""

    name = "double"

    def __init__(self):
        self.calls: list[int | None] = []

    def recognize(self, image, dpi=None):
        self.calls.append(dpi)
        if dpi is None:
            return []
        w = Word(text="Blower", bbox=BBox(x0=1, y0=1, x1=9, y1=9), conf=90.0)
        return [Line(text="Blower", bbox=w.bbox, conf=90.0, words=[w])]


def test_empty_page_is_read_again_and_a_read_page_is_not():
    img = np.full((20, 20), 255, np.uint8)
    engine = _Engine()
    lines, notes = read_empty_page_again(img, engine.recognize(img), engine, OCRConfig())
    assert [ln.text for ln in lines] == ["Blower"] and engine.calls == [None, 300]
    assert notes == ["page read again at 300 dpi: 1 words (first pass 0)"]
    read = engine.recognize(img, dpi=300)
    engine.calls.clear()
    assert read_empty_page_again(img, read * 3, engine, OCRConfig()) == (read * 3, [])
    assert engine.calls == []
    assert read_empty_page_again(img, [], engine, OCRConfig(empty_page_dpi=None)) == ([], [])


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages not present")
def test_drawing_page_legend_is_read():
    rel = "64 - Heating and Air Conditioning/64-01.jpg"
    sha = hashlib.sha256((REALPAGES / rel).read_bytes()).hexdigest()
    ref = PageRef(page_id=f"{rel}#p1@{sha[:12]}", source=rel, page=1, sha256=sha, kind="image")
    cfg = BuildConfig()
    page = process_page(REALPAGES, ref, cfg, lambda: TesseractEngine(cfg.ocr))[0]
    assert "Blower motor" in page.text and "Bypass flap motor" in page.text
