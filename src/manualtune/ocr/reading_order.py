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
from collections.abc import Iterable

import numpy as np

from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import (
    TextLine,
    column_among,
    detached_edge_rows,
    group_lines,
    row_top,
    split_at_columns,
    split_at_gutters,
)
from manualtune.ocr.columns import (
    _band,
    _column_order,
    _is_running_head,
    _new_line,
    _rows,
    _sorted_words,
    _span_of,
    _tilted,
    _within,
    index_column_splits,
    leader_slope,
    page_column_split,
    photo_gutter,
    table_spans,
)
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

