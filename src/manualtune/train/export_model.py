"""``manualtune export-model``: a run's adapter alone, or merged into the base weights.

The output folder loads with ``transformers`` (``AutoModelForCausalLM.from_pretrained``; the adapter
alone with ``peft.AutoPeftModelForCausalLM``) and holds the tokenizer with the training chat template.
A merged folder converts to GGUF with llama.cpp's ``convert_hf_to_gguf.py`` (see the README ("Fine-tuning")).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from manualtune.exceptions import BadAdapterError, ConfigError
from manualtune.train.registry import read_run, write_json


def export_model(run_dir: Path, out: Path, merge: bool = False) -> Path:
    from manualtune.train.inference import load_adapter_model

    rec = read_run(run_dir)
    if rec.get("kind") == "router":
        raise ConfigError("a router run has no single adapter to export", "export each routed run instead")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"output folder {out} is not empty", "pass an empty or new --out folder")
    out.mkdir(parents=True, exist_ok=True)
    model, tokenizer, cfg = load_adapter_model(run_dir, device="cpu")
    if merge:
        if cfg.model.load_in_4bit:
            raise BadAdapterError("merging into 4-bit weights is lossy",
                                  "retrain or load the base in bf16 (--set model.load_in_4bit=false) to merge")
        merged = model.merge_and_unload()
        merged.save_pretrained(str(out))
    else:
        adapter = Path(run_dir) / "adapter"
        for p in sorted(adapter.rglob("*")):
            if p.is_file():
                dest = out / p.relative_to(adapter)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, dest)
        if (Path(run_dir) / "base").is_dir():  # a tiny run's random base travels with its adapter
            shutil.copytree(Path(run_dir) / "base", out / "base")
    tokenizer.save_pretrained(str(out))
    write_json(out / "manualtune_export.json", {
        "run_id": rec["run_id"], "merged": merge, "base_model": cfg.model.model_dump(mode="json"),
        "chat_template": rec.get("chat_template"), "system_prompt": rec.get("system_prompt"),
    })
    return out
