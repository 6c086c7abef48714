"""Replay stored review decisions on freshly extracted facts (called by ``manualtune build``).

:func:`apply_review_decisions` runs at the end of fact extraction, before conflicts, procedures and
examples, so an edit flows into examples, splits and exports on every rebuild. A decision whose
record no longer exists is *stale*: counted and listed in ``BUILD/review/summary.json``, never
dropped from the store. Example decisions are reviewer status only (the build does not change
examples directly; an example is corrected through its fact).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from manualtune.cache import write_json, write_jsonl
from manualtune.records import Example, SpecFact
from manualtune.review.config import load_review_config
from manualtune.review.edits import EditError, edited_fact, parse_value, validate_fields
from manualtune.review.keys import conflict_key_of, fact_key
from manualtune.review.queue import EXTRACTED_FACTS
from manualtune.review.store import Decision, DecisionError, DecisionStore

SUMMARY_FILE = "review/summary.json"
SUMMARY_SCHEMA = "manualtune-review-summary/1"


class StaleDecision(BaseModel):
    key: str
    action: str
    when: str | None = None
    reason: str = ""


class ReviewSummary(BaseModel):
    """``BUILD/review/summary.json`` (deterministic: no timestamps of its own)."""

    schema_: str = Field(default=SUMMARY_SCHEMA, alias="schema")
    decisions_file: str = Field(description="decisions file; relative to the build folder when inside it")
    decisions: int = Field(default=0, description="decisions in force in the store")
    by_action: dict[str, int] = Field(default_factory=dict, description="accept/edit/reject/resolve counts")
    reviewed_facts: int = Field(default=0, description="extracted facts with a decision (direct or via a conflict)")
    flagged_facts: int = Field(default=0, description="extracted facts the queue flags by risk")
    flagged_pending: int = Field(default=0, description="flagged facts without a decision")
    facts_edited: int = 0
    facts_rejected: int = 0
    conflicts_resolved: int = 0
    example_decisions: int = Field(default=0, description="decisions on examples (status only)")
    stale: int = Field(default=0, description="decisions whose record no longer exists")
    stale_decisions: list[StaleDecision] = []
    invalid: list[str] = Field(default=[], description="decisions not applied: key + why")
    changed_fact_ids: list[str] = Field(default=[], description="facts whose values a review changed")
    rejected_fact_ids: list[str] = []
    examples_changed: int | None = Field(
        default=None, description="examples built from changed facts (filled by review_figures after the build)"
    )
    examples_changed_ids: list[str] = []
    errors: list[str] = Field(default=[], description="problems reading the decisions (the build went on)")

    model_config = {"populate_by_name": True}

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def _note(d: Decision) -> str:
    return f"review {d.action}" + (f": {d.reason}" if d.reason else "")


def _rederive(derived: SpecFact, base: SpecFact) -> SpecFact | None:
    """A conversion of an edited fact, recomputed exactly; None when it cannot be (then dropped)."""
    from manualtune.facts.units import convert_exact

    lo = convert_exact(base.value, base.unit, derived.unit)
    hi = convert_exact(base.value_max, base.unit, derived.unit) if base.value_max else None
    if lo is None or (base.value_max and hi is None):
        return None
    return derived.model_copy(update={"value": lo, "value_max": hi, "value_printed": base.value_printed,
                                      "unit_printed": base.unit_printed, "stages": [],
                                      "component": base.component, "variant": base.variant,
                                      "condition": base.condition, "review_reason": base.review_reason,
                                      "needs_review": False})


def apply_decisions(facts: list[SpecFact], decisions: list[Decision], max_len: int = 300
                    ) -> tuple[list[SpecFact], ReviewSummary]:
    """Pure part of :func:`apply_review_decisions`: the reviewed facts and the figures."""
    from manualtune.facts import find_conflicts

    summary = ReviewSummary(decisions_file="")
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        if not f.derived:  # conversions follow their printed fact
            by_key[fact_key(f)].append(i)
    conflicts = {conflict_key_of(c): c for c in find_conflicts(facts)}
    index_of = {f.fact_id: i for i, f in enumerate(facts)}
    out: list[SpecFact | None] = list(facts)
    reviewed: set[int] = set()
    changed: set[int] = set()
    rejected: set[int] = set()
    counts: dict[str, int] = defaultdict(int)
    for d in sorted(decisions, key=lambda d: d.key):
        counts[d.action] += 1
        if d.kind == "example":
            summary.example_decisions += 1
            continue  # status only; stale examples are found after the build (review_figures)
        if d.kind == "fact":
            targets = by_key.get(d.key, [])
        else:
            c = conflicts.get(d.key)
            targets = [index_of[i] for i in c.fact_ids if i in index_of] if c else []
        if not targets:
            summary.stale_decisions.append(StaleDecision(key=d.key, action=d.action, when=d.when, reason=d.reason))
            continue
        try:
            _apply_one(d, targets, facts, out, changed, rejected, max_len)
        except EditError as e:
            summary.invalid.append(f"{d.key}: {e}")
            continue
        reviewed.update(targets)
        if d.kind == "conflict":
            summary.conflicts_resolved += 1
    # conversions derived from an edited or rejected fact follow it
    for i, f in enumerate(facts):
        if not f.derived or f.derived_from not in index_of:
            continue
        j = index_of[f.derived_from]
        if j in rejected:
            out[i] = None
        elif j in changed and out[j] is not None:
            out[i] = _rederive(f, out[j])  # type: ignore[arg-type]
    summary.by_action = dict(sorted(counts.items()))
    summary.decisions = len(decisions)
    summary.stale = len(summary.stale_decisions)
    summary.reviewed_facts = len(reviewed)
    summary.facts_edited = len(changed - rejected)
    summary.facts_rejected = len(rejected)
    summary.changed_fact_ids = sorted({facts[i].fact_id for i in changed - rejected})
    summary.rejected_fact_ids = sorted({facts[i].fact_id for i in rejected})
    return [f for f in out if f is not None], summary


def _apply_one(d: Decision, targets: list[int], facts: list[SpecFact], out: list[SpecFact | None],
               changed: set[int], rejected: set[int], max_len: int) -> None:
    if d.action == "accept":
        for i in targets:
            if out[i] is not None:
                out[i] = out[i].model_copy(update={"needs_review": False, "review_reason": _note(d)})
    elif d.action == "reject":
        for i in targets:
            out[i] = None
            rejected.add(i)
    elif d.action == "edit":
        for i in targets:
            fields = validate_fields(d.fields, facts[i], max_len)
            if out[i] is not None:
                out[i] = edited_fact(out[i], fields, _note(d))
                changed.add(i)
    elif d.action == "resolve":
        pick = d.fields.get("pick")
        if pick:
            keep = [i for i in targets if fact_key(facts[i]) == pick]
            if not keep:
                raise EditError({"pick": f"{pick} is not one of the conflict's facts"})
            chosen = facts[keep[0]]
            for i in targets:
                same = parse_value(facts[i].value_printed) == parse_value(chosen.value_printed) \
                    and facts[i].unit == chosen.unit
                if i in keep or same:
                    out[i] = (out[i] or facts[i]).model_copy(update={"needs_review": False, "review_reason": _note(d)})
                else:
                    out[i] = None
                    rejected.add(i)
        else:
            fields = {k: v for k, v in d.fields.items() if k in ("value", "unit")}
            for i in targets:
                ok = validate_fields(fields, facts[i], max_len)
                if out[i] is not None:
                    out[i] = edited_fact(out[i], ok, _note(d))
                    changed.add(i)


def apply_review_decisions(facts: list[SpecFact], out_dir: Path, cfg: object | None = None
                           ) -> tuple[list[SpecFact], ReviewSummary]:
    """Apply the decisions stored for ``out_dir`` to ``facts``; write ``review/facts_extracted.jsonl``
    (the facts as extracted: the keys the review app shows) and ``review/summary.json``."""
    out_dir = Path(out_dir)
    rcfg = load_review_config(out_dir, cfg)
    path = rcfg.decisions_path(out_dir)
    write_jsonl(out_dir / EXTRACTED_FACTS, facts)
    errors: list[str] = []
    decisions: list[Decision] = []
    if path.exists():
        try:
            decisions = DecisionStore(path).all()
        except (DecisionError, ValueError) as e:
            errors.append(str(e))
    reviewed, summary = apply_decisions(list(facts), decisions, rcfg.max_field_length)
    # relative to the build folder when inside it: two clean builds in different folders stay byte-identical
    resolved, root = path.resolve(), out_dir.resolve()
    summary.decisions_file = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)
    summary.errors = errors
    flagged = _flagged_facts(out_dir, facts, rcfg.low_confidence)
    decided = {d.key for d in decisions}
    summary.flagged_facts = len(flagged)
    summary.flagged_pending = len(flagged - decided)
    write_json(out_dir / SUMMARY_FILE, summary.dump())
    return reviewed, summary


def _flagged_facts(out_dir: Path, facts: list[SpecFact], low_confidence: float) -> set[str]:
    from manualtune.facts import find_conflicts
    from manualtune.records import CleanupChange, PageOCR
    from manualtune.report.load import InputLog, read_ocr_pages, read_records
    from manualtune.review.queue import conflict_members
    from manualtune.review.risk import RiskContext, fact_reasons

    log = InputLog()
    ctx = RiskContext.build(read_records(out_dir, "records/cleanup_audit.jsonl", CleanupChange, log),
                            read_ocr_pages(out_dir, PageOCR, log), low_confidence,
                            conflict_members(find_conflicts(facts)))
    return {fact_key(f) for f in facts if not f.derived and fact_reasons(f, ctx)}


def review_figures(build_dir: Path, write: bool = True) -> dict[str, Any]:
    """``review/summary.json`` completed with the examples a review changed (examples of the finished
    build whose ``fact_ids`` include a changed fact); written back when ``write``. Empty dict when the
    build has no review summary."""
    build_dir = Path(build_dir)
    path = build_dir / SUMMARY_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = set(data.get("changed_fact_ids", []))
    ids: list[str] = []
    ex_path = build_dir / "dataset" / "examples.jsonl"
    if ex_path.is_file():
        for line in ex_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ex = Example.model_validate_json(line)
                if changed & set(ex.fact_ids):
                    ids.append(ex.example_id)
    data["examples_changed"] = len(ids)
    data["examples_changed_ids"] = sorted(ids)
    if write:
        write_json(path, data)
    return data
