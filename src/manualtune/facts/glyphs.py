"""OCR-glyph number checks: a glyph the OCR put inside or in front of a number, or in place of a unit.

Rules (``RULES``):

- ``suspect_number``: digits with a confusable letter inside ("l0 Nm", "O.25 mm", "7O Nm"): the
  value is read with the letters as digits and the fact needs review (unless a second reading
  confirms it);
- ``glyph_before_number``: a non-digit glyph glued to the front of a number ("$1 Nm", "S5 Nm"): the
  number is never emitted with the glyph dropped; it needs review unless the cleanup audit
  records a confirmed reading;
- ``ohm_as_q`` / ``resistance_context``: "Q" after a number is "Ω" only in a sentence about a
  resistance / coil / sensor;
- ``litre_as_bar`` / ``volume_context``: "|" after a number is "l" only in a sentence about a volume;
- ``angle_label``: a Unit-column glyph that can be a raised ring is "°" in a row about an angle;
- ``volume_words`` / ``cm_lost_superscript``: "cm?" in a volume row is "cm³";
- ``unit_glyph_word``: a word that is only a glyph the OCR reads for a unit letter ("¥" for "V"),
  right after a word ending in a digit ("10.,,15 ¥"), is that unit only when a second reading of
  the word's crop reads the unit (:meth:`~manualtune.facts.second_opinion.SecondOpinion.reads_unit`);
  else it stays as printed and the unit grammar gives no fact from it;
- ``ohm_lookalike``: a one-glyph word after a number that the OCR may have read for "Ω" ("2", "N",
  "R", "Q", the Bosch typewriter face) is "Ω" only on a page about a resistance and when rapidocr,
  whose alphabet has the sign, reads exactly "Ω" on its crop (cleanup rule ``ohm_glyph_word``);
- ``range_mark_read``: a range mark read with commas in it between two numbers ("2,8.,.3,2 bar",
  "1450,..3300": three marks, at least one a dot) is the "..." it prints; never ",,," and never two marks
  ("2,8" keeps its decimal comma);
- ``prefix_apart``: "k Ω" after a number ("2,3...2,8 k Ω") is "kΩ";
- ``UNIT_LABEL_CONFLICTS``: an angle whose component or condition names a temperature
  ("temperatura ambiente 30°", the 'C' of '°C' lost) needs review, and so does a temperature whose
  component names a resistance or a voltage ("Resistenza elettrica interna a +15°...+30°C": the test
  temperature of a resistance the OCR did not read);
- ``PLAUSIBLE_MAX``: a value above what a car's spec of its unit can be (115 V: "11.5 V" with the
  point lost) needs review;
- the cleanup audit (:class:`CleanupChange` without evidence) marks facts read over an
  unverified value-changing edit as ``needs_review`` (an edit of another number of the row whose
  digits merely contain the value's, '18' -> '13' for a value '1', is not over it); an 'Ω' the cleanup
  read for a glyph after a value on one engine's word (rule ``ohm_glyph_word``) makes that value's 'Ω' fact need review.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from manualtune.facts.grammar import _UNIT, _sentence_of
from manualtune.facts.second_opinion import numbers_in
from manualtune.facts.units import lookup_unit
from manualtune.records import CleanupChange, SpecFact

_SUSPECT_RE = re.compile(
    r"(?<![\w.])(?P<n>[\dOoIl|]*\d[\dOoIl|]*(?:[.,][\dOoIl|]+)?|[OoIl|][.,]\d+)"
    rf"\s*(?P<unit>{_UNIT})"
)
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
#: a glyph glued to the front of a number before a unit: "$1 Nm" (a '5' read as '$'), "S5 Nm"
_GLYPH_BEFORE_NUMBER = re.compile(
    rf"(?<![\w$§£¢&.,])(?P<g>[$§£¢&SBZG])(?P<n>\d+(?:[.,]\d+)?)(?![\d.,]*[A-Za-z]\d)\s*(?P<unit>{_UNIT})"
)
#: glyphs that are one digit misread; the others ('£', '¢') are debris of unknown value
_GLYPH_DIGIT = str.maketrans({"$": "5", "§": "5", "S": "5", "B": "8", "&": "8", "Z": "2", "G": "6"})
_GLYPH_DIGIT_CHARS = "$§SB&ZG"


_RESIST_CTX = re.compile(r"(?i)resist|ohm|coil|winding|sensor|heating element|Ω")
_VOLUME_CTX = re.compile(r"(?i)capacit|deliver|fill|litre|liter|quantity|reservoir|tank|\boil\b|fluid|coolant|fuel")
_Q_AS_OHM = re.compile(r"(?<=\d)\s?[kM]?(?P<q>Q)(?![A-Za-z\d])")
_BAR_AS_L = re.compile(r"(?<=\d)\s(?P<q>\|)(?=\s|$|[.,;])")


#: a range mark '...' read with commas in it between two numbers ('2,8.,.3,2', '1450,..3300', '10.,,15'):
#: three marks, at least one of them a dot (never ',,,', never two: '2,8' keeps its decimal comma)
_RANGE_MARK_READ = re.compile(r"(?<=\d)(?=[.,]{3}\s?[+\-]?\d)(?=[.,]*\.)(?![.]{3})[.,]{3}")


#: the kilo prefix printed apart from its 'Ω' after a number ('2,3...2,8 k Ω')
_PREFIX_APART = re.compile(r"(?<=\d\s)k Ω|(?<=\d)k Ω")


def repair_ocr_units(text: str, spans: list[tuple[int, int]]) -> tuple[str, dict[int, str | None]]:
    """Units the OCR misreads in running text: 'Q' for 'Ω' after a number (only in a sentence
    about a resistance / coil / sensor) and '|' for 'l' (only in a sentence about a volume); a range
    mark read with commas in it ('2,8.,.3,2 bar', :data:`_RANGE_MARK_READ`) is the '...' it prints, and a
    kilo prefix printed apart from its 'Ω' ('2,8 k Ω') is 'kΩ'.

    Returns the repaired text (same length) and {position: review reason or None}.
    """
    chars = list(text)
    fixed: dict[int, str | None] = {}
    for m in _RANGE_MARK_READ.finditer(text):  # rule range_mark_read: '2,8.,.3,2 bar' -> '2,8...3,2 bar'
        chars[m.start():m.end()] = "..."
    for m in _PREFIX_APART.finditer(text):  # rule prefix_apart: '2,8 k Ω' -> '2,8 kΩ '
        chars[m.start():m.end()] = "kΩ "
    for rx, ctx, new in ((_Q_AS_OHM, _RESIST_CTX, "Ω"), (_BAR_AS_L, _VOLUME_CTX, "l")):
        for m in rx.finditer(text):
            s, e = spans[_sentence_of(spans, m.start())]
            sentence = text[s:e]
            if not ctx.search(sentence):
                continue
            pos = m.start("q")
            chars[pos] = new
            certain = new == "Ω" and re.search(r"(?i)resistan[cz]|resistenza|widerstand|ohm", sentence)
            fixed[pos] = None if certain else f"unit read as {text[pos]!r} by OCR ({new!r} assumed)"
    return "".join(chars), fixed


_DEGREE_GLYPHS = {"¢", "°", "º", "˚", "o", "O", "0", "*", "©", "®", "•", "·", "e", "s", "$", "c", "a", "¬"}
_ANGLE_LABEL = re.compile(r"(?i)\bangle\b|\bwinkel\b")
_LITRE_GLYPHS = {"|", "I", "¦"}  # a unit cell holding one vertical stroke can only be 'l'


def fix_unit_cell(unit_text: str, label: str, unit_header: bool) -> tuple[str, str | None, bool]:
    """A degree sign misread in a table's Unit column -> ('°', audit note, needs_review).

    A lone vertical stroke ('|', 'I') in a Unit column is the litre sign 'l'.
    Only inside a column whose header says "Unit": a glyph the OCR makes of the small raised
    ring ('¢', 'º', 'o', ...) reads as '°'; with a row label that says "angle" the fix is
    certain and an empty unit cell (the ring is often not seen at all) or one glyph that is no
    unit ('6') also reads as '°'.
    Anything else is returned unchanged.
    """
    t = unit_text.strip()
    if t == "°":
        return unit_text, None, False
    if unit_header and t in _LITRE_GLYPHS:
        return "l", f"unit cell read as {t!r}: a lone 'l' (Unit column)", False
    if not unit_header or (t and t not in _DEGREE_GLYPHS and lookup_unit(t.split("(")[0].strip()) is not None):
        return unit_text, None, False
    angle = bool(_ANGLE_LABEL.search(label))
    if angle and t in _DEGREE_GLYPHS and t != "°":
        return "°", f"unit cell read as {t!r}; '°' from the row label {label.strip()!r} (Unit column)", False
    if t in ("¢", "º", "˚", "o") and not angle:
        return "°", f"unit cell read as {t!r}, taken as '°'", True
    if angle and (not t or t in _DEGREE_GLYPHS or (len(t) == 1 and lookup_unit(t) is None)):
        how = "empty" if not t else f"read as {t!r}"
        return "°", f"unit cell {how}; '°' from the row label {label.strip()!r} (Unit column)", False
    return unit_text, None, False


_VOLUME_WORDS = re.compile(r"(?i)displacement|capacity|volume|contents")
_CM_LOST_SUPERSCRIPT = re.compile(r"(?<=\d)(\s*)cm[?*](?![\w])")


def superscript_unit(cell: str, label: str) -> tuple[str, str | None]:
    """'1991 cm?' -> '1991 cm³' when the row label is a volume word ("Displacement"): the OCR
    read the raised '³' as '?'/'*'. Returns (text, audit note); anything else is unchanged."""
    if not _VOLUME_WORDS.search(label) or not _CM_LOST_SUPERSCRIPT.search(cell):
        return cell, None
    return _CM_LOST_SUPERSCRIPT.sub(lambda m: f"{m.group(1)}cm³", cell), f"unit read as 'cm?'; 'cm³' from the row label {label.strip()!r}"


#: canonical unit -> largest value a car's spec can have; above it a decimal point was lost
#: ("11.5 V" read as "115 V": a 12 V system has no 115 V spec; ignition voltages print kV)
PLAUSIBLE_MAX: dict[str, Decimal] = {"V": Decimal(30)}


#: (unit, label words that name another quantity, why): a fact whose component or condition names
#: that quantity while its unit is this one needs review ('temperatura ambiente 30°': the 'C' of '°C'
#: was lost, so the temperature read as an angle)
UNIT_LABEL_CONFLICTS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("°", re.compile(r"(?i)\b(?:temperat\w*|ambient[ei]?|warm|cold)\b"),
     "an angle under a temperature label (the 'C' of '°C' lost?)"),
    ("°C", re.compile(r"(?i)\b(?:resist\w*|widerstand|tension[ei]?|voltage|spannung)\b"),
     "a temperature under a resistance / voltage label (the test condition of a value not read?)"),
)


def unit_against_label(unit: str, label: str) -> str | None:
    """Why a unit can not be the quantity its label names (see :data:`UNIT_LABEL_CONFLICTS`), or None."""
    for u, words, why in UNIT_LABEL_CONFLICTS:
        if unit == u and words.search(label):
            return why
    return None


def implausible_value(value: str, value_max: str | None, unit: str) -> str | None:
    """Why a value can not be right for its unit (review reason: a lost decimal point), or None."""
    limit = PLAUSIBLE_MAX.get(unit)
    if limit is None:
        return None
    for v in (value, value_max):
        try:
            if v is not None and Decimal(v) > limit:
                return f"{v} {unit} is above {limit} {unit} (decimal point lost?)"
        except InvalidOperation:
            return None
    return None


def _overlaps(a, b) -> bool:
    if a is None or b is None:
        return True
    return not (a.x1 < b.x0 or b.x1 < a.x0 or a.y1 < b.y0 or b.y1 < a.y0)


def _number_within(number: str, text: str) -> bool:
    """``number`` inside ``text``, not as a piece of a longer digit run: '1' is no part of the
    edit '18' -> '13' (a test-cycle number in the same row), '16' is of '10,..16'."""
    return bool(number) and re.search(rf"(?<!\d){re.escape(number)}(?!\d)", text) is not None


def _flag_from_audit(facts: list[SpecFact], audit: list[CleanupChange]) -> list[SpecFact]:
    """Facts read where the cleanup left a value-changing edit unverified need review, and so do the
    'Ω' facts whose value the cleanup read a glyph after as 'Ω' on one engine's word (rule ``ohm_glyph_word``:
    its audit line holds the value and the sign)."""
    open_changes = [c for c in audit if c.changes_value and c.evidence is None]
    one_engine = [c for c in audit if c.rule == "ohm_glyph_word"]
    if not open_changes and not one_engine:
        return facts
    out: list[SpecFact] = []
    for f in facts:
        if f.unit.endswith("Ω") and any(c.page_id == f.source.page_id and _overlaps(c.bbox, f.source.bbox)
                                        and numbers_in(c.after)[-1:] == ((f.value_max or f.value),)
                                        for c in one_engine):
            reason = "; ".join(filter(None, [f.review_reason, "'Ω' read by one engine only (rapidocr) for a glyph after the number"]))
            f = f.model_copy(update={"needs_review": True, "review_reason": reason})
        hits = [
            c for c in open_changes
            if c.page_id == f.source.page_id and _overlaps(c.bbox, f.source.bbox)
            and re.search(rf"(?<!\S){re.escape(c.before)}(?!\S)", f.text)
            and (c.before in f.value_printed or _number_within(f.value_printed, c.before) or _number_within(f.value, c.after))
        ]
        if hits:
            reason = "; ".join(
                filter(None, [f.review_reason] + [f"unverified OCR edit {c.before!r}->{c.after!r}" for c in hits])
            )
            f = f.model_copy(update={"needs_review": True, "review_reason": reason})
        out.append(f)
    return out


#: unit glyphs: (glyph the OCR prints, the unit letter it stands for)
UNIT_GLYPHS: tuple[tuple[str, str], ...] = (
    ("¥", "V"),
)
UNIT_OF_GLYPH: dict[str, str] = dict(UNIT_GLYPHS)
#: a regex character class of the glyphs ('[¥]')
UNIT_GLYPH_CLASS = f"[{re.escape(''.join(UNIT_OF_GLYPH))}]"
_UNIT_GLYPH_WORD = re.compile(rf"^(?P<g>{UNIT_GLYPH_CLASS})(?P<tail>[.,;:]?)$")
_ENDS_IN_DIGIT = re.compile(r"\d[.,]?$")
#: what the OCR reads for the 'Ω' of the Bosch typewriter face (Motronic 15-16: '1450...3300 2', '17...22,6 N')
_OHM_LOOKALIKE = re.compile(r"^[2NnRQa9](?P<tail>[.,;:]?)$")


def ohm_lookalike_word(prev: str | None, word: str) -> str | None:
    """'Ω' plus the word's trailing punctuation for a one-glyph word after a word ending in a digit that
    may be an 'Ω' misread ('2', 'N', 'R', 'Q'); None otherwise. The caller makes it 'Ω' only on a page
    about a resistance and when rapidocr (whose alphabet has the sign) reads exactly 'Ω' there."""
    m = _OHM_LOOKALIKE.match(word)
    if not m or not prev or not _ENDS_IN_DIGIT.search(prev):
        return None
    return "Ω" + m.group("tail")


def unit_glyph_word(prev: str | None, word: str) -> tuple[str, str] | None:
    """(unit, word with the glyph replaced) of a glyph-only word after a word ending in a digit
    ('10.,,15', '¥' -> ('V', 'V')); None otherwise. The caller confirms it with a second reading."""
    m = _UNIT_GLYPH_WORD.match(word)
    if not m or not prev or not _ENDS_IN_DIGIT.search(prev):
        return None
    unit = UNIT_OF_GLYPH[m.group("g")]
    return unit, unit + m.group("tail")


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("suspect_number", _SUSPECT_RE, "digits with confusable letters before a unit ('l0 Nm')"),
    ("glyph_before_number", _GLYPH_BEFORE_NUMBER, "a non-digit glyph glued to the front of a number ('$1 Nm')"),
    ("ohm_as_q", _Q_AS_OHM, "'Q' after a number read for 'Ω'"),
    ("resistance_context", _RESIST_CTX, "a sentence about a resistance, where 'Q' is 'Ω'"),
    ("litre_as_bar", _BAR_AS_L, "'|' after a number read for 'l'"),
    ("volume_context", _VOLUME_CTX, "a sentence about a volume, where '|' is 'l'"),
    ("angle_label", _ANGLE_LABEL, "a row label about an angle: a ring glyph in its Unit cell is '°'"),
    ("volume_words", _VOLUME_WORDS, "a row label about a volume: 'cm?' is 'cm³'"),
    ("ohm_lookalike", _OHM_LOOKALIKE, "a one-glyph word the OCR reads for 'Ω' ('2', 'N', 'R', 'Q')"),
    ("unit_glyph_word", _UNIT_GLYPH_WORD, "a glyph-only word read for a unit letter ('¥' for 'V')"),
    ("cm_lost_superscript", _CM_LOST_SUPERSCRIPT, "'cm?' / 'cm*' after a number: the '³' misread"),
    ("range_mark_read", _RANGE_MARK_READ, "a '...' range mark read with commas in it ('2,8.,.3,2')"),
    ("prefix_apart", _PREFIX_APART, "the kilo prefix printed apart from its 'Ω' ('2,8 k Ω')"),
)
