"""Grounding checks of dataset validation: every number of an answer must be a number of its
source records (facts, blocks, procedure), or an exact conversion of a derived fact's source."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from manualtune.generate.text import number_key, number_keys
from manualtune.records import Block, Example, Procedure, SpecFact


class _Index:
    """Records by id, and the grounding numbers of each referenced record (cached)."""

    def __init__(self, facts: Sequence[SpecFact], procedures: Sequence[Procedure], blocks: Sequence[Block]):
        self.facts = {f.fact_id: f for f in facts}
        self.procedures = {p.procedure_id: p for p in procedures}
        self.blocks = {b.block_id: b for b in blocks}
        self._cache: dict[str, frozenset[str]] = {}

    def fact_numbers(self, fid: str) -> frozenset[str]:
        key = "f:" + fid
        if key not in self._cache:
            f = self.facts[fid]
            texts = [f.value, f.value_max or "", f.tolerance or "", f.value_printed, f.text, f.condition or "",
                     f.component, f.variant or ""]
            for s in f.stages:
                texts += [str(s.stage), s.value, s.value_max or ""]
            keys = set().union(*(number_keys(t) for t in texts))
            for v in (f.value, f.value_max):
                k = number_key(v) if v else None
                if k:
                    keys.add(k)
            self._cache[key] = frozenset(keys)
        return self._cache[key]

    def block_numbers(self, bid: str) -> frozenset[str]:
        key = "b:" + bid
        if key not in self._cache:
            b = self.blocks[bid]
            texts = [b.text, b.section or "", *b.meta.values()]
            texts += [c.text for r in b.rows for c in r.cells]
            self._cache[key] = frozenset(set().union(*(number_keys(t) for t in texts)))
        return self._cache[key]

    def procedure_numbers(self, pid: str) -> frozenset[str]:
        key = "p:" + pid
        if key not in self._cache:
            p = self.procedures[pid]
            texts = [p.title, p.repair_code or "", p.variant or "", *p.warnings, *p.notes]
            fids: list[str] = []
            for s in p.steps:
                texts += [s.text, s.number or "", *s.warnings, *s.notes, *s.special_tools]
                fids += s.fact_ids
            keys = set().union(*(number_keys(t) for t in texts))
            for fid in fids:
                if fid in self.facts:
                    keys |= self.fact_numbers(fid)
            self._cache[key] = frozenset(keys)
        return self._cache[key]


def grounding_numbers(example: Example, index: _Index) -> tuple[set[str], list[SpecFact], bool]:
    """(number keys of the example's source records, its derived facts, whether any source resolved)."""
    keys: set[str] = set()
    derived: list[SpecFact] = []
    found = False
    for fid in example.fact_ids:
        f = index.facts.get(fid)
        if f is None:
            continue
        found = True
        keys |= index.fact_numbers(fid)
        if f.derived:
            derived.append(f)
            if f.derived_from and f.derived_from in index.facts:
                keys |= index.fact_numbers(f.derived_from)
    for bid in example.block_ids:
        if bid in index.blocks:
            found = True
            keys |= index.block_numbers(bid)
    if example.procedure_id and example.procedure_id in index.procedures:
        found = True
        keys |= index.procedure_numbers(example.procedure_id)
    return keys, derived, found


_PINT_UNITS: dict[str, str] = {
    "Nm": "newton * meter", "ft·lbf": "foot * force_pound", "in·lbf": "inch * force_pound",
    "ft-lb": "foot * force_pound", "lb-ft": "foot * force_pound", "ft. lbs.": "foot * force_pound",
    "mm": "millimeter", "cm": "centimeter", "m": "meter", "km": "kilometer", "in": "inch", "mi": "mile",
    "bar": "bar", "mbar": "millibar", "kPa": "kilopascal", "MPa": "megapascal", "psi": "psi",
    "cm³": "centimeter ** 3", "l": "liter", "kW": "kilowatt", "W": "watt", "hp": "horsepower",
    "PS": "metric_horsepower", "rpm": "revolution / minute", "km/h": "kilometer / hour", "mph": "mile / hour",
    "kg": "kilogram", "g": "gram", "lb": "pound", "V": "volt", "A": "ampere", "mA": "milliampere",
    "Ω": "ohm", "kΩ": "kiloohm", "°C": "degC", "°F": "degF",
}


@lru_cache(maxsize=1)
def _ureg() -> Any:
    import pint

    return pint.UnitRegistry()


def _converted(value: str, from_unit: str, to_unit: str) -> float | None:
    if from_unit not in _PINT_UNITS or to_unit not in _PINT_UNITS:
        return None
    try:
        ureg = _ureg()
        q = ureg.Quantity(float(Decimal(value)), ureg(_PINT_UNITS[from_unit]).units)
        return float(q.to(ureg(_PINT_UNITS[to_unit]).units).magnitude)
    except Exception:  # noqa: BLE001 - unknown or incompatible units simply do not ground
        return None


def _is_exact_conversion(number: str, derived: Sequence[SpecFact], index: _Index) -> bool:
    """``number`` equals a derived fact's source value converted to the derived unit (printed decimals)."""
    try:
        n = Decimal(number)
    except InvalidOperation:
        return False
    decimals = max(0, -n.as_tuple().exponent) if isinstance(n.as_tuple().exponent, int) else 0
    for g in derived:
        src = index.facts.get(g.derived_from or "")
        if src is None:
            continue
        for v in (src.value, src.value_max):
            if not v:
                continue
            conv = _converted(v, src.unit, g.unit)
            if conv is not None and abs(conv - float(n)) <= 0.5 * 10 ** (-decimals) + 1e-9:
                return True
    return False
