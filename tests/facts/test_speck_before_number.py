"""Rule speck_before_number (facts/cleanup.py): a dash-like mark read as a word of its own before a number
('~ 15...25 °' on Motronic 11-12, a speck with no second reading) is dropped; a mark an engine reads
as a dash may be a minus sign and stays."""

from __future__ import annotations

import numpy as np
import pytest
from facts_fixtures import page_of

import manualtune.facts.cleanup as cleanup
from manualtune.facts.cleanup import cleanup_page
from manualtune.facts.config import FactsConfig
from manualtune.facts.second_opinion import SecondOpinion
from manualtune.records import BBox

SPECK = BBox(x0=10, y0=30, x1=24, y1=32)  # 2 px high, as read on 11-12
NUMBER = BBox(x0=53, y0=18, x1=160, y1=40)  # 29 px after it


def _cleaned(monkeypatch: pytest.MonkeyPatch, speck_readings: dict[str, str], gap_to: int = 53):
    number = NUMBER.model_copy(update={"x0": gap_to})

    def opinion(image, bbox, cfg):
        if bbox == SPECK:
            return SecondOpinion(readings=dict(speck_readings))
        return SecondOpinion(readings={"tesseract-psm7": "15...25", "tesseract-psm8": "15...25", "rapidocr": "15...25"})

    monkeypatch.setattr(cleanup, "second_opinion", opinion)
    img = np.full((60, 240), 255, np.uint8)
    page = page_of([("~", SPECK, 0.0), ("15...25", number, 60.0), ("°", BBox(x0=170, y0=18, x1=180, y1=28), 90.0)],
                   240, 60)
    return cleanup_page(page, FactsConfig(), lambda: img)


def test_a_speck_no_engine_reads_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    page, audit = _cleaned(monkeypatch, {"tesseract-psm7": "", "tesseract-psm8": "", "rapidocr": ""})
    assert page.lines[0].text == "15...25 °"
    (change,) = [c for c in audit if c.rule == "speck_before_number"]
    assert change.evidence and change.after == "15...25"


def test_a_mark_read_as_a_dash_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    page, audit = _cleaned(monkeypatch, {"tesseract-psm7": "-", "tesseract-psm8": "", "rapidocr": "•"})
    assert page.lines[0].text.startswith("~ ")
    assert not [c for c in audit if c.rule == "speck_before_number"]


def test_a_mark_right_before_the_number_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    # 5 px before the number: it may be its minus sign ('~8...45' for '-5...+5')
    page, audit = _cleaned(monkeypatch, {"tesseract-psm7": "", "tesseract-psm8": "", "rapidocr": ""}, gap_to=29)
    assert page.lines[0].text.startswith("~ ")
