"""Replaying decisions on extracted facts (what `manualtune build` does after fact extraction)."""

from __future__ import annotations

import json

from manualtune.cache import write_jsonl
from manualtune.records import Example
from manualtune.review.apply import apply_decisions, apply_review_decisions, review_figures
from manualtune.review.keys import fact_key
from manualtune.review.store import Decision, DecisionStore

from .conftest import tiny_facts

CONFLICT = "conflict:connecting rod bolt|torque||"


def _by_id(facts):
    return {f.fact_id: f for f in facts}


def test_edit_reject_accept_and_stale():
    facts = tiny_facts()
    head, drain, gap = (fact_key(f) for f in facts[:3])
    out, s = apply_decisions(facts, [
        Decision(key=head, action="edit", fields={"value": "46"}, reason="scan reads 46"),
        Decision(key=drain, action="reject", reason="not a spec"),
        Decision(key=gap, action="accept"),
        Decision(key="fact:gone.png#p1@1,2,3,4:000000000000", action="accept"),
    ])
    got = _by_id(out)
    assert got["f-head"].value == "46" and got["f-head"].value_printed == "46"
    assert "f-drain" not in got
    assert got["f-gap"].review_reason == "review accept" and got["f-gap"].value == "0.8"
    assert (s.facts_edited, s.facts_rejected, s.reviewed_facts, s.stale) == (1, 1, 3, 1)
    assert s.stale_decisions[0].key.startswith("fact:gone.png")
    assert s.changed_fact_ids == ["f-head"] and s.rejected_fact_ids == ["f-drain"]
    assert s.by_action == {"accept": 2, "edit": 1, "reject": 1}


def test_an_edit_that_no_longer_validates_is_reported_not_applied():
    facts = tiny_facts()
    out, s = apply_decisions(facts, [Decision(key=fact_key(facts[0]), action="edit", fields={"value": "4S"})])
    assert _by_id(out)["f-head"].value == "45"
    assert len(s.invalid) == 1 and "must be a number" in s.invalid[0]


def test_resolve_by_pick_and_by_value():
    facts = tiny_facts()
    pick = fact_key(facts[3])  # the 55 Nm table row
    out, s = apply_decisions(facts, [Decision(key=CONFLICT, action="resolve", fields={"pick": pick})])
    assert "f-rod1" in _by_id(out) and "f-rod2" not in _by_id(out)
    assert s.conflicts_resolved == 1 and s.rejected_fact_ids == ["f-rod2"]
    out, s = apply_decisions(facts, [Decision(key=CONFLICT, action="resolve", fields={"value": "50", "unit": "Nm"})])
    assert {_by_id(out)[i].value for i in ("f-rod1", "f-rod2")} == {"50"}


def test_derived_conversions_follow_their_fact():
    base = tiny_facts()[0].model_copy(update={"fact_id": "f-p", "quantity": "pressure", "value": "3.0",
                                              "value_printed": "3.0", "unit": "bar", "unit_printed": "bar"})
    derived = base.model_copy(update={"fact_id": "f-p-kpa", "value": "300", "unit": "kPa", "derived": True,
                                      "derived_from": "f-p"})
    out, _ = apply_decisions([base, derived], [Decision(key=fact_key(base), action="edit", fields={"value": "3.5"})])
    assert _by_id(out)["f-p-kpa"].value == "350" and _by_id(out)["f-p-kpa"].value_printed == "3.5"
    out, _ = apply_decisions([base, derived], [Decision(key=fact_key(base), action="reject", reason="x")])
    assert out == []


def test_apply_review_decisions_writes_summary_and_extracted_facts(tiny_build):
    facts = tiny_facts()
    DecisionStore(tiny_build / "review.sqlite").put(Decision(key=fact_key(facts[0]), action="edit", fields={"value": "46"}))
    out, s = apply_review_decisions(facts, tiny_build, None)
    summary = json.loads((tiny_build / "review" / "summary.json").read_text())
    assert summary["schema"] == "manualtune-review-summary/1"
    assert summary["decisions_file"] == "review.sqlite"  # relative: builds in two folders are byte-identical
    assert summary["facts_edited"] == 1 and summary["stale"] == 0
    assert summary["flagged_facts"] == 4 and summary["flagged_pending"] == 3  # the head bolt is decided
    assert summary["examples_changed"] is None
    extracted = (tiny_build / "review" / "facts_extracted.jsonl").read_text()
    assert '"value":"45"' in extracted.replace(" ", "")
    ex = Example(example_id="e1", task="SPEC", question="q", answer="46 Nm", group_id="g", fact_ids=["f-head"])
    write_jsonl(tiny_build / "dataset" / "examples.jsonl", [ex])
    figures = review_figures(tiny_build)
    assert figures["examples_changed"] == 1 and figures["examples_changed_ids"] == ["e1"]


def test_a_damaged_decisions_file_is_reported_and_the_build_goes_on(tiny_build):
    (tiny_build / "review.sqlite").write_bytes(b"this is not sqlite" * 100)
    out, s = apply_review_decisions(tiny_facts(), tiny_build, None)
    assert len(out) == 5 and s.decisions == 0
    assert s.errors and "not a readable decisions database" in s.errors[0]
