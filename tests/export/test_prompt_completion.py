"""Prompt/completion export (TRL completion-only loss) and the truth about AutoTrain's loss."""

from __future__ import annotations

import json

import pytest
import yaml

from manualtune.export import ExportConfig, export_dataset
from manualtune.export.formats import to_prompt_completion


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_prompt_completion_files_hold_the_chat_rows_split_at_the_answer(tmp_path, split_inputs):
    examples, assignments, synthetic = split_inputs
    out = tmp_path / "dataset"
    result = export_dataset(out, examples, assignments, synthetic, ExportConfig(write_hf=False))
    for split in ("train", "val"):
        chat = _jsonl(out / f"{split}.jsonl")
        pc = _jsonl(out / f"{split}_prompt_completion.jsonl")
        assert len(pc) == len(chat) == result.files[f"{split}_prompt_completion.jsonl"] > 0
        for c, p in zip(chat, pc, strict=True):
            assert [m["role"] for m in p["prompt"]] == ["system", "user"]
            assert p["completion"] == [c["messages"][2]] and p["completion"][0]["role"] == "assistant"
            assert p["prompt"] + p["completion"] == c["messages"]
            assert (p["task"], p["example_id"], p["group_id"]) == (c["task"], c["example_id"], c["group_id"])


def test_autotrain_yml_and_card_say_the_loss_covers_the_question(tmp_path, split_inputs):
    examples, assignments, synthetic = split_inputs
    out = tmp_path / "dataset"
    export_dataset(out, examples, assignments, synthetic, ExportConfig())
    text = (out / "autotrain.yml").read_text()
    assert "whole text column" in text and "packs rows" in text and "train_prompt_completion.jsonl" in text
    assert yaml.safe_load(text)["task"] == "llm-sft"  # still a valid config
    card = (out / "hf" / "README.md").read_text()
    assert "the question as well as\nthe answer" in card and "data/train_prompt_completion.jsonl" in card


def test_to_prompt_completion_needs_an_assistant_turn():
    row = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "task": "SPEC"}
    assert to_prompt_completion(row) == {
        "prompt": [{"role": "user", "content": "q"}],
        "completion": [{"role": "assistant", "content": "a"}],
        "task": "SPEC",
    }
    with pytest.raises(ValueError, match="assistant turn"):
        to_prompt_completion({"messages": [{"role": "user", "content": "q"}]})
