"""EXPLANATION examples: free-text blocks (descriptions, notes) answered as printed."""


from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from manualtune.generate.blocktasks import (
    parse_requirements,
    parse_trouble_entry,
    wire_lines,
)
from manualtune.generate.common import (
    GenerationStats,
    _block_topic,
    _contains_word,
    _dedupe_provenance,
    _key,
    _make_example,
    _Pages,
    clean_topic,
    looks_like_prose,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.debris import Speller
from manualtune.generate.templates import (
    EXPLANATION_TEMPLATES,
    TROUBLESHOOTING_TEMPLATES,
    WIRING_TEMPLATES,
)
from manualtune.generate.text import (
    normalize_question,
    normalize_space,
    prose_line,
)
from manualtune.records import Block, Example, TaskType

_BLOCK_TASKS: dict[str, tuple[TaskType, tuple[str, ...]]] = {
    "paragraph": ("EXPLANATION", EXPLANATION_TEMPLATES),
    "wiring": ("WIRING", WIRING_TEMPLATES),
    "troubleshooting": ("TROUBLESHOOTING", TROUBLESHOOTING_TEMPLATES),
}




@dataclass
class _Topic:
    task: TaskType
    templates: tuple[str, ...]
    topic: str
    variant: str | None
    blocks: list[Block] = field(default_factory=list)


def prose_text(text: str, speller: Speller | None = None) -> str:
    """A free-text block as answer prose: a printed line that goes on in the next one ('must move
    easily over' / 'entire range.', 'man-' / 'ner') is joined to it, words broken at the line end
    are joined (:func:`manualtune.generate.text.join_broken_words`), scan debris repaired
    (:class:`Speller`), lines of glyphs only ('=') dropped; lists and sentences keep their lines."""
    out: list[str] = []
    for ln in normalize_space(text).splitlines():
        if not re.search(r"[A-Za-z0-9]", ln):
            continue
        if out and not re.search(r"[.:;!?]$", out[-1]) and (
                re.search(r"[A-Za-z]-$", out[-1]) or re.match(r"[a-z]", ln)):
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
    lines = [prose_line(ln, speller.known if speller is not None else None) for ln in out]
    return "\n".join(speller.fix(ln) if speller is not None else ln for ln in lines)


def block_examples(blocks: Sequence[Block], pages: _Pages, cfg: GenerateConfig,
                   stats: GenerationStats | None = None, speller: Speller | None = None) -> list[Example]:
    """EXPLANATION (paragraphs under a heading), WIRING and TROUBLESHOOTING examples.

    Blocks of one kind that share a topic are joined (whole blocks, up to ``max_answer_chars``)
    so one question never gets two answers; ``group_id`` = the first block's id. EXPLANATION
    prose is reflowed and repaired by :func:`prose_text` (``speller`` from the blocks when not given).
    """
    stats = stats or GenerationStats()
    if speller is None:
        speller = Speller(b.text for b in sorted(blocks, key=lambda b: b.block_id))
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
                stats.skip(task, "block_without_topic")
                continue
            topic = _block_topic(b.kind, raw)
            if not topic:
                stats.skip(task, "block_without_topic")
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
        stats.add(tp.task, "candidates")
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
            stats.skip(tp.task, "too_short")
            continue
        if tp.task == "EXPLANATION" and not looks_like_prose("\n".join(texts)):
            stats.skip(tp.task, "not_prose")
            continue
        if tp.task == "EXPLANATION":
            texts = [prose_text(t, speller) for t in texts]
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
