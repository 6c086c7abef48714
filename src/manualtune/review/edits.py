"""Validation of reviewer edits and their effect on a fact.

Editable fields of a fact: ``component``, ``value`` (a number, or a range ``a-b`` / ``a to b``),
``value_max``, ``tolerance``, ``unit`` (must be a unit the facts stage knows or pint parses),
``variant``, ``condition``. The reviewer types the value as printed on the scan; it becomes the
fact's printed form, so validation grounds the new examples on it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from manualtune.facts.units import (
    CANONICAL,
    canonical_unit,
    dimensionality,
    lookup_unit,
    normalise_number,
    unit_registry,
)
from manualtune.records import SpecFact

EDITABLE = ("component", "value", "value_max", "tolerance", "unit", "variant", "condition")
REQUIRED = ("component", "value")
_NUM = r"[-−]?\s*\d*[.,]?\d+"
_RANGE = re.compile(rf"^\s*({_NUM})\s*(?:-|–|—|to|\.\.)\s*({_NUM})\s*$")


class EditError(ValueError):
    """Field -> message for every field that does not validate."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(sorted(errors.items()))
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


def parse_number(text: str) -> str | None:
    """'46' -> '46', '0,25' -> '0.25', '-30' -> '-30'; None when ``text`` is not one number."""
    t = text.strip().replace("−", "-").replace(" ", "")
    sign = "-" if t.startswith("-") else ""
    n = normalise_number(t[1:] if sign else t)
    if n is None:
        return None
    return sign + n if Decimal(n) != 0 else n


def parse_value(text: str) -> tuple[str, str | None] | None:
    """A single number or a range: '0.20-0.30' -> ('0.2', '0.3')-style normalised pair; None if neither."""
    single = parse_number(text)
    if single is not None:
        return single, None
    m = _RANGE.match(text)
    if not m:
        return None
    lo, hi = parse_number(m.group(1)), parse_number(m.group(2))
    if lo is None or hi is None or Decimal(lo) >= Decimal(hi):
        return None
    return lo, hi


def unit_dimensionality(unit: str) -> str | None:
    """pint dimensionality of a printed unit ('Nm' -> '[length] ** 2 * [mass] / [time] ** 2'), None if unknown."""
    info = lookup_unit(unit)
    if info is not None:
        return dimensionality(info.canonical)
    try:
        return str(unit_registry().parse_units(unit.strip()).dimensionality)
    except Exception:  # noqa: BLE001 - pint raises several error types for unknown units
        return None


def unit_ok(unit: str) -> bool:
    """True when the facts stage knows the unit or pint parses it as a unit."""
    return unit_dimensionality(unit) is not None


def quantity_dimensions(quantity: str) -> set[str]:
    """Dimensionalities of the known units of a quantity (empty: any unit goes, e.g. 'other')."""
    if quantity in ("other", "ratio"):
        return set()
    return {dimensionality(c) for c, info in CANONICAL.items() if info.quantity == quantity}


def validate_fields(fields: dict[str, str], fact: SpecFact | None = None, max_len: int = 300) -> dict[str, str]:
    """Cleaned fields (only the editable ones that were given), or :class:`EditError`."""
    errors: dict[str, str] = {}
    out: dict[str, str] = {}
    for name, raw in fields.items():
        if name not in EDITABLE:
            errors[name] = f"not an editable field (editable: {', '.join(EDITABLE)})"
            continue
        value = (raw or "").strip()
        if len(value) > max_len:
            errors[name] = f"longer than {max_len} characters"
            continue
        out[name] = value
    for name in REQUIRED:
        if name in out and not out[name]:
            errors[name] = "must not be empty"
    if out.get("value"):
        parsed = parse_value(out["value"])
        if parsed is None:
            errors["value"] = "must be a number (46, 0.25, -30) or a range (0.20-0.30)"
        elif parsed[1] is not None and out.get("value_max"):
            errors["value_max"] = "give either a range in value or value_max, not both"
    if out.get("value_max"):
        vmax = parse_number(out["value_max"])
        if vmax is None:
            errors["value_max"] = "must be a number"
        elif "value" not in errors and out.get("value"):
            lo = parse_value(out["value"])
            if lo is not None and Decimal(vmax) <= Decimal(lo[0]):
                errors["value_max"] = "must be larger than value"
    if out.get("tolerance") and parse_number(out["tolerance"].lstrip("±+")) is None:
        errors["tolerance"] = "must be a number (0.05 or ±0.05)"
    if "unit" in out:
        if not out["unit"] and not (fact is not None and not fact.unit):
            errors["unit"] = "must not be empty (the fact had a unit)"
        elif out["unit"]:
            dim = unit_dimensionality(out["unit"])
            allowed = quantity_dimensions(fact.quantity) if fact is not None else set()
            if dim is None:
                errors["unit"] = f"unknown unit {out['unit']!r} (e.g. Nm, mm, bar, kPa, l, V, °C)"
            elif allowed and dim not in allowed:
                errors["unit"] = (f"{out['unit']!r} is not a {fact.quantity} unit; reject the fact if its "
                                  "quantity is wrong")
    if errors:
        raise EditError(errors)
    return out


def edited_fact(fact: SpecFact, fields: dict[str, str], note: str) -> SpecFact:
    """``fact`` with validated ``fields`` applied; the fact keeps its id and provenance."""
    upd: dict[str, object] = {"needs_review": False, "review_reason": note}
    for name in ("component", "variant", "condition"):
        if name in fields:
            upd[name] = fields[name] or (None if name != "component" else fact.component)
    if fields.get("value"):
        lo, hi = parse_value(fields["value"]) or (fact.value, None)
        upd["value"], upd["value_max"] = lo, hi
        upd["value_printed"] = fields["value"]
        upd["stages"] = []  # the reviewer's value replaces a staged reading
    if fields.get("value_max"):
        upd["value_max"] = parse_number(fields["value_max"])
        base = fields.get("value") or fact.value_printed
        upd["value_printed"] = f"{base}-{fields['value_max']}"
    if "tolerance" in fields:
        upd["tolerance"] = fields["tolerance"].lstrip("±+") or None
    if "unit" in fields:
        upd["unit"] = canonical_unit(fields["unit"]) if fields["unit"] else ""
        upd["unit_printed"] = fields["unit"]
    return fact.model_copy(update=upd)
