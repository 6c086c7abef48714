"""Text helpers shared by example generation and validation.

* :func:`extract_numbers` — the numbers an answer states (also used by evaluation to find
  hallucinated values). Digits glued to a preceding letter (``S14``, ``M10``, ``CR25T``, ``E30``)
  are identifiers, not values, and are skipped.
* citations — :func:`format_citation` writes ``(manual p. 11-19; proc.jpg p. 1)`` from the
  configured templates and :func:`strip_citations` removes exactly that format again, so page
  labels are never mistaken for stated values.
* unit spelling — :func:`unit_format_problems` finds "45Nm", "45 nm", "60 ° C" style misspellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from manualtune.generate.config import GenerateConfig
from manualtune.lexicon import is_english

# --------------------------------------------------------------------------- numbers

_NUMBER_RE = re.compile(
    r"(?<![\w.,])"  # not glued to a letter/digit before: S14, M10x1.25 are identifiers
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,200 / 12,000.5 (thousands)
    r"|\d+(?:[.,]\d+)?"  # 55 / 0.25 / 0,25
    r"|[.,]\d+)"  # .75
    r"(?!\d)"
)


def extract_numbers(text: str) -> list[str]:
    """Numbers stated in ``text``, in order, normalised: '.75' -> '0.75', '0,25' -> '0.25', '1,200' -> '1200'.

    Signs are not kept ('-0.1' -> '0.1'); trailing zeros are kept as printed ('0.20').
    Digits glued to a preceding letter (S14, M10, CR25T) are identifiers and skipped; digits
    followed by letters ("45Nm") are still numbers.
    """
    out: list[str] = []
    for m in _NUMBER_RE.finditer(text or ""):
        tok = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", tok):
            tok = tok.replace(",", "")
        else:
            tok = tok.replace(",", ".")
        if tok.startswith("."):
            tok = "0" + tok
        out.append(tok)
    return out


def number_key(text: str) -> str | None:
    """Canonical comparison key of one number ('55.0' and '55' -> '55'); None if not a number."""
    nums = extract_numbers(text)
    if len(nums) != 1:
        try:
            d = Decimal(text.strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            return None
    else:
        d = Decimal(nums[0])
    if not d.is_finite():
        return None
    d = abs(d)
    out = format(d.normalize(), "f")
    return out


def number_keys(text: str) -> set[str]:
    """Comparison keys of every number in ``text``."""
    keys = set()
    for n in extract_numbers(text):
        k = number_key(n)
        if k is not None:
            keys.add(k)
    return keys


# --------------------------------------------------------------------------- normalisation


def normalize_space(text: str) -> str:
    """Collapse runs of spaces/tabs inside lines, keep line breaks, strip every line."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in (text or "").splitlines()]
    return "\n".join(ln for ln in lines if ln)


def one_line(text: str) -> str:
    """All whitespace collapsed to single spaces."""
    return re.sub(r"\s+", " ", text or "").strip()


# Scan debris repaired in answer prose (never inside or next to a number): (rule, pattern, replacement, why).
PROSE_RULES: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    ("bullet_glyph", re.compile(r"(?:(?<=^)|(?<=[\s.:;]))[¢•«»■□▪●◦]\s+(?=[A-Za-z])"), "",
     "a list bullet read as a glyph ('¢ Remove cover' -> 'Remove cover')"),
    ("stray_glyph", re.compile(r"(?<=[A-Za-z,]) [\\|~_](?= [A-Za-z])"), "",
     "a photo speck read as a glyph between two words ('pull housing sections \\ apart')"),
    ("zinc_coating", re.compile(
        r"\b([Zz])ine(?=\s+(?:dust|paint|spray|primer|coat(?:ing|ed)?|plat(?:ed|ing)|chromate|rich)\b)"), r"\1inc",
     "'c' read as 'e' in 'zinc' before a coating word ('with zine dust paint' -> 'with zinc dust paint'; 'zine' "
     "is a rare English word, so the English-list repairs keep it; 'magazine' is a whole word and never matches)"),
    ("pound_unit", re.compile(r"(?<=\b(?:ft|in)\. )[Ii]bs?\b|(?<=\b(?:ft|in)-)[Ii]bs?\b"), "lbs",
     "the 'l' of 'lbs' read as 'I' or 'i' after 'ft.' / 'in.' ('(22 ft. Ibs.)', '(6.5 ft. ibs.)' -> '(… ft. lbs.)')"),
    ("model_i_bar", re.compile(r"(?<=\bBMW 3[12]\d) \|(?=[\s:.,]|$)"), " i",
     "the 'i' of a model name read as a bar ('BMW 318 |:' -> 'BMW 318 i:')"),
)

#: a length in mm with its conversion in brackets whose inch mark was read as a degree sign ('25 mm (1°)')
_INCH_AS_DEGREE_RE = re.compile(r"(?P<mm>\d+(?:[.,]\d+)?) mm \((?P<inch>\d+(?:\.\d+)?)°\)")


def inch_marks(text: str) -> str:
    """Rule ``inch_as_degree``: '25 mm (1°)' -> '25 mm (1")' only where the bracket is the length in
    inches (within 5 % or 0.02 in of mm / 25.4): a conversion printed after a length is never an angle."""
    def repl(m: re.Match[str]) -> str:
        mm, inch = float(m.group("mm").replace(",", ".")), float(m.group("inch"))
        ok = abs(inch - mm / 25.4) <= max(0.02, 0.05 * mm / 25.4)
        return f'{m.group("mm")} mm ({m.group("inch")}")' if ok else m.group(0)
    return _INCH_AS_DEGREE_RE.sub(repl, text)

#: a word broken at a printed line end: 'alterna- tor', 'BE- TWEEN' (never digits: '10- 12 Nm')
_BROKEN_WORD_RE = re.compile(r"\b([A-Za-z]{2,})- ([A-Za-z]{2,})\b")
#: words after a hyphen that make it a suspended compound ('intake- and exhaust'), never a break
_SUSPENDED = {"and", "or", "to", "nor"}


def join_broken_words(text: str, known: Callable[[str], bool] | None = None) -> str:
    """Rule ``line_end_hyphen``: 'con- nect' -> 'connect' where the joined word is a known word
    (English, :func:`manualtune.lexicon.is_english`, or ``known`` — the build's own
    vocabulary); 'left- hand' -> 'left-hand' where only the parts are words (a compound split at
    the line end); 'operat- Ing' -> 'operating' where the next line's 'i' was read as 'I'. Anything else
    ('Moly- kote', 'intake- and') is kept as printed."""
    def word(w: str) -> bool:
        return is_english(w) or (known is not None and known(w))

    def repl(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if left[-1].islower() and right[:1] == "I" and right[1:].islower() and word(left + right.lower()):
            return left + right.lower()  # the line's next 'i' read as 'I' ('operat- Ing sleeve' on 23-22)
        if right.lower() in _SUSPENDED or (left[-1].islower() != right[0].islower() and not right.islower()):
            return m.group(0)
        if word(left + right):
            return left + right
        if word(left) and word(right):
            return f"{left}-{right}"
        return m.group(0)

    return _BROKEN_WORD_RE.sub(repl, text)


def prose_line(text: str, known: Callable[[str], bool] | None = None) -> str:
    """One line of answer prose: whitespace collapsed, words broken at a line end joined
    (:func:`join_broken_words`), words the OCR glued split (rule ``glued_words``,
    :func:`manualtune.facts.glued.unglue_words`: 'thefollowing' -> 'the following'), :data:`PROSE_RULES`
    applied, inch marks read as degrees after a length put back (:func:`inch_marks`)."""
    from manualtune.facts.glued import unglue_words

    t = unglue_words(join_broken_words(one_line(text), known))[0]
    for _name, pattern, repl, _why in PROSE_RULES:
        t = pattern.sub(repl, t)
    return one_line(inch_marks(t))


def normalize_question(text: str) -> str:
    """Comparison form of a question: NFKC, lower case, punctuation dropped, spaces collapsed."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = re.sub(r"[^\w°%²³.]+", " ", t)
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)
    return one_line(t)


def identifier_tokens(text: str) -> set[str]:
    """Tokens mixing letters and digits (S14, M10, CR25T, E30): variant and part identifiers."""
    return {t.upper() for t in re.findall(r"\b(?=\w*[A-Za-z])(?=\w*\d)\w+\b", text or "")}


def clean_label(label: str | None) -> str | None:
    """Printed page label for a citation: '11 - 19' -> '11-19'; characters that would break parsing dropped."""
    if not label:
        return None
    t = re.sub(r"\s*([-–/])\s*", r"\1", one_line(label))
    t = re.sub(r"[();\[\]]", "", t).strip()
    return t or None


def _clean_file(file: str) -> str:
    return re.sub(r"[();\[\]]", "_", one_line(file)) or "?"


# --------------------------------------------------------------------------- citations


def format_one_citation(label: str | None, file: str, page: int, cfg: GenerateConfig) -> str:
    """One source: the page-label template when the printed label is known, else file + page."""
    lab = clean_label(label)
    if lab:
        return cfg.citation_template.format(label=lab, file=_clean_file(file), page=page)
    return cfg.citation_file_template.format(file=_clean_file(file), page=page, label="")


def format_citation(items: list[str], cfg: GenerateConfig) -> str:
    """All sources of an answer: distinct items in first-seen order, wrapped once."""
    seen: list[str] = []
    for it in items:
        if it and it not in seen:
            seen.append(it)
    if not seen:
        return ""
    return cfg.citation_wrapper.format(citations="; ".join(seen))


def _template_regex(template: str) -> str:
    parts = re.split(r"(\{(?:label|file|page)\})", template)
    out = []
    for p in parts:
        if p in ("{label}", "{file}"):
            out.append(r"[^();\n]+?")
        elif p == "{page}":
            out.append(r"\d+")
        else:
            out.append(re.escape(p).replace(r"\ ", r"\s*"))
    return "".join(out)


@lru_cache(maxsize=32)
def _citation_regex(template: str, file_template: str, wrapper: str) -> re.Pattern[str]:
    item = f"(?:{_template_regex(template)}|{_template_regex(file_template)})"
    items = rf"{item}(?:\s*;\s*{item})*"
    parts = wrapper.split("{citations}")
    if len(parts) != 2:
        return re.compile(r"(?!x)x")  # a wrapper without {citations} cannot be parsed: strip nothing
    return re.compile(re.escape(parts[0]) + items + re.escape(parts[1]))


def citation_regex(cfg: GenerateConfig | None = None) -> re.Pattern[str]:
    """Compiled pattern matching one citation written by :func:`format_citation`."""
    cfg = cfg or GenerateConfig()
    return _citation_regex(cfg.citation_template, cfg.citation_file_template, cfg.citation_wrapper)


def find_citations(text: str, cfg: GenerateConfig | None = None) -> list[str]:
    """The citation strings in ``text``."""
    return [m.group(0) for m in citation_regex(cfg).finditer(text or "")]


def strip_citations(text: str, cfg: GenerateConfig | None = None) -> str:
    """``text`` without its citations; spaces left before punctuation are closed up."""
    t = citation_regex(cfg).sub(" ", text or "")
    t = re.sub(r"[ \t]+([.,;:!?])", r"\1", t)
    return "\n".join(re.sub(r"[ \t]+", " ", ln).strip() for ln in t.splitlines()).strip()


# --------------------------------------------------------------------------- units

#: canonical unit spellings an answer may use after a number (plus accepted imperial prints)
CANONICAL_UNITS: tuple[str, ...] = (
    "Nm", "ft·lbf", "in·lbf", "ft. lbs.", "ft-lb", "lb-ft", "mm", "cm", "km", "mi", "in", "mm²",
    "bar", "mbar", "kPa", "MPa", "psi", "cm³", "l", "kW", "W", "hp", "PS", "rpm", "km/h", "mph",
    "V", "Ω", "kΩ", "A", "mA", "Ah", "°C", "°F", "°", "s", "ms", "min", "h", "kg", "g", "lb", "%",
)
# unit words that are misspelt when their letter case differs from the canonical one
_CASE_SENSITIVE_WORDS = {
    u.lower(): u for u in ("Nm", "mm", "cm", "km", "bar", "mbar", "kPa", "MPa", "psi", "kW", "rpm", "mph", "kΩ", "mA", "Ah")
}
# printed variants that must be written in the canonical spelling in answers
_MISSPELT: dict[str, str] = {
    "N m": "Nm", "N·m": "Nm", "N.m": "Nm", "N-m": "Nm", "° C": "°C", "º C": "°C", "ºC": "°C", "° F": "°F",
    "ºF": "°F", "º": "°", "mm2": "mm²", "cm3": "cm³", "ccm": "cm³", "KW": "kW", "Kw": "kW",
}
_UNIT_AFTER_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?|[.,]\d+)(?P<space>[ \t]?)(?P<unit>N[ ·.\-]m|[°º][ \t]?[CF]|º|[A-Za-zΩ²³]+)"
)


def unit_format_problems(text: str) -> list[str]:
    """Snippets where a number is followed by a non-canonical unit spelling ('45Nm', '45 nm', '90 ° C')."""
    problems: list[str] = []
    for m in _UNIT_AFTER_NUMBER.finditer(text or ""):
        unit, space = m.group("unit"), m.group("space")
        snippet = m.group(0)
        if unit in _MISSPELT:
            problems.append(snippet)
            continue
        low = unit.lower()
        if low in _CASE_SENSITIVE_WORDS:
            if unit != _CASE_SENSITIVE_WORDS[low] or not space:
                problems.append(snippet)
            continue
        if unit in CANONICAL_UNITS and len(unit) > 1 and unit[0].isalpha() and not space and unit not in ("°C", "°F"):
            problems.append(snippet)  # "12V" style glued multi-letter units ("5kW")
    return problems


def is_clean_unit(unit: str | None) -> bool:
    """True when ``unit`` is a spelling an answer may print after a number."""
    return bool(unit) and unit in CANONICAL_UNITS


def join_value_unit(value: str, unit: str) -> str:
    """'55' + 'Nm' -> '55 Nm'; angles and percent are closed up: '60°', '5%'; no unit -> value."""
    value, unit = value.strip(), (unit or "").strip()
    if not unit:
        return value
    if unit in ("°", "%"):
        return f"{value}{unit}"
    return f"{value} {unit}"
