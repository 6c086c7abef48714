"""The inference contract (load_run_model / generate_answers / find_run), export-model and routing."""

from __future__ import annotations

import json

import pytest
import torch

from manualtune.exceptions import BadAdapterError, ConfigError, RunNotFoundError
from manualtune.train.inference import generate_answers, load_run_model
from manualtune.train.loop import train_run
from manualtune.train.registry import find_run, read_run
from manualtune.train.routing import TaskClassifier, create_router, train_classifier

QUIET = {"log": lambda m: None, "progress": False}


def _build(run_dir):
    from pathlib import Path

    return Path(read_run(run_dir)["build_dir"])


def test_load_run_model_and_generate_are_deterministic(trained_run, runs_dir):
    run_dir = find_run(runs_dir, trained_run.run_id)
    model, tok = load_run_model(run_dir, device="cpu")
    assert not model.training
    qs = ["[SPEC] What is the spark plug gap of the CR20?", "[WIRING] Which fuse protects the starter?", "x"]
    a1 = generate_answers(model, tok, qs, max_new_tokens=6, batch_size=2)
    a2 = generate_answers(model, tok, qs, max_new_tokens=6, batch_size=3)
    assert len(a1) == 3 and a1 == a2 and all(isinstance(a, str) for a in a1)
    # the samples written at the end of training came from the same weights and prompt
    sample = json.loads((run_dir / "samples.jsonl").read_text().splitlines()[0])
    assert generate_answers(model, tok, [sample["question"]], max_new_tokens=8) == [sample["answer"]]


def test_find_run_errors_clearly(runs_dir, tmp_path):
    with pytest.raises(RunNotFoundError, match="no run 'nope' in"):
        find_run(runs_dir, "nope")
    bad = tmp_path / "broken"
    bad.mkdir()
    rec = read_run(find_run(runs_dir, next(p.name for p in runs_dir.iterdir() if (p / "run.json").is_file())))
    (bad / "run.json").write_text(json.dumps({**rec, "run_id": "broken"}))
    with pytest.raises(BadAdapterError, match="has no adapter"):
        load_run_model(bad)


def test_export_adapter_and_merged_model_load_with_transformers(trained_run, runs_dir, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from manualtune.train.export_model import export_model

    run_dir = find_run(runs_dir, trained_run.run_id)
    adapter = export_model(run_dir, tmp_path / "adapter")
    assert (adapter / "adapter_config.json").is_file() and (adapter / "tokenizer_config.json").is_file()
    merged = export_model(run_dir, tmp_path / "merged", merge=True)
    model_m = AutoModelForCausalLM.from_pretrained(str(merged)).eval()
    tok = AutoTokenizer.from_pretrained(str(merged))
    base = AutoModelForCausalLM.from_pretrained(str(adapter / "base"))
    model_a = PeftModel.from_pretrained(base, str(adapter)).eval()
    ids = tok("[SPEC] What is the idle speed?", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        la, lm = model_a(ids).logits, model_m(ids).logits
    assert torch.allclose(la, lm, atol=1e-4)
    assert json.loads((merged / "manualtune_export.json").read_text())["merged"] is True
    # a run trained from a local model folder records where the base came from
    from manualtune.train.config import resolve_config

    rerun = train_run(resolve_config("tiny-cpu", sets=["data.n_samples=0"], model=str(merged), max_steps=1),
                      _build(run_dir), tmp_path / "runs",
                      **QUIET)
    assert read_run(rerun.run_dir)["model_source"] == {"name_or_path": str(merged), "gguf_file": None}
    with pytest.raises(ConfigError, match="not empty"):
        export_model(run_dir, merged)


def test_classifier_routes_questions_by_task(build_dir):
    qs = ["What is the torque for the cylinder head bolts?", "What is the tightening torque of the oil drain plug?",
          "Which components make up the starting circuit?", "Which wire colour feeds the fuel pump relay?"]
    clf = TaskClassifier(json.loads(json.dumps(train_classifier(qs * 3, ["SPEC", "SPEC", "WIRING", "WIRING"] * 3))))
    assert clf.predict(["What is the torque for the wheel bolts?", "Which components make up the charging circuit?"]) \
        == ["SPEC", "WIRING"]


def test_route_registers_a_router_over_per_task_adapters(tmp_path, build_dir, tiny_config):
    ids = []
    for task in ("SPEC", "WIRING"):
        r = train_run(tiny_config("data.n_samples=0", task=task, max_steps=1), build_dir, tmp_path, **QUIET)
        assert read_run(r.run_dir)["task"] == task
        ids.append(r.run_id)
    router = create_router(tmp_path, ids, build_dir, hypothesis="task adapters beat one")
    rec = read_run(router)
    assert rec["kind"] == "router" and rec["adapters"] == {"SPEC": ids[0], "WIRING": ids[1]}
    model, tok = load_run_model(router, device="cpu")
    assert model.route(["[WIRING] What feeds relay K6?", "[SPEC] What is the valve clearance?"]) == ["WIRING", "SPEC"]
    answers = generate_answers(model, tok, ["[WIRING] What feeds relay K6?", "[SPEC] Valve clearance?"],
                               max_new_tokens=4)
    assert len(answers) == 2
    with pytest.raises(ConfigError, match="was not trained with --task"):
        create_router(tmp_path, [router.name, ids[0]], build_dir)
