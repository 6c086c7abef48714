"""Test-value tables: rows whose last cell holds nominal values with their units, printed beside a
description of the test (the Bosch Motronic quick-test lists: "Relé pompa. Inserire l'accensione. |
10...15 V", "... | maggiore di 4,5 V"; "... | max. 4 V").

Rules (``RULES``):

- ``ocr_range_dots``: the "..." of a range read as any run of two or more dots, commas or colons
  between digits ("10,,,15", "200,.,300", "200,,,:300") is a range;
- ``prefix_before_ohm``: a unit prefix glued to the number with the sign after a space
  ("0,4...2,8k Ω", the sign re-read by ocr/cells.py rule ``ohm_glyph``) is one unit, "kΩ";
- ``comparison_word``: "maggiore di" / "minore di" / "max." / "min." / "greater than" / "less than" /
  ">" / "<" before a value is its condition (kept as printed), never a value;
- ``value_cell``: the row's last non-empty cell must hold nothing but values with a printed unit,
  comparison words and "e" / "and" / "o" / "or": a cell with any other word ("Figura in alto") or a
  glyph the unit grammar does not know ("10...15 ¥", "10 &" for Ω) gives no fact, never a guess;
  no other cell of the row may hold a value of the same kind (variant columns are another table kind),
  but for a value in the prose of the description (6+ words: 'Adattatore di prova applica mors. 24
  a +2 V', a test condition);
- ``value_remark``: the values come first; words after the last one are a remark ("10...15 V (il LED
  si accende)", "70...80 % Forma segnale come primo avvolgimento", Motronic 13-14): it becomes the
  fact's condition (after the comparison word), never a reason to drop the value; a remark holding
  another value with a unit, or a number right after the value, makes the cell no value cell. The
  cell's confidence is that of its value words only (layout/tables.py ``value_words``), so remark
  words read faintly neither lower nor raise it; the digits are judged as before (cleanup second
  readings: a disagreeing one leaves the digit word's confidence low, the fact to review);
- ``ruling_remnant``: what is left after the last value is only the cell's right-hand rule read as a
  letter ("2,8...3,2 bar I", Motronic 11-12): no remark, the cell is a value cell;
- ``header_caption``: the table's header captions the layout merged into the first row ("Valori
  nominali", "Prova del componente/funzione istruzioni/condizioni di prova") are no part of it;
- ``description_end``: the component is the first sentence of the row's description (its wordiest
  other cell): up to the first ". " / ", " before a capitalised instruction, or a bracket closed
  before one ("Segnale di avviamento (mors. 50) Disinnestare ..." -> "Segnale di avviamento (mors. 50)");
- ``unit_glyph_left``: a unit glyph the cleanup did not confirm ("10...15 ¥": no second reading read
  "V", see ``unit_glyph_word`` in glyphs.py) is read as its unit, and the fact needs review;
- the fact's box is its value cell's: a cleanup edit left unverified in another cell of the row (a
  test-cycle number, a description word '1a' -> '10') is no reading of its value;
- a value cell whose digits were read below ``NOMINAL_MIN_CONF`` (mean confidence of its comparison and
  number words after the second-opinion cleanup, layout/tables.py ``value_digit_unit_confs``) needs
  review: the digits of this typewriter face (5 / 6 / 8) are read wrongly more often than those of the
  rest of the manual;
- ``named_quantity_angle``, ``named_quantity_speed``, ``named_quantity_voltage``, ``named_quantity_resistance``,
  ``named_quantity_pressure``, ``named_quantity_temperature``, ``named_quantity_current``: a value whose
  words with its unit printed apart read below ``NOMINAL_MIN_CONF``
  on average (the '°' of '-5...+5 °' at 40: a small glyph) needs review unless the row's description
  names the quantity that unit measures ('Angolo d'accensione' an angle, 'Regime' a speed, 'Tensione' a
  voltage, :data:`NAMED_QUANTITY`; a word of six letters or more also with one letter misread: 'Rngolo'); its
  digits are judged as above either way.

Only rows no other table rule read a fact from, in tables that are no wire list or wiring-diagram table;
in a table whose header captions are printed (:func:`is_test_value_table`) this rule reads first and
the other table rules only the rows it read nothing from.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from manualtune.facts.config import FactsConfig
from manualtune.facts.fact_records import _make_fact
from manualtune.facts.glyphs import UNIT_GLYPH_CLASS, UNIT_OF_GLYPH
from manualtune.facts.grammar import _UNIT, ParsedValue
from manualtune.facts.values import parse_spec_text
from manualtune.layout.tables import NOMINAL_COLUMN_CAPTION  # noqa: F401 - the column caption, re-exported
from manualtune.records import Block, SpecFact, TableRow

NOMINAL_MIN_CONF = 85.0

#: the table's header captions, merged by the layout into its first row ("Valori nominali maggiore di 4,5 V")
_HEADER_CAPTION = re.compile(
    r"(?i)^\W*(?:v[ao]l\w*\s+nomina\w*|nominal\s+values?|specified\s+values?|sollwerte?)\W*"
    r"|^\W*prova\s+del\s+componente\S*\s*\W*\s*\w?struzioni\S*\s+di\s+prova\W*"
)
#: a unit prefix glued to the number, the sign after a space ('0,4...2,8k Ω'): one unit, 'kΩ'
_PREFIX_BEFORE_OHM = re.compile(r"(?<=\d)(?P<p>[kM])\s+(?=Ω)")
_OCR_RANGE_DOTS = re.compile(r"(?<=\d)[.,:;]{2,}(?=\d)")
_COMPARISON = re.compile(
    r"(?i)(?:\bmaggiore\s+di|\bminore\s+di|\bmax[.,]?|\bmin[.,]?|\bgreater\s+than|\bless\s+than|\bmore\s+than|>|<)\s*$"
)
_FILLER = re.compile(
    r"(?i)\b(?:maggiore\s+di|minore\s+di|max\.?|min\.?|greater\s+than|less\s+than|more\s+than|e|and|o|or|ca\.?|"
    r"approx\.?)(?!\w)|[<>()\s.,;:]"
)
#: a unit glyph left after a number ('10...15 ¥'): the cleanup's second reading did not confirm it
_UNIT_GLYPH_LEFT = re.compile(rf"(?<=\d)(?P<sp>\s+)(?P<g>{UNIT_GLYPH_CLASS})(?![\w])")
#: a word of a remark after the value: two letters or more
_REMARK_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
#: what is left after a cell's last value when the cell's right-hand rule was read as a letter ('2,8...3,2 bar I')
_RULING_REMNANT = re.compile(r"^[\s|Il\[\]!]*$")
_VALUE_CELL = re.compile(rf"\d[\d.,\s]*{_UNIT}")
#: a speck read as a lone lower-case letter before the description's capitalised first word
_LEADING_SPECK = re.compile(r"^(?:[a-z][.,]?[\s_|~\\]+)+(?=[A-Z][a-z])")
_DESCRIPTION_END = re.compile(r"[.,]\s*[|=_~—-]*\s*(?=[A-Z][a-z])|(?<=\))\s+(?=[A-Z][a-z])")


#: (quantity, words of a test description naming it): a faintly read unit of that quantity is what the row asks for
NAMED_QUANTITY: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("angle", re.compile(r"(?i)\bangol[oi]\b|\bangles?\b|winkel")),
    ("speed", re.compile(r"(?i)\bregime\b|\bgiri\b|\bspeed\b|drehzahl")),
    ("voltage", re.compile(r"(?i)\btension[ei]\b|\bvoltage\b|spannung")),
    ("resistance", re.compile(r"(?i)\bresistenz[ae]\b|\bresistance\b|widerstand")),
    ("pressure", re.compile(r"(?i)\bpression[ei]\b|\bpressure\b|druck")),
    ("temperature", re.compile(r"(?i)\btemperatur[ae]?\b")),
    ("current", re.compile(r"(?i)\bcorrente\b|\bcurrent\b|\bstrom\b")),
)


#: the words of :data:`NAMED_QUANTITY` of six letters or more, matched also with one letter misread
#: ('Rngolo d'accensione' for 'Angolo', Motronic 11-12)
_NAMED_WORDS: dict[str, tuple[str, ...]] = {
    "angle": ("angolo", "angoli"), "speed": ("regime",), "voltage": ("tensione", "voltage", "spannung"),
    "resistance": ("resistenza", "resistance", "widerstand"), "pressure": ("pressione", "pressure"),
    "temperature": ("temperatura", "temperature"), "current": ("corrente", "current"),
}


def names_quantity(description: str, quantity: str) -> bool:
    """True when a test description names ``quantity`` (rules ``named_quantity_*``), a word of six
    letters or more also with one letter misread (:data:`_NAMED_WORDS`)."""
    if any(q == quantity and rx.search(description) for q, rx in NAMED_QUANTITY):
        return True
    words = [w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]{6,}", description)]
    return any(Levenshtein.distance(w, n) <= 1 for w in words for n in _NAMED_WORDS.get(quantity, ()))


def _normalise_value_cell(text: str) -> str:
    """'10,,,15 V' -> '10...15 V' (rule ``ocr_range_dots``), a merged header caption dropped."""
    cell = _OCR_RANGE_DOTS.sub("...", _HEADER_CAPTION.sub("", re.sub(r"\s+", " ", text).strip()))
    return _PREFIX_BEFORE_OHM.sub(r" \g<p>", cell)


def unconfirmed_unit_glyphs(text: str) -> tuple[str, str | None]:
    """('10...15 V', review reason) for a cell holding a unit glyph the cleanup left ('10...15 ¥',
    rule ``unit_glyph_left``); (text, None) when it holds none."""
    units = UNIT_OF_GLYPH
    found = [m.group("g") for m in _UNIT_GLYPH_LEFT.finditer(text)]
    if not found:
        return text, None
    fixed = _UNIT_GLYPH_LEFT.sub(lambda m: m.group("sp") + units[m.group("g")], text)
    return fixed, "; ".join(f"unit glyph {g!r} read as {units[g]!r}, not confirmed by a second reading" for g in found)


def value_cell_values(text: str) -> list[tuple[ParsedValue, str | None]] | None:
    """(value, condition) of each value in a value cell, or None when the cell holds anything else
    (rule ``value_cell``): the values come first; the words after the last one are a remark (rule
    ``value_remark``: '10...15 V (il LED si accende)', '70...80 % Forma segnale come primo avvolgimento')
    that holds no other value with a unit; the condition is the value's comparison word and the remark."""
    cell = _normalise_value_cell(text)
    parsed = [p for p in parse_spec_text(cell) if p.role == "spec" and p.unit and p.quantity != "wire"]
    if not parsed:
        return None
    last = max(p.end for p in parsed)
    head, remark = cell[:last], cell[last:]
    rest = head
    for p in sorted(parsed, key=lambda p: -p.start):
        rest = rest[:p.start] + " " + rest[p.end:]
    if _FILLER.sub("", rest).strip():
        return None
    if _RULING_REMNANT.match(remark):
        remark = ""  # rule ruling_remnant: the cell's right rule read as 'I' / '|' after the unit
    remark_words = _REMARK_WORD.findall(remark)
    if re.search(r"[^\W_]", remark) and (not remark_words or re.match(r"\s*\d", remark)):
        return None  # no words after the value, or a number glued to it: not a remark
    said = _remark_text(remark) if len(remark_words) >= 2 else None
    out = []
    for p in parsed:
        cmp_ = _COMPARISON.search(cell[:p.start])
        parts = [cmp_.group(0).strip()] if cmp_ else []
        parts += [said] if said else []
        out.append((p, "; ".join(parts) or None))
    return out


def _remark_text(remark: str) -> str:
    """A remark as a condition: brackets, rules and OCR specks taken off, hyphenated line ends joined."""
    t = re.sub(r"(\w)- (\w)", r"\1\2", remark)
    t = re.sub(r"[()\[\]{}_|~«»“”\"]+", " ", t)
    return re.sub(r"\s+", " ", t).strip(" .,;:-–—")


def description_component(text: str) -> str:
    """The first sentence of a test description (rule ``description_end``), tidied; '' if no words."""
    t = _HEADER_CAPTION.sub("", re.sub(r"\s+", " ", text).strip())
    t = _LEADING_SPECK.sub("", t)  # 'y. Esercizio di ...', 'a _ Come ciclo ...': a speck read as a letter
    m = _DESCRIPTION_END.search(t)
    head = t[:m.start() + (1 if t[m.start()] == ")" else 0)] if m else t
    head = re.sub(r"[_|~«»“”\"\\]+", " ", head)
    head = re.sub(r"\s+", " ", head).strip(" .,;:-–—")
    head = _LEADING_SPECK.sub("", head)
    words = head.split()
    if len(words) > 10:
        head = " ".join(words[:10])
    return head if sum(1 for w in words if re.fullmatch(r"[A-Za-zÀ-ÿ'’]{3,}\.?", w)) >= 2 else ""


def _holds_value(text: str, quantities: set[str]) -> bool:
    return any(p.unit and p.role == "spec" and p.quantity in quantities for p in parse_spec_text(_normalise_value_cell(text)))


def _row_cells(row: TableRow) -> list:
    return [c for c in sorted(row.cells, key=lambda c: c.col) if c.text.strip()]


def is_test_value_table(block: Block) -> bool:
    """A table whose header captions ('Valori nominali', 'Prova del componente/funzione ...') are printed,
    in its header row or merged by the layout into its first row (rule ``header_caption``): its rows are
    read by this module's rule first, before the generic table rules (whose row label would be the
    test-cycle and selector numbers of the first column, Motronic 11-12)."""
    rows = [r for r in block.rows[:2]]
    return any(_HEADER_CAPTION.match(c.text or "") for r in rows for c in r.cells)


def nominal_table_facts(block: Block, cfg: FactsConfig, skip: set[int] | None = None) -> list[SpecFact]:
    """Facts of a test-value table (see the module docstring); rows whose index is in ``skip`` (read
    by another table rule) are left out; [] when no row is one."""
    facts: list[SpecFact] = []
    for i, row in enumerate(block.rows):
        cells = _row_cells(row)
        if len(cells) < 2 or row.is_header or i in (skip or set()):
            continue
        value_cell = cells[-1]
        cell_text, glyph_review = unconfirmed_unit_glyphs(value_cell.text)
        values = value_cell_values(cell_text)
        if not values:
            continue
        described = max(cells[:-1], key=lambda c: sum(ch.isalpha() for ch in c.text))
        prose = len(_REMARK_WORD.findall(described.text)) >= 6  # a test condition in its text ('applica mors. 24 a +2 V')
        if any(_holds_value(c.text, {p.quantity for p, _ in values}) for c in cells[:-1] if not (prose and c is described)):
            continue  # the same kind of value in other cells too: variant columns, never one value cell
        component = description_component(described.text)
        if not component:
            continue
        conf = value_cell.conf if value_cell.conf is not None else block.source.ocr_confidence
        review = [] if conf is None or conf >= NOMINAL_MIN_CONF else [
            f"test-value cell read at confidence {conf:.0f} (< {NOMINAL_MIN_CONF:.0f}): digits of this face are often misread"]
        review += [glyph_review] if glyph_review else []
        row_text = " | ".join(c.text for c in cells)
        with_units = value_cell.with_units_conf
        for pv, comparison in values:
            unit_review = [] if with_units is None or with_units >= NOMINAL_MIN_CONF or names_quantity(described.text, pv.quantity) \
                else [f"value and unit {pv.unit_printed or pv.unit!r} read at confidence {with_units:.0f} (< {NOMINAL_MIN_CONF:.0f}) "
                      f"and the description does not name {'an' if pv.quantity[0] in 'aeiou' else 'a'} {pv.quantity}"]
            facts.append(_make_fact(
                pv, block=block, component=component, condition=comparison, variant=None,
                section=row.section or block.section, text=row_text, bbox=value_cell.bbox or row.bbox, conf=conf, cfg=cfg,
                unit_printed=pv.unit_printed or None, review=review + unit_review,
            ))
    return facts


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("header_caption", _HEADER_CAPTION, "a header caption merged into the first row ('Valori nominali')"),
    ("prefix_before_ohm", _PREFIX_BEFORE_OHM, "a unit prefix glued to the number before a spaced 'Ω' ('2,8k Ω')"),
    ("ocr_range_dots", _OCR_RANGE_DOTS, "a range's '...' read as dots and commas ('10,,,15')"),
    ("comparison_word", _COMPARISON, "a comparison before a value ('maggiore di', 'max.'): its condition"),
    ("unit_glyph_left", _UNIT_GLYPH_LEFT, "a unit glyph the cleanup did not confirm ('10...15 ¥'): read, needs review"),
    ("value_cell", _VALUE_CELL, "a value with its printed unit in a test-value cell"),
    ("ruling_remnant", _RULING_REMNANT, "the cell's right rule read as 'I' or '|' after the value: no remark"),
    ("value_remark", _REMARK_WORD, "a word of a remark after the value ('(il LED si accende)'): its condition"),
    ("description_end", _DESCRIPTION_END, "where the first sentence of a test description ends"),
    *((f"named_quantity_{q}", rx, f"a test description naming a {q}: a faint unit of it is what the row asks")
      for q, rx in NAMED_QUANTITY),
)
