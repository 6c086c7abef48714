"""Dot leaders (index pages: ``title . . . . . . 23 - 174``) painted out before OCR.

Tesseract reads a run of leader dots as text (``. . . © + +``, ``...........000cceeee``) and, on
dense leaders, swallows the page reference printed after them into that garbage. Painted white,
the row becomes ``title    23 - 174`` and both parts are read as words.

A leader is found in the pixels only (no OCR), as a chain of dots:

* **dot**: a connected ink component at most ``dot_frac`` of the page's median glyph height in
  width and height (and at least 2 px of ink);
* **chain**: at least ``min_dots`` dots left to right on one baseline (centres within ``dy_frac``
  of the glyph height, none farther than ``straight_frac`` glyph heights from their fitted line), each gap between ``min_gap`` dot widths and ``max_gap_frac`` glyph heights
  (or a lost dot's double gap, :func:`_reach`),
  the gaps regular: each within ``gap_spread`` of a whole multiple of their median (a dot lost in
  the scan doubles a gap), three in four of them one median, once the specks closer than
  ``1 - gap_spread`` median gaps to the dot before them are dropped (dust between two dots);
* **between text**: a glyph-sized component ends at most ``flank_frac`` glyph heights before the
  first dot and one starts at most that far after the last (title ... page reference);
* **alone on its row**: no other dot closer than ``clear_frac`` glyph heights above or below the
  chain (a halftone photo's dots form a 2-D grid, a leader is a 1-D row), but for a few specks
  (``stray_frac`` of its dots, at least one: dust under one leader dot).
"""

from __future__ import annotations

import re

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict

from manualtune.records import BBox, Line, Word

VERSION = "leaders5"


class Leader(BaseModel):
    """One dot leader: its dots and the page's median glyph height (px) they were measured with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dots: list[BBox]
    glyph_h: float

    @property
    def box(self) -> BBox:
        b = BBox.enclosing(self.dots)
        assert b is not None
        return b


class LeaderConfig(BaseModel):
    """Thresholds of the dot-leader finder (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dot_frac: float = 0.45
    min_dots: int = 8
    dy_frac: float = 0.2
    min_gap: float = 1.5
    max_gap_frac: float = 1.6
    gap_spread: float = 0.3
    clear_frac: float = 0.45
    flank_frac: float = 5.0
    straight_frac: float = 0.12
    stray_frac: float = 0.1


def _glyph_height(stats: np.ndarray) -> float:
    """Median height of letter-sized components (at least 6 px high, 10 px of ink); where that is
    more than 1.8 x the most common height (smoothed over 3 px), the median of those at most
    twice that: a page with one index row under a two-line heading (97-00-index-a)."""
    hs = stats[(stats[:, cv2.CC_STAT_HEIGHT] >= 6) & (stats[:, cv2.CC_STAT_AREA] >= 10), cv2.CC_STAT_HEIGHT]
    hs = hs[hs < 200]
    if not len(hs):
        return 0.0
    med = float(np.median(hs))
    mode = int(np.argmax(np.convolve(np.bincount(hs.astype(int)), [1, 1, 1], "same")))
    if med > 1.8 * max(mode, 1):  # a big heading outnumbers one row of body text: the body's height
        return float(np.median(hs[hs <= 2 * mode]))
    return med


def _bend(dots: np.ndarray) -> float:
    """Largest distance (px) of a dot centre from the straight line fitted through them."""
    fit = np.polyfit(dots[:, 4], dots[:, 5], 1)
    return float(np.abs(np.polyval(fit, dots[:, 4]) - dots[:, 5]).max())


def _reach(xs: np.ndarray, gh: float, cfg: LeaderConfig) -> float:
    """Largest gap to the next dot: ``max_gap_frac`` glyph heights, or once the chain has 3 dots
    a lost dot's gap (``2 + gap_spread`` of its median gap) where that is more (dense dots of a
    small print: one dot too faint to count left two pieces that were each no leader)."""
    reach = cfg.max_gap_frac * gh
    if len(xs) >= 3:
        reach = max(reach, (2 + cfg.gap_spread) * float(np.median(np.diff(np.sort(xs)))))
    return reach


def _off_grid_dropped(chain: list[int], dots: np.ndarray, cfg: LeaderConfig) -> list[int]:
    """``chain`` without the dots closer than ``1 - gap_spread`` median gaps to the last dot kept
    before them: a speck of dust between two leader dots is not a dot of the leader (left in, it
    made the gaps irregular and the whole leader was not found); and without an end dot more
    than ``1 + gap_spread`` median gaps from its neighbour (a lost dot is found inside a leader,
    a dot-sized mark past its end is the next text's)."""
    if len(chain) < 3:
        return chain
    xs = dots[chain, 4]
    gap = float(np.median(np.diff(xs)))
    kept = [chain[0]]
    for i, x in zip(chain[1:], xs[1:], strict=True):
        if x - dots[kept[-1], 4] >= (1 - cfg.gap_spread) * gap:
            kept.append(i)
    while len(kept) >= 3 and dots[kept[-1], 4] - dots[kept[-2], 4] > (1 + cfg.gap_spread) * gap:
        kept.pop()  # a lost dot's gap at an end: the hyphen of '34 - 21' after the page number's '34'
    while len(kept) >= 3 and dots[kept[1], 4] - dots[kept[0], 4] > (1 + cfg.gap_spread) * gap:
        kept.pop(0)
    return kept


def _chains(dots: np.ndarray, gh: float, cfg: LeaderConfig) -> list[list[int]]:
    """Index lists of dots (rows of ``[x, y, w, h, cx, cy]``, sorted by ``cy``) forming leader
    chains, left to right."""
    cy = dots[:, 5]
    tol = max(1.0, cfg.dy_frac * gh)
    used = np.zeros(len(dots), bool)
    out: list[list[int]] = []
    for start in np.argsort(dots[:, 4], kind="stable"):  # leftmost first: a chain starts at its row's first dot
        if used[start]:
            continue
        chain = [int(start)]
        while True:
            cur = dots[chain[-1]]
            lo, hi = np.searchsorted(cy, cur[5] - tol, "left"), np.searchsorted(cy, cur[5] + tol, "right")
            dx = dots[lo:hi, 4] - cur[4]
            ok = (dx >= cfg.min_gap * max(cur[2], 1.0)) & (dx <= _reach(dots[chain, 4], gh, cfg)) & ~used[lo:hi]
            if not ok.any():
                break
            chain.append(int(lo + np.flatnonzero(ok)[np.argmin(dx[ok])]))
        chain = _off_grid_dropped(chain, dots, cfg)
        if len(chain) < cfg.min_dots:
            continue
        if _bend(dots[chain]) > max(1.5, cfg.straight_frac * gh):
            continue  # not straight (the dots of a dial's scale)
        ratio = np.diff(dots[chain, 4]) / np.median(np.diff(dots[chain, 4]))
        if np.abs(ratio - np.round(ratio)).max() > cfg.gap_spread or np.mean(np.round(ratio) == 1) < 0.75:
            continue
        used[chain] = True
        out.append(chain)
    return out


def _on_row(chain: list[int], dots: np.ndarray, gh: float, cfg: LeaderConfig) -> np.ndarray:
    """The chain's dots and the dots on its baseline and its spacing grid (a whole number of gaps
    from its first dot, within ``gap_spread``) grown outwards one max gap at a time: broken-off
    pieces of the same leader."""
    reach = cfg.max_gap_frac * gh
    xs = dots[chain, 4]
    gap = float(np.median(np.diff(xs)))
    k = (dots[:, 4] - xs[0]) / gap
    grid = (np.abs(dots[:, 5] - float(np.median(dots[chain, 5]))) <= max(1.0, cfg.dy_frac * gh)) \
        & (np.abs(k - np.round(k)) <= cfg.gap_spread)
    x0, x1 = xs.min(), xs.max()
    row = np.zeros(len(dots), bool)
    row[chain] = True
    while True:
        grown = row | (grid & (dots[:, 4] >= x0 - reach) & (dots[:, 4] <= x1 + reach))
        if grown.sum() == row.sum():
            return row
        row = grown
        x0, x1 = dots[row, 4].min(), dots[row, 4].max()


def _alone(chain: list[int], dots: np.ndarray, row: np.ndarray, gh: float, cfg: LeaderConfig) -> bool:
    """At most ``stray_frac`` of the chain's dot count (and at least one) dots off the chain's own
    row closer than ``clear_frac`` glyph heights above or below it: a speck of dust under one
    leader dot is no halftone grid (where every dot has neighbours above and below)."""
    x0, x1 = dots[chain, 0].min(), (dots[chain, 0] + dots[chain, 2]).max()
    cy = float(np.median(dots[chain, 5]))
    near = (dots[:, 4] >= x0) & (dots[:, 4] <= x1) & (np.abs(dots[:, 5] - cy) < cfg.clear_frac * gh) & ~row
    return int(near.sum()) <= max(1, int(cfg.stray_frac * len(chain)))


def _flanked(chain: list[int], dots: np.ndarray, glyphs: np.ndarray, gh: float, cfg: LeaderConfig) -> bool:
    """Glyphs (rows of ``[x0, y0, x1, y1]``) on the chain's row just before its first and after its last dot."""
    cy = float(np.median(dots[chain, 5]))
    x0, x1 = dots[chain, 0].min(), (dots[chain, 0] + dots[chain, 2]).max()
    row = (glyphs[:, 3] >= cy - 0.5 * gh) & (glyphs[:, 1] <= cy)
    reach = cfg.flank_frac * gh
    before = row & (glyphs[:, 2] <= x0) & (glyphs[:, 2] >= x0 - reach)
    after = row & (glyphs[:, 0] >= x1) & (glyphs[:, 0] <= x1 + reach)
    return bool(before.any() and after.any())


def find_dot_leaders(image: np.ndarray, cfg: LeaderConfig | None = None) -> list[Leader]:
    """Every dot leader on a grey page, top down (empty when there is none)."""
    cfg = cfg or LeaderConfig()
    if image.ndim != 2 or image.size == 0:
        return []
    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, cents = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return []
    stats, cents = stats[1:], cents[1:]
    gh = _glyph_height(stats)
    if gh <= 0:
        return []
    lim = max(2.0, cfg.dot_frac * gh)
    w, h, a = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    is_dot = (w <= lim) & (h <= lim) & (a >= 2)
    idx = np.flatnonzero(is_dot)
    if len(idx) < cfg.min_dots:
        return []
    dots = np.column_stack([stats[idx, 0], stats[idx, 1], w[idx], h[idx], cents[idx, 0], cents[idx, 1]]).astype(float)
    dots = dots[np.argsort(dots[:, 5], kind="stable")]
    chains = _chains(dots, gh, cfg)
    big = np.flatnonzero((h >= 0.6 * gh) & (h <= 2.5 * gh) & (w <= 3 * gh) & ~is_dot)  # letter-sized
    glyphs = np.column_stack([stats[big, 0], stats[big, 1], stats[big, 0] + w[big], stats[big, 1] + h[big]]).astype(float)
    chains = [c for c in chains if _flanked(c, dots, glyphs, gh, cfg)]
    rows = [_on_row(c, dots, gh, cfg) for c in chains]
    taken = np.zeros(len(dots), bool)
    out: list[Leader] = []
    for c, row in zip(chains, rows, strict=True):
        row = row & ~taken
        if row.any() and _alone(c, dots, row, gh, cfg):
            taken |= row
            out.append(Leader(glyph_h=gh, dots=[BBox(x0=int(d[0]), y0=int(d[1]), x1=int(d[0] + d[2]), y1=int(d[1] + d[3]))
                                                 for d in dots[row][np.argsort(dots[row, 4])]]))
    return sorted(out, key=lambda ld: (ld.box.y0, ld.box.x0))


def paint_dot_leaders(image: np.ndarray, cfg: LeaderConfig | None = None, pad: int = 2,
                      rounds: int = 3) -> tuple[np.ndarray, list[Leader]]:
    """``image`` with its dot leaders painted white (a copy when any) and the leaders painted.

    Found again on the painted page up to ``rounds`` times: a leader piece that lay next to
    another row's leftover dots is alone once those are painted."""
    out, found = image, []
    for _ in range(rounds):
        leaders = find_dot_leaders(out, cfg)
        if not leaders:
            break
        out = out.copy() if out is image else out
        h, w = out.shape[:2]
        for b in (d for ld in leaders for d in ld.dots):
            out[max(0, b.y0 - pad): min(h, b.y1 + pad + 1), max(0, b.x0 - pad): min(w, b.x1 + pad + 1)] = 255
        found += leaders
    return out, found


def _column_groups(leaders: list[Leader]) -> list[list[Leader]]:
    """Leaders whose right ends lie within 3 glyph heights of each other: one column of page references."""
    groups: list[list[Leader]] = []
    for ld in sorted(leaders, key=lambda ld: ld.box.x1):
        if groups and ld.box.x1 - groups[-1][-1].box.x1 <= 3 * ld.glyph_h:
            groups[-1].append(ld)
        else:
            groups.append([ld])
    return groups


def ref_regions(image: np.ndarray, leaders: list[Leader]) -> list[BBox]:
    """Per column of leaders, the block right of their ends holding the page references: from the
    median right end to the first gap of 3 glyph heights without ink, from 2 glyph heights above
    the highest leader's baseline to half one below the lowest."""
    h, w = image.shape[:2]
    out: list[BBox] = []
    for g in _column_groups(leaders):
        gh = g[0].glyph_h
        x0 = int(np.median([ld.box.x1 for ld in g])) + 1
        y0 = max(0, int(min(ld.box.y1 for ld in g) - 2 * gh))
        y1 = min(h, int(max(ld.box.y1 for ld in g) + 0.5 * gh) + 1)
        cols = (image[y0:y1, x0:] < 128).any(axis=0)
        ink = np.flatnonzero(cols)
        if not len(ink):
            continue
        gap = int(3 * gh)
        end = ink[0]
        for x in ink[1:]:
            if x - end > gap:
                break
            end = x
        out.append(BBox(x0=x0 + int(ink[0]), y0=y0, x1=min(w, x0 + int(end) + 1), y1=y1))
    return out


def _rebuilt(ln: Line, words: list[Word]) -> Line:
    words = sorted(words, key=lambda x: (x.bbox.x0, x.bbox.y0))
    box = BBox.enclosing([x.bbox for x in words])
    assert box is not None
    return ln.model_copy(update={"words": words, "bbox": box, "text": " ".join(x.text for x in words),
                                 "conf": round(float(np.mean([x.conf for x in words])), 2)})


def _has_digit(words: list[Word]) -> int:
    return sum(1 for x in words if any(c.isdigit() for c in x.text))


def reread_page_refs(image: np.ndarray, lines: list[Line], leaders: list[Leader], tessdata: str,
                     pad: int = 12) -> tuple[list[Line], list[str]]:
    """Read the page references after the dot leaders again, each column of them as one uniform
    block (tesseract psm 6), and put their words at the end of the rows they stand on.

    Once the leaders are painted out, a column of ``62 - 1`` / ``62 - 2`` ... stands apart from the
    titles by a wide gap; tesseract's page layout then takes the stacked single digits for a
    column of their own and reads it as one vertical word (``QeeawNnNna``). Read as a block they
    come out row by row. The first pass's words inside the block are replaced when the block
    reading has more words with a digit, or as many and at least as many words; each new word joins the line it overlaps
    nearest left of the block among those it overlaps vertically by 0.4 of its height (the title,
    not the operation number printed in a block of its own; a new line when there is none)."""
    from manualtune.ocr.cells import _read_words

    notes: list[str] = []
    for region in ref_regions(image, leaders):
        crop = np.pad(image[region.y0:region.y1, region.x0:region.x1], pad, constant_values=255)
        new = _read_words(crop, region, pad, tessdata, 6)

        def inside(x: Word, r: BBox = region) -> bool:
            cx, cy = (x.bbox.x0 + x.bbox.x1) / 2, (x.bbox.y0 + x.bbox.y1) / 2
            return r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1

        old = [x for ln in lines for x in ln.words if inside(x)]
        if not new or _has_digit(new) < _has_digit(old) or (_has_digit(new) == _has_digit(old) and len(new) < len(old)):
            continue  # no more numbers and fewer words: 'see Group 16' read as 'seeGroup16
        kept: list[tuple[Line, list[Word]]] = [(ln, [x for x in ln.words if not inside(x)]) for ln in lines]
        kept = [(ln, ws) for ln, ws in kept if ws or not ln.words]
        extra: list[Word] = []
        adds: dict[int, list[Word]] = {}
        for word in new:  # the row's piece nearest left of the block (the title, not the op code)
            best, right = None, -1
            for i, (_ln, ws) in enumerate(kept):
                x1 = max((x.bbox.x1 for x in ws), default=region.x0 + 3)
                if x1 > region.x0 + 2:
                    continue
                top, bot = min(x.bbox.y0 for x in ws), max(x.bbox.y1 for x in ws)
                if min(bot, word.bbox.y1) - max(top, word.bbox.y0) >= 0.4 * word.bbox.height and x1 > right:
                    best, right = i, x1
            if best is None:
                extra.append(word)
            else:
                adds.setdefault(best, []).append(word)
        out = [_rebuilt(ln, ws + adds.get(i, [])) if (ws and (i in adds or len(ws) != len(ln.words))) else ln
               for i, (ln, ws) in enumerate(kept)]
        lines = _with_rows(out, extra)
        notes.append(f"page references after dot leaders ({len(old)} first-pass words) "
                     f"at {region.x0},{region.y0}-{region.x1},{region.y1} read again as a block: {len(new)} words")
    lines, label_notes = reread_row_labels(image, lines, leaders, tessdata, pad=pad)
    return lines, notes + label_notes


def _unread_glyphs(image: np.ndarray, lines: list[Line], region: BBox, gh: float) -> np.ndarray:
    """Rows ``[x0, y0, x1, y1]`` of the digit-sized ink blobs (0.6-2 x ``gh`` high, at most 2 x
    wide) centred in ``region`` and in no first-reading word box (grown by a third of ``gh``)."""
    crop = image[region.y0:region.y1, region.x0:region.x1]
    if crop.size == 0:
        return np.zeros((0, 4))
    _, ink = cv2.threshold(crop, 127, 255, cv2.THRESH_BINARY_INV)
    _, _, stats, cents = cv2.connectedComponentsWithStats(ink, connectivity=8)
    stats, cents = stats[1:], cents[1:]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    ok = (h >= 0.6 * gh) & (h <= 2.0 * gh) & (w <= 2.0 * gh)
    g = np.column_stack([stats[:, 0], stats[:, 1], stats[:, 0] + w, stats[:, 1] + h]).astype(float)[ok]
    cx, cy = cents[ok, 0] + region.x0, cents[ok, 1] + region.y0
    g += [region.x0, region.y0, region.x0, region.y0]
    pad = gh / 3
    seen = np.zeros(len(g), bool)
    for x in (x for ln in lines for x in ln.words):
        seen |= (x.bbox.x0 - pad <= cx) & (cx <= x.bbox.x1 + pad) & (x.bbox.y0 - pad <= cy) & (cy <= x.bbox.y1 + pad)
    return g[~seen]


def _label_word(x: Word, min_conf: float) -> bool:
    """An operation number piece as read: digits (with ``/`` between them), at ``min_conf``."""
    return x.conf >= min_conf and bool(re.fullmatch(r"\d+(?:/\d+)*", x.text))


def reread_row_labels(image: np.ndarray, lines: list[Line], leaders: list[Leader], tessdata: str,
                      pad: int = 12, min_glyphs: int = 3, min_conf: float = 60.0) -> tuple[list[Line], list[str]]:
    """Read again the operation numbers left of the leader rows that the first pass left out.

    Once the leaders are painted out, tesseract's page layout can drop a whole column of short
    digit groups (``64 51 050`` / ``150`` / ``590`` ... left of the titles) that plain
    ``tesseract IMAGE -`` reads. Digit-sized ink in no word box of the first reading, left of the
    leftmost leader and within the leaders' rows, is grouped into columns (split at gaps of 3 glyph
    heights); a column of at least ``min_glyphs`` blobs is read as one block (psm 6, enlarged:
    :func:`_read_enlarged`); its words
    that are digit groups (:func:`_label_word`) and overlap no first-reading word join the line
    nearest right of them on their row (by 0.4 of their height; a new line when there is none)."""
    if not leaders or image.ndim != 2:
        return lines, []
    gh = leaders[0].glyph_h
    h, w = image.shape[:2]
    span = BBox(x0=0, y0=max(0, int(min(ld.box.y1 for ld in leaders) - 2 * gh)),
                x1=max(1, min(ld.box.x0 for ld in leaders)), y1=min(h, int(max(ld.box.y1 for ld in leaders) + 0.5 * gh) + 1))
    glyphs = _unread_glyphs(image, lines, span, gh)
    if len(glyphs) < min_glyphs:
        return lines, []
    glyphs = glyphs[np.argsort(glyphs[:, 0])]
    cols: list[list[np.ndarray]] = []
    for g in glyphs:
        if cols and g[0] - max(x[2] for x in cols[-1]) <= 3 * gh:
            cols[-1].append(g)
        else:
            cols.append([g])
    notes: list[str] = []
    for col in cols:
        if len(col) < min_glyphs:
            continue
        a = np.array(col)
        region = BBox(x0=int(a[:, 0].min()) - 2, y0=int(a[:, 1].min()) - 2, x1=int(a[:, 2].max()) + 2, y1=int(a[:, 3].max()) + 2)
        region = BBox(x0=max(0, region.x0), y0=max(0, region.y0), x1=min(w, region.x1), y1=min(h, region.y1))
        seen = [x.bbox for ln in lines for x in ln.words]
        new = [x for x in _read_enlarged(image, region, gh, pad, tessdata)
               if _label_word(x, min_conf) and not any(_overlaps(x.bbox, b) for b in seen)]
        if not new:
            continue
        adds: dict[int, list[Word]] = {}
        extra: list[Word] = []
        for word in new:
            best, left = None, None
            for i, ln in enumerate(lines):
                if not ln.words:
                    continue
                x0 = min(x.bbox.x0 for x in ln.words)
                top, bot = min(x.bbox.y0 for x in ln.words), max(x.bbox.y1 for x in ln.words)
                if x0 >= word.bbox.x1 - 2 and min(bot, word.bbox.y1) - max(top, word.bbox.y0) >= 0.4 * word.bbox.height \
                        and (left is None or x0 < left):
                    best, left = i, x0
            if best is None:
                extra.append(word)
            else:
                adds.setdefault(best, []).append(word)
        out = [_rebuilt(ln, ln.words + adds[i]) if i in adds else ln for i, ln in enumerate(lines)]
        lines = _with_rows(out, extra)
        notes.append(f"operation numbers left of the dot leaders ({len(col)} unread glyphs) at "
                     f"{region.x0},{region.y0}-{region.x1},{region.y1} read again as a block: {len(new)} words")
    return lines, notes


def _read_enlarged(image: np.ndarray, region: BBox, gh: float, pad: int, tessdata: str,
                   glyph_px: float = 30.0) -> list[Word]:
    """Words of ``region`` read as one block (psm 6), enlarged so its glyphs are about
    ``glyph_px`` high (read at the page's scale, ``64 51 050`` comes out as one word ``6451050``);
    boxes in page pixels."""
    from manualtune.ocr.cells import _read_words

    k = max(1, int(np.ceil(glyph_px / max(gh, 1.0))))
    crop = image[region.y0:region.y1, region.x0:region.x1]
    if k > 1:
        crop = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC)
    crop = np.pad(crop, pad * k, constant_values=255)
    out = []
    for x in _read_words(crop, BBox(x0=0, y0=0, x1=1, y1=1), 0, tessdata, 6):
        b = x.bbox
        box = BBox(x0=region.x0 + (b.x0 - pad * k) // k, y0=region.y0 + (b.y0 - pad * k) // k,
                   x1=region.x0 + -(-(b.x1 - pad * k) // k), y1=region.y0 + -(-(b.y1 - pad * k) // k))
        out.append(x.model_copy(update={"bbox": box}))
    return out


def _overlaps(a: BBox, b: BBox, share: float = 0.3) -> bool:
    iw, ih = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
    return iw > 0 and ih > 0 and iw * ih >= share * min(a.width * a.height, b.width * b.height)


def _with_rows(lines: list[Line], words: list[Word]) -> list[Line]:
    """``lines`` and, after them, ``words`` that joined no line as rows of a new block."""
    block = max((ln.block_num for ln in lines), default=-1) + 1
    return lines + [_rebuilt(Line(text="", bbox=row[0].bbox, conf=0.0, words=row, block_num=block), row)
                    for row in _rows_of(words)]


def _rows_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into rows by vertical overlap, top down."""
    rows: list[list[Word]] = []
    for x in sorted(words, key=lambda x: (x.bbox.y0, x.bbox.x0)):
        if rows and min(r.bbox.y1 for r in rows[-1]) > (x.bbox.y0 + x.bbox.y1) / 2:
            rows[-1].append(x)
        else:
            rows.append([x])
    return rows


__all__ = ["Leader", "LeaderConfig", "VERSION", "find_dot_leaders", "paint_dot_leaders", "ref_regions", "reread_page_refs",
           "reread_row_labels"]
