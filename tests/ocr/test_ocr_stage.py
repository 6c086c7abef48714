"""OCR engines and the cached OCR stage on small rendered pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.config import BuildConfig
from manualtune.ingest import inventory
from manualtune.ocr import RapidOCREngine, TesseractEngine, ocr_image
from manualtune.ocr.reading_order import order_lines
from manualtune.ocr.stage import page_json_path, run_ocr_stage
from manualtune.preprocess import PreprocessConfig, preprocess

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
RESOURCES = Path(__file__).parents[1] / "resources"


def _font(size: int = 26):
    if not FONT.exists():
        pytest.skip("DejaVu fonts not installed")
    return ImageFont.truetype(str(FONT), size)


def render(lines: list[str], size: tuple[int, int] = (700, 220)) -> Image.Image:
    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    for i, text in enumerate(lines):
        d.text((30, 30 + i * 50), text, font=_font(), fill=0)
    return img


def ruled_table() -> np.ndarray:
    """Two columns of cells between long vertical rulings: rows must be read across."""
    img = Image.new("L", (900, 500), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [40, 420, 860], [60, 160, 260, 360, 460]
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    rows = [("Main bearing", "60 Nm"), ("Conrod bolt", "55 Nm"), ("Oil drain plug", "35 Nm"), ("Spark plug", "25 Nm")]
    for i, (a, b) in enumerate(rows):
        d.text((60, ys[i] + 30), a, font=_font(28), fill=0)
        d.text((600, ys[i] + 30), b, font=_font(28), fill=0)
    return np.asarray(img)


def test_tesseract_engine_words_lines_boxes():
    engine = TesseractEngine()
    lines = engine.recognize(np.asarray(render(["Torque angle 60 degrees", "Step 2 30 Nm"])))
    assert [ln.text for ln in lines] == ["Torque angle 60 degrees", "Step 2 30 Nm"]
    w = lines[1].words[2]
    assert w.text == "30" and 0 <= w.conf <= 100 and w.conf > 60
    assert lines[0].bbox.y1 <= lines[1].bbox.y0 + 5 and w.bbox.x1 > w.bbox.x0
    assert engine.name.startswith("tesseract ")


def test_rapidocr_engine_reads_lines():
    lines = RapidOCREngine().recognize(np.asarray(render(["Conrod bearing play 0.024 mm"]).convert("RGB")))
    assert len(lines) == 1 and "0.024" in lines[0].text and lines[0].conf > 50


def test_ruled_table_is_read_row_by_row():
    pre = preprocess(ruled_table(), PreprocessConfig())
    lines = TesseractEngine().recognize(pre.image)
    _, text = order_lines(lines, pre.rulings, pre.image.shape[0])
    assert text.splitlines() == ["Main bearing 60 Nm", "Conrod bolt 55 Nm", "Oil drain plug 35 Nm", "Spark plug 25 Nm"]


def _source(root: Path) -> Path:
    (root / "a").mkdir(parents=True)
    render(["Tighten bolts to 30 Nm"]).save(root / "a" / "page.png")
    (root / "b").mkdir()
    render(["Oil capacity 4.5 litres"]).save(root / "b" / "page.png")
    render(["Clearance 0.25 mm"]).save(root / "c.png")
    shutil.copy(RESOURCES / "bad" / "text_named.jpg", root / "bad.jpg")
    return root


def _ocr_bytes(build: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((build / "ocr").glob("*.json"))}


def test_stage_cache_incremental_and_deterministic(tmp_path):
    src = _source(tmp_path / "src")
    inv = inventory(src)
    assert [q.path for q in inv.quarantined] == ["bad.jpg"]
    cfg = BuildConfig()
    seen: list[int] = []
    first = run_ocr_stage(src, inv.pages, tmp_path / "b1", cfg, workers=2, progress=seen.append)
    assert (first.ocr_calls, first.cache_hits, first.quarantined) == (3, 0, [])
    assert sum(seen) == 3
    assert [p.page_id for p in first.pages] == [r.page_id for r in inv.pages]
    assert [p.text for p in first.pages] == ["Tighten bolts to 30 Nm", "Oil capacity 4.5 litres", "Clearance 0.25 mm"]
    assert len(_ocr_bytes(tmp_path / "b1")) == 3  # same-named files do not collide

    again = run_ocr_stage(src, inv.pages, tmp_path / "b1", cfg, workers=2)
    assert (again.ocr_calls, again.cache_hits) == (0, 3)

    render(["Clearance 0.30 mm"]).save(src / "c.png")
    inv2 = inventory(src)
    changed = run_ocr_stage(src, inv2.pages, tmp_path / "b1", cfg, workers=1)
    assert (changed.ocr_calls, changed.cache_hits) == (1, 2)
    assert changed.pages[-1].text == "Clearance 0.30 mm"
    assert len(_ocr_bytes(tmp_path / "b1")) == 3  # the old c.png page file was replaced

    run_ocr_stage(src, inv2.pages, tmp_path / "c1", cfg, workers=1)
    run_ocr_stage(src, inv2.pages, tmp_path / "c2", cfg, workers=2)
    assert _ocr_bytes(tmp_path / "c1") == _ocr_bytes(tmp_path / "c2") == _ocr_bytes(tmp_path / "b1")


def test_failing_page_is_quarantined_not_fatal(tmp_path):
    src = _source(tmp_path / "src")
    inv = inventory(src)
    (src / "c.png").write_bytes(b"")  # broken after the inventory
    res = run_ocr_stage(src, inv.pages, tmp_path / "b", BuildConfig(), workers=1)
    assert [(q.path, q.reason) for q in res.quarantined] == [("c.png", "empty_file")]
    assert len(res.pages) == 2


def test_page_json_path_is_safe_and_unique(tmp_path):
    a = page_json_path(tmp_path, "x/y z.png#p1@abc")
    b = page_json_path(tmp_path, "x_y z.png#p1@abc")
    assert a != b and a.parent == tmp_path / "ocr"
    assert all(c.isalnum() or c in "._-" for c in a.name)


def test_ocr_image(tmp_path):
    render(["Spark plug gap 0.7 mm"]).save(tmp_path / "one.png")
    page = ocr_image(tmp_path / "one.png")
    assert page.text == "Spark plug gap 0.7 mm" and page.source == "one.png" and page.word_count == 5
