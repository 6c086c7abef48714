"""Two-page spreads: a scan of an open booklet (two printed pages side by side) is read page by page.

The Bosch Motronic test booklet is scanned as spreads (J01 | J02): each printed page has its own
frame, columns, tables and footer. Read as one page, the reading order interleaves the two: a gap
inside the left page (``Sistema BOSCH   : Motronic ML 3.1``) is taken for the column gutter, or the
long vertical rulings of a table on the right page make the whole spread one ruled "table" read
row by row across both pages.

:func:`spread_fold` finds the fold from the word boxes alone: a run of x in the middle band of
the scan (``band`` of the width) that no word box and no ruling shorter than ``frame_frac`` of the
width crosses (a frame drawn round both pages is no table), at least ``min_gap_frac`` of the width
wide, that no line the engine read crosses, with at least ``min_side_share`` of the words on each side, and each side's words reaching
over ``min_extent`` of the page height (two printed pages, not a heading over a photo). Two printed pages
are alike: the fold lies in ``fold_band`` of the width, and the share of its side that each side's text
spans differs by at most ``max_fill_diff`` (a table of labels | values with a wide gap is no spread). A photo
across the run makes it no fold. :func:`order_spread` orders each side as a page of its own (its
own gutter, tables and header / footer bands) and puts the left page before the right one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from manualtune.records import BBox, Line, Ruling

VERSION = "spread2"

OrderFn = Callable[..., tuple[list[Line], str]]


def spread_fold(lines: list[Line], rulings: list[Ruling], width: int, height: int, photos: list[BBox] | None = None,
                band: tuple[float, float] = (0.4, 0.6), min_gap_frac: float = 0.05, min_side_share: float = 0.25,
                min_extent: float = 0.6, min_words: int = 40, frame_frac: float = 0.8,
                fold_band: tuple[float, float] = (0.45, 0.55), max_fill_diff: float = 0.15) -> int | None:
    """x of the fold of a two-page spread (see the module docstring), or None."""
    words = [w for ln in lines for w in ln.words if any(c.isalnum() for c in w.text)]
    if len(words) < min_words or width <= 0 or height <= 0:
        return None
    used = np.zeros(width + 1, dtype=bool)
    for w in words:
        used[max(0, w.bbox.x0):min(width, w.bbox.x1) + 1] = True
    for r in rulings:
        if r.orientation == "h" and r.bbox.width < frame_frac * width:
            used[max(0, r.bbox.x0):min(width, r.bbox.x1) + 1] = True
    for p in photos or []:
        used[max(0, p.x0):min(width, p.x1) + 1] = True
    lo, hi = int(band[0] * width), int(band[1] * width)
    best: tuple[int, int] | None = None
    x = lo
    while x <= hi:
        if used[x]:
            x += 1
            continue
        start = x
        while x <= width and not used[x]:
            x += 1
        end = x  # the run may reach past the band: its width counts whole
        s = start
        while s > 0 and not used[s - 1]:
            s -= 1
        if best is None or end - s > best[1] - best[0]:
            best = (s, end)
    if best is None or best[1] - best[0] < min_gap_frac * width:
        return None
    fold = (best[0] + best[1]) // 2
    if not fold_band[0] * width <= fold <= fold_band[1] * width:
        return None  # two printed pages are as wide as each other: the fold is in the middle
    if any(min(w.bbox.x0 for w in ln.words) < fold < max(w.bbox.x1 for w in ln.words) for ln in lines if ln.words):
        return None  # the engine read a line across it: one page ('13 - 622' centred over a photo gap)
    left = [w for w in words if w.bbox.x1 <= fold]
    right = [w for w in words if w.bbox.x0 >= fold]
    fills = []
    for side, span in ((left, fold), (right, width - fold)):
        if len(side) < min_side_share * len(words):
            return None
        if max(w.bbox.y1 for w in side) - min(w.bbox.y0 for w in side) < min_extent * height:
            return None
        fills.append((max(w.bbox.x1 for w in side) - min(w.bbox.x0 for w in side)) / max(1, span))
    if abs(fills[0] - fills[1]) > max_fill_diff:
        return None  # a labels | values table (devdata torque_11-01: 0.81 | 0.64 of its sides), no two pages
    return fold


def _moved(b: BBox, dx: int) -> BBox:
    return BBox(x0=max(0, b.x0 + dx), y0=b.y0, x1=max(1, b.x1 + dx), y1=b.y1)


def _line_moved(ln: Line, dx: int) -> Line:
    return ln.model_copy(update={"bbox": _moved(ln.bbox, dx),
                                 "words": [w.model_copy(update={"bbox": _moved(w.bbox, dx)}) for w in ln.words]})


def order_spread(order: OrderFn, lines: list[Line], rulings: list[Ruling], height: int, width: int, fold: int,
                 fills: list[BBox] | None = None, photos: list[BBox] | None = None, **kw) -> tuple[list[Line], str]:
    """``order`` (an :func:`~manualtune.ocr.reading_order.order_lines`) run on each page of the
    spread, the right page in its own coordinates (shifted by ``-fold``, shifted back after), the
    left page's lines first. Rulings that cross the fold (a frame round both pages) belong to neither."""
    out: list[Line] = []
    for x0, x1 in ((0, fold), (fold, width)):
        def inside(b: BBox, x0: int = x0, x1: int = x1) -> bool:
            return b.x0 >= x0 and b.x1 <= x1

        side = [_line_moved(ln, -x0) for ln in lines if x0 <= (ln.bbox.x0 + ln.bbox.x1) / 2 < x1]
        if not side:
            continue
        rs = [r.model_copy(update={"bbox": _moved(r.bbox, -x0)}) for r in rulings if inside(r.bbox)]
        fs = [_moved(b, -x0) for b in fills or [] if inside(b)]
        ps = [_moved(b, -x0) for b in photos or [] if inside(b)] if photos is not None else None
        ordered, _ = order(side, rs, height, x1 - x0, fills=fs, photos=ps, **kw)
        out.extend(_line_moved(ln, x0) for ln in ordered)
    return out, "\n".join(ln.text for ln in out)
