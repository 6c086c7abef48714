"""Wiring diagrams read by the second engine: wire labels and fuse ratings that tesseract garbles.

On the ETM's circuit diagrams the text is short capitals scattered between drawn wires: wire
labels (".75 GN/WT", "2.5 BK/YL", "25 BK"), fuse ratings ("FUSE 10" / "7.5 AMP"), component names.
Tesseract's page segmentation merges labels with the strokes next to them: on the tune-half
diagram it read 2 of 16 labels and 0 of 2 fuse ratings ("-75 BR/GN", "75 RD/GN", "TSAMP"), with
psm 11 (sparse text) 4 of 16. RapidOCR (text detection + recognition, models in its wheel) reads
each label as its own text box: 16 of 16 and 2 of 2 (measured 2026-12-01, ``the README ("OCR")``).

Rules:

1. **A wiring page** (:func:`is_wiring_page`) is recognised from tesseract's first pass: at least
   ``min_labels`` wire labels (:data:`~manualtune.layout.patterns.WIRE_LABEL`, size + colour code)
   or colour pairs ("RD/GN"), counted with the glyph in front of a size allowed ("-75 BR/GN").
2. The page is **read again by RapidOCR** (:func:`read_wiring_lines`) on a copy scaled to at most
   ``work_px`` on the long side (boxes scaled back to page pixels and cut to the rows that hold
   ink, :func:`ink_band`); words are the line's space-separated tokens, boxes shared out by
   character count. Each RapidOCR line that holds a
   wire label or a fuse rating replaces the tesseract words under it (:func:`merge_wiring_labels`);
   all other text, the lines and the reading order stay tesseract's (its block segmentation and
   the column model order the page; RapidOCR reads the labels). Every replacement is a
   ``PageOCR.notes`` line with both readings; without RapidOCR tesseract's lines stay.
3. Wire sizes are not edited here: a lost leading dot ("75 GN/WT") is put back by the cleanup
   (:mod:`manualtune.facts.cleanup`, rule ``wire_size_dot``) only with evidence, with an audit line.
"""

from __future__ import annotations

import re

import numpy as np

from manualtune.layout.patterns import COLOUR_PAIR, WIRE_COLOURS, WIRE_LABEL
from manualtune.records import BBox, Line, Word

VERSION = "wire4"  # 4: RapidOCR boxes cut to their ink band

#: a glyph read in front of a wire size where a leading dot was printed ("-75", "‘5", "'75")
_DOT_GLYPH = re.compile(r"(?<![\w.])[-‘’'`,·](?=\d{1,2}\s?[A-Z]{2})")


def count_wire_labels(text: str) -> int:
    """Wire labels and colour pairs in ``text`` (a glyph in place of a leading dot allowed)."""
    t = _DOT_GLYPH.sub(".", text)
    labels = {m.span() for m in WIRE_LABEL.finditer(t)}
    pairs = [m.span() for m in COLOUR_PAIR.finditer(t)]
    return len(labels) + sum(1 for s in pairs if not any(a <= s[0] and s[1] <= b for a, b in labels))


def is_wiring_page(lines: list[Line], min_labels: int = 4) -> bool:
    """True when the lines hold at least ``min_labels`` wire labels / colour pairs."""
    return sum(count_wire_labels(ln.text) for ln in lines) >= min_labels


def _words_of(text: str, box: BBox, conf: float) -> list[Word]:
    """Space-separated tokens of a line, each with its share of the line box by character count."""
    tokens = text.split()
    n = max(1, len(text))
    out, pos = [], 0
    for tok in tokens:
        start = text.index(tok, pos)
        pos = start + len(tok)
        x0 = box.x0 + round(box.width * start / n)
        x1 = box.x0 + round(box.width * pos / n)
        out.append(Word(text=tok, bbox=BBox(x0=x0, y0=box.y0, x1=max(x1, x0 + 1), y1=box.y1), conf=conf))
    return out


_RAPID_PAGE: list = []


def _rapid_engine():
    if not _RAPID_PAGE:
        from manualtune.ocr.engines import RapidOCREngine, shared_rapidocr

        _RAPID_PAGE.append(RapidOCREngine(engine=shared_rapidocr()))  # the models the second opinions load
    return _RAPID_PAGE[0]


def read_wiring_lines(image: np.ndarray, work_px: int = 1200) -> list[Line] | None:
    """RapidOCR's lines of a page (page pixels, top-down), words with shared-out boxes; None when
    the engine is unavailable."""
    import cv2

    h, w = image.shape[:2]
    f = min(1.0, work_px / max(h, w))
    small = cv2.resize(image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else image
    try:
        engine = _rapid_engine()
        raw = engine.recognize(np.dstack([small] * 3) if small.ndim == 2 else small)
    except Exception:  # noqa: BLE001 - no second engine: tesseract's reading stays
        return None
    out: list[Line] = []
    for i, ln in enumerate(raw):
        b = ln.bbox
        box = BBox(x0=int(b.x0 / f), y0=int(b.y0 / f), x1=min(w, int(np.ceil(b.x1 / f))), y1=min(h, int(np.ceil(b.y1 / f))))
        # the line keeps the detection box (it decides which tesseract words a label replaces);
        # its words get the rows that hold ink (their height is what the layout checks)
        words = _words_of(ln.text, ink_band(image, box), ln.conf)
        if words:
            out.append(Line(text=" ".join(x.text for x in words), bbox=box, conf=ln.conf, words=words,
                            block_num=i, par_num=0, line_num=0))
    return out


def ink_band(image: np.ndarray, box: BBox, dark: int = 128, share: float = 0.05) -> BBox:
    """The rows of ``box`` that hold the text: RapidOCR's detection boxes are grown around the
    glyphs (its unclip step), two to three times the text height on a diagram's short labels, and
    the layout takes a box that tall for photo texture. Kept: the band of rows around the box's
    middle whose dark-pixel count is at least ``share`` of the fullest row's; the box unchanged
    when it holds no ink."""
    crop = image[box.y0:box.y1, box.x0:box.x1]
    if crop.size == 0 or crop.ndim != 2:
        return box
    counts = (crop < dark).sum(axis=1)
    if counts.max() == 0:
        return box
    inked = counts >= max(1, share * counts.max())
    mid = len(counts) // 2
    if not inked[mid]:  # the middle row is a gap (between two printed lines): keep the box
        return box
    top = mid
    while top > 0 and inked[top - 1]:
        top -= 1
    bottom = mid
    while bottom + 1 < len(counts) and inked[bottom + 1]:
        bottom += 1
    return box.model_copy(update={"y0": box.y0 + top, "y1": box.y0 + bottom + 1})


_FUSE_TEXT = re.compile(r"\bFUSE\b|\bAMP\b|\d\s?A\b", re.IGNORECASE)


def _label_line(text: str) -> bool:
    """A wire label, a colour code alone ("BK": a wire printed without its size) or a fuse rating."""
    alone = all(p in WIRE_COLOURS for p in text.strip().split("/")) if text.strip() else False
    return count_wire_labels(text) > 0 or alone or bool(_FUSE_TEXT.search(text))


def _covers(box: BBox, word: BBox, grow: float) -> bool:
    """The word's centre lies in ``box`` grown by ``grow`` x its height."""
    g = grow * max(1, box.height)
    cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
    return box.x0 - g <= cx <= box.x1 + g and box.y0 - g / 2 <= cy <= box.y1 + g / 2


def _relined(src: Line, words: list[Word]) -> Line:
    words = sorted(words, key=lambda w: w.bbox.x0)
    box = BBox.enclosing([w.bbox for w in words])
    assert box is not None
    return src.model_copy(update={"words": words, "bbox": box, "text": " ".join(w.text for w in words),
                                  "conf": round(float(np.mean([w.conf for w in words])), 2)})


def merge_wiring_labels(lines: list[Line], rapid: list[Line], grow: float = 0.3) -> tuple[list[Line], list[str]]:
    """Rule 2: each RapidOCR line that holds a wire label or fuse rating replaces the tesseract
    words at its place (one note per replacement, "tesseract '-75 BR/GN' -> rapidocr '.75 BR/GN'");
    every other tesseract word and line stays as it is. Each RapidOCR label becomes a line of its
    own (the reading order puts it in its visual row)."""
    out = [ln.model_copy() for ln in lines]
    words = [list(ln.words) for ln in out]
    notes: list[str] = []
    added: list[Line] = []
    for r in sorted(rapid, key=lambda ln: (ln.bbox.y0, ln.bbox.x0)):
        if not _label_line(r.text):
            continue
        hits = {(i, j) for i, ws in enumerate(words) for j, w in enumerate(ws) if _covers(r.bbox, w.bbox, grow)}
        before = " ".join(words[i][j].text for i, j in sorted(hits, key=lambda ij: words[ij[0]][ij[1]].bbox.x0))
        if before == r.text:
            continue
        for i in {i for i, _ in hits}:
            words[i] = [w for j, w in enumerate(words[i]) if (i, j) not in hits]
        added.append(r)  # its own line: the reading order regroups lines into visual rows
        b = r.bbox
        notes.append(f"wiring label at ({b.x0},{b.y0},{b.x1},{b.y1}): tesseract {before!r} -> rapidocr {r.text!r}")
    merged = [_relined(ln, ws) for ln, ws in zip(out, words, strict=True) if ws]
    if added:
        block = max((ln.block_num for ln in merged), default=-1) + 1
        merged += [ln.model_copy(update={"block_num": block}) for ln in added]
    return merged, notes


def reread_wiring_page(image: np.ndarray, lines: list[Line], min_labels: int = 4,
                       work_px: int = 1200) -> tuple[list[Line], list[str]]:
    """Rules 1-2 of the module docstring: (lines, notes)."""
    if not is_wiring_page(lines, min_labels):
        return lines, []
    first = sum(count_wire_labels(ln.text) for ln in lines)
    rapid = read_wiring_lines(image, work_px)
    if rapid is None:
        return lines, [f"wiring diagram ({first} wire labels read by tesseract): rapidocr unavailable, tesseract's lines kept"]
    merged, notes = merge_wiring_labels(lines, rapid)
    labels = sum(count_wire_labels(ln.text) for ln in merged)
    return merged, [f"wiring diagram: labels read again by rapidocr ({first} wire labels -> {labels})", *notes]


__all__ = ["VERSION", "count_wire_labels", "is_wiring_page", "merge_wiring_labels", "read_wiring_lines",
           "reread_wiring_page"]
