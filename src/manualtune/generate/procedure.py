"""PROCEDURE examples: the whole procedure record, steps numbered, warnings first."""


from __future__ import annotations

import re
from collections.abc import Sequence

from manualtune.generate.common import (
    GenerationStats,
    _action,
    _contains_word,
    _dedupe_provenance,
    _make_example,
    _Pages,
    _strip_prefix,
    clean_topic,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.debris import Speller
from manualtune.generate.templates import (
    PROCEDURE_TEMPLATES,
)
from manualtune.generate.text import (
    normalize_question,
    one_line,
    prose_line,
)
from manualtune.records import Example, Procedure
from manualtune.stage_errors import stage_guard

#: a footnote printed under the steps ('* See Specifications', '** Source of Supply: HWB')
_FOOTNOTE_RE = re.compile(r"^\*+\s*\S")
#: a contents page read as a procedure: dot leaders, or three operation numbers in one step
_INDEX_RE = re.compile(
    r"\.{5,}"  # dot leaders
    r"|(?:(?:^|\s)\d{3}\s+[A-Z][^—]*—.*){3}"  # three operation numbers, each with its '— remove and install'
    r"|(?:(?<![\d\s])\s?\b\d{2}\s?-\s?\d{1,3}\b(?!\s?\d{3}).*){3}"  # three page references ('16- 8', '25-17')
    r"|—\s*(?:remove|install|replace|check|adjust|disassemble|overhaul)\b"  # an index entry's '— remove and install'
)


def _fix(text: str, speller: Speller | None) -> str:
    line = prose_line(text)
    return speller.fix(line) if speller is not None else line


def _contains(haystack: str, needle: str) -> bool:
    return normalize_question(needle) in normalize_question(haystack)


def procedure_answer(proc: Procedure, pages: _Pages, speller: Speller | None = None) -> str | None:
    """Warnings first ('WARNING: …'), notes, then numbered steps 1..n (each step kept whole), the
    footnotes printed under them ('* See Specifications', once each), citation. A warning or note
    that a step already prints stays in that step only."""
    steps = [s for s in proc.steps if one_line(s.text)]
    footnotes: list[str] = []
    for s in steps:
        if _FOOTNOTE_RE.match(one_line(s.text)):
            for part in re.split(r"\s+(?=\*+\s*[A-Z])", _fix(s.text, speller)):
                if part not in footnotes:
                    footnotes.append(part)
    steps = [s for s in steps if not _FOOTNOTE_RE.match(one_line(s.text))]
    if not steps:
        return None
    step_texts = " ".join(s.text for s in steps)
    warnings: list[str] = []
    for w in list(proc.warnings) + [w for s in steps for w in s.warnings if not _contains(s.text, w)]:
        w = _fix(_strip_prefix(w, "warning"), speller)
        if w and w not in warnings and not (w in proc.warnings and _contains(step_texts, w)):
            warnings.append(w)
    notes = []
    for n in proc.notes:
        n = _fix(_strip_prefix(n, "note"), speller)
        if n and n not in notes:
            notes.append(n)
    lines = [f"WARNING: {w}" for w in warnings] + [f"NOTE: {n}" for n in notes]
    for i, s in enumerate(steps, start=1):
        text = _fix(s.text, speller)
        if s.number is not None:  # the printed number ("3.", "Step 3") is replaced by ours, not repeated
            text = re.sub(rf"^(?:step\s*)?{re.escape(s.number)}\s*[.):]?\s+", "", text, flags=re.IGNORECASE)
        extra = [_fix(_strip_prefix(n, "note"), speller) for n in s.notes if one_line(n) and not _contains(s.text, n)]
        if extra:
            text += " Note: " + " ".join(dict.fromkeys(extra))
        lines.append(f"{i}. {text}")
    lines += footnotes
    cite = pages.cite([(proc.source, None)] + [(s.source, s.block_id) for s in steps])
    return "\n".join(lines) + ("\n" + cite if cite else "")


def procedure_examples(procedures: Sequence[Procedure], pages: _Pages, cfg: GenerateConfig,
                       stats: GenerationStats | None = None, speller: Speller | None = None) -> list[Example]:
    """PROCEDURE examples, ``group_id`` = procedure_id; duplicate topics get their repair code added."""
    stats = stats or GenerationStats()
    out: list[Example] = []
    used: set[str] = set()
    for proc in sorted(procedures, key=lambda p: (p.source.file, p.source.page, p.procedure_id)):
        stats.add("PROCEDURE", "candidates")
        with stage_guard("generate.procedure", proc.procedure_id):
            if _INDEX_RE.search(" ".join([proc.title, *(s.text for s in proc.steps)])):
                stats.skip("PROCEDURE", "index_lines")
                continue
            answer = procedure_answer(proc, pages, speller)
            topic = clean_topic(proc.title, speller)
            if not answer or not re.search(r"[A-Za-z]", topic):
                stats.skip("PROCEDURE", "no_steps" if not answer else "no_topic")
                continue
            if proc.variant and not _contains_word(topic, proc.variant):
                topic = f"{topic} on the {proc.variant}"
            if normalize_question(topic) in used and proc.repair_code:
                topic = f"{topic} ({one_line(proc.repair_code)})"
            if normalize_question(topic) in used:
                stats.skip("PROCEDURE", "duplicate_topic")
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
    return out
