"""Hanging step numbers put back from the margin ink (manualtune.ocr.margins) and '±' read by
RapidOCR where tesseract saw '+' (manualtune.ocr.plusminus), on rendered sample pages and dev scans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.config import BuildConfig
from manualtune.layout import build_blocks, extract_procedures
from manualtune.ocr import TesseractEngine, ocr_image
from manualtune.ocr.margins import STEP_TOKEN, _fits_sequence, recover_step_numbers
from manualtune.ocr.plusminus import _plus_runs, check_plus_minus
from manualtune.records import BBox, Word
from manualtune.sample import generate_sample_manual

PROCEDURE_PAGES = ["21 - Clutch/21-3.jpg", "34 - Brakes/34-4.jpg"]
PLAIN_PAGE = "12 - Engine Electrical/12-40.jpg"  # troubleshooting: dash bullets, indented lines, no numbers
DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[object, dict]]:
    """OCR (default config) and truth of the two procedure pages and the plain page."""
    out = tmp_path_factory.mktemp("h13-sample")
    generate_sample_manual(out, pages=[*PROCEDURE_PAGES, PLAIN_PAGE])
    res = {}
    for rel in [*PROCEDURE_PAGES, PLAIN_PAGE]:
        truth = json.loads((out / rel).with_suffix(".truth.json").read_text(encoding="utf-8"))
        res[rel] = (ocr_image(out / rel), truth)
    return res


def _line_numbers(page) -> list[str]:
    """Step numbers that start a line, in reading order."""
    return [STEP_TOKEN.match(ln.words[0].text).group(1) for ln in page.lines if ln.words and STEP_TOKEN.match(ln.words[0].text)]


@pytest.mark.parametrize("rel", PROCEDURE_PAGES)
def test_recovered_step_numbers_match_truth_in_order(pages, rel):
    page, truth = pages[rel]
    expected = [s["number"] for s in truth["steps"] if s.get("number")]
    assert len(expected) >= 5
    assert _line_numbers(page) == expected
    # each numbered line starts the truth step's text
    by_number = {STEP_TOKEN.match(ln.words[0].text).group(1): ln.text for ln in page.lines if ln.words and STEP_TOKEN.match(ln.words[0].text)}
    for step in truth["steps"]:
        first = " ".join(step["text"].split()[:2])
        assert by_number[step["number"]].startswith(f"{step['number']}. {first}")
    # the page text (what layout reads) carries them too
    assert [m.group(1) for m in re.finditer(r"^(\d{1,2})\. ", page.text, re.M)] == expected


def test_insertions_are_auditable(pages):
    page, _ = pages["21 - Clutch/21-3.jpg"]
    notes = [n for n in page.notes if n.startswith("step number")]
    assert notes, "tesseract drops these numbers: the pass must have put some back"
    for n in notes:
        value = re.match(r"step number '(\d{1,2}\.)' inserted at \((\d+),(\d+),(\d+),(\d+)\)", n)
        assert value, n
        box = BBox(x0=int(value.group(2)), y0=int(value.group(3)), x1=int(value.group(4)), y1=int(value.group(5)))
        word = next(w for ln in page.lines for w in ln.words if w.bbox == box)
        assert word.text == value.group(1) and 0 < word.conf <= 100
        assert word.conf >= BuildConfig().layout.text_word_conf  # the layout keeps the word
        assert "tesseract '" in n and "rapidocr '" in n


@pytest.mark.parametrize("rel", PROCEDURE_PAGES)
def test_procedure_steps_carry_the_numbers(pages, rel):
    """What the OCR puts back reaches the procedure records (layout + procedures stages)."""
    page, truth = pages[rel]
    procs = extract_procedures(build_blocks(page), [])
    numbers = [s.number for p in procs for s in p.steps]
    assert numbers == [s["number"] for s in truth["steps"]]


def test_plus_minus_read_by_second_engine(pages):
    page, truth = pages["21 - Clutch/21-3.jpg"]
    assert any("138 ± 0.5 mm" in t for t in truth["transcript"])
    assert "138 ± 0.5 mm" in page.text and "138 + 0.5" not in page.text
    assert any(n.startswith("'+' read as '±'") and "rapidocr '138 ± 0.5'" in n for n in page.notes)


def test_page_without_numbers_gets_none(pages):
    page, truth = pages[PLAIN_PAGE]
    assert not [s for s in truth.get("steps") or [] if s.get("number")]
    assert _line_numbers(page) == []
    assert not [n for n in page.notes if n.startswith("step number")]
    assert any(ln.text.startswith("- ") for ln in page.lines)  # the dash bullets are still there


def test_pass_off_keeps_tesseract_reading(tmp_path):
    """With the pass off, the dropped numbers stay dropped (the pass is what brings them back)."""
    generate_sample_manual(tmp_path, pages=["21 - Clutch/21-3.jpg"])
    cfg = BuildConfig()
    cfg.ocr.step_number_pass = False
    cfg.ocr.plus_minus_check = False
    page = ocr_image(tmp_path / "21 - Clutch/21-3.jpg", cfg)
    assert len(_line_numbers(page)) < 7 and page.notes == []
    assert "138 ± 0.5" not in page.text


@pytest.mark.parametrize("name", ["proc_11-64.jpg", "proc_21-05.jpg"])
def test_dev_scans_get_no_invented_numbers(name):
    """The real manual prints no step numbers: photos and callouts left of the text are not numbers,
    and its printed '+' tolerances ('60 + 2°', '36.6 + 0.1 mm') stay '+'."""
    if not (DEVDATA / name).exists():
        pytest.skip("devdata not available")
    page = ocr_image(DEVDATA / name)
    assert page.notes == []
    assert _line_numbers(page) == []


def _font(size: int):
    if not FONT.exists():
        pytest.skip("DejaVu fonts not installed")
    return ImageFont.truetype(str(FONT), size)


def test_recover_on_rendered_lines_and_rejects_non_numbers():
    """A dropped '3.' comes back; a bullet and a black box left of indented text do not become numbers."""
    img = Image.new("L", (900, 330), 236)
    d = ImageDraw.Draw(img)
    f = _font(24)
    d.text((40, 30), "3.", font=f, fill=20)
    d.text((90, 30), "Remove the bolts and lift off the cover.", font=f, fill=20)
    d.text((90, 70), "Keep the gasket for reuse.", font=f, fill=20)
    d.ellipse((50, 140, 62, 152), fill=20)  # a bullet
    d.text((90, 130), "Check the sealing faces for damage.", font=f, fill=20)
    d.rectangle((20, 200, 75, 300), fill=20)  # a photo edge next to text
    d.text((90, 230), "Tighten the cover bolts evenly to 10 Nm.", font=f, fill=20)
    arr = np.asarray(img)
    lines = TesseractEngine().recognize(arr)
    # the text lines as tesseract read them, minus any word left of the text column: a dropped number
    lines = [ln.model_copy(update={"words": [w for w in ln.words if w.bbox.x0 >= 85]}) for ln in lines]
    lines = [ln.model_copy(update={"text": " ".join(w.text for w in ln.words)}) for ln in lines if ln.words]
    assert not any(STEP_TOKEN.match(ln.words[0].text) for ln in lines)
    # one trusted neighbour number makes a single-engine reading acceptable too; agreement needs none
    out, notes = recover_step_numbers(arr, lines)
    numbered = [ln.text for ln in out if STEP_TOKEN.match(ln.words[0].text)]
    assert numbered == ["3. Remove the bolts and lift off the cover."], (numbered, notes)
    assert len(notes) == 1 and "'3.'" in notes[0]
    assert recover_step_numbers(np.zeros((0, 0), np.uint8), lines) == (lines, [])


def test_sequence_rule():
    seq = [(2, 1), (9, 3)]
    assert _fits_sequence(5, 2, seq)
    assert not _fits_sequence(5, 7, seq)
    assert _fits_sequence(12, 4, seq) and not _fits_sequence(12, 2, seq)
    assert not _fits_sequence(0, 1, [])


def test_plus_runs_and_rendered_plus_minus():
    w = lambda t, x: Word(text=t, bbox=BBox(x0=x, y0=0, x1=x + 10, y1=10), conf=90)  # noqa: E731
    assert _plus_runs([w("138", 0), w("+", 20), w("0.5", 40), w("mm", 60)]) == [(0, 1, 2)]
    assert _plus_runs([w("1.2+0.1", 0), w("mm", 20)]) == [(0, 0, 0)]
    assert _plus_runs([w("terminal", 0), w("B+", 20), w("and", 40)]) == []
    img = Image.new("L", (900, 150), 240)
    d = ImageDraw.Draw(img)
    d.text((30, 25), "Push rod length 138 ± 0.5 mm", font=_font(26), fill=20)
    d.text((30, 85), "Step 3 60 + 2° torque angle", font=_font(26), fill=20)
    arr = np.asarray(img)
    lines = TesseractEngine().recognize(arr)
    out, notes = check_plus_minus(arr, lines)
    texts = [ln.text for ln in out]
    assert "138 ± 0.5 mm" in texts[0]
    assert "60 + 2" in texts[1]  # a printed '+' stays '+'
    assert all("138" in n for n in notes)
