"""The audit sheet: stratified seeded draw, crops beside each example, scoring of judged marks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualtune.cache import read_jsonl
from manualtune.pipeline import build
from manualtune.quality.audit import (
    AuditConfig,
    AuditMark,
    allocate,
    draw_sample,
    score_sheet,
    write_audit_sheet,
)
from manualtune.records import Example
from manualtune.sample import generate_sample_manual


@pytest.mark.parametrize(
    ("sizes", "n", "want"),
    [
        ({"SPEC": 80, "PROCEDURE": 15, "WIRING": 5}, 20, {"SPEC": 15, "PROCEDURE": 3, "WIRING": 2}),
        ({"SPEC": 80, "PROCEDURE": 15, "WIRING": 0}, 10, {"SPEC": 8, "PROCEDURE": 2}),
        ({"SPEC": 2, "PROCEDURE": 1}, 60, {"SPEC": 2, "PROCEDURE": 1}),  # never more than a stratum holds
        ({"SPEC": 100, "WIRING": 1, "REFUSAL": 1}, 3, {"SPEC": 1, "WIRING": 1, "REFUSAL": 1}),  # one each first
        ({"SPEC": 100, "WIRING": 3, "REFUSAL": 2}, 2, {"SPEC": 1, "WIRING": 1}),  # fewer draws than strata
        ({"SPEC": 3, "PROCEDURE": 100}, 10, {"SPEC": 1, "PROCEDURE": 9}),
    ],
)
def test_allocate(sizes, n, want):
    got = allocate(sizes, n)
    assert got == want
    assert sum(got.values()) == min(n, sum(sizes.values()))


def test_draw_is_stratified_and_deterministic(examples):
    a = draw_sample(examples, 12, seed=3)
    assert [e.example_id for e in a] == [e.example_id for e in draw_sample(list(reversed(examples)), 12, seed=3)]
    assert [e.example_id for e in a] != [e.example_id for e in draw_sample(examples, 12, seed=4)]
    tasks = {("REFUSAL" if e.refusal else e.task) for e in examples}
    assert {("REFUSAL" if e.refusal else e.task) for e in a} == tasks
    assert len(a) == 12 and len({e.example_id for e in a}) == 12
    assert len({e.group_id for e in a}) == 12  # two phrasings of one fact are never both drawn


def test_a_fact_asked_two_ways_is_drawn_once(examples):
    groups = {e.group_id for e in examples}
    twice = [e for e in examples if sum(x.group_id == e.group_id for x in examples) >= 2]
    assert twice, "the sample manual asks some facts in several phrasings"
    every = draw_sample(examples, len(examples), seed=1)
    assert len(every) == len(groups) and {e.group_id for e in every} == groups


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("audit-src")
    generate_sample_manual(src, pages=["00 - Torque Specs/11-19.jpg", "21 - Clutch/*.jpg"])
    out = tmp_path_factory.mktemp("audit-build")
    build(src, out, workers=1)
    return out


def test_sheet_has_every_example_with_its_crop(small_build):
    page = write_audit_sheet(small_build, cfg=AuditConfig(sample=8, seed=1))
    items = json.loads((page.parent / "items.json").read_text())
    marks = read_jsonl(page.parent / "sheet.jsonl", AuditMark)
    examples = {e.example_id: e for e in read_jsonl(small_build / "dataset" / "examples.jsonl", Example)}
    assert 1 <= len(items) <= 8 and [m.example_id for m in marks] == [it["example_id"] for it in items]
    html = page.read_text()
    for it in items:
        ex = examples[it["example_id"]]
        assert it["answer"] == ex.answer and it["question"] in html.replace("&#39;", "'").replace("&quot;", '"')
        if ex.sources and not ex.refusal:
            assert it["crops"], it["crop_errors"]
            assert (page.parent / it["crops"][0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(m.trustworthy is None for m in marks)


def test_score_counts_good_only_when_trustworthy(tmp_path):
    lines = [
        AuditMark(example_id="a", task="SPEC", trustworthy=True, good=True),
        AuditMark(example_id="b", task="SPEC", trustworthy=True, good=False),
        AuditMark(example_id="c", task="SPEC", trustworthy=False, good=True),  # not good: not trustworthy
        AuditMark(example_id="d", task="WIRING", trustworthy=False, good=False, note="split words"),
        AuditMark(example_id="e", task="WIRING"),  # not judged
    ]
    sheet = tmp_path / "sheet.jsonl"
    sheet.write_text("".join(m.model_dump_json() + "\n" for m in lines))
    s = score_sheet(sheet)
    assert (s.lines, s.unjudged) == (5, 1)
    assert (s.overall.judged, s.overall.trustworthy, s.overall.good) == (4, 2, 1)
    assert s.by_task["SPEC"].trustworthy_rate == 0.667 and s.by_task["WIRING"].judged == 1
