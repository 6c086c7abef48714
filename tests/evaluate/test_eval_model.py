"""`eval --system model` and `rag+model` of a tiny-cpu run end to end (random small Llama, no download)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("peft")

FAST = ["data.n_samples=2", "data.sample_max_new_tokens=8", "data.max_val_examples=4", "training.save_steps=2"]


@pytest.fixture(scope="module")
def train_build(sample_subset_build) -> Path:
    return sample_subset_build


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, monkeypatch_module, train_build):
    import torch

    from manualtune.train.config import resolve_config
    from manualtune.train.loop import train_run

    torch.set_num_threads(1)
    runs = tmp_path_factory.mktemp("runs")
    result = train_run(resolve_config("tiny-cpu", sets=FAST, max_steps=2), train_build, runs,
                       hypothesis="eval test", log=lambda m: None, progress=False)
    return result.run_dir


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def few_probes(train_build):
    from manualtune.evaluate.probes import make_probes

    probes = make_probes(train_build)
    kinds = {p.kind for p in probes}
    assert kinds == {"paraphrase", "unseen", "unanswerable"}
    return [next(p for p in probes if p.kind == k) for k in sorted(kinds)] + probes[:3]


def test_model_eval_writes_its_files_into_the_run(tiny_run, few_probes, train_build):
    from manualtune.evaluate.runner import run_eval
    from manualtune.train.runs_table import eval_figures

    doc, path = run_eval("model", train_build, few_probes, run_dir=tiny_run, max_new_tokens=12, batch_size=4)
    assert path == tiny_run / "eval" / f"model-{doc['probe_set']}.json" and path.with_suffix(".html").is_file()
    data = json.loads(path.read_text())
    assert data["n"] == len(few_probes) and len(data["rows"]) == len(few_probes)
    assert data["run"]["run_id"] == tiny_run.name and "eval_loss" in data["run"]
    assert data["timing"]["generated_tokens"] >= 0 and data["timing"]["seconds_per_answer"] > 0
    for key in ("exact_match", "hallucination_rate", "refusal_rate"):
        assert data[key] is None or 0.0 <= data[key] <= 1.0
    again, _ = run_eval("model", train_build, few_probes, run_dir=tiny_run, max_new_tokens=12, batch_size=4)
    assert [r["answer"] for r in again["rows"]] == [r["answer"] for r in data["rows"]]  # greedy: deterministic
    figures = eval_figures(tiny_run)
    assert figures["em_model"] == data["exact_match"] and figures["probes_model"] == data["probe_set"]


def test_rag_model_eval_keeps_retrieval_citations(tiny_run, few_probes, train_build):
    from manualtune.evaluate.runner import run_eval

    doc, path = run_eval("rag+model", train_build, few_probes, run_dir=tiny_run, max_new_tokens=12, batch_size=4)
    assert path.name.startswith("rag+model-")
    answered = [r for r in doc["rows"] if not r["abstained"]]
    assert answered and all(r["citations"] for r in answered)
    una = [r for r in doc["rows"] if r["kind"] == "unanswerable"]
    assert all(r["abstained"] and r["refused"] for r in una)  # retrieval abstains: the model is not asked


def test_model_system_needs_a_run(few_probes, train_build):
    from manualtune.evaluate.runner import EvalError, run_eval

    with pytest.raises(EvalError, match="needs --run"):
        run_eval("model", train_build, few_probes)
    with pytest.raises(EvalError, match="unknown system"):
        run_eval("gpt", train_build, few_probes)


def test_ask_with_a_run_keeps_the_citation(tiny_run, train_build):
    from manualtune.evaluate.chat import AskSession

    got = AskSession(train_build, tiny_run).ask("What torque do the wheel bolts get?")
    assert not got.abstained and got.citations
    assert "(manual p. 34-1" in got.answer  # the tiny model's words + the retrieved record's citation
    refused = AskSession(train_build, tiny_run).ask("How do I replace the cabin air filter?")
    assert refused.abstained and "does not cover" in refused.answer
