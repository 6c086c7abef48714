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
  else (a value whose part is another column's is never guessed);
- a current read from a fuse label (:func:`fuse_rating_fact`, diagram-table columns and wiring text blocks
  alike) is named by its own fuse number ('FUSE 19' over '15 AMP' / '15A'), never by the labels the
  layout joined in front of it ('POWER CONTROL FUSE 20'); the fuse number is on the name's line and
  is no rating ('LINE FUSE\n2 AMP' names no fuse 2). It needs review when the label prints two fuse
  numbers, holds OCR noise words from its name to its rating's line (:func:`label_noise`: no common
  English word, code or word another label of the page prints), or its rating was not printed as
  clean digits or is no standard fuse rating (``STANDARD_FUSE_RATINGS``: '7.6 AMP' is a misread);
- a current printed with a bare 'A' outside a fuse label ('RELAY' beside a pin '1 A') needs review;
- any other value of a wiring text block (:func:`diagram_text_fact`) needs review unless the block reads as
  a sentence in front of it ('TIMER OPERATES FOR ABOUT 5 SECONDS'; 'INTERIOR\nLIGHTS 3% cans' is a pin
  number beside a connector glyph).
"""

from __future__ import annotations

import re
from decimal import Decimal

from manualtune.facts.config import FactsConfig
from manualtune.facts.fact_records import _fact_id, _make_fact
from manualtune.facts.grammar import _NUM, _NUM_GUARD, ParsedValue
from manualtune.facts.units import normalise_number
from manualtune.lexicon import count
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
#: the number is on the name's line and is no rating ('LINE FUSE\n2 AMP' names no fuse 2)
_FUSE_NAME = re.compile(r"(?i)\bfuse[ \t]+(?P<n>\d{1,2})\b(?![ \t]*(?:\.\d|A\b|AMPS?\b))")


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


#: fuse ratings (A) a fuse is made in; a rating outside the set is a misread ('7.6 AMP' for '7.5 AMP')
STANDARD_FUSE_RATINGS = frozenset(Decimal(x) for x in (
    "1", "2", "3", "4", "5", "7.5", "8", "10", "15", "16", "20", "25", "30", "35", "40", "50", "60", "70", "80", "100",
))
#: a fuse rating as printed: digits only, '7.5' at most one decimal ('7.S', '1O' are not clean)
_CLEAN_RATING = re.compile(r"\d{1,3}(?:\.\d)?")
#: words a fuse label prints besides its name and rating that need no check
_LABEL_CODE = re.compile(
    r"(?i)(?:amps?|a|fuse|\d+(?:\.\d+)?(?:a|amps?)?|[A-Z]{1,2}\d{1,4})"  # rating, name, connector id (C106, K7)
)
_COLOURS = frozenset(("BK BR RD GN BU BL YL YE WT WH GY GR VI VT OR PK LT SW RT GE WS").split())
#: an English word this frequent in the word list is a word; rarer ones ('taney') only when printed elsewhere
_COMMON_WORD_COUNT = 50


def _label_tokens(text: str) -> list[str]:
    return [t for t in (re.sub(r"^[^\w/]+|[^\w/]+$", "", w) for w in text.split()) if len(t) > 1]


def _one_glyph_off(word: str) -> bool:
    """A long word read with one wrong letter ('oistribution' for 'distribution'): a word, not debris."""
    if len(word) < 6:
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    return any(count(word[:i] + c + word[i + 1:]) > _COMMON_WORD_COUNT
               for i in range(len(word)) for c in letters if c != word[i])


def label_noise(text: str, elsewhere: frozenset[str] = frozenset()) -> list[str]:
    """The OCR noise words of a diagram label: tokens of two or more characters that are no rating,
    fuse name, connector id or colour code, no common English word (nor a long one read one letter off,
    'OISTRIBUTION'), and not printed in another label of the page (``elsewhere``, lower case):
    'FUSE 20 taney' -> ['taney'], 'j 20x DETAILS' -> ['20x']."""
    noise = []
    for tok in _label_tokens(text):
        if _LABEL_CODE.fullmatch(tok) or all(p.upper() in _COLOURS for p in tok.split("/")):
            continue
        if re.fullmatch(r"[A-Za-z][A-Za-z\-/]*", tok):  # 'IN-LINE', 'A/C'
            parts = [x for x in re.split(r"[-/]", tok.lower()) if len(x) > 1]
            if all(count(x) > _COMMON_WORD_COUNT or x in elsewhere or _one_glyph_off(x) for x in parts):
                continue
        noise.append(tok)
    return noise


def _label_span(text: str, rating: str) -> str:
    """A label from its fuse name to the end of its rating's line: what is printed in front of the name
    ('TTT power' above 'FUSE 6', the box's dashed edge) is another label's."""
    m = _FUSE_NAME.search(text)
    start = m.start() if m else 0
    pat = re.compile(rf"(?<![\d.]){re.escape(rating)}(?![\d.])") if rating else None
    hit = pat.search(text, start) if pat is not None else None
    end = text.find("\n", hit.end()) if hit else -1
    return text[start:end if end >= 0 else len(text)]


def fuse_rating_fact(fact: SpecFact, label_text: str, elsewhere: frozenset[str] = frozenset()) -> SpecFact:
    """A current read from a fuse label of a wiring diagram ('POWER\nFUSE 19\n15 AMP', 'A/C IN-LINE FUSE
    2 AMP'): named by its own fuse number ('FUSE 19', the printed rating its value), never by the
    label soup in front of it. It needs review when the label prints two fuse numbers (two labels
    read as one), holds OCR noise words (:func:`label_noise`), or the rating is no standard fuse
    rating or was not printed as clean digits. Other facts come back unchanged."""
    if fact.unit != "A" or fact.quantity != "current":
        return fact
    if not re.search(r"(?i)\bfuse\b", label_text):
        if (fact.unit_printed or "").strip().upper() != "A" or fact.needs_review:
            return fact
        reason = "a bare 'A' on a wiring diagram outside a fuse label (a pin or terminal letter as often as amperes)"
        return fact.model_copy(update={"needs_review": True, "review_reason": "; ".join(
            r for r in (fact.review_reason, reason) if r)})
    fuses = sorted(set(_FUSE_NAME.findall(label_text)), key=int)
    problems: list[str] = []
    if len(fuses) > 1:
        problems.append(f"fuse label unclear: fuse numbers {', '.join(fuses)} in one label")
    noise = label_noise(_label_span(label_text, fact.value_printed or "") if len(fuses) == 1 else label_text, elsewhere)
    if noise:
        problems.append(f"fuse label unclear: OCR noise {' '.join(noise)!r}")
    printed = (fact.value_printed or "").strip()
    if not _CLEAN_RATING.fullmatch(printed):
        problems.append(f"fuse rating digits unclear {printed!r}")
    elif fact.value_max is not None or Decimal(fact.value) not in STANDARD_FUSE_RATINGS:
        problems.append(f"no standard fuse rating {printed!r} A")
    comp = f"FUSE {fuses[0]}" if len(fuses) == 1 else fact.component
    reasons = [r for r in (fact.review_reason or "").split("; ") if r]
    review = fact.needs_review
    if review and comp != fact.component and all(r.startswith("component unclear") for r in reasons):
        reasons, review = [], False  # its own name: what the old component lacked no longer counts
    value = fact.value if fact.value_max is None else f"{fact.value}-{fact.value_max}"
    return fact.model_copy(update={
        "component": comp, "needs_review": review or bool(problems),
        "review_reason": "; ".join(reasons + problems) or None,
        "fact_id": _fact_id(fact.source.page_id or "", comp, value, fact.unit, fact.condition, fact.variant),
    })


#: common English words a diagram note prints in front of its value before it reads as a sentence
_SENTENCE_WORDS = 3


def diagram_text_fact(fact: SpecFact, label_text: str, elsewhere: frozenset[str] = frozenset()) -> SpecFact:
    """A fact of a wiring-diagram text block: a current is a fuse label's (:func:`fuse_rating_fact`); a
    wire label stays; any other value needs review unless the block reads as a sentence up to it (at
    least ``_SENTENCE_WORDS`` common English words in front: 'TIMER OPERATES FOR ABOUT 5 SECONDS'): a
    pin number beside a connector glyph reads as '3%' or '3°' in a label ('INTERIOR\nLIGHTS 3% cans')."""
    if fact.quantity == "wire":
        return fact
    if fact.unit == "A" and fact.quantity == "current":
        return fuse_rating_fact(fact, label_text, elsewhere)
    if fact.needs_review:
        return fact
    m = re.search(rf"(?<![\d.]){re.escape(fact.value_printed or fact.value)}(?![\d])", label_text)
    before = label_text[:m.start()] if m else label_text
    said = [w for w in re.findall(r"[A-Za-z]{2,}", before)
            if w.upper() not in _COLOURS and count(w) > _COMMON_WORD_COUNT]
    if len(said) >= _SENTENCE_WORDS:
        return fact
    reason = f"a diagram label, no sentence, in front of {fact.value_printed or fact.value!r} (a pin number reads as a value)"
    return fact.model_copy(update={"needs_review": True, "review_reason": "; ".join(
        r for r in (fact.review_reason, reason) if r)})


def label_words_elsewhere(labels: tuple[tuple[str, str], ...], own_block: str) -> frozenset[str]:
    """The words (lower case) the other diagram labels of a page print."""
    return frozenset(w.lower() for bid, t in labels if bid != own_block for w in re.findall(r"[A-Za-z]{2,}", t or ""))


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
