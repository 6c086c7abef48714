"""Write the dataset exports into ``build/dataset``.

Files (all JSON with sorted keys, stable row order, written atomically):

- ``train.jsonl``, ``val.jsonl``, ``test.jsonl``, ``val_synthetic.jsonl``: HF chat format
  ``{"messages": [system, user "[TASK] question", assistant answer], "task", "example_id", "group_id"}``
- ``autotrain_train.jsonl`` / ``autotrain_val.jsonl``: one ``text`` column (configurable template)
- ``autotrain.yml``: AutoTrain Advanced ``llm-sft`` config (its header says that AutoTrain's loss
  covers the whole ``text`` column, questions included, and that it packs rows)
- ``train_prompt_completion.jsonl`` / ``val_prompt_completion.jsonl``: the same rows as TRL
  prompt/completion (``{"prompt": [system, user], "completion": [assistant], ...}``), which TRL
  trains with the loss on the answer only
- ``hf/``: ``datasets.DatasetDict.save_to_disk`` (train / validation / test / validation_synthetic)
  plus the dataset card ``hf/README.md``.

``save_to_disk`` output is byte-identical across runs for the same rows with datasets 5.2 (Arrow
files, ``dataset_info.json`` and ``state.json``; ``state.json`` holds a ``_fingerprint`` that
datasets derives itself). To stay deterministic across datasets versions that draw a random
fingerprint for in-memory tables, the fingerprint is pinned to a hash of the split's rows.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from manualtune.cache import atomic_write_text, short_id, write_jsonl
from manualtune.export.card import render_card, size_category
from manualtune.export.config import ExportConfig
from manualtune.export.formats import (
    AUTOTRAIN_TRAIN_SPLIT,
    AUTOTRAIN_VALID_SPLIT,
    PROMPT_COMPLETION_FILES,
    autotrain_yaml,
    chat_row,
    render_autotrain_text,
    to_prompt_completion,
)
from manualtune.records import Example, SplitAssignment

VERSION = "2"
SPLIT_FILES = {"train": "train.jsonl", "val": "val.jsonl", "test": "test.jsonl"}
SYNTHETIC_FILE = "val_synthetic.jsonl"
HF_SPLITS = {"train": "train", "val": "validation", "test": "test", "synthetic": "validation_synthetic"}


class ExportResult(BaseModel):
    """What :func:`export_dataset` wrote (relative file names; no timestamps)."""

    files: dict[str, int] = Field(default_factory=dict, description="file name -> rows written")
    counts: dict[str, dict[str, int]] = Field(default_factory=dict, description="split -> task -> rows")
    unassigned_examples: int = 0
    autotrain_roundtrip_failures: int = 0
    size_category: str = "n<1K"
    hf_written: bool = False
    hf_error: str | None = None


def _row_order(example: Example) -> tuple:
    return (example.group_id, example.phrasing, example.example_id)


def partition(
    examples: Sequence[Example], assignments: Sequence[SplitAssignment]
) -> tuple[dict[str, list[Example]], int]:
    """Examples per split in stable row order, and how many examples had no assignment."""
    split_of = {a.example_id: a.split for a in assignments}
    parts: dict[str, list[Example]] = {s: [] for s in SPLIT_FILES}
    unassigned = 0
    for ex in examples:
        split = split_of.get(ex.example_id)
        if split in parts:
            parts[split].append(ex)
        else:
            unassigned += 1
    for rows in parts.values():
        rows.sort(key=_row_order)
    return parts, unassigned


def _hf_features():
    from datasets import Features, List, Value

    return Features(
        {
            "messages": List({"content": Value("string"), "role": Value("string")}),
            "task": Value("string"),
            "example_id": Value("string"),
            "group_id": Value("string"),
        }
    )


def _pin_fingerprint(split_dir: Path, rows: list[dict]) -> None:
    """Replace the ``_fingerprint`` in ``state.json`` with a hash of the rows (same formatting)."""
    state_path = split_dir / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["_fingerprint"] = short_id("manualtune-hf", rows)
    atomic_write_text(state_path, json.dumps(state, indent=2, sort_keys=True))


def write_hf(out_dir: Path, rows_by_split: dict[str, list[dict]], card: str) -> None:
    """``DatasetDict.save_to_disk`` into ``out_dir/hf`` (built in a temp folder, then swapped in)."""
    import datasets

    bars_were_off = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    tmp = Path(tempfile.mkdtemp(prefix=".hf.", dir=out_dir))
    try:
        features = _hf_features()
        dd = datasets.DatasetDict(
            {
                name: datasets.Dataset.from_dict({col: [r[col] for r in rows] for col in features}, features=features)
                for name, rows in rows_by_split.items()
            }
        )
        dd.save_to_disk(str(tmp / "hf"))
        for name, rows in rows_by_split.items():
            _pin_fingerprint(tmp / "hf" / name, rows)
        atomic_write_text(tmp / "hf" / "README.md", card)
        final = out_dir / "hf"
        old = out_dir / f".hf.old.{os.getpid()}"
        if final.exists():
            final.rename(old)
        (tmp / "hf").rename(final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not bars_were_off:
            datasets.enable_progress_bars()


def export_dataset(
    out_dir: Path,
    examples: Sequence[Example],
    assignments: Sequence[SplitAssignment],
    synthetic: Sequence[Example] = (),
    cfg: ExportConfig | None = None,
) -> ExportResult:
    """Write chat JSONL, AutoTrain JSONL + config, and ``hf/`` (DatasetDict + card) into ``out_dir``.

    Examples without an assignment are skipped (counted). A failure while writing ``hf/`` is
    reported in ``ExportResult.hf_error`` and does not stop the build.
    """
    from manualtune.split import leakage_report

    cfg = cfg or ExportConfig()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts, unassigned = partition(examples, assignments)
    synthetic_rows = sorted(synthetic, key=lambda e: (e.group_id, e.example_id))
    result = ExportResult(unassigned_examples=unassigned)

    chat: dict[str, list[dict]] = {}
    for split, name in SPLIT_FILES.items():
        chat[split] = [chat_row(ex, cfg) for ex in parts[split]]
        result.files[name] = write_jsonl(out_dir / name, chat[split])
        result.counts[split] = dict(sorted(Counter(ex.task for ex in parts[split]).items()))
    chat["synthetic"] = [chat_row(ex, cfg) for ex in synthetic_rows]
    result.files[SYNTHETIC_FILE] = write_jsonl(out_dir / SYNTHETIC_FILE, chat["synthetic"])
    result.counts["synthetic"] = dict(sorted(Counter(ex.task for ex in synthetic_rows).items()))

    for split, name in PROMPT_COMPLETION_FILES.items():
        result.files[name] = write_jsonl(out_dir / name, [to_prompt_completion(r) for r in chat[split]])

    for split, stem in (("train", AUTOTRAIN_TRAIN_SPLIT), ("val", AUTOTRAIN_VALID_SPLIT)):
        rows = []
        for ex in parts[split]:
            text, ok = render_autotrain_text(ex.task, ex.question, ex.answer, cfg.autotrain_template)
            result.autotrain_roundtrip_failures += 0 if ok else 1
            rows.append({"text": text})
        result.files[f"{stem}.jsonl"] = write_jsonl(out_dir / f"{stem}.jsonl", rows)
    atomic_write_text(out_dir / "autotrain.yml", autotrain_yaml(cfg.autotrain))
    result.files["autotrain.yml"] = 1

    total = sum(len(rows) for rows in parts.values())
    result.size_category = size_category(total)
    if cfg.write_hf:
        leakage = leakage_report(examples, assignments)
        card = render_card(cfg, result.counts, leakage, result.size_category)
        try:
            write_hf(out_dir, {HF_SPLITS[k]: v for k, v in chat.items()}, card)
            result.hf_written = True
        except Exception as e:  # noqa: BLE001 - the JSONL exports are already written; report and go on
            result.hf_error = f"{type(e).__name__}: {e}"
    return result
