"""One training run: data -> tokenizer/model -> supervision check -> TRL SFTTrainer + PEFT LoRA -> registry.

The loss is on the assistant answer only: :func:`manualtune.train.data.tokenize_rows` sets every prompt
label (system and user turns, template tokens) to -100, counts the supervised tokens of each example and
refuses to start when one has none; TRL's collator pads and keeps those labels. On CPU the run is
plain LoRA in fp32 and the log says so; 4-bit QLoRA needs CUDA. Ctrl-C saves a checkpoint at the end of the step and leaves a
run with status ``interrupted`` that ``--resume RUN_ID`` continues.
"""

from __future__ import annotations

import resource
import signal
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

from manualtune.cache import atomic_write_text
from manualtune.exceptions import ConfigError
from manualtune.train.config import TINY_MODEL, TrainConfig
from manualtune.train.data import (
    dataset_fingerprint,
    load_training_data,
    sample_rows,
    tokenize_rows,
)
from manualtune.train.registry import (
    SAMPLES_FILE,
    create_run,
    find_run,
    git_commit,
    hardware,
    new_run_id,
    package_versions,
    read_metrics,
    read_run,
    update_run,
)

Log = Callable[[str], None]


class RunResult(BaseModel):
    run_id: str
    run_dir: Path
    status: str
    results: dict


@contextmanager
def ctrl_c_sets(event: threading.Event):
    """First Ctrl-C sets ``event`` (checkpoint + stop after this step); a second one aborts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum, frame):
        if event.is_set():
            signal.signal(signal.SIGINT, previous)
            raise KeyboardInterrupt
        event.set()

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _sft_config(cfg: TrainConfig, run_dir: Path, has_eval: bool, use_cpu: bool):
    from trl import SFTConfig

    t = cfg.training
    eval_strategy = "steps" if has_eval and t.eval_steps else "no"
    return SFTConfig(
        output_dir=str(run_dir / "checkpoints"),
        num_train_epochs=t.epochs,
        max_steps=t.max_steps,
        per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.batch_size,
        gradient_accumulation_steps=t.gradient_accumulation,
        learning_rate=t.lr,
        lr_scheduler_type=t.scheduler,
        warmup_steps=t.warmup_ratio,
        weight_decay=t.weight_decay,
        optim=t.optim,
        max_length=t.max_length,
        packing=t.packing,
        gradient_checkpointing=t.gradient_checkpointing,
        use_liger_kernel=t.use_liger_kernel,
        bf16=t.bf16,
        seed=t.seed,
        data_seed=t.seed,
        logging_steps=t.logging_steps,
        logging_first_step=True,
        eval_strategy=eval_strategy,
        eval_steps=t.eval_steps or None,
        save_strategy="steps",
        save_steps=t.save_steps,
        save_total_limit=2,
        report_to=list(t.report_to) or "none",
        disable_tqdm=True,
        use_cpu=use_cpu,
        dataloader_num_workers=0,
    )


def _lora_config(cfg: TrainConfig):
    from peft import LoraConfig

    return LoraConfig(
        r=cfg.lora.r,
        lora_alpha=cfg.lora.alpha,
        lora_dropout=cfg.lora.dropout,
        target_modules=cfg.lora.target_modules,
        task_type="CAUSAL_LM",
    )


def _peak_memory_mb() -> float:
    import torch

    if torch.cuda.is_available():
        return round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def write_loss_png(run_dir: Path, metrics: list[dict], title: str) -> Path | None:
    """Train (and eval) loss against step as ``loss.png``; None when nothing was logged."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [(m["step"], m["loss"]) for m in metrics if "loss" in m]
    evals = [(m["step"], m["eval_loss"]) for m in metrics if "eval_loss" in m]
    if not train and not evals:
        return None
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100)
    if train:
        ax.plot(*zip(*train, strict=True), label="train loss")
    if evals:
        ax.plot(*zip(*evals, strict=True), "o-", label="val loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title, fontsize=8)
    ax.legend()
    fig.tight_layout()
    out = run_dir / "loss.png"
    fig.savefig(out, metadata={"Software": None})
    plt.close(fig)
    return out


def _summarise(metrics: list[dict]) -> dict:
    train = [m for m in metrics if "loss" in m]
    evals = [m for m in metrics if "eval_loss" in m]
    out: dict = {}
    if train:
        out["first_train_loss"] = train[0]["loss"]
        out["final_train_loss"] = train[-1]["loss"]
    if evals:
        out["eval_loss"] = evals[-1]["eval_loss"]
        if "eval_token_accuracy" in evals[-1]:
            out["eval_token_accuracy"] = evals[-1]["eval_token_accuracy"]
    probes = [m for m in metrics if "probe_exact_match" in m]
    if probes:
        out["probe_exact_match"] = probes[-1]["probe_exact_match"]
        out["hallucination_rate"] = probes[-1]["hallucination_rate"]
    return out


def train_run(
    cfg: TrainConfig | None,
    build_dir: Path,
    runs_dir: Path,
    *,
    hypothesis: str = "",
    resume: str | None = None,
    max_steps: int | None = None,
    log: Log = print,
    console=None,
    callbacks: Sequence = (),
    interrupt: threading.Event | None = None,
    progress: bool = True,
) -> RunResult:
    """Train one run (or resume ``resume``) and register everything under ``runs_dir/<run_id>/``.

    ``cfg`` is ignored when resuming (the run's own config is used, with ``max_steps`` if given).
    """
    import datasets
    import torch
    from datasets import Dataset
    from transformers.utils import logging as hf_logging
    from trl import SFTTrainer

    from manualtune.train.callbacks import (
        InterruptCallback,
        MetricsCallback,
        ProbeEvalCallback,
        RichProgressCallback,
        probe_scorer,
    )
    from manualtune.train.inference import generate_answers
    from manualtune.train.model import load_base_model, load_tokenizer, resolve_source, template_name

    datasets.disable_progress_bars()  # the Rich bar is the progress; map() / shard-writing bars are noise
    hf_logging.disable_progress_bar()
    build_dir, runs_dir = Path(build_dir), Path(runs_dir)
    if resume:
        run_dir = find_run(runs_dir, resume)
        rec = read_run(run_dir)
        if rec["status"] == "finished":
            raise ConfigError(f"run '{rec['run_id']}' is finished, there is nothing to resume",
                              "start a new run without --resume")
        cfg = TrainConfig.model_validate(rec["config"])  # a resumed run keeps its config ...
        if max_steps is not None:  # ... except the step budget, which --max-steps may extend
            cfg.training.max_steps = max_steps
            update_run(run_dir, config=cfg.model_dump(mode="json"))
        build_dir = Path(rec.get("build_dir", build_dir))
    if cfg is None:
        raise ConfigError("no config to train with", "pass --preset/--config/--model, or --resume RUN_ID")
    use_cpu = not torch.cuda.is_available()
    if cfg.model.load_in_4bit and use_cpu:
        from manualtune.exceptions import NoGPUError

        raise NoGPUError(f"preset '{cfg.preset or 'custom'}' (4-bit QLoRA through bitsandbytes)")
    data = load_training_data(build_dir, cfg.data)
    if cfg.method == "qlora":
        log("QLoRA: 4-bit NF4 base weights (bitsandbytes), bfloat16 compute, LoRA adapters trained")
    else:
        where = "CPU" if use_cpu else "GPU"
        log(f"plain LoRA on {where} ({cfg.model.dtype} base weights, no quantisation)")

    saved_tok = run_dir / "tokenizer" if resume else None
    tokenizer = load_tokenizer(cfg, data.train, saved=saved_tok)
    train_tok, supervision = tokenize_rows(tokenizer, data.train, cfg.training.max_length)
    if supervision.prompt_not_prefix:
        log(f"note: for {supervision.prompt_not_prefix} examples the rendered prompt is not a token prefix of "
            "prompt + answer; the answer starts where they diverge")
    train_ds = Dataset.from_list(train_tok)
    eval_ds = Dataset.from_list(tokenize_rows(tokenizer, data.val, cfg.training.max_length)[0]) if data.val else None
    log(f"loading model {cfg.model.name_or_path or cfg.model.gguf_package} ...")
    t_load = time.monotonic()
    model = load_base_model(cfg, tokenizer, saved_base=(run_dir / "base") if resume else None)
    load_s = round(time.monotonic() - t_load, 1)
    if cfg.method == "qlora":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=cfg.training.gradient_checkpointing)

    system_prompt = next((m["content"] for m in data.train[0]["prompt"] if m["role"] == "system"), None)
    if not resume:
        label = cfg.preset or Path(cfg.model.name_or_path or "model").name
        run_id = new_run_id(label + (f"-{cfg.data.task.lower()}" if cfg.data.task else ""), cfg.model_dump())
        run_dir = create_run(runs_dir, run_id, {
            "kind": "train",
            "hypothesis": hypothesis,
            "config": cfg.model_dump(mode="json"),
            "task": cfg.data.task,
            "build_dir": str(build_dir.resolve()),
            "dataset_fingerprint": dataset_fingerprint(build_dir),
            "git_commit": git_commit(),
            "versions": package_versions(),
            "hardware": hardware(),
            "system_prompt": system_prompt,
            "model_source": None if cfg.model.name_or_path == TINY_MODEL
            else dict(zip(("name_or_path", "gguf_file"), resolve_source(cfg.model), strict=True)),
            "chat_template": template_name(cfg, tokenizer),
            "method_note": "4-bit QLoRA (bitsandbytes NF4)" if cfg.method == "qlora"
            else f"plain LoRA, {cfg.model.dtype}, {'CPU' if use_cpu else 'GPU'}",
        })
        tokenizer.save_pretrained(str(run_dir / "tokenizer"))
        if cfg.model.name_or_path == TINY_MODEL:
            model.save_pretrained(str(run_dir / "base"))  # random weights: the adapter needs these exact ones
    run_id = run_dir.name
    event = interrupt or threading.Event()
    interrupt_cb = InterruptCallback(event)
    cbs = [MetricsCallback(run_dir), interrupt_cb, *callbacks]
    if progress:
        cbs.append(RichProgressCallback(console, disable=console is None))
    if cfg.training.eval_every:
        scorer = probe_scorer()
        if scorer is None:
            log("--eval-every: manualtune.evaluate is not installed, probe scores are not logged")
        else:
            make_probes, score_answer, page_numbers = scorer
            all_probes = make_probes(build_dir)
            step = max(1, len(all_probes) // cfg.data.eval_probes)  # spread over kinds and tasks
            probes = all_probes[::step][: cfg.data.eval_probes]
            log(f"--eval-every {cfg.training.eval_every}: {len(probes)} of {len(all_probes)} probes scored")
            cbs.append(ProbeEvalCallback(cfg.training.eval_every, probes, score_answer, tokenizer, run_dir,
                                         cfg.data.sample_max_new_tokens, system_prompt,
                                         page_numbers(build_dir) if page_numbers else None))

    try:
        trainer = SFTTrainer(
            model=model,
            args=_sft_config(cfg, run_dir, eval_ds is not None, use_cpu),
            train_dataset=train_ds,
            eval_dataset=eval_ds,
            processing_class=tokenizer,
            peft_config=_lora_config(cfg),
            callbacks=cbs,
        )
        from transformers.trainer_callback import PrinterCallback

        trainer.remove_callback(PrinterCallback)  # the Rich bar shows the loss; metrics.jsonl keeps every log
        trainable, total = trainer.model.get_nb_trainable_parameters()
        log(f"{supervision.examples} examples, {supervision.supervised_tokens} supervised tokens "
            f"of {supervision.total_tokens} (min {supervision.min_supervised} per example); "
            f"{trainable:,} trainable parameters of {total:,}")
        update_run(run_dir, supervision=supervision.model_dump(), trainable_params=trainable, total_params=total)
        checkpoint = None
        if resume:
            ckpts = sorted((run_dir / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
            checkpoint = str(ckpts[-1]) if ckpts else None
            log(f"resuming {run_id} from {Path(checkpoint).name if checkpoint else 'the start (no checkpoint)'}")
        t0 = time.monotonic()
        with ctrl_c_sets(event):
            out = trainer.train(resume_from_checkpoint=checkpoint)
        train_s = time.monotonic() - t0
        interrupted = event.is_set()
        evaluated = [m.get("step") for m in read_metrics(run_dir) if "eval_loss" in m]
        if eval_ds is not None and not interrupted and (not evaluated or evaluated[-1] != trainer.state.global_step):
            trainer.evaluate()
    except KeyboardInterrupt:
        update_run(run_dir, status="interrupted")
        raise
    except Exception as e:
        update_run(run_dir, status="failed", error=f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise

    trainer.model.save_pretrained(str(run_dir / "adapter"))
    metrics = read_metrics(run_dir)
    tokens = next((m["num_tokens"] for m in reversed(metrics) if "num_tokens" in m), None)
    prev = read_run(run_dir).get("results", {})
    wall = round(train_s + prev.get("train_s", 0.0), 1) if resume else round(train_s, 1)
    results = {
        **_summarise(metrics),
        "steps": trainer.state.global_step,
        "train_s": wall,
        "minutes": round(wall / 60, 2),
        "model_load_s": load_s,
        "tokens": tokens,
        "tokens_per_s": round(tokens / wall, 1) if tokens and wall else None,
        "peak_memory_mb": _peak_memory_mb(),
        "train_loss_mean": round(out.training_loss, 4),
    }
    status = "interrupted" if interrupted else "finished"
    if not interrupted and cfg.data.n_samples:
        rows = sample_rows(data.val or data.train, cfg.data.n_samples)
        questions = [next(m["content"] for m in r["prompt"] if m["role"] == "user") for r in rows]
        trainer.model.eval()
        answers = generate_answers(trainer.model, tokenizer, questions,
                                   max_new_tokens=cfg.data.sample_max_new_tokens, system_prompt=system_prompt)
        from manualtune.train.registry import write_jsonl_rows

        write_jsonl_rows(run_dir / SAMPLES_FILE, [
            {"example_id": r.get("example_id"), "task": r.get("task"), "question": q,
             "expected": r["completion"][0]["content"], "answer": a}
            for r, q, a in zip(rows, questions, answers, strict=True)
        ])
    write_loss_png(run_dir, metrics, run_id)
    update_run(run_dir, status=status, results=results)
    atomic_write_text(runs_dir / "LATEST", run_id + "\n")  # for scripts: the newest run of this registry
    return RunResult(run_id=run_id, run_dir=run_dir, status=status, results=results)
