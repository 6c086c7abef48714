"""CLI of the training family: train --max-steps, sweep, runs (json/csv/html, show, note), errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from manualtune.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def swept(tmp_path_factory, build_dir, fast_sets):
    runs = tmp_path_factory.mktemp("sweep-runs")
    sets = fast_sets
    res = _run("sweep", "--build", str(build_dir), "--preset", "tiny-cpu", "--runs-dir", str(runs),
               "--max-steps", "2", "--set", "lora.r=2,4", *sets, "--hypothesis", "rank matters")
    assert res.exit_code == 0, res.output
    return runs


def test_sweep_over_two_ranks_makes_two_runs_listed_by_runs_json(swept):
    res = _run("runs", "--runs-dir", str(swept), "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["runs"]) == 2
    assert sorted(r["r"] for r in data["runs"]) == [2, 4]
    for col in ("run_id", "model", "r", "alpha", "lr", "epochs", "batch", "dataset", "task", "final_train_loss",
                "eval_loss", "eval_token_accuracy", "minutes", "tokens_per_s", "peak_memory_mb"):
        assert col in data["columns"], col
    for r in data["runs"]:
        assert r["status"] == "finished" and r["steps"] == 2 and r["final_train_loss"] > 0
        assert r["model"] == "tiny-random-llama" and r["task"] == "all"
    hyps = sorted(json.loads((swept / r["run_id"] / "run.json").read_text())["hypothesis"] for r in data["runs"])
    assert hyps == ["rank matters [lora.r=2]", "rank matters [lora.r=4]"]
    csv_lines = (swept / "runs.csv").read_text().splitlines()
    assert csv_lines[0].startswith("run_id,status,kind,model") and len(csv_lines) == 3
    html = (swept / "index.html").read_text()
    assert html.count("loss.png") == 2 and "<th>eval_loss</th>" in html


def test_runs_table_shows_eval_figures_of_the_newest_eval_file(swept):
    rid = sorted(p.name for p in swept.iterdir() if (p / "run.json").is_file())[0]
    eval_dir = swept / rid / "eval"
    eval_dir.mkdir()
    (eval_dir / "model-aaaa.json").write_text(json.dumps(
        {"system": "model", "probe_set": "aaaa", "exact_match": 0.25, "hallucination_rate": 0.5, "refusal_rate": 0.1}))
    res = _run("runs", "--runs-dir", str(swept), "--format", "json")
    row = next(r for r in json.loads(res.stdout)["runs"] if r["run_id"] == rid)
    assert (row["em_model"], row["halluc_model"], row["refusal_model"], row["probes_model"]) == (0.25, 0.5, 0.1, "aaaa")
    table = runner.invoke(app, ["runs", "--runs-dir", str(swept)], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "em_model" in table.stdout and "0.25" in table.stdout


def test_runs_note_and_show_write_the_experiment_log(swept):
    rid = sorted(p.name for p in swept.iterdir() if (p / "run.json").is_file())[1]
    res = _run("runs", "--runs-dir", str(swept), "note", rid[:18], "--learnings", "r=4 no better than r=2")
    assert res.exit_code == 0, res.output
    page = _run("runs", "--runs-dir", str(swept), "show", rid).stdout
    heads = ["## Hypothesis", "## Config", "## Training observations", "## Eval results", "## Learnings"]
    assert [page.index(h) for h in heads] == sorted(page.index(h) for h in heads)
    assert "rank matters [lora.r=4]" in page and "r=4 no better than r=2" in page
    assert "train loss" in page and "Sample outputs" in page and "expected:" in page


def test_train_cli_max_steps_and_print_config(tmp_path, build_dir, fast_sets):
    sets = fast_sets
    res = _run("train", "--build", str(build_dir), "--preset", "tiny-cpu", "--runs-dir", str(tmp_path),
               "--max-steps", "3", *sets, "--print-config")
    assert res.exit_code == 0 and "max_steps: 3" in res.stdout and not list(tmp_path.iterdir())
    res = _run("train", "--build", str(build_dir), "--preset", "tiny-cpu", "--runs-dir", str(tmp_path),
               "--max-steps", "3", "--task", "SPEC", *sets)
    assert res.exit_code == 0, res.output
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    rec = json.loads((run_dir / "run.json").read_text())
    assert rec["results"]["steps"] == 3 and rec["task"] == "SPEC" and "-spec-" in rec["run_id"]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--set", "lora.rank=4"], 2, "unknown config key 'lora.rank'"),
        (["--set", "lora.r=-1"], 2, "config key 'lora.r'"),
        (["--task", "WIRING2"], 2, "data.task 'WIRING2'"),
        (["--build", "/nonexistent"], 5, "no dataset export in '/nonexistent'"),
        (["--resume", "nope"], 5, "no run 'nope'"),
        (["--preset", "exp1-llama3.2-3b-r16"], 6, "needs a CUDA GPU"),
        (["--model", "/nonexistent/model"], 5, "model '/nonexistent/model' not found locally"),
        (["--model", "someone/not-downloaded-model"], 5, "model 'someone/not-downloaded-model' not found locally"),
    ],
)
def test_user_errors_are_one_line_with_exit_code(tmp_path, build_dir, args, code, needle):
    base = ["train", "--runs-dir", str(tmp_path)]
    if "--build" not in args:
        base += ["--build", str(build_dir)]
    if "--preset" not in args and "--resume" not in args:
        base += ["--preset", "tiny-cpu"]
    res = _run(*base, *args)
    assert res.exit_code == code, res.output
    text = " ".join(res.output.split())
    assert needle in text.split("error: ", 1)[1]
