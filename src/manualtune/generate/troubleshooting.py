"""TROUBLESHOOTING examples: symptom -> checks in order, and the requirements of a chart."""


from __future__ import annotations

import re
from collections.abc import Sequence

from manualtune.generate.blocktasks import (
    parse_requirements,
    parse_trouble_entry,
)
from manualtune.generate.common import (
    GenerationStats,
    _block_topic,
    _contains_word,
    _emit,
    _lower_first,
    _page_blocks,
    _Pages,
    _questions,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.templates import (
    REQUIREMENT_TEMPLATES,
    SYMPTOM_TEMPLATES,
)
from manualtune.generate.text import (
    normalize_question,
)
from manualtune.records import Block, Example
from manualtune.stage_errors import stage_guard


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


def troubleshooting_examples(blocks: Sequence[Block], pages: _Pages, cfg: GenerateConfig,
                             stats: GenerationStats | None = None) -> list[Example]:
    """TROUBLESHOOTING examples: one per symptom entry ("Starter turns slowly — what should be
    checked?" -> the checks in printed order, then the remedy) and one per requirements list."""
    stats = stats or GenerationStats()
    out: list[Example] = []
    n = cfg.phrasings_per_block
    for page in _page_blocks(blocks):
        trouble = [b for b in page if b.kind == "troubleshooting"]
        if not trouble:
            continue
        topic = _trouble_topic(page)
        seen_q: set[str] = set()
        for b in trouble:
            stats.add("TROUBLESHOOTING", "candidates")
            with stage_guard("generate.troubleshooting", b.block_id):
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
                        stats.skip("TROUBLESHOOTING", "duplicate_question")
                        continue
                    seen_q.add(normalize_question(qs[0]))
                    _emit(out, "TROUBLESHOOTING", qs, answer, [b])
                    continue
                reqs = parse_requirements(b.text)
                if not (reqs and topic):
                    stats.skip("TROUBLESHOOTING", "not_a_symptom_or_requirements")
                if reqs and topic:
                    items = "; ".join(r.rstrip(".") for r in reqs)
                    answer = f"Before troubleshooting {topic}: {items} {cite}"
                    _emit(out, "TROUBLESHOOTING", _questions(REQUIREMENT_TEMPLATES, n, topic=topic), answer, [b])
    return out
