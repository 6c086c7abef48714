"""Throughput of manualtune's training path against plain TRL ``SFTTrainer`` defaults (issue 12).

Both sides train the same randomly initialised model (built from a config: Llama-3.2-3B or
Llama-3.1-8B shapes, no weights needed for speed), on the same rows of a manualtune dataset export,
for the same number of optimizer steps with the same LoRA settings (r16, alpha 32, lr 2e-4):

- ``manualtune``: ``manualtune.train.loop.train_run`` with the GPU preset's settings (4-bit NF4
  QLoRA through bitsandbytes on CUDA, bf16 compute, gradient checkpointing, Liger kernels when
  ``liger_kernel`` imports; plain LoRA on CPU);
- ``trl-defaults``: ``SFTTrainer(model=<folder>, args=SFTConfig(<defaults> + steps/batch/lr),
  peft_config=<same LoRA>)`` on the prompt/completion rows.

Reported per shape and side: tokens/s (input tokens the trainer counted / train wall time), peak GPU
memory, final loss (mean of the last 5 logged losses) and the tokens/s ratio. Results go to
``benchmarks/results/gpu-<date>.json`` and ``.md``. ``--dry-run`` does the same on CPU with a tiny
shape in seconds (tested by ``tests/train/test_gpu_bench.py``).

    python benchmarks/gpu_train.py --build build --shapes llama-3.2-3b llama-3.1-8b --steps 30
    python benchmarks/gpu_train.py --dry-run --build tests/train/resources/build --out /tmp/bench
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

SHAPES: dict[str, dict] = {
    # From the published config.json of each model (architecture only; weights are random).
    "llama-3.2-3b": {"hidden_size": 3072, "intermediate_size": 8192, "num_hidden_layers": 28,
                     "num_attention_heads": 24, "num_key_value_heads": 8, "vocab_size": 128256,
                     "rope_theta": 500000.0, "tie_word_embeddings": True, "max_position_embeddings": 131072},
    "llama-3.1-8b": {"hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
                     "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
                     "rope_theta": 500000.0, "tie_word_embeddings": False, "max_position_embeddings": 131072},
    "tiny": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "vocab_size": 2048, "tie_word_embeddings": True,
             "max_position_embeddings": 2048},
}


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def make_random_model(shape: str, tokenizer, folder: Path, dtype) -> Path:
    """Save a randomly initialised Llama of ``shape`` (+ the tokenizer) to ``folder``."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    spec = dict(SHAPES[shape])
    spec["vocab_size"] = max(spec["vocab_size"], len(tokenizer))
    config = LlamaConfig(**spec, pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id)
    torch.manual_seed(0)
    default = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # initialise in the target dtype: an 8B in fp32 would be 32 GB
    try:
        with torch.device("cuda" if _cuda() else "cpu"):
            model = LlamaForCausalLM(config)
    finally:
        torch.set_default_dtype(default)
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    del model
    if _cuda():
        torch.cuda.empty_cache()
    return folder


def _final_loss(losses: list[float]) -> float | None:
    tail = losses[-5:]
    return round(sum(tail) / len(tail), 4) if tail else None


def _peak_gb() -> float | None:
    import torch

    return round(torch.cuda.max_memory_allocated() / 2**30, 2) if torch.cuda.is_available() else None


def _reset_peak() -> None:
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def run_manualtune(folder: Path, build: Path, steps: int, batch: int, max_length: int, work: Path) -> dict:
    from manualtune.train.config import resolve_config
    from manualtune.train.loop import train_run
    from manualtune.train.registry import read_metrics

    cuda = _cuda()
    sets = [f"training.batch_size={batch}", f"training.max_length={max_length}", "data.n_samples=0",
            "data.max_val_examples=1", f"training.save_steps={steps * 10}", "training.logging_steps=1",
            "training.eval_steps=0", "training.warmup_ratio=0.0"]
    if cuda:
        preset = "exp1-llama3.2-3b-r16"
        if importlib.util.find_spec("liger_kernel") is not None:
            sets.append("training.use_liger_kernel=true")
    else:
        preset = "tiny-cpu"
        sets += ["lora.r=16", "lora.alpha=32", "lora.dropout=0.05", "training.lr=0.0002"]
    cfg = resolve_config(preset, sets=sets, model=str(folder), max_steps=steps)
    _reset_peak()
    result = train_run(cfg, build, work / "runs", hypothesis="gpu_train benchmark", log=lambda m: None,
                       progress=False)
    losses = [m["loss"] for m in read_metrics(result.run_dir) if "loss" in m]
    return {
        "method": cfg.method,
        "settings": {"preset": preset, "gradient_checkpointing": cfg.training.gradient_checkpointing,
                     "bf16": cfg.training.bf16, "optim": cfg.training.optim, "packing": cfg.training.packing,
                     "use_liger_kernel": cfg.training.use_liger_kernel},
        "steps": result.results["steps"],
        "train_s": result.results["train_s"],
        "tokens": result.results["tokens"],
        "tokens_per_s": result.results["tokens_per_s"],
        "peak_gpu_gb": _peak_gb(),
        "final_loss": _final_loss(losses),
        "losses": [round(v, 4) for v in losses],
    }


def run_trl_defaults(folder: Path, build: Path, steps: int, batch: int, work: Path) -> dict:
    """Plain TRL: SFTConfig defaults except steps / batch / lr / logging; the same LoRA config."""
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from manualtune.export.formats import to_prompt_completion
    from manualtune.train.data import read_rows

    rows = [to_prompt_completion(r) for r in read_rows(build / "dataset" / "train.jsonl")]
    tok = AutoTokenizer.from_pretrained(str(folder))
    args = SFTConfig(output_dir=str(work / "trl"), max_steps=steps, per_device_train_batch_size=batch,
                     learning_rate=2e-4, logging_steps=1, save_strategy="no", report_to="none",
                     disable_tqdm=True, use_cpu=not _cuda())
    peft = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM")
    _reset_peak()
    trainer = SFTTrainer(model=str(folder), args=args, train_dataset=Dataset.from_list(rows),
                         processing_class=tok, peft_config=peft)
    t0 = time.monotonic()
    trainer.train()
    wall = time.monotonic() - t0
    logs = trainer.state.log_history
    losses = [h["loss"] for h in logs if "loss" in h]
    tokens = next((h["num_tokens"] for h in reversed(logs) if "num_tokens" in h), None)
    out = {
        "method": "lora (TRL defaults: model dtype as saved, no quantisation, no gradient checkpointing)",
        "settings": {"bf16": args.bf16, "optim": str(args.optim), "packing": args.packing,
                     "gradient_checkpointing": args.gradient_checkpointing},
        "steps": trainer.state.global_step,
        "train_s": round(wall, 1),
        "tokens": tokens,
        "tokens_per_s": round(tokens / wall, 1) if tokens else None,
        "peak_gpu_gb": _peak_gb(),
        "final_loss": _final_loss(losses),
        "losses": [round(v, 4) for v in losses],
    }
    del trainer
    return out


def bench_shape(shape: str, build: Path, steps: int, batch: int, max_length: int, keep: Path | None) -> dict:
    import torch

    from manualtune.train.config import DataSettings
    from manualtune.train.data import load_training_data
    from manualtune.train.model import train_tiny_tokenizer

    data = load_training_data(build, DataSettings(max_val_examples=None))
    texts = [m["content"] for r in data.train for m in r["prompt"] + r["completion"]]
    tokenizer = train_tiny_tokenizer(texts, 4000 if shape != "tiny" else 800)
    work = Path(tempfile.mkdtemp(prefix=f"gpu-bench-{shape}-", dir=keep))
    dtype = torch.bfloat16 if _cuda() else torch.float32
    entry: dict = {"shape": shape, "config": SHAPES[shape], "steps": steps, "batch": batch,
                   "max_length": max_length, "train_rows": len(data.train)}
    try:
        folder = make_random_model(shape, tokenizer, work / "model", dtype)
        for side, fn in (("manualtune", lambda: run_manualtune(folder, build, steps, batch, max_length, work)),
                         ("trl_defaults", lambda: run_trl_defaults(folder, build, steps, batch, work))):
            try:
                entry[side] = fn()
            except Exception as e:  # noqa: BLE001 - a failing side is reported with its error, the other still runs
                entry[side] = {"error": f"{type(e).__name__}: {str(e)[:400]}"}
        a, b = entry["manualtune"].get("tokens_per_s"), entry["trl_defaults"].get("tokens_per_s")
        entry["speed_ratio"] = round(a / b, 3) if a and b else None
        ma, mb = entry["manualtune"].get("peak_gpu_gb"), entry["trl_defaults"].get("peak_gpu_gb")
        entry["memory_ratio"] = round(ma / mb, 3) if ma and mb else None
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return entry


def device_info() -> dict:
    import torch

    info = {"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda,
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}
    for name in ("transformers", "trl", "peft", "bitsandbytes", "liger_kernel", "datasets"):
        try:
            from importlib import metadata

            info[name] = metadata.version(name.replace("_", "-"))
        except Exception:  # noqa: BLE001 - not installed
            info[name] = None
    return info


def markdown(report: dict) -> str:
    lines = [f"# GPU training throughput ({report['date']})", "",
             f"Device: {report['device'].get('gpu') or 'CPU (dry run)'}; torch {report['device']['torch']}, "
             f"transformers {report['device'].get('transformers')}, trl {report['device'].get('trl')}, "
             f"bitsandbytes {report['device'].get('bitsandbytes')}.", "",
             f"Command: `{report['command']}`", "",
             "| shape | side | method | steps | tokens/s | peak GPU GB | final loss |", "|---|---|---|---:|---:|---:|---:|"]
    for e in report["results"]:
        for side in ("manualtune", "trl_defaults"):
            s = e.get(side, {})
            if "error" in s:
                lines.append(f"| {e['shape']} | {side} | error: {s['error'][:80]} | | | | |")
            else:
                lines.append(f"| {e['shape']} | {side} | {s.get('method')} | {s.get('steps')} | "
                             f"{s.get('tokens_per_s')} | {s.get('peak_gpu_gb')} | {s.get('final_loss')} |")
        lines.append(f"| {e['shape']} | ratio | manualtune / TRL defaults | | {e.get('speed_ratio')} | "
                     f"{e.get('memory_ratio')} | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=Path, default=Path("build"), help="build folder with dataset/train.jsonl")
    ap.add_argument("--shapes", nargs="+", default=["llama-3.2-3b", "llama-3.1-8b"], choices=sorted(SHAPES))
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--max-length", type=int, default=1024)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--keep", type=Path, default=None, help="keep the random models and runs under this folder")
    ap.add_argument("--dry-run", action="store_true", help="tiny shape on CPU, 3 steps (checks the script)")
    args = ap.parse_args(argv)
    if args.dry_run:
        args.shapes, args.steps, args.batch, args.max_length = ["tiny"], 3, 2, 256
    elif not _cuda():
        print("no CUDA GPU visible: run with --dry-run on CPU, or on a GPU machine (benchmarks/gpu/run.sh)",
              file=sys.stderr)
        return 6
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    report = {"date": date, "dry_run": args.dry_run, "device": device_info(),
              "command": "python benchmarks/gpu_train.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "results": []}
    for shape in args.shapes:
        print(f"benchmarking {shape} ...", file=sys.stderr, flush=True)
        report["results"].append(bench_shape(shape, args.build, args.steps, args.batch, args.max_length, args.keep))
        args.out.mkdir(parents=True, exist_ok=True)
        stem = f"gpu-{date}" + ("-dry-run" if args.dry_run else "")
        (args.out / f"{stem}.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
        (args.out / f"{stem}.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
