"""Dataset validation: every example is checked against the records it was made from.

Per example (first failing check wins, the example is excluded with that reason):
``schema`` · ``missing_source`` · ``empty_answer`` · ``truncated_answer`` · ``missing_citation`` ·
``question_missing_variant`` · ``prose_subject`` · ``foreign_subject`` · ``wiring_subject`` · ``wire_endpoints`` ·
``unit_column`` (a SPEC question that cannot name its value's thing: :mod:`checks_subject`) ·
``ungrounded_number`` · ``quantity_mismatch`` · ``unit_format`` · ``numbering``.
Across examples (on the survivors): ``duplicate_id`` · ``duplicate`` (same question and answer) ·
``conflicting_answer`` (same normalised question, different answers, not a stated conflict) ·
``near_duplicate`` (near-identical answer in a different group; the later one goes).

Grounding: every number of an answer, citations removed (page labels are not values), must
be a number of its source records — the referenced facts' value/value_max/tolerance/stages/
text/condition, the referenced blocks' text, the procedure's title/warnings/steps — or an exact
conversion (rounded to the printed decimals) of the source of a referenced ``derived`` fact.

Quantity: the quantity a question asks for (:data:`QUESTION_QUANTITIES`: torque, pressure,
clearance, power, speed, voltage, …; words inside the fact's component, condition and variant do
not count) must have the dimensionality (pint) of the unit its referenced facts give: "power
output ... ?" answered with "5400 rpm" is excluded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from manualtune.generate.config import GenerateConfig
from manualtune.generate.text import (
    extract_numbers,
    find_citations,
    normalize_question,
    number_key,
    one_line,
    strip_citations,
    unit_format_problems,
)
from manualtune.quality.checks_answer import _numbering_problem, answer_body, truncation_problem
from manualtune.quality.checks_duplicates import NearDuplicatePair, _near_duplicates
from manualtune.quality.checks_grounding import _Index, _is_exact_conversion, grounding_numbers
from manualtune.quality.checks_quantity import QUESTION_QUANTITIES, quantity_mismatch, question_quantities
from manualtune.quality.checks_subject import subject_problem
from manualtune.records import (
    Block,
    Conflict,
    Example,
    ExcludedExample,
    Procedure,
    SpecFact,
)

__all__ = [
    "REASONS",
    "ConflictingQuestion",
    "NearDuplicatePair",
    "QUESTION_QUANTITIES",
    "ValidationResult",
    "answer_body",
    "extract_numbers",
    "grounding_numbers",
    "quantity_mismatch",
    "question_quantities",
    "truncation_problem",
    "validate_examples",
]

REASONS: tuple[str, ...] = (
    "schema", "missing_source", "empty_answer", "truncated_answer", "missing_citation",
    "question_missing_variant", "prose_subject", "foreign_subject", "wiring_subject", "wire_endpoints", "unit_column",
    "ungrounded_number", "quantity_mismatch", "unit_format", "numbering", "duplicate_id", "duplicate", "conflicting_answer", "near_duplicate",
)


class ConflictingQuestion(BaseModel):
    """One normalised question with more than one distinct answer."""

    model_config = ConfigDict(extra="forbid")
    question: str
    example_ids: list[str]
    answers: list[str]
    stated: bool = False


class ValidationResult(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kept: list[Example]
    excluded: list[ExcludedExample]
    checks: dict[str, int | float]
    near_duplicate_pairs: list[NearDuplicatePair] = []
    conflicting_questions: list[ConflictingQuestion] = []


def _check_one(ex: Example, body: str, index: _Index, cfg: GenerateConfig | None) -> tuple[str, str] | None:
    """(reason, detail) of the first failing per-example check, or None (``body`` = :func:`answer_body`)."""
    if not ex.refusal:
        _, _, found = grounding_numbers(ex, index)
        if not found:
            return "missing_source", "no referenced fact, block or procedure exists"
    if not one_line(body):
        return "empty_answer", ""
    problem = truncation_problem(body)
    if problem:
        return "truncated_answer", problem
    if not ex.refusal and not find_citations(ex.answer, cfg):
        return "missing_citation", ""
    if ex.task == "SPEC" and ex.variant and not re.search(
        r"(?<!\w)" + re.escape(ex.variant) + r"(?!\w)", ex.question, re.IGNORECASE
    ):
        return "question_missing_variant", ex.variant
    subject = subject_problem(ex, index)
    if subject:
        return subject
    numbers = extract_numbers(body)
    if ex.refusal:
        if numbers:
            return "ungrounded_number", "refusal states " + ", ".join(numbers)
    else:
        pool, derived, _ = grounding_numbers(ex, index)
        missing = []
        for n in numbers:
            k = number_key(n)
            if k is None or k in pool or _is_exact_conversion(n, derived, index):
                continue
            missing.append(n)
        if missing:
            return "ungrounded_number", ", ".join(dict.fromkeys(missing))
    if not ex.refusal:
        mismatch = quantity_mismatch(ex, index)
        if mismatch:
            return "quantity_mismatch", mismatch
    bad_units = unit_format_problems(body)
    if bad_units:
        return "unit_format", ", ".join(bad_units[:5])
    if ex.task == "PROCEDURE":
        problem = _numbering_problem(strip_citations(ex.answer, cfg))
        if problem:
            return "numbering", problem
    return None


def validate_examples(
    examples: Sequence[Example | dict],
    facts: Sequence[SpecFact],
    procedures: Sequence[Procedure],
    blocks: Sequence[Block],
    conflicts: Sequence[Conflict] = (),
    cfg: GenerateConfig | None = None,
) -> ValidationResult:
    """Check every example against its source records; failing examples are excluded with a reason.

    ``cfg`` gives the citation format (defaults to :class:`GenerateConfig`). Output order of
    ``kept`` and ``excluded`` follows the input. ``conflicts`` (the facts stage's records) are
    counted in ``checks['known_fact_conflicts']``; stated-conflict examples carry ``conflict_stated``.
    """
    index = _Index(facts or [], procedures or [], blocks or [])
    excluded: dict[int, ExcludedExample] = {}
    parsed: list[Example | None] = []
    bodies: dict[int, str] = {}
    for i, raw in enumerate(examples or []):
        try:
            ex = Example.model_validate(raw.model_dump() if isinstance(raw, BaseModel) else raw)
        except ValidationError as e:
            rid = raw.get("example_id", f"#{i}") if isinstance(raw, dict) else f"#{i}"
            excluded[i] = ExcludedExample(example_id=str(rid), reason="schema", detail=str(e.errors()[0]["msg"]))
            parsed.append(None)
            continue
        parsed.append(ex)
        try:
            bodies[i] = answer_body(ex, cfg)
            failure = _check_one(ex, bodies[i], index, cfg)
        except Exception as e:  # noqa: BLE001 - a checker bug excludes one example, never the build
            failure = ("schema", f"validator error: {type(e).__name__}: {e}")
        if failure:
            excluded[i] = ExcludedExample(example_id=ex.example_id, reason=failure[0], detail=failure[1])
    numbers_checked = sum(len(extract_numbers(b)) for b in bodies.values())
    grounding_fail = sum(1 for x in excluded.values() if x.reason == "ungrounded_number")

    # duplicate ids and exact duplicates
    seen_id: dict[str, int] = {}
    seen_qa: dict[tuple[str, str], int] = {}
    for i, ex in enumerate(parsed):
        if ex is None or i in excluded:
            continue
        if ex.example_id in seen_id:
            excluded[i] = ExcludedExample(example_id=ex.example_id, reason="duplicate_id",
                                          detail=f"same id as input #{seen_id[ex.example_id]}")
            continue
        seen_id[ex.example_id] = i
        qa = (normalize_question(ex.question), normalize_question(ex.answer))
        if qa in seen_qa:
            excluded[i] = ExcludedExample(example_id=ex.example_id, reason="duplicate",
                                          detail=parsed[seen_qa[qa]].example_id)  # type: ignore[union-attr]
            continue
        seen_qa[qa] = i

    # same question, different answers
    by_question: dict[str, list[int]] = defaultdict(list)
    for i, ex in enumerate(parsed):
        if ex is not None and i not in excluded:
            by_question[normalize_question(ex.question)].append(i)
    conflicting: list[ConflictingQuestion] = []
    for q in sorted(by_question):
        idx = by_question[q]
        answers = list(dict.fromkeys(normalize_question(parsed[i].answer) for i in idx))  # type: ignore[union-attr]
        if len(answers) < 2:
            continue
        members = [parsed[i] for i in idx]
        stated = [i for i in idx if parsed[i].conflict_stated]  # type: ignore[union-attr]
        keep = stated[0] if stated else None
        for i in idx:
            if i != keep:
                excluded[i] = ExcludedExample(example_id=parsed[i].example_id, reason="conflicting_answer",  # type: ignore[union-attr]
                                              detail=q)
        conflicting.append(ConflictingQuestion(
            question=members[0].question,  # type: ignore[union-attr]
            example_ids=[m.example_id for m in members],  # type: ignore[union-attr]
            answers=list(dict.fromkeys(m.answer for m in members)),  # type: ignore[union-attr]
            stated=bool(stated),
        ))

    # near duplicates across groups: the later example of a pair goes
    survivors = [i for i, ex in enumerate(parsed) if ex is not None and i not in excluded]
    pairs = _near_duplicates([parsed[i] for i in survivors], [bodies[i] for i in survivors])  # type: ignore[misc]
    pos = {parsed[i].example_id: i for i in survivors}  # type: ignore[union-attr]
    reported: list[NearDuplicatePair] = []
    group_pairs: set[tuple[str, str]] = set()
    for p in pairs:
        ia, ib = pos[p.a], pos[p.b]
        if ia not in excluded and ib not in excluded:
            excluded[ib] = ExcludedExample(example_id=p.b, reason="near_duplicate", detail=f"similar to {p.a}")
        gp = (parsed[ia].group_id, parsed[ib].group_id)  # type: ignore[union-attr]
        if gp not in group_pairs:  # one reported pair per two groups (phrasings share an answer)
            group_pairs.add(gp)
            reported.append(p)
    pairs = reported

    kept = [ex for i, ex in enumerate(parsed) if ex is not None and i not in excluded]
    excl = [excluded[i] for i in sorted(excluded)]
    n_in = len(parsed)
    non_refusal = sum(1 for e in parsed if e is not None and not e.refusal)
    checks: dict[str, int | float] = {
        "examples_in": n_in,
        "kept": len(kept),
        "excluded": len(excl),
        "numbers_checked": numbers_checked,
        "grounded_share": round(1.0 - grounding_fail / non_refusal, 4) if non_refusal else 1.0,
        "refusals_kept": sum(1 for e in kept if e.refusal),
        "refusal_share_kept": round(sum(1 for e in kept if e.refusal) / len(kept), 4) if kept else 0.0,
        "stated_conflicts_kept": sum(1 for e in kept if e.conflict_stated),
        "conflicting_questions": len(conflicting),
        "near_duplicate_pairs": len(pairs),
        "known_fact_conflicts": len(conflicts or []),
    }
    for r in REASONS:
        checks[f"excluded_{r}"] = sum(1 for x in excl if x.reason == r)
    return ValidationResult(kept=kept, excluded=excl, checks=dict(sorted(checks.items())),
                            near_duplicate_pairs=pairs, conflicting_questions=conflicting)
