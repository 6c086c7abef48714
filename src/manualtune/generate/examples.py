"""Entry point of example generation: runs every task module, dedupes, orders.

One module per task (``spec``, ``procedure``, ``explanation``, ``wiring``, ``troubleshooting``,
``refusal``); each counts its candidates and its skips by reason into a :class:`GenerationStats`,
and this module adds the emitted counts. A task that raises on odd input is recorded as a stage
error (:mod:`manualtune.stage_errors`), never silently turned into an empty task.
"""

from __future__ import annotations

from collections.abc import Sequence

from manualtune.generate.common import TASK_ORDER, GenerationStats, Paraphraser, _Pages
from manualtune.generate.config import GenerateConfig
from manualtune.generate.debris import Speller
from manualtune.generate.explanation import block_examples
from manualtune.generate.procedure import procedure_examples
from manualtune.generate.refusal import refusal_count, refusal_examples
from manualtune.generate.spec import spec_examples
from manualtune.generate.troubleshooting import troubleshooting_examples
from manualtune.generate.wiring import wiring_examples
from manualtune.records import Block, Conflict, Example, Procedure, SpecFact
from manualtune.stage_errors import stage_guard


def generate_examples(
    facts: Sequence[SpecFact],
    procedures: Sequence[Procedure],
    blocks: Sequence[Block],
    cfg: GenerateConfig | None = None,
    conflicts: Sequence[Conflict] = (),
    paraphraser: Paraphraser | None = None,
    stats: GenerationStats | None = None,
) -> list[Example]:
    """All examples of a build, deterministic for the same inputs and config.

    ``paraphraser`` (off by default) may add up to ``cfg.max_paraphrases`` extra SPEC questions;
    paraphrases that drop the variant/component or change a number are rejected. ``stats``, when
    given, receives the per-task counters (candidates, emitted, skipped by reason).
    Output order: task, group_id, phrasing, example_id. Identical examples appear once.
    """
    cfg = cfg or GenerateConfig()
    stats = stats if stats is not None else GenerationStats()
    facts, procedures, blocks = list(facts or []), list(procedures or []), list(blocks or [])
    pages = _Pages(blocks, cfg)
    speller = Speller(b.text for b in sorted(blocks, key=lambda b: b.block_id))
    examples: list[Example] = []
    jobs = {fid: p.title for p in procedures for s in p.steps for fid in s.fact_ids}  # where a step prints a value
    tasks = (
        ("spec", lambda: spec_examples(facts, pages, cfg, list(conflicts or []), paraphraser, stats, jobs)),
        ("procedure", lambda: procedure_examples(procedures, pages, cfg, stats, speller)),
        ("explanation", lambda: block_examples(blocks, pages, cfg, stats)),
        ("wiring", lambda: wiring_examples(blocks, pages, cfg, stats)),
        ("troubleshooting", lambda: troubleshooting_examples(blocks, pages, cfg, stats)),
    )
    for name, make in tasks:
        with stage_guard(f"generate.{name}", "*"):
            examples.extend(make())
    with stage_guard("generate.refusal", "*"):
        n_refusals = refusal_count(len(examples), cfg.refusal_share)
        stats.add("REFUSAL", "candidates", n_refusals)
        examples.extend(refusal_examples(facts, procedures, blocks, n_refusals, cfg))
    unique: dict[str, Example] = {}
    for ex in examples:
        unique.setdefault(ex.example_id, ex)
    out = sorted(unique.values(), key=lambda e: (TASK_ORDER[e.task], e.refusal, e.group_id, e.phrasing, e.example_id))
    for ex in out:
        stats.add("REFUSAL" if ex.refusal else ex.task, "emitted")
    return out
