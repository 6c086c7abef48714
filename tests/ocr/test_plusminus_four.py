"""A '+' before a temperature read as '4' (check_plus_as_four), on a real crop of a Bosch Motronic page.

Fixture: tests/resources/ocr/motronic_15-16_plus_as_four.png, a 900x90 crop at (100, 640) of
realpages "Bosch Motronic ML 3-1/15-16.png" (not annotated, in no half). Printed (read by eye):
"(+15°C...+30°C):   1450...3300 Ω" (the digit after the '1' is a 5 or a 6; the readers differ);
tesseract read the line as "(416°C, , 430°C)! 1450,..3300 2", which gave a trusted "416 °C".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from manualtune.facts.cleanup import cleanup_page
from manualtune.facts.config import FactsConfig
from manualtune.facts.second_opinion import SecondOpinion
from manualtune.facts.specs import extract_facts
from manualtune.layout import build_blocks
from manualtune.ocr.plusminus import _sign_reading, check_plus_as_four
from manualtune.records import BBox, Line, PageOCR, Word

FIXTURE = Path(__file__).parents[1] / "resources" / "ocr" / "motronic_15-16_plus_as_four.png"
X0, Y0 = 100, 640  # where the crop lies on the page: the boxes below are the page's, shifted


def _box(x0, y0, x1, y1) -> BBox:
    return BBox(x0=x0 - X0, y0=y0 - Y0, x1=x1 - X0, y1=y1 - Y0)


def _lines() -> list[Line]:
    """The two lines as tesseract read them on the page (text, box, confidence)."""
    rows = [
        [("alla", (134, 653, 199, 679), 67.79), ("temperatura", (218, 652, 400, 681), 95.89),
         ("ambiente", (419, 652, 550, 677), 90.18)],
        [("(416°C,", (137, 682, 245, 712), 62.12), (",", (257, 700, 261, 710), 0.0),
         ("430°C)!", (279, 678, 394, 719), 0.0), ("1450,..3300", (783, 684, 964, 709), 77.25),
         ("2", (982, 685, 1000, 710), 91.04)],
    ]
    out = []
    for n, row in enumerate(rows):
        words = [Word(text=t, bbox=_box(*b), conf=c) for t, b, c in row]
        out.append(Line(text=" ".join(w.text for w in words), bbox=BBox.enclosing([w.bbox for w in words]),
                        conf=80.0, words=words, line_num=n))
    return out


def _image() -> np.ndarray:
    return np.array(Image.open(FIXTURE).convert("L"))


def _readers_available() -> bool:
    try:
        import rapidocr  # noqa: F401
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize(
    ("reading", "sign"),
    [("(+16°,", ("+", "16")), ("(416°C,", ("4", "16")), ("+30°C)1", ("+", "30")), ("15°", ("", "15")),
     ("45°", ("4", "5")), ("", None)],
)
def test_sign_reading(reading, sign):
    assert _sign_reading(reading) == sign


def _reader(*texts):
    return lambda image, bbox: SecondOpinion(readings={f"r{i}": t for i, t in enumerate(texts)})


def _one(text: str) -> list[Line]:
    w = Word(text=text, bbox=BBox(x0=10, y0=10, x1=60, y1=30), conf=70.0)
    return [Line(text=text, bbox=w.bbox, conf=70.0, words=[w])]


def test_rules_on_readings():
    img = np.full((40, 80), 255, np.uint8)
    # every reading shows the '+' and the same digits: the '4' is the '+'
    lines, notes = check_plus_as_four(img, _one("(416°C,"), reader=_reader("(+16°,", "(+16°C,", "+16°"))
    assert lines[0].words[0].text == "(+16°C," and lines[0].words[0].conf == 70.0 and len(notes) == 1
    # the '+' is seen but the digits differ: the word is not trusted (confidence 0, text kept)
    lines, notes = check_plus_as_four(img, _one("(416°C,"), reader=_reader("(+16°,", "(+15°C."))
    assert lines[0].words[0].text == "(416°C," and lines[0].words[0].conf == 0.0 and "unconfirmed" in notes[0]
    # one reading reads the '4', another a '+': unconfirmed
    lines, _ = check_plus_as_four(img, _one("416°"), reader=_reader("416°", "+16°", "+16°"))
    assert lines[0].words[0].conf == 0.0
    # a printed 45°: the readers read the 4, nothing changes
    lines, notes = check_plus_as_four(img, _one("45°"), reader=_reader("45°", "45°", "45"))
    assert lines[0].words[0].text == "45°" and lines[0].words[0].conf == 70.0 and notes == []
    # no degree sign after the number (a '416 Nm'): never looked at
    calls = []
    check_plus_as_four(img, _one("416"), reader=lambda i, b: calls.append(b) or SecondOpinion())
    assert calls == []


@pytest.mark.skipif(not _readers_available(), reason="tesseract and rapidocr are the second readers")
def test_real_crop_416_is_not_trusted():
    img = _image()
    lines, notes = check_plus_as_four(img, _lines())
    words = {w.text: w for w in lines[1].words}
    assert "(416°C," in words and words["(416°C,"].conf == 0.0  # '+16' / '+15': digits unconfirmed
    assert "+30°C)!" in words  # every reader read '+30'
    assert len(notes) == 2
    page = PageOCR(page_id="motronic.png#p1@abcdef012345", source="motronic.png", page=1, sha256="0" * 64,
                   engine="test", width=img.shape[1], height=img.shape[0], lines=lines,
                   text="\n".join(ln.text for ln in lines), word_count=sum(len(ln.words) for ln in lines))
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    facts = extract_facts(build_blocks(cleaned), FactsConfig(), audit)
    assert not [f for f in facts if "416" in (f.value, f.value_max) and not f.needs_review]
    assert not [f for f in facts if "430" in (f.value, f.value_max) and not f.needs_review]


@pytest.mark.skipif(not _readers_available(), reason="tesseract and rapidocr are the second readers")
def test_real_crop_without_the_check_gives_416(monkeypatch):
    """The test above can fail: without the check (and without the cleanup's rule second_opinion_split,
    rapidocr's '+16' against '416') the same lines give a trusted 416 °C."""
    from manualtune.facts.second_opinion import SecondOpinion

    monkeypatch.setattr(SecondOpinion, "independent_dissent", lambda self, candidate: False)
    img = _image()
    lines = _lines()
    page = PageOCR(page_id="motronic.png#p1@abcdef012345", source="motronic.png", page=1, sha256="0" * 64,
                   engine="test", width=img.shape[1], height=img.shape[0], lines=lines,
                   text="\n".join(ln.text for ln in lines), word_count=sum(len(ln.words) for ln in lines))
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    facts = extract_facts(build_blocks(cleaned), FactsConfig(), audit)
    assert [f for f in facts if f.value == "416" and f.unit == "°C" and not f.needs_review]
