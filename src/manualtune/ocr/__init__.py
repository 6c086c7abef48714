"""manualtune.ocr stage family: OCR engines, the cached parallel OCR stage, one-image OCR."""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from pathlib import Path  # noqa: E402

from manualtune.ocr.config import OCRConfig  # noqa: E402
from manualtune.ocr.engines import OCREngine, RapidOCREngine, TesseractEngine, make_engine  # noqa: E402
from manualtune.records import PageOCR  # noqa: E402


def ocr_image(path: Path, cfg=None) -> PageOCR:
    """OCR one image file (for ``manualtune ocr IMAGE``); raises ``QuarantineError`` on bad input.

    ``cfg`` is a :class:`manualtune.config.BuildConfig` (default config when None).
    """
    from manualtune.cache import sha256_file
    from manualtune.config import BuildConfig
    from manualtune.ingest.inventory import make_page_id
    from manualtune.ingest.pages import load_page_image
    from manualtune.ocr.stage import ocr_page_image
    from manualtune.records import PageRef

    cfg = cfg or BuildConfig()
    path = Path(path)
    sha = sha256_file(path)
    ref = PageRef(page_id=make_page_id(path.name, 1, sha), source=path.name, page=1, sha256=sha, kind="image")
    gray = load_page_image(path.parent, ref, cfg.ocr.dpi)
    engine = make_engine(cfg.ocr)
    try:
        return ocr_page_image(gray, ref, cfg, engine)
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()


__all__ = ["OCRConfig", "OCREngine", "RapidOCREngine", "TesseractEngine", "make_engine", "ocr_image"]
