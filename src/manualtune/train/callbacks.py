"""Trainer callbacks: metrics.jsonl, a Rich progress bar, Ctrl-C -> checkpoint + stop, probe scoring."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from transformers import TrainerCallback

from manualtune.train.registry import METRICS_FILE, append_jsonl

# Trainer log keys -> metrics.jsonl keys (the rest are kept as logged).
RENAMES = {"eval_mean_token_accuracy": "eval_token_accuracy", "mean_token_accuracy": "token_accuracy"}


class MetricsCallback(TrainerCallback):
    """Appends one JSON object per log event (``step``, ``loss`` or ``eval_loss``, ...)."""

    def __init__(self, run_dir: Path) -> None:
        self.path = Path(run_dir) / METRICS_FILE
        self.t0 = time.monotonic()

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or not state.is_world_process_zero:
            return
        row = {RENAMES.get(k, k): v for k, v in logs.items() if isinstance(v, int | float)}
        if "train_loss" in row or "train_runtime" in row:
            return  # the trainer's end-of-training summary: kept in run.json results instead
        row["step"] = state.global_step
        row["elapsed_s"] = round(time.monotonic() - self.t0, 2)
        append_jsonl(self.path, row)


class InterruptCallback(TrainerCallback):
    """When ``event`` is set (Ctrl-C), save a checkpoint at the end of the current step and stop."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self.interrupted_at: int | None = None

    def on_step_end(self, args, state, control, **kwargs):
        if self.event.is_set():
            control.should_save = True
            control.should_training_stop = True
            self.interrupted_at = state.global_step
        return control


class RichProgressCallback(TrainerCallback):
    """Step bar with loss, tokens/s and ETA (Rich), replacing the trainer's tqdm."""

    def __init__(self, console, disable: bool = False) -> None:
        self.console = console
        self.disable = disable
        self.progress = None
        self.task = None
        self.t0 = 0.0
        self.tokens = 0.0
        self.start_step = 0

    def on_train_begin(self, args, state, control, **kwargs):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]train"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TextColumn("{task.fields[tps]} tok/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=self.disable,
        )
        self.progress.start()
        self.task = self.progress.add_task("train", total=state.max_steps, completed=state.global_step,
                                           loss="-", tps="-")
        self.t0 = time.monotonic()
        self.start_step = state.global_step

    def on_step_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.update(self.task, completed=state.global_step)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if self.progress is None or not logs:
            return
        fields = {}
        if "loss" in logs:
            fields["loss"] = f"{logs['loss']:.3f}"
        if "num_tokens" in logs:
            self.tokens = float(logs["num_tokens"])
            fields["tps"] = f"{self.tokens / max(time.monotonic() - self.t0, 1e-6):.0f}"
        self.progress.update(self.task, **fields)

    def on_train_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


class ProbeEvalCallback(TrainerCallback):
    """Every ``every`` steps: generate answers to probes and log ``probe_exact_match`` / ``hallucination_rate``.

    Uses the evaluation side's ``manualtune.evaluate.matching.score_answer`` and
    ``manualtune.evaluate.probes.make_probes``; :func:`probe_scorer` returns None when they are not importable.
    """

    def __init__(self, every: int, probes: list, score_answer, tokenizer, run_dir: Path, max_new_tokens: int,
                 system_prompt: str | None, page_numbers: dict | None = None) -> None:
        self.page_numbers = page_numbers or {}
        self.every = every
        self.probes = probes
        self.score_answer = score_answer
        self.tokenizer = tokenizer
        self.path = Path(run_dir) / METRICS_FILE
        self.max_new_tokens = max_new_tokens
        self.system_prompt = system_prompt

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if not self.probes or state.global_step == 0 or state.global_step % self.every:
            return
        from manualtune.evaluate.runner import probe_user_turn
        from manualtune.train.inference import generate_answers

        was_training = model.training
        model.eval()
        answers = generate_answers(model, self.tokenizer, [probe_user_turn(p) for p in self.probes],
                                   max_new_tokens=self.max_new_tokens, system_prompt=self.system_prompt)
        if was_training:
            model.train()
        scores = [
            self.score_answer(p, a, self.page_numbers.get((p.source.file, p.source.page)) if p.source else None)
            for p, a in zip(self.probes, answers, strict=True)
        ]
        n = len(scores)
        append_jsonl(self.path, {
            "step": state.global_step,
            "probe_n": n,
            "probe_exact_match": sum(s.exact for s in scores) / n,
            "hallucination_rate": sum(bool(s.hallucinated) for s in scores) / n,
        })




def probe_scorer():
    """``(make_probes, score_answer, page_numbers)`` from the evaluation package, or None when it is not there.

    ``page_numbers(build_dir)`` (numbers printed on each source page, so they do not count as invented)
    is None when the evaluation package does not provide it.
    """
    try:
        from manualtune.evaluate.matching import score_answer
        from manualtune.evaluate.probes import make_probes
    except ImportError:
        return None
    try:
        from manualtune.evaluate.runner import page_numbers
    except ImportError:
        page_numbers = None
    return make_probes, score_answer, page_numbers
