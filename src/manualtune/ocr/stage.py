"""The OCR stage's cache and files, and the OCR-only stage.

Text-layer PDF pages are read from the text layer; other pages are loaded, preprocessed and
OCR-ed (:mod:`manualtune.ocr.page`). Results are cached per page under ``<build>/cache/ocr``
(:class:`OCRCache`; key: stage version, the preprocess + OCR config, the file's sha256 and the
page number), so a rerun does no OCR and an interrupted build resumes, and mirrored in
``<build>/ocr/*.json``. The build runs OCR inside the page task (:mod:`manualtune.pagetask`);
:func:`run_ocr_stage` is the same OCR alone, through the same executors (one engine per worker).
A page that fails becomes a :class:`~manualtune.records.Quarantine`, never an abort.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402

from manualtune.cache import StageCache, atomic_write_text  # noqa: E402
from manualtune.config import BuildConfig  # noqa: E402
from manualtune.executors import Executor, ExecutorConfig, TaskFailed, make_executor  # noqa: E402
from manualtune.ingest.pages import QuarantineError  # noqa: E402
from manualtune.ocr.cells import VERSION as CELLS_VERSION  # noqa: E402
from manualtune.ocr.engines import process_engine  # noqa: E402
from manualtune.ocr.figures import VERSION as FIGURES_VERSION  # noqa: E402
from manualtune.ocr.margins import VERSION as MARGINS_VERSION  # noqa: E402
from manualtune.ocr.order_check import VERSION as ORDER_CHECK_VERSION  # noqa: E402
from manualtune.ocr.page import ocr_page_image, ocr_page_image_keep, process_page  # noqa: E402,F401
from manualtune.ocr.plusminus import VERSION as PLUSMINUS_VERSION  # noqa: E402
from manualtune.ocr.reading_order import VERSION as READING_ORDER_VERSION  # noqa: E402
from manualtune.ocr.wiring import VERSION as WIRING_VERSION  # noqa: E402
from manualtune.preprocess import VERSION as PREPROCESS_VERSION  # noqa: E402
from manualtune.records import PageOCR, PageRef, Quarantine, Record  # noqa: E402

VERSION = (f"6+pre{PREPROCESS_VERSION}+{READING_ORDER_VERSION}+{CELLS_VERSION}+{MARGINS_VERSION}+{PLUSMINUS_VERSION}"
           f"+{FIGURES_VERSION}+{WIRING_VERSION}+{ORDER_CHECK_VERSION}")
"""OCR stage version (includes the preprocess version); part of every cache key."""

OCR_DIR = "ocr"


@dataclass
class OCRStageResult:
    """Pages in input order (failed pages left out), quarantined pages, and cache counters."""

    pages: list[PageOCR] = field(default_factory=list)
    quarantined: list[Quarantine] = field(default_factory=list)
    ocr_calls: int = 0
    cache_hits: int = 0


def page_json_path(build_dir: Path, page_id: str) -> Path:
    """``<build>/ocr/<safe name>.json``: readable, filesystem-safe and unique per page id."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", page_id.split("@", 1)[0]).strip("._") or "page"
    digest = hashlib.sha256(page_id.encode("utf-8")).hexdigest()[:10]
    return Path(build_dir) / OCR_DIR / f"{slug[:120]}-{digest}.json"


def ocr_one(source_root: Path, ref: PageRef, cfg: BuildConfig) -> tuple[PageOCR | None, np.ndarray | None, Quarantine | None]:
    """OCR one page with this process's engine: (page, preprocessed image or None, None), or
    (None, None, quarantine entry) when the page cannot be read. Never raises."""
    try:
        page, image = process_page(Path(source_root), ref, cfg, lambda: process_engine(cfg.ocr))
    except QuarantineError as e:
        return None, None, Quarantine(path=ref.source, page=ref.page, reason=e.reason, detail=e.detail or "")
    except Exception as e:  # noqa: BLE001 - one bad page never stops the build
        return None, None, Quarantine(path=ref.source, page=ref.page, reason="ocr_failed", detail=f"{type(e).__name__}: {e}")
    return page, image, None


class OCRCache:
    """The per-page OCR cache (key: stage version, preprocess + OCR config, file sha256, page number)."""

    def __init__(self, build_dir: Path, cfg: BuildConfig):
        self.cache = StageCache(Path(build_dir) / "cache", "ocr", VERSION, _stage_config(cfg))

    def has(self, ref: PageRef) -> bool:
        return self.cache.path(self.cache.key(_cache_key(ref))).exists()

    def get(self, ref: PageRef) -> PageOCR | None:
        hit = self.cache.get(_cache_key(ref), PageOCR)
        # a cached page may come from an identical file elsewhere: re-label it for this ref
        return None if hit is None else hit.model_copy(update={"page_id": ref.page_id, "source": ref.source})

    def put(self, ref: PageRef, page: PageOCR) -> None:
        self.cache.put(_cache_key(ref), page)


def _cache_key(ref: PageRef) -> str:
    return f"{ref.sha256}#p{ref.page}"


def _stage_config(cfg: BuildConfig) -> dict:
    return {"preprocess": cfg.preprocess.model_dump(mode="json"), "ocr": cfg.ocr.model_dump(mode="json")}


class OCRTask(Record):
    source_root: str
    ref: PageRef
    cfg: BuildConfig


def _ocr_task(task: OCRTask) -> tuple[PageOCR | None, Quarantine | None]:
    page, _image, quarantine = ocr_one(Path(task.source_root), task.ref, task.cfg)
    return page, quarantine


def slow_pages_first(refs: list[PageRef]) -> list[PageRef]:
    """OCR pages first, cheap text-layer pages fill the gaps at the end (output order stays the input's)."""
    return sorted(refs, key=lambda r: r.kind == "pdf_page" and r.has_text_layer)


def run_ocr_stage(
    source_root: Path,
    pages: list[PageRef],
    build_dir: Path,
    cfg: BuildConfig | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    executor: Executor | None = None,
) -> OCRStageResult:
    """OCR (or read the text layer of) every non-HTML page; write ``<build>/ocr/*.json``.

    The OCR-only stage (the build runs the whole page task, :mod:`manualtune.pagetask`)."""
    cfg = cfg or BuildConfig()
    build_dir = Path(build_dir)
    advance = progress or (lambda _n=1: None)
    cache = OCRCache(build_dir, cfg)
    refs = [p for p in pages if p.kind != "html"]
    done: dict[str, PageOCR] = {}
    failed: dict[str, Quarantine] = {}
    misses: list[PageRef] = []
    for ref in refs:
        hit = cache.get(ref)
        if hit is not None:
            done[ref.page_id] = hit
            advance(1)
        else:
            misses.append(ref)
    todo = slow_pages_first(misses)
    own = executor is None
    executor = executor or make_executor(ExecutorConfig(workers=max(1, min(workers, len(misses) or 1))))
    try:
        tasks = (OCRTask(source_root=str(source_root), ref=ref, cfg=cfg) for ref in todo)
        for i, outcome in executor.map(_ocr_task, tasks):
            ref = todo[i]
            if isinstance(outcome, TaskFailed):
                outcome = (None, Quarantine(path=ref.source, page=ref.page, reason="ocr_failed", detail=outcome.error))
            page, quarantine = outcome
            if page is not None:
                cache.put(ref, page)
                done[ref.page_id] = page
            else:
                failed[ref.page_id] = quarantine
            advance(1)
    finally:
        if own:
            executor.close()

    result = OCRStageResult(ocr_calls=len(misses), cache_hits=len(refs) - len(misses))
    keep: set[Path] = set()
    for ref in refs:
        if ref.page_id in done:
            keep.add(write_page_file(build_dir, done[ref.page_id]))
            result.pages.append(done[ref.page_id])
        elif ref.page_id in failed:
            result.quarantined.append(failed[ref.page_id])
    remove_stale(build_dir / OCR_DIR, keep)
    return result


def write_page_file(build_dir: Path, page: PageOCR) -> Path:
    """``<build>/ocr/<page>.json`` (see :func:`page_json_path`); returns its path."""
    path = page_json_path(build_dir, page.page_id)
    _write_if_changed(path, page)
    return path


def _write_if_changed(path: Path, page: PageOCR) -> None:
    """Atomic write; skipped when the file already holds exactly these bytes (cheap no-op rebuilds).
    pydantic's serializer, in field order: as stable as sorted keys, several times faster."""
    text = page.model_dump_json(indent=1) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text)


def remove_stale(ocr_dir: Path, keep: set[Path]) -> None:
    """Delete page files of pages no longer in the source folder (the folder mirrors the pages)."""
    if not ocr_dir.is_dir():
        return
    for p in sorted(ocr_dir.glob("*.json")):
        if p not in keep:
            p.unlink(missing_ok=True)
