"""Component names: the printed thing a value is measured on.

Rules (``RULES``):

- ``stop_lead`` / ``stop_tail`` / ``lead_words`` / ``weak_tail``: filler and condition words around
  the noun phrase before a value are dropped ("Tighten the conrod bolts to" -> "conrod bolts"; a participle
  lead "recognized on piston rod diameter of" -> "piston rod diameter");
- ``item_code``: a position code in front of a table label ("1AZ Connecting rod bolts") is dropped;
- ``callout``: a figure callout after a part name ("Tighten nut (2) to 25 Nm", "(7}" read for "(7)")
  is dropped, never taken for a clause bracket;
- ``and_instruction``: "Unscrew nut (1) and turn tensioning wheel (3) with a torque of 7 Nm": the object
  of the last instruction names the value ("tensioning wheel"); "with a torque of" and "rotated by
  more than" are stop tails;
- ``instruction``: instruction text after a table label ("... Replace, wash and oil") is a note;
- ``tighten_object`` / ``check_object``: the object of "tighten the ..." / "check the ..." names a
  value printed later without a subject, or a pronoun's antecedent;
- ``verb_only``: a lone verb ("has") is no component;
- ``possessive_lead`` / ``article_lead`` / ``manner_tail``: "new ... in stages." -> the bare noun phrase;
- ``finite_verb`` / ``determiner``: a verb phrase ("the pump runs") names its subject ("pump");
- ``bracket_instruction``: "(tighten nuts crosswise)" inside a table label is a note, not the part;
- ``section_code_lead``: a section / operation code in front of a component is dropped
  ("11 22 flywheel" -> "flywheel"); an item code "3AZ_" / "SAZ" / "TAZ" (5AZ, 1AZ misread) too;
- ``number_debris_lead``: numbers the OCR left in front of a part name are dropped
  ("0.047 + 0.004} Exhaust valve" -> "Exhaust valve", "11 Exhaust valve" -> "Exhaust valve");
- ``type_word``: a component made only of Type / Screw column words ("E36 comp/touring M6") names no part;
- ``shared_object``: "Push in return springs and turn 90°", "Switch on one test stand cylinder and let it run
  about 30 seconds", "Remove retainers by turning clockwise and anticlockwise 90°": the second instruction
  has no object of its own, the first one's object names the value;
- ``of_phrase``: a noun phrase window of 8 words that starts with 'of' / 'for' ("of brake test stand must not exceed")
  cut the head noun off; its last 12 words are kept ("Cylinder speed of brake test stand");
- ``case_break`` / ``joining_word``: list lines the OCR joined into one phrase ('1st gear Only 1 rear wheel driven
  Warm-up time approx. 30 sec.', 'torque angle Conrod bearing play: 0.024') are cut where a capitalised word of
  three letters or more follows a lower-case word that joins nothing ('of Conrod Bolts', 'with Three Bond' go on);
- ``limit_verb``: a limit verb before the value ('... central lock in the transfer box must not exceed 60 seconds')
  is left out of that window, so the head noun stays ('total loading time for the central lock in the transfer box');
- ``broken_word``: a word hyphenated at a line end ("cyl- Inder") is joined only when the page prints the
  whole word elsewhere ("cylinder"); unconfirmed it names no part;
- ``shim_object``: a play / clearance word alone ("Adjust play to 0 ... 0.09 mm") takes the shim of the last
  "Determine thickness of drive pinion shim." of its block ("drive pinion shim play"): the play that shim sets;
- ``no_qualifier``: a play word ("Axial play = 0.13 to 0.23 mm", "play") takes its part from the block's earlier
  mention of it ("Check layshaft axial play" -> "layshaft axial play"); instruction verbs, articles and
  conjunctions right before the mention are no part;
- ``overlap_by``: "<part> overlaps / protrudes by [distance A =] 10 mm" names the part's overlap /
  protrusion ("mating surface overlap (distance A)");
- fragment rules (``RULES`` ends with ``fragments.RULES``, listed in :mod:`manualtune.facts.fragments`):
  ``imperative_fragment``, ``manner_clause``, ``relative_clause``, ``inner_clause``, ``change_verb_lead``,
  ``dangling_tail``, ``clause_lead``, ``threshold_tail``, ``participle_clause``, ``bare_verb_clause``,
  ``heading_word``, ``not_object``, ``debris``: a phrase that is a piece of an instruction or clause names no part;
- a one-word subject of a verb phrase ("TIMER OPERATES FOR ABOUT 5 SECONDS") names a part only when exactly
  one other diagram label of the page prints that word (two labels printing "SWITCH" name no single part);
- pronouns, generic quantity / dimension / material words ("tightening torque", "dia", "grease"),
  a name made only of measurement words (``measure_only``: "total testing time", "component
  temperature") says what is measured, not on what: generic;
  a phrase that starts with a bare number and a lower-case word (``leading_number``: "2 alla
  temperatura", the tail of "tra il mors. 1 e il mors. 2") is a cut phrase;
  section codes ("11 23 ...") and phrases without a word are no component: the fact needs review;
- ``condition_lead``: a phrase that opens with a condition word ("senza catalizzatore", "with A/C",
  "without ABS") says when the value holds, not of what: the fact needs review, unless (``condition_head``)
  it follows a label and a colon that names a part ("Contenuto CO: senza catalizzatore 0,5...1,5 %" ->
  "Contenuto CO (senza catalizzatore)").
"""

from __future__ import annotations

import re

from manualtune.facts import fragments
from manualtune.facts.config import FactsConfig
from manualtune.facts.context import (
    _BROKEN_WORD,
    PageContext,
    join_broken_words,
    unique_diagram_label,
)
from manualtune.facts.fragments import _DEBRIS, _HEADING_WORD, _NOT_OBJECT, fragment_problem
from manualtune.facts.grammar import _NUM, _UNIT
from manualtune.facts.variants import variant_mentions

_STOP_LEAD = re.compile(
    r"(?i)^(?:(?:then|and|now|first|finally|tighten(?:ed)?|torque|set|adjust|measure|check|install|use|"
    r"with|to|the|a|an|is|are|be|must|should|of|max\.?|min\.?|maximum|minimum|approx\.?)\s+)+"
)
_STOP_TAIL = re.compile(
    r"(?i)(?:\s+(?:to|is|are|of|=|at|with|be|must|should|by|approx\.?|about|from|a|an|the|diameter of|"
    r"with\s+(?:a\s+)?(?:torque|force|load|pressure)(?:\s+of)?|"
    r"(?:rotated|turned|moved|opened|raised|lowered)\s+by\s+(?:more|less)\s+than))+\s*$"
)
#: a second instruction joined by 'and': 'Unscrew nut and turn tensioning wheel ... 7 Nm' -> its object
_AND_INSTRUCTION = re.compile(
    r"(?i)^.*\b(?:and|then)\s+(?:turn|tighten|torque|press|pull|push|set|adjust|rotate|preload|heat|fit)\s+"
)


#: a first instruction whose object the second one shares: 'Push in return springs and turn 90°',
#: 'Switch on one test stand cylinder and let it run about 30 seconds' -> the first object names the value
_SHARED_OBJECT_PART = (r"\s+(?:(?:in|on|out|off|up|down|back|over)\s+)?(?:(?:one|the|a|an|both|all)\s+)?"
                       r"(?!(?:in|on|out|off|up|down|back|over|and)\b)")
_SHARED_OBJECT = re.compile(
    r"(?i)^\W*(?:(?:push|press|pull|insert|fit|hold|switch|slide|move|put|place|start)" + _SHARED_OBJECT_PART
    + r"(?P<obj>[a-z][^,;:=()]*?)\s+and\s+(?:then\s+)?"
    r"(?:turn|rotate|twist|(?:let|allow)\s+(?:it|them)\s+(?:to\s+)?(?:run|idle|rotate|turn))"
    r"|(?:push|press|pull|insert|fit|hold|slide|move|remove|release|unlock|lock)" + _SHARED_OBJECT_PART
    + r"(?P<by>[a-z][^,;:=()]*?)\s+by\s+(?:turning|rotating|twisting))"
    r"(?:\s+(?:it|them|about|approx\.?|approximately|for|by|through|clockwise|counterclockwise|anticlockwise|"
    r"counter-clockwise|and|or))*\s*$"
)


_ITEM_CODE = re.compile(r"^\s*(?:\d{1,2}[A-Z]{1,3}|[SIlT]AZ)(?=[\s_\-—–.:]|$)[\s_\-—–.:]*")
_INSTRUCTION = re.compile(
    r"\s+(?=(?:Replace|Do not|Don't|Wash|Oil|Use|Apply|Coat|Clean|Renew|Check|Only|Always|Never|Tighten|"
    r"(?i:do not|don't|replace|renew)\b))"
)
#: an instruction in brackets inside a label: "(tighten nuts crosswise)", "(use Loctite No. 638)"
_BRACKET_INSTRUCTION = re.compile(
    r"\s*\((?P<i>[^()]*\b(?i:tighten|use|replace|renew|do not|apply|coat|wash)\b[^()]*)\)"
)
#: a section / operation code in front of a component: "11 22 flywheel" -> "flywheel"
_SECTION_CODE_LEAD = re.compile(r"^\d{2}\s?\d{2}(?:\s?\d{3})?\s+(?=[A-Za-z])")
#: numbers left in front of a part name by OCR: '0.047 + 0.004} Exhaust valve', '11 Exhaust valve'
_NUMBER_DEBRIS_LEAD = re.compile(
    r"^(?:(?:[\d.,+\-]*\d[\d.,+\-]*[\"'}{\[\]]+|[\d.,]+|[+\-±])\s+)+(?=[A-Z])"
)
#: words of a table's Type / Screw columns: a component made only of them names no part
_TYPE_WORD = re.compile(
    r"(?i)[a-z]{1,2}\d{2}[a-z\d]*|m\d{1,2}(?:\s?x\s?[\d.]+)?|x|[\d.]+|comp|touring|sedan|coupe|convertible|"
    r"cabrio|all|others|us|and|with|without|e\d{2}[a-z]*"
)
#: single words that name no part ('instead 20.64 mm')
_NOT_A_PART = frozenset({"instead", "also", "here", "there", "then", "again", "only", "otherwise", "respectively",
                         "above", "below", "approximately", "about", "both", "either"})


def split_label(label: str, variants: list[str]) -> tuple[str, str | None]:
    """'1AZ Connecting rod bolts Replace, wash and oil conrod bolts' -> ('Connecting rod bolts', note)."""
    t = re.sub(r"\s+", " ", label or "").strip()
    t = _SECTION_CODE_LEAD.sub("", _ITEM_CODE.sub("", t))
    bracketed = [m.group("i").strip() for m in _BRACKET_INSTRUCTION.finditer(t)]
    t = _BRACKET_INSTRUCTION.sub("", t)
    parts = _INSTRUCTION.split(t, maxsplit=1)
    comp = parts[0].strip(" :;,-=")
    notes = [*bracketed, *([parts[1].strip()] if len(parts) > 1 else [])]
    note = "; ".join(n for n in notes if n) or None
    for v in variants:
        comp = re.sub(rf"(?<![A-Za-z\d]){re.escape(v)}(?![A-Za-z\d])", "", comp).strip()
    comp = re.sub(r"\s+", " ", comp).strip(" :;,-")
    return comp, note


#: a figure callout after a part name: 'bearing inner race (7) to 80 °C' ('}' is a ')' misread)
_CALLOUT = re.compile(r"\s*\(\s?(?:\d{1,2}|[A-Z])\s?[)}]")


#: a bracket left open at a phrase's end that holds a test condition ('Coolant sensor resistance (20 °C')
_CONDITION_BRACKET_TAIL = re.compile(r"\s*\([^()A-Za-z]*\d[^()]*°\s*C?\)?$")


#: a closed bracket holding a test temperature right before the value ('(at 20 °C) ', '(+15°C...+30°C): ')
_CONDITION_BRACKET_END = re.compile(r"\s*\((?:at\s+|bei\s+|a\s+)?[^()A-Za-z]*\d[^()A-Za-z]*°\s*C?[^()A-Za-z]*\)\s*[:;,]?\s*$")


def component_before(text: str, start: int, floor: int = 0) -> str:
    """Best-effort noun phrase printed before a value ('Tighten conrod bolts to 45 Nm' -> 'conrod bolts');
    figure callouts ('nut (2)') are no clause brackets."""
    left = re.sub(r"(?i)\b(?:step|stage)\s*\d\s*[:.)]?\s*$", "", text[floor:start]).rstrip(" (")
    left = _CALLOUT.sub("", left)
    left = _CONDITION_BRACKET_END.sub("", left)  # 'Sensor resistance (at 20 °C) 2.5 kΩ': the bracket is its condition
    # the current clause: after the last sentence end ('.', '!', '?') / semicolon / bracket
    cut = max(left.rfind(". "), left.rfind("! "), left.rfind("? "), left.rfind("; "), left.rfind("("), left.rfind(")"))
    clause = left[cut + 1:] if cut >= 0 else left
    # list lines the OCR joined ('1st gear Only 1 rear wheel driven Warm-up time', 'torque angle Conrod bearing
    # play'): a capitalised word right after a lower-case word that joins nothing starts the value's own item
    breaks = [m.start("w") for m in _CASE_BREAK.finditer(clause) if not _JOINING_WORD.fullmatch(m.group("prev"))]
    if breaks:
        clause = clause[breaks[-1]:]
    head = ""
    if ":" in clause:
        head, clause = clause.rsplit(":", 1)
    if re.search(r"\w\s*=\s*\w", clause):  # 'Total operation time = warming up time + test time = 40 s':
        clause = clause.split("=", 1)[0]  # the first term is the one named
    shared = _SHARED_OBJECT.match(clause)
    clause = (shared.group("obj") or shared.group("by")) if shared else _AND_INSTRUCTION.sub("", clause)
    phrase = _clean_phrase(clause)
    if not phrase:
        phrase = _clean_phrase(head)
    if not phrase and ":" in left:
        phrase = _clean_phrase(left.rsplit(":", 1)[0].split(". ")[-1])
    if not phrase and cut > 0 and left[cut] == "(" and not re.search(r"[A-Za-z]{2}", left[cut:]):
        phrase = component_before(left[:cut], cut)  # 'temperatura ambiente (+ 16° 30° 1450 Ω': the bracket held a condition
    return _CONDITION_BRACKET_TAIL.sub("", phrase)


def component_after(text: str, end: int) -> str:
    """Fallback: the words printed right after a value ('1200 Mile Inspection' -> 'Inspection')."""
    m = re.match(r"\s*([A-Za-z][A-Za-z\-]+(?: [A-Za-z][A-Za-z\-]+){0,2})", text[end:])
    return _clean_phrase(m.group(1)) if m else ""


def _clean_phrase(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip(" ,;:-–=")
    t = _STOP_TAIL.sub("", t)
    t = _STOP_LEAD.sub("", t)
    t = t.strip(" ,;:-–=")
    words = t.split()
    if len(words) > 8:
        # a limit verb ('... transfer box must not exceed') is no part of the window
        words = _LIMIT_VERB.sub("", t).split() or words
    if len(words) > 8:
        # 'Cylinder speed of brake test stand must not exceed': a window starting with 'of' cut the
        # head noun off its 'of'-phrase; a clause of up to 12 words is kept whole then
        # ('total loading time for the central lock in the transfer box': 'for' too; a longer clause keeps
        # its last 12 words, the head noun with them)
        keep = min(len(words), 12) if _OF_PHRASE.fullmatch(words[-8]) else 8
        words = words[-keep:]
    t = " ".join(words)
    return t if re.search(r"[A-Za-z]{2}", t) else ""


_OF_PHRASE = re.compile(r"(?i)^(?:of|for)$")
#: a capitalised word (3+ letters: 'In' / 'Is' are common misreads of 'in' / 'is') after a lower-case word
_CASE_BREAK = re.compile(r"(?<![A-Za-z])(?P<prev>[a-z](?:[a-z\-]*[a-z])?)\s+(?P<w>[A-Z][a-z][a-z\-]+)\b")
#: words after which a capitalised word goes on the same phrase ('of Conrod Bolts', 'with Three Bond')
_JOINING_WORD = re.compile(r"(?i)^(?:of|the|a|an|and|or|to|with|for|in|on|at|by|from|into|onto|than|see|special|no)$")
#: a limit verb between a noun phrase and its value ('must not exceed 60 seconds')
_LIMIT_VERB = re.compile(r"(?i)\s+(?:must|should|may|shall)\s+not\s+(?:exceed|be\s+exceeded)\s*$")

_LEAD_WORDS = re.compile(
    r"(?i)^(?:(?:above|below|under|over|after|before|at|on|in|for|when|if|with|without|from|let|only|"
    r"apply|then|and|(?:recogni[sz]ed|identified|marked|located|indicated)\s+(?:on|by|with|in|at))(?:\s+|$))+"
)
_TIGHTEN_OBJECT = re.compile(
    r"(?i)\btighten(?:ing)?\s+(?:the\s+|all\s+)?(?P<obj>[a-z][a-z\- ]{2,40}?)"
    r"(?=\s+(?:in|to|with|from|at|evenly|alternately|crosswise|diagonally)\b|[.,;:]|$)"
)


_WEAK_TAIL = re.compile(
    r"(?i)(?:\s+(?:on|in|for|and|or|the|a|an|of|to|with|at|is|are|at least|at most|not more than|"
    r"not less than|no more than|not exceed|must|should|max\.?|min\.?|maximum|minimum|approx\.?|about))+\s*$"
)
_VERB_ONLY = re.compile(r"(?i)^(?:has|have|had|is|are|was|reads|reaches|gives|uses|needs|takes|draws|runs)$")


def _tidy_component(phrase: str, cfg: FactsConfig) -> str:
    """Drop variant names, qualifiers ('at 4000 rpm') and leading condition words ('CR20',
    'Above', 'After') from a component; a lone verb ('has') is no component."""
    t = phrase
    for s, e, _ in reversed(variant_mentions(t, cfg.variants)):
        t = t[:s] + " " + t[e:]
    t = re.sub(rf"(?:\bat|@)\s*{_NUM}\s*(?:{_UNIT})", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" ,;:-–=()")
    t = _LEAD_WORDS.sub("", t)
    t = _WEAK_TAIL.sub("", " " + t).strip()
    t = _SECTION_CODE_LEAD.sub("", _ITEM_CODE.sub("", t))
    t = _clean_phrase(t)
    t = tidy_component_name(t, keep_possessive=True)
    return "" if _VERB_ONLY.match(t) else t


# --------------------------------------------------------------------------- component names

#: review reason prefix of a fact whose component could not be named from the printed text
COMPONENT_REVIEW = "component unclear"
_PRONOUNS = frozenset({"it", "they", "this", "that", "these", "those", "them", "which", "one", "ones", "each",
                       "both", "all"})
#: words that name a quantity or an action, never a part
GENERIC_COMPONENTS = frozenset({
    "tightening", "tightening torque", "torque", "angle", "torque angle", "tightening angle", "tighten",
    "pressure", "voltage", "current", "value", "nominal value", "specified value", "unit", "every", "remedy",
    "spec", "specification", "setting", "time", "speed", "temperature", "resistance", "step", "stage",
    "application torque", "final torque", "initial torque", "note", "warning", "caution", "check",
    "dia", "diameter", "thickness", "length", "width", "height", "depth", "clearance", "play", "gap", "size",
    "distance", "dimension", "grease", "oil", "sealant", "approx", "max", "min", "maximum", "minimum",
})
#: a name made only of measurement words ('total testing time', 'warm-up time', 'component temperature'):
#: it says what is measured, not on what (the visco lock check's 40 s, the throttle neck's 20 °C)
_MEASURE_ONLY = re.compile(
    r"(?:(?:total|testing|test|warm-up|warm up|waiting|wait|cooling|heating|running|operating|ambient|component|"
    r"max\.?|maximum|min\.?|minimum|overall|required|permissible)\s+)+"
    r"(?:time|duration|temperature|pressure|speed|voltage|current|resistance)")
_FASTENERS = frozenset({"bolt", "bolts", "nut", "nuts", "screw", "screws", "stud", "studs"})
_POSSESSIVE_LEAD = re.compile(r"(?i)^(?:its|their|his|her|our|your|this|that|these|those|new|old|used|the|a|an)\s+")
_ARTICLE_LEAD = re.compile(r"(?i)^(?:new|old|used|the|a|an)\s+")
_MANNER_TAIL = re.compile(
    r"(?i)(?:\s+(?:in\s+(?:(?:two|three|four|\d)\s+)?stages|in\s+(?:the\s+)?(?:specified\s+)?(?:sequence|order)|"
    r"evenly|crosswise|alternately|diagonally|gradually|again|finally|first|in\s+steps|by\s+hand))+\s*$"
)
_FINITE_VERB = re.compile(
    r"(?i)\s+(?:runs|draws|opens|closes|delivers|reads|ends|starts|switches|builds(?:\s+up)?|reaches|keeps|"
    r"rises|falls|drops|holds|takes|needs|gives|shows|uses|turns|stays|remains|operates|lasts|overlaps|protrudes|"
    r"projects|extends|must|should|may|"
    r"can|will|"
    r"is|are|was|were|has|have)\b"
)
_DETERMINER = re.compile(r"(?i)\b(?:the|a|an)\s+")
_CHECK_OBJECT = re.compile(
    r"(?i)\b(?:check|measure|adjust|inspect|set|read|note)\s+(?:the\s+)?(?P<obj>[a-z][a-z\- ]{2,40}?)"
    r"(?=\s+(?:midway|between|with|at|on|in|from|for|using|and|of|against|by)\b|[.,;:]|$)"
)


#: punctuation around a component name, quotes too ('“spring pressure”' -> 'spring pressure')
_TRIM = " .,;:-–=!?“”‘’„"


def tidy_component_name(phrase: str, keep_possessive: bool = False) -> str:
    """A printed noun phrase as a component name: trailing punctuation, manner words ('in stages',
    'evenly', 'crosswise') and leading 'new'/'the'/possessives dropped
    ('new connecting rod bolts in stages.' -> 'connecting rod bolts'); ``keep_possessive`` keeps
    a leading 'its'/'their' (it says the part is named in another sentence)."""
    t = re.sub(r"\s+", " ", phrase or "").strip(_TRIM)
    t = _NUMBER_DEBRIS_LEAD.sub("", t)
    lead = _ARTICLE_LEAD if keep_possessive else _POSSESSIVE_LEAD
    for _ in range(3):
        before = t
        t = _MANNER_TAIL.sub("", t).strip(_TRIM)
        t = lead.sub("", t).strip(_TRIM)
        if t == before:
            break
    return t


#: a phrase that starts with a bare number and a lower-case word ('2 alla temperotura' of '... tra il mors. 1
#: e il mors. 2 alla temperatura 600...1600 Ω'): the tail of another sentence, no part ('M8 bolt', '3HP-22' differ)
#: a phrase that opens with a condition word names when a value holds, not what it is of
_CONDITION_LEAD = re.compile(r"(?:with|without|senza|con|ohne|mit)\s")
#: the label a condition phrase follows: the words of its line before a colon ('Contenuto CO: ')
_CONDITION_HEAD = re.compile(r"(?:^|[.;\n]\s*|\s{2,})(?P<head>[A-Za-zÀ-ÿ][^.:;\n]{1,40}?):\s*$")
_LEADING_NUMBER = re.compile(r"^\d+[.,]?\s+[a-zà-ÿ]")


def component_problem(component: str) -> str | None:
    """Why a phrase names no part: 'pronoun' ('It'), 'generic' ('tightening torque'), 'verb phrase'
    ('pump runs'), 'no word'; None for a real component."""
    if re.match(r"^\s*\d{2}\s?\d{2}\s+[A-Za-z]", component or ""):
        return "section heading"  # '11 42 Oil Filter and Pipes': a repair group, no part
    t = tidy_component_name(component).lower()
    if t in _PRONOUNS:
        return "pronoun"
    if not re.search(r"[a-z]{3}", t):
        return "no word"
    if re.match(r"\d{2}\s?\d{2}\b", t):
        return "section heading"  # '11 23 Vibration damper': a repair group printed as a row label
    if _DEBRIS.search(t):
        return "OCR debris"
    if _LEADING_NUMBER.match(t):
        return "cut phrase"  # '2 alla temperatura': a terminal number of the sentence before, no part
    if _BROKEN_WORD.search(t):
        return "broken word"  # 'cyl- Inder' the page does not confirm as one word
    if t in _NOT_A_PART:
        return "generic"
    fragment = fragment_problem(t)  # 'press on firmly', 'a length of more than': see facts/fragments.py
    if fragment is not None:
        return fragment
    rest = _HEADING_WORD.sub("", t, count=1).strip(_TRIM)
    if rest != t and (not rest or rest in GENERIC_COMPONENTS or _FINITE_VERB.search(" " + rest)):
        return "generic"  # 'Installation Tightening torque', 'Installation': a heading, no part
    if _MEASURE_ONLY.fullmatch(t):
        return "generic"  # 'Total testing time', 'component temperature': a measurement, no part it is of
    if _CONDITION_LEAD.match(t):
        return "condition"  # 'senza catalizzatore' ('without catalytic converter', 17-18): when, not what
    if t in GENERIC_COMPONENTS or re.match(r"(?:all|other|others|remaining)\b", t):
        return "generic"  # 'All others M8': the rest of a table group, no part of its own
    if all(_TYPE_WORD.fullmatch(w) for w in re.split(r"[\s/,;]+", t) if w):
        return "type code"  # 'E36 comp/touring M6': the Type / Screw columns of a row, no part
    if _FINITE_VERB.search(" " + t):
        return "verb phrase"
    return None


def subject_of_verb_phrase(phrase: str) -> str:
    """'The pump runs' -> 'pump', 'full boost the rail pressure reaches' -> 'rail pressure':
    the noun phrase before the first finite verb (after its last article); '' when there is none."""
    t = tidy_component_name(phrase)
    m = _FINITE_VERB.search(" " + t)
    if m is None:
        return ""
    subj = (" " + t)[:m.start()].strip()
    parts = _DETERMINER.split(subj)
    subj = tidy_component_name(parts[-1]) if parts else ""
    return subj if component_problem(subj) is None else ""




def _verb_object(phrase: str) -> bool:
    """Whether a verb phrase goes on past its verb with an object ('Mark on tank shows coolant level'), so
    the value printed after it is the object's (or the clause's), not the subject's."""
    t = tidy_component_name(phrase)
    m = _FINITE_VERB.search(" " + t)
    if m is None:
        return False
    rest = (" " + t)[m.end():].split()
    return any(not _NOT_OBJECT.fullmatch(w) for w in rest)


def pronoun_antecedent(text: str, start: int) -> str:
    """What 'It must be 5 - 7 mm' refers to: the object of the last 'check/measure/adjust the ...'
    printed before ``start`` ('Check the belt deflection midway ...' -> 'belt deflection'); ''."""
    objs = list(_CHECK_OBJECT.finditer(text[:start]))
    if not objs:
        return ""
    obj = tidy_component_name(objs[-1].group("obj"))
    return obj if component_problem(obj) is None else ""


def possessive_owner(text: str, start: int) -> str:
    """Whose 'Their coil resistance' is: the subject of the sentence before ``start``
    ('The injectors are opened by ...' -> 'injector'); ''."""
    left = text[:start]
    cut = left.rstrip().rfind(". ")
    if cut < 0:
        return ""
    prev = left[:cut]
    prev = prev[max(prev.rfind(". "), prev.rfind(": ")) + 1:]
    owner = subject_of_verb_phrase(re.sub(r"^\W*\d+\.\s+", "", prev.strip()))
    if not owner or len(owner.split()) > 3:
        return ""
    return re.sub(r"(?<=[a-rt-z])s$", "", owner)  # 'injectors' -> 'injector'


def heading_title(text: str) -> str:
    """Procedure title of a heading block: operation code and the '- remove and install' tail
    dropped ('11 12 100 Cylinder head - remove and install' -> 'Cylinder head'); ''."""
    first = re.sub(r"\s+", " ", (text or "").split("\n")[0]).strip()
    first = re.sub(r"^\d{2}(?:\s?\d{2}(?:\s?\d{3})?)?\s+", "", first)
    title = re.split(r"\s+[-–]\s*|\s*[-–]\s+", first)[0].strip(" .,;:")
    return title if re.search(r"[A-Za-z]{3}", title) and len(title.split()) <= 6 else ""


#: a play / clearance word that names no part alone
_CLEARANCE_WORDS = frozenset({"play", "clearance", "gap", "end play", "axial play", "end float", "backlash"})
#: 'Determine thickness of drive pinion shim': the shim (spacer, washer) whose thickness sets a play
_SHIM_OBJECT = re.compile(
    r"(?i)\b(?:determine|select|find|calculate|measure)\s+(?:the\s+)?(?:thickness|size)\s+of\s+(?:the\s+)?"
    r"(?P<part>(?:[a-z][a-z\- ]{0,40}?\s)?(?:shim|spacer|washer|disc)s?)\s*[.;]"
)


#: words that never qualify a play word: instructions, articles, conjunctions ('Check the axial play')
_NO_QUALIFIER = re.compile(
    r"(?i)(?:check|measure|adjust|determine|set|install|remove|read|note|inspect|correct|reduce|increase|"
    r"the|a|an|and|or|then|if|is|are|of|to|for|with|without|its|their|no|any|max|min|maximum|minimum|"
    r"permissible|permitted|specified|required|new|old|total)"
)


def qualified_mention(word: str, text: str, start: int) -> str:
    """'Axial play = 0.13 to 0.23 mm' after 'Check layshaft axial play through bore': the play word as the
    block printed it earlier with its part ('layshaft axial play'); ''. Only part nouns right before the
    word count (no instruction verb, article or conjunction)."""
    pat = re.compile(rf"(?i)(?<![A-Za-z\-])(?P<pre>(?:[A-Za-z][a-z\-]+\s+){{1,3}}){re.escape(word)}(?![A-Za-z])")
    for m in reversed(list(pat.finditer(text[:start]))):
        pre = m.group("pre").split()
        while pre and _NO_QUALIFIER.fullmatch(pre[0]):
            pre = pre[1:]
        if not pre or any(_NO_QUALIFIER.fullmatch(w) for w in pre):
            continue
        part = " ".join(pre).lower()
        if component_problem(part) is None and not _FINITE_VERB.search(" " + part):
            return f"{part} {word.lower()}"
    return ""


#: '<part> overlaps by distance A = 10 mm': the part's overlap, named by the figure's dimension letter
_OVERLAP_BY = re.compile(
    r"(?i)(?:^|\b(?:that|which|the|so|and|until)\s+|[,;:.]\s*)(?P<part>[a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){0,2}?)\s+"
    r"(?P<verb>overlaps|protrudes|projects|extends)\s+by\s+"
    r"(?:(?P<dim>distance|dimension|measurement)\s+(?-i:(?P<lab>[A-Z]))\s*=?\s*)?$"
)
_VERB_NOUN = {"overlaps": "overlap", "protrudes": "protrusion", "projects": "projection", "extends": "extension"}


def overlap_by(text: str, start: int, floor: int = 0) -> str:
    """'Cut mating surface to size that mating surface overlaps by distance A = 10 mm' ->
    'mating surface overlap (distance A)': the value right after '<part> overlaps by [dimension X =]'; ''."""
    m = _OVERLAP_BY.search(text[floor:start])
    if m is None:
        return ""
    part = tidy_component_name(m.group("part"))
    if component_problem(part) is not None or _FINITE_VERB.search(" " + part):
        return ""
    label = f" ({m.group('dim').lower()} {m.group('lab')})" if m.group("dim") else ""
    return f"{part} {_VERB_NOUN[m.group('verb').lower()]}{label}"


def shim_for_play(text: str, start: int) -> str:
    """Whose 'Adjust play to 0 ... 0.09 mm' it is: the shim of the last 'Determine thickness of drive
    pinion shim.' printed before ``start`` in the block (the play is set by that shim's thickness); ''."""
    found = list(_SHIM_OBJECT.finditer(text[:start]))
    if not found:
        return ""
    part = tidy_component_name(found[-1].group("part"))
    return part if component_problem(part) is None else ""


def fragment_part(comp: str, text: str, start: int) -> str:
    """The part a fragment before a value still names (``fragments.RECOVERIES``: 'Reduce the residual cement
    to about 0.5 mm' -> 'residual cement'); ''."""
    left = re.sub(r"\s+", " ", text[:start])
    left = left[max(left.rfind(". "), left.rfind("; "), left.rfind(": ")) + 1:]
    found = ""
    if fragments._CHANGE_VERB_LEAD.match(comp) and fragments._CHANGE_TARGET.search(left):
        found = tidy_component_name(fragments._CHANGE_VERB_LEAD.sub("", comp))
    elif (m := fragments._THERE_CLEARANCE.search(left)) is not None:
        owner = subject_of_verb_phrase(_CALLOUT.sub("", re.sub(r"^\W*\d+\.\s+", "", m.group("main"))))
        if owner and len(owner.split()) <= 4:
            found = re.sub(r"(?<=[a-rt-z])s$", "", owner) + " " + m.group("cw").lower()
    elif fragments._THERE_IS_STILL.search(left):
        right = re.sub(r"\s+", " ", text[start:start + 200])
        value = re.match(rf"\s*{_NUM}\s*(?:(?:to|-|–)\s*{_NUM}\s*)?(?:{_UNIT})", right)
        m = fragments._CLEARANCE_ON.match(right[value.end():]) if value else None
        if m:
            found = f"{m.group('cw').lower()} on {tidy_component_name(m.group('part'))}"
    bad = not found or "," in found or component_problem(found) is not None or _FINITE_VERB.search(" " + found)
    return "" if bad else found


def _condition_head(component: str, text: str, start: int) -> str | None:
    """Rule ``condition_head``: the label a condition phrase follows ('Contenuto CO: senza catalizzatore 0,5 %'
    -> 'Contenuto CO'): the words before the colon right before the phrase, when they name a part."""
    before = text[:start]
    at = before.rfind(component.strip())
    m = _CONDITION_HEAD.search(before[:at]) if at > 0 else None
    if m is None:
        return None
    head = _clean_phrase(m.group("head"))
    return head if head and component_problem(head) is None else None


def name_component(component: str, text: str, start: int, context: PageContext | None,
                   own_block: str | None = None) -> tuple[str, str | None]:
    """A real component for a text value, or the best phrase plus a review reason.

    A pronoun takes the object of an earlier 'check the ...' ; a verb phrase its subject
    ('pump runs' -> 'pump'; a one-word subject only when one diagram label of the page prints it,
    see :func:`unique_diagram_label`); a bare fastener ('bolts') is prefixed with the procedure
    title ('cylinder head bolts'); a generic word needs review; a word broken at a line end is
    joined only when the page prints it whole (:func:`join_broken_words`).
    """
    component = join_broken_words(component, context.words if context is not None else frozenset())
    comp = tidy_component_name(component)
    problem = component_problem(comp)
    if problem in ("instruction fragment", "clause fragment", "cut phrase"):
        found = fragment_part(comp, text, start)
        if found:
            return found, None
    if problem is None and re.match(r"(?i)^\W*(?:its|their)\s", component):
        owner = possessive_owner(text, start)
        if owner:
            return f"{owner} {comp}", None
        return comp, f"{COMPONENT_REVIEW}: {component.strip()!r} names its part in another sentence"
    if problem == "pronoun":
        found = pronoun_antecedent(text, start)
        if found:
            return found, None
    elif problem == "verb phrase":
        subj = subject_of_verb_phrase(comp)
        if subj and _verb_object(comp):  # 'Mark on tank shows coolant level [at 20 °C]': the object's value
            return subj, f"{COMPONENT_REVIEW}: {component.strip()!r} has an object after its verb"
        if subj and (len(subj.split()) >= 2 or unique_diagram_label(subj, context, own_block)):
            return subj, None
        if subj:
            return subj, f"{COMPONENT_REVIEW}: {component.strip()!r} names no specific part"
    elif problem == "generic" and comp.lower() in _CLEARANCE_WORDS:
        shim = shim_for_play(text, start)
        if shim:
            return f"{shim} {comp.lower()}", None
        found = qualified_mention(comp, text, start)
        if found:
            return found, None
    elif problem == "condition":
        head = _condition_head(component, text, start)
        if head:
            return f"{head} ({comp})", None  # 'Contenuto CO: senza catalizzatore 0,5...1,5 %'
    elif problem is None:
        if comp.lower() in _CLEARANCE_WORDS:  # 'Axial play = ...' after 'Check layshaft axial play'
            return qualified_mention(comp, text, start) or comp, None
        if comp.lower() in _FASTENERS and context is not None and context.title:
            return f"{context.title} {comp.lower()}", None
        return comp, None
    return comp, f"{COMPONENT_REVIEW}: {component.strip()!r} is a {problem}"


#: the rule table of this module (name, pattern, purpose), with the fragment rules of facts/fragments.py
#: after its own rows; tests/facts/test_rule_tables.py checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("stop_lead", _STOP_LEAD, "filler words before a component phrase"),
    ("stop_tail", _STOP_TAIL, "filler words between a component phrase and its value"),
    ("item_code", _ITEM_CODE, "a position code in front of a table label ('1AZ')"),
    ("instruction", _INSTRUCTION, "where instruction text starts inside a table label"),
    ("lead_words", _LEAD_WORDS, "condition words before a component ('After', 'When')"),
    ("callout", _CALLOUT, "a figure callout after a part name ('nut (2)'): no clause bracket"),
    ("and_instruction", _AND_INSTRUCTION, "a second instruction joined by 'and': its object names the value"),
    ("tighten_object", _TIGHTEN_OBJECT, "the object of 'tighten the ...'"),
    ("weak_tail", _WEAK_TAIL, "weak words at the end of a component ('on', 'max.')"),
    ("measure_only", _MEASURE_ONLY, "a name made only of measurement words ('total testing time'): no part"),
    ("leading_number", _LEADING_NUMBER, "a bare number and a lower-case word: the tail of another sentence"),
    ("condition_lead", _CONDITION_LEAD, "a phrase opening with a condition word: when a value holds, not of what"),
    ("condition_head", _CONDITION_HEAD, "the label and colon a condition phrase follows ('Contenuto CO: ')"),
    ("verb_only", _VERB_ONLY, "a lone verb is no component"),
    ("possessive_lead", _POSSESSIVE_LEAD, "possessives and articles before a noun phrase"),
    ("article_lead", _ARTICLE_LEAD, "articles and 'new' before a noun phrase"),
    ("manner_tail", _MANNER_TAIL, "manner words after a noun phrase ('in stages', 'evenly')"),
    ("finite_verb", _FINITE_VERB, "a finite verb: the phrase is a verb phrase"),
    ("determiner", _DETERMINER, "articles that start the subject of a verb phrase"),
    ("bracket_instruction", _BRACKET_INSTRUCTION, "an instruction in brackets inside a table label"),
    ("section_code_lead", _SECTION_CODE_LEAD, "a section code in front of a component ('11 22 flywheel')"),
    ("number_debris_lead", _NUMBER_DEBRIS_LEAD, "numbers left in front of a part name ('0.025\"} Exhaust valve')"),
    ("type_word", _TYPE_WORD, "a word of a table's Type / Screw columns ('E36', 'touring', 'M6')"),
    ("check_object", _CHECK_OBJECT, "the object of 'check / measure / adjust the ...'"),
    ("shared_object", _SHARED_OBJECT, "'push in X and turn': the first instruction's object names the value"),
    ("of_phrase", _OF_PHRASE, "'of' / 'for' starting a cut noun phrase window ('of brake test stand')"),
    ("case_break", _CASE_BREAK, "a capitalised word after a lower-case one: a joined list line starts"),
    ("joining_word", _JOINING_WORD, "words a capitalised word continues ('of Conrod Bolts')"),
    ("limit_verb", _LIMIT_VERB, "a limit verb before a value ('must not exceed'), outside the 8-word window"),
    ("shim_object", _SHIM_OBJECT, "'Determine thickness of drive pinion shim.': the shim that sets a play"),
    ("no_qualifier", _NO_QUALIFIER, "words that never qualify a play word ('Check the axial play')"),
    ("overlap_by", _OVERLAP_BY, "'<part> overlaps by distance A =' before a value: the part's overlap"),
    ("broken_word", _BROKEN_WORD, "a word hyphenated at a line end ('cyl- Inder')"),
) + fragments.RULES
