"""export_dataset: files load with `datasets`, AutoTrain text round-trips, chat template works, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from manualtune.export import ExportConfig, export_dataset, parse_autotrain_text, render_autotrain_text
from manualtune.export.formats import fill_template


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def exported(tmp_path, split_inputs):
    examples, assignments, synthetic = split_inputs
    out = tmp_path / "dataset"
    result = export_dataset(out, examples, assignments, synthetic, ExportConfig())
    return out, result, split_inputs


def test_chat_jsonl_rows_match_split(exported):
    out, result, (examples, assignments, synthetic) = exported
    split_of = {a.example_id: a.split for a in assignments}
    by_id = {e.example_id: e for e in examples}
    seen = 0
    for split in ("train", "val", "test"):
        rows = _jsonl(out / f"{split}.jsonl")
        assert len(rows) == result.files[f"{split}.jsonl"] == sum(1 for s in split_of.values() if s == split)
        for row in rows:
            ex = by_id[row["example_id"]]
            assert split_of[ex.example_id] == split
            assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant"]
            assert row["messages"][0]["content"] == ExportConfig().system_prompt
            assert row["messages"][1]["content"] == f"[{ex.task}] {ex.question}"
            assert row["messages"][2]["content"] == ex.answer
            assert (row["task"], row["group_id"]) == (ex.task, ex.group_id)
            assert set(row) == {"messages", "task", "example_id", "group_id"}
        seen += len(rows)
    assert seen == len(examples)
    syn = _jsonl(out / "val_synthetic.jsonl")
    assert [r["example_id"] for r in syn] == [s.example_id for s in synthetic] and syn


def test_exports_load_with_datasets(exported, tmp_path):
    import datasets

    out, result, _ = exported
    files = {s: str(out / f"{s}.jsonl") for s in ("train", "val", "test")}
    ds = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path / "hf-cache"))
    assert {s: ds[s].num_rows for s in files} == {s: result.files[f"{s}.jsonl"] for s in files}
    assert ds["train"][0]["messages"][1]["role"] == "user"

    auto = datasets.load_dataset(
        "json", data_files={"train": str(out / "autotrain_train.jsonl")}, cache_dir=str(tmp_path / "hf-cache")
    )
    assert auto["train"].column_names == ["text"] and auto["train"].num_rows == result.files["train.jsonl"]

    disk = datasets.load_from_disk(str(out / "hf"))
    assert sorted(disk) == ["test", "train", "validation", "validation_synthetic"]
    assert disk["validation"].num_rows == result.files["val.jsonl"]
    assert disk["validation_synthetic"].num_rows == result.files["val_synthetic.jsonl"]
    assert disk["train"][0] == _jsonl(out / "train.jsonl")[0] | {
        "messages": [
            {"content": m["content"], "role": m["role"]} for m in _jsonl(out / "train.jsonl")[0]["messages"]
        ]
    }


def test_autotrain_text_round_trips(exported):
    out, _, (examples, assignments, _) = exported
    by_question = {(e.task, e.question): e for e in examples}
    rows = _jsonl(out / "autotrain_train.jsonl") + _jsonl(out / "autotrain_val.jsonl")
    assert rows
    for row in rows:
        task, question, answer = parse_autotrain_text(row["text"])
        assert by_question[(task, question)].answer == answer
        assert row["text"].startswith(f"User: [{task}] ")


@pytest.mark.parametrize(
    ("template", "question", "answer"),
    [
        ("User: [{task}] {question}\nAssistant: {answer}", "Torque {answer}?", "55 Nm\nAssistant: then 90°"),
        ("### Q ({task}): {question}\n### A: {answer}\n", "Gap [mm] for 2.3 l?", "0.25-0.30 mm"),
        ("<q>{question}</q><a>{answer}</a>", "Which fuse (F4)?", "Fuse 4, 15 A."),
    ],
)
def test_render_and_parse_are_inverse(template, question, answer):
    text, ok = render_autotrain_text("SPEC", question, answer, template)
    assert ok
    expected_task = "SPEC" if "{task}" in template else ""
    assert parse_autotrain_text(text, template) == (expected_task, question, answer)


def test_question_containing_separator_is_collapsed_to_round_trip():
    text, ok = render_autotrain_text("SPEC", "Torque?\nAssistant: guess", "55 Nm")
    assert ok and parse_autotrain_text(text) == ("SPEC", "Torque? Assistant: guess", "55 Nm")
    with pytest.raises(ValueError):
        parse_autotrain_text("no template here")
    assert fill_template("[{task}] {question}", task="SPEC", question="{answer}") == "[SPEC] {answer}"


def test_bad_template_rejected_by_config():
    with pytest.raises(ValueError):
        ExportConfig(autotrain_template="{answer} then {question}")
    with pytest.raises(ValueError):
        ExportConfig(autotrain_template="only {question}")


def test_chat_format_works_with_apply_chat_template(exported):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    out, _, _ = exported
    rows = _jsonl(out / "train.jsonl")
    texts = [m["content"] for r in rows for m in r["messages"]]
    special = ["[UNK]", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(texts, trainers.WordLevelTrainer(special_tokens=special))
    hf_tok = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", eos_token="<|end|>")
    hf_tok.chat_template = (
        "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} <|end|> {% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>{% endif %}"
    )
    rendered = hf_tok.apply_chat_template(rows[0]["messages"], tokenize=False)
    for m in rows[0]["messages"]:
        assert f"<|{m['role']}|> {m['content']} <|end|>" in rendered
    enc = hf_tok.apply_chat_template(rows[0]["messages"], tokenize=True)
    ids = enc["input_ids"] if not isinstance(enc, list) else enc
    ids = ids[0] if ids and isinstance(ids[0], list) else ids
    vocab = hf_tok.get_vocab()
    assert vocab["[UNK]"] not in ids
    assert [i for i in ids if i in {vocab["<|system|>"], vocab["<|user|>"], vocab["<|assistant|>"]}] == [
        vocab["<|system|>"],
        vocab["<|user|>"],
        vocab["<|assistant|>"],
    ]
    prompt = hf_tok.apply_chat_template(rows[0]["messages"][:2], tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("<|assistant|>") and rows[0]["messages"][2]["content"] not in prompt


def test_two_exports_are_byte_identical(tmp_path, split_inputs):
    examples, assignments, synthetic = split_inputs
    a = export_dataset(tmp_path / "a", examples, assignments, synthetic, ExportConfig())
    b = export_dataset(tmp_path / "b", list(reversed(examples)), list(reversed(assignments)), synthetic, ExportConfig())
    assert a == b and a.hf_written
    tree_a, tree_b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert tree_a == tree_b
    assert any(k.endswith(".arrow") for k in tree_a) and "hf/train/state.json" in tree_a
    # a rerun into the same folder replaces hf/ cleanly (no leftover temp folders)
    export_dataset(tmp_path / "a", examples, assignments, synthetic, ExportConfig())
    assert _tree(tmp_path / "a") == tree_b
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]


def test_autotrain_yml_matches_files(exported):
    out, _, _ = exported
    cfg = yaml.safe_load((out / "autotrain.yml").read_text())
    assert cfg["task"] == "llm-sft" and cfg["backend"] == "local"
    assert cfg["base_model"] == "meta-llama/Llama-3.2-3B-Instruct"
    data = cfg["data"]
    root = out / data["path"]
    assert (root / f"{data['train_split']}.jsonl").is_file() and (root / f"{data['valid_split']}.jsonl").is_file()
    first = _jsonl(root / f"{data['train_split']}.jsonl")[0]
    assert data["column_mapping"]["text_column"] in first
    assert data["chat_template"] is None
    p = cfg["params"]
    assert (p["peft"], p["quantization"], p["lora_r"], p["lora_alpha"], p["lr"], p["epochs"]) == (
        True, "int4", 16, 32, 2e-4, 3
    )
    assert cfg["hub"]["token"] == "${HF_TOKEN}"


def test_dataset_card(exported):
    from huggingface_hub import DatasetCard

    out, result, _ = exported
    text = (out / "hf" / "README.md").read_text()
    card = DatasetCard(text)
    meta = card.data.to_dict()
    assert meta["license"] == "other" and "TODO(user)" in text
    assert meta["task_categories"] == ["text-generation", "question-answering"]
    assert meta["language"] == ["en"] and meta["size_categories"] == ["n<1K"]
    paths = {f["path"] for c in meta["configs"] for f in c["data_files"]}
    assert paths == {f"data/{n}" for n in result.files if n.endswith(".jsonl")}
    total_train = sum(result.counts["train"].values())
    assert f"| train | `data/train.jsonl` | {result.counts['train'].get('SPEC', 0)} |" in text
    assert text.count(f" {total_train} |") >= 1
    assert "Known limitations" in text and "## How it was built" in text
    licensed = export_dataset(out.parent / "lic", [], [], [], ExportConfig(license="cc-by-4.0"))
    assert licensed.hf_written
    lic_text = (out.parent / "lic" / "hf" / "README.md").read_text()
    assert DatasetCard(lic_text).data.license == "cc-by-4.0" and "TODO(user)" not in lic_text


def test_unassigned_examples_skipped_and_hf_failure_reported(tmp_path, split_inputs, monkeypatch):
    examples, assignments, synthetic = split_inputs
    import manualtune.export.dataset as mod

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(mod, "write_hf", boom)
    result = export_dataset(tmp_path / "d", examples, assignments[5:], synthetic, ExportConfig())
    assert result.unassigned_examples == 5
    assert sum(result.files[f"{s}.jsonl"] for s in ("train", "val", "test")) == len(examples) - 5
    assert not result.hf_written and "disk full" in result.hf_error
