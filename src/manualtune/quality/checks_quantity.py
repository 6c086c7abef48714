"""Question-quantity check of dataset validation: the quantity a question asks for must have the
dimensionality of the unit its facts give."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from manualtune.quality.checks_grounding import _Index
from manualtune.records import Example

#: (name, question words, canonical units whose dimensionality answers it): a question naming the
#: quantity must be answered in one of these dimensionalities (a torque spec may be a torque angle)
QUESTION_QUANTITIES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("torque", re.compile(r"(?i)\btorques?\b|\btighten(?:ed|ing)?\b"), ("Nm", "°")),
    ("angle", re.compile(r"(?i)\bangles?\b"), ("°",)),
    ("pressure", re.compile(r"(?i)\bpressures?\b"), ("bar",)),
    ("length", re.compile(r"(?i)\b(?:clearances?|gap|play|backlash|run-?out|end ?float|thickness|diameter|"
                          r"length|width|height|depth|distance|lash|stroke|bore)\b"), ("mm",)),
    ("power", re.compile(r"(?i)\bpower\b|\bwattage\b"), ("kW",)),
    ("speed", re.compile(r"(?i)\bspeeds?\b|\brevs\b"), ("rpm", "km/h")),
    ("voltage", re.compile(r"(?i)\bvoltages?\b"), ("V",)),
    ("current", re.compile(r"(?i)\bcurrents?\b|\bamperage\b"), ("A",)),
    ("resistance", re.compile(r"(?i)\bresistances?\b"), ("Ω",)),
    ("volume", re.compile(r"(?i)\b(?:capacity|capacities|volume)\b"), ("l",)),
    ("temperature", re.compile(r"(?i)\btemperatures?\b"), ("°C",)),
    ("time", re.compile(r"(?i)\b(?:duration|how long)\b"), ("s",)),
    ("mass", re.compile(r"(?i)\b(?:weight|mass)\b"), ("kg",)),
)


@lru_cache(maxsize=256)
def _dimensionality(unit: str) -> frozenset | None:
    from manualtune.facts.units import lookup_unit, unit_registry

    info = lookup_unit(unit)
    if info is None:
        return None
    try:
        return frozenset(dict(unit_registry().Quantity(1, info.pint_expr).dimensionality).items())
    except Exception:  # noqa: BLE001 - a unit pint can not read is not compared
        return None


def question_quantities(question: str, ignore: Sequence[str] = ()) -> list[str]:
    """Names of the quantities ``question`` asks for; words inside ``ignore`` (the fact's component,
    condition, variant) do not count ('torque of the oil pressure switch' asks a torque only)."""
    q = question
    for phrase in sorted({i for i in ignore if i and i.strip()}, key=len, reverse=True):
        q = re.sub(re.escape(phrase.strip()), " ", q, flags=re.IGNORECASE)
    return [name for name, rx, _ in QUESTION_QUANTITIES if rx.search(q)]


#: the qualifiers a SPEC question ends with, in brackets before its '?'
_QUALIFIERS = re.compile(r"\s*\([^()]*\)\?\s*$")


def quantity_mismatch(example: Example, index: _Index) -> str | None:
    """Why the question asks for another quantity than the answer gives (detail), or None."""
    facts = [index.facts[fid] for fid in example.fact_ids if fid in index.facts]
    facts = [f for f in facts if not f.derived] or facts
    units = {f.unit for f in facts if f.unit} | {s.unit for f in facts for s in f.stages if s.unit}
    given = {d for u in units if (d := _dimensionality(u)) is not None}
    if not given:
        return None
    ignore = [x for f in facts for x in (f.component, f.condition or "", f.variant or "")]
    # the qualifiers in the closing brackets (section, job, condition: '(checking alternator and voltage
    # regulator)') say which part is meant, never the quantity asked
    asked = _QUALIFIERS.sub("?", example.question)
    for name in question_quantities(asked, ignore):
        allowed = next(units_ for n, _, units_ in QUESTION_QUANTITIES if n == name)
        want = {d for u in allowed if (d := _dimensionality(u)) is not None}
        if not (given & want):
            return f"{name} asked, {'/'.join(sorted(units))} answered"
    return None
