"""End-to-end: build the bundled sample manual, check outputs, determinism, cache and quarantine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from manualtune.cache import read_jsonl
from manualtune.pipeline import EXIT_OK, EXIT_QUARANTINED, build
from manualtune.records import Example, PageOCR, SpecFact

RESOURCES = Path(__file__).parent / "resources"


@pytest.fixture(scope="module")
def sample_build(sample_manual: Path, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("build-a")
    result = build(sample_manual, out, workers=2)
    return out, result


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "cache" not in p.relative_to(root).parts
    }


def test_build_writes_ocr_records_with_provenance(sample_build):
    out, result = sample_build
    assert result.exit_code == EXIT_OK, result.quarantined
    pages = read_jsonl(out / "records" / "pages.jsonl")
    ocr_files = sorted((out / "ocr").glob("*.json"))
    non_html = [p for p in pages if p["kind"] != "html"]
    assert len(ocr_files) == len(non_html) >= 25
    page = PageOCR.model_validate_json(ocr_files[0].read_text())
    assert page.lines and page.word_count > 0
    word = page.lines[0].words[0]
    assert word.bbox.x1 > word.bbox.x0 and 0 <= word.conf <= 100


def test_same_named_files_in_two_folders_do_not_collide(sample_build):
    out, _ = sample_build
    pages = read_jsonl(out / "records" / "pages.jsonl")
    names = [Path(p["source"]).name for p in pages]
    dupes = {n for n in names if names.count(n) > 1}
    assert dupes, "the sample manual has two files with the same name in different folders"
    assert len({p["page_id"] for p in pages}) == len(pages)
    assert len(list((out / "ocr").glob("*.json"))) == len([p for p in pages if p["kind"] != "html"])


def test_facts_and_dataset_exports_exist(sample_build):
    out, result = sample_build
    facts = read_jsonl(out / "records" / "facts.jsonl", SpecFact)
    assert len(facts) >= 30
    assert all(f.source.file and f.source.page >= 1 for f in facts)
    examples = read_jsonl(out / "dataset" / "examples.jsonl", Example)
    assert {e.task for e in examples} >= {"SPEC", "PROCEDURE"}
    for name in ("train.jsonl", "val.jsonl", "test.jsonl", "autotrain_train.jsonl", "autotrain.yml"):
        assert (out / "dataset" / name).stat().st_size > 0, name
    qa = json.loads((out / "report" / "qa.json").read_text())
    assert (out / "report" / "index.html").exists()
    leak = json.loads((out / "dataset" / "leakage.json").read_text())
    assert leak["shared_fact_ids"] == 0 and leak["shared_questions"] == 0
    assert qa  # figures are checked in tests/report


def test_noop_rebuild_is_up_to_date(sample_build, sample_manual):
    out, first = sample_build
    before = _tree_bytes(out)
    again = build(sample_manual, out, workers=2)
    assert again.up_to_date and again.ocr_calls == 0
    assert again.counts == first.counts
    assert _tree_bytes(out) == before


def test_rebuild_with_new_config_reuses_ocr_cache_and_is_byte_identical(sample_build, sample_manual):
    """A downstream config change re-runs the stages after OCR but does no OCR at all."""
    from manualtune.config import BuildConfig

    out, _ = sample_build
    before = _tree_bytes(out)
    cfg = BuildConfig()
    cfg.generate.seed = 1
    changed = build(sample_manual, out, cfg, workers=2)
    assert not changed.up_to_date and changed.ocr_calls == 0 and changed.cache_hits > 0
    back = build(sample_manual, out, workers=2)  # back to the default config: same bytes as before
    assert back.ocr_calls == 0
    assert _tree_bytes(out) == before


def test_two_clean_builds_are_byte_identical(sample_build, sample_manual, tmp_path):
    out, _ = sample_build
    other = tmp_path / "build-b"
    build(sample_manual, other, workers=1)
    a, b = _tree_bytes(out), _tree_bytes(other)
    assert sorted(a) == sorted(b)
    differing = [k for k in a if a[k] != b[k]]
    assert differing == []


def test_ray_executor_build_is_byte_identical_to_the_local_one(sample_build, sample_manual, tmp_path):
    """Issue 10: the page tasks as Ray tasks (a local Ray started by the build) give the same bytes."""
    pytest.importorskip("ray")
    from manualtune.executors import ExecutorConfig

    out, _ = sample_build
    ray_out = tmp_path / "build-ray"
    result = build(sample_manual, ray_out, executor=ExecutorConfig(kind="ray", workers=2))
    assert result.ocr_calls > 25 and result.quarantined == []
    a, b = _tree_bytes(out), _tree_bytes(ray_out)
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def test_bad_files_are_quarantined_and_build_goes_on(sample_manual, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    # one good page from the sample manual beside the broken files
    good = sorted(p for p in sample_manual.rglob("*.jpg"))[0]
    shutil.copy(good, src / "good.jpg")
    bad = RESOURCES / "bad"
    for f in sorted(bad.iterdir()):
        if f.is_file() and f.suffix != ".py":
            shutil.copy(f, src / f.name)
    result = build(src, tmp_path / "out", workers=1)
    assert result.exit_code == EXIT_QUARANTINED
    q = read_jsonl(tmp_path / "out" / "quarantine.jsonl")
    reasons = {r["path"]: r["reason"] for r in q}
    assert "good.jpg" not in reasons
    assert len(reasons) >= 5
    assert all(r["detail"] for r in q)
    assert len(list((tmp_path / "out" / "ocr").glob("*.json"))) == 1


def test_every_sample_example_is_grounded_and_a_mutated_number_is_caught(sample_build):
    import re

    from manualtune.quality.validate import validate_examples
    from manualtune.records import Block, Conflict, Procedure

    out, _ = sample_build
    rec = out / "records"
    facts = read_jsonl(rec / "facts.jsonl", SpecFact)
    procedures = read_jsonl(rec / "procedures.jsonl", Procedure)
    blocks = read_jsonl(rec / "blocks.jsonl", Block)
    conflicts = read_jsonl(rec / "conflicts.jsonl", Conflict)
    examples = read_jsonl(out / "dataset" / "examples.jsonl", Example)
    again = validate_examples(examples, facts, procedures, blocks, conflicts=conflicts)
    assert again.excluded == [] and len(again.kept) == len(examples)

    by_id = {f.fact_id: f for f in facts}

    def value_in_answer(e: Example) -> str | None:
        for fid in e.fact_ids:
            v = by_id[fid].value
            if re.search(rf"(?<![\w.]){re.escape(v)}(?![\w.])", e.answer):
                return v
        return None

    spec = next(e for e in examples if e.task == "SPEC" and not e.refusal and value_in_answer(e))
    number = value_in_answer(spec)
    wrong = str(int(float(number)) + 7)
    mutated = spec.model_copy(
        update={"answer": re.sub(rf"(?<![\w.]){re.escape(number)}(?![\w.])", wrong, spec.answer, count=1)}
    )
    res = validate_examples([mutated], facts, procedures, blocks, conflicts=conflicts)
    assert [x.reason for x in res.excluded] == ["ungrounded_number"]


def test_sample_exports_load_with_datasets(sample_build):
    import datasets

    out, _ = sample_build
    ds_dir = out / "dataset"
    chat = datasets.load_dataset(
        "json", data_files={s: str(ds_dir / f"{s}.jsonl") for s in ("train", "val", "test")}
    )
    n_split = sum(1 for _ in (ds_dir / "splits.jsonl").open())
    assert sum(len(chat[s]) for s in chat) == n_split
    roles = [m["role"] for m in chat["train"][0]["messages"]]
    assert roles == ["system", "user", "assistant"]
    hf = datasets.load_from_disk(str(ds_dir / "hf"))
    assert len(hf["train"]) == len(chat["train"])


def test_cleanup_in_ocr_workers_equals_cleanup_stage(sample_build, sample_manual):
    """A clean build cleans pages inside the OCR workers; with only the cleanup cache gone the
    cleanup stage recomputes them from the page files: the outputs must be the same bytes."""
    out, _ = sample_build
    before = _tree_bytes(out)
    shutil.rmtree(out / "cache" / "cleanup")
    (out / "cache" / "build.key").unlink()
    again = build(sample_manual, out, workers=2)
    assert again.ocr_calls == 0 and not again.up_to_date
    assert _tree_bytes(out) == before


def test_no_stage_errors_and_generation_counters_on_the_sample(sample_build):
    """Stage errors are records (zero on the sample manual); every task's counters are written."""
    out, result = sample_build
    assert (out / "records" / "stage_errors.jsonl").read_text() == ""
    assert json.loads((out / "summary.json").read_text())["counts"]["stage_errors"] == 0
    tasks = json.loads((out / "dataset" / "generation.json").read_text())["tasks"]
    examples = read_jsonl(out / "dataset" / "examples.jsonl", Example)
    for task in ("SPEC", "PROCEDURE", "WIRING", "TROUBLESHOOTING"):
        assert tasks[task]["candidates"] >= 1
    # 'emitted' counts generated examples; validation may still exclude some of them
    emitted = sum(c.get("emitted", 0) for c in tasks.values())
    excluded = len(read_jsonl(out / "dataset" / "excluded.jsonl"))
    withheld = read_jsonl(out / "dataset" / "withheld.jsonl", Example)
    assert emitted == len(examples) + excluded + len(withheld)
    # the default config ships no task that the real-manual audit found untrustworthy
    assert withheld and {e.task for e in withheld} <= {"EXPLANATION", "WIRING", "TROUBLESHOOTING"}
    assert not {e.task for e in examples} & {"EXPLANATION", "WIRING", "TROUBLESHOOTING"}
