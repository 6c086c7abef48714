"""Leakage-safe train/val/test split by source unit, and the leakage report.

Examples are never split by row. Every example belongs to a *source unit*: its ``group_id``
(all phrasings of one fact share it), merged with every other group that shares a fact id or a
normalised question (union-find). Each unit is placed by a seeded hash of its key, so adding
examples does not move the units that were already placed; placement is stratified by the
unit's task (per-task fractions, and a task with >= ``min_groups_for_holdout`` units always gets
at least one unit in val and one in test).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from manualtune.records import Example, SplitAssignment
from manualtune.split.config import SplitConfig, SplitFractions

VERSION = "1"
SPLITS: tuple[str, str, str] = ("train", "val", "test")

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_TOKEN = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
_TASK_TAG = re.compile(r"^\s*\[[A-Z]+\]\s*")


def normalise_question(question: str) -> str:
    """Canonical form used to detect the same question in two splits.

    NFKC, a leading ``[TASK]`` tag dropped, lower case, punctuation to spaces, whitespace collapsed.
    """
    text = unicodedata.normalize("NFKC", question or "")
    text = _TASK_TAG.sub("", text).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def answer_tokens(text: str) -> list[str]:
    """Lower-case word/number tokens of an answer ("0.25", "1,5" stay one token)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text or "").casefold())


def ngrams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    """The set of n-grams of ``tokens`` (empty when there are fewer than ``n`` tokens)."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def unit_hash(seed: int, key: str) -> float:
    """Deterministic position of a unit in [0, 1): sha256 of the seed and the unit key."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest()
    return int(digest[:16], 16) / float(1 << 64)


class _UnionFind:
    """Union-find over string keys; the representative of a set is its smallest key."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: str) -> str:
        self.add(key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def example_group(example: Example) -> str:
    """The group id used for splitting (the example id when the group id is empty)."""
    return example.group_id or f"example:{example.example_id}"


def source_units(examples: Iterable[Example], cfg: SplitConfig | None = None) -> dict[str, str]:
    """Map every group id to its source unit key (merged over shared fact ids / questions)."""
    cfg = cfg or SplitConfig()
    uf = _UnionFind()
    first_by_fact: dict[str, str] = {}
    first_by_question: dict[str, str] = {}
    for ex in examples:
        group = example_group(ex)
        uf.add(group)
        if cfg.merge_on_fact_ids:
            for fact_id in ex.fact_ids:
                if fact_id:
                    uf.union(group, first_by_fact.setdefault(fact_id, group))
        if cfg.merge_on_questions:
            norm = normalise_question(ex.question)
            if norm:
                uf.union(group, first_by_question.setdefault(norm, group))
    return {group: uf.find(group) for group in sorted(uf.parent)}


def _unit_task(tasks: Counter[str]) -> str:
    """Dominant task of a unit (most examples; ties broken by task name)."""
    return sorted(tasks.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _place(hashes: dict[str, float], fractions: SplitFractions, min_holdout: int) -> dict[str, str]:
    """Place the units of one task: hash thresholds, then make sure train/val/test are not empty."""
    train_hi, val_hi = fractions.thresholds()
    placed = {
        unit: ("train" if h < train_hi else "val" if h < val_hi else "test") for unit, h in hashes.items()
    }
    if len(placed) < min_holdout:
        return placed
    wanted = [s for s, frac in zip(SPLITS, (fractions.train, fractions.val, fractions.test), strict=True) if frac > 0]
    # Order of preference for a move: the unit whose hash is nearest the region it moves into.
    for target in wanted:
        if any(s == target for s in placed.values()):
            continue
        counts = Counter(placed.values())
        donors = [u for u, s in placed.items() if s != target and counts[s] > 1]
        if not donors:
            continue
        if target == "train":
            unit = min(donors, key=lambda u: (hashes[u], u))
        elif target == "test":
            unit = max(donors, key=lambda u: (hashes[u], u))
        else:  # val: nearest to the val interval from either side
            mid = (train_hi + val_hi) / 2
            unit = min(donors, key=lambda u: (abs(hashes[u] - mid), u))
        placed[unit] = target
    return placed


def _units_by_task(examples: Sequence[Example], cfg: SplitConfig) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    """group -> source unit, and per task (a unit's main task) each unit's seeded hash: what both
    split modes place."""
    unit_of = source_units(examples, cfg)
    unit_tasks: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in examples:
        unit_tasks[unit_of[example_group(ex)]][ex.task] += 1
    by_task: dict[str, dict[str, float]] = defaultdict(dict)
    for unit in sorted(unit_tasks):
        by_task[_unit_task(unit_tasks[unit])][unit] = unit_hash(cfg.seed, unit)
    return unit_of, by_task


def split_examples(examples: Sequence[Example], cfg: SplitConfig | None = None) -> list[SplitAssignment]:
    """Assign every example to train/val/test by source unit; sorted by example id.

    ``mode: facts`` guarantees: all examples of a group are on one side; no fact id and no
    normalised question appears in two splits; a task with >= ``cfg.min_groups_for_holdout``
    units has at least one unit in val and one in test. ``mode: phrasings``: see
    :func:`split_phrasings`.
    """
    cfg = cfg or SplitConfig()
    if cfg.mode == "phrasings":
        return split_phrasings(examples, cfg)
    unit_of, by_task = _units_by_task(examples, cfg)
    split_of_unit: dict[str, str] = {}
    for task in sorted(by_task):
        fractions = cfg.task_fractions.get(task, cfg.fractions)
        split_of_unit.update(_place(by_task[task], fractions, cfg.min_groups_for_holdout))
    out = [
        SplitAssignment(
            example_id=ex.example_id,
            group_id=ex.group_id,
            split=split_of_unit[unit_of[example_group(ex)]],  # type: ignore[arg-type]
        )
        for ex in examples
    ]
    out.sort(key=lambda a: (a.example_id, a.group_id, a.split))
    return out


def split_phrasings(examples: Sequence[Example], cfg: SplitConfig) -> list[SplitAssignment]:
    """``mode: phrasings``: every fact trained, held-out *phrasings* in val, unseen units in test.

    Source units (as in facts mode) are placed per task with fractions (1 - ``unseen_share``, 0,
    ``unseen_share``): a test unit is held out whole (the unseen probes). In every trained group
    with at least two phrasings, ``held_out_phrasings`` phrasings (seeded choice, never the last
    one left) move to val, unless their normalised question is also asked by a train example
    (then the held-out question would be in training). Guarantees: no val/test question is a
    train question; every fact id of a val example is trained; no test fact id is trained.
    """
    unit_of, by_task = _units_by_task(examples, cfg)
    fractions = SplitFractions(train=1.0 - cfg.unseen_share, val=0.0, test=cfg.unseen_share)
    split_of_unit: dict[str, str] = {}
    for task in sorted(by_task):
        split_of_unit.update(_place(by_task[task], fractions, cfg.min_groups_for_holdout))

    split_of: dict[str, str] = {}
    groups: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        split_of[ex.example_id] = split_of_unit[unit_of[example_group(ex)]]
        if split_of[ex.example_id] == "train":
            groups[example_group(ex)].append(ex)
    question_count: Counter[str] = Counter(
        normalise_question(ex.question) for ex in examples if split_of[ex.example_id] == "train"
    )
    for group in sorted(groups):
        members = sorted(groups[group], key=lambda e: (unit_hash(cfg.seed, f"phrasing:{e.example_id}"), e.example_id))
        moved = 0
        for ex in members:
            if moved >= cfg.held_out_phrasings or len(members) - moved <= 1:
                break
            norm = normalise_question(ex.question)
            if question_count[norm] > 1:
                continue  # another train example asks the same question
            split_of[ex.example_id] = "val"
            question_count[norm] -= 1
            moved += 1
    out = [
        SplitAssignment(example_id=ex.example_id, group_id=ex.group_id, split=split_of[ex.example_id])  # type: ignore[arg-type]
        for ex in examples
    ]
    out.sort(key=lambda a: (a.example_id, a.group_id, a.split))
    return out


def _split_lookup(assignments: Iterable[SplitAssignment]) -> dict[str, str]:
    return {a.example_id: a.split for a in assignments}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def leakage_report(
    examples: Sequence[Example], assignments: Sequence[SplitAssignment], n: int = 8, mode: str = "facts"
) -> dict:
    """Counts per split and task, and what the held-out splits share with train.

    ``shared_group_ids``, ``shared_fact_ids`` and ``shared_questions`` count ids/questions found
    in more than one split (0 for a leakage-safe split). ``answer_ngram_overlap`` is the share of
    distinct val/test answer ``n``-grams that also occur in some train answer;
    ``answer_exact_overlap`` the share of val/test answers identical (normalised) to a train answer.
    """
    split_of = _split_lookup(assignments)
    groups: dict[str, set[str]] = defaultdict(set)
    facts: dict[str, set[str]] = defaultdict(set)
    questions: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, Counter[str]] = {s: Counter() for s in SPLITS}
    unassigned = 0
    for ex in examples:
        split = split_of.get(ex.example_id)
        if split is None:
            unassigned += 1
            continue
        counts[split][ex.task] += 1
        groups[example_group(ex)].add(split)
        for fact_id in ex.fact_ids:
            facts[fact_id].add(split)
        questions[normalise_question(ex.question)].add(split)
    shared_groups = sorted(g for g, s in groups.items() if len(s) > 1)
    shared_facts = sorted(f for f, s in facts.items() if len(s) > 1)
    shared_questions = sorted(q for q, s in questions.items() if len(s) > 1 and q)

    train_grams: set[tuple[str, ...]] = set()
    train_answers: set[str] = set()
    for ex in examples:
        if split_of.get(ex.example_id) == "train":
            toks = answer_tokens(ex.answer)
            train_grams |= ngrams(toks, n)
            train_answers.add(" ".join(toks))
    overlap: dict[str, float] = {}
    exact: dict[str, float] = {}
    all_grams: set[tuple[str, ...]] = set()
    all_hits = all_total = 0
    for split in ("val", "test"):
        grams: set[tuple[str, ...]] = set()
        answers = [
            " ".join(answer_tokens(ex.answer)) for ex in examples if split_of.get(ex.example_id) == split
        ]
        for ans in answers:
            grams |= ngrams(ans.split(" "), n) if ans else set()
        overlap[split] = _ratio(len(grams & train_grams), len(grams))
        hits = sum(1 for a in answers if a in train_answers)
        exact[split] = _ratio(hits, len(answers))
        all_grams |= grams
        all_hits += hits
        all_total += len(answers)
    overlap["held_out"] = _ratio(len(all_grams & train_grams), len(all_grams))
    exact["held_out"] = _ratio(all_hits, all_total)
    train_facts = {f for f, s in facts.items() if "train" in s}
    test_facts = {f for f, s in facts.items() if "test" in s}
    val_facts = {f for f, s in facts.items() if "val" in s}
    return {
        "mode": mode,
        "proof": (
            "no held-out question is in train; no held-out fact is in train" if mode == "facts"
            else "no held-out question is in train; every val fact is trained; no test (unseen) fact is in train"
        ),
        "held_out_questions_in_train": len(shared_questions),
        "held_out_facts_in_train": len((val_facts | test_facts) & train_facts) if mode == "facts"
        else len(test_facts & train_facts),
        "val_facts_not_trained": len(val_facts - train_facts),
        "examples": {s: sum(counts[s].values()) for s in SPLITS},
        "examples_by_task": {s: dict(sorted(counts[s].items())) for s in SPLITS},
        "groups": {s: sum(1 for g in groups.values() if s in g) for s in SPLITS},
        "unassigned_examples": unassigned,
        "shared_group_ids": len(shared_groups),
        "shared_fact_ids": len(shared_facts),
        "shared_questions": len(shared_questions),
        "shared_fact_id_examples": shared_facts[:20],
        "shared_question_examples": shared_questions[:20],
        "answer_ngram_n": n,
        "answer_ngram_overlap": overlap,
        "answer_exact_overlap": exact,
    }
