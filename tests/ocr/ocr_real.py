"""A page of ``../shared/realpages`` read by the OCR stage as a build reads it (tests skip without the folder)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from manualtune.records import PageOCR, PageRef

REALPAGES = Path(__file__).resolve().parents[3] / "shared" / "realpages"


def real_page(rel: str) -> PageOCR:
    """``process_page`` of one realpages file with the default build config."""
    from manualtune.config import BuildConfig
    from manualtune.ocr import TesseractEngine
    from manualtune.ocr.page import process_page

    sha = hashlib.sha256((REALPAGES / rel).read_bytes()).hexdigest()
    cfg = BuildConfig()
    ref = PageRef(page_id=f"{rel}#p1@{sha[:12]}", source=rel, page=1, sha256=sha, kind="image")
    return process_page(REALPAGES, ref, cfg, lambda: TesseractEngine(cfg.ocr))[0]
