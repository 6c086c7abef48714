"""The page task: everything done to one page, as one typed function over records.

    load -> preprocess -> OCR (or the PDF text layer) -> cleanup (second-opinion OCR, audit) -> blocks

:func:`run_page_task` reads its page from the source folder and returns a :class:`PageResult`; it
writes nothing, so it runs the same in this process, a local worker process or a Ray worker (see
:mod:`manualtune.executors`). The driver (:mod:`manualtune.pagetask.stage`) owns the caches and the
build folder: it hands a task the cached OCR of its page when there is one, and stores what the task
computed fresh. Whole-build stages (tables continued across pages, facts and their cross-source
merge, conflicts, examples, validation, split, exports, report) stay in the pipeline: they need
more than one page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from manualtune.config import BuildConfig
from manualtune.records import Block, CleanupChange, PageOCR, PageRef, Quarantine, Record
from manualtune.stage_errors import StageError, collect_stage_errors, stage_guard

CLEANUP_STAGE_VERSION = "2"  # 2: wire_size_dot rule, wiring-page second readings


class CleanedPage(Record):
    """Cache entry of the cleanup step: the cleaned page and its audit lines."""

    page: PageOCR
    changes: list[CleanupChange]


class PageTask(Record):
    """One page to process: where it is, the build config, and what the caches already hold."""

    source_root: str
    ref: PageRef
    cfg: BuildConfig
    ocr: PageOCR | None = None
    """The page's cached OCR (None: OCR it)."""
    cleaned: CleanedPage | None = None
    """The cached cleanup of that OCR (None: clean it)."""


class PageResult(Record):
    """What one page gives: the fresh OCR and cleanup (for the caches), the blocks, and problems."""

    page_id: str
    ocr: PageOCR | None = None
    """OCR computed by this task (None when it came from the cache or the page failed)."""
    cleaned: CleanedPage | None = None
    blocks: list[Block] = []
    quarantine: Quarantine | None = None
    stage_errors: list[StageError] = []
    fresh_ocr: bool = False
    fresh_cleanup: bool = False


def clean_page(page: PageOCR, cfg: BuildConfig, image_loader: Callable[[], object] | None) -> CleanedPage:
    """The cleanup step on one page (``image_loader`` gives the preprocessed page image, if any)."""
    from manualtune.facts.cleanup import cleanup_page

    new_page, changes = cleanup_page(page, cfg.facts, image_loader)
    return CleanedPage(page=new_page, changes=changes)


def _image_loader(source_root: Path, ref: PageRef, cfg: BuildConfig, page: PageOCR) -> Callable[[], object] | None:
    """Load the page again, only if the cleanup asks (never for a text layer): the image ``page``'s
    boxes refer to (:func:`~manualtune.ocr.page.ocr_boxes_image`: dot leaders painted out, the page's
    own scale where the OCR kept it), so that its word crops are those a fresh build takes from the
    image in memory and a rebuild from the OCR cache cleans the page the same way."""
    if ref.has_text_layer:
        return None

    def load() -> object:
        from manualtune.ingest.pages import load_page_image
        from manualtune.ocr.page import ocr_boxes_image

        return ocr_boxes_image(load_page_image(source_root, ref, cfg.ocr.dpi), cfg, (page.height, page.width))

    return load


def run_page_task(task: PageTask) -> PageResult:
    """Process one page (see the module docstring). Never raises for a bad page: an unreadable page
    is a ``quarantine``, an exception inside a stage a ``stage_errors`` entry."""
    from manualtune.ingest.pages import QuarantineError
    from manualtune.layout import build_blocks
    from manualtune.ocr.engines import process_engine
    from manualtune.ocr.page import process_page

    cfg, ref, root = task.cfg, task.ref, Path(task.source_root)
    result = PageResult(page_id=ref.page_id)
    page, image = task.ocr, None
    if page is None:
        try:
            page, image = process_page(root, ref, cfg, lambda: process_engine(cfg.ocr))
        except QuarantineError as e:
            result.quarantine = Quarantine(path=ref.source, page=ref.page, reason=e.reason, detail=e.detail or "")
            return result
        except Exception as e:  # noqa: BLE001 - one bad page never stops the build
            result.quarantine = Quarantine(path=ref.source, page=ref.page, reason="ocr_failed",
                                           detail=f"{type(e).__name__}: {e}")
            return result
        result.ocr, result.fresh_ocr = page, True
    with collect_stage_errors() as errors:
        cleaned = task.cleaned
        if cleaned is None:
            # the image the OCR boxes refer to is still in memory for a fresh page; else reload on demand
            loader = (lambda: image) if image is not None else _image_loader(root, ref, cfg, page)
            with stage_guard("cleanup", ref.page_id):  # recorded; the page goes on uncleaned, not cached
                cleaned = clean_page(page, cfg, loader)
                result.fresh_cleanup = True
        cleaned = cleaned or CleanedPage(page=page, changes=[])
        result.cleaned = cleaned
        result.blocks = build_blocks(cleaned.page, cfg.layout)
    result.stage_errors = errors
    return result


__all__ = ["CLEANUP_STAGE_VERSION", "CleanedPage", "PageResult", "PageTask", "clean_page", "run_page_task"]
