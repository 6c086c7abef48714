"""Probes: the questions every system (retrieval, fine-tune, both) is scored on.

Three kinds, written by :func:`make_probes` from a build folder:

* ``paraphrase`` — a fact the model was trained on, asked in words it never saw in training:
  held-out phrasings of trained source units (``split.mode: phrasings``), plus deterministic
  rule rewrites (:mod:`manualtune.split.synthetic`) of one train question per group, kept only
  when the rewrite is not a question of the dataset;
* ``unseen`` — val/test examples whose source unit has nothing in train (held out entirely);
* ``unanswerable`` — questions the manual does not answer, derived from its own vocabulary
  (:mod:`manualtune.evaluate.unanswerable`).

Targets (value, upper end, tolerance, unit, stages) come from the referenced fact records, not
from the answer text. Users add their own probes in the same JSONL format (:func:`load_probes`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from manualtune.cache import read_jsonl
from manualtune.evaluate.config import ProbeConfig
from manualtune.exceptions import ExitCode, ManualtuneError
from manualtune.records import Example, SpecFact, SplitAssignment, TaskType
from manualtune.split.assign import normalise_question
from manualtune.split.synthetic import RULES, paraphrase_candidates

ProbeKind = Literal["paraphrase", "unseen", "unanswerable"]


class ProbeError(ManualtuneError):
    """A probe file or build folder a user gave cannot be read (message says what to do)."""

    exit_code = ExitCode.input_not_found


class ProbeSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    page: int
    page_label: str | None = None


class ProbeTarget(BaseModel):
    """One number an answer must state: value (or range / tolerance) and canonical unit."""

    model_config = ConfigDict(extra="forbid")

    value: str
    value_max: str | None = None
    tolerance: str | None = None
    unit: str | None = None


class Probe(BaseModel):
    """One evaluation question with its reference answer and numeric targets."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: ProbeKind
    task: TaskType
    question: str
    answer: str = Field(default="", description="reference answer (empty for unanswerable probes)")
    value: str | None = None
    value_max: str | None = None
    tolerance: str | None = None
    unit: str | None = None
    stages: list[ProbeTarget] = Field(default=[], description="extra targets: every stage / every conflicting value")
    fact_ids: list[str] = []
    source: ProbeSource | None = None
    origin: str = Field(default="", description="how the probe was made (held-out phrasing, rule name, …)")

    def targets(self) -> list[ProbeTarget]:
        """Every number an exact answer must state (the main value first, then the stages)."""
        out: list[ProbeTarget] = []
        if self.value is not None:
            out.append(ProbeTarget(value=self.value, value_max=self.value_max, tolerance=self.tolerance, unit=self.unit))
        for st in self.stages:
            if st not in out:
                out.append(st)
        return out


def probe_id(kind: str, question: str) -> str:
    return hashlib.sha256(f"{kind}\x00{question}".encode()).hexdigest()[:16]


def probe_set_hash(probes: list[Probe]) -> str:
    """Content hash of a probe set (order-independent), the key of eval results."""
    h = hashlib.sha256()
    for line in sorted(p.model_dump_json() for p in probes):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()[:12]


# --------------------------------------------------------------------------- targets from facts

_TOL = re.compile(r"[±+\-/\s]+")


def _clean_tolerance(tol: str | None) -> str | None:
    if not tol:
        return None
    t = _TOL.sub("", tol)
    return t or None


def fact_targets(facts: list[SpecFact]) -> list[ProbeTarget]:
    """Targets of the (non-derived) facts an example cites: stages expanded, duplicates dropped."""
    out: list[ProbeTarget] = []
    printed = [f for f in facts if not f.derived] or facts
    for f in printed:
        if f.stages:
            items = [ProbeTarget(value=s.value, value_max=s.value_max, unit=s.unit or None) for s in f.stages]
        else:
            items = [ProbeTarget(value=f.value, value_max=f.value_max, tolerance=_clean_tolerance(f.tolerance),
                                 unit=f.unit or None)]
        for it in items:
            if it not in out:
                out.append(it)
    return out


def _page_label(answer: str) -> str | None:
    m = re.search(r"\(manual p\. ([^;)]+)", answer)
    return m.group(1).strip() if m else None


def _probe_from_example(ex: Example, kind: ProbeKind, question: str, facts: dict[str, SpecFact],
                        origin: str) -> Probe:
    cited = [facts[f] for f in ex.fact_ids if f in facts]
    targets = fact_targets(cited) if ex.task == "SPEC" else []
    main = targets[0] if targets else None
    src = ex.sources[0] if ex.sources else None
    return Probe(
        id=probe_id(kind, question),
        kind=kind,
        task=ex.task,
        question=question,
        answer=ex.answer,
        value=main.value if main else None,
        value_max=main.value_max if main else None,
        tolerance=main.tolerance if main else None,
        unit=main.unit if main else None,
        stages=targets[1:],
        fact_ids=sorted(ex.fact_ids),
        source=ProbeSource(file=src.file, page=src.page, page_label=_page_label(ex.answer)) if src else None,
        origin=origin,
    )


# --------------------------------------------------------------------------- the probe set


def _load_build(build_dir: Path) -> tuple[list[Example], dict[str, str], dict[str, SpecFact]]:
    need = [build_dir / "dataset" / "examples.jsonl", build_dir / "dataset" / "splits.jsonl",
            build_dir / "records" / "facts.jsonl"]
    for p in need:
        if not p.is_file():
            raise ProbeError(f"{p} not found: is {build_dir} a build folder? (run `manualtune build` first)")
    examples = read_jsonl(need[0], Example)
    splits = {a.example_id: a.split for a in read_jsonl(need[1], SplitAssignment)}
    facts = {f.fact_id: f for f in read_jsonl(need[2], SpecFact)}
    return examples, splits, facts


def make_probes(build_dir: Path, cfg: ProbeConfig | None = None) -> list[Probe]:
    """All probes of a build, sorted by (kind, task, id). Deterministic."""
    from manualtune.evaluate.unanswerable import unanswerable_probes

    cfg = cfg or ProbeConfig()
    examples, splits, facts = _load_build(Path(build_dir))
    answerable = [e for e in examples if not e.refusal and e.example_id in splits]
    train = [e for e in answerable if splits[e.example_id] == "train"]
    train_groups = {e.group_id for e in train}
    train_facts = {f for e in train for f in e.fact_ids}
    train_questions = {normalise_question(e.question) for e in examples if splits.get(e.example_id) == "train"}
    all_questions = {normalise_question(e.question) for e in examples}

    probes: dict[str, Probe] = {}

    def add(p: Probe) -> None:
        probes.setdefault(p.id, p)

    for ex in sorted(answerable, key=lambda e: e.example_id):
        if splits[ex.example_id] == "train" or normalise_question(ex.question) in train_questions:
            continue
        trained = ex.group_id in train_groups or (ex.fact_ids and set(ex.fact_ids) <= train_facts)
        if trained and not cfg.include_held_out_phrasings:
            continue
        kind: ProbeKind = "paraphrase" if trained else "unseen"
        add(_probe_from_example(ex, kind, ex.question, facts, f"held-out {splits[ex.example_id]} phrasing"))

    if cfg.rule_paraphrases_per_group > 0:
        by_group: dict[str, list[Example]] = defaultdict(list)
        for ex in train:
            by_group[ex.group_id].append(ex)
        order = sorted(RULES)
        for group in sorted(by_group):
            ex = min(by_group[group], key=lambda e: (e.phrasing, e.example_id))
            made = 0
            for rule, text in paraphrase_candidates(ex.question, order):
                norm = normalise_question(text)
                if not norm or norm in all_questions:
                    continue
                add(_probe_from_example(ex, "paraphrase", text, facts, f"rule {rule}"))
                all_questions.add(norm)
                made += 1
                if made >= cfg.rule_paraphrases_per_group:
                    break

    for p in unanswerable_probes(Path(build_dir), cfg, known_questions=all_questions):
        add(p)
    out = sorted(probes.values(), key=lambda p: (p.kind, p.task, p.id))
    if cfg.max_per_kind:
        kept: list[Probe] = []
        seen: dict[str, int] = defaultdict(int)
        for p in out:
            if seen[p.kind] < cfg.max_per_kind:
                kept.append(p)
                seen[p.kind] += 1
        out = kept
    return out


def write_probes(probes: list[Probe], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for p in probes:
            fh.write(json.dumps(p.model_dump(mode="json"), sort_keys=True, ensure_ascii=False) + "\n")


def load_probes(path: Path) -> list[Probe]:
    """Read a probe JSONL file; a bad line is an error naming the line and the problem."""
    path = Path(path)
    if not path.is_file():
        raise ProbeError(f"probe file not found: {path} (write one with `manualtune probes BUILD --out FILE`)")
    out: list[Probe] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if "id" not in data and "question" in data:
                data["id"] = probe_id(data.get("kind", ""), data["question"])
            out.append(Probe.model_validate(data))
        except (json.JSONDecodeError, ValidationError) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ProbeError(f"{path}:{i}: not a probe ({first}); see the README, section Evaluate and ask, for the format") from e
    return out
