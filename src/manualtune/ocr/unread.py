"""Printed text the first reading left out, found in the pixels and read again.

Tesseract's page layout can take text next to a picture for part of the picture and drop it: a
short caption beside a halftone photo ("Pull off ashtray light and wires for cigar lighter."), the
legend under a line drawing ("1 Expansion tank / 2 Fuel intake / ..."). Plain ``tesseract IMAGE -``
sometimes reads it; ours must never lose it.

1. **Unread glyphs**: connected ink blobs of letter size (0.6-1.6 x the page's median word height,
   at most 2 x as wide) outside the photos (:func:`~manualtune.ocr.figures.photo_masks`) whose
   centre lies in no word box of the first reading (grown by a third of that height).
2. Nothing happens below ``min_glyphs`` of them (a few specks, arrow heads, callout digits).
3. **Blocks**: the unread glyphs are dilated into blocks (a word space across, half a line
   down); blocks narrower than 3 word heights are dropped (a lone callout).
4. Each block is read as one uniform block of text (tesseract psm 6) and its words grouped into
   rows; a row's run of words that overlaps no first-reading word (by 0.3 of the smaller box)
   and reads as prose (at least
   two words of 3+ letters at confidence >= ``prose_conf``) or as a label line of its own (one
   capitalised English word ending in a colon: 'Convertibles:' beside a photo's top on 72-114, 11
   unread glyphs) becomes a line, inserted after the
   line just above it in its column (:func:`insert_at`), so tesseract's order stays a reading order.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from manualtune.lexicon import is_english
from manualtune.records import BBox, Line, Word

VERSION = "unread2"  # 2: a one-word label line, from 8 unread glyphs


def _word_boxes(lines: list[Line], pad: float) -> np.ndarray:
    return np.array([[w.bbox.x0 - pad, w.bbox.y0 - pad, w.bbox.x1 + pad, w.bbox.y1 + pad] for ln in lines for w in ln.words],
                    dtype=float).reshape(-1, 4)


def _inside(boxes: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per point, whether it lies in any of ``boxes`` (rows of ``[x0, y0, x1, y1]``)."""
    if not len(boxes) or not len(x):
        return np.zeros(len(x), bool)
    return ((boxes[None, :, 0] <= x[:, None]) & (x[:, None] <= boxes[None, :, 2])
            & (boxes[None, :, 1] <= y[:, None]) & (y[:, None] <= boxes[None, :, 3])).any(axis=1)


def unread_glyph_mask(image: np.ndarray, lines: list[Line], photos: list[BBox]) -> tuple[np.ndarray, int, float]:
    """Ink mask of the unread letter-sized blobs (rule 1), their number and the word height used."""
    hs = [w.bbox.height for ln in lines for w in ln.words]
    empty = np.zeros(image.shape[:2], np.uint8)
    if not hs or image.ndim != 2:
        return empty, 0, 0.0
    gh = float(np.median(hs))
    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, cents = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    cx, cy = cents[1:, 0], cents[1:, 1]
    cand = (h >= 0.6 * gh) & (h <= 1.6 * gh) & (w <= 2 * gh)
    idx = np.flatnonzero(cand)
    photo = np.array([[r.x0, r.y0, r.x1, r.y1] for r in photos], dtype=float).reshape(-1, 4)
    keep = idx[~_inside(photo, cx[idx], cy[idx]) & ~_inside(_word_boxes(lines, gh / 3), cx[idx], cy[idx])]
    mask = np.isin(labels, keep + 1).astype(np.uint8) * 255
    return mask, len(keep), gh


def unread_blocks(mask: np.ndarray, gh: float) -> list[BBox]:
    """Blocks of unread glyphs (rule 3), top down."""
    kx, ky = max(3, int(1.5 * gh)) | 1, max(3, int(0.6 * gh)) | 1
    blob = cv2.dilate(mask, np.ones((ky, kx), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blob, connectivity=8)
    H, W = mask.shape[:2]
    out = []
    for x, y, w, h, _a in stats[1:]:
        if w >= 3 * gh:
            out.append(BBox(x0=max(0, int(x) - 4), y0=max(0, int(y) - 4), x1=min(W, int(x + w) + 4), y1=min(H, int(y + h) + 4)))
    return sorted(out, key=lambda b: (b.y0, b.x0))


def _rows(words: list[Word]) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for x in sorted(words, key=lambda x: ((x.bbox.y0 + x.bbox.y1) / 2, x.bbox.x0)):
        if rows and (x.bbox.y0 + x.bbox.y1) / 2 < min(r.bbox.y1 for r in rows[-1]):
            rows[-1].append(x)
        else:
            rows.append([x])
    return [sorted(r, key=lambda x: x.bbox.x0) for r in rows]


def _overlap(a: BBox, b: BBox, share: float = 0.3) -> bool:
    """The boxes share at least ``share`` of the smaller one's area (a descender touching the
    next row is no overlap)."""
    iw, ih = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
    return iw > 0 and ih > 0 and iw * ih >= share * min(a.width * a.height, b.width * b.height)


def insert_at(lines: list[Line], box: BBox) -> int:
    """Index after the lowest line ending above ``box`` that overlaps it horizontally (0: none)."""
    best, at = None, 0
    for i, ln in enumerate(lines):
        b = ln.bbox
        if b.y1 <= box.y0 + 2 and min(b.x1, box.x1) > max(b.x0, box.x0) and (best is None or b.y1 >= best):
            best, at = b.y1, i + 1
    return at


def _is_prose(run: list[Word], conf: float) -> bool:
    """Two words of 3+ letters read at ``conf`` or more."""
    return sum(1 for x in run if x.conf >= conf and sum(c.isalpha() for c in x.text) >= 3) >= 2


#: a label line of its own: one capitalised word ending in a colon ('Convertibles:', 'Installation:')
_LABEL_WORD = re.compile(r"^[A-Z][a-z]{3,}:$")


def _is_label(run: list[Word], conf: float) -> bool:
    """One English word of 4+ letters, capitalised and ending in a colon, read at ``conf`` or more: a
    version or step label over the text ('Convertibles:' on 72-114, printed beside a photo's top)."""
    return len(run) == 1 and run[0].conf >= conf and bool(_LABEL_WORD.match(run[0].text)) and is_english(run[0].text[:-1])


def read_unread_text(image: np.ndarray, lines: list[Line], photos: list[BBox], tessdata: str,
                     min_glyphs: int = 8, prose_conf: float = 60.0, pad: int = 12) -> tuple[list[Line], list[str]]:
    """``lines`` with the prose the first reading left out added (module docstring) and a note."""
    from manualtune.ocr.cells import _read_words

    mask, unread, gh = unread_glyph_mask(image, lines, photos)
    if unread < min_glyphs:
        return lines, []
    seen = [w.bbox for ln in lines for w in ln.words]
    block = max((ln.block_num for ln in lines), default=-1) + 1
    added: list[Line] = []
    for box in unread_blocks(mask, gh):
        crop = np.pad(image[box.y0:box.y1, box.x0:box.x1], pad, constant_values=255)
        for row in _rows(_read_words(crop, box, pad, tessdata, 6)):
            run: list[Word] = []
            for w in [*row, None]:
                if w is not None and not any(_overlap(w.bbox, b) for b in seen):
                    run.append(w)
                    continue
                if _is_prose(run, prose_conf) or _is_label(run, prose_conf):
                    bb = BBox.enclosing([x.bbox for x in run])
                    assert bb is not None
                    added.append(Line(text=" ".join(x.text for x in run), bbox=bb, words=run, block_num=block,
                                      conf=round(float(np.mean([x.conf for x in run])), 2)))
                    block += 1
                run = []
    if not added:
        return lines, []
    out = list(lines)
    for ln in added:
        out.insert(insert_at(out, ln.bbox), ln)
    return out, [f"{unread} unread glyphs outside {len(photos)} photo(s): {len(added)} line(s) read again and added"]


__all__ = ["VERSION", "insert_at", "read_unread_text", "unread_blocks", "unread_glyph_mask"]
