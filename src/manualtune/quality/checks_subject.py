"""Subject checks of dataset validation: a SPEC question must name the thing its value belongs to.

Found by eye in the realpages audits (``docs/audit/``): a value read from running text gets as
its "component" whatever words stood before it ('stop of pedal base that there', 'briefly',
'Heat case rear section', 'option- ally'), and a wiring diagram's value gets a run of neighbouring
labels ('DISTRIBUTION 1 8 FUSE 12 1 OISTRIBUTION'). Such a question cannot be made right from the
records, so the example is excluded with the reason of the first rule it trips:

* ``prose_subject`` — a value from prose (paragraph, step, note, caution, warning; not a table row
  a text layer gave as a paragraph, :func:`table_row_text`) is asked only
  when its component reads as the value's name: printed right before the value with only a link
  between them (':', '=', 'is', 'of', 'to' after 'adjust', 'max.', …), it names a measured
  quantity ('axial play', 'testing time', 'towing speed'), and it is not a clause
  (:data:`PROSE_SUBJECT_RULES`, one test per row);
* ``wiring_subject`` — a value from a wiring diagram is asked only as one fuse's rating ('fuse 21')
  with a rating fuses are made in (:data:`FUSE_RATINGS`), never as a stated conflict, or as a wire;
* ``foreign_subject`` — a subject or condition in another language (the Italian Motronic pages:
  'relé principole', 'maggiore di'): :data:`FOREIGN_WORDS`;
* ``wire_endpoints`` — a wire cross-section whose ends are colour codes or numbers ('wire 75 BR ->
  sau') names no component;
* ``unit_column`` — a torque table row whose unit column prints 'Nm' answered in degrees (the
  footnote mark of '40*' read as '40°').
"""

from __future__ import annotations

import re
from collections.abc import Callable

from manualtune.generate.subjects import fuse_subject, instruction_subject
from manualtune.generate.templates import SELF_DESCRIBING_WORDS
from manualtune.generate.text import one_line
from manualtune.quality.checks_grounding import _Index
from manualtune.records import Block, Example, SpecFact

PROSE_KINDS = frozenset({"paragraph", "procedure_step", "note", "caution", "warning", "troubleshooting"})

#: words that name a measured quantity: a prose component must hold one ('axial play')
QUANTITY_WORDS = frozenset(SELF_DESCRIBING_WORDS) | {
    "time", "distance", "preload", "protrusion", "interval", "period", "pressures", "temperatures",
    "deviation", "offset", "torques", "clearances", "lengths", "thicknesses", "diameters", "speeds",
}

#: imperative or participle first words: the component is an instruction, not a thing
_VERBS = frozenset("""
remove install turn heat cut pour ream drill punch mark mount tighten loosen unscrew screw insert press
push pull lift place fill drain check measure apply coat paste slide open close reduce increase decrease
read note use inflate switch connect disconnect let make hold align grind weld drive lock load replace
clean rotate tested performed recognized balancing position move bend fit secure attach lower raise
unclip clip glue prime seal paint wait run start stop set adjust""".split())

#: words that make a phrase a clause or an aside, not a name
_CLAUSE_WORDS = frozenset("""
that there which whereby when whenever while until after before if e.g eg example only also then
briefly thoroughly immediately uniformly optionally evenly slowly approximately each every by""".split())
_LY_NOT_ADVERB = frozenset({"assembly", "supply", "reply", "family", "apply", "poly", "butterfly"})

#: what may stand between a prose component and its value
_LINK_RE = re.compile(
    r"(?i)^(?:\s|[:=“”\"'‘’()–—-]|\b(?:is|are|of|be|should|must|not|to|exceed|max|min|maximum|minimum|"
    r"approx|approximately|about|at|least|than|more|less|only|up|amounts?|equals?)\b|\.)*$"
)
#: an equation between a name and its value ('Total operation time = warming up time + test time = 40 s')
_EQUATION_RE = re.compile(r"^\s*=[^.=:;]*=\s*$")
#: words allowed right before a prose component (else it must start a sentence or a label)
_ARTICLES = frozenset({"the", "a", "an"})
_LEAD_WORDS = frozenset({"max", "maximum", "min", "minimum", "adjust", "set", "nominal",
                         "specified", "permissible", "permitted", "total", "check"})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:\.[a-z]+)*", text.lower())


def _named_in_text(fact: SpecFact) -> bool:
    """The component is printed right before the value, with only a link word between (':', '=',
    'is', 'to', 'max.'), and starts a sentence or follows a lead word ('the', 'max.', 'adjust')."""
    text = one_line(re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "", fact.text))
    words = re.findall(r"[A-Za-z0-9]+", fact.component)
    if not words or not fact.value_printed:
        return False
    pat = r"[\W_]*".join(re.escape(w) for w in words)
    for m in re.finditer(pat, text, re.IGNORECASE):
        after = text[m.end():]
        v = after.find(one_line(fact.value_printed))
        if v < 0 or v > 60 or not (_LINK_RE.match(after[:v]) or _EQUATION_RE.match(after[:v])):
            continue
        before = text[: m.start()].rstrip(" “\"'‘")
        if not before or before[-1] in ".:;!?)]":
            return True
        last = (_words(before[-12:]) or [""])[-1]
        if last in _ARTICLES:  # 'The air drying time is …' at a sentence start, never '… at a wheel speed of'
            rest = before[: len(before) - len(last)].rstrip()
            if not rest or rest[-1] in ".:;!?)]" or (_words(rest[-12:]) or [""])[-1] in _LEAD_WORDS:
                return True
        elif last in _LEAD_WORDS:
            return True
    return False


def _composed(fact: SpecFact) -> bool:
    """A component the facts stage put together from the context ('clutch slave cylinder diameter'
    for 'A slave cylinder with a diameter of 22.2 mm' under the clutch heading): not printed as one
    phrase, so not the words that merely stood before the value."""
    words = re.findall(r"[A-Za-z0-9]+", fact.component)
    pat = r"[\W_]*".join(re.escape(w) for w in words)
    return bool(words) and re.search(pat, one_line(fact.text), re.IGNORECASE) is None


def _staged(fact: SpecFact) -> bool:
    """A stage sequence ('Step 1 10 Nm … Step 3 60° + 2° torque angle'): named from its heading."""
    return bool(fact.stages) or bool(re.search(r"(?i)\b(?:stage|step)\s*\d", fact.condition or ""))


def _dangling(component: str) -> str | None:
    words = _words(component)
    if words and words[-1] in _DANGLING:
        return words[-1]
    m = re.search(r"(?i)\b(?:at|by|from|of|with|to)\s+(?:a\s+|an\s+)?(\w+)\s*$", component)
    if m and m.group(1).lower() in QUANTITY_WORDS:
        return m.group(0)  # 'holes from a size', 'window all around at distance': the value's own words
    return None


def _worked_example(fact: SpecFact) -> str | None:
    text = one_line(fact.text)
    v = text.find(one_line(fact.value_printed))
    if v < 0:
        return None
    window = text[max(0, v - 80): v]
    ends = [m.end() for m in re.finditer(r"(?<!\be\.g)(?<!\be\. g)\.\s+(?=[A-Z])", window)]
    window = window[ends[-1]:] if ends else window  # the value's own sentence
    m = re.search(r"(?i)\b(?:example|e\.\s?g)\b", window)
    return m.group(0) if m else None


_DANGLING = frozenset({"there", "which", "that", "than", "more", "less", "of", "to", "by", "with", "for", "from", "and", "or", "the", "a", "at",
                       "on", "in", "into", "between", "about", "approx", "least"})
_STOP = frozenset({"of", "to", "for", "on", "in", "at", "by", "with", "and", "or", "the", "a", "an", "from"})


def _spliced(component: str) -> str | None:
    """'angle Conrod', 'gear Only': a lower-case word (no stop word) before a capitalised one, or
    capitalised words before a lower-case one; a title ('Tightening Torque of Conrod Bolts') is no splice."""
    for m in re.finditer(r"\b([a-z]{2,})\s+([A-Z][a-z]{2,})\b", component):
        if m.group(1) not in _STOP:
            return m.group(0)
    m = re.search(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+[a-z]{3,}\b", component)
    if m:
        return m.group(0)  # 'Down Control Lever temperature': a label run into the text
    m = re.search(r"\b[A-Z]{3,}(?:\s+[A-Z]{2,})+\s+[a-z]{3,}\b", component)
    return m.group(0) if m else None  # 'REMOVING AND INSTALLING bolt': a heading glued to a word


def _clause_word(component: str) -> str | None:
    m = re.search(r"(?i)\b(?:and|or)\s+(?:at|in|on|with|to|for|by|from)\b", component)
    if m:
        return m.group(0)  # 'closed throttle valve and at room temperature'
    for w in _words(component):
        if w in _CLAUSE_WORDS or (w.endswith("ly") and len(w) > 4 and w not in _LY_NOT_ADVERB):
            return w
    return None


#: (rule, check on the fact -> detail or None, why). Each row has a test.
PROSE_SUBJECT_RULES: tuple[tuple[str, Callable[[SpecFact], str | None], str], ...] = (
    ("split_word", lambda f: "split word" if re.search(r"[a-z]-\s+[a-z]|\b[a-z] [a-z]\b", f.component) else None,
     "a word broken over two lines or spaced out ('option- ally', 'o f') is scan debris"),
    ("spliced", lambda f: _spliced(f.component),
     "a lower-case word before a capitalised one ('down Control Lever temperature', 'angle Conrod bearing "
     "play'): the phrase runs over the end of one line or sentence into the next"),
    ("verb_head", lambda f: (_words(f.component) or [""])[0] if (_words(f.component) or [""])[0] in _VERBS else None,
     "the phrase starts with an instruction verb ('Heat case rear section', 'Pour'): it is a step, not a part"),
    ("clause", lambda f: _clause_word(f.component),
     "the phrase holds a clause or an aside ('stop of pedal base that there', 'briefly', 'e.g')"),
    ("no_quantity", lambda f: None if set(_words(f.component)) & QUANTITY_WORDS or "out of true" in
     f.component.lower() or _staged(f) else "no quantity word",
     "the phrase names no measured quantity ('starting interlock', 'wheel'): what the value is stays unsaid"),
    ("dangling_end", lambda f: _dangling(f.component),
     "the phrase ends in a word that wants more ('Continuous cracks with a length of more than') or in the "
     "value's own words ('holes from a size', 'all around at distance')"),
    ("worked_example", lambda f: _worked_example(f),
     "the value is a worked example ('Example: Engine angle 2°', 'circlip thickness, e.g. 1.30 mm'), not a spec"),
    ("bare_quantity", lambda f: "bare" if not [w for w in _words(f.component)
                                                if w not in QUANTITY_WORDS and len(w) > 1 and w not in ("the", "a")]
     else None,
     "only a quantity word, or one with a figure letter ('Preload', 'Distance A'): of what is not said"),
    ("not_named", lambda f: None if _named_in_text(f) or _staged(f) or _composed(f)
     else "not printed as the value's name",
     "the phrase is not printed right before the value as its name ('Turn wheels that each tapped bore')"),
)


#: the rules that still apply to a name the facts stage took from a row or heading (:func:`table_row_text`)
_DEBRIS_RULES = frozenset({"split_word", "spliced", "dangling_end"})


def prose_subject_problem(fact: SpecFact) -> str | None:
    """'rule: detail' of the first :data:`PROSE_SUBJECT_RULES` row a prose fact trips, else None."""
    named_elsewhere = table_row_text(fact)
    for name, check, _why in PROSE_SUBJECT_RULES:
        if named_elsewhere and name not in _DEBRIS_RULES:
            continue
        detail = check(fact)
        if detail:
            return f"{name}: {detail}"
    return None


#: ratings blade and ceramic fuses are made in (A): a fuse value outside these is a misread
FUSE_RATINGS = frozenset({"1", "2", "3", "4", "5", "7.5", "8", "10", "15", "16", "20", "25", "30", "40", "50", "60"})
_COLOUR = r"(?:BK|BR|RD|GN|BL|BU|YL|YE|WT|GY|VI|OR|PK|SW|RT|WS|GE)"


def _wire_endpoints_garbled(component: str) -> bool:
    ends = [e.strip() for e in re.sub(r"^wire\s+", "", component).split("->")]
    return any(re.search(rf"^[\d.]|\b{_COLOUR}\b", e) or not re.search(r"[A-Za-z]{3}|^[A-Z]\d+", e) for e in ends)


def _unit_column_mismatch(fact: SpecFact, block: Block) -> bool:
    """A table row that prints 'Nm' in its unit column answered with an angle."""
    if fact.unit != "°" or fact.stages:
        return False
    for row in block.rows:
        cells = [c.text for c in row.cells]
        line = re.sub(r"[^a-z0-9]+", " ", " ".join(cells).lower()).strip()
        if line and line == re.sub(r"[^a-z0-9]+", " ", fact.text.lower()).strip():
            return bool(cells) and re.match(r"^\s*Nm\b", cells[-1]) is not None
    return False


#: function words of the other languages printed in the manual's booklets (the Bosch Motronic pages
#: are Italian): a question names its thing in English or is not asked
FOREIGN_WORDS = frozenset("""
di del della delle dei degli su sul sulla tra con da per il lo gli una und der das mit von zu les des du
et avec maggiore minore segnale tensione relé principale interruttore""".split())


def foreign_word(text: str) -> str | None:
    """The first :data:`FOREIGN_WORDS` word of ``text``, else None."""
    return next((w for w in re.findall(r"[a-zé]+", (text or "").lower()) if w in FOREIGN_WORDS), None)


def table_row_text(fact: SpecFact) -> bool:
    """A value the facts stage named from elsewhere than the words before it: a table row that a text
    layer gave as a paragraph ('E30 25 Nm (ft. lbs.)' under the row name 'Connecting pipe to fuel
    tank' in BMW_Torque_Specs.pdf), a heading. Its name is not printed in its text
    (:func:`_composed`), so only the debris rules (split word, dangling end) apply."""
    return _composed(fact)


def subject_problem(ex: Example, index: _Index) -> tuple[str, str] | None:
    """(reason, detail) when a SPEC question cannot name the thing its value belongs to, else None."""
    if ex.task != "SPEC" or ex.refusal:
        return None
    facts = [index.facts[i] for i in ex.fact_ids if i in index.facts and not index.facts[i].derived]
    for f in facts:
        block = index.blocks.get(f.block_id or "")
        kind = block.kind if block is not None else None
        foreign = foreign_word(f"{f.component} {f.condition or ''}")
        if foreign:
            return "foreign_subject", f"{f.component!r}: {foreign!r}"
        if f.quantity == "current" and kind != "wiring" and fuse_subject(f.component) and (
                f.value not in FUSE_RATINGS or f.value_max):
            return "wiring_subject", f"{f.value} {f.unit}: no fuse is made in this rating"
        if kind in PROSE_KINDS:
            instr = instruction_subject(f)
            problem = None if instr is not None and instr.participle in ex.question else prose_subject_problem(f)
            if problem:
                return "prose_subject", f"{f.component!r}: {problem}"
        if kind == "wiring" and f.quantity != "wire":
            if f.quantity != "current" or fuse_subject(f.component) is None:
                return "wiring_subject", f"{f.component!r}: not one fuse's rating"
            if f.value not in FUSE_RATINGS or f.value_max:
                return "wiring_subject", f"{f.value} {f.unit}: no fuse is made in this rating"
            if ex.conflict_stated:
                return "wiring_subject", "fuse ratings read differently on two diagrams"
        if f.quantity == "wire" and _wire_endpoints_garbled(f.component):
            return "wire_endpoints", f.component
        if block is not None and block.kind == "table" and _unit_column_mismatch(f, block):
            return "unit_column", f"{f.value_printed}{f.unit_printed} in a row printed in Nm"
    return None


__all__ = ["FUSE_RATINGS", "PROSE_KINDS", "PROSE_SUBJECT_RULES", "prose_subject_problem", "subject_problem"]
