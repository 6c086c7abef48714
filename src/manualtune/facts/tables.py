"""Table rows: one fact per value cell, with the component / type / screw / sub-label of its row.

Rules (``RULES``):

- ``sublabel``: rows labelled "Tightening torque", "Step 1", "Hot", "max." are sub-labels of the
  component row above;
- ``engine_code``: a cell holding engine codes ("S14", "M20/M30 US") is the row's type column;
- ``screw``: "M8", "M10 x 1.25" is the row's screw size (a condition); ``garbled_screw``: a screw size
  whose digit the OCR read as a letter ("Ms" is M5 or M8) makes the fact need review; ``glued_grade``:
  a thread and strength grade read without their space and dot ("M1488" under "M14 10.9") is
  "M14 8.8" when another screw cell of the table prints that thread with a grade, else the fact
  needs review;
- ``terminal``: a row label that names no part but a terminal under the item above ("Kl. D+",
  "B+" under "1AZ Wires to alternator") is a sub-label of the item for its row and the unlabelled
  rows below it ("All others"); a label of that kind that reads as no terminal ("Ki. Be", the '+'
  lost) makes those facts need review instead of naming only the item;
- header captions name the columns (type / screw / value / unit); when they do not, the value
  column is the one with most numeric cells and the unit column the first unit column right of it;
- a table whose header names variants in two or more columns is read per column;
- a row without a known component is skipped, never guessed; a section row inside a table
  ("11 23 Vibration damper") resets the component;
- ``label_line``: a table printed as text lines (a PDF text layer puts the labels in one column and
  "All M8 22 Nm" in another) takes the nearest label line at or above each value line, left of it,
  in the same section; the words it printed itself ("All M8") become the condition.
"""

from __future__ import annotations

import re

from manualtune.facts.components import split_label
from manualtune.facts.config import FactsConfig
from manualtune.facts.fact_records import _join, _make_fact
from manualtune.facts.glued import unglue_words
from manualtune.facts.glyphs import _VOLUME_WORDS, fix_unit_cell, superscript_unit
from manualtune.facts.grammar import ParsedValue
from manualtune.facts.units import lookup_unit
from manualtune.facts.values import parse_spec_text
from manualtune.facts.variants import find_variants, fix_variant_ocr, nearest_variant
from manualtune.records import Block, SpecFact, TableCell, TableRow

_SUBLABEL = re.compile(
    r"(?i)^(?:application torque|pre-?tighten\w*|joining torque|tightening torque|initial torque|final torque|"
    r"torque angle\b.*|torque|angle|step\s*\d.*|stage\s*\d.*|hot|cold|max(?:imum)?\.?|min(?:imum)?\.?)$"
)
_ENGINE_CODE = re.compile(r"^(?:[A-Z]{1,2}\d{2}[A-Z\d]*(?:\s*US)?)(?:\s*[/,]\s*[A-Z]{1,2}\d{2}[A-Z\d/]*(?:\s*US)?)*$")
_SCREW = re.compile(r"^M\d{1,2}(?:\s*[x×]\s*[\d.]+)?$")
#: a terminal named by a sub-row ('Kl. D+', OCR 'KI. D+', 'B+', 'Kl. 30', '31b')
_TERMINAL = re.compile(r"^(?:[Kk][lIi1|]\.?\s*)?(?:\d{1,3}[a-z]?|[A-Z]{1,2}\d{0,2}[+\-]|[A-Z]\d{0,2})$")
#: a thread and its strength grade read without space and dot: 'M1488' (M14 8.8), 'M14x1.5109'
_GLUED_GRADE = re.compile(r"^(?P<thread>M\d{1,2}(?:\s*[x×]\s*\d(?:\.\d{1,2})?)?)\s?(?P<a>4|5|6|8|10|12)(?P<b>[689])$")
_GRADED_SCREW = re.compile(r"^(?P<thread>M\d{1,2}(?:\s*[x×]\s*[\d.]+)?)\s+(?:4|5|6|8|10|12)\.[689]$")


def terminal_label(label: str) -> str | None:
    """'KI. D+' -> 'Kl. D+' (the OCR reads the 'l' of 'Kl.' as I, i, 1 or |); None when the label
    names no terminal."""
    t = re.sub(r"\s+", " ", label.strip())
    if not _TERMINAL.match(t):
        return None
    return re.sub(r"^[Kk][lIi1|]\.?\s*", "Kl. ", t)


def _thread_key(m: re.Match[str]) -> str:
    """The thread of a screw-cell match without spaces ('M14 x1.5' -> 'M14x1.5'), to compare cells."""
    return re.sub(r"\s+", "", m.group("thread"))


def _glued_grade(screw: str, threads: set[str]) -> tuple[str | None, bool]:
    """('M14 8.8', False) for 'M1488' when another screw cell prints 'M14 <grade>'; (None, True)
    when the cell looks like a glued grade no other cell confirms (the fact needs review);
    (None, False) when the cell is no glued grade."""
    t = screw.strip()
    if _SCREW.match(t) or _GRADED_SCREW.match(t):
        return None, False
    m = _GLUED_GRADE.match(t)
    if m is None:
        return None, False
    if _thread_key(m) in threads:
        return f"{m.group('thread')} {m.group('a')}.{m.group('b')}", False
    return None, True


_HEADER_ROLES = (
    ("type", re.compile(r"(?i)^(type|engine|model|variant)$")),
    ("screw", re.compile(r"(?i)^(screw|thread|bolt|size)$")),
    ("value", re.compile(r"(?i)^(measure|value|dimension|dimensio.?n?|spec\.?|torque|setting)$")),
    ("unit", re.compile(r"(?i)^(unit|units)$")),
)


def _header_roles(row: TableRow) -> dict[str, int]:
    """Column of each caption role; roles whose captions share one cell (a header read as one
    merged cell, "Type Screw | Measure | Unit") are dropped: their columns are unknown."""
    best: dict[str, tuple[int, int]] = {}  # role -> (rank of the caption word, column)
    for c in row.cells:
        for word in re.split(r"\s*\|\s*|\s{2,}", c.text.strip()):
            for role, rx in _HEADER_ROLES:
                m = rx.match(word.strip())
                if m is None:
                    continue
                alts = rx.pattern.split("(", 2)[-1].split(")")[0].split("|")
                rank = next((i for i, a in enumerate(alts) if re.fullmatch(f"(?i){a}", word.strip())), len(alts))
                if role not in best or rank < best[role][0]:
                    best[role] = (rank, c.col)
    roles = {r: col for r, (_, col) in best.items()}
    cols = list(roles.values())
    if len(set(cols)) < len(cols):
        return {}  # a merged header: no caption's column can be trusted
    return roles


def _header_has_unit(row: TableRow) -> bool:
    return any(re.search(r"(?i)\bunits?\b", c.text) for c in row.cells)


def infer_value_unit_columns(rows: list[TableRow]) -> dict[str, int]:
    """Value and unit columns from the cells when the header does not name them: the column
    with most purely numeric cells, and the first column right of it whose cells are units."""
    numeric: dict[int, int] = {}
    units: dict[int, int] = {}
    for row in rows:
        if row.is_header:
            continue
        for c in row.cells:
            t = c.text.strip()
            if _is_numeric_cell(t):
                numeric[c.col] = numeric.get(c.col, 0) + 1
            elif t and lookup_unit(t.split("(")[0].strip()) is not None and not any(ch.isdigit() for ch in t):
                units[c.col] = units.get(c.col, 0) + 1
    if not numeric:
        return {}
    value_col = max(sorted(numeric), key=lambda k: numeric[k])
    if numeric[value_col] < 2:
        return {}
    out = {"value": value_col}
    right = [k for k in sorted(units) if k > value_col]
    if right:
        out["unit"] = right[0]
    return out


def _is_numeric_cell(text: str) -> bool:
    t = text.strip()
    return bool(t) and re.fullmatch(r"[\d.,\s+\-–±/°]+|\d[\d.,]*\s*(?:-|–|to)\s*[\d.,]+", t) is not None and any(
        ch.isdigit() for ch in t
    )


def _row_roles(row: TableRow, header: dict[str, int]) -> dict[str, TableCell]:
    """Assign the row's cells to label/type/screw/value/unit (header first, then content)."""
    cells = sorted(row.cells, key=lambda c: c.col)
    out: dict[str, TableCell] = {}
    used: set[int] = set()
    for role, col in header.items():
        c = next((c for c in cells if c.col == col), None)
        if c is not None:
            out[role] = c
            used.add(id(c))
    for c in cells:
        if id(c) in used or not c.text.strip():
            continue
        t = c.text.strip()
        unit_head = t.split("(")[0].strip()
        if "unit" not in out and lookup_unit(unit_head) is not None and not any(ch.isdigit() for ch in unit_head):
            out["unit"] = c
        elif "value" not in out and _is_numeric_cell(t):
            out["value"] = c
        elif "screw" not in out and _SCREW.match(t) and ("type" in out or "label" in out):
            out["screw"] = c
        elif "type" not in out and _ENGINE_CODE.match(re.sub(r"\$(?=\d)", "S", t)):
            out["type"] = c
        elif "label" not in out:
            out["label"] = c
        else:
            continue
        used.add(id(c))
    return out


def _implausible(label: str, pv: ParsedValue, text: str) -> bool:
    """A unit that can not be right: a volume word with a length unit ("Displacement 1991 cm",
    the '³' lost), or a unit followed by an OCR question mark ("cm?")."""
    if _VOLUME_WORDS.search(label) and lookup_unit(pv.unit) is not None and lookup_unit(pv.unit).quantity == "length":
        return True
    return bool(re.match(r"[?*]", text[pv.end:].lstrip()[:1]))


def _variant_column_facts(block: Block, cfg: FactsConfig) -> list[SpecFact] | None:
    """A table whose columns are variants ("Specification | 240i (CR20) | 240 Turbo (CR25T)"):
    every cell below holds "value unit" for its row label and its column's variant. None when
    the first row does not name a configured variant in at least two columns after the first."""
    if len(block.rows) < 2:
        return None
    head = sorted(block.rows[0].cells, key=lambda c: c.col)
    col_variant = {c.col: "/".join(find_variants(c.text, cfg.variants, cfg.variant_aliases)) for c in head[1:]}
    col_variant = {k: v for k, v in col_variant.items() if v}
    if len(col_variant) < 2:
        return None
    facts: list[SpecFact] = []
    for row in block.rows[1:]:
        cells = sorted(row.cells, key=lambda c: c.col)
        label = cells[0].text.strip() if cells and cells[0].col not in col_variant else ""
        if not re.search(r"[A-Za-z]{3}", label):
            continue
        for c in cells[1:]:
            variant = col_variant.get(c.col)
            if variant is None or not c.text.strip():
                continue
            cell_text, note = superscript_unit(c.text, label)
            for pv in parse_spec_text(cell_text):
                if pv.role != "spec" or pv.quantity == "wire" or _implausible(label, pv, cell_text):
                    continue
                facts.append(_make_fact(
                    pv, block=block, component=label, condition=pv.condition, variant=variant,
                    section=row.section or block.section, text=f"{label} {c.text.strip()}", bbox=c.bbox or row.bbox,
                    conf=c.conf, cfg=cfg, notes=[note] if note else None,
                ))
    return facts


def _table_facts(block: Block, cfg: FactsConfig) -> list[SpecFact]:
    """Facts of a table block: one per value cell, with the component / type / screw / sub-label
    of its row (or the rows above it). Columns come from the header captions; when the header
    does not name them, from the cells (:func:`infer_value_unit_columns`)."""
    by_variant = _variant_column_facts(block, cfg)
    if by_variant is not None:
        return by_variant
    facts: list[SpecFact] = []
    inferred = infer_value_unit_columns(block.rows)
    header: dict[str, int] = {}
    unit_header = False
    parent_label: str | None = None
    parent_note: str | None = None
    parent_type: str | None = None
    terminal: str | None = None  # a terminal sub-label ('Kl. D+') of the item row above
    terminal_unread = False  # a sub-row label that names neither a part nor a readable terminal
    row_section_prev: str | None = None
    threads = {_thread_key(m) for row in block.rows for c in row.cells if (m := _GRADED_SCREW.match(c.text.strip()))}
    for row in block.rows:
        section = row.section or block.section
        if section != row_section_prev:
            parent_label, parent_note, parent_type = None, None, None
            terminal, terminal_unread = None, False
            row_section_prev = section
        if row.is_header or len(_header_roles(row)) >= 2:
            header = _header_roles(row) or header
            unit_header = unit_header or _header_has_unit(row)
            continue
        cols = dict(header)
        for role, col in inferred.items():
            if role not in cols and col not in cols.values():
                cols[role] = col
        roles = _row_roles(row, cols)
        label_cell, type_cell = roles.get("label"), roles.get("type")
        value_cell, unit_cell, screw_cell = roles.get("value"), roles.get("unit"), roles.get("screw")
        label = label_cell.text.strip() if label_cell else ""
        type_text, variant_notes = fix_variant_ocr(type_cell.text.strip(), cfg.variants) if type_cell else ("", [])
        type_text, near_note = nearest_variant(type_text, cfg.variants)
        variant_notes = [*variant_notes, near_note] if near_note else variant_notes
        type_text, glued = unglue_words(type_text, block.page_id, type_cell.bbox if type_cell else None)
        variant_notes = [*variant_notes, *(f"OCR {c.before!r} read as {c.after!r} ({c.evidence})" for c in glued)]
        row_text = " ".join(c.text for c in sorted(row.cells, key=lambda c: c.col)).strip()
        has_value = value_cell is not None and value_cell.text.strip() != ""
        sublabel = label if label and _SUBLABEL.match(label.strip()) else None
        if label:
            terminal, terminal_unread = None, False
        if label and not sublabel:
            comp, note = split_label(label, cfg.variants)
            if comp and re.search(r"[A-Za-z]{3}", comp) and not re.fullmatch(r"\d{2} \d{2}.*", label):
                parent_label, parent_note = comp, note
                parent_type = type_text or None
            elif re.fullmatch(r"\d{2} ?\d{2} .*", label):  # a section row printed inside the table
                parent_label, parent_note, parent_type = None, None, None
                continue
            elif parent_label is not None:  # 'Kl. D+' under '1AZ Wires to alternator': a terminal of the item
                terminal = terminal_label(label)
                terminal_unread = terminal is None
        if type_text and not label:
            parent_type = type_text
        elif type_text and label and not sublabel:
            parent_type = type_text
        if not has_value:
            continue
        if parent_label is None:
            continue  # no component known: skip rather than guess
        value_text = value_cell.text.strip()
        unit_text = unit_cell.text.strip() if unit_cell else ""
        notes = list(variant_notes)
        review: list[str] = []
        if unit_cell is not None and _is_numeric_cell(value_text):
            fixed, note, needs = fix_unit_cell(unit_text, sublabel or label or parent_label or "", unit_header)
            if note:
                unit_text = fixed
                (review if needs else notes).append(note)
        parsed = parse_spec_text(f"{value_text} {unit_text}".strip())
        parsed = [p for p in parsed if p.role == "spec" and p.quantity != "wire"]
        if not parsed:
            continue
        if unit_text and len(parsed) != 1:
            continue  # the row's unit column holds one value: several readings -> ambiguous
        variant_names = find_variants(" ".join(x for x in (type_text or parent_type or "", label) if x), cfg.variants, cfg.variant_aliases)
        variant = "/".join(variant_names) if variant_names else None
        screw = screw_cell.text.strip() if screw_cell and screw_cell.text.strip() else None
        if screw:
            fixed_screw, unconfirmed = _glued_grade(screw, threads)
            if fixed_screw:
                notes.append(f"screw {screw!r} read as {fixed_screw!r} (thread and grade printed apart in the table)")
                screw = fixed_screw
            elif unconfirmed:
                review = [*review, f"screw cell {screw!r}: thread and grade run together (not confirmed)"]
        if terminal_unread:
            review = [*review, f"sub-row label {label or 'above'!r} names no readable terminal of {parent_label!r}"]
        type_cond = (type_text or parent_type) if (type_text or parent_type) else None
        garbled = _GARBLED_SCREW.search(" ".join(x for x in (screw, type_cond) if x))
        if garbled:  # 'Ms' is M5 or M8: a screw size is a number too, never guessed
            review = [*review, f"screw size read as {garbled.group(0)!r} (digit unreadable)"]
        for pv in parsed:
            condition = _join(terminal, type_cond, screw, sublabel, pv.condition, parent_note)
            conf = value_cell.conf
            facts.append(_make_fact(
                pv, block=block, component=parent_label, condition=condition, variant=variant,
                section=section, text=row_text, bbox=row.bbox, conf=conf, cfg=cfg,
                unit_printed=unit_text or None, review=review, notes=notes,
            ))
    return facts


#: a screw size whose digit the OCR read as a letter: 'Ms' (M5 or M8), 'MB', 'MO'
_GARBLED_SCREW = re.compile(r"(?<![A-Za-z\d])M[SsBbOoIlZzGg](?![A-Za-z\d])")
_LABEL_LINE = re.compile(r"^(?:\d{1,2}[A-Z]{1,3}\s+)?[A-Z][A-Za-z]")


def left_column_label(block: Block, page_blocks: list[Block], variants: list[str]) -> tuple[str, str | None] | None:
    """A table printed as text lines (a PDF text layer: labels in the left column, "All M8 22 Nm" in
    the right one): the label of a value line is the nearest label line at or above it, left of it,
    in the same section. Returns (component, note) or None."""
    box = block.source.bbox
    if box is None:
        return None
    height = max(1, box.y1 - box.y0)
    best: tuple[int, Block] | None = None
    for b in page_blocks:
        bb = b.source.bbox
        if (b is block or bb is None or b.kind not in ("paragraph", "table") or b.section != block.section
                or bb.x1 >= box.x0 or bb.y0 > box.y0 + height // 2 or "\n" in b.text.strip()):
            continue
        text = b.text.strip()
        if not _LABEL_LINE.match(text) or parse_spec_text(text) or re.search(r"\d{2}\s\d{2}\s", text):
            continue  # a value line, a note in brackets or a section code: no label
        if _SUBLABEL.match(text):
            continue  # 'Torque angle on engines with ...' qualifies the part above, it is none
        if best is None or bb.y0 > best[0]:
            best = (bb.y0, b)
    if best is None:
        return None
    comp, note = split_label(best[1].text, variants)
    return (comp, note) if re.search(r"[A-Za-z]{3}", comp) else None


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("sublabel", _SUBLABEL, "row labels that qualify the component row above"),
    ("engine_code", _ENGINE_CODE, "a cell of engine codes: the type column"),
    ("garbled_screw", _GARBLED_SCREW, "a screw size with a letter for its digit ('Ms'): the fact needs review"),
    ("label_line", _LABEL_LINE, "a label line of a table printed as text lines ('2AZ Full flow oil filter')"),
    ("screw", _SCREW, "a screw size cell ('M10 x 1.25')"),
    ("terminal", _TERMINAL, "a sub-row label naming a terminal of the item above ('Kl. D+', 'B+')"),
    ("glued_grade", _GLUED_GRADE, "a thread and grade read without space and dot ('M1488' = M14 8.8)"),
)
