"""A plausibility check of the page's reading order, with tesseract's own order as the fallback.

The column reading order (:func:`~manualtune.ocr.reading_order.order_lines`) knows one gutter per
page and rebuilds visual rows inside each side of it. On a page with more text columns than that
(text | photo | captions, photo | text | photo | captions, two text columns beside a photo) a
rebuilt row can join words of two printed columns: "TOWING  Front Towing Eyes" (a heading and the
caption beyond the photo), "... protect  Rear Towing Eyes", or two paragraphs line by line. That
interleaves the columns and ruins the page text, while tesseract's layout analysis had them as
separate blocks.

Evidence, counted per ordering (:func:`implausible_joins`): a line whose words, left to right,
jump a gap of at least ``gap_factor`` x the page's median word height where

* a photo (:func:`~manualtune.ocr.figures.photo_masks`) lies in the gap and reaches to within
  ``near_factor`` word heights of the line (no printed line of text runs across a photo), and each
  side has a word of 3+ letters read at ``prose_conf`` (photo texture read as "oy SSF" is no text), or
* both sides are prose of different tesseract blocks (at least ``prose_words`` words of 3+
  letters each, read at ``prose_conf``) and *each* side's sentence runs on into the next row of
  its own column (a hyphenated break, or no . : ! ? ; and a lowercase start there): two running
  paragraphs side by side. A table row is not (a wrapped cell beside a cell that ends on its row,
  "its wires" | "pin 16 and pin 10 (= B-)", each cell starting a row of its own).

:func:`choose_order` keeps the column order unless it has more such joins than tesseract's own
order (ruled tables still row by row, ``order_lines(columns=False)``, its lines cut where they run
across a photo, :func:`cut_at_photos`); then tesseract's order is used and the page notes say so.
No extra OCR: both orders are of the same lines.
"""

from __future__ import annotations

import re
from statistics import median

from manualtune.records import BBox, Line, Word

VERSION = "order5"

# a printed page reference ends an index row: '6413-0', '31-16', '41-101C', '31-27.'
_REF = re.compile(r"^\d{2,4}-\d{1,3}[A-Z]?[.,]?$")


def _prose(words: list[Word], prose_conf: float, prose_words: int) -> bool:
    return sum(1 for w in words if w.conf >= prose_conf and sum(c.isalpha() for c in w.text) >= 3) >= prose_words


def _photo_between(left: Word, right: Word, photos: list[BBox], row: BBox, near: float) -> bool:
    for p in photos:
        if p.x0 >= left.bbox.x1 - near and p.x1 <= right.bbox.x0 + near and p.y0 <= row.y1 + near and p.y1 >= row.y0 - near:
            return True
    return False


def _continues(piece: list[Word], nxt: list[Word] | None) -> bool:
    """The sentence of ``piece`` (the left side of a row) runs on into ``nxt``, the next row of its
    own column: the piece ends in a hyphen, or it ends without . : ! ? and ``nxt`` starts lowercase."""
    last = piece[-1].text
    if last.endswith(("-", "\u2010", "\u00ad")) and len(last) > 2:
        return True
    if not nxt or last.endswith((".", ":", "!", "?", ";")):
        return False
    first = nxt[0].text.lstrip("\"'(\u201c\u2018")
    return bool(first) and first[0].islower()


def implausible_joins(
    lines: list[Line],
    photos: list[BBox],
    source: list[Line] | None = None,
    gap_factor: float = 2.5,
    near_factor: float = 2.5,
    prose_words: int = 2,
    prose_conf: float = 70.0,
) -> list[str]:
    """The joins of ``lines`` (see the module docstring), one short description each.

    ``source``: the lines whose ``block_num`` says which tesseract block a word came from (default:
    ``lines`` themselves, so a tesseract line jumping a photo counts too)."""
    heights = [w.bbox.height for ln in lines for w in ln.words]
    if not heights:
        return []
    h = median(heights)
    gap, near = gap_factor * h, near_factor * h
    block = {id(w): ln.block_num for ln in (source or lines) for w in ln.words}
    def next_piece(piece: list[Word], lo: float, hi: float) -> list[Word] | None:
        """The words between x ``lo`` and ``hi`` (the piece's own printed column) of the nearest row
        below the piece, when that row starts within a word height of the piece's left edge and no
        paragraph gap (``1.5`` word heights) lies between them; else None (a new item or paragraph)."""
        x0, y1 = piece[0].bbox.x0, max(w.bbox.y1 for w in piece)
        best: list[Word] | None = None
        for other in lines:
            ws = sorted((w for w in other.words if lo <= w.bbox.x0 < hi and w.bbox.y0 > y1 - 0.3 * h),
                        key=lambda w: w.bbox.x0)
            if ws and (best is None or ws[0].bbox.y0 < best[0].bbox.y0):
                best = ws
        if best is None or abs(best[0].bbox.x0 - x0) > h or best[0].bbox.y0 - y1 > 1.5 * h:
            return None
        return best

    out: list[str] = []
    for ln in lines:
        ws = sorted(ln.words, key=lambda w: w.bbox.x0)
        for i in range(1, len(ws)):
            a, b = ws[i - 1], ws[i]
            if b.bbox.x0 - a.bbox.x1 < gap:
                continue
            left, right = ws[:i], ws[i:]
            if _photo_between(a, b, photos, ln.bbox, near) and _prose(left, prose_conf, 1) and _prose(right, prose_conf, 1):
                out.append(f"'{' '.join(w.text for w in left)[-30:]}' | photo | '{' '.join(w.text for w in right)[:30]}'")
                continue
            if block.get(id(a)) == block.get(id(b)):
                continue
            if not (_prose(left, prose_conf, prose_words) and _prose(right, prose_conf, prose_words)):
                continue
            # both sides run on in their own columns: two paragraphs, not a table row of cells
            # (a wrapped cell beside a one-line cell, "its wires" | "pin 16 and pin 10")
            end = next((ws[j] for j in range(i + 1, len(ws)) if ws[j].bbox.x0 - ws[j - 1].bbox.x1 >= gap), None)
            right = ws[i:ws.index(end)] if end is not None else right
            hi = end.bbox.x0 if end is not None else float("inf")
            if (_continues(left, next_piece(left, -1.0, b.bbox.x0 - h))
                    and _continues(right, next_piece(right, a.bbox.x1 + h, hi))):
                out.append(f"'{' '.join(w.text for w in left)[-30:]}' | '{' '.join(w.text for w in right)[:30]}'")
    return out


def cut_at_photos(lines: list[Line], photos: list[BBox], gap_factor: float = 2.5, near_factor: float = 2.5) -> list[Line]:
    """``lines`` with each line cut where a photo lies in a gap between two of its words (a heading
    and the caption beyond the photo that tesseract read as one line): the pieces follow each other,
    left to right, and keep the line's block numbers."""
    heights = [w.bbox.height for ln in lines for w in ln.words]
    if not heights or not photos:
        return lines
    h = median(heights)
    out: list[Line] = []
    for ln in lines:
        ws = sorted(ln.words, key=lambda w: w.bbox.x0)
        cuts = [i for i in range(1, len(ws)) if ws[i].bbox.x0 - ws[i - 1].bbox.x1 >= gap_factor * h
                and _photo_between(ws[i - 1], ws[i], photos, ln.bbox, near_factor * h)]
        if not cuts:
            out.append(ln)
            continue
        for a, b in zip([0, *cuts], [*cuts, len(ws)], strict=True):
            piece = ws[a:b]
            box = BBox.enclosing([w.bbox for w in piece])
            assert box is not None
            out.append(ln.model_copy(update={"text": " ".join(w.text for w in piece), "bbox": box, "words": piece,
                                             "conf": round(sum(w.conf for w in piece) / len(piece), 2)}))
    return out


def index_joins(lines: list[Line], source: list[Line] | None = None, gap_factor: float = 1.5,
                min_letters: int = 3) -> list[str]:
    """Rows that run on past an index entry's page reference into the next printed column: a word
    that reads as a page reference ('6413-0', '31-16') followed, after a gap of at least
    ``gap_factor`` x the row's median word height, by a word of ``min_letters``+ letters (or a dash
    and such a word: '\u2014 Headlights') of another tesseract block. An index row ends with its page
    reference; a multi-column index page (title | page, three times across) whose rows were rebuilt
    across its gutters reads 'A/C Blower Controls 6413-0 Heated Seats'."""
    block = {id(w): ln.block_num for ln in (source or lines) for w in ln.words}
    out: list[str] = []
    for ln in lines:
        ws = sorted(ln.words, key=lambda w: w.bbox.x0)
        if len(ws) < 2:
            continue
        h = median(w.bbox.height for w in ws)
        for i in range(len(ws) - 1):
            a = ws[i]
            if not _REF.match(a.text):
                continue
            nxt = ws[i + 1:i + 3]
            b = nxt[0]
            if b.bbox.x0 - a.bbox.x1 < gap_factor * h or block.get(id(a)) == block.get(id(b)):
                continue
            word = next((w for w in nxt if sum(c.isalpha() for c in w.text) >= min_letters), None)
            if word is None or (word is not b and b.text not in ("\u2014", "\u2013", "-", "--")):
                continue
            out.append(f"'{a.text}' | '{' '.join(w.text for w in ws[i + 1:])[:30]}'")
            break
    return out


def choose_order(ours: list[Line], theirs: list[Line], photos: list[BBox], source: list[Line],
                 min_index_joins: int = 3) -> tuple[list[Line], list[str]]:
    """``ours`` (the column order) unless it has more implausible joins than ``theirs`` (tesseract's
    order of the same lines); a note says which was kept and why. Index-row joins
    (:func:`index_joins`) count when there are at least ``min_index_joins`` of them."""
    def joins(lines: list[Line]) -> list[str]:
        idx = index_joins(lines, source)
        return implausible_joins(lines, photos, source) + (idx if len(idx) >= min_index_joins else [])

    bad = joins(ours)
    if not bad:
        return ours, []
    own = joins(theirs)
    if len(own) >= len(bad):
        return ours, []
    shown = "; ".join(bad[:3]) + (" ..." if len(bad) > 3 else "")
    return theirs, [f"column order joined {len(bad)} row(s) across printed columns ({shown}); tesseract's own order "
                    f"has {len(own)}: kept tesseract's order"]


__all__ = ["VERSION", "choose_order", "cut_at_photos", "implausible_joins", "index_joins"]
