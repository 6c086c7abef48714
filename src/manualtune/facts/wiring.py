"""Wire labels: ".75 GN/WT", "2.5 BK" in diagrams, and wire lists ("Wire | From | To").

Rules (``RULES``):

- ``wire_label``: a cross-section followed by a colour code (BK, GN/WT, ...; German codes too);
- ``wire_header``: a table whose first header cell says wire / cable / lead is a wire list;
- ``wire_cell``: a wire list row's first cell holds exactly one wire label;
- a wire size must be a standard cross-section (``FactsConfig.wire_sizes``), at most 50 mm²
  ("75 BU" is ".75 BU" with the dot lost: skipped, never guessed);
- the same label printed on several wires of a page becomes "label 2", "label 3", ...
- a table the layout built on a wiring page from labels printed side by side ("FUSE 28 | FUSE 21"
  over "30 AMP | 7.5 AMP", ".5 VI/GY | .75 VI/GN") is no spec table: :func:`diagram_table_columns`
  turns each of its columns into one diagram-label text (top to bottom), read by the text rules;
  such a column gives wire labels and a fuse rating under one ``fuse_name`` (named "FUSE 28"), nothing
  else (a value whose part is another column's is never guessed).
"""

from __future__ import annotations

import re
from decimal import Decimal

from manualtune.facts.config import FactsConfig
from manualtune.facts.fact_records import _fact_id, _make_fact
from manualtune.facts.grammar import _NUM, _NUM_GUARD, ParsedValue
from manualtune.facts.units import normalise_number
from manualtune.records import Block, SpecFact

_WIRE_RE = re.compile(
    rf"{_NUM_GUARD}(?P<v1>{_NUM})\s*(?P<col>(?:BK|BR|RD|GN|BU|BL|YL|YE|WT|WH|GY|GR|VI|VT|OR|PK|LT|SW|RT|GE|WS)"
    r"(?:/(?:BK|BR|RD|GN|BU|BL|YL|YE|WT|WH|GY|GR|VI|VT|OR|PK|LT|SW|RT|GE|WS))?)(?![A-Za-z])"
)


_MAX_WIRE_SIZE = Decimal(50)  # mm²: larger wire-label numbers are OCR slips


_WIRE_HEADER = re.compile(r"(?i)^\s*(?:wire|cable|lead|leitung)\b")
_WIRE_CELL = re.compile(rf"^\s*{_WIRE_RE.pattern}\s*$")


def wire_table_facts(block: Block, cfg: FactsConfig) -> list[SpecFact] | None:
    """Facts of a wire list ("Wire | From | To", rows "2.5 GN | ignition switch 15 | fuse F7");
    None when the table is not one.

    A row's wire label must fill its first cell and be a standard cross-section
    (``cfg.wire_sizes``), else the row is skipped ("15 BU" is ".75 BU" misread). The component
    names both ends: "wire ignition switch 15 -> fuse F7".
    """
    rows = [r for r in block.rows if any(c.text.strip() for c in r.cells)]
    if not rows:
        return None
    first = sorted(rows[0].cells, key=lambda c: c.col)
    labelled = sum(1 for r in rows if r.cells and _WIRE_CELL.match(sorted(r.cells, key=lambda c: c.col)[0].text))
    if not (first and _WIRE_HEADER.match(first[0].text)) and labelled * 2 < len(rows):
        return None
    sizes = {Decimal(x) for x in cfg.wire_sizes}
    facts: list[SpecFact] = []
    for row in rows:
        cells = sorted(row.cells, key=lambda c: c.col)
        m = _WIRE_CELL.match(cells[0].text) if cells else None
        if row.is_header or m is None:
            continue
        num = normalise_number(m.group("v1"))
        if num is None or Decimal(num) not in sizes:
            continue
        ends = [re.sub(r"\s+", " ", re.sub(r"[^\w+\-/ .]", " ", c.text)).strip(" .") for c in cells[1:]]
        ends = [e for e in ends if e]
        component = "wire " + " -> ".join(ends) if ends else "wire"
        pv = ParsedValue(value=num, unit="", unit_printed="", value_printed=m.group("v1"), quantity="wire",
                         condition=f"wire colour {m.group('col')}")
        row_text = " ".join(c.text for c in cells).strip()
        facts.append(_make_fact(
            pv, block=block, component=component, condition=pv.condition, variant=None, section=row.section or
            block.section, text=row_text, bbox=row.bbox, conf=cells[0].conf, cfg=cfg,
        ))
    return facts


def is_diagram_table(block: Block) -> bool:
    """A table the layout built from labels printed side by side on a wiring diagram: an unruled table
    of a wiring page whose first row is no wire-list header ('Wire | From | To')."""
    if block.kind != "table" or block.meta.get("page_kind") != "wiring" or block.meta.get("ruled") != "false":
        return False
    first = sorted(block.rows[0].cells, key=lambda c: c.col) if block.rows else []
    return bool(first) and not _WIRE_HEADER.match(first[0].text)


#: a fuse name in a diagram label ('FUSE 28', 'Fuse 7')
_FUSE_NAME = re.compile(r"(?i)\bfuse\s+(?P<n>\d{1,2})\b")


def diagram_label_fact(fact: SpecFact, column_text: str) -> SpecFact | None:
    """What a diagram-table column may give: wire labels, and a current under a fuse name ('FUSE 28' over
    '30 AMP'), named 'FUSE 28'; None for anything else (a value without its part)."""
    if fact.quantity == "wire":
        return fact
    fuses = _FUSE_NAME.findall(column_text)
    if fact.unit != "A" or len(set(fuses)) != 1:
        return None
    comp = f"FUSE {fuses[0]}"
    value = fact.value if fact.value_max is None else f"{fact.value}-{fact.value_max}"
    return fact.model_copy(update={
        "component": comp, "needs_review": False, "review_reason": None,
        "fact_id": _fact_id(fact.source.page_id or "", comp, value, fact.unit, fact.condition, fact.variant),
    }) if not fact.needs_review or (fact.review_reason or "").startswith("component unclear") else None


def diagram_table_columns(block: Block) -> list[Block]:
    """The columns of a diagram table (:func:`is_diagram_table`), each as a 'wiring' text block of its
    cells top to bottom ('FUSE 28\n30 AMP'); [] for other tables."""
    if not is_diagram_table(block):
        return []
    cols: dict[int, list[str]] = {}
    for r in block.rows:
        for c in r.cells:
            if c.text.strip():
                cols.setdefault(c.col, []).append(c.text.strip())
    return [
        block.model_copy(update={"kind": "wiring", "text": "\n".join(texts), "rows": [],
                                 "meta": {**block.meta, "role": "diagram_label", "table_column": str(col)}})
        for col, texts in sorted(cols.items())
    ]


def _next_wire_label(fact: SpecFact, seen: set[str]) -> SpecFact:
    """The n-th wire on a page with an already seen label: 'wire colour RD; label 2'."""
    for n in range(2, 1000):
        condition = f"{fact.condition}; label {n}" if fact.condition else f"label {n}"
        fid = _fact_id(fact.source.page_id or "", fact.component, fact.value, fact.unit, condition, fact.variant)
        if fid not in seen:
            return fact.model_copy(update={"condition": condition, "fact_id": fid})
    return fact


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("wire_label", _WIRE_RE, "a wire cross-section and colour code ('.75 GN/WT')"),
    ("wire_header", _WIRE_HEADER, "a wire list's header cell"),
    ("wire_cell", _WIRE_CELL, "a wire list cell holding exactly one wire label"),
    ("fuse_name", _FUSE_NAME, "a fuse name over its rating in a diagram label ('FUSE 28' / '30 AMP')"),
)
