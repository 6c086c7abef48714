"""Row formats: HF chat messages, the AutoTrain ``text`` column (and its parser), ``autotrain.yml``."""

from __future__ import annotations

import re

import yaml

from manualtune.export.config import DEFAULT_AUTOTRAIN_TEMPLATE, AutoTrainParams, ExportConfig
from manualtune.records import Example

_PLACEHOLDER = re.compile(r"\{(task|question|answer)\}")

AUTOTRAIN_TRAIN_SPLIT = "autotrain_train"
AUTOTRAIN_VALID_SPLIT = "autotrain_val"
AUTOTRAIN_LOSS_NOTE = (
    "NOTE: llm-sft trains on the whole text column (loss on the question too, not the answer only) and "
    "packs rows into block_size; for loss on the answer only, train TRL's SFTTrainer on "
    "train_prompt_completion.jsonl / val_prompt_completion.jsonl (completion-only loss)"
)
PROMPT_COMPLETION_FILES = {"train": "train_prompt_completion.jsonl", "val": "val_prompt_completion.jsonl"}


def fill_template(template: str, **values: str) -> str:
    """Replace ``{task}``/``{question}``/``{answer}`` in one pass (values may contain braces)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def user_content(example: Example, cfg: ExportConfig) -> str:
    """The user turn, e.g. ``[SPEC] What is the torque for …?``."""
    return fill_template(cfg.user_template, task=example.task, question=example.question.strip())


def chat_row(example: Example, cfg: ExportConfig) -> dict:
    """One HF chat-format row: system/user/assistant messages plus task, example id and group id."""
    return {
        "messages": [
            {"role": "system", "content": cfg.system_prompt},
            {"role": "user", "content": user_content(example, cfg)},
            {"role": "assistant", "content": example.answer.strip()},
        ],
        "task": example.task,
        "example_id": example.example_id,
        "group_id": example.group_id,
    }


def to_prompt_completion(row: dict) -> dict:
    """Chat row -> TRL prompt/completion row: every turn before the last assistant turn is the prompt.

    ``{"prompt": [system, user], "completion": [assistant], ...}``; TRL's ``SFTTrainer`` trains it with
    the loss on the completion only (``completion_only_loss``), unlike AutoTrain's ``text`` column.
    Other keys (task, example_id, group_id) are kept.
    """
    messages = row["messages"]
    last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=None)
    if last is None or last == 0:
        raise ValueError("a chat row needs a prompt and an assistant turn")
    out = {k: v for k, v in row.items() if k != "messages"}
    out["prompt"] = messages[:last]
    out["completion"] = messages[last:]
    return out


def _template_regex(template: str) -> re.Pattern[str]:
    """Regex of a template: literals escaped, the last field greedy, earlier fields lazy."""
    parts = _PLACEHOLDER.split(template)  # literal, name, literal, name, ..., literal
    last_field = len(parts) - 2
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else (f"(?P<{part}>.*)" if i == last_field else f"(?P<{part}>.*?)")
        for i, part in enumerate(parts)
    )
    return re.compile(pattern, re.DOTALL)


def parse_autotrain_text(text: str, template: str = DEFAULT_AUTOTRAIN_TEMPLATE) -> tuple[str, str, str]:
    """Inverse of :func:`render_autotrain_text`: ``(task, question, answer)``; task is '' if not templated.

    Raises ``ValueError`` when ``text`` does not follow ``template``.
    """
    m = _template_regex(template).fullmatch(text)
    if m is None:
        raise ValueError("text does not match the AutoTrain template")
    groups = m.groupdict()
    return groups.get("task") or "", groups["question"], groups["answer"]


def render_autotrain_text(
    task: str, question: str, answer: str, template: str = DEFAULT_AUTOTRAIN_TEMPLATE
) -> tuple[str, bool]:
    """Fill the AutoTrain template; returns ``(text, round_trips)``.

    When the question contains the template's separator (so the text would not parse back),
    its whitespace is collapsed first; ``round_trips`` says whether the result parses back exactly.
    """
    question, answer = question.strip(), answer.strip()
    text = fill_template(template, task=task, question=question, answer=answer)
    try:
        if parse_autotrain_text(text, template) == (task if "{task}" in template else "", question, answer):
            return text, True
    except ValueError:
        pass
    question = " ".join(question.split())
    text = fill_template(template, task=task, question=question, answer=answer)
    try:
        ok = parse_autotrain_text(text, template) == (task if "{task}" in template else "", question, answer)
    except ValueError:
        ok = False
    return text, ok


def autotrain_config(params: AutoTrainParams) -> dict:
    """AutoTrain Advanced config (``autotrain --config autotrain.yml``) for ``llm-sft`` on local JSONL.

    Keys follow AutoTrain's config parser: ``task``, ``base_model``, ``project_name``, ``log``,
    ``backend``, ``data`` (``path``, ``train_split``, ``valid_split``, ``chat_template``,
    ``column_mapping.text_column``), ``params`` (LLMTrainingParams) and ``hub``. With a local
    ``data.path``, AutoTrain reads ``<path>/<train_split>.jsonl``.
    """

    def none_if(value: str) -> str | None:
        return None if value == "none" else value

    return {
        "task": "llm-sft",
        "base_model": params.base_model,
        "project_name": params.project_name,
        "log": "tensorboard",
        "backend": "local",
        "data": {
            "path": params.data_path,
            "train_split": AUTOTRAIN_TRAIN_SPLIT,
            "valid_split": AUTOTRAIN_VALID_SPLIT,
            "chat_template": none_if(params.chat_template),
            "column_mapping": {"text_column": "text"},
        },
        "params": {
            "block_size": params.block_size,
            "model_max_length": params.model_max_length,
            "epochs": params.epochs,
            "batch_size": params.batch_size,
            "gradient_accumulation": params.gradient_accumulation,
            "lr": params.lr,
            "peft": params.peft,
            "quantization": none_if(params.quantization),
            "lora_r": params.lora_r,
            "lora_alpha": params.lora_alpha,
            "lora_dropout": params.lora_dropout,
            "target_modules": params.target_modules,
            "padding": params.padding,
            "optimizer": params.optimizer,
            "scheduler": params.scheduler,
            "mixed_precision": none_if(params.mixed_precision),
            "merge_adapter": params.merge_adapter,
            "seed": params.seed,
        },
        "hub": {"username": "${HF_USERNAME}", "token": "${HF_TOKEN}", "push_to_hub": params.push_to_hub},
    }


def autotrain_yaml(params: AutoTrainParams) -> str:
    """``autotrain.yml`` text (fixed key order, a header comment that says how to run it)."""
    header = (
        "# AutoTrain Advanced config written by manualtune (llm-sft, LoRA on a 4-bit base model).\n"
        "# Run from the folder that holds autotrain_train.jsonl / autotrain_val.jsonl:\n"
        "#   pip install autotrain-advanced && autotrain --config autotrain.yml\n"
        "# base_model is a placeholder: pick a model whose licence you accept.\n"
        f"# {AUTOTRAIN_LOSS_NOTE}\n"
    )
    return header + yaml.safe_dump(autotrain_config(params), sort_keys=False, allow_unicode=True)
