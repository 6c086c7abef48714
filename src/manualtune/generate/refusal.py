"""Refusals: honest "not in this manual" answers about components and variants no record covers."""


from __future__ import annotations

import random
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from manualtune.cache import short_id
from manualtune.generate.common import (
    _contains_word,
    _key,
    _make_example,
    _subject,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.spec import _answer_lead, spec_questions
from manualtune.generate.templates import (
    REFUSAL_COMPONENTS,
    REFUSAL_VARIANTS,
    SPEC_TEMPLATES,
)
from manualtune.generate.text import (
    extract_numbers,
    one_line,
)
from manualtune.records import Block, Example, Procedure, SpecFact

#: a torque-table Type cell that covers every engine ('All', 'All others'; 11-22: 'All others 50 Nm' under
#: 'M50/M52/S52/S50 US 70 Nm'): a refusal for another engine would be wrong
_CATCH_ALL = re.compile(r"(?i)(?:^|[;,]\s*)all(?:\s+others?)?\s*(?:[;,]|$)")


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
    # a row for 'All' / 'All others' gives the part a value for any engine: no variant of it is absent
    covers_all = {(one_line(f.component), f.quantity) for f in facts if _CATCH_ALL.search(f"{f.condition or ''};{f.variant or ''}")}
    real = [(c, q) for c, q in real if (c, q) not in covers_all]
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
