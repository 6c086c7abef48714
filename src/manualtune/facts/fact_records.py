""":class:`SpecFact` records from parsed values: ids, provenance and review reasons.

Rules: the fact id hashes page + component + value (or range) + unit + condition + variant; a
value with unverified OCR digits, a value whose operator the OCR lost, or a source confidence
below ``review_below_conf`` needs review; certain OCR fixes are kept as audit notes only.
"""

from __future__ import annotations

from manualtune.cache import short_id
from manualtune.facts.config import FactsConfig
from manualtune.facts.glyphs import implausible_value, unit_against_label
from manualtune.facts.grammar import ParsedValue, _quantity
from manualtune.records import Block, Provenance, SpecFact


def _fact_id(page_id: str, component: str, value: str, unit: str, condition: str | None, variant: str | None) -> str:
    return short_id(page_id, component, value, unit, condition, variant)


def _join(*parts: str | None) -> str | None:
    out = [p.strip() for p in parts if p and p.strip()]
    seen: list[str] = []
    for p in out:
        if p.lower() not in (s.lower() for s in seen):
            seen.append(p)
    return "; ".join(seen) if seen else None


def _make_fact(
    pv: ParsedValue, *, block: Block, component: str, condition: str | None, variant: str | None,
    section: str | None, text: str, bbox, conf: float | None, cfg: FactsConfig, unit_printed: str | None = None,
    review: list[str] | None = None, notes: list[str] | None = None,
) -> SpecFact:
    """``review``: reasons that make the fact need review; ``notes``: audit notes of OCR fixes
    that were certain enough to keep the fact (written to ``review_reason`` only)."""
    page_id = block.page_id
    reasons: list[str] = list(review or [])
    if pv.suspect:
        reasons.append(f"unverified OCR digits {pv.suspect!r}")
    if pv.review:
        reasons.append(pv.review)
    lost_point = implausible_value(pv.value, pv.value_max, pv.unit)
    if lost_point:
        reasons.append(lost_point)
    conflict = unit_against_label(pv.unit, f"{component} {condition or ''}") if pv.quantity != "wire" else None
    if conflict:
        reasons.append(conflict)
    if conf is not None and conf < cfg.review_below_conf:
        reasons.append(f"low OCR confidence {conf:.0f}")
    source = Provenance(
        file=block.source.file, page=block.source.page, bbox=bbox if bbox is not None else block.source.bbox,
        ocr_confidence=conf if conf is not None else block.source.ocr_confidence, page_id=page_id,
    )
    return SpecFact(
        fact_id=_fact_id(page_id, component, pv.value if pv.value_max is None else f"{pv.value}-{pv.value_max}",
                         pv.unit, condition, variant),
        component=component,
        quantity=pv.quantity if pv.quantity == "wire" else _quantity(pv.unit, f"{component} {condition or ''}"),
        value=pv.value,
        value_max=pv.value_max,
        tolerance=pv.tolerance,
        unit=pv.unit,
        value_printed=pv.value_printed,
        unit_printed=unit_printed if unit_printed is not None else pv.unit_printed,
        condition=condition,
        alt_value=pv.alt_value,
        alt_unit=pv.alt_unit,
        variant=variant,
        stages=pv.stages,
        section=section,
        repair_code=block.repair_code,
        text=text,
        source=source,
        ocr_confidence=conf if conf is not None else block.source.ocr_confidence,
        needs_review=bool(reasons),
        review_reason="; ".join([*reasons, *(notes or [])]) or None,
        block_id=block.block_id,
    )


