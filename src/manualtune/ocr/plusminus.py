"""Tolerance signs: a printed "±" that tesseract read as "+" ("138 ± 0.5 mm" -> "138 + 0.5 mm").

Tesseract's English LSTM model has almost never seen "±" and reads it as "+", which turns a
tolerance into a sum (or a one-sided "+" tolerance). A plain "+" between two numbers is printed
too ("60 + 2° torque angle", "36.6 + 0.1 mm"), so the sign is never changed on a guess:
:func:`check_plus_minus` crops every "<number> + <number>" run (the three words, padded) and
reads it with RapidOCR's recogniser alone, whose dictionary has "±". The "+" becomes "±" only
when RapidOCR reads the very same characters with "±" in place of the "+" at a score of at least
``min_score``; each change is described in a note. Fails soft: without RapidOCR nothing changes.
"""

from __future__ import annotations

import re

import numpy as np

from manualtune.ocr.engines import rapid_read_box
from manualtune.records import BBox, Line, Word

VERSION = "pm1"
"""Bump when :func:`check_plus_minus` changes its output for the same input."""

_NUMBER_END = re.compile(r"\d[.,]?$")
_NUMBER_START = re.compile(r"^[.,]?\d")


def _plus_runs(words: list[Word]) -> list[tuple[int, int, int]]:
    """(first, plus, last) word indices of '<number> + <number>' runs, also glued ('138+', '+0.5', '1.2+0.1')."""
    runs: list[tuple[int, int, int]] = []
    for i, w in enumerate(words):
        if w.text.count("+") != 1:
            continue
        before, after = w.text.split("+")
        a = i if before else i - 1
        b = i if after else i + 1
        if a < 0 or b >= len(words):
            continue
        left = before or words[a].text
        right = after or words[b].text
        if _NUMBER_END.search(left) and _NUMBER_START.match(right):
            runs.append((a, i, b))
    return runs


def _read_span(image: np.ndarray, box: BBox) -> tuple[str, float] | None:
    return rapid_read_box(image, box, max(3, box.height // 4))


def check_plus_minus(image: np.ndarray, lines: list[Line], min_score: float = 0.85) -> tuple[list[Line], list[str]]:
    """``lines`` with "+" between two numbers turned into "±" where RapidOCR reads "±" there, and notes."""
    if image is None or image.ndim != 2 or image.size == 0:
        return lines, []
    out = list(lines)
    notes: list[str] = []
    try:
        for li, ln in enumerate(lines):
            if "+" not in ln.text:
                continue
            words = list(ln.words)
            changed = False
            for a, p, b in _plus_runs(words):
                span = words[a : b + 1]
                box = BBox.enclosing([w.bbox for w in span])
                read = _read_span(image, box) if box is not None else None
                if read is None:
                    continue
                text, score = read[0].replace(" ", ""), read[1]
                tess = "".join(w.text for w in span)
                if score < min_score or text.count("±") != 1 or text.replace("±", "+") != tess:
                    continue
                old = words[p]
                words[p] = old.model_copy(update={"text": old.text.replace("+", "±"), "conf": min(old.conf, round(score * 100, 2))})
                changed = True
                notes.append(
                    f"'+' read as '±' at ({old.bbox.x0},{old.bbox.y0},{old.bbox.x1},{old.bbox.y1}): "
                    f"tesseract {' '.join(w.text for w in span)!r}, rapidocr {read[0]!r} {score * 100:.0f}"
                )
            if changed:
                out[li] = ln.model_copy(update={"words": words, "text": " ".join(w.text for w in words)})
    except Exception:  # noqa: BLE001 - a repair pass never fails a page
        return lines, []
    return out, notes


__all__ = ["VERSION", "check_plus_minus"]
