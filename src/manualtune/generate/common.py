"""Shared pieces of example generation: component/variant phrasing, the example constructor,
page labels for citations, topic cleaning and the one-answer-many-phrasings emitter."""


from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from manualtune.cache import short_id, stable_json
from manualtune.generate.config import GenerateConfig
from manualtune.generate.debris import Speller
from manualtune.generate.subjects import repair_identifiers
from manualtune.generate.templates import (
    GERUNDS,
)
from manualtune.generate.text import (
    extract_numbers,
    format_citation,
    format_one_citation,
    normalize_question,
    one_line,
)
from manualtune.records import Block, Example, Provenance, TaskType

Paraphraser = Callable[[str], list[str]]


TASK_ORDER: dict[str, int] = {"SPEC": 0, "PROCEDURE": 1, "EXPLANATION": 2, "WIRING": 3, "TROUBLESHOOTING": 4}


_STOP_TOPIC = {"and", "the", "for", "of", "on", "in", "to", "with", "or", "a", "an", "at", "by"}


def _key(text: str | None) -> str:
    """Comparison form of a component / variant / condition."""
    return normalize_question(text or "")


def _lower_first(text: str) -> str:
    """'Connecting rod bolts' -> 'connecting rod bolts', 'Engine Power Output' -> 'engine power output';
    'ABS unit' and 'Plastigage' inside a phrase stay."""
    words = text.split()
    title = [w for w in words if re.fullmatch(r"[A-Z][a-z]+", w)]
    if len(words) > 1 and len(title) == len([w for w in words if re.search(r"[A-Za-z]{2}", w)]):
        return " ".join(w.lower() if w in title else w for w in words)
    if len(text) >= 2 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_COMPONENT_END_STOP = {
    "and", "or", "the", "of", "to", "with", "for", "on", "in", "at", "by", "every", "each", "from", "a", "an",
}


# Components no question may name: (rule, pattern on the component phrase, why). Each row has a test.
COMPONENT_REJECTS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("adverb_head", re.compile(r"(?i)^(?:the\s+)?(?:approx|approximately|about|than|again|then|also|only|when|if|"
                               r"at\s+least|up\s+to)\b"),
     "the phrase starts with an adverb or comparison ('the approx', 'than the side panel'): no thing is named"),
    ("exclamation", re.compile(r"!"), "a label like 'Important! …' is not a component"),
    ("generic_only", re.compile(r"(?i)^(?:the\s+)?(?:installation|removal|dimension|value|check(?:ing)?|"
                                r"replacing(?:\s+\w+)?|wire|it|this|these|they)$"),
     "a bare generic word ('the installation', 'the wire') does not say which part"),
    ("dangling_dash", re.compile(r"[—–-]\s*$"), "the phrase was cut at a dash"),
)


def component_reject_reason(component: str) -> str | None:
    """The name of the first :data:`COMPONENT_REJECTS` rule the (phrased) component trips, else None."""
    phrase = component_phrase(component)
    for name, pattern, _why in COMPONENT_REJECTS:
        if pattern.search(phrase) or (name == "dangling_dash" and pattern.search(one_line(component))):
            return name
    return None


def usable_component(component: str) -> bool:
    """A component a question can name: one real word, not ending in a dangling 'and'/'every'/'of',
    and no :data:`COMPONENT_REJECTS` rule applies."""
    words = re.findall(r"[A-Za-z]+", component or "")
    if not any(len(w) >= 3 and w.lower() not in _COMPONENT_END_STOP for w in words):
        return False
    if words[-1].lower() not in _COMPONENT_END_STOP:
        return component_reject_reason(component) is None
    return False


def _contains_word(haystack: str, needle: str) -> bool:
    if not needle:
        return False
    pat = r"(?<![\w])" + r"\s*".join(re.escape(p) for p in needle.split()) + r"(?![\w])"
    return re.search(pat, haystack, re.IGNORECASE) is not None


# A torque table's item number printed before the name ('5AZ', OCR 'SAZ', '7AZ' read 'TAZ', '1AZ').
_ITEM_NUMBER_RE = re.compile(r"^\(?(?:\d{1,2}|[SsTtIlO|])\s?A\s?Z\)?\s+")


#: a heading that names the quantity before the part ('Tightening Torque of Conrod Bolts')
_QUANTITY_HEAD_RE = re.compile(r"(?i)^(?:tightening\s+(?:torque|angle)|torque(?:\s+angle)?)s?\s+(?:of|for)\s+(?=\w)")


def component_phrase(component: str) -> str:
    """A component as a question names it: no table item number in front, no trailing punctuation or
    manner words ('5AZ Wiper shaft nut' -> 'Wiper shaft nut', 'new connecting rod bolts in stages.' ->
    'new connecting rod bolts')."""
    t = _ITEM_NUMBER_RE.sub("", one_line(component)).strip(" .,;:!?-–=‘’“”'\"")
    t = _QUANTITY_HEAD_RE.sub("", t)  # 'Tightening Torque of Conrod Bolts' names the bolts
    t = re.sub(r"(?i)(?:\s+(?:in\s+(?:(?:two|three|four|\d)\s+)?stages|evenly|crosswise|alternately|diagonally))+$",
               "", t)
    return t.strip(" .,;:!?-–=") or one_line(component)


def _subject(component: str, variant: str | None) -> str:
    comp = _lower_first(component_phrase(component))
    if variant and not _contains_word(comp, variant):
        return f"{variant} {comp}"
    return comp


#: a bare thread size of a torque table's Screw column ('M5', 'M10x1.25'); never an engine code (M10, M20,
#: M52 ...): one digit, M12-M18 or with its pitch
_THREAD_SIZE_RE = re.compile(r"(?:^|(?<=;)|(?<=; ))(M(?:[4-9]|1[2468]|\d{1,2}\s?x\s?\d+(?:[.,]\d+)?))(?=\s*(?:;|$))")


def _condition_text(condition: str | None, variant: str | None) -> str | None:
    """Condition for display: the variant prefix ('S14; …') dropped, misread identifiers repaired
    ('ASS 300J' -> 'A5S 300J'), a bare thread size named as one ('All with fuel injection; M5' -> '...;
    M5 thread': unnamed, 'M5' reads as the BMW M5), empty -> None."""
    if not condition:
        return None
    c = repair_identifiers(one_line(condition))
    if variant:
        c = re.sub(rf"^\s*{re.escape(variant)}\s*[;,:]\s*", "", c, flags=re.IGNORECASE)
        if _key(c) == _key(variant):
            return None
    c = _THREAD_SIZE_RE.sub(r"\1 thread", c)
    c = c.strip(" ;,")
    return c or None


def _dedupe_provenance(items: Iterable[Provenance]) -> list[Provenance]:
    seen: set[str] = set()
    out: list[Provenance] = []
    for p in items:
        k = stable_json(p)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _make_example(
    task: TaskType,
    question: str,
    answer: str,
    group_id: str,
    phrasing: int,
    **fields,
) -> Example:
    return Example(
        example_id=short_id(task, question, answer),
        task=task,
        question=question,
        answer=answer,
        group_id=group_id,
        phrasing=phrasing,
        **fields,
    )


class _Pages:
    """Page labels for citations: the fact's block, else any block of the same page, else file + page."""

    def __init__(self, blocks: Sequence[Block], cfg: GenerateConfig):
        self.cfg = cfg
        self.by_block: dict[str, Block] = {b.block_id: b for b in blocks}
        self.by_page_id: dict[str, str] = {}
        self.by_file_page: dict[tuple[str, int], str] = {}
        for b in sorted(blocks, key=lambda b: (b.page_id, b.order, b.block_id)):
            if b.page_label and b.page_label.strip():
                self.by_page_id.setdefault(b.page_id, b.page_label)
                self.by_file_page.setdefault((b.source.file, b.source.page), b.page_label)

    def label(self, prov: Provenance, block_id: str | None = None) -> str | None:
        b = self.by_block.get(block_id or "")
        if b is not None and b.page_label:
            return b.page_label
        if prov.page_id and prov.page_id in self.by_page_id:
            return self.by_page_id[prov.page_id]
        return self.by_file_page.get((prov.file, prov.page))

    def cite_one(self, prov: Provenance, block_id: str | None = None) -> str:
        return format_one_citation(self.label(prov, block_id), prov.file, prov.page, self.cfg)

    def cite(self, items: Iterable[tuple[Provenance, str | None]]) -> str:
        return format_citation([self.cite_one(p, b) for p, b in items], self.cfg)


def clean_topic(title: str, speller: Speller | None = None) -> str:
    """Printed heading -> question topic: operation codes/page labels dropped, capitals lowered.

    '11 24 521 REPLACING CONNECTING RODS – Pistons Removed –' -> 'replacing connecting rods (pistons removed)'.
    With a ``speller`` (the build's vocabulary), scan debris is repaired and a short capitalised
    word the build prints in lower case ('OIL', 'BOX') is lowered too; 'ABS' stays.
    """
    t = one_line(speller.fix(title) if speller is not None else title)
    t = re.sub(r"^[^\w(]+", "", t)  # a leading '/' or bullet left by a split heading
    t = re.sub(r"(?<=\w)\s*/[’'‘`]?\s+(?=\w)", "/", t)  # a slash at a line end ('INSTALLING/' / 'REPLACING')
    t = re.sub(r"^(?:[\d]+(?:\s*[-–./]\s*\d+)*\s+)+", "", t)  # leading codes / labels
    t = re.sub(r"(?<!\S)\d{3}(?!\S)\s*", "", t)  # a bare 3-digit operation number ('51 16 480') left in the text
    t = re.sub(r"^\d+(?:\s*[-–]\s*\d+)*$", "", t)
    m = re.search(r"\s[–-]\s*(.+?)\s*[–-]?\s*$", t)
    if m and re.search(r"[A-Za-z]", m.group(1)):
        t = t[: m.start()] + f" ({m.group(1).strip(' –-')})"
    t = t.strip(" –-:;,.")
    words = []
    for w in t.split():
        core = re.sub(r"[^\w]", "", w)
        if any(ch.isdigit() for ch in core):
            pass  # identifiers (S14, M10) keep their case
        elif core.isupper() and (len(core) > 3 or core.lower() in _STOP_TOPIC
                                 or (speller is not None and len(core) > 1 and speller.plain_word(core))):
            w = w.lower()
        elif len(core) > 1 and core[0].isupper() and core[1:].islower():
            w = w.lower()
        words.append(w)
    t = " ".join(words)
    if t and t[0].isupper() and (len(t) < 2 or t[1].islower()):
        t = t[0].lower() + t[1:]
    return t


def _action(topic: str) -> str | None:
    """'replacing connecting rods' -> 'replace connecting rods'; None if the topic is not a gerund phrase."""
    words = topic.split()
    if not words or words[0].lower() not in GERUNDS:
        return None
    out = []
    for w in words:
        out.append(GERUNDS.get(w.lower(), w))
    return " ".join(out)


def _strip_prefix(text: str, prefix: str) -> str:
    return re.sub(rf"^\s*{prefix}\s*[:!.–-]*\s*", "", text, flags=re.IGNORECASE)


def looks_like_prose(text: str) -> bool:
    """At least 8 words and one finished sentence, and most lines read as text, not as table rows
    ('Hex screws All M8 24 Nm (ft. lbs.)'): table labels and running footers are not explanations."""
    if len(text.split()) < 8 or re.search(r"[a-z)][.!?](?:\s|$)", text) is None:
        return False
    lines = [ln for ln in text.splitlines() if ln.strip()]
    rows = sum(1 for ln in lines if _table_like(ln))
    return rows <= 0.3 * len(lines)


def _table_like(line: str) -> bool:
    """A line that reads as a table row: a value with a unit or two numbers, and fewer than four
    lower-case words; or a row label like '1AZ' / 'Type Screw Unit'."""
    lower = len(re.findall(r"\b[a-z]{3,}\b", line))
    nums = len(extract_numbers(line))
    return (lower < 4 and (nums >= 2 or re.search(r"\d\s?(?:Nm|mm|bar|°)", line) is not None)) or bool(
        re.match(r"^\s*\d{1,2}AZ\b", line))


def _sentence_case(text: str) -> str:
    """'CHARGE INDICATOR PROVIDES … COIL. RESISTOR ALLOWS …' -> 'Charge indicator provides … coil. Resistor allows …'
    (all-capitals print only; identifiers with digits keep their case)."""
    t = one_line(text)
    if re.search(r"[a-z]", t):
        return t
    words = [w if re.search(r"\d", w) else w.lower() for w in t.split()]
    out = " ".join(words)
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), out)


def _page_blocks(blocks: Sequence[Block]) -> list[list[Block]]:
    by_page: dict[str, list[Block]] = defaultdict(list)
    for b in blocks:
        by_page[b.page_id].append(b)
    return [sorted(by_page[p], key=lambda b: (b.order, b.block_id)) for p in sorted(by_page)]


def _questions(templates: Sequence[str], n: int, **slots: str) -> list[str]:
    out = []
    for t in templates[:n]:
        q = t.format(**slots)
        out.append(q[:1].upper() + q[1:])
    return out


def _emit(out: list[Example], task: TaskType, questions: Sequence[str], answer: str, used: Sequence[Block],
          section: str | None = None) -> None:
    """Examples of one answer, every phrasing; ``group_id`` = the first cited block's id (as for
    :func:`block_examples`), so questions read from one block share a split."""
    group_id = used[0].block_id
    sources = _dedupe_provenance(b.source for b in used)
    section = section or next((b.section for b in used if b.section), None)
    for i, q in enumerate(questions):
        out.append(_make_example(task, q, answer, group_id, i, block_ids=sorted({b.block_id for b in used}),
                                 section=section, sources=sources))


def _block_topic(kind: str, raw: str) -> str | None:
    t = clean_topic(raw)
    if kind == "troubleshooting":
        t = re.sub(r"^troubleshooting\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"^\((.*)\)$", r"\1", t.strip())
    if kind == "wiring":
        t = re.sub(r"\s*(?:wiring\s+diagram|wiring)$", "", t, flags=re.IGNORECASE)
    if not re.search(r"[A-Za-z]{2}", t):
        return None
    if kind == "wiring":
        if not re.search(r"circuit|system|diagram", t, re.IGNORECASE):
            t = f"{t} circuit"
        return t if t.lower().startswith("the ") else f"the {t}"
    if kind == "troubleshooting":
        return t if re.match(r"(?i)(the|a|an)\s", t) else f"the {t}"
    return t


def _dedupe_blocks(items: Sequence[Block]) -> list[Block]:
    seen: set[str] = set()
    out = []
    for b in items:
        if b.block_id not in seen:
            seen.add(b.block_id)
            out.append(b)
    return out


class GenerationStats:
    """Counters of one generation run, per task: ``candidates`` (source units looked at: fact groups,
    procedures, topics, wiring pages, trouble blocks), ``emitted`` (examples made) and ``skipped:<reason>``.
    Written to ``dataset/generation.json`` and shown in the QA report, so a task that silently makes
    nothing is visible."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, task: str, key: str, n: int = 1) -> None:
        self.counts[task][key] += n

    def skip(self, task: str, reason: str) -> None:
        self.add(task, f"skipped:{reason}")

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {t: dict(sorted(c.items())) for t, c in sorted(self.counts.items())}
