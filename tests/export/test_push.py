"""push_dataset offline: dry run plan, missing token, unreachable network, token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualtune.export import ExportConfig, export_dataset
from manualtune.export.push import PushError, push_dataset

SECRET = "hf_TopSecretToken_0123456789abcdef"


@pytest.fixture
def build_dir(tmp_path, split_inputs) -> Path:
    examples, assignments, synthetic = split_inputs
    export_dataset(tmp_path / "build" / "dataset", examples, assignments, synthetic, ExportConfig())
    return tmp_path / "build"


def test_dry_run_lists_files_sizes_and_target(build_dir, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    plan = push_dataset(build_dir, "someone/e30-m3-manual", dry_run=True)
    assert plan.repo_id == "someone/e30-m3-manual" and plan.repo_type == "dataset"
    assert plan.dry_run and not plan.uploaded and not plan.token_present
    paths = [f.path for f in plan.files]
    assert paths == sorted(paths)
    for name in ("README.md", "dataset_dict.json", "train/data-00000-of-00001.arrow", "data/train.jsonl",
                 "data/val_synthetic.jsonl", "data/autotrain_train.jsonl", "data/autotrain.yml"):
        assert name in paths, name
    ds = build_dir / "dataset"
    for f in plan.files:
        assert f.size == Path(f.local).stat().st_size > 0
        assert Path(f.local).is_relative_to(ds)
    assert plan.total_bytes == sum(f.size for f in plan.files)


def test_missing_token_names_the_variable(build_dir, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(PushError, match="HF_TOKEN"):
        push_dataset(build_dir, "someone/e30-m3-manual", dry_run=False)
    monkeypatch.delenv("MY_TOKEN", raising=False)
    with pytest.raises(PushError, match="MY_TOKEN"):
        push_dataset(build_dir, "someone/e30-m3-manual", token_env="MY_TOKEN")


def test_unreachable_network_is_a_clear_error_without_the_token(build_dir, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", SECRET)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(PushError) as info:
        push_dataset(build_dir, "someone/e30-m3-manual")
    msg = str(info.value)
    assert "network unreachable" in msg and "127.0.0.1:9" in msg
    assert SECRET not in msg


def test_hub_error_message_is_masked(build_dir, monkeypatch):
    import huggingface_hub

    def reject(self, *args, **kwargs):
        raise ValueError(f"401 Unauthorized for token {SECRET}")

    monkeypatch.setenv("HF_TOKEN", SECRET)
    monkeypatch.setattr(huggingface_hub.HfApi, "create_repo", reject)
    with pytest.raises(PushError) as info:
        push_dataset(build_dir, "someone/e30-m3-manual")
    assert "401 Unauthorized for token ***" in str(info.value) and SECRET not in str(info.value)


def test_missing_export_and_bad_repo_id(tmp_path, build_dir):
    with pytest.raises(PushError, match="run `manualtune build` first"):
        push_dataset(tmp_path / "nothing", "someone/x", dry_run=True)
    with pytest.raises(PushError, match="invalid repo id|must be"):
        push_dataset(build_dir, "not a repo id!", dry_run=True)
    with pytest.raises(PushError, match="must be"):
        push_dataset(build_dir, "noslash", dry_run=True)
