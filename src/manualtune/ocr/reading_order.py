"""Reading order of OCR lines: running header, then per band the left column before the right
column (full-width lines and ruled-table rows between bands), running footer last.

Three things go wrong with tesseract's own order on manual pages:

* **Ruled tables.** Once their rulings are painted out, tesseract reads a table as one block per
  column, so a row's cells come out far apart. Where long vertical rulings mark a table (at least
  ``min_vrulings`` of them, each at least ``min_height_frac`` of the page height, over a common
  vertical span), the words inside that span are regrouped into visual rows.
* **Two text columns with a narrow gutter.** Tesseract's lines can run across both columns, which
  both interleaves the columns and spoils recognition (the LSTM sees two baselines at once).
  :func:`recognize_columns` finds the gutter from the first pass's word boxes and, when lines
  jumped it, OCRs the two columns again separately (full-width lines, tables and the header /
  footer bands are kept from the first pass).
* **Unruled tables and index pages** (op code | title | page): tesseract reads each printed column
  as a block. Lines are rebuilt as visual rows per text column, left to right.

Column split, the cut of a line at the gutter and the row grouping are the layout package's
(:mod:`manualtune.layout.geometry`), with :class:`~manualtune.layout.config.LayoutConfig` defaults:
one implementation for the OCR text and the layout blocks. A row that is exactly one tesseract
line keeps that :class:`~manualtune.records.Line` unchanged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from statistics import median

import numpy as np

from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import (
    TextLine,
    column_among,
    detached_edge_rows,
    detect_column_split,
    detect_column_splits,
    group_lines,
    row_top,
    split_at_columns,
    split_at_gutters,
    split_segments,
)
from manualtune.layout.patterns import DATE, FRB_ID, page_label_of
from manualtune.ocr.leaders import VERSION as LEADERS_VERSION
from manualtune.ocr.spreads import VERSION as SPREADS_VERSION
from manualtune.ocr.spreads import order_spread, spread_fold
from manualtune.ocr.unread import VERSION as UNREAD_VERSION
from manualtune.records import BBox, Line, Ruling, Word

_PAD = 3  # px around kept words painted out before the column pass

VERSION = "ro12-" + hashlib.sha256(LayoutConfig().model_dump_json().encode()).hexdigest()[:8] + f"+{LEADERS_VERSION}+{UNREAD_VERSION}+{SPREADS_VERSION}"
"""Reading-order version: it uses the *default* layout thresholds, so they are part of it (and of
the OCR stage's cache key); the dot-leader pass (:mod:`manualtune.ocr.leaders`, whose boxes join
rows here) and the unread-text pass (:mod:`manualtune.ocr.unread`, whose lines it orders) ride on
it until the stage key names them."""


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


def order_lines(
    lines: list[Line],
    rulings: list[Ruling],
    height: int,
    width: int | None = None,
    cfg: LayoutConfig | None = None,
    columns: bool = True,
    tables: bool = True,
    fills: list[BBox] | None = None,
    photos: list[BBox] | None = None,
    spreads: bool = True,
) -> tuple[list[Line], str]:
    """Lines in reading order and the page text (one printed line per text line).

    A two-page spread (:func:`~manualtune.ocr.spreads.spread_fold`) is read page by page, left
    page first (``spreads=False``: as one page).

    ``columns=False`` keeps tesseract's order except for ruled tables (read row by row where the
    table's first line was); ``tables=False`` leaves ruled tables to the column logic.

    On a page whose dot leaders still slope (:func:`leader_slope`) the rows are found on the
    word boxes moved up or down by that slope about the page's middle (a page reference 1.5°
    off is a row lower at the far end of the row), the lines returned hold the words as read.
    """
    if spreads and lines and width:
        fold = spread_fold(lines, rulings, width, height, photos)
        if fold is not None:  # two printed pages side by side: each is read as a page (spreads.py)
            return order_spread(order_lines, lines, rulings, height, width, fold, fills, photos, cfg=cfg,
                                columns=columns, tables=tables, spreads=False)
    s = leader_slope(lines, fills or []) if columns and lines else None
    if s is None:
        return _order_lines(lines, rulings, height, width, cfg, columns, tables, fills, photos)
    width = width or max(ln.bbox.x1 for ln in lines)
    mid = width / 2
    back: dict[int, Word] = {}
    orig: dict[int, Line] = {}
    moved: list[Line] = []
    for ln in lines:
        ws = []
        for w in ln.words:
            m = w.model_copy(update={"bbox": _tilted(w.bbox, s, mid)})
            back[id(m)] = w
            ws.append(m)
        box = BBox.enclosing([w.bbox for w in ws]) if ws else _tilted(ln.bbox, s, mid)
        c = ln.model_copy(update={"words": ws, "bbox": box})
        orig[id(c)] = ln
        moved.append(c)
    out, _ = _order_lines(moved, [r.model_copy(update={"bbox": _tilted(r.bbox, s, mid)}) for r in rulings], height, width,
                          cfg, columns, tables, [_tilted(b, s, mid) for b in fills or []],
                          [_tilted(b, s, mid) for b in photos] if photos else photos)
    res: list[Line] = []
    for ln in out:
        if id(ln) in orig:
            res.append(orig[id(ln)])
            continue
        ws = [back.get(id(w), w) for w in ln.words]
        box = BBox.enclosing([w.bbox for w in ws]) or ln.bbox
        res.append(ln.model_copy(update={"words": ws, "bbox": box}))
    return res, "\n".join(ln.text for ln in res)


def _order_lines(
    lines: list[Line],
    rulings: list[Ruling],
    height: int,
    width: int | None = None,
    cfg: LayoutConfig | None = None,
    columns: bool = True,
    tables: bool = True,
    fills: list[BBox] | None = None,
    photos: list[BBox] | None = None,
) -> tuple[list[Line], str]:
    cfg = cfg or LayoutConfig()
    if not lines:
        return [], ""
    width = width or max(ln.bbox.x1 for ln in lines)
    rulings = [r for r in rulings if not any(_within(r.bbox, p) for p in photos or [])]  # a photo's edge is no table
    spans = table_spans(rulings, height, photos=photos) if tables else []
    owner = {id(w): ln for ln in lines for w in ln.words}
    if not columns:
        out = _tesseract_order(lines, spans, owner, cfg)
        return out, "\n".join(ln.text for ln in out)

    split = page_column_split(lines, spans, width, height, cfg, fills)
    if split is None and photos:
        split = photo_gutter(lines, photos, width, cfg)
    splits = [] if split is None else index_column_splits(lines, spans, width, height, split, cfg, fills)

    header: list[Word] = []
    footer: list[Word] = []
    table_words: dict[int, list[Word]] = {}
    body: dict[int, list[Word]] = {}
    items: list[tuple[int, Line]] = []
    edges: list[Line] = []  # header / footer lines without words
    # rows set apart above / below the body ('11 Engine' over a rule) are header / footer too
    free = [w for ln in lines if not _band(ln.bbox, height, cfg) for w in ln.words if _span_of(w.bbox, spans) is None]
    d_head, d_foot = detached_edge_rows(free, height, cfg)
    detached = {id(w): side for side, rows in ((-1, d_head), (1, d_foot)) for r in rows for w in r.words}
    for ln in lines:
        band = _band(ln.bbox, height, cfg)
        if not ln.words:
            if band:
                edges.append(ln)
            else:
                items.append((column_among(ln.bbox, splits, width, cfg), ln))
            continue
        if band:
            (header if band < 0 else footer).extend(ln.words)
            continue
        in_table = [w for w in ln.words if _span_of(w.bbox, spans) is not None]
        for w in in_table:
            table_words.setdefault(_span_of(w.bbox, spans), []).append(w)  # type: ignore[arg-type]
        for w in ln.words:
            if id(w) in detached:
                (header if detached[id(w)] < 0 else footer).append(w)
        rest = [w for w in _sorted_words(ln) if _span_of(w.bbox, spans) is None and id(w) not in detached]
        if rest:
            for col, segs in split_at_gutters(TextLine(words=rest), splits, width, cfg).items():
                body.setdefault(col, []).extend(w for s in segs for w in s)
    # a band row is a running header / footer only if it carries a page label, number, date or
    # file id; otherwise (headings at the top of a tightly cropped scan) it is body text
    # a row set apart above the body is a header only if no body text is printed above it
    # (a sentence in the header band over a photo: "Unscrew bolts (1 ... 4)." / "Take off cover (5).")
    heads: dict[int, list[Line]] = {-1: [], 1: []}
    for side, pool in ((-1, header), (1, footer)):
        body_seen = False
        rows = _rows(pool, owner, cfg)
        for row in (rows if side < 0 else rows[::-1]):
            if _is_running_head(row, cfg) or (not body_seen and all(id(w) in detached for w in row.words)):
                heads[side].append(row)
                continue
            body_seen = True
            for col, segs in split_at_gutters(TextLine(words=_sorted_words(row)), splits, width, cfg).items():
                body.setdefault(col, []).extend(w for s in segs for w in s)
    if split is None:  # not a confident two-column page: tesseract's blocks, in its order
        middle = _block_order(lines, body.get(0, []), table_words, owner, cfg)
        middle += [ln for _, ln in sorted(items, key=lambda it: (it[1].bbox.y0, it[1].bbox.x0))]  # wordless lines
        items = []
    for i in sorted(table_words) if split is not None else []:
        items.extend((column_among(r.bbox, splits, width, cfg), r) for r in _rows(table_words[i], owner, cfg))
    for col in sorted(body) if split is not None else []:
        items.extend((col, r) for r in _rows(body[col], owner, cfg))
    top = sorted(heads[-1] + [e for e in edges if _band(e.bbox, height, cfg) < 0],
                 key=lambda ln: (ln.bbox.y0, ln.bbox.x0))
    bottom = sorted(heads[1] + [e for e in edges if _band(e.bbox, height, cfg) > 0],
                    key=lambda ln: (ln.bbox.y0, ln.bbox.x0))
    out = top + (_column_order(items) if split is not None else middle) + bottom
    return out, "\n".join(ln.text for ln in out)


def _aligned(a: list[TextLine], b: list[TextLine], share: float = 0.6) -> bool:
    """Two blocks side by side whose rows line up (an index page's op-code block and its title
    block; a table's columns): at least ``share`` of the smaller block's rows have a row of the
    other within half a row height, and their x ranges do not overlap."""
    def span(rows: list[TextLine]) -> tuple[int, int]:
        return min(w.bbox.x0 for r in rows for w in r.words), max(w.bbox.x1 for r in rows for w in r.words)

    (ax0, ax1), (bx0, bx1) = span(a), span(b)
    if min(ax1, bx1) > max(ax0, bx0):
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    centres = [(r.bbox.y0 + r.bbox.y1) / 2 for r in big]
    hits = 0
    for r in small:
        c, h = (r.bbox.y0 + r.bbox.y1) / 2, max(1, r.bbox.y1 - r.bbox.y0)
        hits += any(abs(c - x) <= 0.5 * h for x in centres)
    return hits >= share * len(small)


def _labelled(a: int, keys: list[int], rows: dict[int, list[TextLine]], share: float = 0.6,
              label_w: float = 8.0) -> list[int]:
    """Blocks that block ``a``'s rows label, when ``a`` is a column of short numbered labels (every
    row at most ``label_w`` row heights wide and holding a digit: operation numbers, not prose)
    and at least ``share`` of its rows have a row within half a row height in the blocks beside
    it (x ranges not overlapping ``a``'s) taken together: those of them holding such a row
    (empty otherwise).

    Tesseract splits an index page's title column into blocks at other places than the op-code
    column (``61 12 510 / 522 / 61 31 570 / 62 99 080`` beside the end of one title block and the
    start of the next): no pair lines up by :func:`_aligned`, the labels still sit on the rows."""
    ra = rows[a]
    if not ra or any((r.bbox.x1 - r.bbox.x0) > label_w * max(1, r.bbox.y1 - r.bbox.y0)
                     or not any(c.isdigit() for w in r.words for c in w.text) for r in ra):
        return []
    ax0, ax1 = min(r.bbox.x0 for r in ra), max(r.bbox.x1 for r in ra)
    beside = [b for b in keys if b != a and rows[b]
              and not min(ax1, max(r.bbox.x1 for r in rows[b])) > max(ax0, min(r.bbox.x0 for r in rows[b]))]
    hit: set[int] = set()
    n = 0
    for r in ra:
        c, h = (r.bbox.y0 + r.bbox.y1) / 2, max(1, r.bbox.y1 - r.bbox.y0)
        on = {b for b in beside for x in rows[b] if abs(c - (x.bbox.y0 + x.bbox.y1) / 2) <= 0.5 * h}
        n += bool(on)
        hit |= on
    return sorted(hit) if n >= share * len(ra) else []


def _block_order(lines: list[Line], words: list[Word], table_words: dict[int, list[Word]], owner: dict[int, Line],
                 cfg: LayoutConfig) -> list[Line]:
    """Rows of a page with no column gutter, in tesseract's block order: the body words are
    grouped by the tesseract block of their line; blocks side by side whose rows line up
    (:func:`_aligned`) are one group read row by row (index pages, unruled tables); each group
    and each ruled table comes where its first line was in tesseract's order, its rows top down.

    Sorting all rows of such a page top down would interleave two text columns the gutter
    detector did not see (short captions beside photos) line by line; tesseract's layout
    analysis reads them column by column."""
    index = {id(ln): i for i, ln in enumerate(lines)}
    blocks: dict[int, list[Word]] = {}
    for w in words:
        blocks.setdefault(owner[id(w)].block_num if id(w) in owner else -1, []).append(w)
    keys = sorted(blocks)
    rows = {k: group_lines(blocks[k], cfg) for k in keys}
    root = {k: k for k in keys}

    def find(k: int) -> int:
        while root[k] != k:
            k = root[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if find(a) != find(b) and _aligned(rows[a], rows[b]):
                root[find(b)] = find(a)
    for a in keys:  # a column of short labels beside several blocks (op codes beside two title blocks)
        for b in _labelled(a, keys, rows):
            root[find(b)] = find(a)
    groups: dict[int, list[Word]] = {}
    for k in keys:
        groups.setdefault(find(k), []).extend(blocks[k])
    units = list(groups.values()) + [table_words[i] for i in sorted(table_words)]

    def first(ws: list[Word]) -> int:
        return min(index.get(id(owner.get(id(w))), len(lines)) for w in ws)

    units.sort(key=lambda ws: (first(ws), row_top(ws)))
    return [r for ws in _above_first(units) for r in _rows(ws, owner, cfg)]


def _above_first(units: list[list[Word]]) -> list[list[Word]]:
    """``units`` (in tesseract's order) reordered so that a unit printed above all the others comes
    first and a unit printed above another one whose x range it overlaps comes before it (a
    subtitle over an index's rows that tesseract read after the op-code column); otherwise the
    order is kept."""
    boxes = [BBox.enclosing([w.bbox for w in ws]) for ws in units]
    tol = [0.5 * float(np.median([w.bbox.height for w in ws])) for ws in units]

    def above(a: int, b: int) -> bool:
        pa, pb = boxes[a], boxes[b]
        assert pa is not None and pb is not None
        return pa.y1 <= pb.y0 + tol[b] and min(pa.x1, pb.x1) > max(pa.x0, pb.x0)

    # a unit printed above all the others (a title, an unlabelled page number) comes first
    first = [u for u in range(len(units))
             if all(boxes[u].y1 <= boxes[v].y0 + tol[v] for v in range(len(units)) if v != u)]  # type: ignore[union-attr]
    out: list[list[Word]] = [units[u] for u in first]
    left = [u for u in range(len(units)) if u not in first]
    while left:
        pick = next((u for u in left if not any(above(v, u) for v in left if v != u)), left[0])
        left.remove(pick)
        out.append(units[pick])
    return out


def _tesseract_order(lines: list[Line], spans: list[tuple[int, int]], owner: dict[int, Line], cfg: LayoutConfig) -> list[Line]:
    """Tesseract's order; a ruled table's rows go where its first line was."""
    out: list[Line] = []
    emitted: set[int] = set()
    for ln in lines:
        i = _span_of(ln.bbox, spans)
        if i is None:
            out.append(ln)
        elif i not in emitted:
            emitted.add(i)
            words = [w for x in lines if _span_of(x.bbox, spans) == i for w in x.words]
            out.extend(_rows(words, owner, cfg))
    return out


def _shifted(ln: Line, dx: int, block_offset: int) -> Line:
    def mv(b: BBox) -> BBox:
        return BBox(x0=b.x0 + dx, y0=b.y0, x1=b.x1 + dx, y1=b.y1)

    return ln.model_copy(update={
        "bbox": mv(ln.bbox),
        "words": [w.model_copy(update={"bbox": mv(w.bbox)}) for w in ln.words],
        "block_num": ln.block_num + block_offset,
    })


def _paint(img: np.ndarray, boxes: Iterable[BBox], pad: int = _PAD) -> None:
    h, w = img.shape[:2]
    for b in boxes:
        img[max(0, b.y0 - pad) : min(h, b.y1 + pad), max(0, b.x0 - pad) : min(w, b.x1 + pad)] = 255


def recognize_columns(image: np.ndarray, engine, lines: list[Line], rulings: list[Ruling],
                      cfg: LayoutConfig | None = None, min_keep: float = 0.8,
                      masks: list[BBox] | None = None, fills: list[BBox] | None = None) -> list[Line]:
    """OCR a two-column page column by column when the first pass read lines across the gutter.

    ``lines`` is the engine's first pass over ``image`` (``engine.recognize(image)``). When the
    body words show a column gutter and at least one line has words on both sides of it, the
    first pass keeps only the header / footer band lines, the ruled-table spans and full-width
    (gutter-crossing) pieces; those are painted white and each column is OCR-ed as its own image
    (boxes shifted back to page pixels). A column whose second pass reads fewer than ``min_keep``
    x the first pass's words keeps the first pass's pieces. Otherwise ``lines`` comes back unchanged;
    also when every jumped line jumped a wide gutter (``cfg.wide_gutter_frac`` of the page between
    its words left and right of it: photo | text | photo | text pages): the reading order cuts
    those lines at the gutter, a second pass would read the same words.
    ``masks`` (photo regions) are painted white before the column pass too; ``fills``: see
    :func:`page_column_split`.
    """
    cfg = cfg or LayoutConfig()
    if image.ndim != 2 or not lines:
        return lines
    h, w = image.shape[:2]
    spans = table_spans(rulings, h)
    split = page_column_split(lines, spans, w, h, cfg, fills)
    if split is None:
        return lines
    keep: list[Line] = []
    first: dict[int, list[Line]] = {0: [], 1: []}
    jumped = narrow = False
    for ln in lines:
        if not ln.words or _band(ln.bbox, h, cfg):
            keep.append(ln)
            continue
        tab = [x for x in ln.words if _span_of(x.bbox, spans) is not None]
        if tab:
            keep.append(_new_line(sorted(tab, key=lambda x: (x.bbox.x0, x.bbox.y0)), ln))
        rest = [x for x in _sorted_words(ln) if _span_of(x.bbox, spans) is None]
        if not rest:
            continue
        per_col = split_at_columns(TextLine(words=rest), split, w, cfg)
        if 0 in per_col and 1 in per_col:
            left = max(x.bbox.x1 for seg in per_col[0] for x in seg)
            right = min(x.bbox.x0 for seg in per_col[1] for x in seg)
            narrow = narrow or right - left < cfg.wide_gutter_frac * w
            jumped = True
        keep.extend(_new_line(seg, ln) for seg in per_col.get(-1, []))
        for col in (0, 1):
            first[col].extend(_new_line(seg, ln) for seg in per_col.get(col, []))
    if not jumped or not narrow:
        return lines  # no line jumped, or only over a wide gutter: cutting them at it is enough
    masked = image.copy()
    _paint(masked, (x.bbox for ln in keep for x in ln.words))
    _paint(masked, (BBox(x0=0, y0=y0, x1=w, y1=y1) for y0, y1 in spans), pad=0)
    _paint(masked, masks or [], pad=0)
    out = list(keep)
    offset = max((ln.block_num for ln in keep), default=-1) + 1
    for col, (x0, x1) in enumerate(((0, split), (split, w))):
        crop = np.ascontiguousarray(masked[:, x0:x1])
        new = [_shifted(ln, x0, offset) for ln in engine.recognize(crop)]
        if _text_words(new) < min_keep * _text_words(first[col]):
            new = first[col]  # the column pass lost text (sparse column): keep the first pass's pieces
        out.extend(new)
        offset = max((ln.block_num for ln in new), default=offset - 1) + 1
    return out


def _text_words(lines: list[Line]) -> int:
    return sum(1 for ln in lines for w in ln.words if sum(c.isalnum() for c in w.text) >= 2)


__all__ = ["leader_slope", "order_lines", "page_column_split", "photo_gutter", "recognize_columns", "table_spans"]

