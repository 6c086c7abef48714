"""Hanging step numbers: what tesseract drops or misreads in the left margin of a numbered step.

Procedure pages print numbered steps with a hanging number ("1.  Draw off brake fluid ...",
continuation lines indented to the text). Tesseract's page segmentation often drops the isolated
number or reads it as a letter ("i Draw off ..."), so the step loses its number. After recognition
and reading order, :func:`recover_step_numbers` looks at every body line:

* **Where the text starts.** The line's first word, or its second when the first is a short
  token set apart by a wide gap (a number misread as "i", "a", "|").
* **Ink in the gap.** Left of the text start, inside the line's column and at most
  ``reach`` x the glyph height away, a blob of dark pixels with the size of one or two digits
  and a dot, sitting on the line's baseline and free above and below (a photo or a rule is not).
* **Two readings.** The blob (padded) is read by tesseract (one text line, psm 7, Otsu-binarised
  and scaled, whitelist digits + ``.)``) and by RapidOCR's recogniser alone.

A number is inserted as the line's first :class:`~manualtune.records.Word` (replacing the
misread token) when both readings give the same digits, or when one reading is confident and the
number fits the page's sequence (previous number + 1 or next number - 1, in reading order). The
Word's ``conf`` is the higher of two agreeing readings' (one engine's low confidence is outvoted by
the other's reading of the same number; the layout drops low-confidence words) or the one accepted
reading's; each insertion is described in a note
(:attr:`~manualtune.records.PageOCR.notes`) with both engines' readings. Nothing is inserted
without ink of a number's shape and a reading of it. Fails soft: without the engines the lines
come back unchanged.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from statistics import median

import numpy as np

from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import column_of
from manualtune.ocr.columns import _band, _span_of, page_column_split, table_spans
from manualtune.ocr.engines import rapid_read_box
from manualtune.records import BBox, Line, Ruling, Word

VERSION = "steps2"
"""Bump when :func:`recover_step_numbers` changes its output for the same input."""

STEP_TOKEN = re.compile(r"^(\d{1,2})[.)]$")
WHITELIST = "0123456789.)"
_LOCK = threading.Lock()
_TESS: dict[str, object] = {}


@dataclass
class _Candidate:
    """A hanging-number blob found left of a line's text."""

    index: int  # line index
    ink: BBox
    replaced: Word | None  # misread label word the number replaces
    tess: tuple[str, float] | None = None
    rapid: tuple[str, float] | None = None
    value: str | None = None
    conf: float = 0.0
    reason: str = ""


def _digits_api(tessdata: str):
    """One tesseract API per process: one text line (psm 7), digits + '.)' only."""
    if tessdata not in _TESS:
        import tesserocr

        from manualtune.ocr.engines import quiet_leptonica

        quiet_leptonica()
        api = tesserocr.PyTessBaseAPI(path=tessdata, lang="eng", psm=7, oem=1)
        api.SetVariable("tessedit_char_whitelist", WHITELIST)
        _TESS[tessdata] = api
    return _TESS[tessdata]


def glyph_height(lines: list[Line]) -> float:
    """Median box height of the page's words of 3+ letters or digits (about cap height + descender)."""
    hs = [w.bbox.height for ln in lines for w in ln.words if sum(c.isalnum() for c in w.text) >= 3]
    return float(median(hs)) if hs else 0.0


def _text_start(words: list[Word], h: float) -> tuple[int, Word | None]:
    """x where the line's text starts and the leading label word (a misread number) if any.

    The first word is a label when it is short (<= 3 characters, <= 2.5 x h wide), not already a
    step number, and set apart from the next word by more than 0.9 x h (a word space is ~0.3 x h).
    """
    if len(words) >= 2:
        w0, w1 = words[0], words[1]
        gap = w1.bbox.x0 - w0.bbox.x1
        if len(w0.text) <= 3 and w0.bbox.width <= 2.5 * h and gap >= 0.9 * h:
            return w1.bbox.x0, w0
    return words[0].bbox.x0, None


def _find_ink(image: np.ndarray, x0: int, x1: int, band: tuple[int, int], h: float) -> BBox | None:
    """The number-shaped blob nearest the text in ``[x0, x1)`` on the text band, or None.

    ``band`` is the (y0, y1) of the line's text words. The blob is the right-most run of dark
    columns (gaps under 0.45 x h join digits and the dot); it must be 0.45-1.3 x h tall, at most
    2.6 x h wide, end near the text's baseline and have no dark pixels touching the window 0.5 x h
    above and below (photos, rules and neighbouring text are not numbers).
    """
    H, W = image.shape[:2]
    y0, y1 = band
    m = int(round(0.5 * h))
    wy0, wy1 = max(0, y0 - m), min(H, y1 + m)
    x0, x1 = max(0, x0), min(W, x1)
    if x1 - x0 < 3 or wy1 - wy0 < 3:
        return None
    win = image[wy0:wy1, x0:x1] < 128
    core = win[y0 - wy0 : y1 - wy0]
    cols = np.nonzero(core.sum(axis=0) > 0)[0]
    if cols.size == 0:
        return None
    # right-most run of columns with ink (small gaps joined)
    join = max(2, int(round(0.45 * h)))
    right = int(cols[-1])
    left = right
    for c in cols[::-1]:
        if left - int(c) > join:
            break
        left = int(c)
    blob = win[:, left : right + 1]
    rows = np.nonzero(blob.sum(axis=1) > 0)[0]
    if rows.size == 0:
        return None
    top, bot = int(rows[0]), int(rows[-1]) + 1
    if top <= 0 or bot >= win.shape[0]:
        return None  # ink runs into the margin above / below: not an isolated glyph
    bh, bw = bot - top, right + 1 - left
    if not (0.45 * h <= bh <= 1.3 * h) or bw > 2.6 * h or bw < 2:
        return None
    if int(blob.sum()) < max(8, int(0.1 * bh * bw)):
        return None
    box = BBox(x0=x0 + left, y0=wy0 + top, x1=x0 + right + 1, y1=wy0 + bot)
    if box.y1 < y1 - 0.55 * h or box.y1 > y1 + 0.3 * h:
        return None  # not on the text's baseline
    return box


def _read_tess(image: np.ndarray, ink: BBox, tessdata: str) -> tuple[str, float] | None:
    """Tesseract psm 7 + digit whitelist on the Otsu-binarised blob scaled to ~48 px, padded."""
    import cv2
    from PIL import Image
    from tesserocr import RIL

    crop = image[ink.y0 : ink.y1, ink.x0 : ink.x1]
    scale = min(4.0, max(1.0, 48.0 / max(1, crop.shape[0])))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    _, crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    crop = np.pad(crop, int(round(0.5 * crop.shape[0])), constant_values=255)
    texts: list[str] = []
    confs: list[float] = []
    with _LOCK:
        api = _digits_api(tessdata)
        api.SetImage(Image.fromarray(np.ascontiguousarray(crop)))
        api.Recognize()
        it = api.GetIterator()
        while it is not None:
            if not it.Empty(RIL.WORD):
                t = (it.GetUTF8Text(RIL.WORD) or "").strip()
                if t:
                    texts.append(t)
                    confs.append(float(it.Confidence(RIL.WORD)))
            if not it.Next(RIL.WORD):
                break
    if not texts:
        return None
    return "".join(texts), round(max(0.0, min(100.0, min(confs))), 2)


def _read_rapid(image: np.ndarray, ink: BBox) -> tuple[str, float] | None:
    """RapidOCR recognition of the blob's grey crop (padded, 48 px high); score 0-100."""
    read = rapid_read_box(image, ink, max(4, ink.height // 2))
    if read is None:
        return None
    return read[0].replace(" ", ""), round(read[1] * 100.0, 2)


def _number(read: tuple[str, float] | None) -> str | None:
    m = STEP_TOKEN.match(read[0]) if read else None
    return m.group(1) if m else None


def _decide(c: _Candidate, min_conf: float) -> None:
    """Both readings agree -> accepted now; one confident reading -> ``value`` pending the sequence."""
    t, r = _number(c.tess), _number(c.rapid)
    printed = c.tess[0] if t and c.tess else c.rapid[0] if r and c.rapid else None
    if t and r and t == r:
        c.value, c.reason = printed, "agree"
        c.conf = max(c.tess[1], c.rapid[1])  # type: ignore[index]  # two engines agreeing: the stronger one
    elif t and c.tess and c.tess[1] >= min_conf and (r is None or not c.rapid or not any(ch.isdigit() for ch in c.rapid[0])):
        c.value, c.reason, c.conf = c.tess[0], "tesseract+sequence", c.tess[1]
    elif r and c.rapid and c.rapid[1] >= min_conf and (t is None or not c.tess or not any(ch.isdigit() for ch in c.tess[0])):
        c.value, c.reason, c.conf = c.rapid[0], "rapidocr+sequence", c.rapid[1]


def _fits_sequence(pos: int, value: int, seq: list[tuple[int, int]]) -> bool:
    """``value`` at reading position ``pos`` is the previous number + 1 or the next number - 1."""
    prev = [v for p, v in seq if p < pos]
    nxt = [v for p, v in seq if p > pos]
    return (bool(prev) and prev[-1] + 1 == value) or (bool(nxt) and nxt[0] - 1 == value)


def recover_step_numbers(
    image: np.ndarray,
    lines: list[Line],
    rulings: list[Ruling] | None = None,
    tessdata: str = "/usr/share/tesseract-ocr/5/tessdata/",
    min_conf: float = 85.0,
    reach: float = 5.0,
    cfg: LayoutConfig | None = None,
) -> tuple[list[Line], list[str]]:
    """``lines`` (in reading order) with hanging step numbers put back, and one note per insertion.

    ``image`` is the preprocessed page the lines' boxes refer to. See the module doc for the rules.
    """
    cfg = cfg or LayoutConfig()
    if image is None or image.ndim != 2 or image.size == 0 or not lines:
        return lines, []
    try:
        return _recover(image, lines, rulings or [], tessdata, min_conf, reach, cfg)
    except Exception:  # noqa: BLE001 - a repair pass never fails a page
        return lines, []


def _recover(image: np.ndarray, lines: list[Line], rulings: list[Ruling], tessdata: str, min_conf: float,
             reach: float, cfg: LayoutConfig) -> tuple[list[Line], list[str]]:
    H, W = image.shape[:2]
    h = glyph_height(lines)
    if h < 6:
        return lines, []
    spans = table_spans(rulings, H)
    split = page_column_split(lines, spans, W, H, cfg)
    seq: list[tuple[int, int]] = []  # (line index, number) of trusted numbers in reading order
    cands: list[_Candidate] = []
    for i, ln in enumerate(lines):
        words = sorted(ln.words, key=lambda w: w.bbox.x0)
        if not words or _band(ln.bbox, H, cfg) or _span_of(ln.bbox, spans) is not None:
            continue
        m = STEP_TOKEN.match(words[0].text)
        if m and words[0].conf >= cfg.text_word_conf and len(words) > 1:
            seq.append((i, int(m.group(1))))
            continue
        start, label = _text_start(words, h)
        text_words = [w for w in words if w.bbox.x0 >= start]
        if not text_words or not any(sum(c.isalpha() for c in w.text) >= 2 for w in text_words):
            continue  # a step number starts a line of text
        col = column_of(BBox.enclosing([w.bbox for w in text_words]), split, W, cfg)  # type: ignore[arg-type]
        lo = split if (col == 1 and split is not None) else 0
        x0 = max(lo, int(start - reach * h))
        band = (min(w.bbox.y0 for w in text_words[:3]), max(w.bbox.y1 for w in text_words[:3]))
        ink = _find_ink(image, x0, int(start - 0.25 * h), band, h)
        if ink is not None:
            cands.append(_Candidate(index=i, ink=ink, replaced=label))
    if not cands:
        return lines, []
    for c in cands:
        c.tess = _read_tess(image, c.ink, tessdata)
        c.rapid = _read_rapid(image, c.ink)
        _decide(c, min_conf)
    agreed = [c for c in cands if c.reason == "agree"]
    seq = sorted(seq + [(c.index, int(_number((c.value or "", 0.0)) or 0)) for c in agreed])
    pending = [c for c in cands if c.value and c.reason != "agree"]
    changed = True
    while changed:  # accept single-engine readings that fit the sequence, until nothing changes
        changed = False
        for c in pending:
            if c.reason.endswith("accepted"):
                continue
            v = int(STEP_TOKEN.match(c.value or "").group(1))  # type: ignore[union-attr]
            if _fits_sequence(c.index, v, seq):
                c.reason += " accepted"
                seq = sorted(seq + [(c.index, v)])
                changed = True
    accepted = agreed + [c for c in pending if c.reason.endswith("accepted")]
    out = list(lines)
    notes: list[str] = []
    for c in sorted(accepted, key=lambda c: c.index):
        ln = out[c.index]
        word = Word(text=c.value or "", bbox=c.ink, conf=round(c.conf, 2))
        words = [word] + [w for w in sorted(ln.words, key=lambda w: w.bbox.x0) if w is not c.replaced]
        out[c.index] = ln.model_copy(update={
            "words": words,
            "text": " ".join(w.text for w in words),
            "bbox": ln.bbox.union(c.ink),
            "conf": round(float(np.mean([w.conf for w in words])), 2),
        })
        t = f"{c.tess[0]!r} {c.tess[1]:.0f}" if c.tess else "none"
        r = f"{c.rapid[0]!r} {c.rapid[1]:.0f}" if c.rapid else "none"
        was = f", replaced {c.replaced.text!r}" if c.replaced is not None else ""
        b = c.ink
        notes.append(
            f"step number {c.value!r} inserted at ({b.x0},{b.y0},{b.x1},{b.y1}){was}: "
            f"tesseract {t}, rapidocr {r} ({c.reason.replace(' accepted', '')})"
        )
    return out, notes


__all__ = ["STEP_TOKEN", "VERSION", "glyph_height", "recover_step_numbers"]
