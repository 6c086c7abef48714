"""Configuration of the export stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_SYSTEM_PROMPT = (
    "You are a workshop assistant for the vehicle service manual this dataset was built from. Answer from the manual only: "
    "give specifications with their units and conditions, procedures as numbered steps, and say so "
    "when the manual does not cover the question."
)
DEFAULT_AUTOTRAIN_TEMPLATE = "User: [{task}] {question}\nAssistant: {answer}"


class AutoTrainParams(BaseModel):
    """AutoTrain Advanced ``llm-sft`` settings written to ``autotrain.yml`` (keys as AutoTrain names them)."""

    model_config = ConfigDict(extra="forbid")

    base_model: str = "meta-llama/Llama-3.2-3B-Instruct"
    project_name: str = "manualtune-e30-sft"
    data_path: str = Field(default=".", description="folder with autotrain_train/val.jsonl, relative to where autotrain runs")
    chat_template: Literal["none", "tokenizer", "chatml", "zephyr"] = Field(
        default="none", description="'none': the text column is already formatted by the template"
    )
    block_size: int = 1024
    model_max_length: int = 2048
    epochs: int = 3
    batch_size: int = 2
    gradient_accumulation: int = 4
    lr: float = 2e-4
    peft: bool = True
    quantization: Literal["int4", "int8", "none"] = "int4"
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    target_modules: str = "all-linear"
    padding: Literal["left", "right"] = "right"
    optimizer: str = "adamw_torch"
    scheduler: str = "linear"
    mixed_precision: Literal["fp16", "bf16", "none"] = "bf16"
    merge_adapter: bool = True
    seed: int = 42
    push_to_hub: bool = False


class ExportConfig(BaseModel):
    """How the dataset files (chat JSONL, AutoTrain text, ``hf/`` DatasetDict + card) are written."""

    model_config = ConfigDict(extra="forbid")

    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    user_template: str = Field(default="[{task}] {question}", description="user turn; {task} and {question}")
    autotrain_template: str = DEFAULT_AUTOTRAIN_TEMPLATE
    autotrain: AutoTrainParams = Field(default_factory=AutoTrainParams)
    write_hf: bool = Field(default=True, description="write hf/ (datasets.save_to_disk) and its README.md card")
    dataset_name: str = "Service manual instructions (built with manualtune)"
    license: str | None = Field(
        default=None, description="license id for the card; None writes 'license: other' with a TODO for you"
    )
    source_description: str = "scanned BMW E30 M3 / 320is factory service manual pages"

    @field_validator("autotrain_template")
    @classmethod
    def _template_has_fields(cls, v: str) -> str:
        for key in ("{question}", "{answer}"):
            if v.count(key) != 1:
                raise ValueError(f"autotrain_template must contain {key} exactly once")
        if v.count("{task}") > 1:
            raise ValueError("autotrain_template may contain {task} at most once")
        if v.index("{question}") > v.index("{answer}"):
            raise ValueError("autotrain_template must put {question} before {answer}")
        return v

    @field_validator("user_template")
    @classmethod
    def _user_has_question(cls, v: str) -> str:
        if v.count("{question}") != 1:
            raise ValueError("user_template must contain {question} exactly once")
        return v
