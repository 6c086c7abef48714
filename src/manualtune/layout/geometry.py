"""Word-level geometry: lines, segments and the column split of a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

import numpy as np

from manualtune.layout.config import LayoutConfig
from manualtune.records import BBox, Word


@dataclass
class TextLine:
    """Words printed on one visual line of one column (or spanning both columns: ``column=-1``)."""

    words: list[Word]
    column: int = 0
    segments: list[list[Word]] = field(default_factory=list)
    side: bool = False

    @property
    def bbox(self) -> BBox:
        return BBox.enclosing([w.bbox for w in self.words])  # type: ignore[return-value]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> int:
        return max(1, self.bbox.height)


def centre(b: BBox) -> tuple[float, float]:
    return (b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0


def inside(b: BBox, region: BBox, tol: int = 0) -> bool:
    """True when the centre of ``b`` lies in ``region`` (grown by ``tol``)."""
    cx, cy = centre(b)
    return region.x0 - tol <= cx <= region.x1 + tol and region.y0 - tol <= cy <= region.y1 + tol


def _v_overlap(a: BBox, b: BBox) -> float:
    inter = min(a.y1, b.y1) - max(a.y0, b.y0)
    return inter / max(1, min(a.height, b.height))


def group_lines(words: list[Word], cfg: LayoutConfig) -> list[TextLine]:
    """Cluster words into visual lines; words left to right, lines top to bottom.

    A word joins the line whose core band (median top / bottom of its words) it overlaps most,
    so one tall box (photo noise) cannot glue several printed lines together.
    """
    lines: list[TextLine] = []
    cores: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (centre(w.bbox)[1], w.bbox.x0)):
        best, best_ov = -1, cfg.line_overlap
        for i in range(max(0, len(lines) - 12), len(lines)):
            y0, y1 = cores[i]
            inter = min(y1, w.bbox.y1) - max(y0, w.bbox.y0)
            ov = inter / max(1.0, min(y1 - y0, w.bbox.height))
            if ov >= best_ov:
                best, best_ov = i, ov
        if best < 0:
            lines.append(TextLine(words=[w]))
            cores.append((float(w.bbox.y0), float(w.bbox.y1)))
        else:
            lines[best].words.append(w)
            ws = lines[best].words
            cores[best] = (median(x.bbox.y0 for x in ws), median(x.bbox.y1 for x in ws))
    for ln in lines:
        ln.words.sort(key=lambda w: w.bbox.x0)
    lines.sort(key=lambda ln: (row_top(ln.words), ln.bbox.x0))
    return lines


def row_top(words: list[Word]) -> int:
    """Top of a visual line as its words' median top: one tall box (a diagram frame, photo noise)
    beside the text cannot move the line above the line before it."""
    return int(median(w.bbox.y0 for w in words)) if words else 0


def split_segments(line: TextLine, cfg: LayoutConfig) -> list[list[Word]]:
    """Split a line at horizontal gaps wider than ``segment_gap_factor`` x its height."""
    h = median([w.bbox.height for w in line.words]) if line.words else 1
    segs: list[list[Word]] = []
    for w in line.words:
        if segs and w.bbox.x0 - segs[-1][-1].bbox.x1 <= cfg.segment_gap_factor * h:
            segs[-1].append(w)
        else:
            segs.append([w])
    return segs


LEADER = "\u2026"  # the text of a dot leader's box passed to detect_column_split as a word


def detect_column_split(words: list[Word], width: int, cfg: LayoutConfig) -> int | None:
    """x position between two text columns, or None for a one-column page.

    Builds a histogram of how many confident words cover each x bin; the widest run of (nearly)
    empty bins whose centre lies in ``cfg.column_search`` and that is at least
    ``cfg.column_gap_frac`` of the page wide splits the page, if both sides hold enough words
    (``cfg.min_column_words``, also counting only words of 4+ letters: prose on both sides).
    A gap at least ``cfg.wide_gutter_frac`` wide needs only ``cfg.wide_gutter_min_words`` such
    words per side: with the photo text left out (:mod:`manualtune.ocr.figures`) a photo | text |
    photo | text page has a wide empty band between two short text columns.
    """
    # a dot leader ('\u2026', painted out before OCR, passed in as a word) covers its bins too
    good = [w for w in words if w.conf >= cfg.text_word_conf and (sum(c.isalnum() for c in w.text) >= 2 or w.text == LEADER)]
    if len(good) < 2 * min(cfg.min_column_words, cfg.wide_gutter_min_words) or width <= 0:
        return None
    bin_w = max(1, int(round(width * cfg.column_bin_frac)))
    nbins = width // bin_w + 1
    hist = np.zeros(nbins, dtype=np.int64)
    for w in good:
        hist[max(0, w.bbox.x0 // bin_w) : min(nbins, w.bbox.x1 // bin_w + 1)] += 1
    occupied = np.nonzero(hist)[0]
    lo_bin, hi_bin = int(occupied[0]), int(occupied[-1])
    empty = hist < max(1.0, cfg.column_gap_noise * float(hist.max()))
    runs: list[tuple[int, int]] = []
    start = None
    for i in range(lo_bin, hi_bin + 2):
        if i <= hi_bin and empty[i]:
            start = i if start is None else start
            continue
        if start is not None:
            mid = (start + i) / 2.0 * bin_w
            wide = (i - start) * bin_w >= cfg.column_gap_frac * width
            if wide and cfg.column_search[0] * width <= mid <= cfg.column_search[1] * width:
                runs.append((start, i))
            start = None
    # widest gap first; both sides must hold enough words, and enough *prose* words: a column of
    # page numbers or op codes (index pages, tables) is not a text column
    # a wide gutter (photo | text | photo | text pages, photos left out) needs fewer words per side
    for run in sorted(runs, key=lambda r: (-(r[1] - r[0]), r[0])):
        split = int((run[0] + run[1]) / 2.0 * bin_w)
        need = cfg.wide_gutter_min_words if (run[1] - run[0]) * bin_w >= cfg.wide_gutter_frac * width else cfg.min_column_words
        sides = ([w for w in good if centre(w.bbox)[0] < split], [w for w in good if centre(w.bbox)[0] >= split])
        if min(len(sides[0]), len(sides[1])) < need:
            continue
        if min(sum(1 for w in side if sum(c.isalpha() for c in w.text) >= 4) for side in sides) < need:
            continue
        return split
    return None


def column_of(box: BBox, split: int | None, width: int, cfg: LayoutConfig) -> int:
    """Column of a piece of text: 0 / 1 by its centre, -1 when it crosses ``split`` and is wide
    (at least ``cfg.span_min_frac`` of the page): a full-width line. One-column pages: always 0."""
    if split is None:
        return 0
    if box.x0 < split < box.x1 and box.width >= cfg.span_min_frac * width:
        return -1
    return 0 if centre(box)[0] < split else 1


def cut_at_gutter(words: list[Word], split: int | None, cfg: LayoutConfig) -> list[list[Word]]:
    """Cut a run of words (sorted left to right) where it jumps the column gutter at ``split``.

    A narrow gutter can be smaller than the ordinary segment gap, so a line of the left column and
    a line of the right column come out as one run. The run is cut between the two words whose gap
    contains ``split`` when that gap is at least ``segment_gap_factor / 2`` x the line height
    (wider than any word space); a word that covers ``split`` itself means a full-width line: no cut.
    """
    if split is None or len(words) < 2:
        return [words]
    h = median([w.bbox.height for w in words])
    for i in range(len(words) - 1):
        a, b = words[i].bbox, words[i + 1].bbox
        if a.x1 <= split <= b.x0:
            if b.x0 - a.x1 >= 0.5 * cfg.segment_gap_factor * h:
                return [words[: i + 1], words[i + 1 :]]
            return [words]
    return [words]


def split_at_columns(line: TextLine, split: int | None, width: int, cfg: LayoutConfig) -> dict[int, list[list[Word]]]:
    """The segments of one visual line per column (-1: spans the gutter), each left to right.

    Segments come from :func:`split_segments`; a segment that jumps the gutter is cut there
    (:func:`cut_at_gutter`); each part gets its :func:`column_of`. Used by the layout stage and
    by the OCR stage's reading order (:mod:`manualtune.ocr.reading_order`) alike.
    """
    per_col: dict[int, list[list[Word]]] = {}
    for seg in split_segments(line, cfg):
        for part in cut_at_gutter(seg, split, cfg):
            box = BBox.enclosing([w.bbox for w in part])
            if box is None:
                continue
            per_col.setdefault(column_of(box, split, width, cfg), []).append(part)
    return per_col


def detect_column_splits(words: list[Word], width: int, cfg: LayoutConfig, depth: int = 2, x0: int = 0) -> list[int]:
    """All gutters of a page of up to ``2 ** depth`` columns, left to right: the gutter
    :func:`detect_column_split` finds, then again among the words of each side (x measured from that
    side's left edge, the side's width as the page width), each side with the same word counts.
    A three-column index page (title | page three times across) has two gutters near 1/3 and 2/3 of
    its width; the first one found leaves a side that is itself two columns."""
    split = detect_column_split([_shifted(w, -x0) for w in words], width, cfg)
    if split is None:
        return []
    split += x0
    if depth <= 1:
        return [split]
    left = [w for w in words if centre(w.bbox)[0] < split]
    right = [w for w in words if centre(w.bbox)[0] >= split]
    return (detect_column_splits(left, split - x0, cfg, depth - 1, x0) + [split]
            + detect_column_splits(right, x0 + width - split, cfg, depth - 1, split))


def _shifted(w: Word, dx: int) -> Word:
    if not dx:
        return w
    b = w.bbox
    return w.model_copy(update={"bbox": BBox(x0=b.x0 + dx, y0=b.y0, x1=b.x1 + dx, y1=b.y1)})


def column_among(box: BBox, splits: list[int], width: int, cfg: LayoutConfig) -> int:
    """:func:`column_of` for a page of several gutters: the number of gutters left of the box's
    centre, -1 when it crosses one of them and is wide (a full-width line)."""
    if len(splits) <= 1:
        return column_of(box, splits[0] if splits else None, width, cfg)
    if any(box.x0 < s < box.x1 for s in splits) and box.width >= cfg.span_min_frac * width:
        return -1
    cx = centre(box)[0]
    return sum(1 for s in splits if s <= cx)


def split_at_gutters(line: TextLine, splits: list[int], width: int, cfg: LayoutConfig) -> dict[int, list[list[Word]]]:
    """:func:`split_at_columns` for a page of several gutters: each segment cut at every gutter it
    jumps, each part in its :func:`column_among`."""
    if len(splits) <= 1:
        return split_at_columns(line, splits[0] if splits else None, width, cfg)
    per_col: dict[int, list[list[Word]]] = {}
    for seg in split_segments(line, cfg):
        parts = [seg]
        for s in splits:
            parts = [q for part in parts for q in cut_at_gutter(part, s, cfg)]
        for part in parts:
            box = BBox.enclosing([w.bbox for w in part])
            if box is None:
                continue
            per_col.setdefault(column_among(box, splits, width, cfg), []).append(part)
    return per_col


def detached_edge_rows(
    words: list[Word], height: int, cfg: LayoutConfig, zone: float = 2.0, gap_factor: float = 2.0,
    max_words: int = 5,
) -> tuple[list[TextLine], list[TextLine]]:
    """Running header and footer rows that sit apart from the body: rows wholly inside ``zone`` x
    the header (footer) band, separated from the next body row by a gap of at least ``gap_factor``
    x the median row height ('11 Engine' above a rule, 'Corvane 240 Repair Manual' below one).
    A heading at the very top of a tightly cropped scan is followed closely by text: not a header.
    A row of more than ``max_words`` words is body text (a sentence above a photo, whose gap to
    the next text row is the photo): the group stops there and is no header."""
    rows = group_lines(words, cfg)
    if len(rows) < 3:
        return [], []
    h = median(r.height for r in rows)
    top_zone, bottom_zone = zone * cfg.header_band_frac * height, height - zone * cfg.footer_band_frac * height

    def edge(seq: list[TextLine], inside_zone, gap) -> list[TextLine]:
        group: list[TextLine] = []
        for i, r in enumerate(seq[:-1]):
            if not inside_zone(r) or len(r.words) > max_words:
                break
            group.append(r)
            if gap(r, seq[i + 1]) >= gap_factor * h:
                return group
        return []

    head = edge(rows, lambda r: r.bbox.y1 <= top_zone, lambda r, nxt: nxt.bbox.y0 - max(x.bbox.y1 for x in rows[: rows.index(r) + 1]))
    rev = sorted(rows, key=lambda r: -r.bbox.y1)
    foot = edge(rev, lambda r: r.bbox.y0 >= bottom_zone, lambda r, nxt: min(x.bbox.y0 for x in rev[: rev.index(r) + 1]) - nxt.bbox.y1)
    return head, foot
