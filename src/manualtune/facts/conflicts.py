"""Conflicting specifications: the same thing given different values by different sources.

Two facts compete when their normalised component, quantity, variant and qualifier (the
condition without stage words and workshop instructions) are equal. A conflict is reported
when at least two *sources* (file + page) give different value sets for one key; values on one
page (tightening stages, front/rear) are never a conflict with each other. Nothing is picked:
every competing fact is listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from manualtune.cache import short_id
from manualtune.facts.components import COMPONENT_REVIEW, component_problem, tidy_component_name
from manualtune.facts.units import canonical_unit, convert_exact, normalise_number
from manualtune.records import Conflict, SpecFact

_SYNONYMS = (
    (re.compile(r"\bconrods?\b"), "connecting rod"),
    (re.compile(r"\bscrews?\b"), "bolt"),
    (re.compile(r"\bbolts\b"), "bolt"),
    (re.compile(r"\bbearings\b"), "bearing"),
)
_STAGE = re.compile(
    r"(?i)\b(?:step|stage)\s*\d+\b|\btorque angle\b|\bapplication (?:\(pre\) )?torque\b|\btorque\b|\bangle\b"
)
_INSTRUCTION = re.compile(r"(?i)^(?:replace|do not|don't|wash|oil|use|apply|coat|clean|renew|only|always|never)\b")


_QUANTITY_TAIL = re.compile(r"(?:\s+(?:tightening|torque|angle|specification|spec))+\s*$")


def normalise_component(component: str) -> str:
    """'Connecting rod (conrod) bolts', 'conrod bolts', 'Conrod bolt tightening torque' and
    'new connecting rod bolts in stages.' -> 'connecting rod bolt' (the quantity words at the end,
    'new', manner words and punctuation name no part)."""
    t = tidy_component_name(component).lower()
    t = re.sub(r"\([^)]*\)", " ", t)
    t = re.sub(r"[^a-z0-9 ]+", " ", t)
    for rx, rep in _SYNONYMS:
        t = rx.sub(rep, t)
    t = _QUANTITY_TAIL.sub("", t)
    return re.sub(r"\s+", " ", t).strip()


def qualifier(condition: str | None, variant: str | None) -> str:
    """The part of a condition that tells two specs apart ('hot', 'front', 'M10'), lower-cased."""
    if not condition:
        return ""
    keep: list[str] = []
    for part in re.split(r";\s*", condition):
        p = part.strip()
        if not p or _INSTRUCTION.match(p):
            continue
        if variant and all(v.lower() in p.lower() for v in variant.split("/")) and len(p) <= len(variant) + 2:
            continue
        p = _STAGE.sub(" ", p)
        p = re.sub(r"\s+", " ", p).strip(" ,;:").lower()
        if p:
            keep.append(p)
    return "|".join(sorted(keep))


def conflict_key(f: SpecFact) -> str:
    """normalised component|quantity|variant|qualifier. Stage words leave the qualifier, so a
    staged spec's torque stages ('Stage 1 20 Nm') compete with a single '55 Nm' for the same bolts."""
    return "|".join([normalise_component(f.component), f.quantity, (f.variant or "").lower(),
                     qualifier(f.condition, f.variant)])


def _value_sig(f: SpecFact, unit: str) -> tuple[str, str]:
    def conv(v: str | None) -> str:
        if v is None:
            return ""
        cu = canonical_unit(f.unit)
        out = v if cu == unit else (convert_exact(v, cu, unit) or f"{v}{cu}")
        n = normalise_number(out)
        return str(Decimal(n).normalize()) if n is not None else out
    return conv(f.value), conv(f.value_max)


def find_conflicts(facts: list[SpecFact]) -> list[Conflict]:
    """Conflicts between sources, sorted by key; derived facts and unitless values are ignored."""
    groups: dict[str, list[SpecFact]] = defaultdict(list)
    for f in facts:
        if f.derived or not f.component.strip() or COMPONENT_REVIEW in (f.review_reason or ""):
            continue
        if component_problem(f.component) is not None:
            continue  # 'It', 'tightening torque': no part to compare
        groups[conflict_key(f)].append(f)
    out: list[Conflict] = []
    for key in sorted(groups):
        group = groups[key]
        units = sorted({canonical_unit(f.unit) for f in group})
        unit = units[0]
        per_source: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
        for f in group:
            per_source[(f.source.file, f.source.page)].add(_value_sig(f, unit))
        if len(per_source) < 2 or len({frozenset(v) for v in per_source.values()}) < 2:
            continue
        members = sorted(group, key=lambda f: (f.source.file, f.source.page, f.fact_id))
        out.append(Conflict(
            conflict_id=short_id("conflict", key, [f.fact_id for f in members]),
            key=key,
            fact_ids=[f.fact_id for f in members],
            values=[f"{f.value_printed} {f.unit_printed}".strip().rstrip(".") for f in members],
            sources=[f.source for f in members],
        ))
    return out
