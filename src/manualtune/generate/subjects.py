"""Question subjects and value qualifiers read back from a fact's printed source.

* :func:`table_parent` — a torque table's sub-row names only a part of the item above it
  ('2AZ End ring for fuel tank' / 'Plastic sealing ring, 26.5 mm high … 40 Nm'): the subject is
  'end ring for fuel tank (plastic sealing ring, 26.5 mm high)'. A row is a sub-row when it has no
  item number and either starts in lower case ('screws in firewall' under '6AZ Holder to firewall')
  or follows an item row that prints no value, with no item number missing after that item (a
  missing '2AZ' means the row *is* item 2, read without its number). An item whose label ends in its
  own fastener ('Fuel tank to body / Screw') gives its other fastener sub-rows ('nut') the item alone:
  'fuel tank to body (nut)'.
* :func:`fuse_subject` — a wiring diagram's fuse label read with its neighbours ('SWITCH FUSE 21
  DISTRIBUTION PAGE 1240-0') is asked as 'fuse 21' when it names exactly one fuse.
* :func:`value_qualifier` — 'max.', 'min.', 'approx.', 'at least' printed right before the value
  ('Testing time max. 10 sec.') stays in the answer ('max. 10 s'); so does a 'maximum' / 'minimum'
  that the fact's section title prints for the table's values ('M14 and M14x1.5 - maximum tightening
  torques acc. to BMW N 600 02.0': every torque of the table is a maximum).
* :func:`instruction_subject` — a value an instruction brings its object to ('Heat new bearing
  inner race to approx. 80° C') is asked as the instruction: 'To what temperature should the new
  bearing inner race be heated?'.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from manualtune.facts.components import _FASTENERS
from manualtune.generate.text import one_line
from manualtune.records import Block, SpecFact, TableRow

#: a torque table's item number in front of the name ('5AZ', OCR 'SAZ', '7AZ' read 'TAZ', '3AZ___')
ITEM_NUMBER_RE = re.compile(r"^\(?(?P<n>\d{1,2}|[SsTtIlO|])\s?A\s?Z\)?[\s_]*")
_ITEM_DIGIT = {"S": "5", "s": "5", "T": "7", "t": "7", "I": "1", "l": "1", "|": "1", "O": "0"}


def item_number(label: str) -> int | None:
    """'5AZ Wiper shaft nut' -> 5, 'SAZ …' -> 5 (OCR), a label without an item number -> None."""
    m = ITEM_NUMBER_RE.match(one_line(label))
    if not m:
        return None
    n = m.group("n")
    return int(_ITEM_DIGIT.get(n, n)) if (n.isdigit() or n in _ITEM_DIGIT) else None


def _label(row: TableRow) -> str:
    return one_line(row.cells[0].text) if row.cells else ""


def _has_value(row: TableRow) -> bool:
    return any(re.search(r"\d", c.text) for c in row.cells[1:])


def _name(label: str) -> str:
    """An item label as a name: no item number, no footnote text after '*', no bracketed remark."""
    t = ITEM_NUMBER_RE.sub("", one_line(label))
    t = re.sub(r"\s*\*.*$", "", t)
    t = re.sub(r"\s*\([^)]*\)?\s*$", "", t)
    return t.strip(" .,;:-–_")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _row_index(fact: SpecFact, block: Block) -> int | None:
    """The row the fact was read from: its printed line, else the one row carrying its name."""
    text = _norm(fact.text)
    for i, row in enumerate(block.rows):
        if _norm(" ".join(c.text for c in row.cells)) == text:
            return i
    comp = _norm(_name(fact.component))
    hits = [i for i, row in enumerate(block.rows) if comp and _norm(_name(_label(row))) == comp]
    return hits[0] if len(hits) == 1 else None


def table_parent(fact: SpecFact, block: Block | None) -> str | None:
    """The name of the item a sub-row belongs to (see the module docstring), else None."""
    if block is None or not block.rows:
        return None
    i = _row_index(fact, block)
    if i is None:
        return None
    while i > 0 and not _label(block.rows[i]):
        i -= 1  # a row without a name carries the name of the row above ('' E38/E39 40 Nm)
    label = _label(block.rows[i])
    if not label or item_number(label) is not None:
        return None
    j = next((k for k in range(i - 1, -1, -1) if item_number(_label(block.rows[k])) is not None), None)
    if j is None:
        return None
    parent_label = _label(block.rows[j])
    parent = _name(parent_label)
    if not parent or _norm(parent) in _norm(fact.component) or _norm(label).split()[:1] == _norm(parent).split()[:1]:
        return None  # already named, or a sibling phrasing ('Clamping bolt in drag arm' after '… rocker arm')
    parent = _without_own_fastener(parent, label)
    if label[:1].islower():
        return parent
    if _has_value(block.rows[j]):
        return None
    n = item_number(parent_label)
    nxt = next((k for k in range(i + 1, len(block.rows)) if item_number(_label(block.rows[k])) is not None), None)
    if nxt is not None and n is not None and item_number(_label(block.rows[nxt])) != n + 1:
        # an item number is missing: the last named row before the next item is that item, read without it
        if not any(_label(r) for r in block.rows[i + 1: nxt]):
            return None
    return parent


def _without_own_fastener(parent: str, label: str) -> str:
    """The item of a parent row whose label ends in its own fastener, when the sub-row is another
    fastener of that item: '1AZ Fuel tank to body / Screw' (All, 23 Nm) over 'nut' (E30, 25 Nm) is
    the item 'Fuel tank to body', so the nut is asked 'fuel tank to body (nut)', never 'Screw (nut)'."""
    words = parent.split()
    sub = _norm(label).split()
    if len(words) >= 3 and words[-1].lower() in _FASTENERS and sub and sub[-1] in _FASTENERS \
            and sub[-1].rstrip("s") != words[-1].lower().rstrip("s"):
        return " ".join(words[:-1])
    return parent


def subject_with_parent(component: str, parent: str | None) -> str:
    """'Plastic sealing ring, 26.5 mm high' + 'End ring for fuel tank' ->
    'End ring for fuel tank (plastic sealing ring, 26.5 mm high)'."""
    if not parent:
        return component
    sub = ITEM_NUMBER_RE.sub("", one_line(component)).strip(" .,;:")
    if sub[:1].isupper() and sub[1:2].islower():
        sub = sub[0].lower() + sub[1:]
    return f"{parent} ({sub})"


_FUSE_RE = re.compile(r"(?i)\bfuse\s+(\d{1,2})\b")


def fuse_subject(component: str) -> str | None:
    """'SWITCH FUSE 21 DISTRIBUTION PAGE 1240-0 OFF 1' -> 'fuse 21'; no or two fuse numbers -> None."""
    found = {int(m.group(1)) for m in _FUSE_RE.finditer(component or "")}
    return f"fuse {found.pop()}" if len(found) == 1 else None


#: qualifiers printed right before a value, and how the answer writes them. Each row has a test.
QUALIFIERS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("max", re.compile(r"(?i)(?:\bmax(?:imum)?\.?|\bnot\s+(?:to\s+)?exceed|\bnot\s+more\s+than|\bup\s+to)\s*$"), "max."),
    ("min", re.compile(r"(?i)(?:\bmin(?:imum)?\.?|\bat\s+least|\bnot\s+less\s+than)\s*$"), "min."),
    ("approx", re.compile(r"(?i)(?:\bapprox(?:imately)?\.?|\babout|\bca\.)\s*$"), "approx."),
)


def value_qualifier(fact: SpecFact) -> str | None:
    """'max.' / 'min.' / 'approx.' when the printed text says so right before the fact's only
    printed occurrence of its value; None when there is none or the value is printed twice."""
    text = one_line(fact.text)
    value = one_line(fact.value_printed)
    if not value or not re.search(r"\d", value):
        return None
    hits = [m for m in re.finditer(rf"(?<![\d.,]){re.escape(value)}(?![\d])", text)]
    if len(hits) != 1:
        return None
    before = text[max(0, hits[0].start() - 24): hits[0].start()]
    before = re.sub(r"[=:]\s*$", "", before.rstrip())
    named = _named_before(text[: hits[0].start()], fact.component)
    for _rule, pattern, written in QUALIFIERS:
        if pattern.search(before) or (named is not None and pattern.search(named)):
            return written
    return section_qualifier(fact)


#: a section title that makes every value of its table a limit: 'maximum tightening torques',
#: 'Max. permissible torques', 'minimum values'; the quantity word names the facts it holds for
_SECTION_LIMIT_RE = re.compile(
    r"(?i)\b(?P<q>max(?:imum)?|min(?:imum)?)\.?\s+(?:permissible\s+|permitted\s+|allowable\s+)?"
    r"(?:tightening\s+)?(?P<what>torques?|values?|pressures?|clearances?|play|temperatures?|speeds?)\b"
)
_SECTION_QUANTITY = {"torque": "torque", "pressure": "pressure", "clearance": "clearance", "play": "clearance",
                     "temperature": "temperature", "speed": "speed"}


def section_qualifier(fact: SpecFact) -> str | None:
    """'max.' / 'min.' when the fact's section title says its values are limits ('... maximum
    tightening torques ...') and names the fact's quantity (or just 'values'); else None."""
    m = _SECTION_LIMIT_RE.search(one_line(fact.section or ""))
    if m is None:
        return None
    wanted = _SECTION_QUANTITY.get(m.group("what").lower().rstrip("s"))
    if wanted is not None and wanted != fact.quantity:
        return None
    return "max." if m.group("q").lower().startswith("max") else "min."


def _named_before(prefix: str, component: str) -> str | None:
    """The text before the component's name when the name is the last thing printed before the value
    ('Maximum “spring pressure” = ' -> 'Maximum'), else None."""
    words = re.findall(r"[A-Za-z0-9]+", component or "")
    if not words:
        return None
    pat = r"\W*".join(re.escape(w) for w in words) + r"[\W]*$"
    m = re.search(pat, prefix, re.IGNORECASE)
    return prefix[max(0, m.start() - 16): m.start()].rstrip(" “\"'‘") if m else None


#: instruction verbs whose object is brought to a value ('Heat new bearing inner race to approx.
#: 80° C'), with the participle the question uses ('To what temperature should … be heated?')
INSTRUCTION_VERBS: dict[str, str] = {
    "heat": "heated", "adjust": "adjusted", "set": "set", "preload": "preloaded", "inflate": "inflated",
    "tighten": "tightened", "reduce": "reduced", "cool": "cooled", "warm": "warmed", "torque": "torqued",
}
_LINK_TO_RE = re.compile(r"(?i)^\s*to\s*(?:(?:max|min|approx)\.?|maximum|minimum|approximately|about|at\s+least)?\s*$")
_OBJECT_STOP = {"and", "or", "the", "of", "to", "with", "for", "on", "in", "at", "by", "from", "a", "an", "that"}
_OBJECT_BAD = re.compile(r"(?i)\b(?:that|there|which|whereby|when|while|until|after|before|if|e\.?g|only|also|"
                         r"then|briefly|thoroughly|immediately)\b|[a-z]-\s+[a-z]|[;:!?]")


class Instruction(BaseModel):
    """A value an instruction brings its object to: 'Heat new bearing inner race to approx. 80° C'."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    verb: str
    participle: str
    object: str


def instruction_subject(fact: SpecFact) -> Instruction | None:
    """The instruction a prose value belongs to, when the text prints '<verb> [the] <object> to
    <value>' with a verb of :data:`INSTRUCTION_VERBS` and a clean object (no clause, no split word,
    not ending in a stop word); else None."""
    text = one_line(fact.text)
    value = one_line(fact.value_printed)
    words = re.findall(r"[A-Za-z0-9]+", fact.component or "")
    if not words or not value:
        return None
    pat = r"[\W_]*".join(re.escape(w) for w in words)
    for m in re.finditer(pat, text, re.IGNORECASE):
        after = text[m.end():]
        v = after.find(value)
        if v < 0 or not _LINK_TO_RE.match(after[:v]):
            continue
        phrase = m.group(0)
        first = words[0].lower()
        before = re.findall(r"[A-Za-z]+", text[: m.start()])
        if first in INSTRUCTION_VERBS:
            verb, obj = first, phrase[len(words[0]):]
        elif before and before[-1].lower() in INSTRUCTION_VERBS:
            verb, obj = before[-1].lower(), phrase
        elif len(before) >= 2 and before[-1].lower() == "the" and before[-2].lower() in INSTRUCTION_VERBS:
            verb, obj = before[-2].lower(), phrase
        else:
            continue
        obj = re.sub(r"(?i)^\s*the\s+", "", one_line(obj)).strip(" ,.-–")
        obj_words = re.findall(r"[A-Za-z]+", obj)
        if (not obj_words or not any(len(w) >= 3 for w in obj_words) or obj_words[-1].lower() in _OBJECT_STOP
                or obj_words[0].lower() in INSTRUCTION_VERBS or _OBJECT_BAD.search(obj)
                or re.search(r"\b[a-z]{2,}\s+[A-Z][a-z]", obj)):
            return None
        if obj[:1].isupper() and obj[1:2].islower():
            obj = obj[0].lower() + obj[1:]
        return Instruction(verb=verb, participle=INSTRUCTION_VERBS[verb], object=obj)
    return None


#: identifiers OCR misreads the same way, repaired in question subjects and conditions: (rule,
#: pattern, replacement, why). Each row has a test.
IDENTIFIER_REPAIRS: tuple[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str], str], ...] = (
    ("gearbox_a5s", re.compile(r"\bASS(?=\s?\d{3}\s?[A-Z]\b)"), "A5S", "ZF gearbox 'A5S 300J' read 'ASS 300J'"),
    ("gearbox_a4s", re.compile(r"\bAAS(?=\s?\d{3}\s?[A-Z]\b)"), "A4S", "ZF gearbox 'A4S 270R' read 'AAS 270R'"),
    ("engine_code_case", re.compile(r"(?<![\w.])([ms])(?=\d{2}(?:/|;|$|\s|,))"), lambda m: m.group(1).upper(),
     "an engine code read in lower case ('m21' -> 'M21'; 'm 3' / 'mm' never)"),
)


def repair_identifiers(text: str) -> str:
    """``text`` with the :data:`IDENTIFIER_REPAIRS` applied."""
    for _rule, pattern, repl, _why in IDENTIFIER_REPAIRS:
        text = pattern.sub(repl, text)
    return text


def thread_from_condition(component: str, condition: str | None) -> str:
    """'MS thread' with condition 'M5 8.8' -> 'M5 thread': a thread size read as letters ('MS', 'Ms')
    is taken from the condition the same row prints, never guessed."""
    m = re.fullmatch(r"M[SsOo]\s+thread", one_line(component))
    c = re.match(r"\s*(M\d{1,2}(?:x[\d.]+)?)\s", condition or "")
    return f"{c.group(1)} thread" if m and c else component
