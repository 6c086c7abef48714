"""Cell pass over ruled tables: what the page-level OCR lost inside a grid cell is read again.

Tesseract's page layout analysis drops columns of tiny isolated glyphs (a Unit column of "l",
"°", "cm³" cells reads as a column of separator lines) and its LSTM loses small decimal points
("1.1" -> "11"). With the ruling grid known (:func:`manualtune.layout.tables.find_ruled_tables`),
two cheap checks run per cell of the preprocessed page:

* **Empty cell with ink**: the cell's inner crop is OCR-ed on its own (tesseract, one text line,
  psm 7, or a block, psm 6, when it is taller than two text lines) and its words are added as a
  new :class:`~manualtune.records.Line` (block numbers after the page's own).
* **Number cell**: a cell whose words are one plain number is read again by RapidOCR's
  recogniser alone (no detection, ~30 ms). When both engines read the same digits and only
  RapidOCR sees a decimal separator, the separator is taken (a lost point is a known tesseract
  slip; an invented one is not a RapidOCR one). When the digits differ the word's confidence is
  capped at ``disagree_conf`` so later checks (cleanup second opinions, review flags) see it.
* **Ohm sign in a nominal-values column** (rule ``ohm_glyph``): tesseract reads the "Ω" of the
  Bosch test lists as "2" / "Q" / "Qa"; only RapidOCR reads "Ω". In a column whose header cell
  says it holds nominal values (:data:`~manualtune.layout.tables.NOMINAL_COLUMN_CAPTION`,
  "Valori nominali"), a glyph word right after a number on its line ("10" "2") is re-read
  together with the number by RapidOCR; it becomes "Ω" only when that reading is the same
  numbers followed by "Ω" (with the same k / M prefix): "10 Ω" confirms, "102" or "10 2" does not.
  A glyph word alone on its line after a number in the cell ("maggiore di 1" / "Qa") becomes
  "Ω" only when RapidOCR reads its crop as exactly "Ω" and another cell of the same column was
  confirmed the first way. The digits are never changed.
* **Words beside the value in a nominal-values column** (rule ``nominal_line_agrees``): a line of
  such a cell holding a number and a word read below ``NOMINAL_WORD_CONF`` that holds no digit
  (a unit 'V' at 48, a comparison 'max.' at 65) is re-read by RapidOCR; when its reading is the
  line exactly (spaces aside: 'max.4V' for 'max.' '4' 'V'), those words get that confidence. Words
  with digits keep theirs (the cleanup's second readings judge them): a reading that differs
  anywhere ('10...15V' for '10,..16 V') changes nothing.

Everything is optional and fails soft: without tesserocr / rapidocr the lines come back as they were.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from manualtune.facts.second_opinion import numbers_in
from manualtune.layout.config import LayoutConfig
from manualtune.layout.tables import NOMINAL_COLUMN_CAPTION, cell_boxes, find_ruled_tables
from manualtune.ocr.engines import rapid_read_box
from manualtune.records import BBox, Line, Ruling, Word

VERSION = "cells3"  # 2: ohm_glyph; 3: nominal_line_agrees
"""Bump when :func:`read_table_cells` changes its output for the same input."""

_PLAIN_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
#: what tesseract makes of a printed 'Ω' (a trailing dot or stroke below it read as 'a' / '.')
OHM_GLYPH_WORD = re.compile(r"^(?:[2Q][a.,:]?|Ω)$")
#: a word ending in a number, with an optional unit prefix glued on ('10', '0,4...2,8k')
_ENDS_IN_NUMBER = re.compile(r"\d(?P<pre>[kM]?)$")
#: RapidOCR's reading of number + glyph that confirms the sign: the numbers, a prefix, 'Ω'
_OHM_READING = re.compile(r"^(?P<num>.*\d)(?P<pre>[kM]?)Ω[.,]?$")
#: a word without digits in a nominal-values line read below this is re-read with its line
NOMINAL_WORD_CONF = 85.0
_LOCK = threading.Lock()
_TESS: dict[tuple[str, int], object] = {}


def _tesseract(tessdata: str, psm: int):
    import tesserocr

    key = (tessdata, psm)
    if key not in _TESS:
        from manualtune.ocr.engines import quiet_leptonica

        quiet_leptonica()
        _TESS[key] = tesserocr.PyTessBaseAPI(path=tessdata, lang="eng", psm=psm, oem=1)
    return _TESS[key]


def _inner(box: BBox, inset: int, shape: tuple[int, int]) -> BBox | None:
    h, w = shape
    b = BBox(x0=max(0, box.x0 + inset), y0=max(0, box.y0 + inset), x1=min(w, box.x1 - inset), y1=min(h, box.y1 - inset))
    return b if b.width > 4 and b.height > 4 else None


def _ink_box(img: np.ndarray, box: BBox, min_px: int) -> BBox | None:
    """Tight box of the dark pixels inside ``box`` (page coordinates); None when nearly blank."""
    crop = img[box.y0:box.y1, box.x0:box.x1]
    dark = crop < 128
    if int(dark.sum()) < min_px:
        return None
    ys, xs = np.nonzero(dark)
    return BBox(x0=box.x0 + int(xs.min()), y0=box.y0 + int(ys.min()), x1=box.x0 + int(xs.max()) + 1, y1=box.y0 + int(ys.max()) + 1)


def _ocr_crop(img: np.ndarray, ink: BBox, glyph_h: float, tessdata: str, pad: int = 12) -> list[Word]:
    """Words of one cell crop (tesseract psm 7 then 8, psm 6 for multi-line cells), in page coordinates."""
    crop = img[ink.y0:ink.y1, ink.x0:ink.x1]
    crop = np.pad(crop, pad, constant_values=255)
    multi = ink.height > 2.2 * glyph_h
    words: list[Word] = []
    # one text line (psm 7); a single glyph ('l', '°') is often only seen as one word (psm 8)
    for psm in (6,) if multi else (7, 8):
        words = _read_words(crop, ink, pad, tessdata, psm)
        if words:
            break
    return words


def _read_words(crop: np.ndarray, ink: BBox, pad: int, tessdata: str, psm: int) -> list[Word]:
    from PIL import Image
    from tesserocr import RIL

    words: list[Word] = []
    with _LOCK:
        api = _tesseract(tessdata, psm)
        api.SetImage(Image.fromarray(np.ascontiguousarray(crop)))
        api.Recognize()
        it = api.GetIterator()
        while it is not None:
            if not it.Empty(RIL.WORD):
                text = (it.GetUTF8Text(RIL.WORD) or "").strip()
                box = it.BoundingBox(RIL.WORD)
                if text and box:
                    x0, y0, x1, y1 = box
                    words.append(Word(
                        text=text,
                        bbox=BBox(x0=ink.x0 + x0 - pad, y0=ink.y0 + y0 - pad, x1=ink.x0 + x1 - pad, y1=ink.y0 + y1 - pad),
                        conf=round(max(0.0, min(100.0, float(it.Confidence(RIL.WORD)))), 2),
                    ))
            if not it.Next(RIL.WORD):
                break
    return words


def _check_number(img: np.ndarray, word: Word, disagree_conf: float, min_score: float) -> Word:
    """``word`` (a plain number) checked against RapidOCR's reading of its crop (see the module doc)."""
    b = word.bbox
    read = rapid_read_box(img, b, max(4, b.height // 3))
    if read is None:
        return word
    text, score = read
    text = text.replace(" ", "")
    if text == word.text or not _PLAIN_NUMBER.match(text):
        return word
    digits = re.sub(r"\D", "", text)
    if digits == re.sub(r"\D", "", word.text) and score >= min_score and not re.search(r"[.,]", word.text):
        return word.model_copy(update={"text": text})
    if digits != re.sub(r"\D", "", word.text):
        return word.model_copy(update={"conf": min(word.conf, disagree_conf)})
    return word


def _same_line(a: BBox, b: BBox) -> bool:
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.height, b.height)


def _rapid_text(img: np.ndarray, box: BBox) -> str | None:
    read = rapid_read_box(img, box, max(4, box.height // 3))
    return None if read is None else read[0].replace(" ", "")


def _ohm_confirmed(img: np.ndarray, num: Word, glyph: Word) -> bool:
    """RapidOCR reads ``num`` + ``glyph`` (one line) as the same numbers, the same prefix and 'Ω'."""
    read = _rapid_text(img, BBox.enclosing([num.bbox, glyph.bbox]))
    m = _OHM_READING.match(read or "")
    want = _ENDS_IN_NUMBER.search(num.text)
    if m is None or want is None:
        return False
    return numbers_in(m.group("num")) == numbers_in(num.text) and m.group("pre") == want.group("pre")


def fix_ohm_glyphs(img: np.ndarray, columns: list[list[list[Word]]]) -> dict[int, Word]:
    """Rule ``ohm_glyph`` (module doc) over the cells of nominal-value columns (each cell its words
    in reading order): {id(word): the word read as 'Ω'}."""
    fixed: dict[int, Word] = {}
    for cells in columns:
        confirmed = 0
        alone: list[Word] = []
        for words in cells:
            for prev, w in zip(words, words[1:], strict=False):
                if w.text == "Ω" or not OHM_GLYPH_WORD.match(w.text) or not _ENDS_IN_NUMBER.search(prev.text):
                    continue
                if not _same_line(prev.bbox, w.bbox):
                    alone.append(w)
                elif _ohm_confirmed(img, prev, w):
                    fixed[id(w)] = w.model_copy(update={"text": "Ω", "conf": max(w.conf, 90.0)})
                    confirmed += 1
        if not confirmed:
            continue  # a glyph alone on its line needs a confirmed sign in its column
        for w in alone:
            if _rapid_text(img, w.bbox) == "Ω":
                fixed[id(w)] = w.model_copy(update={"text": "Ω", "conf": max(w.conf, 90.0)})
    return fixed


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words of one cell grouped into lines (a word whose centre lies within the line's first word's band joins it)."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2):
        cy = (w.bbox.y0 + w.bbox.y1) / 2
        if lines and lines[-1][0].bbox.y0 <= cy <= lines[-1][0].bbox.y1:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(ln, key=lambda w: w.bbox.x0) for ln in lines]


def confirm_nominal_words(img: np.ndarray, columns: list[list[list[Word]]], fixed: dict[int, Word]) -> dict[int, Word]:
    """Rule ``nominal_line_agrees`` (module doc): {id(word): the word with the confirmed confidence}
    for digit-free low-confidence words of nominal-value lines RapidOCR reads exactly as they are
    (``fixed`` holds words already re-read, used as they now read)."""
    out: dict[int, Word] = {}
    for cells in columns:
        for words in cells:
            for line in _lines(words):
                now = [fixed.get(id(w), w) for w in line]
                low = [i for i, w in enumerate(now) if w.conf < NOMINAL_WORD_CONF and not re.search(r"\d", w.text)]
                if not low or not any(re.search(r"\d", w.text) for w in now):
                    continue
                read = _rapid_text(img, BBox.enclosing([w.bbox for w in line]))
                if read is None or read != "".join(w.text for w in now).replace(" ", ""):
                    continue
                for i in low:
                    out[id(line[i])] = now[i].model_copy(update={"conf": NOMINAL_WORD_CONF + 5.0})
    return out


def _reading_order(words: list[Word]) -> list[Word]:
    """Words of one cell line by line, left to right."""
    return [w for ln in _lines(words) for w in ln]


def _nominal_columns(grid_cells: list[list[BBox]], words: list[Word], inset: int, shape) -> list[list[list[Word]]]:
    """Words of every cell (reading order) of each column whose header cell (the first row holding
    words) says it holds nominal values."""
    def inside(box: BBox) -> list[Word]:
        inner = _inner(box, inset, shape)
        if inner is None:
            return []
        got = [w for w in words
               if inner.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < inner.x1 and inner.y0 <= (w.bbox.y0 + w.bbox.y1) / 2 < inner.y1]
        return _reading_order(got)

    filled = [[(c, inside(c)) for c in row] for row in grid_cells]
    filled = [row for row in filled if any(ws for _, ws in row)]
    if not filled:
        return []
    out = []
    for head, ws in filled[0]:
        if not NOMINAL_COLUMN_CAPTION.search(" ".join(w.text for w in ws)):
            continue
        col = [cws for row in filled for c, cws in row
               if head.x0 <= (c.x0 + c.x1) / 2 < head.x1 and cws]
        out.append(col)
    return out


def read_table_cells(
    image: np.ndarray,
    lines: list[Line],
    rulings: list[Ruling],
    tessdata: str = "/usr/share/tesseract-ocr/5/tessdata/",
    layout: LayoutConfig | None = None,
    check_numbers: bool = True,
    disagree_conf: float = 30.0,
    min_score: float = 0.9,
) -> list[Line]:
    """``lines`` with empty ruled-table cells read on their own and plain numbers in cells checked.

    ``image`` is the preprocessed page the lines' boxes refer to (rulings painted out).
    """
    layout = layout or LayoutConfig()
    if image is None or image.size == 0 or not rulings:
        return lines
    grids = find_ruled_tables(rulings, layout)
    if not grids:
        return lines
    words = [w for ln in lines for w in ln.words]
    heights = sorted(w.bbox.height for w in words if w.text.isalnum())
    glyph_h = float(heights[len(heights) // 2]) if heights else 20.0
    inset = max(3, layout.ruling_tol_px)
    fixed: dict[int, Word] = {}
    added: list[Line] = []
    try:
        for grid in grids:
            for row in cell_boxes(grid, layout):
                for cell in row:
                    inner = _inner(cell, inset, image.shape[:2])
                    if inner is None:
                        continue
                    inside = [
                        w for w in words
                        if inner.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < inner.x1 and inner.y0 <= (w.bbox.y0 + w.bbox.y1) / 2 < inner.y1
                    ]
                    if not inside:
                        ink = _ink_box(image, inner, min_px=max(6, int(glyph_h)))
                        if ink is None:
                            continue
                        found = _ocr_crop(image, ink, glyph_h, tessdata)
                        if found:
                            box = BBox.enclosing([w.bbox for w in found])
                            conf = round(float(np.mean([w.conf for w in found])), 2)
                            added.append(Line(text=" ".join(w.text for w in found), bbox=box, conf=conf, words=found))
                    elif check_numbers and len(inside) == 1 and _PLAIN_NUMBER.match(inside[0].text):
                        new = _check_number(image, inside[0], disagree_conf, min_score)
                        if new is not inside[0]:
                            fixed[id(inside[0])] = new
            if check_numbers:
                columns = _nominal_columns(cell_boxes(grid, layout), words, inset, image.shape[:2])
                fixed.update(fix_ohm_glyphs(image, columns))
                fixed.update(confirm_nominal_words(image, columns, fixed))
    except Exception:  # noqa: BLE001 - the cell pass is an improvement, never a reason to fail a page
        return lines
    out: list[Line] = []
    for ln in lines:
        if any(id(w) in fixed for w in ln.words):
            ws = [fixed.get(id(w), w) for w in ln.words]
            ln = ln.model_copy(update={"words": ws, "text": " ".join(w.text for w in ws)})
        out.append(ln)
    start = max((ln.block_num for ln in lines), default=-1) + 1
    added.sort(key=lambda ln: (ln.bbox.y0, ln.bbox.x0))
    return out + [ln.model_copy(update={"block_num": start + i}) for i, ln in enumerate(added)]
