"""Records -> grounded instruction examples (SPEC, PROCEDURE, EXPLANATION, WIRING, TROUBLESHOOTING).

Rules (see issue 5): questions name the component and, when variant-specific, the variant;
answers give value + unit as printed (or canonical), complete ranges and stages, the condition,
and end with a parseable citation (:func:`manualtune.generate.text.format_citation`). Facts
with ``needs_review`` never become examples. Facts that answer the same question are collapsed
into one answer; cross-page disagreements are stated with both citations (``conflict_stated``)
or skipped. A configurable share of refusals asks about components/variants no fact covers.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from manualtune.cache import short_id, stable_json
from manualtune.generate.blocktasks import (
    FuseRating,
    circuit_components,
    colour_name,
    fuse_ratings,
    is_note_text,
    parse_requirements,
    parse_trouble_entry,
    wire_lines,
    wire_rows,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.templates import (
    CIRCUIT_TEMPLATES,
    EXPLANATION_TEMPLATES,
    FUSE_TEMPLATES,
    GENERIC_TEMPLATES,
    GERUNDS,
    PROCEDURE_TEMPLATES,
    QUANTITY_LABEL,
    REFUSAL_COMPONENTS,
    REFUSAL_VARIANTS,
    REQUIREMENT_TEMPLATES,
    SELF_DESCRIBING_TEMPLATES,
    SELF_DESCRIBING_WORDS,
    SPEC_TEMPLATES,
    SYMPTOM_TEMPLATES,
    TROUBLESHOOTING_TEMPLATES,
    WIRE_TEMPLATES,
    WIRING_NOTE_TEMPLATES,
    WIRING_TEMPLATES,
)
from manualtune.generate.text import (
    extract_numbers,
    format_citation,
    format_one_citation,
    is_clean_unit,
    join_value_unit,
    normalize_question,
    normalize_space,
    number_key,
    number_keys,
    one_line,
)
from manualtune.records import Block, Conflict, Example, Procedure, Provenance, SpecFact, TaskType

Paraphraser = Callable[[str], list[str]]

TASK_ORDER: dict[str, int] = {"SPEC": 0, "PROCEDURE": 1, "EXPLANATION": 2, "WIRING": 3, "TROUBLESHOOTING": 4}
_STAGE_RE = re.compile(r"\b(?:stage|step)\s*(\d{1,2})\b", re.IGNORECASE)
_STAGE_WORDS_RE = re.compile(r"\b(?:torque|angle|tightening|application|pre)\b", re.IGNORECASE)
_STOP_TOPIC = {"and", "the", "for", "of", "on", "in", "to", "with", "or", "a", "an", "at", "by"}


# --------------------------------------------------------------------------- small helpers


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


def usable_component(component: str) -> bool:
    """A component a question can name: one real word, not ending in a dangling 'and'/'every'/'of'."""
    words = re.findall(r"[A-Za-z]+", component or "")
    if not any(len(w) >= 3 and w.lower() not in _COMPONENT_END_STOP for w in words):
        return False
    return words[-1].lower() not in _COMPONENT_END_STOP


def _contains_word(haystack: str, needle: str) -> bool:
    if not needle:
        return False
    pat = r"(?<![\w])" + r"\s*".join(re.escape(p) for p in needle.split()) + r"(?![\w])"
    return re.search(pat, haystack, re.IGNORECASE) is not None


def component_phrase(component: str) -> str:
    """A component as a question names it: no trailing punctuation or manner words
    ('new connecting rod bolts in stages.' -> 'new connecting rod bolts')."""
    t = one_line(component).strip(" .,;:!?-–=")
    t = re.sub(r"(?i)(?:\s+(?:in\s+(?:(?:two|three|four|\d)\s+)?stages|evenly|crosswise|alternately|diagonally))+$",
               "", t)
    return t.strip(" .,;:!?-–=") or one_line(component)


def _subject(component: str, variant: str | None) -> str:
    comp = _lower_first(component_phrase(component))
    if variant and not _contains_word(comp, variant):
        return f"{variant} {comp}"
    return comp


def _condition_text(condition: str | None, variant: str | None) -> str | None:
    """Condition for display: the variant prefix ('S14; …') dropped, empty -> None."""
    if not condition:
        return None
    c = one_line(condition)
    if variant:
        c = re.sub(rf"^\s*{re.escape(variant)}\s*[;,:]\s*", "", c, flags=re.IGNORECASE)
        if _key(c) == _key(variant):
            return None
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


# --------------------------------------------------------------------------- value rendering

_CLEAN_VALUE_RE = re.compile(r"[\d.,]+(?:\s*(?:-|–|to)\s*[\d.,]+)?(?:\s*(?:\+|±|-)\s*[\d.,]+)?")


def _render_tolerance(tol: str, unit: str) -> str:
    m = re.fullmatch(r"\s*([+±−-])\s*([\d.,]+)\s*", tol)
    if not m:
        return f" (tolerance {one_line(tol)})"
    sign = "-" if m.group(1) == "−" else m.group(1)
    return f" {sign} {join_value_unit(m.group(2), unit)}"


def _value_unit(value: str, value_max: str | None, printed: str, unit: str, unit_printed: str,
                cfg: GenerateConfig) -> tuple[str, str]:
    """(value text, unit) for the configured answer_units mode."""
    if cfg.answer_units == "printed":
        vp = one_line(printed)
        wanted = {k for k in (number_key(value), number_key(value_max) if value_max else None) if k}
        if vp and _CLEAN_VALUE_RE.fullmatch(vp) and wanted <= number_keys(vp):
            up = one_line(unit_printed)
            return vp, (up if is_clean_unit(up) else unit)
    v = value if not value_max else f"{value} to {value_max}"
    return v, unit


def render_fact_value(fact: SpecFact, cfg: GenerateConfig, derived: Sequence[SpecFact] = ()) -> str:
    """Value + unit of one fact as the answer states it: ranges complete, stages listed, tolerance kept."""
    if fact.stages:
        parts = []
        stages = sorted(fact.stages, key=lambda s: s.stage)
        for i, s in enumerate(stages):
            v, u = _value_unit(s.value, s.value_max, s.value if not s.value_max else f"{s.value}-{s.value_max}",
                               s.unit, s.unit, cfg)
            text = join_value_unit(v, u)
            tol_keys = number_keys(fact.tolerance or "")
            if i == len(stages) - 1 and fact.tolerance and not tol_keys <= number_keys(v):
                text += _render_tolerance(fact.tolerance, u)
            parts.append(f"Stage {s.stage}: {text}")
        out = ", ".join(parts)
    else:
        v, u = _value_unit(fact.value, fact.value_max, fact.value_printed, fact.unit, fact.unit_printed, cfg)
        out = join_value_unit(v, u)
        if fact.tolerance and not number_keys(fact.tolerance) <= number_keys(v):
            out += _render_tolerance(fact.tolerance, u)
    conv = [render_fact_value(d, cfg) for d in derived if not d.stages]
    if conv:
        out += " (" + ", ".join(conv) + ")"
    return out


# --------------------------------------------------------------------------- SPEC


@dataclass
class _SpecItem:
    """One answerable value: one fact, or stage facts of one page synthesised into a staged spec."""

    facts: list[SpecFact]
    derived: list[SpecFact]
    component: str
    quantity: str
    variant: str | None
    condition: str | None
    value_text: str
    source: Provenance
    block_id: str | None
    section: str | None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (_key(self.component), self.quantity, _key(self.variant), _key(self.condition))

    @property
    def page(self) -> tuple[str, int]:
        return (self.source.file, self.source.page)


def _fact_sort_key(f: SpecFact) -> tuple:
    return (f.source.file, f.source.page, f.block_id or "", f.component, f.fact_id)


def _base_condition(condition: str | None) -> str:
    c = _STAGE_RE.sub(" ", condition or "")
    c = _STAGE_WORDS_RE.sub(" ", c)
    return _key(re.sub(r"[()]", " ", c))


def _spec_items(facts: Sequence[SpecFact], cfg: GenerateConfig) -> list[_SpecItem]:
    """Usable facts -> answer items (derived conversions attached, per-fact stage rows merged)."""
    usable = sorted(
        (f for f in facts if not f.needs_review and re.search(r"\d", f.value or "") and usable_component(f.component)),
        key=_fact_sort_key,
    )
    ids = {f.fact_id for f in usable}
    derived_of: dict[str, list[SpecFact]] = defaultdict(list)
    primary: list[SpecFact] = []
    for f in usable:
        if f.derived:
            if f.derived_from and f.derived_from in ids:
                derived_of[f.derived_from].append(f)
            continue  # a conversion without its printed source is not asked on its own
        primary.append(f)

    staged: dict[tuple, list[SpecFact]] = defaultdict(list)
    singles: list[SpecFact] = []
    for f in primary:
        m = _STAGE_RE.search(f.condition or "")
        if m and not f.stages and f.quantity in ("torque", "angle"):
            k = (f.source.file, f.source.page, _key(f.component), _key(f.variant), _base_condition(f.condition))
            staged[k].append(f)
        else:
            singles.append(f)
    items: list[_SpecItem] = []
    for k in sorted(staged):
        group = staged[k]
        if len({int(_STAGE_RE.search(f.condition or "").group(1)) for f in group}) < 2:
            singles.extend(group)
            continue
        group.sort(key=lambda f: (int(_STAGE_RE.search(f.condition or "").group(1)), f.fact_id))
        parts = []
        for f in group:
            n = int(_STAGE_RE.search(f.condition or "").group(1))
            parts.append(f"Stage {n}: {render_fact_value(f, cfg, derived_of.get(f.fact_id, []))}")
        first = group[0]
        base = _STAGE_RE.sub(" ", first.condition or "")
        base = _STAGE_WORDS_RE.sub(" ", base)
        base = re.sub(r"\(\s*\)", " ", base)
        items.append(_SpecItem(
            facts=group,
            derived=[d for f in group for d in derived_of.get(f.fact_id, [])],
            component=first.component,
            quantity="torque",
            variant=first.variant,
            condition=one_line(base).strip(" ;,") or None,
            value_text=", ".join(parts),
            source=first.source,
            block_id=first.block_id,
            section=first.section,
        ))
    items.extend(_staged_items(singles, derived_of, cfg))
    for f in sorted(singles, key=_fact_sort_key):
        if f.stages:
            continue
        d = derived_of.get(f.fact_id, [])
        quantity = "angle" if f.quantity == "torque" and f.unit.strip() == "°" and not f.stages else f.quantity
        items.append(_SpecItem(
            facts=[f], derived=list(d), component=f.component, quantity=quantity, variant=f.variant,
            condition=f.condition, value_text=render_fact_value(f, cfg, d), source=f.source,
            block_id=f.block_id, section=f.section,
        ))
    return items


def _staged_items(facts: Sequence[SpecFact], derived_of: dict[str, list[SpecFact]],
                  cfg: GenerateConfig) -> list[_SpecItem]:
    """Facts that carry one staged spec ('Stage 1 20 Nm. Stage 2 torque angle 70°': one fact per
    stage, each with all ``stages``) -> one item per page + component + variant + stage list,
    asked as a tightening torque (an angle only when no stage is a torque) and answered
    'Stage 1: 20 Nm, Stage 2: 70°'; the stage words leave the condition."""
    groups: dict[tuple, list[SpecFact]] = defaultdict(list)
    for f in facts:
        if f.stages:
            stages = tuple((s.stage, s.value, s.value_max, s.unit) for s in f.stages)
            groups[(f.source.file, f.source.page, _key(f.component), _key(f.variant), stages)].append(f)
    out: list[_SpecItem] = []
    for k in sorted(groups):
        group = sorted(groups[k], key=_fact_sort_key)
        first = group[0]
        last = max(first.stages, key=lambda s: s.stage)
        shown = next((f for f in group if (f.value, f.unit) == (last.value, last.unit)), first)  # its tolerance
        torque = any(s.kind == "torque" for s in first.stages)
        conds = [c for c in (_staged_condition(f.condition) for f in group) if c]
        out.append(_SpecItem(
            facts=group, derived=[d for f in group for d in derived_of.get(f.fact_id, [])],
            component=first.component, quantity="torque" if torque else "angle", variant=first.variant,
            condition=conds[0] if conds else None, value_text=render_fact_value(shown, cfg),
            source=first.source, block_id=first.block_id, section=first.section,
        ))
    return out


def _staged_condition(condition: str | None) -> str | None:
    """'stage 2 torque angle; hot' -> 'hot': what is left of a condition without its stage words."""
    c = _STAGE_RE.sub(" ", condition or "")
    c = _STAGE_WORDS_RE.sub(" ", c)
    c = re.sub(r"\(\s*\)", " ", c)
    parts = [one_line(p).strip(" ;,") for p in c.split(";")]
    return "; ".join(p for p in parts if p) or None


def _self_describing(component: str, quantity: str) -> bool:
    words = set(re.findall(r"[a-z]+", component.lower()))
    return any(w in words for w in SELF_DESCRIBING_WORDS) and quantity not in ("torque", "angle")


def spec_questions(component: str, quantity: str, variant: str | None, condition: str | None,
                   n: int, qualifiers: Sequence[str] = ()) -> list[str]:
    """The first ``n`` question phrasings for one spec.

    ``qualifiers`` (section topic, quantity) and the condition go in parentheses before the '?'.
    """
    subject = _subject(component, variant)
    if _self_describing(component, quantity):
        templates = SELF_DESCRIBING_TEMPLATES
    elif quantity in SPEC_TEMPLATES:
        templates = SPEC_TEMPLATES[quantity]
    else:
        templates = GENERIC_TEMPLATES
    label = QUANTITY_LABEL.get(quantity, "specified value")
    out = []
    for t in templates[:n]:
        q = t.format(subject=subject, label=label, Label=label[:1].upper() + label[1:])
        q = q[:1].upper() + q[1:]
        quals = [x for x in (*qualifiers, condition) if x]
        if quals:
            q = q.rstrip("?") + f" ({'; '.join(quals)})?"
        out.append(q)
    return out


def _answer_lead(component: str, quantity: str, variant: str | None) -> str:
    subject = _subject(component, variant)
    if _self_describing(component, quantity):
        return f"the {subject}"
    return f"the {QUANTITY_LABEL.get(quantity, 'specified value')} of the {subject}"


def _segment(items: Sequence[_SpecItem]) -> tuple[str, str | None]:
    """Values of one page (distinct, ' / '-joined) and their shared display condition."""
    values: list[str] = []
    for it in items:
        if it.value_text not in values:
            values.append(it.value_text)
    conds = []
    for it in items:
        c = _condition_text(it.condition, it.variant)
        if c and c not in conds:
            conds.append(c)
    return " / ".join(values), ("; ".join(conds) or None)


def _paraphrases(question: str, component: str, variant: str | None, existing: list[str],
                 paraphraser: Paraphraser | None, limit: int) -> list[str]:
    """Accepted paraphrases: they must still name the variant and the component; errors ignored."""
    if paraphraser is None or limit <= 0:
        return []
    try:
        cands = paraphraser(question)
    except Exception:  # noqa: BLE001 - an optional hook never stops a build
        return []
    seen = {normalize_question(q) for q in existing}
    out: list[str] = []
    for c in cands if isinstance(cands, list) else []:
        if not isinstance(c, str) or not c.strip():
            continue
        c = one_line(c)
        if normalize_question(c) in seen:
            continue
        if variant and not _contains_word(c, variant):
            continue
        if fuzz.partial_ratio(_key(component), normalize_question(c)) < 80:
            continue
        if extract_numbers(c) != extract_numbers(question):
            continue
        seen.add(normalize_question(c))
        out.append(c)
        if len(out) >= limit:
            break
    return out


def spec_examples(facts: Sequence[SpecFact], pages: _Pages, cfg: GenerateConfig,
                  conflicts: Sequence[Conflict] = (), paraphraser: Paraphraser | None = None) -> list[Example]:
    """SPEC examples: one answer per question key, every phrasing in the component+variant group."""
    items = _spec_items(facts, cfg)
    # union question keys of facts linked by a Conflict record
    parent: dict[tuple, tuple] = {}

    def find(k: tuple) -> tuple:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    key_of_fact: dict[str, tuple] = {}
    for it in items:
        find(it.key)
        for f in it.facts:
            key_of_fact[f.fact_id] = it.key
    for c in sorted(conflicts, key=lambda c: c.conflict_id):
        keys = sorted({key_of_fact[i] for i in c.fact_ids if i in key_of_fact})
        for k in keys[1:]:
            a, b = find(keys[0]), find(k)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[tuple, list[_SpecItem]] = defaultdict(list)
    for it in items:
        groups[find(it.key)].append(it)
    # conditions go into the question only when siblings (same component/quantity/variant) differ
    siblings: dict[tuple, int] = defaultdict(int)
    for k in groups:
        siblings[k[:3]] += 1

    # self-describing components ("engine power output") asked for several quantities name the quantity
    quantities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k in groups:
        quantities[(k[0], k[2])].add(k[1])
    conflict_fids = {i for c in conflicts for i in c.fact_ids}

    out: list[Example] = []
    for k in sorted(groups):
        its = groups[k]
        try:
            hint = []
            label = QUANTITY_LABEL.get(k[1], k[1])
            if (len(quantities[(k[0], k[2])]) > 1 and _self_describing(its[0].component, its[0].quantity)
                    and not _contains_word(its[0].component, label)):
                hint = [label]
            parts: list[tuple[str, list[_SpecItem]]] = [("", its)]
            linked = any(f.fact_id in conflict_fids for it in its for f in it.facts)
            if not linked and len({it.value_text for it in its}) > 1:
                # same name, different values, no recorded conflict: different parts in different sections
                by_sec: dict[str, list[_SpecItem]] = defaultdict(list)
                for it in its:
                    by_sec[_section_topic(it.section)].append(it)
                if len(by_sec) > 1:
                    parts = sorted(by_sec.items())
            for sec, sub in parts:
                out.extend(_spec_group_examples(
                    sub, siblings[k[:3]] > 1, pages, cfg, paraphraser, [q for q in (sec, *hint) if q]
                ))
        except Exception:  # noqa: BLE001 - one odd fact group never stops the build
            continue
    return out


def _section_topic(section: str | None) -> str:
    """Section heading as a question qualifier ('11 24 Connecting Rods and Bearings' -> 'connecting rods and bearings')."""
    t = clean_topic(section or "")
    return t if re.search(r"[A-Za-z]{3}", t) else ""


def _spec_group_examples(its: list[_SpecItem], condition_in_question: bool, pages: _Pages, cfg: GenerateConfig,
                         paraphraser: Paraphraser | None, qualifiers: Sequence[str] = ()) -> list[Example]:
    """Examples of one question key: one answer (or stated conflict), every phrasing."""
    out: list[Example] = []
    its = sorted(its, key=lambda i: (i.page, i.key, i.facts[0].fact_id))
    first = its[0]
    q_cond = None
    if condition_in_question:
        q_cond = _condition_text(first.condition, first.variant)
    by_page: dict[tuple[str, int], list[_SpecItem]] = defaultdict(list)
    for it in its:
        by_page[it.page].append(it)
    segs = []
    for pg in sorted(by_page):
        vals, cond = _segment(by_page[pg])
        cite = pages.cite((it.source, it.block_id) for it in by_page[pg])
        segs.append((vals, cond, cite, by_page[pg]))
    lead = _answer_lead(first.component, first.quantity, first.variant)
    stated_conflict = len({s[0] for s in segs}) > 1
    if not stated_conflict:
        vals, _, _, _ = segs[0]
        conds = []
        for s in segs:
            if s[1] and s[1] not in conds:
                conds.append(s[1])
        cite = pages.cite((it.source, it.block_id) for it in its)
        cond_txt = f"; condition: {'; '.join(conds)}" if conds else ""
        answer = f"{lead[:1].upper()}{lead[1:]} is {vals}{cond_txt} {cite}."
    else:
        if cfg.conflict_mode == "skip":
            return []
        parts = [f"{vals}{f', condition: {cond}' if cond else ''} {cite}" for vals, cond, cite, _ in segs]
        answer = f"{cfg.conflict_intro} {lead}: " + "; ".join(parts) + "."
    group_id = "spec-" + short_id("SPEC", _key(first.component), _key(first.variant), *qualifiers[:1])
    questions = spec_questions(first.component, first.quantity, first.variant, q_cond, cfg.phrasings_per_fact,
                               qualifiers)
    if not questions:
        return []
    questions += _paraphrases(questions[0], first.component, first.variant, questions, paraphraser,
                              cfg.max_paraphrases)
    all_facts = [f for it in its for f in it.facts + it.derived]
    fact_ids = sorted({f.fact_id for f in all_facts})
    block_ids = sorted({it.block_id for it in its if it.block_id})
    sources = _dedupe_provenance(it.source for it in sorted(its, key=lambda i: i.page))
    variant = first.variant
    for i, q in enumerate(questions):
        out.append(_make_example(
            "SPEC", q, answer, group_id, i, fact_ids=fact_ids, block_ids=block_ids, variant=variant,
            section=first.section, sources=sources, conflict_stated=stated_conflict,
        ))
    return out


# --------------------------------------------------------------------------- PROCEDURE


def clean_topic(title: str) -> str:
    """Printed heading -> question topic: operation codes/page labels dropped, capitals lowered.

    '11 24 521 REPLACING CONNECTING RODS – Pistons Removed –' -> 'replacing connecting rods (pistons removed)'
    """
    t = one_line(title)
    t = re.sub(r"^(?:[\d]+(?:\s*[-–./]\s*\d+)*\s+)+", "", t)  # leading codes / labels
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
        elif core.isupper() and (len(core) > 3 or core.lower() in _STOP_TOPIC):
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


def procedure_answer(proc: Procedure, pages: _Pages) -> str | None:
    """Warnings first ('WARNING: …'), notes, then numbered steps 1..n (each step kept whole), citation."""
    steps = [s for s in proc.steps if one_line(s.text)]
    if not steps:
        return None
    warnings: list[str] = []
    for w in list(proc.warnings) + [w for s in steps for w in s.warnings]:
        w = one_line(_strip_prefix(w, "warning"))
        if w and w not in warnings:
            warnings.append(w)
    notes = []
    for n in proc.notes:
        n = one_line(_strip_prefix(n, "note"))
        if n and n not in notes:
            notes.append(n)
    lines = [f"WARNING: {w}" for w in warnings] + [f"NOTE: {n}" for n in notes]
    for i, s in enumerate(steps, start=1):
        text = one_line(s.text)
        if s.number is not None:  # the printed number ("3.", "Step 3") is replaced by ours, not repeated
            text = re.sub(rf"^(?:step\s*)?{re.escape(s.number)}\s*[.):]?\s+", "", text, flags=re.IGNORECASE)
        extra = [one_line(_strip_prefix(n, "note")) for n in s.notes if one_line(n)]
        if extra:
            text += " Note: " + " ".join(extra)
        lines.append(f"{i}. {text}")
    cite = pages.cite([(proc.source, None)] + [(s.source, s.block_id) for s in steps])
    return "\n".join(lines) + ("\n" + cite if cite else "")


def procedure_examples(procedures: Sequence[Procedure], pages: _Pages, cfg: GenerateConfig) -> list[Example]:
    """PROCEDURE examples, ``group_id`` = procedure_id; duplicate topics get their repair code added."""
    out: list[Example] = []
    used: set[str] = set()
    for proc in sorted(procedures, key=lambda p: (p.source.file, p.source.page, p.procedure_id)):
        try:
            answer = procedure_answer(proc, pages)
            topic = clean_topic(proc.title)
            if not answer or not re.search(r"[A-Za-z]", topic):
                continue
            if proc.variant and not _contains_word(topic, proc.variant):
                topic = f"{topic} on the {proc.variant}"
            if normalize_question(topic) in used and proc.repair_code:
                topic = f"{topic} ({one_line(proc.repair_code)})"
            if normalize_question(topic) in used:
                continue
            used.add(normalize_question(topic))
            action = _action(topic)
            questions = []
            for t in PROCEDURE_TEMPLATES[: cfg.phrasings_per_procedure]:
                if "{action}" in t:
                    q = t.format(action=action) if action else f"How is {topic} done according to the manual?"
                else:
                    q = t.format(topic=topic)
                questions.append(q[:1].upper() + q[1:])
            fact_ids = sorted({i for s in proc.steps for i in s.fact_ids})
            block_ids = sorted({s.block_id for s in proc.steps if s.block_id})
            sources = _dedupe_provenance([proc.source] + [s.source for s in proc.steps])
            for i, q in enumerate(questions):
                out.append(_make_example(
                    "PROCEDURE", q, answer, proc.procedure_id, i, fact_ids=fact_ids, block_ids=block_ids,
                    procedure_id=proc.procedure_id, variant=proc.variant, section=proc.section, sources=sources,
                ))
        except Exception:  # noqa: BLE001 - one bad record never stops the build
            continue
    return out


# --------------------------------------------------------------------------- block-based tasks

_BLOCK_TASKS: dict[str, tuple[TaskType, tuple[str, ...]]] = {
    "paragraph": ("EXPLANATION", EXPLANATION_TEMPLATES),
    "wiring": ("WIRING", WIRING_TEMPLATES),
    "troubleshooting": ("TROUBLESHOOTING", TROUBLESHOOTING_TEMPLATES),
}


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


@dataclass
class _Topic:
    task: TaskType
    templates: tuple[str, ...]
    topic: str
    variant: str | None
    blocks: list[Block] = field(default_factory=list)


def block_examples(blocks: Sequence[Block], pages: _Pages, cfg: GenerateConfig) -> list[Example]:
    """EXPLANATION (paragraphs under a heading), WIRING and TROUBLESHOOTING examples.

    Blocks of one kind that share a topic are joined (whole blocks, up to ``max_answer_chars``)
    so one question never gets two answers; ``group_id`` = the first block's id.
    """
    topics: dict[tuple[str, str, str], _Topic] = {}
    order: list[tuple[str, str, str]] = []
    by_page: dict[str, list[Block]] = defaultdict(list)
    for b in blocks:
        by_page[b.page_id].append(b)
    for page_id in sorted(by_page):
        heading: str | None = None
        for b in sorted(by_page[page_id], key=lambda b: (b.order, b.block_id)):
            if b.kind == "heading":
                if re.search(r"[A-Za-z]{3}", clean_topic(b.text)):
                    heading = b.text
                continue
            if b.kind not in _BLOCK_TASKS or not _free_text_block(b):
                continue
            task, templates = _BLOCK_TASKS[b.kind]
            raw = b.meta.get("circuit") or b.meta.get("topic") or heading or b.section
            if not raw:
                continue
            topic = _block_topic(b.kind, raw)
            if not topic:
                continue
            variant = b.meta.get("variant")
            if variant and not _contains_word(topic, variant):
                topic = f"{topic} ({variant})"
            k = (task, normalize_question(topic), _key(variant))
            if k not in topics:
                topics[k] = _Topic(task, templates, topic, variant)
                order.append(k)
            topics[k].blocks.append(b)
    out: list[Example] = []
    for k in order:
        tp = topics[k]
        texts, used = [], []
        total = 0
        for b in tp.blocks:
            t = normalize_space(b.text)
            if not t:
                continue
            if used and total + len(t) > cfg.max_answer_chars:
                break
            texts.append(t)
            used.append(b)
            total += len(t)
        if not used or total < cfg.min_block_chars:
            continue
        if tp.task == "EXPLANATION" and not looks_like_prose("\n".join(texts)):
            continue
        cite = pages.cite((b.source, b.block_id) for b in used)
        answer = "\n".join(texts) + (" " + cite if cite else "")
        group_id = used[0].block_id
        sources = _dedupe_provenance(b.source for b in used)
        section = next((b.section for b in used if b.section), None)
        for i, t in enumerate(tp.templates[: cfg.phrasings_per_block]):
            q = t.format(topic=tp.topic)
            q = q[:1].upper() + q[1:]
            out.append(_make_example(
                tp.task, q, answer, group_id, i, block_ids=[b.block_id for b in used], variant=tp.variant,
                section=section, sources=sources,
            ))
    return out


def _free_text_block(b: Block) -> bool:
    """Blocks answered as free text by :func:`block_examples`: wiring / troubleshooting prose only
    (diagram labels, wire lists, note boxes, symptom entries and requirement lists have their
    own questions in :func:`wiring_examples` / :func:`troubleshooting_examples`)."""
    if b.kind == "wiring":
        return b.meta.get("role") != "diagram_label" and (looks_like_prose(b.text) or len(wire_lines(b)) >= 2)
    if b.kind == "troubleshooting":
        return parse_trouble_entry(b.text) is None and not parse_requirements(b.text) and looks_like_prose(b.text)
    return True


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


def wiring_examples(blocks: Sequence[Block], pages: _Pages, cfg: GenerateConfig) -> list[Example]:
    """WIRING examples of each wiring page (blocks with ``meta['circuit']`` or of kind ``wiring``):

    * one per wire of a wire list: "Which wire connects X to Y in the charging circuit?" ->
      label, colour name and cross-section;
    * the circuit's parts (wire ends + capital diagram labels), when at least three are read;
    * each fuse rating printed in the circuit text ("fuse F7 (10 A)");
    * a note box printed on the diagram.
    Every answer cites its page; the numbers come from the cited blocks.
    """
    out: list[Example] = []
    n = cfg.phrasings_per_block
    for page in _page_blocks(blocks):
        wiring = [b for b in page if b.kind == "wiring" or b.meta.get("page_kind") == "wiring"
                  or b.meta.get("role") == "diagram_label"]
        if not wiring:
            continue
        raw = next((b.meta["circuit"] for b in wiring if b.meta.get("circuit")), None) or next(
            (b.text for b in page if b.kind == "heading" and b.meta.get("role") != "diagram_label"), None)
        circuit = _block_topic("wiring", raw) if raw else None
        if not circuit:
            continue
        try:
            wires = [w for b in page if b.kind == "table" for w in wire_rows(b)]
            wires += [w for b in page if b.kind == "wiring" for w in wire_lines(b)]
            seen_q: set[str] = set()
            for w in wires:
                colour = colour_name(w.colour) or w.colour
                size = extract_numbers(w.size)[0] if extract_numbers(w.size) else w.size
                cite = pages.cite([(w.block.source, w.block.block_id)])
                answer = (f"{w.start[:1].upper()}{w.start[1:]} is connected to {w.end} by wire {w.label}: "
                          f"{colour}, {size} mm² cross-section {cite}")
                qs = _questions(WIRE_TEMPLATES, n, start=w.start, end=w.end, circuit=circuit)
                if normalize_question(qs[0]) in seen_q:
                    continue
                seen_q.add(normalize_question(qs[0]))
                _emit(out, "WIRING", qs, answer, [w.block])
            labels = [b for b in wiring if b.meta.get("role") == "diagram_label"]
            parts = circuit_components(wires, [b.text for b in labels])
            if len(parts) >= 3:
                used = _dedupe_blocks([w.block for w in wires] + labels)
                cite = pages.cite((b.source, b.block_id) for b in used)
                answer = f"According to the wiring diagram, {circuit} consists of: {', '.join(parts)} {cite}"
                _emit(out, "WIRING", _questions(CIRCUIT_TEMPLATES, n, circuit=circuit), answer, used)
            fuses: dict[str, FuseRating] = {}
            for b in wiring:
                if b.kind != "wiring" or b.meta.get("role") == "diagram_label":
                    continue
                for f in fuse_ratings(b):
                    fuses.setdefault(f.fuse, f)
            for fid in sorted(fuses):
                f = fuses[fid]
                cite = pages.cite([(f.block.source, f.block.block_id)])
                answer = f"{f.name[:1].upper()}{f.name[1:]} in {circuit} is rated {f.amps} A {cite}"
                _emit(out, "WIRING", _questions(FUSE_TEMPLATES, n, name=f.name, circuit=circuit), answer, [f.block])
            notes = [b for b in wiring if b.kind == "wiring" and not looks_like_prose(b.text) and is_note_text(b.text)]
            for b in notes[:1]:
                cite = pages.cite([(b.source, b.block_id)])
                answer = f"{_sentence_case(b.text)} {cite}"
                _emit(out, "WIRING", _questions(WIRING_NOTE_TEMPLATES, n, circuit=circuit), answer, [b])
        except Exception:  # noqa: BLE001 - one odd page never stops the build
            continue
    return out


def _dedupe_blocks(items: Sequence[Block]) -> list[Block]:
    seen: set[str] = set()
    out = []
    for b in items:
        if b.block_id not in seen:
            seen.add(b.block_id)
            out.append(b)
    return out


def _trouble_topic(page: Sequence[Block]) -> str | None:
    """'12 31 Troubleshooting – Charging System' -> 'the charging system'; a 'TROUBLESHOOTING
    ALTERNATOR' header when the page prints no heading."""
    for kinds in (("heading",), ("header",)):
        for b in page:
            if b.kind in kinds and (kinds == ("heading",) or re.search(r"(?i)trouble", b.text)):
                t = _block_topic("troubleshooting", b.text)
                if t and re.search(r"[A-Za-z]{3}", t):
                    return t
    return None


def troubleshooting_examples(blocks: Sequence[Block], pages: _Pages, cfg: GenerateConfig) -> list[Example]:
    """TROUBLESHOOTING examples: one per symptom entry ("Starter turns slowly — what should be
    checked?" -> the checks in printed order, then the remedy) and one per requirements list."""
    out: list[Example] = []
    n = cfg.phrasings_per_block
    for page in _page_blocks(blocks):
        trouble = [b for b in page if b.kind == "troubleshooting"]
        if not trouble:
            continue
        topic = _trouble_topic(page)
        seen_q: set[str] = set()
        for b in trouble:
            try:
                cite = pages.cite([(b.source, b.block_id)])
                entry = parse_trouble_entry(b.text)
                if entry is not None:
                    lines = []
                    if entry.checks:
                        lines.append("Check in this order:")
                        lines += [f"{i}. {c}" for i, c in enumerate(entry.checks, start=1)]
                    if entry.remedy:
                        lines.append(f"Remedy: {entry.remedy}")
                    answer = "\n".join(lines) + f" {cite}"
                    subject = entry.symptom[:1].upper() + entry.symptom[1:]
                    bare = re.sub(r"^the\s+", "", topic or "", flags=re.IGNORECASE)
                    context = f" ({bare})" if bare and not _contains_word(entry.symptom, bare.split()[-1]) else ""
                    qs = _questions(SYMPTOM_TEMPLATES, n, symptom=subject, symptom_lower=_lower_first(entry.symptom),
                                    context=context)
                    if normalize_question(qs[0]) in seen_q:
                        continue
                    seen_q.add(normalize_question(qs[0]))
                    _emit(out, "TROUBLESHOOTING", qs, answer, [b])
                    continue
                reqs = parse_requirements(b.text)
                if reqs and topic:
                    items = "; ".join(r.rstrip(".") for r in reqs)
                    answer = f"Before troubleshooting {topic}: {items} {cite}"
                    _emit(out, "TROUBLESHOOTING", _questions(REQUIREMENT_TEMPLATES, n, topic=topic), answer, [b])
            except Exception:  # noqa: BLE001 - one odd block never stops the build
                continue
    return out


# --------------------------------------------------------------------------- refusals


def _corpus_text(facts: Sequence[SpecFact], procedures: Sequence[Procedure], blocks: Sequence[Block]) -> str:
    parts: list[str] = []
    for f in facts:
        parts += [f.component, f.variant or "", f.condition or "", f.text, f.section or ""]
    for p in procedures:
        parts += [p.title, p.variant or ""] + [s.text for s in p.steps]
    for b in blocks:
        parts += [b.text, b.section or ""]
    return "\n".join(parts)


def component_covered(component: str, facts: Sequence[SpecFact], corpus: str) -> bool:
    """True when some fact (or page text) covers ``component`` (substring or fuzzy match)."""
    c = _key(component)
    if _contains_word(corpus, component):
        return True
    for f in facts:
        fc = _key(f.component)
        if not fc:
            continue
        if c in fc or fc in c or fuzz.token_sort_ratio(c, fc) >= 80:
            return True
    return False


def variant_covered(variant: str, corpus: str) -> bool:
    """True when ``variant`` is mentioned anywhere in the records."""
    return _contains_word(corpus, variant)


def refusal_count(n_answerable: int, share: float) -> int:
    """Refusals so that refusals / (answerable + refusals) ~= share (at least 1 when share > 0)."""
    if share <= 0 or n_answerable <= 0:
        return 0
    return max(1, round(share * n_answerable / (1.0 - share)))


def refusal_examples(facts: Sequence[SpecFact], procedures: Sequence[Procedure], blocks: Sequence[Block],
                     n: int, cfg: GenerateConfig) -> list[Example]:
    """``n`` refusals about absent components and absent variants of real components (seeded)."""
    if n <= 0:
        return []
    corpus = _corpus_text(facts, procedures, blocks)
    rng = random.Random(cfg.seed)
    comps = [(c, q) for c, q in REFUSAL_COMPONENTS if not component_covered(c, facts, corpus)]
    variants = [v for v in REFUSAL_VARIANTS if not variant_covered(v, corpus)]
    real = sorted({(one_line(f.component), f.quantity) for f in facts
                   if not f.needs_review and f.variant and f.quantity in SPEC_TEMPLATES})
    if not real:
        real = sorted({(one_line(f.component), f.quantity) for f in facts if not f.needs_review})
    real = [(c, q) for c, q in real if c and not extract_numbers(c)]  # a refusal states no number
    rng.shuffle(comps)
    var_pairs = [(v, c, q) for v in variants for c, q in real]
    rng.shuffle(var_pairs)
    picks: list[tuple[str, str, str | None]] = []
    ci = vi = 0
    used_subjects: set[str] = set()
    while len(picks) < n and (ci < len(comps) or vi < len(var_pairs)):
        take_variant = (len(picks) % 2 == 1 and vi < len(var_pairs)) or ci >= len(comps)
        if take_variant:
            v, c, q = var_pairs[vi]
            vi += 1
        else:
            (c, q), v = comps[ci], None
            ci += 1
        subj = _key(_subject(c, v))
        if subj in used_subjects:
            continue
        used_subjects.add(subj)
        picks.append((c, q, v))
    out = []
    for c, q, v in picks:
        phr = rng.randrange(cfg.phrasings_per_fact)
        question = spec_questions(c, q, v, None, phr + 1)[phr]
        topic = _answer_lead(c, q, v)
        answer = cfg.refusal_template.format(topic=topic)
        group_id = "refusal-" + short_id("REFUSAL", _key(c), _key(v))
        out.append(_make_example("SPEC", question, answer, group_id, phr, refusal=True, variant=v))
    return out


# --------------------------------------------------------------------------- entry point


def generate_examples(
    facts: Sequence[SpecFact],
    procedures: Sequence[Procedure],
    blocks: Sequence[Block],
    cfg: GenerateConfig | None = None,
    conflicts: Sequence[Conflict] = (),
    paraphraser: Paraphraser | None = None,
) -> list[Example]:
    """All examples of a build, deterministic for the same inputs and config.

    ``paraphraser`` (off by default) may add up to ``cfg.max_paraphrases`` extra SPEC questions;
    paraphrases that drop the variant/component or change a number are rejected.
    Output order: task, group_id, phrasing, example_id. Identical examples appear once.
    """
    cfg = cfg or GenerateConfig()
    facts, procedures, blocks = list(facts or []), list(procedures or []), list(blocks or [])
    pages = _Pages(blocks, cfg)
    examples: list[Example] = []
    for make in (
        lambda: spec_examples(facts, pages, cfg, list(conflicts or []), paraphraser),
        lambda: procedure_examples(procedures, pages, cfg),
        lambda: block_examples(blocks, pages, cfg),
        lambda: wiring_examples(blocks, pages, cfg),
        lambda: troubleshooting_examples(blocks, pages, cfg),
    ):
        try:
            examples.extend(make())
        except Exception:  # noqa: BLE001 - a generator bug on odd input must not stop the build
            continue
    try:
        examples.extend(refusal_examples(facts, procedures, blocks, refusal_count(len(examples), cfg.refusal_share), cfg))
    except Exception:  # noqa: BLE001
        pass
    unique: dict[str, Example] = {}
    for ex in examples:
        unique.setdefault(ex.example_id, ex)
    return sorted(unique.values(), key=lambda e: (TASK_ORDER[e.task], e.refusal, e.group_id, e.phrasing, e.example_id))
