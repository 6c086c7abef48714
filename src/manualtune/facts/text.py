"""Running text: facts from paragraphs, procedure steps, notes and captions, sentence by sentence.

Rules (``RULES``):

- ``scale_line``: a chart scale "35 40 45 Wheel speed in rpm" gives chart-scale facts, which need
  review (an axis value of a graph is no specification: no example is made of it);
- ``qualifier_word``: a value after "at" / "@" is the condition of another value of its sentence;
- ``temperature_condition``: so is a temperature in brackets or after "a" / "bei" ("alla temperatura ambiente
  (+15°C...+30°C): 1450...3300 Ω", "(c. + 80° C): 280...360 Ω"); with no other value in its sentence it
  stays a fact of its own;
- ``tool_before``: a number after a tool name or "No." ("angle gauge 11 2 110") is no value;
- ``bare_number_before``: "1.2 | 30 s": a value right after a bare number is OCR debris;
- ``caps_label_before`` / ``caps_label_after``: "BATTERY F1 80 A ALTERNATOR" is a diagram callout, but
  a capitalised sentence word before the value is no label ("TIMER OPERATES FOR ABOUT 5 SECONDS AFTER");
- ``alt_of_unread``: "40 to 50 kilometers (25 to 30 miles)": a bracket after a number printed with a word
  no unit table knows converts that value; read alone it would take the number for its component;
- ``list_number``: "13. A pillars, door contact switches removed": a whole number with a full stop that starts
  its sentence is a list item number, never a value with the next word as unit;
- ``negative_before``: a minus sign before a value is kept only for temperatures;
- ``limit_before``: "max. 40 seconds" / "at least 30 minutes" / "must not exceed 60 seconds": the limit is the condition "maximum" / "minimum"
  (a value printed twice on a page, once as "max.", is two facts);
- ``instruction_start``: "Measure the voltage at 2000 rpm" is a test setting, not a spec;
- the component is the phrase before the value, else the list it continues, the object of an
  earlier "tighten the ...", the words after it on its printed line, the row above it (variant-only lines), or the
  section heading; when none names a part the fact needs review.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from manualtune.facts.components import (
    _TIGHTEN_OBJECT,
    COMPONENT_REVIEW,
    _tidy_component,
    component_after,
    component_before,
    component_problem,
    name_component,
    overlap_by,
)
from manualtune.facts.config import FactsConfig
from manualtune.facts.context import PageContext
from manualtune.facts.fact_records import _join, _make_fact
from manualtune.facts.glyphs import repair_ocr_units
from manualtune.facts.grammar import _NUM, ParsedValue, _sentence_of, sentence_spans
from manualtune.facts.units import lookup_unit, normalise_number
from manualtune.facts.values import _LIST_SEP, parse_spec_text
from manualtune.facts.variants import _merge_all_variant_copies, _value_variants
from manualtune.records import Block, SpecFact

_SCALE_LINE = re.compile(
    rf"^(?P<nums>(?:{_NUM}\s+)+)(?P<label>[A-Z][a-z]+(?: [a-z]+){{0,4}}) in (?P<unit>\S+)$"
)


def parse_scale_line(line: str) -> tuple[list[str], str, str] | None:
    """A chart scale printed as "35 40 45 Wheel speed in rpm" -> (numbers, label, unit text);
    None unless the line is exactly numbers, a short label and "in <known unit>"."""
    m = _SCALE_LINE.match(" ".join(line.split()))
    if not m or lookup_unit(m.group("unit")) is None:
        return None
    nums = [normalise_number(n) for n in m.group("nums").split()]
    if any(n is None for n in nums):
        return None
    return [n for n in nums if n is not None], f"{m.group('label')} in {m.group('unit')}", m.group("unit")


def _scale_facts(block: Block, cfg: FactsConfig) -> list[SpecFact]:
    """Facts from chart scale lines of a text block (see :func:`parse_scale_line`)."""
    facts: list[SpecFact] = []
    for line in (block.text or "").splitlines():
        got = parse_scale_line(line)
        if got is None:
            continue
        nums, label, unit_txt = got
        info = lookup_unit(unit_txt)
        assert info is not None
        for n in nums:
            pv = ParsedValue(value=n, unit=info.canonical, unit_printed=unit_txt, value_printed=n,
                             quantity=info.quantity)
            facts.append(_make_fact(
                pv, block=block, component=label, condition="chart scale", variant=None,
                section=block.section, text=line.strip(), bbox=block.source.bbox,
                conf=block.source.ocr_confidence, cfg=cfg,
                review=["chart scale: an axis value of a graph, not a specification"],
            ))
    return facts


_QUALIFIER_WORD = re.compile(r"(?i)(?:\bat|@)\s*$")
#: only a bracketed test condition between two values ('2.5 kΩ (80 °C): 0.3 kΩ')
_CONDITION_GAP = re.compile(r"\s*\([^()A-Za-z]*\d[^()]*°\s*C?\s*\)\s*[:;,]?\s*")
#: what may stand between a condition and the value it belongs to ('(c. + 80° C): 280 Ω')
_LEADS_TO_VALUE = re.compile(r"[\s°C):;,]*")
#: what stands before a temperature that is a test condition: an opening bracket ('(+15°C...+30°C): 1450 Ω',
#: '(c. + 80° C): 280 Ω', '(20 °C) 2.2 kΩ') or 'a' / 'bei' ('a +15°...+30°C'), a sign and 'approx.' between;
#: also the second end of such a range read apart ('(+ 16° 30°')
_TEMPERATURE_CONDITION = re.compile(
    r"(?i)(?:\(|\b(?:a|ad|bei)\s)\s*(?:(?:c|ca|approx|circa)[.,]?\s*)?[+]?\s*"
    r"(?:\d+(?:[.,]\d+)?\s*°\s*C?\s*(?:\.{2,3}|[.,]{3}|…|-|to\b)?\s*[+]?\s*)?$"  # or the range's second end
)
_TOOL_BEFORE = re.compile(
    r"(?i)\b(?:gauge|tool|pin|puller|wrench|drift|mandrel|adapter|holder|fixture|part\s+no\.?|no\.)\s*$"
)
_BARE_NUMBER_BEFORE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s*[|!\]]\s*$")
#: capitalised words of a sentence, never a diagram label: "TIMER OPERATES FOR ABOUT 5 SECONDS AFTER ..."
_CAPS_SENTENCE_WORD = (r"(?:ABOUT|APPROX|APPROXIMATELY|FOR|MAX|MAXIMUM|MIN|MINIMUM|WITHIN|OVER|UNDER|BELOW|ABOVE|"
                       r"LEAST|THAN|AFTER|BEFORE|EVERY|ONLY|UNTIL|FROM|WITH|TAKES|LASTS)")
_CAPS_LABEL_BEFORE = re.compile(rf"\b(?!{_CAPS_SENTENCE_WORD}\b)[A-Z]{{3,}}(?:\s+[A-Z]{{1,3}}\d{{1,3}})?\s+$")
_CAPS_LABEL_AFTER = re.compile(r"^\s+[A-Z]{3,}\b")
#: a bracket right after a number printed with a word no unit table knows: '40 to 50 kilometers (25 to 30 miles)'
_ALT_OF_UNREAD = re.compile(
    rf"(?<![\w.]){_NUM}(?:\s*(?:to|-|–|\.\.\.)\s*{_NUM})?\s*(?P<word>[A-Za-z]{{2,}})\.?\s*\(\s*$"
)


def _alt_of_unread(before: str) -> bool:
    """'40 to 50 kilometers (' before a value: it converts a number whose unit word is unknown."""
    m = _ALT_OF_UNREAD.search(before)
    return m is not None and lookup_unit(m.group("word")) is None
#: a whole number with a full stop that starts its sentence: a list item number ('13. A pillars')
_LIST_NUMBER = re.compile(r"\d{1,3}\.")
_NEGATIVE_BEFORE = re.compile(r"(?:^|(?<=[\s(]))[-−–]$")
#: a limit word printed right before a value: 'max. 40 seconds', 'at least 30 minutes' -> condition 'maximum' / 'minimum'
_LIMIT_BEFORE = re.compile(
    r"(?i)(?<![\w.])(?:(?P<max>max(?:\.|imum\b)|at\s+most\b|(?:not|no)\s+more\s+than\b|up\s+to\b|"
    r"(?:must|should|may|shall)\s+not\s+exceed\b)|"
    r"(?P<min>min(?:\.|imum\b)|at\s+least\b|not\s+less\s+than\b))\s*$"
)


def limit_before(text: str, start: int, floor: int = 0) -> str | None:
    """'maximum' / 'minimum' when a limit word is printed right before the value at ``start`` ('= max. 40 seconds');
    None, also for 'min.' right after a number ('5 min. 30 s': minutes, no limit)."""
    m = _LIMIT_BEFORE.search(text[floor:start])
    if m is None or re.search(r"\d\s*$", text[floor:floor + m.start()]):
        return None
    return "maximum" if m.group("max") else "minimum"


_INSTRUCTION_START = re.compile(r"(?i)^\W*(?:measure|check|test|run|start|read|connect|set|hold|keep|let)\b")


def _continued_component(pv: ParsedValue, variant: str | None, context: PageContext | None) -> str:
    """'CR25T 120 Nm' under 'Output flange nut CR20 100 Nm': the component of the previous text
    block's last fact of the same kind for another variant (a continuation row); ''."""
    if context is None or not variant:
        return ""
    kinds = {"torque", "angle"} if pv.quantity in ("torque", "angle") else {pv.quantity}
    for f in reversed(context.previous):
        if f.quantity in kinds and f.variant and f.variant != variant and not f.needs_review:
            return f.component
    return ""


def _sentence_start(text: str, start: int) -> int:
    """Where the sentence holding ``start`` begins (after the last '. ' / '! ' / '? ' / '; ')."""
    return max(text.rfind(sep, 0, start) + len(sep) if text.rfind(sep, 0, start) >= 0 else 0
               for sep in (". ", "! ", "? ", "; "))


def _one_line(text: str) -> tuple[str, frozenset[int]]:
    """The block's text on one line (runs of white space one space) and the positions in it of the
    spaces that were printed line ends."""
    out: list[str] = []
    breaks: set[int] = set()
    pos = 0
    for m in re.finditer(r"\S+", text):
        if out:
            if "\n" in text[pos:m.start()]:
                breaks.add(sum(len(x) for x in out))
            out.append(" ")
        out.append(m.group(0))
        pos = m.end()
    return "".join(out), frozenset(breaks)


def _component_for(text: str, pv: ParsedValue, floor: int, facts: list[SpecFact], block: Block,
                   cfg: FactsConfig, variant: str | None = None,
                   context: PageContext | None = None, breaks: frozenset[int] = frozenset()) -> tuple[str, str | None]:
    """Component of a text value and a review reason when no real part is named: the phrase
    before it, else the list it continues, the object of a 'Tighten the ...' earlier in the
    block, the words after it on its printed line (``breaks``: where the printed lines ended; a
    value ending its line is followed by the next entry of a list, Motronic 15-16 '1450...3300 Ω' /
    'Motore alla temperatura d'esercizio'), the row above it (variant-only lines), the section
    (see :func:`name_component`)."""
    start = pv.lead if pv.lead is not None else pv.start
    overlap = overlap_by(text, start, max(floor, _sentence_start(text, start)))
    if overlap:
        return overlap, None  # 'mating surface overlaps by distance A = 10 mm'
    raw = component_before(text, start, floor)
    component = _tidy_component(raw, cfg)
    if "," in component and component_problem(component) is not None:
        tail = _tidy_component(component.rsplit(",", 1)[1], cfg)  # "sprocket was removed, tighten the sprocket bolt"
        if tail and component_problem(tail) is None:
            component = tail
    if not component and facts and (_LIST_SEP.match(text[floor:start]) or _CONDITION_GAP.fullmatch(text[floor:start])):
        component = facts[-1].component  # "(35°/60°)" / "2.5 kΩ (80 °C): 0.3 kΩ": the list shares its component
    if not component:
        objs = list(_TIGHTEN_OBJECT.finditer(text[:start]))
        component = _tidy_component(objs[-1].group("obj"), cfg) if objs else ""
    if not component and not any(pv.end <= b <= pv.end + 1 for b in breaks):
        after = re.split(r"(?i)\s+(?:because|so|which|that|when|if|while|for|to)\b", component_after(text, pv.end))[0]
        component = _tidy_component(after, cfg)
    if not component and raw and not _tidy_component(raw, cfg):
        # "CR20: Stage 1 30 Nm": only a variant name before the value
        component = _continued_component(pv, variant, context)
        if component:
            return component, None
        if pv.quantity in ("torque", "angle"):
            return "tightening torque", f"{COMPONENT_REVIEW}: only a variant name printed before the value"
    if not component and block.section:  # only the section heading the value is printed under
        return block.section, f"{COMPONENT_REVIEW}: only the section heading {block.section!r} names the value"
    named, why = name_component(component or raw, text, start, context, own_block=block.block_id)
    title = re.sub(r"^\d{2}\s?\d{2}(?:\s?\d{3})?\s+", "", block.section or "").strip().lower()
    if why is None and title and named.strip().lower() == title:
        return named, f"{COMPONENT_REVIEW}: {named!r} is the section title"
    return named, why


def _temperature_condition(text: str, pv: ParsedValue, spans: list[tuple[int, int]]) -> bool:
    """Rule ``temperature_condition``: a temperature after a bracket / 'a' / 'bei' ('(+15°C...+30°C): 1450 Ω'),
    or a bare-degree value there in a sentence that names a temperature ('alla temperatura ambiente (+ 16° 30°':
    the 'C' of '°C' read too faintly to keep)."""
    if pv.quantity not in ("temperature", "angle") or _TEMPERATURE_CONDITION.search(text[:pv.start]) is None:
        return False
    if pv.quantity == "temperature":
        return True
    s, _ = spans[_sentence_of(spans, pv.start)]
    return re.search(r"(?i)temperat", text[s:pv.start]) is not None


def _text_facts(block: Block, cfg: FactsConfig, context: PageContext | None = None) -> list[SpecFact]:
    """Facts from a text block, read sentence by sentence.

    The component is the phrase printed before each value; a value printed "at 5800 rpm" /
    "below 35 °C" after or before another value of its sentence is that value's condition, not a
    fact; values right after a bare number or a tool name ("angle gauge 11 2 110") are OCR
    debris and skipped; wire labels must be a standard cross-section; each value takes the
    variant of its own sentence (see :func:`_value_variants`).
    """
    scale = _scale_facts(block, cfg)
    printed, breaks = _one_line(block.text or "")
    spans = sentence_spans(printed)
    text, repaired = repair_ocr_units(printed, spans)
    if len(text) != len(printed):
        breaks = frozenset()  # a repair changed the length: no line ends known
    parsed = parse_spec_text(text)
    variants = _value_variants(text, spans, parsed, cfg)
    sizes = {Decimal(x) for x in cfg.wire_sizes}

    # which values are qualifiers ("at 5800 rpm", "below 35 °C") of another value of their sentence
    sent = [_sentence_of(spans, pv.lead if pv.lead is not None else pv.start) for pv in parsed]
    is_qual = [
        pv.quantity != "wire" and (pv.role == "condition" or _QUALIFIER_WORD.search(text[:pv.start]) is not None
                                   or _temperature_condition(text, pv, spans))
        for pv in parsed
    ]
    extra: dict[int, list[str]] = {}
    dropped: set[int] = set()
    host_of: dict[int, int] = {}
    for k, pv in enumerate(parsed):
        if not is_qual[k]:
            continue
        hosts = [j for j in range(len(parsed)) if sent[j] == sent[k] and not is_qual[j]
                 and parsed[j].quantity not in ("wire", pv.quantity)]
        if hosts:
            before = [j for j in hosts if j < k]
            after = [j for j in hosts if j > k]
            host = before[-1] if before else hosts[0]
            if after and _temperature_condition(text, pv, spans) and _LEADS_TO_VALUE.fullmatch(text[pv.end:parsed[after[0]].start]):
                host = after[0]  # '(c. + 80° C): 280 Ω': a bracketed test temperature belongs to the value after it
            word = _QUALIFIER_WORD.search(text[:pv.start])
            shown = f"{pv.value_printed} {pv.unit_printed.rstrip('.')}".strip()
            prev = parsed[k - 1] if k else None
            if (prev is not None and host_of.get(k - 1) == host and prev.unit == pv.unit and extra.get(host)
                    and _LEADS_TO_VALUE.fullmatch(text[prev.end:pv.start].replace(".", "").replace("+", ""))):
                extra[host][-1] = f"{prev.value_printed}...{shown}"  # '(+ 16° 30°': one range read apart
            else:
                extra.setdefault(host, []).append(pv.condition or (f"at {shown}" if word else shown))
            host_of[k] = host
            dropped.add(k)
        elif pv.quantity == "speed" and _INSTRUCTION_START.match(text[spans[sent[k]][0]:spans[sent[k]][1]]):
            dropped.add(k)  # "Measure the voltage at 2000 rpm": a test setting, not a spec
        elif pv.role == "condition":
            pv.role = "spec"
            pv.condition = (pv.condition or "").split(" ")[0] or None  # "below 35 °C" alone: a limit

    facts: list[SpecFact] = []
    fact_sentence: list[int] = []
    floor = 0
    prev_end: int | None = None
    group_component: dict[tuple, tuple[str, str | None]] = {}
    for k, pv in enumerate(parsed):
        start = pv.lead if pv.lead is not None else pv.start
        s_start = spans[sent[k]][0]
        lo = max(s_start, prev_end if prev_end is not None else 0)
        prev_spec_end = prev_end
        prev_end = pv.end + (len(pv.alt) + 1 if pv.alt else 0)
        if k in dropped or pv.role == "condition":
            continue
        reasons = [r for pos, r in repaired.items() if pv.start <= pos < pv.end and r]
        if pv.quantity == "wire":
            if Decimal(pv.value) not in sizes:
                continue  # "15 BU" for ".75 BU": not a wire size
            component = "wire"
        else:
            gap = text[lo:start]
            if _TOOL_BEFORE.search(text[s_start:start]) or _BARE_NUMBER_BEFORE.search(gap):
                continue  # "angle gauge 11 2 110" read as "10 s"; "1.2 | 30 s"
            if _LIST_NUMBER.fullmatch(pv.value_printed) and re.fullmatch(r"[\W_]*", text[s_start:start]):
                continue  # '13. A pillars, door contact switches removed': a list number, no 13 A
            if _alt_of_unread(text[s_start:start]):
                continue  # '40 to 50 kilometers (25 to 30 miles)': the conversion of a value whose unit was not read
            if _CAPS_LABEL_BEFORE.search(text[:start]) and _CAPS_LABEL_AFTER.match(text[pv.end:]):
                continue  # "BATTERY F1 80 A ALTERNATOR": a diagram callout merged into the prose
            if _NEGATIVE_BEFORE.search(text[:start]):
                if pv.quantity != "temperature" or pv.value_max is not None:
                    continue  # "-0.1 mm": a sign the value would lose
                pv = replace(pv, value="-" + pv.value, value_printed="-" + pv.value_printed)
            if (prev_spec_end is not None and prev_spec_end >= s_start and facts and pv.lead is None
                    and not pv.stages and re.fullmatch(r"\s*", text[prev_spec_end:start]) and pv.quantity == "time"
                    and facts[-1].quantity != "time"):
                continue  # "1.2 l 30 s": the "in" before a duration was lost
            group = tuple((st.stage, st.value, st.unit) for st in pv.stages)
            if group and group in group_component:
                component, why = group_component[group]  # later stages share the first stage's component
            else:
                component, why = _component_for(text, pv, floor, facts, block, cfg, variants[k], context, breaks)
            if group and group not in group_component:
                group_component[group] = (component, why)
            if why:
                reasons = [*reasons, why]
        floor = prev_end
        if not component:
            continue
        limit = None if pv.quantity == "wire" else limit_before(text, start, s_start)
        facts.append(_make_fact(
            pv, block=block, component=component, condition=_join(limit, pv.condition, *extra.get(k, [])),
            variant=None if pv.quantity == "wire" else variants[k], section=block.section,
            text=block.text.strip(), bbox=block.source.bbox, conf=block.source.ocr_confidence, cfg=cfg,
            review=reasons,
        ))
        fact_sentence.append(sent[k])
    return scale + _merge_all_variant_copies(facts, fact_sentence)


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("scale_line", _SCALE_LINE, "a chart scale line 'numbers Label in unit'"),
    ("qualifier_word", _QUALIFIER_WORD, "'at' / '@' before a value: a condition of another value"),
    ("temperature_condition", _TEMPERATURE_CONDITION, "a bracket / 'a' / 'bei' before a temperature: a condition"),
    ("tool_before", _TOOL_BEFORE, "a tool name or 'No.' before a number: no value"),
    ("bare_number_before", _BARE_NUMBER_BEFORE, "a bare number and a stroke before a value: OCR debris"),
    ("caps_label_before", _CAPS_LABEL_BEFORE, "a capitalised diagram label before a value"),
    ("caps_label_after", _CAPS_LABEL_AFTER, "a capitalised diagram label after a value"),
    ("alt_of_unread", _ALT_OF_UNREAD, "a bracket after a number with an unknown unit word: its conversion"),
    ("list_number", _LIST_NUMBER, "a whole number with a full stop starting its sentence: a list item"),
    ("negative_before", _NEGATIVE_BEFORE, "a minus sign right before a value"),
    ("limit_before", _LIMIT_BEFORE, "a limit word right before a value ('max. 40 s'): condition 'maximum' / 'minimum'"),
    ("instruction_start", _INSTRUCTION_START, "a sentence that starts with a test instruction"),
)
