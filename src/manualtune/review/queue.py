"""The review queue: facts, conflicts and excluded examples of a build, ordered by risk.

Records are read tolerantly (:mod:`manualtune.report.load`): a missing or damaged file is listed in
:attr:`ReviewBuild.log`, never fatal. Facts come from ``review/facts_extracted.jsonl`` (the facts as
extracted, before decisions; written by every build) so a key stays the same after its edit is
applied; builds made before the review family existed fall back to ``records/facts.jsonl``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from manualtune.records import (
    Block,
    CleanupChange,
    Conflict,
    Example,
    ExcludedExample,
    PageOCR,
    Procedure,
    Provenance,
    SpecFact,
)
from manualtune.report.load import InputLog, read_ocr_pages, read_records
from manualtune.review.config import ReviewConfig
from manualtune.review.keys import KeyKind, conflict_key_of, example_key, fact_key
from manualtune.review.risk import REASONS, RiskContext, fact_reasons, risk_score
from manualtune.review.store import Decision

EXTRACTED_FACTS = "review/facts_extracted.jsonl"
Status = Literal["pending", "accept", "edit", "reject", "resolve"]


class QueueSource(BaseModel):
    file: str | None = None
    page: int | None = None
    bbox: dict[str, int] | None = None


class QueueItem(BaseModel):
    """One record to review (``review queue --json`` prints these)."""

    key: str
    kind: KeyKind
    reason: str = Field(description="the riskiest reason")
    reasons: list[str]
    details: list[str]
    risk: float
    status: Status = "pending"
    title: str
    section: str | None = None
    task: str | None = None
    variant: str | None = None
    record: dict[str, Any]
    source: QueueSource

    def json_line(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _source(prov: Provenance | None) -> QueueSource:
    if prov is None:
        return QueueSource()
    return QueueSource(file=prov.file, page=prov.page, bbox=prov.bbox.model_dump() if prov.bbox else None)


def fact_title(f: SpecFact) -> str:
    value = f.value_printed or f.value
    return f"{f.component}: {value} {f.unit_printed or f.unit}".strip()


@dataclass
class ReviewBuild:
    """Everything the queue and the item pages read from one build folder."""

    build_dir: Path
    facts: list[SpecFact]
    current_facts: list[SpecFact]
    procedures: list[Procedure]
    blocks: list[Block]
    audit: list[CleanupChange]
    pages: list[PageOCR]
    examples: list[Example]
    excluded: list[ExcludedExample]
    excluded_examples: dict[str, Example]
    conflicts: list[Conflict]
    source_root: Path | None
    log: InputLog
    notices: list[str] = field(default_factory=list)

    @property
    def facts_by_key(self) -> dict[str, SpecFact]:
        out: dict[str, SpecFact] = {}
        for f in self.facts:
            if not f.derived:
                out.setdefault(fact_key(f), f)
        return out


def _conflicts(facts: list[SpecFact], log: InputLog, notices: list[str], build_dir: Path) -> list[Conflict]:
    """Conflicts among the extracted facts (so a resolved conflict stays listed, as reviewed)."""
    try:
        from manualtune.facts import find_conflicts

        return find_conflicts(facts)
    except Exception as e:  # noqa: BLE001 - fall back to the build's own conflicts file, and say so
        notices.append(f"conflicts recomputed from records/conflicts.jsonl ({type(e).__name__}: {e})")
        return read_records(build_dir, "records/conflicts.jsonl", Conflict, log)


def _regenerate_excluded(b: ReviewBuild) -> dict[str, Example]:
    """The excluded examples' content (``excluded.jsonl`` keeps only ids): regenerated from the
    build's records with the default generate config; ids that do not come back are listed as such."""
    if not b.excluded:
        return {}
    wanted = {x.example_id for x in b.excluded}
    try:
        from manualtune.generate import generate_examples

        examples = generate_examples(b.current_facts, b.procedures, b.blocks, conflicts=b.conflicts)
    except Exception as e:  # noqa: BLE001 - the queue still lists the ids, with this notice
        b.notices.append(f"excluded examples could not be regenerated ({type(e).__name__}: {e})")
        return {}
    found = {e.example_id: e for e in examples if e.example_id in wanted}
    if len(found) < len(wanted):
        b.notices.append(
            f"{len(wanted) - len(found)} excluded example(s) not regenerated with the default config "
            "(shown by id only)"
        )
    return found


def load_build(build_dir: Path) -> ReviewBuild:
    """Read a build folder for review (tolerant; problems in ``.log`` and ``.notices``)."""
    import json

    build_dir = Path(build_dir)
    log = InputLog()
    notices: list[str] = []
    extracted = read_records(build_dir, EXTRACTED_FACTS, SpecFact, log)
    current = read_records(build_dir, "records/facts.jsonl", SpecFact, log)
    if log.status.get(EXTRACTED_FACTS) == "missing":
        extracted = current
        notices.append("no review/facts_extracted.jsonl (build made before review support): keys from facts.jsonl")
    source_root = None
    summary = build_dir / "summary.json"
    if summary.is_file():
        try:
            root = json.loads(summary.read_text(encoding="utf-8")).get("source_root")
            source_root = Path(root) if root else None
        except ValueError as e:
            log.problem("summary.json", None, str(e))
    b = ReviewBuild(
        build_dir=build_dir,
        facts=extracted,
        current_facts=current,
        procedures=read_records(build_dir, "records/procedures.jsonl", Procedure, log),
        blocks=read_records(build_dir, "records/blocks.jsonl", Block, log),
        audit=read_records(build_dir, "records/cleanup_audit.jsonl", CleanupChange, log),
        pages=read_ocr_pages(build_dir, PageOCR, log),
        examples=read_records(build_dir, "dataset/examples.jsonl", Example, log),
        excluded=read_records(build_dir, "dataset/excluded.jsonl", ExcludedExample, log),
        excluded_examples={},
        conflicts=[],
        source_root=source_root,
        log=log,
        notices=notices,
    )
    b.conflicts = _conflicts(extracted, log, notices, build_dir)
    b.excluded_examples = _regenerate_excluded(b)
    return b


def conflict_members(conflicts: list[Conflict]) -> dict[str, str]:
    return {fid: " vs ".join(c.values) for c in conflicts for fid in c.fact_ids}


def build_queue(b: ReviewBuild, cfg: ReviewConfig, decisions: dict[str, Decision],
                include_unflagged: bool = False) -> list[QueueItem]:
    """All flagged items (every fact when ``include_unflagged``), riskiest first, then by key."""
    ctx = RiskContext.build(b.audit, b.pages, cfg.low_confidence, conflict_members(b.conflicts))
    items: list[QueueItem] = []
    seen: set[str] = set()
    for f in b.facts:
        key = fact_key(f)
        if f.derived or key in seen:
            continue  # a conversion follows its printed fact; one item per key
        seen.add(key)
        reasons = fact_reasons(f, ctx)
        if not reasons and not include_unflagged:
            continue
        conf = f.ocr_confidence if f.ocr_confidence is not None else f.source.ocr_confidence
        items.append(QueueItem(
            key=key, kind="fact", reason=reasons[0][0] if reasons else "none",
            reasons=[r for r, _ in reasons], details=[d for _, d in reasons],
            risk=risk_score(reasons, conf, cfg.low_confidence), title=fact_title(f), section=f.section,
            task="SPEC", variant=f.variant, record=f.model_dump(mode="json"), source=_source(f.source),
        ))
    by_id = {f.fact_id: f for f in b.facts}
    for c in b.conflicts:
        members = [by_id[i] for i in c.fact_ids if i in by_id]
        first = members[0] if members else None
        items.append(QueueItem(
            key=conflict_key_of(c), kind="conflict", reason="conflict", reasons=["conflict"],
            details=[" vs ".join(c.values)], risk=REASONS["conflict"][0],
            title=f"{first.component if first else c.key}: {' vs '.join(c.values)}",
            section=first.section if first else None, task="SPEC", variant=first.variant if first else None,
            record=c.model_dump(mode="json"), source=_source(c.sources[0] if c.sources else None),
        ))
    for x in b.excluded:
        ex = b.excluded_examples.get(x.example_id)
        detail = f"{x.reason}: {x.detail}".strip(": ")
        record: dict[str, Any] = {"example_id": x.example_id, "excluded_reason": x.reason, "excluded_detail": x.detail}
        if ex is not None:
            record |= {"example": ex.model_dump(mode="json")}
        items.append(QueueItem(
            key=example_key(ex) if ex is not None else f"example:-:{x.example_id}", kind="example",
            reason="validation_failed", reasons=["validation_failed"], details=[detail],
            risk=REASONS["validation_failed"][0], title=ex.question if ex is not None else f"example {x.example_id}",
            section=ex.section if ex else None, task=ex.task if ex else None, variant=ex.variant if ex else None,
            record=record, source=_source(ex.sources[0] if ex is not None and ex.sources else None),
        ))
    for it in items:
        d = decisions.get(it.key)
        it.status = d.action if d is not None else "pending"
    items.sort(key=lambda i: (-i.risk, i.key))
    return items


def known_keys(b: ReviewBuild) -> set[str]:
    """Every key a decision may name in this build (flagged or not)."""
    keys = {fact_key(f) for f in b.facts if not f.derived} | {conflict_key_of(c) for c in b.conflicts}
    keys |= {example_key(e) for e in b.examples} | {example_key(e) for e in b.excluded_examples.values()}
    keys |= {f"example:-:{x.example_id}" for x in b.excluded if x.example_id not in b.excluded_examples}
    return keys


@dataclass(frozen=True)
class QueueFilter:
    """Filters of the queue page and ``review queue`` (None: any)."""

    reason: str | None = None
    kind: str | None = None
    section: str | None = None
    task: str | None = None
    variant: str | None = None
    status: str | None = None  # pending | reviewed | None

    def keep(self, it: QueueItem) -> bool:
        if self.reason and self.reason not in it.reasons:
            return False
        if self.kind and it.kind != self.kind:
            return False
        if self.section and (it.section or "") != self.section:
            return False
        if self.task and (it.task or "") != self.task:
            return False
        if self.variant and (it.variant or "") != self.variant:
            return False
        if self.status == "pending" and it.status != "pending":
            return False
        return not (self.status == "reviewed" and it.status == "pending")

    def apply(self, items: list[QueueItem]) -> list[QueueItem]:
        return [i for i in items if self.keep(i)]
