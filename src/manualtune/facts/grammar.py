"""The number, unit and sentence grammar every facts rule family shares.

Rules (``RULES``):

- ``number``: a printed number ("45", "0.25", "1,5", ".75", "1 1/2", "1 and 1/2"); a comma is a decimal comma
  only before one or two digits ("1,5" but never "1,500"); fractions are halves to sixteenths;
- ``number_guard``: a number never starts inside a word, a code or a fraction ("M10", "#11", "1/2"),
  nor right after a glyph that may be a misread digit ("$1"), nor right after a "/" that follows a
  digit, a space or "_" ("1000 cm 3 /30s": a rate's denominator; "35°/60°" is a list), nor is the
  "3" of "cm 3" (a cm³ whose superscript was read as a digit) one;
- ``unit``: every printed unit spelling of :mod:`manualtune.facts.units`, longest first,
  case-sensitive except the caseless ones ("Nm" vs "nm" never mixed up; "turn(s)" only in lower or
  upper case: a capitalised "Turn" starts a sentence, "36 1000 Turn wheel" is no 1000 turns); a unit followed by
  "-digits" is part of a type code ("4HP-22" is a gearbox, not 4 hp), and so is "HP"/"PS" followed by
  digits ("4 HP 22"); "cm 3" is a cm³ whose superscript was read as a digit: no length;
- ``clearance_words``: a length in mm is a clearance when the line says clearance / play / gap;
- ``sentence_break`` / ``abbreviation``: sentences end at ". " / "; " before a non-lowercase
  character, never after "approx.", "max.", "No." and similar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from manualtune.facts.units import _CASELESS, PRINTED, lookup_unit, normalise_number
from manualtune.records import Quantity, TighteningStage

_NUM = r"(?:(?:\d+\s(?:and\s)?)?\d{1,2}/(?:16|2|4|8)(?![\d/])|\d+(?:\.\d+|,\d{1,2}(?!\d))?\.?(?![\d,]\d)|[.,]\d+)"
#: no number starts inside a word, a code or a fraction, nor right after a glyph the OCR may have
#: put for a digit ('$1' is '51' misread: see :mod:`manualtune.facts.glyphs`)
_NUM_GUARD = r"(?<![A-Za-z\d.,#_$§£¢&])(?<![\d_\s]/)(?!(?<=\bcm\s)3(?!\d))"


#: caseless units that are also sentence-initial verbs: "36 1000 Turn wheel by hand" is no 1000 turns,
#: so they match in lower or upper case only, never capitalised ("Turn")
_NO_TITLE_CASE = frozenset({"turn", "turns"})


def _caseless_alt(unit: str) -> str:
    if unit in _NO_TITLE_CASE:
        return f"(?:{re.escape(unit)}|{re.escape(unit.upper())})"
    return f"(?i:{re.escape(unit)})"


def _unit_pattern() -> str:
    exact = sorted({k for k in PRINTED if k.lower() not in _CASELESS}, key=len, reverse=True)
    caseless = sorted(_CASELESS, key=len, reverse=True)
    pairs = [(u, re.escape(u)) for u in exact] + [(u, _caseless_alt(u)) for u in caseless]
    alts = [alt for _, alt in sorted(pairs, key=lambda p: len(p[0]), reverse=True)]  # longest spelling first
    # '(?!-\d)': '4HP-22'; '(?<!HP|PS) digits': '4 HP 22' / '5 HP 18' are ZF gearbox type codes, not 4 hp
    # '(?!(?<=cm) 3)': '900 cm 3' is cm³ with the superscript read as a digit, never a length
    return ("(?:" + "|".join(alts) + r")\.?(?![A-Za-z\d²³])(?!-\d)(?!(?<=HP)\s+\d)(?!(?<=PS)\s+\d)"
            r"(?!(?<=cm)\s3(?!\d))")


_UNIT = _unit_pattern()


_CLEARANCE_WORDS = re.compile(r"(?i)clearance|play|gap|backlash|run-?out|end ?float|tilt|lash|spiel")


@dataclass
class ParsedValue:
    """One value read from a printed line (before it becomes a :class:`SpecFact`)."""

    value: str
    unit: str
    unit_printed: str
    value_printed: str
    quantity: Quantity
    value_max: str | None = None
    tolerance: str | None = None
    stage: int | None = None
    stages: list[TighteningStage] = field(default_factory=list)
    condition: str | None = None
    alt: str | None = None  # the bracket of a printed conversion "(16 ft lbs)"
    alt_value: str | None = None  # its number or range "a-b"
    alt_unit: str | None = None  # its canonical unit
    role: str = "spec"  # "spec" or "condition" ("below 35 °C")
    start: int = 0
    end: int = 0
    suspect: str | None = None  # OCR-confusable digits read as printed ("l0")
    review: str | None = None  # why the value needs review (e.g. a tolerance sign the OCR lost)
    stage_word: str | None = None  # "step" / "stage" as printed before the value
    lead: int | None = None  # where a "Step N" prefix starts (else None)


def _dec(text: str) -> Decimal | None:
    n = normalise_number(text)
    return Decimal(n) if n is not None else None


def _quantity(unit_canonical: str, context: str) -> Quantity:
    info = lookup_unit(unit_canonical)
    q: Quantity = info.quantity if info else "other"
    if q == "length" and unit_canonical == "mm" and _CLEARANCE_WORDS.search(context):
        return "clearance"
    return q


def _printed_unit(unit_txt: str | None) -> str:
    if not unit_txt:
        return ""
    u = unit_txt.strip()
    if u.endswith(".") and not re.search(r"[A-Za-z]", u):
        u = u[:-1]  # "8 %." - the dot ends the sentence
    return u


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])|(?<=;)\s+")
_ABBREV = re.compile(r"(?i)^(?:approx|incl|max|min|no|fig|e\.g|i\.e|ca|nom|ref|see|pt|vol)\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one whitespace-collapsed text ('. ' / '; ' before a
    non-lowercase character; 'approx.', 'max.' and similar abbreviations never end one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        words = text[start:m.start()].split()
        if words and _ABBREV.match(words[-1]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(spans):
        if s <= pos <= e:
            return i
    return len(spans) - 1


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("number", re.compile(_NUM), "a printed number; a decimal comma only before 1-2 digits"),
    ("number_guard", re.compile(_NUM_GUARD + r'\d'), "no number starts inside a word, code or fraction"),
    ("unit", re.compile(r'(?<=\d )' + _UNIT), "a printed unit spelling, longest first"),
    ("clearance_words", _CLEARANCE_WORDS, "a length in mm on such a line is a clearance"),
    ("sentence_break", _SENTENCE_BREAK, "where one sentence ends and the next begins"),
    ("abbreviation", _ABBREV, "abbreviations whose dot never ends a sentence"),
)
