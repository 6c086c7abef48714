"""SPEC examples: one answer per question key (component + variant + condition), every phrasing."""


from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from manualtune.cache import short_id
from manualtune.generate.common import (
    GenerationStats,
    Paraphraser,
    _condition_text,
    _contains_word,
    _dedupe_provenance,
    _key,
    _make_example,
    _Pages,
    _subject,
    usable_component,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.qualifiers import group_part, job_qualifier, section_topic
from manualtune.generate.subjects import (
    Instruction,
    fuse_subject,
    instruction_subject,
    repair_identifiers,
    subject_with_parent,
    table_parent,
    thread_from_condition,
    value_qualifier,
)
from manualtune.generate.templates import (
    GENERIC_TEMPLATES,
    INSTRUCTION_GERUNDS,
    INSTRUCTION_TEMPLATES,
    QUANTITY_LABEL,
    SELF_DESCRIBING_TEMPLATES,
    SELF_DESCRIBING_WORDS,
    SPEC_TEMPLATES,
)
from manualtune.generate.text import (
    extract_numbers,
    is_clean_unit,
    join_value_unit,
    normalize_question,
    number_key,
    number_keys,
    one_line,
)
from manualtune.records import Block, Conflict, Example, Provenance, SpecFact
from manualtune.stage_errors import stage_guard

_STAGE_RE = re.compile(r"\b(?:stage|step)\s*(\d{1,2})\b", re.IGNORECASE)


_STAGE_WORDS_RE = re.compile(r"\b(?:torque|angle|tightening|application|pre)\b", re.IGNORECASE)


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
    conv = [render_fact_value(d, cfg) for d in derived if not d.stages] if cfg.derived_in_answer else []
    if conv:
        out += " (" + ", ".join(conv) + ")"
    return out


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
    instruction: Instruction | None = None

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


#: blocks of running text: a value read there may belong to an instruction ('Heat … to 80° C')
PROSE_BLOCK_KINDS = frozenset({"paragraph", "procedure_step", "note", "caution", "warning", "troubleshooting"})


def _display_component(f: SpecFact, blocks: dict[str, Block]) -> str:
    """The component as a question names it: a table sub-row with its item ('end ring for fuel tank
    (plastic sealing ring, 26.5 mm high)'), a wiring diagram's fuse label as 'fuse 21'."""
    block = blocks.get(f.block_id or "")
    if block is not None and block.kind == "wiring" and f.quantity == "current":
        return fuse_subject(f.component) or f.component
    if f.quantity == "current" and re.fullmatch(r"(?i)\s*fuse\s+\d{1,2}\s*", f.component):
        return fuse_subject(f.component) or f.component  # 'FUSE 21' of a fuse table -> 'fuse 21'
    component = repair_identifiers(thread_from_condition(f.component, f.condition))
    return subject_with_parent(component, table_parent(f, block))


def _single_value(f: SpecFact, cfg: GenerateConfig, derived: Sequence[SpecFact]) -> str:
    """One fact's value as answered, with a printed 'max.' / 'min.' / 'approx.' kept in front."""
    text = render_fact_value(f, cfg, derived)
    q = value_qualifier(f)
    return f"{q} {text}" if q else text


def _spec_items(facts: Sequence[SpecFact], cfg: GenerateConfig,
                blocks: dict[str, Block] | None = None) -> list[_SpecItem]:
    """Usable facts -> answer items (derived conversions attached, per-fact stage rows merged)."""
    blocks = blocks or {}
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
            component=_display_component(first, blocks),
            quantity="torque",
            variant=first.variant,
            condition=one_line(base).strip(" ;,") or None,
            value_text=", ".join(parts),
            source=first.source,
            block_id=first.block_id,
            section=first.section,
        ))
    items.extend(_staged_items(singles, derived_of, cfg, blocks))
    for f in sorted(singles, key=_fact_sort_key):
        if f.stages:
            continue
        d = derived_of.get(f.fact_id, [])
        quantity = "angle" if f.quantity == "torque" and f.unit.strip() == "°" and not f.stages else f.quantity
        block = blocks.get(f.block_id or "")
        instr = (instruction_subject(f) if block is not None and block.kind in PROSE_BLOCK_KINDS
                 and not set(re.findall(r"[a-z]+", f.component.lower())) & set(SELF_DESCRIBING_WORDS) else None)
        items.append(_SpecItem(
            facts=[f], derived=list(d), component=instr.object if instr else _display_component(f, blocks),
            quantity=quantity, variant=f.variant, condition=f.condition, value_text=_single_value(f, cfg, d),
            source=f.source, block_id=f.block_id, section=f.section, instruction=instr,
        ))
    return items


def _staged_items(facts: Sequence[SpecFact], derived_of: dict[str, list[SpecFact]],
                  cfg: GenerateConfig, blocks: dict[str, Block]) -> list[_SpecItem]:
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
            component=_display_component(first, blocks), quantity="torque" if torque else "angle",
            variant=first.variant,
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


def instruction_questions(instr: Instruction, quantity: str, n: int, qualifiers: Sequence[str] = ()) -> list[str]:
    """Phrasings of a value an instruction brings its object to ('To what temperature should the new
    bearing inner race be heated?'), the ``qualifiers`` (its job) in brackets before the '?'."""
    label = QUANTITY_LABEL.get(quantity, "specified value")
    gerund = INSTRUCTION_GERUNDS.get(instr.verb, instr.verb + "ing")
    quals = "; ".join(q for q in qualifiers if q)
    return [(q.rstrip("?") + f" ({quals})?") if quals else q
            for q in (t.format(label=label, object=instr.object, participle=instr.participle, gerund=gerund)
                      for t in INSTRUCTION_TEMPLATES[:n])]


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
        if c and c.lower() in _SAID_BY_QUALIFIER.get(it.value_text.split(" ", 1)[0], ()):
            c = None  # 'min. 10 min; condition: minimum': the value's qualifier says it already
        if c and c not in conds:
            conds.append(c)
    return " / ".join(values), ("; ".join(conds) or None)


#: conditions that only restate the qualifier printed before the value ('min.', 'max.', 'approx.')
_SAID_BY_QUALIFIER: dict[str, frozenset[str]] = {
    "min.": frozenset({"minimum", "min.", "min", "at least"}),
    "max.": frozenset({"maximum", "max.", "max", "not more than", "must not exceed"}),
    "approx.": frozenset({"approximately", "approx.", "approx", "about"}),
}


def _paraphrases(question: str, component: str, variant: str | None, existing: list[str],
                 paraphraser: Paraphraser | None, limit: int) -> list[str]:
    """Accepted paraphrases: they must still name the variant and the component; errors ignored."""
    if paraphraser is None or limit <= 0:
        return []
    cands: object = []
    with stage_guard("generate.paraphrase", question):  # a failing hook is recorded, the question kept
        cands = paraphraser(question)
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
                  conflicts: Sequence[Conflict] = (), paraphraser: Paraphraser | None = None,
                  stats: GenerationStats | None = None, jobs: Mapping[str, str] | None = None) -> list[Example]:
    """SPEC examples: one answer per question key, every phrasing in the component+variant group;
    ``jobs`` (fact id -> the title of the job whose step prints it) names the job in the question where
    the value's name does not say its part (:func:`job_qualifier`)."""
    stats = stats or GenerationStats()
    items = _spec_items(facts, cfg, pages.by_block)
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
    # rows printed for the same part with another variant or condition, also those waiting for review
    same_part: dict[tuple, set[tuple[str, str]]] = defaultdict(set)
    for f in facts:
        q = "angle" if f.quantity == "torque" and f.unit.strip() == "°" else f.quantity
        same_part[(_key(f.component), q)].add((_key(f.variant), _key(f.condition)))

    # self-describing components ("engine power output") asked for several quantities name the quantity
    quantities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k in groups:
        quantities[(k[0], k[2])].add(k[1])
    conflict_fids = {i for c in conflicts for i in c.fact_ids}

    out: list[Example] = []
    for k in sorted(groups):
        its = groups[k]
        stats.add("SPEC", "candidates")
        with stage_guard("generate.spec", its[0].facts[0].fact_id):
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
                    by_sec[section_topic(it.section)].append(it)
                if len(by_sec) > 1:
                    parts = sorted(by_sec.items())
            for sec, sub in parts:
                if _ambiguous_on_page(sub):
                    stats.skip("SPEC", "ambiguous_on_page")
                    continue
                if (len(same_part[(_key(sub[0].facts[0].component), k[1])]) > 1 and not k[2]
                        and not any(_condition_text(it.condition, it.variant) for it in sub)):
                    # 'Retaining strap 8 Nm' beside 'Retaining strap E39 23 Nm': the question could not say
                    # which row it means, so the row without a condition is not asked
                    stats.skip("SPEC", "unqualified_sibling")
                    continue
                others = len(same_part[(_key(sub[0].facts[0].component), k[1])]) > 1
                # one stage of a tightening sequence whose other stages were not merged with it ('step 1'
                # 10 Nm of 10 Nm, 30 Nm, 60°): the question names the stage, never 'the torque' of the part
                stage_only = any(_STAGE_RE.search(it.condition or "") for it in sub)
                sec = sec or group_part(sub)
                job = job_qualifier(sub, jobs or {}) if not sec else ""
                made = _spec_group_examples(
                    sub, siblings[k[:3]] > 1 or others or stage_only, pages, cfg, paraphraser,
                    [q for q in (sec, job, *hint) if q]
                )
                if not made:
                    stats.skip("SPEC", "conflict_skipped" if cfg.conflict_mode == "skip" else "no_question")
                out.extend(made)
    return out


def _also_in(items: Sequence[_SpecItem]) -> list[Provenance]:
    """Other documents that print the same facts (a table's text-layer PDF and its scans), in order."""
    return [p for it in items for f in it.facts for p in f.also_in]


def _ambiguous_on_page(items: Sequence[_SpecItem]) -> bool:
    """One page prints different values under the same question key (a wire colour in two sizes, three
    table rows of one name): the question cannot say which is meant, so it is not asked at all (one
    question, one answer; a missing number is better than a wrong one)."""
    by_page: dict[tuple[str, int], set[str]] = defaultdict(set)
    for it in items:
        by_page[it.page].add(it.value_text)
    return any(len(v) > 1 for v in by_page.values())


def _variant_list(variant: str | None, condition: str | None) -> str | None:
    """The '/'-list of the condition that names the variant among others ('M52/S52/S50 US/M50
    VANOS' for S50): the question names the list, not the one variant, else None."""
    if not variant or not condition:
        return None
    for part in one_line(condition).split(";"):
        part = part.strip()
        if "/" in part and re.search(rf"(?<![\w/]){re.escape(variant)}(?![\w])|(?<=/){re.escape(variant)}(?![\w])", part):
            return part
    return None


def _spec_group_examples(its: list[_SpecItem], condition_in_question: bool, pages: _Pages, cfg: GenerateConfig,
                         paraphraser: Paraphraser | None, qualifiers: Sequence[str] = ()) -> list[Example]:
    """Examples of one question key: one answer (or stated conflict), every phrasing."""
    out: list[Example] = []
    its = sorted(its, key=lambda i: (i.page, i.key, i.facts[0].fact_id))
    first = its[0]
    q_cond = None
    if condition_in_question:
        q_cond = _condition_text(first.condition, first.variant)
    listed = _variant_list(first.variant, first.condition)
    listed = repair_identifiers(listed) if listed else None
    q_variant = None if listed else first.variant  # 'S50' of 'M52/S52/S50 US/M50 VANOS' is no prefix
    if listed and (not q_cond or listed not in q_cond):
        q_cond = "; ".join(x for x in (listed, q_cond) if x)
    by_page: dict[tuple[str, int], list[_SpecItem]] = defaultdict(list)
    for it in its:
        by_page[it.page].append(it)
    segs = []
    for pg in sorted(by_page):
        vals, cond = _segment(by_page[pg])
        cite = pages.cite((it.source, it.block_id) for it in by_page[pg])
        segs.append((vals, cond, cite, by_page[pg]))
    lead = _answer_lead(first.component, first.quantity, q_variant)
    stated_conflict = len({s[0] for s in segs}) > 1
    instr = first.instruction if len(its) == 1 else None
    if not stated_conflict:
        vals, _, _, _ = segs[0]
        conds = []
        for s in segs:
            if s[1] and s[1] not in conds:
                conds.append(s[1])
        # the fact's own source first, then the other documents printing the same fact (FactSpec.also_in)
        cite = pages.cite([(it.source, it.block_id) for it in its] + [(p, None) for p in _also_in(its)])
        cond_txt = f"; condition: {'; '.join(conds)}" if conds else ""
        answer = f"{lead[:1].upper()}{lead[1:]} is {vals}{cond_txt} {cite}."
        if instr is not None:
            answer = f"The {instr.object} should be {instr.participle} to {vals}{cond_txt} {cite}."
    else:
        if cfg.conflict_mode == "skip":
            return []
        parts = [f"{vals}{f', condition: {cond}' if cond else ''} {cite}" for vals, cond, cite, _ in segs]
        answer = f"{cfg.conflict_intro} {lead}: " + "; ".join(parts) + "."
    group_id = "spec-" + short_id("SPEC", _key(first.component), _key(first.variant), *qualifiers[:1])
    if instr is not None and not stated_conflict:
        questions = instruction_questions(instr, first.quantity, cfg.phrasings_per_fact, qualifiers)
    else:
        questions = spec_questions(first.component, first.quantity, q_variant, q_cond, cfg.phrasings_per_fact,
                                   qualifiers)
    if not questions:
        return []
    questions += _paraphrases(questions[0], first.component, first.variant, questions, paraphraser,
                              cfg.max_paraphrases)
    all_facts = [f for it in its for f in it.facts + it.derived]
    fact_ids = sorted({f.fact_id for f in all_facts})
    block_ids = sorted({it.block_id for it in its if it.block_id})
    sources = _dedupe_provenance([it.source for it in sorted(its, key=lambda i: i.page)]
                                 + ([] if stated_conflict else _also_in(its)))
    variant = first.variant
    for i, q in enumerate(questions):
        out.append(_make_example(
            "SPEC", q, answer, group_id, i, fact_ids=fact_ids, block_ids=block_ids, variant=variant,
            section=first.section, sources=sources, conflict_stated=stated_conflict,
        ))
    return out
