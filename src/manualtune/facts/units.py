"""Units of printed specifications: printed form -> canonical symbol, quantity and pint unit.

The rule that keeps ``mm`` and ``Nm`` apart: a unit is read exactly as printed (case-sensitive
where case matters) and only ever normalised to a canonical symbol of the *same* pint
dimensionality; :data:`UNITS` is checked against that rule when the module loads.
Conversions are offered only for pairs whose factor is exact by definition (bar <-> kPa, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pint

from manualtune.records import Quantity


@lru_cache(maxsize=1)
def unit_registry() -> pint.UnitRegistry:
    """A pint registry with the workshop-manual units pint does not spell by default."""
    ureg = pint.UnitRegistry()
    for line in (
        "Nm = newton * meter",
        "cc = centimeter ** 3",
        "ccm = centimeter ** 3",
        "ltr = liter",
        "BHP = horsepower",
        "PS = metric_horsepower",
        "AMP = ampere",
        "ft_lbf = foot * force_pound",
    ):
        ureg.define(line)
    return ureg


@dataclass(frozen=True)
class UnitInfo:
    """One known unit: canonical symbol, pint expression, quantity and whether it is imperial."""

    canonical: str
    pint_expr: str
    quantity: Quantity
    imperial: bool = False


# canonical symbol -> info
CANONICAL: dict[str, UnitInfo] = {
    "Nm": UnitInfo("Nm", "newton * meter", "torque"),
    "ft·lbf": UnitInfo("ft·lbf", "foot * force_pound", "torque", imperial=True),
    "in·lbf": UnitInfo("in·lbf", "inch * force_pound", "torque", imperial=True),
    "mm": UnitInfo("mm", "millimeter", "length"),
    "cm": UnitInfo("cm", "centimeter", "length"),
    "km": UnitInfo("km", "kilometer", "length"),
    "mi": UnitInfo("mi", "mile", "length", imperial=True),
    "in": UnitInfo("in", "inch", "length", imperial=True),
    "mm²": UnitInfo("mm²", "millimeter ** 2", "wire"),
    "bar": UnitInfo("bar", "bar", "pressure"),
    "mbar": UnitInfo("mbar", "millibar", "pressure"),
    "kPa": UnitInfo("kPa", "kilopascal", "pressure"),
    "MPa": UnitInfo("MPa", "megapascal", "pressure"),
    "psi": UnitInfo("psi", "psi", "pressure", imperial=True),
    "cm³": UnitInfo("cm³", "centimeter ** 3", "volume"),
    "l": UnitInfo("l", "liter", "volume"),
    "cm³/min": UnitInfo("cm³/min", "centimeter ** 3 / minute", "other"),
    "g/min": UnitInfo("g/min", "gram / minute", "other"),
    "l/100 km": UnitInfo("l/100 km", "liter / kilometer", "other"),
    "kW": UnitInfo("kW", "kilowatt", "power"),
    "W": UnitInfo("W", "watt", "power"),
    "hp": UnitInfo("hp", "horsepower", "power", imperial=True),
    "PS": UnitInfo("PS", "metric_horsepower", "power"),
    "rpm": UnitInfo("rpm", "revolution / minute", "speed"),
    "km/h": UnitInfo("km/h", "kilometer / hour", "speed"),
    "mph": UnitInfo("mph", "mile / hour", "speed", imperial=True),
    "V": UnitInfo("V", "volt", "voltage"),
    "Ω": UnitInfo("Ω", "ohm", "resistance"),
    "kΩ": UnitInfo("kΩ", "kiloohm", "resistance"),
    "A": UnitInfo("A", "ampere", "current"),
    "mA": UnitInfo("mA", "milliampere", "current"),
    "mV": UnitInfo("mV", "millivolt", "voltage"),
    "Ah": UnitInfo("Ah", "ampere * hour", "other"),
    "°C": UnitInfo("°C", "degC", "temperature"),
    "°F": UnitInfo("°F", "degF", "temperature", imperial=True),
    "°": UnitInfo("°", "degree", "angle"),
    "turn": UnitInfo("turn", "turn", "angle"),
    "s": UnitInfo("s", "second", "time"),
    "ms": UnitInfo("ms", "millisecond", "time"),
    "min": UnitInfo("min", "minute", "time"),
    "h": UnitInfo("h", "hour", "time"),
    "kg": UnitInfo("kg", "kilogram", "mass"),
    "g": UnitInfo("g", "gram", "mass"),
    "lb": UnitInfo("lb", "pound", "mass", imperial=True),
    "%": UnitInfo("%", "percent", "ratio"),
}

# printed spelling -> canonical symbol. Matching is exact (case-sensitive); a trailing '.' is
# tolerated. Entries in ``_CASELESS`` also match in any letter case (safe words only: never
# 'mm', 'Nm', 'l', 's', 'A', 'V', 'g', 'h').
PRINTED: dict[str, str] = {
    "Nm": "Nm", "N·m": "Nm", "N.m": "Nm", "N-m": "Nm", "N m": "Nm",
    "ft. lbs": "ft·lbf", "ft lbs": "ft·lbf", "ft.lbs": "ft·lbf", "ft-lb": "ft·lbf", "ft-lbs": "ft·lbf",
    "ft. lb": "ft·lbf", "ft lb": "ft·lbf", "lb-ft": "ft·lbf", "lbf ft": "ft·lbf", "ft.-lbs": "ft·lbf",
    "in. lbs": "in·lbf", "in-lb": "in·lbf", "in-lbs": "in·lbf",
    "mm": "mm", "cm": "cm", "km": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km",
    "kilometres": "km", "mile": "mi", "miles": "mi", "Mile": "mi", "Miles": "mi",
    "in.": "in", "inch": "in", "inches": "in",
    "mm²": "mm²", "mm2": "mm²", "sq mm": "mm²",
    "bar": "bar", "mbar": "mbar", "mBar": "mbar", "kPa": "kPa", "MPa": "MPa", "psi": "psi",
    "cc": "cm³", "ccm": "cm³", "cm³": "cm³", "cm3": "cm³",
    "l": "l", "L": "l", "ltr": "l", "litre": "l", "litres": "l", "liter": "l", "liters": "l",
    "cc/min": "cm³/min", "cm³/min": "cm³/min", "g/min": "g/min",
    "litres/100 km": "l/100 km", "l/100 km": "l/100 km", "l/100km": "l/100 km",
    "kW": "kW", "KW": "kW", "W": "W", "hp": "hp", "bhp": "hp", "PS": "PS",
    "rpm": "rpm", "min-1": "rpm", "min⁻¹": "rpm", "1/min": "rpm", "U/min": "rpm", "giri/min": "rpm",
    "km/h": "km/h", "kph": "km/h", "mph": "mph",
    "V": "V", "volt": "V", "volts": "V", "mV": "mV",
    "Ω": "Ω", "ohm": "Ω", "ohms": "Ω", "kΩ": "kΩ", "kOhm": "kΩ", "kohm": "kΩ",
    "A": "A", "amp": "A", "amps": "A", "mA": "mA", "Ah": "Ah",
    "°C": "°C", "° C": "°C", "ºC": "°C", "º C": "°C", "deg C": "°C",
    "°F": "°F", "° F": "°F", "ºF": "°F",
    "°": "°", "º": "°", "deg": "°",
    "turn": "turn", "turns": "turn",
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "ms": "ms", "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "kg": "kg", "g": "g", "gr": "g", "gram": "g", "grams": "g", "lb": "lb", "lbs": "lb",
    "%": "%", "Vol.%": "%", "Vol,%": "%", "Vol.-%": "%",  # 'Vol.% CO': percent by volume (Bosch tables)
}
_CASELESS = {
    "bar", "mbar", "psi", "cc", "ccm", "ltr", "litre", "litres", "liter", "liters", "rpm", "bhp",
    "hp", "ohm", "ohms", "amp", "amps", "volt", "volts", "sec", "secs", "seconds", "mph", "km/h",
    "mile", "miles", "kilometer", "kilometers", "kilometre", "kilometres", "minutes", "kpa", "turn", "turns", "cc/min", "ft. lbs", "ft lbs", "ft. lb", "ft lb", "ft-lb",
}
_LOWER: dict[str, str] = {k.lower(): v for k, v in PRINTED.items() if k.lower() in _CASELESS}

# Exact-by-definition conversions the facts stage may derive (from, to).
EXACT_CONVERSIONS: frozenset[tuple[str, str]] = frozenset(
    {("bar", "kPa"), ("kPa", "bar"), ("mbar", "kPa"), ("MPa", "kPa"), ("l", "cm³"), ("cm³", "l"),
     ("cm", "mm"), ("kΩ", "Ω"), ("mA", "A")}
)


def dimensionality(canonical: str) -> str:
    """pint dimensionality of a canonical unit, as a string ('[length]', …)."""
    ureg = unit_registry()
    return str(ureg.Quantity(1, CANONICAL[canonical].pint_expr).dimensionality)


def _check_table() -> None:
    """Every printed spelling must map to a known canonical symbol; 'mm'/'Nm' never collide."""
    for printed, canon in PRINTED.items():
        if canon not in CANONICAL:
            raise ValueError(f"unit table: {printed!r} -> unknown canonical {canon!r}")
    if dimensionality("mm") == dimensionality("Nm"):
        raise ValueError("unit table: mm and Nm must differ in dimensionality")


_check_table()


def lookup_unit(printed: str) -> UnitInfo | None:
    """Canonical info for a printed unit (as printed, whitespace-collapsed), or None if unknown."""
    text = re.sub(r"\s+", " ", printed.strip())
    if not text:
        return None
    for cand in (text, text.rstrip(".").strip()):
        if cand in PRINTED:
            return CANONICAL[PRINTED[cand]]
        if cand.lower() in _LOWER:
            return CANONICAL[_LOWER[cand.lower()]]
    return None


def canonical_unit(printed: str) -> str:
    """Canonical symbol of a printed unit; unknown units are returned as printed (stripped)."""
    info = lookup_unit(printed)
    return info.canonical if info else printed.strip()


def same_dimensionality(unit_a: str, unit_b: str) -> bool:
    """True when both (printed or canonical) units are known and have the same dimensionality."""
    a, b = lookup_unit(unit_a), lookup_unit(unit_b)
    if a is None or b is None:
        return False
    return dimensionality(a.canonical) == dimensionality(b.canonical)


def normalise_number(text: str) -> str | None:
    """'.75' -> '0.75', '0,25' -> '0.25', '10.' -> '10', '055' -> '55', '1 1/2' / '1 and 1/2' -> '1.5'
    (halves, quarters, eighths and sixteenths only: exact decimals); None if not a number."""
    frac = re.fullmatch(r"(?:(\d+)\s+(?:and\s+)?)?(\d+)/(2|4|8|16)", text.strip())
    if frac:
        whole = Decimal(frac.group(1) or 0) + Decimal(frac.group(2)) / Decimal(frac.group(3))
        return normalise_number(format(whole.normalize(), "f"))
    t = text.strip().replace(",", ".")
    if t.endswith("."):
        t = t[:-1]
    if not re.fullmatch(r"\d*\.?\d+", t):
        return None
    if t.startswith("."):
        t = "0" + t
    intpart, _, frac = t.partition(".")
    intpart = intpart.lstrip("0") or "0"
    return f"{intpart}.{frac}" if frac else intpart


def numbers_equal(a: str, b: str) -> bool:
    """Numeric equality of two printed numbers ('55' == '55.0', '.75' == '0.75')."""
    na, nb = normalise_number(a), normalise_number(b)
    if na is None or nb is None:
        return False
    return Decimal(na) == Decimal(nb)


def convert_exact(value: str, from_unit: str, to_unit: str) -> str | None:
    """Convert a printed number between two canonical units when the factor is exact, else None.

    The factor comes from pint and is applied in decimal arithmetic, so '2.5' bar -> '250' kPa.
    """
    if (from_unit, to_unit) not in EXACT_CONVERSIONS:
        return None
    num = normalise_number(value)
    if num is None:
        return None
    ureg = unit_registry()
    try:
        factor = ureg.Quantity(1, CANONICAL[from_unit].pint_expr).to(CANONICAL[to_unit].pint_expr).magnitude
        out = Decimal(num) * Decimal(f"{float(factor):.12g}")  # exact factors: float noise removed
    except (pint.errors.PintError, InvalidOperation, KeyError):
        return None
    out = out.normalize()
    text = format(out, "f")
    return normalise_number(text) or text
