"""Risk reasons: one row per detector, on facts built from the tiny build."""

from __future__ import annotations

import pytest

from manualtune.records import BBox, CleanupChange
from manualtune.review.risk import REASONS, RiskContext, fact_reasons, risk_score, unit_problem

from .conftest import P1, _page, tiny_facts


def _ctx(**kw) -> RiskContext:
    return RiskContext.build(kw.get("audit", []), kw.get("pages", []), 80.0, kw.get("members"))


def _box(y: int) -> BBox:
    return BBox(x0=600, y0=y + 2, x1=640, y1=y + 28)


@pytest.mark.parametrize(
    ("reason", "fact_no", "update", "ctx"),
    [
        ("cleanup_changed_value", 2, {}, {"audit": [CleanupChange(page_id=P1, bbox=_box(300), before="O.8",
                                                                   after="0.8", rule="o_to_zero", changes_value=True)]}),
        ("cleanup_touched_number", 2, {}, {"audit": [CleanupChange(page_id=P1, bbox=_box(300), before="0.8mm",
                                                                    after="0.8 mm", rule="split_number_unit")]}),
        ("ocr_second_opinion", 2, {}, {"pages": [_page(P1, "manual/p1.png", [])]}),
        ("needs_review", 2, {"needs_review": True, "review_reason": "component unclear"}, {}),
        ("extraction_note", 2, {"review_reason": "unit cell read as 'o'"}, {}),
        ("low_confidence", 2, {"ocr_confidence": 41.0}, {}),
        ("in_conflict", 2, {}, {"members": {"f-gap": "0.8 mm vs 0.7 mm"}}),
        ("unit_oddity", 2, {"unit": "Nm", "unit_printed": "Nm"}, {}),
    ],
)
def test_each_reason_is_detected(reason, fact_no, update, ctx):
    fact = tiny_facts()[fact_no].model_copy(update=update)
    if reason == "ocr_second_opinion":
        page = ctx["pages"][0].model_copy(update={"notes": [
            "'+' read as '±' at (610,305,630,325): tesseract '0.8 + 0.1', rapidocr '0.8 ± 0.1' 99",
            "step number '3.' inserted at (40,300,60,330): tesseract '3.' 93, rapidocr '3.' 100 (agree)",
        ]})
        ctx = {"pages": [page]}
    assert fact_reasons(tiny_facts()[fact_no], _ctx()) == []  # the spark plug gap alone is clean
    got = fact_reasons(fact, _ctx(**ctx))
    assert [r for r, _ in got] == [reason]


def test_step_number_notes_do_not_flag_a_fact():
    page = _page(P1, "manual/p1.png", []).model_copy(update={"notes": [
        "step number '3.' inserted at (40,300,60,330): tesseract '3.' 93, rapidocr '3.' 100 (agree)"]})
    assert fact_reasons(tiny_facts()[2], _ctx(pages=[page])) == []


@pytest.mark.parametrize(
    ("update", "problem"),
    [
        ({}, None),
        ({"unit": "", "unit_printed": ""}, "no unit for a clearance value"),
        ({"unit": "blorp", "unit_printed": "blorp"}, "unit 'blorp' is not a known unit"),
        ({"unit_printed": "cm?"}, "printed 'cm?' but stored as 'mm'"),
        ({"unit": "bar", "unit_printed": "bar"}, "unit 'bar' measures pressure, fact says clearance"),
    ],
)
def test_unit_problems(update, problem):
    assert unit_problem(tiny_facts()[2].model_copy(update=update)) == problem


def test_risk_score_adds_weights_and_confidence_gap():
    assert risk_score([("needs_review", "x")]) == REASONS["needs_review"][0]
    assert risk_score([("low_confidence", "x")], confidence=40.0, threshold=80.0) == 60.0
