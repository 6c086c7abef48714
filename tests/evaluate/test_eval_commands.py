"""The CLI of evaluation and retrieval on a sample build: probes, eval, ask, chat, export-lmeval."""

from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from manualtune.cli import app

runner = CliRunner()


def test_probes_command_writes_jsonl(sample_subset_build, tmp_path):
    out = tmp_path / "p.jsonl"
    res = runner.invoke(app, ["probes", str(sample_subset_build), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["kind"] for r in rows} == {"paraphrase", "unseen", "unanswerable"}


def test_eval_command_json(sample_subset_build):
    res = runner.invoke(app, ["eval", "--build", str(sample_subset_build), "--system", "rag", "--limit", "25", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["system"] == "rag" and data["n"] == 25 and data["file"].endswith(".json")


def test_ask_command_json_and_abstention(sample_subset_build):
    res = runner.invoke(app, ["ask", "What torque do the wheel bolts get?", "--build", str(sample_subset_build), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["value"] == "100" and data["unit"] == "Nm" and not data["abstained"]
    assert data["citations"][0]["page"] == 1 and data["citations"][0]["bbox"]
    res = runner.invoke(app, ["ask", "How do I replace the cabin air filter?", "--build", str(sample_subset_build)])
    assert res.exit_code == 0 and "does not cover" in res.stdout


def test_usage_errors_are_one_line_with_exit_codes(tmp_path, sample_subset_build):
    res = runner.invoke(app, ["eval", "--build", str(tmp_path)])
    assert res.exit_code == 5 and "manualtune build" in res.output
    res = runner.invoke(app, ["eval", "--build", str(sample_subset_build), "--system", "model"])
    assert res.exit_code == 2 and "--run" in res.output
    res = runner.invoke(app, ["eval", "--build", str(sample_subset_build), "--probes", str(tmp_path / "none.jsonl")])
    assert res.exit_code == 5 and "probe file not found" in res.output


def test_chat_loop_answers_and_shows_source_crops(sample_subset_build):
    from rich.console import Console

    from manualtune.evaluate.chat import chat_loop

    console = Console(record=True, width=200)
    answers = chat_loop(sample_subset_build, None, console=console,
                        lines=["What is the connecting rod bearing clearance?", "/sources", "/quit", "never read"])
    assert len(answers) == 1 and "0.020-0.055 mm" in answers[0].answer
    text = console.export_text()
    crops = [w for w in text.split() if w.endswith(".png")]
    assert crops and all(p for p in crops)
    from PIL import Image

    with Image.open(crops[0]) as im:
        assert im.width > 50 and im.height > 20


def test_export_lmeval_task_scores_with_the_unit_aware_matcher(sample_subset_build, tmp_path):
    out = tmp_path / "lmeval"
    res = runner.invoke(app, ["export-lmeval", str(sample_subset_build), str(out)])
    assert res.exit_code == 0, res.output
    yml = (out / "manualtune_probes.yaml").read_text()
    assert "output_type: generate_until" in yml and "!function utils.process_results" in yml
    rows = [json.loads(line) for line in (out / "probes.jsonl").read_text().splitlines()]
    spec = next(r for r in rows if r["kind"] != "unanswerable" and r["task"] == "SPEC" and r["value"])
    spec_utils = importlib.util.spec_from_file_location("mt_lmeval_utils", out / "utils.py")
    utils = importlib.util.module_from_spec(spec_utils)
    spec_utils.loader.exec_module(utils)
    right = f"{spec['value']}{'-' + spec['value_max'] if spec['value_max'] else ''} {spec['unit'] or ''}"
    for st in spec["stages"]:
        right += f", {st['value']}{'-' + st['value_max'] if st['value_max'] else ''} {st['unit'] or ''}"
    if spec["tolerance"]:
        right = right.replace(spec["value"], f"{spec['value']} ± {spec['tolerance']}", 1)
    assert utils.process_results(spec, [right])["exact_match"] == 1.0
    assert utils.process_results(spec, ["9999 Nm"])["exact_match"] == 0.0
    assert utils.process_results(spec, ["9999 Nm"])["hallucination"] == 1.0
    una = next(r for r in rows if r["kind"] == "unanswerable")
    assert utils.process_results(una, ["The manual does not cover this."])["refused"] == 1.0


@pytest.mark.skipif(importlib.util.find_spec("lm_eval") is None, reason="lm-eval is not installed (optional)")
def test_lm_eval_task_manager_loads_the_export(sample_subset_build, tmp_path):
    from lm_eval.tasks import TaskManager, get_task_dict

    from manualtune.evaluate.lmeval import TASK, export_lmeval
    from manualtune.evaluate.probes import make_probes

    probes = make_probes(sample_subset_build)
    una = next(p for p in probes if p.kind == "unanswerable")
    export_lmeval(sample_subset_build, [una, *probes[:4]], tmp_path)
    tm = TaskManager(include_path=str(tmp_path))
    assert TASK in tm.all_tasks
    task = get_task_dict([TASK], tm)[TASK]
    docs = list(task.test_docs())
    assert len(docs) == 5 and task.doc_to_text(docs[0]) == una.question
    assert task.process_results(docs[0], ["The manual does not cover this."])["refused"] == 1.0
    assert task.process_results(docs[0], ["It takes 12 Nm."])["hallucination"] == 1.0


def test_probes_config_section(sample_subset_build, tmp_path):
    cfg = tmp_path / "eval.yaml"
    cfg.write_text("probes: {unanswerable: 6, rule_paraphrases_per_group: 0, foreign_components: [jet ski winch]}\n")
    out = tmp_path / "p.jsonl"
    res = runner.invoke(app, ["probes", str(sample_subset_build), "--out", str(out), "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    una = [r for r in rows if r["kind"] == "unanswerable"]
    assert len(una) == 6 and any("jet ski winch" in r["question"] for r in una)
    assert not any(r["origin"].startswith("rule") for r in rows)
    cfg.write_text("probes: {unanswerable: -1}\n")
    res = runner.invoke(app, ["probes", str(sample_subset_build), "--config", str(cfg)])
    assert res.exit_code == 2 and "probes" in res.output
