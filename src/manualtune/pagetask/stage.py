"""The page stage (driver side): every page through :func:`~manualtune.pagetask.run_page_task` on an
executor, with the caches and the build folder kept here.

Per page, two caches: OCR (:class:`~manualtune.ocr.stage.OCRCache`) and cleanup (key: the page id
and its OCR key + the facts config). A page with both cached runs inline (layout only); the others
go to the executor, carrying the cached OCR when only the cleanup is missing. Results are taken as
they finish, written (``ocr/*.json``), cached and reduced to what the whole-build stages need
(blocks, cleanup audit lines, word counts): no stage holds every page's words or image. The output
order is the input's, whatever the finishing order, so every executor gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from manualtune.cache import StageCache
from manualtune.config import BuildConfig
from manualtune.executors import Executor, TaskFailed
from manualtune.ocr.stage import OCR_DIR, VERSION, OCRCache, remove_stale, slow_pages_first, write_page_file
from manualtune.pagetask import CLEANUP_STAGE_VERSION, CleanedPage, PageResult, PageTask, run_page_task
from manualtune.records import Block, CleanupChange, PageRef, Quarantine
from manualtune.stage_errors import StageError


@dataclass
class PageSummary:
    page_id: str
    words: int
    mean_conf: float | None


@dataclass
class PageStageResult:
    """Per processed page (input order): its blocks, audit lines and counts; plus the failures."""

    pages: list[PageSummary] = field(default_factory=list)
    blocks_by_page: list[list[Block]] = field(default_factory=list)
    changes: list[CleanupChange] = field(default_factory=list)
    quarantined: list[Quarantine] = field(default_factory=list)
    stage_errors: list[StageError] = field(default_factory=list)
    ocr_calls: int = 0
    cache_hits: int = 0


class CleanupCache:
    """Cleaned pages keyed by page id + OCR cache key, under the facts config and the OCR version."""

    def __init__(self, build_dir: Path, cfg: BuildConfig):
        config = {"facts": cfg.facts.model_dump(mode="json"), "ocr_version": VERSION,
                  "preprocess": cfg.preprocess.model_dump(mode="json"), "ocr": cfg.ocr.model_dump(mode="json")}
        self.cache = StageCache(Path(build_dir) / "cache", "cleanup", CLEANUP_STAGE_VERSION, config)

    @staticmethod
    def _key(ref: PageRef) -> str:
        return f"{ref.page_id}|{ref.sha256}#p{ref.page}"

    def has(self, ref: PageRef) -> bool:
        return self.cache.path(self.cache.key(self._key(ref))).exists()

    def get(self, ref: PageRef) -> CleanedPage | None:
        return self.cache.get(self._key(ref), CleanedPage)

    def put(self, ref: PageRef, cleaned: CleanedPage) -> None:
        self.cache.put(self._key(ref), cleaned)


def run_page_stage(
    source_root: Path, refs: list[PageRef], build_dir: Path, cfg: BuildConfig, executor: Executor,
    progress: Callable[[int], None] | None = None,
) -> PageStageResult:
    """Run the page task on every non-HTML page (see the module docstring)."""
    advance = progress or (lambda _n=1: None)
    build_dir = Path(build_dir)
    ocr_cache, clean_cache = OCRCache(build_dir, cfg), CleanupCache(build_dir, cfg)
    refs = [r for r in refs if r.kind != "html"]
    root = str(Path(source_root))
    index = {r.page_id: i for i, r in enumerate(refs)}
    by_index: dict[int, tuple[PageSummary, list[Block], list[CleanupChange]]] = {}
    failed: dict[int, Quarantine] = {}
    keep: set[Path] = set()
    out = PageStageResult()

    def take(ref: PageRef, res: PageResult) -> None:
        i = index[ref.page_id]
        out.stage_errors.extend(res.stage_errors)
        advance(1)
        if res.quarantine is not None or res.cleaned is None:
            failed[i] = res.quarantine or Quarantine(path=ref.source, page=ref.page, reason="ocr_failed",
                                                     detail="the page task returned no page")
            return
        if res.fresh_ocr and res.ocr is not None:
            ocr_cache.put(ref, res.ocr)
        if res.fresh_cleanup:
            clean_cache.put(ref, res.cleaned)
        page = res.cleaned.page
        by_index[i] = (PageSummary(page.page_id, page.word_count, page.mean_conf), res.blocks, res.cleaned.changes)

    cached = [r for r in refs if ocr_cache.has(r) and clean_cache.has(r)]
    cached_ids = {r.page_id for r in cached}
    todo = slow_pages_first([r for r in refs if r.page_id not in cached_ids])
    out.cache_hits = sum(1 for r in refs if ocr_cache.has(r))
    out.ocr_calls = len(refs) - out.cache_hits
    for ref in cached:  # both steps cached: layout only, here
        ocr, cleaned = ocr_cache.get(ref), clean_cache.get(ref)
        if ocr is None or cleaned is None:  # a damaged entry: recompute through the executor
            todo.append(ref)
            continue
        keep.add(write_page_file(build_dir, ocr))
        take(ref, run_page_task(PageTask(source_root=root, ref=ref, cfg=cfg, ocr=ocr, cleaned=cleaned)))

    def tasks() -> Iterator[PageTask]:
        for ref in todo:
            ocr = ocr_cache.get(ref)
            if ocr is not None:
                keep.add(write_page_file(build_dir, ocr))
            yield PageTask(source_root=root, ref=ref, cfg=cfg, ocr=ocr)

    for i, outcome in executor.map(run_page_task, tasks()):
        ref = todo[i]
        if isinstance(outcome, TaskFailed):
            outcome = PageResult(page_id=ref.page_id, quarantine=Quarantine(
                path=ref.source, page=ref.page, reason="ocr_failed", detail=outcome.error))
        if outcome.ocr is not None:
            keep.add(write_page_file(build_dir, outcome.ocr))
        take(ref, outcome)
    remove_stale(build_dir / OCR_DIR, keep)

    for i in range(len(refs)):
        if i in by_index:
            summary, blocks, changes = by_index.pop(i)
            out.pages.append(summary)
            out.blocks_by_page.append(blocks)
            out.changes.extend(changes)
        elif i in failed:
            out.quarantined.append(failed[i])
    return out
