"""Rule second_opinion_split: two tesseract readings that agree are not enough when rapidocr (the
independent engine) reads other digits ('+15...+30°C' printed, tesseract '+16', rapidocr '+15')."""

from __future__ import annotations

import pytest
from facts_fixtures import page_of, render_words

import manualtune.facts.cleanup as cleanup
from manualtune.facts.cleanup import cleanup_page
from manualtune.facts.config import FactsConfig
from manualtune.facts.second_opinion import SecondOpinion
from manualtune.facts.specs import extract_facts
from manualtune.records import Block, Provenance

# (readings, candidate, independent_dissent) -- the 15-16 Motronic case first
DISSENT = [
    ({"tesseract-psm7": "+16", "tesseract-psm8": "+16", "rapidocr": "+15"}, "+16", True),
    ({"tesseract-psm7": "+16", "tesseract-psm8": "+16", "rapidocr": "+15"}, "+16°...+30°C", True),  # the word
    ({"tesseract-psm7": "+16", "tesseract-psm8": "+16", "rapidocr": "+16"}, "+16°...+30°C", False),  # one end
    ({"tesseract-psm7": "+16", "tesseract-psm8": "+16", "rapidocr": "+16°C"}, "+16", False),
    ({"tesseract-psm7": "16", "tesseract-psm8": "16", "rapidocr": "°C"}, "16", False),  # no number: no evidence
    ({"tesseract-psm7": "16", "tesseract-psm8": "16"}, "16", False),  # rapidocr not run
    ({"tesseract-psm7": "8...18", "tesseract-psm8": "8...18", "rapidocr": "8...15"}, "8...18", True),
]


@pytest.mark.parametrize("readings,candidate,dissent", DISSENT)
def test_independent_dissent(readings: dict[str, str], candidate: str, dissent: bool) -> None:
    assert SecondOpinion(readings=readings).independent_dissent(candidate) is dissent


def _cleaned(monkeypatch: pytest.MonkeyPatch, rapid: str):
    readings = {"tesseract-psm7": "+16", "tesseract-psm8": "+16", "rapidocr": rapid}
    monkeypatch.setattr(cleanup, "second_opinion", lambda image, bbox, cfg: SecondOpinion(readings=dict(readings)))
    img, boxes = render_words([("+16", 10), ("Nm", 70)])
    page = page_of([("+16", boxes[0], 40.0), ("Nm", boxes[1], 95.0)], img.shape[1], img.shape[0])
    return page, *cleanup_page(page, FactsConfig(), lambda: img)


def test_rapidocr_dissent_makes_the_word_need_review(monkeypatch: pytest.MonkeyPatch) -> None:
    page, cleaned, audit = _cleaned(monkeypatch, "+15")
    assert cleaned.lines[0].text == "+16 Nm"  # not applied either way
    assert [(c.rule, c.before, c.after, c.changes_value, c.evidence) for c in audit] == [
        ("second_opinion_split", "+16", "+15", True, None)]
    assert cleaned.lines[0].words[0].conf < FactsConfig().review_below_conf
    line = cleaned.lines[0]
    blk = Block(block_id=f"{page.page_id}/b0", page_id=page.page_id, kind="paragraph", order=0, text=line.text,
                section="Tightening torques",
                source=Provenance(file=page.source, page=1, bbox=line.bbox, ocr_confidence=95, page_id=page.page_id))
    facts = [f for f in extract_facts([blk], FactsConfig(), audit=audit) if f.unit == "Nm"]
    assert facts and all(f.needs_review for f in facts)
    assert all("'+16'->'+15'" in (f.review_reason or "") for f in facts)


def test_rapidocr_dissent_flags_a_word_the_vote_does_not_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    # 15-16 (Motronic): the word '+16°...+30°C' (conf 60) re-read '+16', '+16', '+15': no engine reads
    # both ends, so the vote neither agrees nor disagrees; rapidocr's '15' alone makes it need review
    readings = {"tesseract-psm7": "+16", "tesseract-psm8": "+16", "rapidocr": "+15"}
    monkeypatch.setattr(cleanup, "second_opinion", lambda image, bbox, cfg: SecondOpinion(readings=dict(readings)))
    img, boxes = render_words([("+16°...+30°C", 10)])
    page = page_of([("+16°...+30°C", boxes[0], 60.5)], img.shape[1], img.shape[0])
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert [(c.rule, c.before, c.after) for c in audit] == [("second_opinion_split", "+16°...+30°C", "+15")]
    assert cleaned.lines[0].text == "+16°...+30°C"
    assert cleaned.lines[0].words[0].conf < FactsConfig().review_below_conf


def test_rapidocr_agreeing_keeps_the_word_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    _, cleaned, audit = _cleaned(monkeypatch, "+16")
    assert audit == [] and cleaned.lines[0].words[0].conf >= 90.0
