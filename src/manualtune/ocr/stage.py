"""The OCR stage: every non-HTML page -> :class:`~manualtune.records.PageOCR`, cached, in parallel.

Text-layer PDF pages are read from the text layer; other pages are loaded, preprocessed and
OCR-ed. Results are cached per page under ``<build>/cache/ocr`` (key: stage version, the
preprocess + OCR config, the file's sha256 and the page number), so a rerun does no OCR and an
interrupted build resumes. Cache misses run in a process pool with one engine per worker.
A page that fails becomes a :class:`~manualtune.records.Quarantine`, never an abort.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402

from manualtune.cache import StageCache, write_json  # noqa: E402
from manualtune.config import BuildConfig  # noqa: E402
from manualtune.ingest.pages import QuarantineError  # noqa: E402
from manualtune.ocr.cells import VERSION as CELLS_VERSION  # noqa: E402
from manualtune.ocr.engines import OCREngine, make_engine  # noqa: E402
from manualtune.ocr.figures import VERSION as FIGURES_VERSION  # noqa: E402
from manualtune.ocr.margins import VERSION as MARGINS_VERSION  # noqa: E402
from manualtune.ocr.page import ocr_page_image, ocr_page_image_keep, process_page  # noqa: E402,F401
from manualtune.ocr.plusminus import VERSION as PLUSMINUS_VERSION  # noqa: E402
from manualtune.ocr.reading_order import VERSION as READING_ORDER_VERSION  # noqa: E402
from manualtune.ocr.wiring import VERSION as WIRING_VERSION  # noqa: E402
from manualtune.preprocess import VERSION as PREPROCESS_VERSION  # noqa: E402
from manualtune.records import PageOCR, PageRef, Quarantine  # noqa: E402

VERSION = (f"6+pre{PREPROCESS_VERSION}+{READING_ORDER_VERSION}+{CELLS_VERSION}+{MARGINS_VERSION}+{PLUSMINUS_VERSION}"
           f"+{FIGURES_VERSION}+{WIRING_VERSION}")
"""OCR stage version (includes the preprocess version); part of every cache key."""

OCR_DIR = "ocr"

AfterOCR = Callable[[PageOCR, "np.ndarray | None"], Any]
"""A function run in the OCR worker on each freshly OCR-ed page and its preprocessed image."""


@dataclass
class OCRStageResult:
    """Pages in input order (failed pages left out), quarantined pages, and cache counters."""

    pages: list[PageOCR] = field(default_factory=list)
    quarantined: list[Quarantine] = field(default_factory=list)
    ocr_calls: int = 0
    cache_hits: int = 0
    after_ocr: dict[str, Any] = field(default_factory=dict)
    """page_id -> what ``after_ocr`` returned for a freshly OCR-ed page (cache misses only)."""



def page_json_path(build_dir: Path, page_id: str) -> Path:
    """``<build>/ocr/<safe name>.json``: readable, filesystem-safe and unique per page id."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", page_id.split("@", 1)[0]).strip("._") or "page"
    digest = hashlib.sha256(page_id.encode("utf-8")).hexdigest()[:10]
    return Path(build_dir) / OCR_DIR / f"{slug[:120]}-{digest}.json"


# ---------------------------------------------------------------------------- worker processes

_WORKER: dict[str, object] = {}


def _init_worker(cfg_json: str, after_ocr: AfterOCR | None = None) -> None:
    """Pool initializer: one config and one (lazily created) engine per worker process."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _WORKER["cfg"] = BuildConfig.model_validate_json(cfg_json)
    _WORKER["after_ocr"] = after_ocr
    _WORKER.pop("engine", None)


def _worker_engine() -> OCREngine:
    if "engine" not in _WORKER:
        cfg = _WORKER["cfg"]
        assert isinstance(cfg, BuildConfig)
        _WORKER["engine"] = make_engine(cfg.ocr)
    return _WORKER["engine"]  # type: ignore[return-value]


def _run_one(source_root: str, ref_json: str) -> tuple[str, str | None, str | None, Any]:
    """Worker task: returns (page json or '', quarantine reason, detail, after_ocr result). Never raises."""
    ref = PageRef.model_validate_json(ref_json)
    cfg = _WORKER["cfg"]
    assert isinstance(cfg, BuildConfig)
    try:
        page, image = process_page(Path(source_root), ref, cfg, _worker_engine)
    except QuarantineError as e:
        return "", e.reason, e.detail, None
    except Exception as e:  # noqa: BLE001 - one bad page never stops the build
        return "", "ocr_failed", f"{type(e).__name__}: {e}", None
    extra = None
    after = _WORKER.get("after_ocr")
    if after is not None:
        try:
            extra = after(page, image)  # type: ignore[operator]
        except Exception:  # noqa: BLE001 - the later stage recomputes what this could not
            extra = None
    return page.model_dump_json(), None, None, extra


def _cache_key(ref: PageRef) -> str:
    return f"{ref.sha256}#p{ref.page}"


def _stage_config(cfg: BuildConfig) -> dict:
    return {"preprocess": cfg.preprocess.model_dump(mode="json"), "ocr": cfg.ocr.model_dump(mode="json")}


def run_ocr_stage(
    source_root: Path,
    pages: list[PageRef],
    build_dir: Path,
    cfg: BuildConfig | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    after_ocr: AfterOCR | None = None,
) -> OCRStageResult:
    """OCR (or read the text layer of) every non-HTML page; write ``<build>/ocr/*.json``.

    ``after_ocr(page, image)`` runs in the worker right after a page is OCR-ed (cache misses only),
    with the preprocessed image still in memory (None for a text layer); its (picklable) result is
    returned in ``OCRStageResult.after_ocr``. The pipeline uses it to run the cleanup stage's
    second-opinion OCR without loading and preprocessing the page again.
    """
    cfg = cfg or BuildConfig()
    source_root = Path(source_root)
    build_dir = Path(build_dir)
    advance = progress or (lambda _n=1: None)
    cache = StageCache(build_dir / "cache", "ocr", VERSION, _stage_config(cfg))
    refs = [p for p in pages if p.kind != "html"]
    done: dict[str, PageOCR] = {}
    failed: dict[str, Quarantine] = {}
    misses: list[PageRef] = []
    for ref in refs:
        hit = cache.get(_cache_key(ref), PageOCR)
        if hit is not None:
            # a cached page may come from an identical file elsewhere: re-label it for this ref
            done[ref.page_id] = hit.model_copy(update={"page_id": ref.page_id, "source": ref.source})
            advance(1)
        else:
            misses.append(ref)

    extras: dict[str, Any] = {}

    def finish(ref: PageRef, page_json: str, reason: str | None, detail: str | None, extra: Any = None) -> None:
        if extra is not None:
            extras[ref.page_id] = extra
        if reason is None:
            page = PageOCR.model_validate_json(page_json)
            cache.put(_cache_key(ref), page)
            done[ref.page_id] = page
        else:
            failed[ref.page_id] = Quarantine(path=ref.source, page=ref.page, reason=reason, detail=detail or "")
        advance(1)

    cfg_json = cfg.model_dump_json()
    root = str(source_root)
    if misses and workers <= 1:
        _init_worker(cfg_json, after_ocr)
        try:
            for ref in misses:
                finish(ref, *_run_one(root, ref.model_dump_json()))
        finally:
            _WORKER.clear()
    elif misses:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        n = max(1, min(workers, len(misses)))
        with ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker, initargs=(cfg_json, after_ocr)) as pool:
            # slow (OCR) pages first, cheap text-layer pages fill the gaps; output order is the input's
            todo = sorted(misses, key=lambda r: r.kind == "pdf_page" and r.has_text_layer)
            futures = {pool.submit(_run_one, root, ref.model_dump_json()): ref for ref in todo}
            for fut in as_completed(futures):
                ref = futures[fut]
                try:
                    finish(ref, *fut.result())
                except Exception as e:  # noqa: BLE001 - a crashed worker quarantines its page
                    finish(ref, "", "ocr_failed", f"worker failed: {type(e).__name__}: {e}")

    result = OCRStageResult(ocr_calls=len(misses), cache_hits=len(refs) - len(misses), after_ocr=extras)
    keep: set[Path] = set()
    for ref in refs:
        if ref.page_id in done:
            page = done[ref.page_id]
            path = page_json_path(build_dir, ref.page_id)
            _write_if_changed(path, page)
            keep.add(path)
            result.pages.append(page)
        elif ref.page_id in failed:
            result.quarantined.append(failed[ref.page_id])
    _remove_stale(build_dir / OCR_DIR, keep)
    return result


def _write_if_changed(path: Path, page: PageOCR) -> None:
    """Atomic write; skipped when the file already holds exactly these bytes (cheap no-op rebuilds)."""
    import json

    text = json.dumps(page.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_json(path, page)


def _remove_stale(ocr_dir: Path, keep: set[Path]) -> None:
    """Delete page files of pages no longer in the source folder (the folder mirrors the pages)."""
    if not ocr_dir.is_dir():
        return
    for p in sorted(ocr_dir.glob("*.json")):
        if p not in keep:
            p.unlink(missing_ok=True)
