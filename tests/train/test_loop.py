"""The training loop with tiny-cpu: loss falls, registry files, --max-steps, Ctrl-C + --resume."""

from __future__ import annotations

import json
import threading

from transformers import TrainerCallback

from manualtune.train.loop import train_run
from manualtune.train.registry import find_run, read_metrics, read_run

QUIET = {"log": lambda m: None, "progress": False}


def test_twenty_steps_on_a_fixed_batch_lower_the_loss(tmp_path, build_dir, tiny_config):
    cfg = tiny_config("data.max_train_examples=4", "training.batch_size=4", "training.lr=0.01",
                      "data.n_samples=0", "training.save_steps=100", max_steps=20)
    result = train_run(cfg, build_dir, tmp_path, **QUIET)
    losses = [m["loss"] for m in read_metrics(result.run_dir) if "loss" in m]
    assert result.status == "finished" and result.results["steps"] == 20 and len(losses) == 20
    assert losses[-1] < 0.9 * losses[0], losses
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5


def test_registry_folder_holds_every_listed_file(trained_run):
    run_dir = trained_run.run_dir
    for name in ("run.json", "metrics.jsonl", "samples.jsonl", "loss.png", "adapter/adapter_config.json",
                 "tokenizer/tokenizer_config.json", "base/config.json"):
        assert (run_dir / name).is_file(), name
    assert (run_dir / "adapter" / "adapter_model.safetensors").stat().st_size > 1000
    rec = read_run(run_dir)
    for key in ("run_id", "status", "created", "hypothesis", "learnings", "config", "dataset_fingerprint",
                "git_commit", "versions", "hardware", "results", "trainable_params", "supervision"):
        assert key in rec, key
    assert rec["status"] == "finished" and rec["hypothesis"] == "tiny baseline"
    assert rec["config"]["model"]["name_or_path"] == "tiny-random-llama" and rec["config"]["lora"]["r"] == 8
    assert rec["versions"]["trl"] == "1.16.0" and rec["hardware"]["cpu_count"] >= 1
    assert len(rec["dataset_fingerprint"]["files"]["train.jsonl"]) == 64
    assert rec["method_note"].startswith("plain LoRA") and rec["chat_template"] == "chatml"
    res = rec["results"]
    assert res["steps"] == 4 and res["tokens_per_s"] > 0 and res["peak_memory_mb"] > 0
    assert 0 < rec["trainable_params"] < rec["total_params"]
    metrics = read_metrics(run_dir)
    assert [m["step"] for m in metrics if "loss" in m] == [1, 2, 3, 4]
    assert any("eval_loss" in m and "eval_token_accuracy" in m for m in metrics)
    samples = [json.loads(line) for line in (run_dir / "samples.jsonl").read_text().splitlines()]
    assert len(samples) == 2 and all(s["expected"] and s["question"].startswith("[") for s in samples)
    assert len({s["task"] for s in samples}) == 2  # round-robin over tasks
    assert (run_dir / "loss.png").read_bytes()[:4] == b"\x89PNG"


class _SetAt(TrainerCallback):
    def __init__(self, event, step):
        self.event, self.step = event, step

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            self.event.set()


def test_interrupt_leaves_a_resumable_run_and_resume_finishes_it(tmp_path, build_dir, tiny_config):
    event = threading.Event()
    cfg = tiny_config("training.save_steps=100", "data.n_samples=0", max_steps=4)
    first = train_run(cfg, build_dir, tmp_path, interrupt=event, callbacks=[_SetAt(event, 2)], **QUIET)
    # the flag is seen at the end of the next step: checkpoint + stop there
    assert first.status == "interrupted" and first.results["steps"] == 3
    assert read_run(first.run_dir)["status"] == "interrupted"
    assert (first.run_dir / "checkpoints" / "checkpoint-3").is_dir()
    from typer.testing import CliRunner

    from manualtune.cli import app

    res = CliRunner().invoke(app, ["train", "--runs-dir", str(tmp_path), "--resume", first.run_id[:20],
                                   "--max-steps", "6"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    second = read_run(first.run_dir)
    assert second["status"] == "finished" and second["results"]["steps"] == 6
    steps = [m["step"] for m in read_metrics(first.run_dir) if "loss" in m]
    assert steps == [1, 2, 3, 4, 5, 6]  # resumed from step 3, not from zero
    assert read_run(find_run(tmp_path, first.run_id))["config"]["training"]["max_steps"] == 6


def test_eval_every_logs_probe_scores_with_the_evaluation_matcher(tmp_path, build_dir, tiny_config):
    cfg = tiny_config("training.eval_every=2", "data.eval_probes=3", "data.n_samples=0", max_steps=4)
    logged: list[str] = []
    result = train_run(cfg, build_dir, tmp_path, log=logged.append, progress=False)
    rows = [m for m in read_metrics(result.run_dir) if "probe_exact_match" in m]
    assert [m["step"] for m in rows] == [2, 4]
    for m in rows:
        assert m["probe_n"] == 3 and 0 <= m["probe_exact_match"] <= 1 and 0 <= m["hallucination_rate"] <= 1
    assert result.results["probe_exact_match"] == rows[-1]["probe_exact_match"]
    assert any("3 of 69 probes scored" in line for line in logged)


def test_eval_every_without_the_evaluation_package_says_so(tmp_path, build_dir, tiny_config, monkeypatch):
    import manualtune.train.callbacks as callbacks

    monkeypatch.setattr(callbacks, "probe_scorer", lambda: None)
    logged: list[str] = []
    cfg = tiny_config("training.eval_every=1", "data.n_samples=0", max_steps=1)
    result = train_run(cfg, build_dir, tmp_path, log=logged.append, progress=False)
    assert any("manualtune.evaluate is not installed" in line for line in logged)
    assert not [m for m in read_metrics(result.run_dir) if "probe_exact_match" in m]


def test_rich_progress_shows_step_loss_tokens_per_s_and_eta(tmp_path, build_dir, tiny_config):
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    cfg = tiny_config("data.n_samples=0", max_steps=2)
    train_run(cfg, build_dir, tmp_path, log=lambda m: None, console=console, progress=True)
    out = buf.getvalue()
    assert "2/2" in out and "loss 6." in out and "tok/s" in out and "ETA" in out


def test_trainer_arguments_follow_the_config(tmp_path, tiny_config):
    from manualtune.train.loop import _sft_config

    cfg = tiny_config("training.report_to=[tensorboard]", "training.gradient_accumulation=2",
                      "training.eval_steps=5", "training.max_length=128", max_steps=7)
    args = _sft_config(cfg, tmp_path, has_eval=True, use_cpu=True)
    assert (args.max_steps, args.gradient_accumulation_steps, args.max_length, args.report_to) == (
        7, 2, 128, ["tensorboard"])
    assert (args.eval_strategy, args.eval_steps, args.learning_rate, args.packing) == ("steps", 5, 5e-3, False)
    assert args.output_dir == str(tmp_path / "checkpoints")
    assert _sft_config(tiny_config(), tmp_path, has_eval=True, use_cpu=True).report_to == []
