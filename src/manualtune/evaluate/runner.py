"""`manualtune eval`: the same probes through ``rag``, ``model`` or ``rag+model``, scored and written.

Output: ``<run_dir>/eval/<system>-<probe_set_hash>.json`` (``BUILD/eval/`` for ``rag`` without a
run), an HTML page beside it and the probe set itself (``probes-<hash>.jsonl``). Top-level keys: ``n, exact_match, hallucination_rate,
refusal_rate, false_refusal_rate, unit_compliance, numbering_ok, by_kind, by_task, system,
probe_set, rows`` (+ ``timing``, ``run``). Scores are deterministic for the same answers;
timings are kept under ``timing`` only.

Rates: ``exact_match`` and ``false_refusal_rate`` over answerable probes (paraphrase + unseen),
``refusal_rate`` over unanswerable probes, ``hallucination_rate`` the share of all answers with
at least one invented number, ``unit_compliance`` over answerable answers that were not refusals.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from manualtune.cache import read_jsonl
from manualtune.evaluate.matching import ABSTAIN_TEXT, AnswerScore, score_answer
from manualtune.evaluate.probes import Probe, probe_set_hash
from manualtune.exceptions import ExitCode, ManualtuneError
from manualtune.generate.text import number_keys
from manualtune.records import Block, PageOCR, SpecFact

System = Literal["rag", "model", "rag+model"]
SYSTEMS: tuple[str, ...] = ("rag", "model", "rag+model")
Answerer = Callable[[list[str]], list[str]]

RAG_MODEL_PROMPT = (
    "Answer from the manual excerpt only; give the value with its unit and cite the page. "
    "If the excerpt does not answer the question, say that the manual does not cover it.\n"
    "Manual excerpt: {context}\nQuestion: {question}"
)


class EvalError(ManualtuneError):
    """A usage error of `eval` (missing run, unknown system); the message says what to do."""

    exit_code = ExitCode.usage


def page_numbers(build_dir: Path) -> dict[tuple[str, int], set[str]]:
    """(file, page) -> number keys printed on that page (OCR text, blocks, facts)."""
    out: dict[tuple[str, int], set[str]] = defaultdict(set)
    ocr_dir = build_dir / "ocr"
    if ocr_dir.is_dir():
        for p in sorted(ocr_dir.glob("*.json")):
            page = PageOCR.model_validate_json(p.read_text(encoding="utf-8"))
            out[(page.source, page.page)] |= number_keys(page.text)
    blocks = build_dir / "records" / "blocks.jsonl"
    if blocks.is_file():
        for b in read_jsonl(blocks, Block):
            texts = [b.text] + [c.text for r in b.rows for c in r.cells]
            for t in texts:
                out[(b.source.file, b.source.page)] |= number_keys(t)
    facts = build_dir / "records" / "facts.jsonl"
    if facts.is_file():
        for f in read_jsonl(facts, SpecFact):
            out[(f.source.file, f.source.page)] |= number_keys(f"{f.value} {f.value_max or ''} {f.text}")
    return dict(out)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(probes: Sequence[Probe], scores: Sequence[AnswerScore]) -> dict:
    """The headline figures of a list of scored probes."""
    ans = [(p, s) for p, s in zip(probes, scores, strict=True) if p.kind != "unanswerable"]
    una = [(p, s) for p, s in zip(probes, scores, strict=True) if p.kind == "unanswerable"]
    answered = [(p, s) for p, s in ans if not s.refused]
    procs = [s for p, s in ans if p.task == "PROCEDURE" and s.numbering_ok is not None]
    return {
        "n": len(probes),
        "n_answerable": len(ans),
        "n_unanswerable": len(una),
        "exact_match": _rate(sum(s.exact for _, s in ans), len(ans)),
        "hallucination_rate": _rate(sum(bool(s.hallucinated) for s in scores), len(scores)),
        "refusal_rate": _rate(sum(s.refused for _, s in una), len(una)),
        "false_refusal_rate": _rate(sum(s.refused for _, s in ans), len(ans)),
        "unit_compliance": _rate(sum(s.unit_ok for _, s in answered), len(answered)),
        "numbering_ok": _rate(sum(bool(s.numbering_ok) for s in procs), len(procs)),
    }


def score_probes(probes: Sequence[Probe], answers: Sequence[str], build_dir: Path | None) -> list[AnswerScore]:
    numbers = page_numbers(build_dir) if build_dir else {}
    out = []
    for p, a in zip(probes, answers, strict=True):
        page = numbers.get((p.source.file, p.source.page), set()) if p.source else set()
        out.append(score_answer(p, a, page))
    return out


def evaluate(probes: Sequence[Probe], answers: Sequence[str], *, system: str, build_dir: Path | None,
             extra_rows: Sequence[dict] | None = None, timing: dict | None = None, run: dict | None = None) -> dict:
    """The eval document for ``answers`` (one per probe, same order)."""
    if len(answers) != len(probes):
        raise EvalError(f"{len(answers)} answers for {len(probes)} probes")
    scores = score_probes(probes, answers, build_dir)
    doc = summarise(probes, scores)
    by_kind: dict[str, list[int]] = defaultdict(list)
    by_task: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(probes):
        by_kind[p.kind].append(i)
        by_task[p.task].append(i)
    doc["by_kind"] = {k: summarise([probes[i] for i in ix], [scores[i] for i in ix]) for k, ix in sorted(by_kind.items())}
    doc["by_task"] = {k: summarise([probes[i] for i in ix], [scores[i] for i in ix]) for k, ix in sorted(by_task.items())}
    doc["system"] = system
    doc["probe_set"] = probe_set_hash(list(probes))
    rows = []
    for i, (p, a, s) in enumerate(zip(probes, answers, scores, strict=True)):
        row = {"id": p.id, "kind": p.kind, "task": p.task, "question": p.question, "reference": p.answer,
               "answer": a, **s.model_dump(mode="json"),
               "source": p.source.model_dump(mode="json") if p.source else None}
        if extra_rows:
            row.update(extra_rows[i])
        rows.append(row)
    doc["rows"] = sorted(rows, key=lambda r: (r["kind"], r["task"], r["id"]))
    doc["timing"] = timing or {}
    doc["run"] = run
    return doc


# --------------------------------------------------------------------------- systems


def rag_answers(build_dir: Path, questions: list[str], retrieve_cfg=None) -> tuple[list[str], list[dict]]:
    from manualtune.retrieve.answer import Asker

    asker = Asker(build_dir, retrieve_cfg)
    got = asker.ask_many(questions)
    extra = [{"score_retrieval": a.score, "abstained": a.abstained, "record_kind": a.kind,
              "citations": [c.model_dump(mode="json") for c in a.citations]} for a in got]
    return [a.answer for a in got], extra


def probe_user_turn(probe: Probe) -> str:
    """A probe's question in the training user-turn form ``[TASK] question`` (the export's
    ``user_template``), so a fine-tune is asked the way it was taught."""
    q = probe.question.strip()
    return q if q.startswith("[") else f"[{probe.task}] {q}"


def model_answers(run_dir: Path, questions: list[str], *, batch_size: int = 8, max_new_tokens: int = 128,
                  device: str | None = None) -> tuple[list[str], dict]:
    """Greedy answers of a run's model (``manualtune.train.inference``) and tokens/s."""
    try:
        from manualtune.train.inference import generate_answers, load_run_model
    except ImportError as e:
        raise EvalError("manualtune.train.inference is not available: install the train extra "
                        "(pip install 'manualtune[train]') and use a version with `manualtune train`") from e
    model, tok = load_run_model(run_dir, device=device)
    t0 = time.perf_counter()
    answers = generate_answers(model, tok, questions, max_new_tokens=max_new_tokens, batch_size=batch_size)
    secs = time.perf_counter() - t0
    n_tokens = sum(len(tok(a, add_special_tokens=False)["input_ids"]) for a in answers)
    return list(answers), {"seconds": round(secs, 3), "generated_tokens": n_tokens,
                           "tokens_per_s": round(n_tokens / secs, 2) if secs > 0 else None}


def rag_model_prompts(build_dir: Path, questions: list[str], retrieve_cfg=None) -> tuple[list[str | None], list[dict]]:
    """Per question the prompt with the retrieved record, or None where retrieval abstains."""
    from manualtune.retrieve.answer import Asker

    asker = Asker(build_dir, retrieve_cfg)
    got = asker.ask_many(questions)
    prompts: list[str | None] = []
    for q, a in zip(questions, got, strict=True):
        prompts.append(None if a.abstained else RAG_MODEL_PROMPT.format(context=a.answer, question=q))
    extra = [{"score_retrieval": a.score, "abstained": a.abstained, "record_kind": a.kind,
              "citations": [c.model_dump(mode="json") for c in a.citations]} for a in got]
    return prompts, extra


def run_eval(system: str, build_dir: Path, probes: list[Probe], *, run_dir: Path | None = None,
             batch_size: int = 8, max_new_tokens: int = 128, device: str | None = None) -> tuple[dict, Path]:
    """Answer every probe with ``system``, score, write JSON + HTML; returns (doc, json path)."""
    if system not in SYSTEMS:
        raise EvalError(f"unknown system {system!r}: use one of {', '.join(SYSTEMS)}")
    if system != "rag" and run_dir is None:
        raise EvalError(f"--system {system} needs --run RUN (a folder under runs/, see `manualtune runs`)")
    questions = [p.question for p in probes]
    t0 = time.perf_counter()
    extra: list[dict] | None = None
    timing: dict = {}
    if system == "rag":
        answers, extra = rag_answers(build_dir, questions)
    elif system == "model":
        # the user turn as the run was trained on it ('[TASK] question', as the export writes it)
        turns = [probe_user_turn(p) for p in probes]
        answers, timing = model_answers(run_dir, turns, batch_size=batch_size, max_new_tokens=max_new_tokens,
                                        device=device)
    else:
        prompts, extra = rag_model_prompts(build_dir, questions)
        idx = [i for i, pr in enumerate(prompts) if pr is not None]
        gen, timing = model_answers(run_dir, [prompts[i] for i in idx], batch_size=batch_size,
                                    max_new_tokens=max_new_tokens, device=device) if idx else ([], {})
        answers = [ABSTAIN_TEXT] * len(questions)
        for i, a in zip(idx, gen, strict=True):
            cites = extra[i]["citations"]
            answers[i] = a  # the model's words; the retrieved citations stay in the row
            extra[i]["citation_pages"] = sorted({(c["file"], c["page"]) for c in cites})
    secs = time.perf_counter() - t0
    timing = {**timing, "total_seconds": round(secs, 3), "seconds_per_answer": round(secs / max(1, len(probes)), 4)}
    run_info = _run_info(run_dir) if run_dir else None
    doc = evaluate(probes, answers, system=system, build_dir=build_dir, extra_rows=extra, timing=timing, run=run_info)
    out_dir = (run_dir if run_dir else build_dir) / "eval"
    path = write_eval(doc, out_dir)
    probes_path = out_dir / f"probes-{doc['probe_set']}.jsonl"
    if not probes_path.is_file():  # the exact probe set beside its scores, to rerun any system on it
        from manualtune.evaluate.probes import write_probes

        write_probes(list(probes), probes_path)
    return doc, path


def _run_info(run_dir: Path) -> dict:
    info: dict = {"run_dir": str(run_dir), "run_id": run_dir.name}
    rj = run_dir / "run.json"
    if rj.is_file():
        data = json.loads(rj.read_text(encoding="utf-8"))
        info.update({k: data.get(k) for k in ("run_id", "status", "dataset_fingerprint", "git_commit")})
        res = data.get("results") or {}
        info.update({k: res.get(k) for k in ("eval_loss", "eval_token_accuracy")})  # the run's val figures
    return info


def eval_filename(system: str, probe_set: str) -> str:
    return f"{system}-{probe_set}.json"


def write_eval(doc: dict, out_dir: Path) -> Path:
    from manualtune.evaluate.html import write_eval_html

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / eval_filename(doc["system"], doc["probe_set"])
    path.write_text(json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_eval_html(doc, path.with_suffix(".html"))
    return path
