"""The page's column and table model, fitted to the word boxes of the whole page: where ruled
tables span (:func:`table_spans`), where the text gutter is (:func:`page_column_split`,
:func:`index_column_splits` for op-code | title | page index pages, :func:`photo_gutter` for
photo | text pages), how far a skewed scan slopes (:func:`leader_slope`), and the visual rows
rebuilt from words (:func:`_rows`). :mod:`manualtune.ocr.reading_order` orders lines with it;
:mod:`manualtune.ocr.margins` uses the same spans and split.
"""

from __future__ import annotations

import re
from statistics import median

import numpy as np

from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import (
    TextLine,
    detect_column_split,
    detect_column_splits,
    group_lines,
    row_top,
    split_segments,
)
from manualtune.layout.patterns import DATE, FRB_ID, page_label_of
from manualtune.records import BBox, Line, Ruling, Word


def table_spans(rulings: list[Ruling], height: int, min_height_frac: float = 0.3, min_vrulings: int = 2,
                photos: list[BBox] | None = None) -> list[tuple[int, int]]:
    """Vertical spans ``(y0, y1)`` covered by >= ``min_vrulings`` long overlapping vertical rulings.

    A span is dropped when a photo region (``photos``) lies in it between its rulings: a table
    holds no halftone photo, so those rulings are the scan's dark borders or photo edges (two
    border lines made a whole photo | text page one "table" read row by row across both columns).
    """
    long_v = sorted(
        (r.bbox for r in rulings if r.orientation == "v" and r.bbox.height >= min_height_frac * height),
        key=lambda b: (b.y0, b.y1),
    )
    groups: list[list] = []
    for b in long_v:
        for g in groups:
            y0, y1 = min(x.y0 for x in g), max(x.y1 for x in g)
            if min(b.y1, y1) - max(b.y0, y0) >= 0.5 * min(b.height, y1 - y0):
                g.append(b)
                break
        else:
            groups.append([b])

    def holds_photo(g: list) -> bool:
        x0, x1 = min(b.x0 for b in g), max(b.x1 for b in g)
        y0, y1 = min(b.y0 for b in g), max(b.y1 for b in g)
        return any(x0 <= (p.x0 + p.x1) / 2 <= x1 and y0 <= (p.y0 + p.y1) / 2 <= y1 for p in photos or [])

    spans = [(min(b.y0 for b in g), max(b.y1 for b in g)) for g in groups if len(g) >= min_vrulings and not holds_photo(g)]
    return sorted(spans)


def _span_of(box: BBox, spans: list[tuple[int, int]]) -> int | None:
    cy = (box.y0 + box.y1) / 2
    return next((i for i, (y0, y1) in enumerate(spans) if y0 <= cy <= y1), None)


def _band(box: BBox, height: int, cfg: LayoutConfig) -> int:
    """-1: inside the running-header band, 1: inside the footer band, 0: body."""
    if box.y1 <= cfg.header_band_frac * height:
        return -1
    if box.y0 >= (1.0 - cfg.footer_band_frac) * height:
        return 1
    return 0


def _is_running_head(row: Line, cfg: LayoutConfig) -> bool:
    """A header / footer row: one of its segments is a page label ('11-44'), a bare page number,
    a date or a file id (the layout's header rule, :mod:`manualtune.layout.patterns`)."""
    for seg in split_segments(TextLine(words=_sorted_words(row)), cfg):
        t = " ".join(w.text for w in seg)
        if page_label_of(t) or FRB_ID.search(t) or DATE.match(t) or re.fullmatch(r"\d{1,4}", t):
            return True
    return False


def page_column_split(lines: list[Line], spans: list[tuple[int, int]], width: int, height: int,
                      cfg: LayoutConfig | None = None, fills: list[BBox] | None = None) -> int | None:
    """x of the gutter between two text columns (None: one column), from the body words only
    (header / footer bands and ruled-table spans left out), by :func:`detect_column_split`.

    ``fills``: boxes of printed non-text that joins a row (dot leaders painted out before OCR):
    counted as words, so the gap between an index title and its page reference is no gutter."""
    cfg = cfg or LayoutConfig()
    words = [
        w for ln in lines if _band(ln.bbox, height, cfg) == 0
        for w in ln.words if _span_of(w.bbox, spans) is None
    ]
    words += _leader_words(words, [b for b in fills or [] if _band(b, height, cfg) == 0 and _span_of(b, spans) is None])
    return detect_column_split(words, width, cfg)


def _leader_words(words: list[Word], fills: list[BBox], reach: float = 3.0) -> list[Word]:
    """Dot leaders as words of the column histogram, each reaching over the blank run to the word
    it leads to (the page reference) and back to the word it follows (the title), when that word is
    on its row within ``reach`` x the median word height: a leader's dots stop short of the
    reference, and the run between them is no gutter (the middle column of a three-column index
    page read 'title ..... | 6413-0' with its page references cut off as a column of their own)."""
    if not fills:
        return []
    h = median(w.bbox.height for w in words) if words else 0.0
    out = []
    for b in fills:
        row = [w for w in words if min(w.bbox.y1, b.y1 + h) - max(w.bbox.y0, b.y0 - h) > 0]
        after = [w.bbox.x0 for w in row if b.x1 <= w.bbox.x0 <= b.x1 + reach * h]
        before = [w.bbox.x1 for w in row if b.x0 - reach * h <= w.bbox.x1 <= b.x0]
        box = BBox(x0=min(before) if before else b.x0, y0=b.y0, x1=max(b.x1, min(after)) if after else b.x1, y1=b.y1)
        out.append(Word(text="\u2026", bbox=box, conf=100.0))
    return out


def index_column_splits(lines: list[Line], spans: list[tuple[int, int]], width: int, height: int, split: int,
                        cfg: LayoutConfig | None = None, fills: list[BBox] | None = None,
                        min_fills: int = 6) -> list[int]:
    """The gutters of a page whose dot leaders (``fills``, at least ``min_fills``) make it an index
    page: ``split`` and any gutter found again within each side of it
    (:func:`~manualtune.layout.geometry.detect_column_splits`, the same body words as
    :func:`page_column_split`). Three columns of title | page across a page need both gutters: with
    one, a rebuilt row runs from the left column's page reference into the middle column's title."""
    cfg = cfg or LayoutConfig()
    if len(fills or []) < min_fills:
        return [split]
    words = [
        w for ln in lines if _band(ln.bbox, height, cfg) == 0
        for w in ln.words if _span_of(w.bbox, spans) is None
    ]
    words += _leader_words(words, [b for b in fills or [] if _band(b, height, cfg) == 0 and _span_of(b, spans) is None])
    left = [w for w in words if (w.bbox.x0 + w.bbox.x1) / 2 < split]
    right = [w for w in words if (w.bbox.x0 + w.bbox.x1) / 2 >= split]
    return (detect_column_splits(left, split, cfg, depth=1) + [split]
            + detect_column_splits(right, width - split, cfg, depth=1, x0=split))


def _within(b: BBox, r: BBox, pad: int = 12) -> bool:
    return r.x0 - pad <= b.x0 and b.x1 <= r.x1 + pad and r.y0 - pad <= b.y0 and b.y1 <= r.y1 + pad


def photo_gutter(lines: list[Line], photos: list[BBox], width: int, cfg: LayoutConfig | None = None) -> int | None:
    """x of a gutter that a photo column makes (None: none): the left edge of the leftmost photo
    whose left edge lies in ``cfg.column_search`` of the width, with at least
    ``cfg.wide_gutter_min_words`` words of 4+ letters ending left of it and as many starting
    right of it, on the rows the photo spans or below.

    A photo | text | photo | text page whose right text column is one caption has too few words
    for :func:`detect_column_split` (and its only line may sit in the header band); the photos
    still say where the second column starts, and a line of body text never runs across one."""
    cfg = cfg or LayoutConfig()
    words = [w for ln in lines for w in ln.words if w.conf >= cfg.text_word_conf and sum(c.isalpha() for c in w.text) >= 4]
    lo, hi = cfg.column_search
    for r in sorted(photos, key=lambda b: b.x0):
        if not lo * width <= r.x0 <= hi * width:
            continue
        below = [w for w in words if w.bbox.y1 >= r.y0]
        left = sum(1 for w in below if w.bbox.x1 <= r.x0)
        right = sum(1 for w in below if w.bbox.x0 >= r.x1)
        if min(left, right) >= cfg.wide_gutter_min_words:
            return r.x0
    return None


def _new_line(words: list[Word], src: Line | None) -> Line:
    box = BBox.enclosing([w.bbox for w in words])
    assert box is not None
    return Line(
        text=" ".join(w.text for w in words),
        bbox=box,
        conf=round(float(np.mean([w.conf for w in words])), 2),
        words=words,
        block_num=src.block_num if src else 0,
        par_num=src.par_num if src else 0,
        line_num=src.line_num if src else 0,
    )


def _rows(words: list[Word], owner: dict[int, Line], cfg: LayoutConfig) -> list[Line]:
    """Visual rows of ``words`` (:func:`group_lines`), top down, words left to right."""
    out: list[Line] = []
    for tl in group_lines(words, cfg):
        src = owner.get(id(tl.words[0]))
        if src is not None and len(src.words) == len(tl.words) and {id(w) for w in src.words} == {id(w) for w in tl.words}:
            out.append(src)
        else:
            out.append(_new_line(tl.words, src))
    return out


def _sorted_words(ln: Line) -> list[Word]:
    return sorted(ln.words, key=lambda w: (w.bbox.x0, w.bbox.y0))


def _column_order(items: list[tuple[int, Line]]) -> list[Line]:
    """Full-width lines split the page into bands; per band the left column, then the right."""
    def top(ln: Line) -> int:
        return row_top(ln.words) if ln.words else ln.bbox.y0

    spans = sorted({top(ln) for col, ln in items if col == -1})

    def key(item: tuple[int, Line]) -> tuple[int, int, int, int]:
        col, ln = item
        y = top(ln)
        if col == -1:
            return (2 * (spans.index(y) + 1) - 1, 0, y, ln.bbox.x0)
        return (2 * sum(1 for s in spans if s <= y), col, y, ln.bbox.x0)

    return [ln for _, ln in sorted(items, key=key)]


def leader_slope(lines: list[Line], fills: list[BBox], min_leaders: int = 2, min_slope: float = 0.005) -> float | None:
    """The page's left-over skew (dy/dx) that its dot leaders show, or None below ``min_slope``.

    A leader is printed on its row's baseline, so the bottom of the word just before it and of
    the word just after it give the baseline's slope across the row (words ending / starting
    within 3 word heights of the leader with their bottom in its box, grown by half a word
    height; of those ending nearest the leader the one whose bottom is nearest an end of its
    box, the one after it whose bottom is nearest the other end; a descender moves it a
    little): their median gives the direction, when at least ``min_leaders`` have both words
    and at most a quarter of those (at least one) slope the other way (None otherwise). The size: a leader's box is one dot high plus the slope times
    its width, the median over pairs of leaders at least 3 word heights different in width; where
    there are such pairs, the slope is the mean of the two sizes, and None when the boxes' size
    is below ``min_slope`` (level leaders) or the two differ by more than half the larger (and
    ``min_slope``); else the words' median. A page the deskew left skewed (or skewed
    the other way: a sparse page with one big heading) still has straight leaders."""
    words = [w for ln in lines for w in ln.words]
    if len(fills) < min_leaders or not words:
        return None
    gh = float(np.median([w.bbox.height for w in words]))
    dot = min(f.height for f in fills)  # the least sloping leader: about one dot high
    slopes = []
    for f in fills:
        def near(w: Word, f: BBox = f) -> bool:
            return f.y0 - 0.5 * gh <= w.bbox.y1 <= f.y1 + 0.5 * gh

        left = [w for w in words if f.x0 - 3 * gh <= w.bbox.x1 <= f.x0 + 2 and near(w)]
        right = [w for w in words if f.x1 - 2 <= w.bbox.x0 <= f.x1 + 3 * gh and near(w)]
        if left and right:
            x1 = max(w.bbox.x1 for w in left)  # of the words ending nearest it, the one on an end of it
            a = min((w for w in left if w.bbox.x1 >= x1 - gh),
                    key=lambda w: min(abs(w.bbox.y1 - f.y0 - dot), abs(w.bbox.y1 - f.y1)))
            far = f.y0 + f.y1 - a.bbox.y1  # the leader's other end: the left word's bottom mirrored in its box
            x0 = min(w.bbox.x0 for w in right)
            b = min((w for w in right if w.bbox.x0 <= x0 + gh), key=lambda w: abs(w.bbox.y1 - far))
            if b.bbox.x0 > a.bbox.x1:
                slopes.append((b.bbox.y1 - a.bbox.y1) / (b.bbox.x0 - a.bbox.x1))
    if len(slopes) < min_leaders:
        return None
    s = float(np.median(slopes))
    if sum(1 for x in slopes if x * s <= 0) > max(1, len(slopes) // 4):
        return None
    # the size: a sloping leader's box is one dot high plus slope x its width (Theil-Sen over pairs
    # of leaders of different widths); the words' bottoms only give the direction (descenders)
    tilt = [(b.height - a.height) / (b.width - a.width) for i, a in enumerate(fills) for b in fills[i + 1:]
            if abs(b.width - a.width) >= 3 * gh]
    if not tilt:
        return None if abs(s) < min_slope else s
    size = float(np.median(tilt))
    if size < min_slope or abs(size - abs(s)) > max(min_slope, 0.5 * max(size, abs(s))):
        return None  # level leaders, or the two measures disagree
    return float(np.copysign((size + abs(s)) / 2, s))


def _tilted(b: BBox, s: float, mid: float) -> BBox:
    dy = -int(round(s * ((b.x0 + b.x1) / 2 - mid)))
    return BBox(x0=b.x0, y0=max(0, b.y0 + dy), x1=b.x1, y1=max(1, b.y1 + dy))
