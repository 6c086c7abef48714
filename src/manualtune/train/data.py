"""The training data: the build's chat exports as TRL prompt/completion rows, and their supervision.

Rows come from ``BUILD/dataset/{train,val}.jsonl`` (``{"messages": [system, user, assistant]}``)
and are turned into ``{"prompt": [system, user], "completion": [assistant]}`` with the shared
:func:`manualtune.export.formats.to_prompt_completion`. :func:`tokenize_rows` tokenises them with the
chat template the way TRL tokenises prompt/completion rows (labels -100 on the prompt, the answer
kept) and counts the supervised tokens of every example; an example with none stops the run
(:class:`NoSupervisedTokensError`) instead of being dropped silently. The trainer gets the
tokenised rows (``input_ids`` + ``labels``) and uses those labels as they are.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from manualtune.exceptions import BuildNotFoundError, ConfigError, NoSupervisedTokensError
from manualtune.export.formats import to_prompt_completion
from manualtune.train.config import DataSettings

FINGERPRINT_FILES = ("train.jsonl", "val.jsonl", "test.jsonl", "val_synthetic.jsonl")


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class TrainingData(BaseModel):
    train: list[dict]
    val: list[dict]
    tasks: dict[str, int] = Field(description="task -> train rows (before the task filter)")


def load_training_data(build_dir: Path, cfg: DataSettings) -> TrainingData:
    """Train/val rows in prompt/completion form, filtered to ``cfg.task`` and capped, in file order."""
    ds = Path(build_dir) / "dataset"
    if not (ds / "train.jsonl").is_file():
        raise BuildNotFoundError(str(build_dir))
    train_rows = read_rows(ds / "train.jsonl")
    val_rows = read_rows(ds / "val.jsonl") if (ds / "val.jsonl").is_file() else []
    tasks = dict(sorted(Counter(r.get("task", "") for r in train_rows).items()))
    if cfg.task is not None:
        if cfg.task not in tasks:
            raise ConfigError(
                f"config key 'data.task': no {cfg.task} examples in {ds / 'train.jsonl'}",
                f"pick one of {', '.join(tasks)}",
            )
        train_rows = [r for r in train_rows if r.get("task") == cfg.task]
        val_rows = [r for r in val_rows if r.get("task") == cfg.task]
    train = [to_prompt_completion(r) for r in train_rows]
    val = [to_prompt_completion(r) for r in val_rows]
    if cfg.max_train_examples:
        train = train[: cfg.max_train_examples]
    if cfg.max_val_examples:
        val = _spread(val, cfg.max_val_examples)
    return TrainingData(train=train, val=val, tasks=tasks)


def _spread(rows: list[dict], n: int) -> list[dict]:
    """``n`` rows taken evenly over the file (so every task of a sorted export is represented)."""
    if len(rows) <= n:
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def sample_rows(val: list[dict], n: int) -> list[dict]:
    """The fixed sample questions: round-robin over tasks, rows in example-id order."""
    by_task: dict[str, list[dict]] = {}
    for r in sorted(val, key=lambda r: r.get("example_id", "")):
        by_task.setdefault(r.get("task", ""), []).append(r)
    out: list[dict] = []
    queues = [by_task[t] for t in sorted(by_task)]
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


def dataset_fingerprint(build_dir: Path) -> dict:
    """sha256 of each exported file plus the build's manualtune version (``summary.json``)."""
    ds = Path(build_dir) / "dataset"
    files = {
        name: hashlib.sha256((ds / name).read_bytes()).hexdigest()
        for name in FINGERPRINT_FILES
        if (ds / name).is_file()
    }
    summary = Path(build_dir) / "summary.json"
    version = json.loads(summary.read_text())["manualtune_version"] if summary.is_file() else None
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]
    return {"id": digest, "files": files, "build_version": version}


class SupervisionReport(BaseModel):
    examples: int
    supervised_tokens: int
    min_supervised: int
    total_tokens: int
    prompt_not_prefix: int = Field(
        description="examples whose rendered prompt is not a token prefix of prompt + answer (the answer "
        "then starts where they diverge, as TRL does)"
    )


def _ids(tokenizer, messages: list[dict], add_generation_prompt: bool) -> list[int]:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def tokenize_row(tokenizer, row: dict, max_length: int) -> tuple[dict, bool]:
    """``{"input_ids", "labels"}`` of one prompt/completion row: prompt labels -100, answer labels kept.

    Same rule as TRL's prompt/completion tokenisation: the answer starts where the tokenised prompt
    (rendered with ``add_generation_prompt=True``) and prompt + answer diverge; truncation keeps the start.
    Returns the row and whether the prompt was an exact prefix.
    """
    prompt_ids = _ids(tokenizer, row["prompt"], add_generation_prompt=True)
    full_ids = _ids(tokenizer, row["prompt"] + row["completion"], add_generation_prompt=False)
    n = 0
    while n < min(len(prompt_ids), len(full_ids)) and prompt_ids[n] == full_ids[n]:
        n += 1
    labels = [-100] * n + full_ids[n:]
    return {"input_ids": full_ids[:max_length], "labels": labels[:max_length]}, n == len(prompt_ids)


def tokenize_rows(tokenizer, rows: list[dict], max_length: int) -> tuple[list[dict], SupervisionReport]:
    """Tokenise every row and count its supervised tokens; refuse when one has none.

    TRL would drop such rows silently (or train on nothing); here the run stops before the first step
    with :class:`NoSupervisedTokensError` naming the template's effect and the example.
    """
    out: list[dict] = []
    counts: list[int] = []
    not_prefix = 0
    for row in rows:
        tok, is_prefix = tokenize_row(tokenizer, row, max_length)
        not_prefix += 0 if is_prefix else 1
        supervised = sum(1 for label in tok["labels"] if label != -100)
        if supervised == 0:
            question = next((m["content"] for m in row["prompt"] if m["role"] == "user"), "")
            raise NoSupervisedTokensError(
                f"example {row.get('example_id', len(out))} ({question[:60]!r}) has no supervised token under "
                f"the chat template (prompt {len(tok['input_ids'])} tokens, max_length {max_length})"
            )
        counts.append(supervised)
        out.append(tok)
    report = SupervisionReport(
        examples=len(out),
        supervised_tokens=sum(counts),
        min_supervised=min(counts) if counts else 0,
        total_tokens=sum(len(t["input_ids"]) for t in out),
        prompt_not_prefix=not_prefix,
    )
    return out, report
