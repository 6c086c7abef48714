"""The unit-aware matcher: the cases of issue 9, hallucination and refusal detection."""

from __future__ import annotations

import pytest

from manualtune.evaluate.matching import (
    ABSTAIN_TEXT,
    REFUSAL_PATTERNS,
    refusal_reason,
    score_answer,
    stated_quantities,
)
from manualtune.evaluate.probes import Probe, ProbeSource, ProbeTarget


def probe(value=None, unit=None, value_max=None, tolerance=None, stages=(), answer="", kind="unseen", task="SPEC"):
    return Probe(id="p", kind=kind, task=task, question="q?", answer=answer, value=value, value_max=value_max,
                 tolerance=tolerance, unit=unit, stages=list(stages), source=ProbeSource(file="a.jpg", page=1))


@pytest.mark.parametrize(
    ("answer", "exact"),
    [
        ("The displacement is 2302 cc.", True),
        ("Displacement: 2.3 L (manual p. 00-2).", True),
        ("It is 2,302 cm³.", True),
        ("2302 cm3", True),
        ("2.4 l", False),
        ("2302 mm", False),  # mm is a length, never a volume
        ("2302", False),  # no unit
    ],
)
def test_displacement_in_three_spellings(answer, exact):
    assert score_answer(probe("2302", "cm³"), answer).exact is exact


def test_target_in_litres_matches_cc_within_printed_precision():
    p = probe("2.3", "l")
    assert score_answer(p, "2302 cc").exact
    assert score_answer(p, "2,302 cm³").exact
    assert not score_answer(p, "2400 cc").exact


@pytest.mark.parametrize(("answer", "exact"), [("55 Nm", True), ("5.5 Nm", False), ("55 mm", False),
                                               ("550 Nm", False), ("55.0 N·m", True)])
def test_55_nm_is_not_5_5_nm(answer, exact):
    assert score_answer(probe("55", "Nm"), answer).exact is exact


@pytest.mark.parametrize(
    ("answer", "exact"),
    [("The end gap is 0.20-0.30 mm.", True), ("0.20 to 0.30 mm", True), ("0.2 mm - 0.3 mm", True),
     ("0.20 mm", False), ("0.30 mm", False), ("0.20-0.35 mm", False)],
)
def test_range_needs_both_ends(answer, exact):
    assert score_answer(probe("0.20", "mm", value_max="0.30"), answer).exact is exact


@pytest.mark.parametrize(
    ("answer", "exact"),
    [("Stage 1: 30 Nm, Stage 2: 90°", True), ("30 Nm + 90°", True), ("30 Nm", False), ("90°", False),
     ("30 Nm + 70°", False)],
)
def test_staged_torque_needs_every_stage(answer, exact):
    p = probe("30", "Nm", stages=[ProbeTarget(value="90", unit="°")])
    assert score_answer(p, answer).exact is exact


@pytest.mark.parametrize(
    ("answer", "exact"),
    [("105 ± 4 Nm", True), ("105 +/- 4 Nm", True), ("101-109 Nm", True), ("105 Nm", False), ("105 ± 5 Nm", False)],
)
def test_tolerance(answer, exact):
    assert score_answer(probe("105", "Nm", tolerance="4"), answer).exact is exact


def test_hallucination_flags_an_invented_number_and_passes_a_correct_one():
    p = probe("55", "Nm", answer="The connecting rod bolts are tightened to 55 Nm (manual p. 11-19).")
    good = score_answer(p, "Tighten to 55 Nm (manual p. 11-19).", page_numbers={"55", "20", "70"})
    assert good.exact and good.hallucinated == [] and not good.refused
    bad = score_answer(p, "Tighten to 55 Nm, then a further 45°.", page_numbers={"55", "20", "70"})
    assert bad.hallucinated == ["45"]
    on_page = score_answer(p, "Tighten to 20 Nm, then 70°.", page_numbers={"55", "20", "70"})
    assert on_page.hallucinated == [] and not on_page.exact
    converted = score_answer(probe("2.0", "bar", answer="2.0 bar"), "2.0 bar (29 psi)")
    assert converted.hallucinated == []  # a conversion of the target is not invented


def test_identifiers_and_citations_are_not_numbers():
    p = probe("120", "Nm", answer="CR25T: 120 Nm (manual p. 11-19)")
    s = score_answer(p, "The CR25T flywheel bolts take 120 Nm with M10 bolts (manual p. 11-19).")
    assert s.exact and s.hallucinated == []


def test_unanswerable_any_number_is_invented_and_refusal_is_exact():
    p = Probe(id="u", kind="unanswerable", task="SPEC", question="What is the torque of the sunroof motor?")
    refused = score_answer(p, ABSTAIN_TEXT)
    assert refused.refused and refused.exact and refused.hallucinated == []
    invented = score_answer(p, "The sunroof motor bolts take 8 Nm.")
    assert not invented.refused and not invented.exact and invented.hallucinated == ["8"]


def test_unit_compliance():
    p = probe("55", "Nm")
    assert score_answer(p, "55 Nm").unit_ok
    assert not score_answer(p, "55").unit_ok
    assert not score_answer(p, "55Nm").unit_ok


def test_refused_answer_is_not_exact_on_answerable_probe():
    s = score_answer(probe("55", "Nm"), "The manual does not give a value for this; I won't guess.")
    assert s.refused and not s.exact


def test_procedure_numbering_and_reference_numbers():
    ref = "1. Loosen the bolts.\n2. Tighten to 25 Nm.\n(manual p. 11-20)"
    p = probe(answer=ref, task="PROCEDURE")
    ok = score_answer(p, "1. Loosen the bolts.\n2. Tighten to 25 Nm.")
    assert ok.exact and ok.numbering_ok is True
    gap = score_answer(p, "1. Loosen the bolts.\n3. Tighten to 25 Nm.")
    assert gap.numbering_ok is False
    assert not score_answer(p, "1. Loosen the bolts.\n2. Tighten.").exact


REFUSAL_EXAMPLES = {
    "does_not_cover": "The manual does not cover this.",
    "does_not_give": "The manual doesn't give that value.",
    "not_in_manual": "That is not in this manual.",
    "no_value": "No value is given for the sunroof.",
    "wont_guess": "I won't guess.",
    "cannot_find": "I cannot find that in the records.",
    "dont_know": "I don't know.",
    "not_covered": "Not covered.",
}


@pytest.mark.parametrize(("name", "_pattern"), REFUSAL_PATTERNS)
def test_each_refusal_pattern(name, _pattern):
    assert refusal_reason(REFUSAL_EXAMPLES[name]) == name


def test_plain_answers_are_not_refusals():
    assert refusal_reason("Tighten the bolts to 55 Nm. Do not reuse them.") is None
    assert refusal_reason("Check that the belt does not slip.") is None


def test_two_quantities_are_not_a_range():
    qs = stated_quantities("After 20 min - 2.0 bar remains")
    assert [(q.value, q.value_max, q.unit) for q in qs] == [("20", None, "min"), ("2.0", None, "bar")]


def test_stage_labels_are_not_values():
    p = probe("30", "Nm", stages=[ProbeTarget(value="90", unit="°")], answer="30 Nm + 90°")
    s = score_answer(p, "Stage 1: 30 Nm, Stage 2: 90° (manual p. 11-20)", page_numbers={"30", "90"})
    assert s.exact and s.hallucinated == []
