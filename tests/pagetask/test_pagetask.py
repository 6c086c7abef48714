"""The page task on real sample-manual scans: one page in, its records out; the driver's caches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from manualtune.config import BuildConfig
from manualtune.executors import ExecutorConfig, make_executor
from manualtune.ingest import inventory
from manualtune.pagetask import PageTask, run_page_task
from manualtune.pagetask.stage import run_page_stage

PAGES = ["00 - Torque Specs/11-18.jpg", "21 - Clutch/21-3.jpg"]


@pytest.fixture(scope="module")
def two_pages(sample_manual: Path, tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("two-pages")
    for rel in PAGES:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_manual / rel, src / rel)
    return src


def _truth_values(sample_manual: Path, rel: str) -> set[str]:
    truth = json.loads((sample_manual / rel).with_suffix(".truth.json").read_text())
    return {f["value"] for f in truth["facts"]}


def test_one_page_task_reads_the_page_and_returns_its_blocks(two_pages: Path, sample_manual: Path) -> None:
    ref = next(r for r in inventory(two_pages).pages if r.source == PAGES[0])
    res = run_page_task(PageTask(source_root=str(two_pages), ref=ref, cfg=BuildConfig()))
    assert res.quarantine is None and res.stage_errors == []
    assert res.fresh_ocr and res.fresh_cleanup and res.ocr.page_id == ref.page_id
    text = " ".join(b.text for b in res.blocks)
    assert "Main bearing cap bolts" in text and "60 Nm" in text
    assert all(b.page_id == ref.page_id and b.source.bbox is not None for b in res.blocks)  # provenance kept
    assert _truth_values(sample_manual, PAGES[0]) & set(text.split()) >= {"60", "20"}

    # with both steps cached the task only lays the page out, and gives the same blocks
    again = run_page_task(PageTask(source_root=str(two_pages), ref=ref, cfg=BuildConfig(), ocr=res.ocr,
                                   cleaned=res.cleaned))
    assert not again.fresh_ocr and not again.fresh_cleanup and again.ocr is None
    assert again.blocks == res.blocks


def test_unreadable_page_is_a_quarantine_not_an_exception(two_pages: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(two_pages, src)
    ref = next(r for r in inventory(src).pages if r.source == PAGES[1])
    (src / PAGES[1]).write_bytes(b"")  # emptied after the inventory
    res = run_page_task(PageTask(source_root=str(src), ref=ref, cfg=BuildConfig()))
    assert res.quarantine is not None and res.quarantine.reason == "empty_file" and res.blocks == []


def test_page_stage_caches_and_same_records_on_every_executor(two_pages: Path, tmp_path: Path) -> None:
    refs = inventory(two_pages).pages
    cfg = BuildConfig()
    seen: list[int] = []
    with make_executor(ExecutorConfig(workers=2)) as ex:
        first = run_page_stage(two_pages, refs, tmp_path / "b", cfg, ex, seen.append)
    assert (first.ocr_calls, first.cache_hits, sum(seen)) == (2, 0, 2)
    assert [p.page_id for p in first.pages] == [r.page_id for r in refs]
    assert len(list((tmp_path / "b" / "ocr").glob("*.json"))) == 2
    with make_executor(ExecutorConfig(workers=1)) as ex:
        again = run_page_stage(two_pages, refs, tmp_path / "b", cfg, ex)
        fresh = run_page_stage(two_pages, refs, tmp_path / "c", cfg, ex)
    assert (again.ocr_calls, again.cache_hits) == (0, 2)
    assert again.blocks_by_page == first.blocks_by_page == fresh.blocks_by_page
    assert again.changes == first.changes == fresh.changes
