"""One page's OCR: load -> preprocess -> dot leaders painted out -> engine -> the page passes (scale
choice, page references after leaders, table cells, text the first reading left out, photo text, columns,
wiring re-read, reading order (checked against tesseract's own, :mod:`manualtune.ocr.order_check`), step
numbers, plus/minus) -> :class:`PageOCR`.

Pure per page (no cache, no build folder): :mod:`manualtune.ocr.stage` caches it and the page task
(:mod:`manualtune.pagetask`) runs it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402

from manualtune.config import BuildConfig  # noqa: E402
from manualtune.ingest.pages import QuarantineError, load_page_image, pdf_text_layer  # noqa: E402
from manualtune.ocr.cells import read_table_cells  # noqa: E402
from manualtune.ocr.config import OCRConfig  # noqa: E402
from manualtune.ocr.engines import OCREngine  # noqa: E402
from manualtune.ocr.figures import merge_figures, photo_masks, photo_regions, separate_figure_text  # noqa: E402
from manualtune.ocr.leaders import Leader, paint_dot_leaders, reread_page_refs  # noqa: E402
from manualtune.ocr.margins import recover_step_numbers  # noqa: E402
from manualtune.ocr.order_check import choose_order, cut_at_photos  # noqa: E402
from manualtune.ocr.plusminus import check_plus_as_four, check_plus_minus  # noqa: E402
from manualtune.ocr.reading_order import order_lines, recognize_columns  # noqa: E402
from manualtune.ocr.unread import read_unread_text  # noqa: E402
from manualtune.ocr.wiring import is_wiring_page, reread_wiring_page  # noqa: E402
from manualtune.preprocess import preprocess  # noqa: E402
from manualtune.records import Line, PageOCR, PageRef  # noqa: E402


def ocr_page_image(gray: np.ndarray, ref: PageRef, cfg: BuildConfig, engine: OCREngine) -> PageOCR:
    """Preprocess one page image and OCR it."""
    return ocr_page_image_keep(gray, ref, cfg, engine)[0]


def ocr_page_image_keep(
    gray: np.ndarray, ref: PageRef, cfg: BuildConfig, engine: OCREngine
) -> tuple[PageOCR, np.ndarray]:
    """:func:`ocr_page_image`, also returning the preprocessed image the boxes refer to."""
    pre, leaders, notes = _without_leaders(preprocess(gray, cfg.preprocess))
    lines = engine.recognize(pre.image)
    lines, empty_notes = read_empty_page_again(pre.image, lines, engine, cfg.ocr)
    notes += empty_notes
    wiring = cfg.ocr.wiring_reread and cfg.ocr.engine == "tesseract" and is_wiring_page(lines, cfg.ocr.wiring_min_labels)
    if pre.scale > 1 and cfg.ocr.rescale_below_conf > 0 and not wiring:  # wiring labels: RapidOCR reads them
        pre, lines, scale_notes, flat_leaders = _keep_better_scale(gray, pre, lines, cfg, engine)
        notes += scale_notes
        leaders = leaders if flat_leaders is None else flat_leaders
    if leaders:
        lines, ref_notes = reread_page_refs(pre.image, lines, leaders, tessdata=cfg.ocr.tessdata)
        notes += ref_notes
    h, w = pre.image.shape[:2]
    fills = [ld.box for ld in leaders]  # a leader joins its row: never a column gutter
    if cfg.ocr.table_cell_pass and pre.rulings:
        lines = read_table_cells(pre.image, lines, pre.rulings, tessdata=cfg.ocr.tessdata)
    text = None
    # on a wiring diagram the drawing's text is the content (shaded boxes are no photos)
    regions = photo_regions(pre.image) if cfg.ocr.figure_text_pass and not wiring else []
    figures = []
    if cfg.ocr.figure_text_pass and not wiring:
        lines, unread_notes = read_unread_text(pre.image, lines, photo_masks(regions, lines), tessdata=cfg.ocr.tessdata)
        notes += unread_notes
        lines, figures = separate_figure_text(lines, regions, height=h)
    if cfg.ocr.column_reading_order:
        lines = recognize_columns(pre.image, engine, lines, pre.rulings, masks=regions, fills=fills)
        if cfg.ocr.figure_text_pass and not wiring:
            lines, again = separate_figure_text(lines, regions, height=h)
            figures = merge_figures(figures, again)
    if wiring:
        lines, wire_notes = reread_wiring_page(pre.image, lines, min_labels=0)
        notes += wire_notes
    if cfg.ocr.table_reading_order or cfg.ocr.column_reading_order:
        photos = photo_masks(regions, lines) if regions else None
        read = lines
        lines, text = order_lines(read, pre.rulings, h, w, columns=cfg.ocr.column_reading_order,
                                  tables=cfg.ocr.table_reading_order, fills=fills, photos=photos)
        if cfg.ocr.column_reading_order:  # rows joined across printed columns?
            theirs, _ = order_lines(cut_at_photos(read, photos or []), pre.rulings, h, w, columns=False,
                                    tables=cfg.ocr.table_reading_order, fills=fills, photos=photos)
            kept, order_notes = choose_order(lines, theirs, photos or [], read)
            if order_notes:
                lines, text = kept, "\n".join(ln.text for ln in kept)
                notes += order_notes
    if cfg.ocr.step_number_pass:
        lines, step_notes = recover_step_numbers(pre.image, lines, pre.rulings, tessdata=cfg.ocr.tessdata,
                                                 min_conf=cfg.ocr.step_number_min_conf)
        notes += step_notes
    if cfg.ocr.plus_minus_check:
        lines, pm_notes = check_plus_minus(pre.image, lines)
        notes += pm_notes
        lines, four_notes = check_plus_as_four(pre.image, lines, cfg.facts)
        notes += four_notes
    if notes and text is not None:
        text = "\n".join(ln.text for ln in lines)  # order_lines' text is its lines joined
    page = PageOCR.from_lines(
        ref, lines, f"{engine.name}+rapidocr" if wiring else engine.name, w, h, cfg.ocr.dpi if ref.kind == "pdf_page" else None,
        deskew_angle=-pre.angle, rulings=pre.rulings,  # the rotation that straightened the scan
        notes=notes, figures=figures,
    )
    return (page if text is None else page.model_copy(update={"text": text})), pre.image


def read_empty_page_again(image: np.ndarray, lines: list[Line], engine: OCREngine,
                          cfg: OCRConfig) -> tuple[list[Line], list[str]]:
    """A page on which the engine read (almost) no word is read again told ``cfg.empty_page_dpi``;
    the second reading is kept when it has more words, with a note."""
    first = sum(len(ln.words) for ln in lines)
    if not cfg.empty_page_dpi or first >= cfg.empty_page_words:
        return lines, []
    again = engine.recognize(image, dpi=cfg.empty_page_dpi)
    second = sum(len(ln.words) for ln in again)
    if second <= first:
        return lines, []
    return again, [f"page read again at {cfg.empty_page_dpi} dpi: {second} words (first pass {first})"]


def _without_leaders(pre) -> tuple[object, list[Leader], list[str]]:
    """The preprocessed page with its dot leaders painted white (:mod:`manualtune.ocr.leaders`)
    and a note saying how many dots were painted (none: the page as it was, no note)."""
    image, leaders = paint_dot_leaders(pre.image)
    if not leaders:
        return pre, [], []
    n = sum(len(ld.dots) for ld in leaders)
    return replace(pre, image=image), leaders, [f"{len(leaders)} dot leaders ({n} dots) painted out before OCR"]


def ocr_boxes_image(gray: np.ndarray, cfg: BuildConfig, shape: tuple[int, int]) -> np.ndarray:
    """The image a page's OCR boxes refer to, made again from the page's pixels (an incremental build
    whose OCR is cached): preprocessed and its dot leaders painted out as :func:`ocr_page_image_keep`
    did, at the page's own scale when the OCR kept that (``shape``, the OCR's (height, width), is not
    the enlarged page's: :func:`_keep_better_scale`)."""
    image = _without_leaders(preprocess(gray, cfg.preprocess))[0].image
    if image.shape[:2] != shape:
        image = _without_leaders(preprocess(gray, cfg.preprocess.model_copy(update={"upscale_to_char_px": None})))[0].image
    return image


def _mean_conf(lines) -> float:
    confs = [w.conf for ln in lines for w in ln.words]
    return float(np.mean(confs)) if confs else 0.0


def _keep_better_scale(gray: np.ndarray, pre, lines, cfg: BuildConfig, engine: OCREngine):
    """Enlarging small print helps tesseract on most pages but garbles some (index pages with
    dot leaders, fine halftone print): when the enlarged page's mean word confidence is below
    ``cfg.ocr.rescale_below_conf``, the page is read again at its own scale and the reading with
    the higher mean confidence is kept (a note says which). The last item: the own-scale page's
    dot leaders when that page is kept, else None."""
    first = _mean_conf(lines)
    if first >= cfg.ocr.rescale_below_conf:
        return pre, lines, [], None
    flat, leaders, _ = _without_leaders(preprocess(gray, cfg.preprocess.model_copy(update={"upscale_to_char_px": None})))
    again = engine.recognize(flat.image)
    second = _mean_conf(again)
    if second > first:
        return flat, again, [f"enlarged x{pre.scale} read at mean confidence {first:.1f} < {cfg.ocr.rescale_below_conf:g}: "
                             f"read at the page's own scale instead ({second:.1f})"], leaders
    return pre, lines, [f"enlarged x{pre.scale} read at mean confidence {first:.1f}; own scale {second:.1f}: enlarged kept"], None


def process_page(
    source_root: Path, ref: PageRef, cfg: BuildConfig, engine_factory: Callable[[], OCREngine]
) -> tuple[PageOCR, np.ndarray | None]:
    """One page: text layer when there is one, else load -> preprocess -> OCR.

    Returns the page and the preprocessed image its boxes refer to (None for a text layer)."""
    if ref.kind == "html":
        raise QuarantineError("other", "HTML sheets are not OCR-ed")
    if ref.kind == "pdf_page" and ref.has_text_layer and cfg.ocr.use_text_layer:
        page = pdf_text_layer(source_root, ref, cfg.ocr.dpi)
        if page is not None:
            return page, None
    gray = load_page_image(source_root, ref, cfg.ocr.dpi)
    return ocr_page_image_keep(gray, ref, cfg, engine_factory())
