"""Tolerance signs: a printed "±" that tesseract read as "+" ("138 ± 0.5 mm" -> "138 + 0.5 mm").

Tesseract's English LSTM model has almost never seen "±" and reads it as "+", which turns a
tolerance into a sum (or a one-sided "+" tolerance). A plain "+" between two numbers is printed
too ("60 + 2° torque angle", "36.6 + 0.1 mm"), so the sign is never changed on a guess:
:func:`check_plus_minus` crops every "<number> + <number>" run (the three words, padded) and
reads it with RapidOCR's recogniser alone, whose dictionary has "±". The "+" becomes "±" only
when RapidOCR reads the very same characters with "±" in place of the "+" at a score of at least
``min_score``; each change is described in a note. Fails soft: without RapidOCR nothing changes.

A "+" before a temperature is read as "4" ("(+16°C" -> "(416°C": a trusted 416 °C that is not on
the page). :func:`check_plus_as_four` re-reads every word where a '4' is glued in front of a
number before '°' with the second-opinion readers (tesseract psm 7/8 with '+' in the whitelist,
RapidOCR): when at least two readings show '+' and the same digits and none reads the '4', the
'4' becomes '+'; when a reading shows the '+' but the digits are not confirmed, the word's
confidence drops to 0 (the cleanup's own second opinion can not confirm the '4', so the word is
dropped as noise: a missing number, not a wrong one); when the readings read the '4' (a printed
"45°") nothing changes.
"""

from __future__ import annotations

import re

import numpy as np

from manualtune.ocr.engines import rapid_read_box
from manualtune.records import BBox, Line, Word

VERSION = "pm2"
"""Bump when :func:`check_plus_minus` or :func:`check_plus_as_four` changes its output for the same input."""

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


#: a '4' glued in front of a number before a degree sign: "(416°C," "430°C)!" ("+16°C", "+30°C" misread)
_FOUR_BEFORE_DEGREE = re.compile(r"^(?P<pre>[(\[]?)4(?P<n>\d{1,3}(?:[.,]\d+)?)(?P<post>°.*|)$")
#: the first number of a reading and the sign glued before it
_SIGNED_NUMBER = re.compile(r"(?P<s>[+4]?)(?P<n>\d+(?:[.,]\d+)?)")


def _sign_reading(text: str) -> tuple[str, str] | None:
    """('+', '16') for '(+16°,', ('4', '16') for '(416°C', ('', '15') for '15°'; None without a number."""
    m = _SIGNED_NUMBER.search(text.replace(" ", ""))
    if m is None:
        return None
    sign, num = m.group("s"), m.group("n").replace(",", ".")
    if not sign and num.startswith("4") and len(num) > 1 and num[1].isdigit():
        sign, num = "4", num[1:]
    return sign, num


def _plus_as_four_words(words: list[Word]) -> list[int]:
    """Indices of words '4<number>°' (or '4<number>' followed by a word starting with '°')."""
    out = []
    for i, w in enumerate(words):
        m = _FOUR_BEFORE_DEGREE.match(w.text)
        if m is None:
            continue
        if m.group("post") or (i + 1 < len(words) and words[i + 1].text.startswith("°")):
            out.append(i)
    return out


def check_plus_as_four(image: np.ndarray, lines: list[Line], cfg=None, reader=None) -> tuple[list[Line], list[str]]:
    """``lines`` with a '+' read as '4' before a temperature put right, or the word's confidence
    dropped to 0 where the readings do not confirm its digits; and notes. ``reader(image, bbox)``
    gives the second opinion (default :func:`manualtune.facts.second_opinion.second_opinion`)."""
    if image is None or image.ndim != 2 or image.size == 0:
        return lines, []
    out = list(lines)
    notes: list[str] = []
    try:
        if reader is None:
            from manualtune.facts.config import FactsConfig
            from manualtune.facts.second_opinion import second_opinion

            fcfg = cfg or FactsConfig()

            def reader(img, bbox):
                return second_opinion(img, bbox, fcfg)

        for li, ln in enumerate(lines):
            words = list(ln.words)
            changed = False
            for i in _plus_as_four_words(words):
                old = words[i]
                digits = _FOUR_BEFORE_DEGREE.match(old.text).group("n").replace(",", ".")
                opinion = reader(image, old.bbox)
                readings = opinion.readings
                signs = [r for r in (_sign_reading(t) for _, t in sorted(readings.items())) if r is not None]
                plus = [n for s, n in signs if s == "+"]
                four = [n for s, n in signs if s == "4" and n == digits]
                seen = opinion.evidence()
                where = f"({old.bbox.x0},{old.bbox.y0},{old.bbox.x1},{old.bbox.y1})"
                if not plus:
                    continue  # every reading reads the '4' (or nothing): a printed 4
                if len(plus) >= 2 and set(plus) == {digits} and not four:
                    words[i] = old.model_copy(update={"text": old.text.replace("4", "+", 1)})
                    notes.append(f"'+' read as '4' at {where}: tesseract {old.text!r}, {seen}")
                else:
                    words[i] = old.model_copy(update={"conf": 0.0})
                    notes.append(f"'4' before a temperature unconfirmed at {where}: tesseract {old.text!r}, {seen}")
                changed = True
            if changed:
                out[li] = ln.model_copy(update={"words": words, "text": " ".join(w.text for w in words)})
    except Exception as exc:  # noqa: BLE001 - a repair pass never fails a page, but says so in the page notes
        return lines, [f"'+' read as '4' check skipped: {type(exc).__name__}: {exc}"]
    return out, notes


__all__ = ["VERSION", "check_plus_as_four", "check_plus_minus"]
