"""The build of the annotated real pages: every page read, no stage error, coverage and counters written."""

from __future__ import annotations

import json
from pathlib import Path

from manualtune.cache import read_jsonl


def _annotated() -> list[dict]:
    """The hand-read pages of every batch (split.json): the fixture builds them all."""
    split = Path(__file__).parents[1] / "resources" / "realtruth" / "split.json"
    return json.loads(split.read_text())["pages"]


def test_no_stage_errors_and_nothing_quarantined(realtruth_build: Path) -> None:
    errors = read_jsonl(realtruth_build / "records" / "stage_errors.jsonl")
    assert errors == [], errors[:3]
    assert (realtruth_build / "quarantine.jsonl").read_text() == ""
    counts = json.loads((realtruth_build / "summary.json").read_text())["counts"]
    assert counts["stage_errors"] == 0 and counts["pages"] == len(_annotated()) >= 50


def test_report_shows_coverage_and_generation(realtruth_build: Path) -> None:
    qa = json.loads((realtruth_build / "report" / "qa.json").read_text())
    cov = qa["coverage"]
    n = len(_annotated())
    assert cov["pages"] == n and sum(g["pages"] for g in cov["by_section"].values()) == n
    assert 0 < cov["pages_with_example"] <= n
    tasks = {r["task"]: r for r in qa["generation"]["tasks"]}
    assert tasks["SPEC"]["candidates"] >= 1 and tasks["SPEC"]["emitted"] >= 1
