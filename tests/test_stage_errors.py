"""Stage errors: recorded inside a collector, raised outside it."""

from __future__ import annotations

import pytest

from manualtune.generate import GenerateConfig, GenerationStats, generate_examples
from manualtune.stage_errors import collect_stage_errors, sorted_errors, stage_guard


def test_guard_records_inside_a_collector_and_raises_outside():
    with collect_stage_errors() as errors:
        with stage_guard("layout", "page-7"):
            raise ValueError("odd box")
        with stage_guard("layout", "page-8"):
            pass
    assert [(e.stage, e.record_id, e.exception, e.message) for e in errors] == [
        ("layout", "page-7", "ValueError", "odd box")
    ]
    assert errors[0].where.startswith("test_stage_errors.py:")
    with pytest.raises(ValueError, match="odd box"):
        with stage_guard("layout", "page-7"):
            raise ValueError("odd box")


def test_sorted_errors_is_stable():
    with collect_stage_errors() as errors:
        for rid in ("b", "a"):
            with stage_guard("facts", rid):
                raise KeyError(rid)
    assert [e.record_id for e in sorted_errors(errors)] == ["a", "b"]


def test_a_generator_bug_is_a_stage_error_not_an_empty_task(records, monkeypatch):
    """A task module that raises leaves the other tasks intact and is named in the errors."""
    facts, procs, blocks, conflicts = records
    import manualtune.generate.examples as ex

    def broken(*_a, **_k):
        raise ZeroDivisionError("wiring generator bug")

    full = generate_examples(facts, procs, blocks, GenerateConfig(), conflicts=conflicts)
    monkeypatch.setattr(ex, "wiring_examples", broken)
    stats = GenerationStats()
    with collect_stage_errors() as errors:
        out = generate_examples(facts, procs, blocks, GenerateConfig(), conflicts=conflicts, stats=stats)
    assert [(e.stage, e.exception) for e in errors] == [("generate.wiring", "ZeroDivisionError")]
    wiring = [e for e in out if e.task == "WIRING"]
    assert len(wiring) < len([e for e in full if e.task == "WIRING"])
    spec = [e.example_id for e in out if e.task == "SPEC" and not e.refusal]
    assert spec == [e.example_id for e in full if e.task == "SPEC" and not e.refusal]
    assert stats.as_dict()["SPEC"]["emitted"] == sum(1 for e in out if e.task == "SPEC" and not e.refusal)
    with pytest.raises(ZeroDivisionError):
        generate_examples(facts, procs, blocks, GenerateConfig(), conflicts=conflicts)
