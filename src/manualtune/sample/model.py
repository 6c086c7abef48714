"""Building blocks of the sample manual's content (see :mod:`manualtune.sample.content`).

A page is a list of blocks (headings, paragraphs, numbered steps, WARNING/NOTE boxes, ruled
tables, index lists, troubleshooting entries, schematic figures) placed in one or two
columns. The renderer lays the blocks out once; both the picture and the truth file are
produced from that single layout, so the truth cannot drift from what is printed.

A :class:`Fact` names one numeric specification printed inside a block. Its value and unit
are *parsed from the printed text* (``printed``), never typed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- units

#: printed unit -> canonical unit symbol (the SpecFact.unit vocabulary)
UNIT_CANONICAL: dict[str, str] = {
    "Nm": "Nm",
    "mm": "mm",
    "bar": "bar",
    "kPa": "kPa",
    "psi": "psi",
    "l": "l",
    "litres": "l",
    "cm³": "cm³",
    "cc": "cm³",
    "kW": "kW",
    "hp": "hp",
    "bhp": "hp",
    "rpm": "rpm",
    "V": "V",
    "Ω": "Ω",
    "ohms": "Ω",
    "A": "A",
    "°C": "°C",
    "° C": "°C",
    "°": "°",
    "min": "min",
    "s": "s",
    "km": "km",
    "kg": "kg",
    "%": "%",
    "Ah": "Ah",
    "kΩ": "kΩ",
    "km/h": "km/h",
    ": 1": ":1",
}

_VALUE_RE = re.compile(
    r"^(?P<v1>-?\d*\.?\d+)"
    r"(?:\s*(?:-|–|to)\s*(?P<v2>\d*\.?\d+))?"
    r"(?:\s*(?P<tol>(?:\+|±|\+/-)\s*\d*\.?\d+))?"
    r"\s*(?P<unit>.*)$"
)


def _norm_number(s: str) -> str:
    """'.75' -> '0.75' (leading-dot values are normalised like the dev truth)."""
    if s.startswith("-."):
        return "-0" + s[1:]
    return "0" + s if s.startswith(".") else s


@dataclass(frozen=True)
class ParsedValue:
    value: str
    value_max: str | None
    tolerance: str | None
    unit: str
    unit_printed: str


def parse_printed(printed: str, wire: bool = False) -> ParsedValue:
    """Parse a printed value such as ``"0.20 - 0.30 mm"``, ``"60 + 2°"`` or ``"2.5 GN"``.

    ``value`` is the canonical string ("0.20-0.30" for ranges). Wire labels (``wire=True``)
    carry no printed unit (mm² is implied), so their unit is ``""``.
    """
    m = _VALUE_RE.match(printed.strip())
    if not m:
        raise ValueError(f"cannot parse printed value {printed!r}")
    v1 = _norm_number(m["v1"])
    v2 = _norm_number(m["v2"]) if m["v2"] else None
    tol = re.sub(r"\s+", "", m["tol"]) if m["tol"] else None
    unit_printed = m["unit"].strip()
    if wire:
        return ParsedValue(v1, v2, tol, "", "")
    if unit_printed not in UNIT_CANONICAL:
        raise ValueError(f"unknown unit {unit_printed!r} in {printed!r}")
    value = f"{v1}-{v2}" if v2 else v1
    return ParsedValue(value, v2, tol, UNIT_CANONICAL[unit_printed], unit_printed)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Fact:
    """One numeric spec printed in a block.

    ``printed`` is the value and unit exactly as printed (``"45 Nm"``); it must occur in the
    block's text. In table rows it may be left empty: the row's measure and unit cells are
    used. ``alt`` is a printed conversion in brackets (``"33 psi"``), kept as
    ``alt_value``/``alt_unit``, not a separate fact.
    """

    component: str
    quantity: str
    printed: str = ""
    condition: str = ""
    variant: str | None = None
    alt: str | None = None
    stage: int | None = None


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: page title, 2: sub heading


@dataclass(frozen=True)
class Procedure:
    """Start of a repair operation: printed as a bold heading '<op> <title>' (+ optional subtitle)."""

    op: str
    title: str
    subtitle: str = ""
    variant: str | None = None


@dataclass(frozen=True)
class Para:
    text: str
    facts: tuple[Fact, ...] = ()
    bold: bool = False


@dataclass(frozen=True)
class Step:
    number: str
    text: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Box:
    """A framed WARNING / CAUTION / NOTE box."""

    label: str
    text: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # fraction of the table width


@dataclass(frozen=True)
class Row:
    """A table row. ``kind``: data | section (spans the table) | group (variant row)."""

    cells: tuple[str, ...]
    kind: str = "data"
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    measure_col: int | None = None
    unit_col: int | None = None
    header: bool = True
    font: str = "body"


@dataclass(frozen=True)
class IndexEntry:
    op: str
    title: str
    page: str


@dataclass(frozen=True)
class IndexList:
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class Trouble:
    """Symptom -> checks -> remedy."""

    symptom: str
    checks: tuple[str, ...]
    remedy: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Schematic:
    """A simple block diagram: labelled component boxes joined by wires (text inside is
    figure text, excluded from the transcript)."""

    boxes: tuple[str, ...]
    links: tuple[tuple[int, int], ...]
    height: float = 2.2  # inches


@dataclass(frozen=True)
class Gap:
    inches: float = 0.12


Block = Heading | Procedure | Para | Step | Box | Table | IndexList | Trouble | Schematic | Gap


@dataclass(frozen=True)
class Page:
    """One scanned page image of the sample manual."""

    path: str  # relative to the output folder, posix
    kind: str  # spec_table | procedure | index | wiring | troubleshooting | explanation | mixed
    label: str  # printed page label, e.g. "11-19"
    section: str  # printed in the running header, e.g. "11 Engine"
    columns: tuple[tuple[Block, ...], ...]
    top: tuple[Block, ...] = ()  # full-width blocks above the columns
    page_type: str | None = None
    dpi: int = 200
    source_id: str | None = None  # e.g. "CVD11-19.frb 12/03/97" printed top left on 1997 tables
    edition: str = "Corvane 240 Repair Manual"
    body_font: str = "body"
    notes: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)  # extra truth keys (e.g. wiring circuit name)
