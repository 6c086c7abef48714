"""Why a record is in the review queue, and how risky it is.

Each reason is one row of :data:`REASONS` (weight, what it means); a record's risk is the sum of its
reasons' weights, plus up to 20 for how far its OCR confidence is below the threshold. Detectors:

``conflict``               two sources give different values for one component/quantity/variant
``cleanup_changed_value``  an OCR cleanup rule changed the value of a number inside the fact's box
``ocr_second_opinion``     a second OCR engine changed a reading inside the box (``PageOCR.notes``)
``needs_review``           the facts stage kept the fact but asked for review
``low_confidence``         OCR confidence below ``review.low_confidence``
``in_conflict``            the fact is one side of a conflict
``unit_oddity``            unit unknown, missing, printed differently, or not the fact's quantity
``validation_failed``      an example excluded by dataset validation
``cleanup_touched_number`` a formatting-only cleanup edit inside the fact's box ('45Nm' -> '45 Nm')
``extraction_note``        the extractor repaired something and said so (``review_reason``)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from manualtune.records import BBox, CleanupChange, PageOCR, SpecFact

REASONS: dict[str, tuple[float, str]] = {
    "conflict": (100.0, "two sources give different values"),
    "cleanup_changed_value": (80.0, "an OCR cleanup rule changed a number's value"),
    "ocr_second_opinion": (70.0, "a second OCR engine changed a reading"),
    "needs_review": (60.0, "the facts stage asked for review"),
    "low_confidence": (50.0, "low OCR confidence"),
    "in_conflict": (35.0, "one side of a conflict"),
    "unit_oddity": (40.0, "unit unknown, missing or unexpected"),
    "validation_failed": (30.0, "excluded by dataset validation"),
    "cleanup_touched_number": (15.0, "a cleanup rule reformatted a number"),
    "extraction_note": (10.0, "the extractor noted a repair"),
}

# quantities whose facts may carry a unit of another quantity family
_QUANTITY_ALIASES: dict[str, set[str]] = {
    "clearance": {"length"},
    "length": {"clearance"},
    "wire": {"length", "wire"},
}
_UNITLESS_OK = {"ratio", "other", "wire"}
_NOTE_BOX = re.compile(r"\((\d+),(\d+),(\d+),(\d+)\)")
# OCR notes that never concern a fact's value (a step number put back in the margin)
_NOTE_IGNORED = ("step number",)


def overlaps(a: BBox | None, b: BBox | None) -> bool:
    if a is None or b is None:
        return False
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def note_boxes(page: PageOCR) -> list[tuple[BBox, str]]:
    """Boxes named in a page's OCR repair notes ("… at (957,203,979,224): …")."""
    out = []
    for note in page.notes:
        m = _NOTE_BOX.search(note)
        if m and not note.startswith(_NOTE_IGNORED):
            x0, y0, x1, y1 = (int(g) for g in m.groups())
            out.append((BBox(x0=x0, y0=y0, x1=x1, y1=y1), note))
    return out


@dataclass
class RiskContext:
    """Per-page evidence the detectors look at."""

    low_confidence: float = 80.0
    audit: dict[str, list[CleanupChange]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[str, list[tuple[BBox, str]]] = field(default_factory=lambda: defaultdict(list))
    in_conflict: dict[str, str] = field(default_factory=dict)  # fact_id -> conflict values

    @classmethod
    def build(cls, audit: list[CleanupChange], pages: list[PageOCR], low_confidence: float,
              conflict_members: dict[str, str] | None = None) -> RiskContext:
        ctx = cls(low_confidence=low_confidence, in_conflict=dict(conflict_members or {}))
        for ch in audit:
            ctx.audit[ch.page_id].append(ch)
        for p in pages:
            ctx.notes[p.page_id].extend(note_boxes(p))
        return ctx


def unit_problem(fact: SpecFact) -> str | None:
    """Why a fact's unit looks wrong, or None."""
    from manualtune.facts.units import canonical_unit, lookup_unit
    from manualtune.review.edits import unit_ok

    if not fact.unit:
        return None if fact.quantity in _UNITLESS_OK else f"no unit for a {fact.quantity} value"
    if not unit_ok(fact.unit):
        return f"unit {fact.unit!r} is not a known unit"
    if fact.unit_printed and canonical_unit(fact.unit_printed) != fact.unit:
        return f"printed {fact.unit_printed!r} but stored as {fact.unit!r}"
    info = lookup_unit(fact.unit)
    if info is not None and fact.quantity not in ("other", "ratio"):
        allowed = {fact.quantity} | _QUANTITY_ALIASES.get(fact.quantity, set())
        if info.quantity not in allowed:
            return f"unit {fact.unit!r} measures {info.quantity}, fact says {fact.quantity}"
    return None


def fact_reasons(fact: SpecFact, ctx: RiskContext) -> list[tuple[str, str]]:
    """(reason, detail) pairs for one fact, in :data:`REASONS` order."""
    found: dict[str, str] = {}
    pid = fact.source.page_id or ""
    box = fact.source.bbox
    for ch in ctx.audit.get(pid, []):
        if overlaps(ch.bbox, box):
            name = "cleanup_changed_value" if ch.changes_value else "cleanup_touched_number"
            found.setdefault(name, f"{ch.rule}: {ch.before!r} -> {ch.after!r} ({ch.evidence or 'no evidence'})")
    for nbox, note in ctx.notes.get(pid, []):
        if overlaps(nbox, box):
            found.setdefault("ocr_second_opinion", note)
    if fact.needs_review:
        found["needs_review"] = fact.review_reason or "needs review"
    elif fact.review_reason:
        found["extraction_note"] = fact.review_reason
    conf = fact.ocr_confidence if fact.ocr_confidence is not None else fact.source.ocr_confidence
    if conf is not None and conf < ctx.low_confidence:
        found["low_confidence"] = f"OCR confidence {conf:g} < {ctx.low_confidence:g}"
    if fact.fact_id in ctx.in_conflict:
        found["in_conflict"] = ctx.in_conflict[fact.fact_id]
    problem = unit_problem(fact)
    if problem:
        found["unit_oddity"] = problem
    return [(r, found[r]) for r in REASONS if r in found]


def risk_score(reasons: list[tuple[str, str]], confidence: float | None = None, threshold: float = 80.0) -> float:
    score = sum(REASONS[r][0] for r, _ in reasons)
    if confidence is not None and confidence < threshold and threshold > 0:
        score += 20.0 * (threshold - confidence) / threshold
    return round(score, 2)
