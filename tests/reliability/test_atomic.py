"""No half-written file is read: damaged cache entries are misses, leftovers of a killed build are swept."""

from __future__ import annotations

from manualtune.cache import (
    BUILD_MANIFEST,
    StageCache,
    atomic_write_text,
    manifest_is_current,
    sweep_temp_files,
    verify_build,
    write_build_manifest,
)
from manualtune.records import BBox


def test_truncated_or_garbage_cache_entry_is_a_miss_then_rewritten(tmp_path):
    cache = StageCache(tmp_path, "stage", "1", {"a": 1})
    box = BBox(x0=1, y0=2, x1=3, y1=4)
    cache.put("input", box)
    path = cache.path(cache.key("input"))
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"\xff\xfe\x00garbage", b'{"x0": 1}'):
        path.write_bytes(damaged)
        assert cache.get("input", BBox) is None
    assert cache.misses == 4 and cache.hits == 0
    cache.put("input", box)
    assert cache.get("input", BBox) == box and cache.hits == 1


def test_sweep_removes_only_temp_leftovers(tmp_path):
    atomic_write_text(tmp_path / "dataset" / "train.jsonl", "{}\n")
    (tmp_path / "dataset" / ".train.jsonl.abc123.tmp").write_text('{"half')  # killed mid-write
    (tmp_path / "cache" / "ocr" / "ab").mkdir(parents=True)
    (tmp_path / "cache" / "ocr" / "ab" / ".k.json.x1.tmp").write_text("")
    (tmp_path / "dataset" / ".hf.old.4242" / "train").mkdir(parents=True)  # killed between two renames
    (tmp_path / "dataset" / ".hf.q1w2" / "hf").mkdir(parents=True)
    (tmp_path / "dataset" / "hf").mkdir()
    (tmp_path / "dataset" / "notes.tmp").write_text("kept: not a temp name of ours")
    removed = sweep_temp_files(tmp_path)
    assert removed == [
        "cache/ocr/ab/.k.json.x1.tmp",
        "dataset/.hf.old.4242",
        "dataset/.hf.q1w2",
        "dataset/.train.jsonl.abc123.tmp",
    ]
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["dataset/notes.tmp", "dataset/train.jsonl"]
    assert (tmp_path / "dataset" / "hf").is_dir()
    assert sweep_temp_files(tmp_path) == []


def test_build_manifest_tells_a_complete_build_from_a_touched_one(tmp_path):
    assert verify_build(tmp_path) == [f"no readable {BUILD_MANIFEST}: the build did not finish; rerun `manualtune build`"]
    atomic_write_text(tmp_path / "summary.json", "{}\n")
    atomic_write_text(tmp_path / "records" / "facts.jsonl", '{"a":1}\n')
    atomic_write_text(tmp_path / "dataset" / "hf" / "train" / "data.arrow", "x")
    atomic_write_text(tmp_path / "review.sqlite", "not a build output")
    atomic_write_text(tmp_path / "cache" / "ocr" / "k.json", "{}")
    write_build_manifest(tmp_path, "key-1")
    assert manifest_is_current(tmp_path, "key-1") and not manifest_is_current(tmp_path, "key-2")
    assert verify_build(tmp_path) == []
    atomic_write_text(tmp_path / "cache" / "ocr" / "k.json", "{}{}")  # the cache and other tools' files: free
    atomic_write_text(tmp_path / "review.sqlite", "changed by the review app")
    assert verify_build(tmp_path) == []
    atomic_write_text(tmp_path / "records" / "facts.jsonl", '{"a":2}\n')  # an interrupted rebuild got this far
    (tmp_path / "summary.json").unlink()
    atomic_write_text(tmp_path / "records" / "blocks.jsonl", "")
    assert verify_build(tmp_path) == [
        "records/blocks.jsonl: not written by the last finished build",
        "records/facts.jsonl: changed since the build",
        "summary.json: missing",
    ]
    (tmp_path / BUILD_MANIFEST).write_text('{"files": ')  # a damaged manifest is no manifest
    assert len(verify_build(tmp_path)) == 1
    (tmp_path / BUILD_MANIFEST).unlink()
    assert not manifest_is_current(tmp_path, "key-1")
