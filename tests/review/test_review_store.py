"""Decision storage: keys, validation, last write wins, JSONL round trip."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from manualtune.review.keys import fact_key, key_kind
from manualtune.review.store import Decision, DecisionStore

from .conftest import tiny_facts


def test_fact_keys_are_readable_stable_and_distinct():
    facts = tiny_facts()
    keys = [fact_key(f) for f in facts]
    assert keys[0] == "fact:manual/p1.png#p1@40,100,700,130:c4a7f10b6cc7"
    assert len(set(keys)) == len(keys)
    assert fact_key(facts[0].model_copy(update={"fact_id": "other", "component": "renamed"})) == keys[0]
    assert fact_key(facts[0].model_copy(update={"value_printed": "46"})) != keys[0]
    assert key_kind(keys[0]) == "fact" and key_kind("row:12") is None


@pytest.mark.parametrize(
    "line",
    [
        {"key": "row:3", "action": "accept"},
        {"key": "fact:x", "action": "reject"},
        {"key": "fact:x", "action": "edit"},
        {"key": "fact:x", "action": "resolve", "fields": {"pick": "fact:y"}},
        {"key": "conflict:x", "action": "resolve"},
        {"key": "fact:x", "action": "delete"},
        {"key": "fact:x", "action": "accept", "kind": "example"},
    ],
)
def test_invalid_decisions_are_refused(line):
    with pytest.raises(ValidationError):
        Decision.model_validate(line)


def test_put_get_history_and_replaced(tmp_path):
    store = DecisionStore(tmp_path / "d.sqlite")
    assert store.all() == [] and not (tmp_path / "d.sqlite").exists()  # reading never creates the file
    first = store.put(Decision(key="fact:a", action="accept"), expected_revision=0)
    assert first.revision == 1 and first.replaced is None
    second = store.put(Decision(key="fact:a", action="reject", reason="no"), expected_revision=0)
    assert second.revision == 2 and second.replaced is not None and second.replaced.action == "accept"
    assert store.get("fact:a").action == "reject"
    assert [d.action for d in store.history("fact:a")] == ["accept", "reject"]


def test_jsonl_round_trip_and_bad_lines(tmp_path):
    src = DecisionStore(tmp_path / "a.sqlite")
    src.put(Decision(key="fact:b", action="edit", fields={"value": "46"}, reason="scan", when="2026-12-01T10:00:00Z"))
    src.put(Decision(key="conflict:k", action="resolve", fields={"value": "55", "unit": "Nm"}, when="2026-12-01T10:01:00Z"))
    text = src.export_jsonl()
    lines = [json.loads(x) for x in text.splitlines()]
    assert [x["key"] for x in lines] == ["conflict:k", "fact:b"]
    assert lines[1] == {"key": "fact:b", "action": "edit", "fields": {"value": "46"}, "reason": "scan",
                        "kind": "fact", "when": "2026-12-01T10:00:00Z"}
    dst = DecisionStore(tmp_path / "b.sqlite")
    stored, errors = dst.import_jsonl([*text.splitlines(), "", "{not json", '{"key": "fact:c", "action": "reject"}'],
                                      source="d.jsonl")
    assert stored == 2 and len(errors) == 2
    assert errors[0].startswith("d.jsonl:4:") and "reject needs a reason" in errors[1]
    assert dst.export_jsonl() == text
