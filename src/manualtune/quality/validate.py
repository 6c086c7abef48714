"""Dataset validation: every example is checked against the records it was made from.

Per example (first failing check wins, the example is excluded with that reason):
``schema`` · ``missing_source`` · ``empty_answer`` · ``truncated_answer`` · ``missing_citation`` ·
``question_missing_variant`` · ``ungrounded_number`` · ``quantity_mismatch`` · ``unit_format`` ·
``numbering``.
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
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from rapidfuzz import fuzz

from manualtune.generate.config import GenerateConfig
from manualtune.generate.text import (
    extract_numbers,
    find_citations,
    identifier_tokens,
    normalize_question,
    number_key,
    number_keys,
    one_line,
    strip_citations,
    unit_format_problems,
)
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
    "question_missing_variant", "ungrounded_number", "quantity_mismatch", "unit_format", "numbering",
    "duplicate_id", "duplicate", "conflicting_answer", "near_duplicate",
)
#: near-duplicate thresholds (rapidfuzz 0-100): answer alone, or answer + question together
NEAR_DUP_ANSWER = 95.0
NEAR_DUP_ANSWER_WITH_QUESTION = 90.0
NEAR_DUP_QUESTION = 90.0
#: above this many distinct answers, candidate pairs come from MinHash LSH instead of all pairs
LSH_ABOVE = 2000

_TRAILING_STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "with", "for", "from", "into", "than", "then", "is", "are",
    "be", "if", "as", "see",
}


class NearDuplicatePair(BaseModel):
    """Two examples of different groups whose answers (and questions) are nearly the same."""

    model_config = ConfigDict(extra="forbid")
    a: str
    b: str
    answer_score: float
    question_score: float


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


# --------------------------------------------------------------------------- answer text


def answer_body(example: Example, cfg: GenerateConfig | None = None) -> str:
    """The answer without citations, procedure step numbers ('1. ') and stage labels ('Stage 2:')."""
    body = strip_citations(example.answer, cfg)
    body = re.sub(r"(?m)^\s*\d+\.\s+", "", body)
    body = re.sub(r"\bStage\s+\d+:\s*", "", body)
    return body


def truncation_problem(body: str) -> str | None:
    """Why an answer body looks cut off, or None: dangling ':' / ',' / '-', a final stopword,
    a hyphenated word break, or unbalanced brackets."""
    t = body.rstrip()
    if not t:
        return "empty"
    if t.count("(") != t.count(")") or t.count("[") != t.count("]"):
        return "unbalanced parentheses"
    if t[-1] in ":,;-–—/(&+":
        return f"ends with {t[-1]!r}"
    last = re.findall(r"[A-Za-z]+", t.split()[-1])
    if last and last[-1] in _TRAILING_STOPWORDS:  # case-sensitive: "90 A" is a unit
        return f"ends with {last[-1]!r}"
    if re.search(r"[A-Za-z]-$", t):
        return "ends mid-word"
    return None


def _numbering_problem(answer_text: str) -> str | None:
    nums = [int(m.group(1)) for m in re.finditer(r"(?m)^\s*(\d+)\.\s", answer_text)]
    if not nums:
        return "no numbered steps"
    if nums != list(range(1, len(nums) + 1)):
        return "steps numbered " + ",".join(map(str, nums[:12]))
    return None


# --------------------------------------------------------------------------- grounding


class _Index:
    """Records by id, and the grounding numbers of each referenced record (cached)."""

    def __init__(self, facts: Sequence[SpecFact], procedures: Sequence[Procedure], blocks: Sequence[Block]):
        self.facts = {f.fact_id: f for f in facts}
        self.procedures = {p.procedure_id: p for p in procedures}
        self.blocks = {b.block_id: b for b in blocks}
        self._cache: dict[str, frozenset[str]] = {}

    def fact_numbers(self, fid: str) -> frozenset[str]:
        key = "f:" + fid
        if key not in self._cache:
            f = self.facts[fid]
            texts = [f.value, f.value_max or "", f.tolerance or "", f.value_printed, f.text, f.condition or "",
                     f.component, f.variant or ""]
            for s in f.stages:
                texts += [str(s.stage), s.value, s.value_max or ""]
            keys = set().union(*(number_keys(t) for t in texts))
            for v in (f.value, f.value_max):
                k = number_key(v) if v else None
                if k:
                    keys.add(k)
            self._cache[key] = frozenset(keys)
        return self._cache[key]

    def block_numbers(self, bid: str) -> frozenset[str]:
        key = "b:" + bid
        if key not in self._cache:
            b = self.blocks[bid]
            texts = [b.text, b.section or "", *b.meta.values()]
            texts += [c.text for r in b.rows for c in r.cells]
            self._cache[key] = frozenset(set().union(*(number_keys(t) for t in texts)))
        return self._cache[key]

    def procedure_numbers(self, pid: str) -> frozenset[str]:
        key = "p:" + pid
        if key not in self._cache:
            p = self.procedures[pid]
            texts = [p.title, p.repair_code or "", p.variant or "", *p.warnings, *p.notes]
            fids: list[str] = []
            for s in p.steps:
                texts += [s.text, s.number or "", *s.warnings, *s.notes, *s.special_tools]
                fids += s.fact_ids
            keys = set().union(*(number_keys(t) for t in texts))
            for fid in fids:
                if fid in self.facts:
                    keys |= self.fact_numbers(fid)
            self._cache[key] = frozenset(keys)
        return self._cache[key]


def grounding_numbers(example: Example, index: _Index) -> tuple[set[str], list[SpecFact], bool]:
    """(number keys of the example's source records, its derived facts, whether any source resolved)."""
    keys: set[str] = set()
    derived: list[SpecFact] = []
    found = False
    for fid in example.fact_ids:
        f = index.facts.get(fid)
        if f is None:
            continue
        found = True
        keys |= index.fact_numbers(fid)
        if f.derived:
            derived.append(f)
            if f.derived_from and f.derived_from in index.facts:
                keys |= index.fact_numbers(f.derived_from)
    for bid in example.block_ids:
        if bid in index.blocks:
            found = True
            keys |= index.block_numbers(bid)
    if example.procedure_id and example.procedure_id in index.procedures:
        found = True
        keys |= index.procedure_numbers(example.procedure_id)
    return keys, derived, found


_PINT_UNITS: dict[str, str] = {
    "Nm": "newton * meter", "ft·lbf": "foot * force_pound", "in·lbf": "inch * force_pound",
    "ft-lb": "foot * force_pound", "lb-ft": "foot * force_pound", "ft. lbs.": "foot * force_pound",
    "mm": "millimeter", "cm": "centimeter", "m": "meter", "km": "kilometer", "in": "inch", "mi": "mile",
    "bar": "bar", "mbar": "millibar", "kPa": "kilopascal", "MPa": "megapascal", "psi": "psi",
    "cm³": "centimeter ** 3", "l": "liter", "kW": "kilowatt", "W": "watt", "hp": "horsepower",
    "PS": "metric_horsepower", "rpm": "revolution / minute", "km/h": "kilometer / hour", "mph": "mile / hour",
    "kg": "kilogram", "g": "gram", "lb": "pound", "V": "volt", "A": "ampere", "mA": "milliampere",
    "Ω": "ohm", "kΩ": "kiloohm", "°C": "degC", "°F": "degF",
}


@lru_cache(maxsize=1)
def _ureg() -> Any:
    import pint

    return pint.UnitRegistry()


def _converted(value: str, from_unit: str, to_unit: str) -> float | None:
    if from_unit not in _PINT_UNITS or to_unit not in _PINT_UNITS:
        return None
    try:
        ureg = _ureg()
        q = ureg.Quantity(float(Decimal(value)), ureg(_PINT_UNITS[from_unit]).units)
        return float(q.to(ureg(_PINT_UNITS[to_unit]).units).magnitude)
    except Exception:  # noqa: BLE001 - unknown or incompatible units simply do not ground
        return None


def _is_exact_conversion(number: str, derived: Sequence[SpecFact], index: _Index) -> bool:
    """``number`` equals a derived fact's source value converted to the derived unit (printed decimals)."""
    try:
        n = Decimal(number)
    except InvalidOperation:
        return False
    decimals = max(0, -n.as_tuple().exponent) if isinstance(n.as_tuple().exponent, int) else 0
    for g in derived:
        src = index.facts.get(g.derived_from or "")
        if src is None:
            continue
        for v in (src.value, src.value_max):
            if not v:
                continue
            conv = _converted(v, src.unit, g.unit)
            if conv is not None and abs(conv - float(n)) <= 0.5 * 10 ** (-decimals) + 1e-9:
                return True
    return False


# --------------------------------------------------------------------------- near duplicates


def _candidate_pairs(texts: list[str], cutoff: float) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of ``texts`` whose rapidfuzz ratio may reach ``cutoff``."""
    n = len(texts)
    if n < 2:
        return []
    if n <= LSH_ABOVE:
        from rapidfuzz import process

        mat = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, dtype="uint8", workers=1)
        ii, jj = (mat >= cutoff).nonzero()
        return sorted((int(i), int(j)) for i, j in zip(ii, jj, strict=True) if i < j)
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.6, num_perm=64)
    hashes = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=64, seed=1)
        words = t.split()
        shingles = {" ".join(words[k: k + 3]) for k in range(max(1, len(words) - 2))}
        for s in sorted(shingles):
            m.update(s.encode("utf-8"))
        lsh.insert(str(i), m)
        hashes.append(m)
    pairs = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            j = int(j)
            if i < j:
                pairs.add((i, j))
    return sorted(pairs)


def _near_duplicates(items: list[Example], bodies: list[str]) -> list[NearDuplicatePair]:
    """Pairs of examples from different groups with near-identical answers (same numbers/identifiers)."""
    norm_a = [normalize_question(b) for b in bodies]
    norm_q = [normalize_question(e.question) for e in items]
    sig = [
        (tuple(sorted(number_keys(b))), frozenset(identifier_tokens(e.question + " " + e.answer)))
        for e, b in zip(items, bodies, strict=True)
    ]
    by_answer: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(norm_a):
        by_answer[a].append(i)
    uniq = sorted(by_answer)
    pairs: dict[tuple[int, int], tuple[float, float]] = {}

    def consider(i: int, j: int, a_score: float) -> None:
        if i == j or items[i].group_id == items[j].group_id or sig[i] != sig[j]:
            return
        vi, vj = items[i].variant, items[j].variant
        if vi and vj and vi != vj:
            return
        if items[i].refusal or items[j].refusal:
            return  # refusals share one template by design; exact copies are caught as duplicates
        q_score = fuzz.token_set_ratio(norm_q[i], norm_q[j])
        if a_score >= NEAR_DUP_ANSWER or (a_score >= NEAR_DUP_ANSWER_WITH_QUESTION and q_score >= NEAR_DUP_QUESTION):
            key = (min(i, j), max(i, j))
            if key not in pairs:
                pairs[key] = (a_score, q_score)

    for a in uniq:
        idx = by_answer[a]
        if len({items[i].group_id for i in idx}) > 1:
            for x in range(len(idx)):
                for y in range(x + 1, len(idx)):
                    consider(idx[x], idx[y], 100.0)
    for ui, uj in _candidate_pairs(uniq, NEAR_DUP_ANSWER_WITH_QUESTION):
        score = fuzz.ratio(uniq[ui], uniq[uj])
        if score < NEAR_DUP_ANSWER_WITH_QUESTION:
            continue
        for i in by_answer[uniq[ui]]:
            for j in by_answer[uniq[uj]]:
                consider(i, j, score)
    out = []
    for (i, j), (a_s, q_s) in sorted(pairs.items()):
        out.append(NearDuplicatePair(a=items[i].example_id, b=items[j].example_id,
                                     answer_score=round(a_s, 2), question_score=round(q_s, 2)))
    return out


# --------------------------------------------------------------------------- question quantity

#: (name, question words, canonical units whose dimensionality answers it): a question naming the
#: quantity must be answered in one of these dimensionalities (a torque spec may be a torque angle)
QUESTION_QUANTITIES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("torque", re.compile(r"(?i)\btorques?\b|\btighten(?:ed|ing)?\b"), ("Nm", "°")),
    ("angle", re.compile(r"(?i)\bangles?\b"), ("°",)),
    ("pressure", re.compile(r"(?i)\bpressures?\b"), ("bar",)),
    ("length", re.compile(r"(?i)\b(?:clearances?|gap|play|backlash|run-?out|end ?float|thickness|diameter|"
                          r"length|width|height|depth|distance|lash|stroke|bore)\b"), ("mm",)),
    ("power", re.compile(r"(?i)\bpower\b|\bwattage\b"), ("kW",)),
    ("speed", re.compile(r"(?i)\bspeeds?\b|\brevs\b"), ("rpm", "km/h")),
    ("voltage", re.compile(r"(?i)\bvoltages?\b"), ("V",)),
    ("current", re.compile(r"(?i)\bcurrents?\b|\bamperage\b"), ("A",)),
    ("resistance", re.compile(r"(?i)\bresistances?\b"), ("Ω",)),
    ("volume", re.compile(r"(?i)\b(?:capacity|capacities|volume)\b"), ("l",)),
    ("temperature", re.compile(r"(?i)\btemperatures?\b"), ("°C",)),
    ("time", re.compile(r"(?i)\b(?:duration|how long)\b"), ("s",)),
    ("mass", re.compile(r"(?i)\b(?:weight|mass)\b"), ("kg",)),
)


@lru_cache(maxsize=256)
def _dimensionality(unit: str) -> frozenset | None:
    from manualtune.facts.units import lookup_unit, unit_registry

    info = lookup_unit(unit)
    if info is None:
        return None
    try:
        return frozenset(dict(unit_registry().Quantity(1, info.pint_expr).dimensionality).items())
    except Exception:  # noqa: BLE001 - a unit pint can not read is not compared
        return None


def question_quantities(question: str, ignore: Sequence[str] = ()) -> list[str]:
    """Names of the quantities ``question`` asks for; words inside ``ignore`` (the fact's component,
    condition, variant) do not count ('torque of the oil pressure switch' asks a torque only)."""
    q = question
    for phrase in sorted({i for i in ignore if i and i.strip()}, key=len, reverse=True):
        q = re.sub(re.escape(phrase.strip()), " ", q, flags=re.IGNORECASE)
    return [name for name, rx, _ in QUESTION_QUANTITIES if rx.search(q)]


def quantity_mismatch(example: Example, index: _Index) -> str | None:
    """Why the question asks for another quantity than the answer gives (detail), or None."""
    facts = [index.facts[fid] for fid in example.fact_ids if fid in index.facts]
    facts = [f for f in facts if not f.derived] or facts
    units = {f.unit for f in facts if f.unit} | {s.unit for f in facts for s in f.stages if s.unit}
    given = {d for u in units if (d := _dimensionality(u)) is not None}
    if not given:
        return None
    ignore = [x for f in facts for x in (f.component, f.condition or "", f.variant or "")]
    for name in question_quantities(example.question, ignore):
        allowed = next(units_ for n, _, units_ in QUESTION_QUANTITIES if n == name)
        want = {d for u in allowed if (d := _dimensionality(u)) is not None}
        if not (given & want):
            return f"{name} asked, {'/'.join(sorted(units))} answered"
    return None


# --------------------------------------------------------------------------- entry point


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
