"""Second-opinion OCR of one word crop: tesseract (digits+units whitelist, psm 7 and 8) and rapidocr.

Used by the cleanup for words that hold digits and were read with low confidence, and for
every value-changing cleanup edit ("l0" -> "10"): the edit is applied only when the second
opinion agrees. Engines are created once per process and reused.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np

from manualtune.facts.config import FactsConfig
from manualtune.records import BBox

WHITELIST = "0123456789.,+-±°/:()%xNmkPabrcsVAWlhtiΩ"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|[.,]\d+")
_LOCK = threading.Lock()
_TESS: dict[tuple[str, int], object] = {}


@dataclass
class SecondOpinion:
    """Readings of one crop by each engine ('tesseract-psm7', 'tesseract-psm8', 'rapidocr')."""

    readings: dict[str, str] = field(default_factory=dict)

    def numbers(self) -> dict[str, str | None]:
        """The first number each engine read (normalised '0,25' -> '0.25'), None when it read none."""
        return {k: number_in(v) for k, v in sorted(self.readings.items())}

    def vote(self, candidate: str) -> tuple[bool, int, int]:
        """(agrees, n_agree, n_disagree) of the engines' numbers against ``candidate``'s number."""
        want = number_in(candidate)
        nums = [n for n in self.numbers().values() if n is not None]
        agree = sum(1 for n in nums if n == want)
        disagree = len(nums) - agree
        return (want is not None and agree >= 2 and agree > disagree), agree, disagree

    def evidence(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in sorted(self.readings.items()))


def number_in(text: str | None) -> str | None:
    """First number in a reading, with a decimal comma read as a point and a leading dot completed."""
    if not text:
        return None
    m = _NUMBER.search(text.replace(" ", ""))
    if not m:
        return None
    t = m.group(0).replace(",", ".")
    return "0" + t if t.startswith(".") else t


def crop_word(image: np.ndarray, bbox: BBox, pad: int) -> np.ndarray | None:
    """Padded crop of a word (grayscale uint8), upscaled to about 48 px tall; None if empty."""
    import cv2

    if image is None or image.size == 0:
        return None
    h, w = image.shape[:2]
    x0, y0 = max(0, bbox.x0 - pad), max(0, bbox.y0 - pad)
    x1, y1 = min(w, bbox.x1 + pad), min(h, bbox.y1 + pad)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    crop = image[y0:y1, x0:x1]
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    scale = 48.0 / max(1, crop.shape[0])
    if scale > 1.2:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return np.ascontiguousarray(crop.astype(np.uint8))


def _tesseract(psm: int, tessdata: str):
    import tesserocr

    key = (tessdata, psm)
    api = _TESS.get(key)
    if api is None:
        from manualtune.ocr.engines import quiet_leptonica

        quiet_leptonica()
        api = tesserocr.PyTessBaseAPI(path=tessdata, lang="eng", psm=psm)
        api.SetVariable("tessedit_char_whitelist", WHITELIST)
        _TESS[key] = api
    return api


def second_opinion(image: np.ndarray, bbox: BBox, cfg: FactsConfig | None = None) -> SecondOpinion:
    """Re-OCR the padded crop of ``bbox`` with each engine; engines that fail are left out."""
    from PIL import Image

    cfg = cfg or FactsConfig()
    out = SecondOpinion()
    crop = crop_word(image, bbox, cfg.crop_pad)
    if crop is None:
        return out
    pil = Image.fromarray(crop)
    with _LOCK:
        for psm in (7, 8):
            try:
                api = _tesseract(psm, cfg.tessdata)
                api.SetImage(pil)
                out.readings[f"tesseract-psm{psm}"] = (api.GetUTF8Text() or "").strip()
            except Exception:  # noqa: BLE001 - a missing engine is no evidence, not an error
                continue
        if cfg.second_opinion_rapidocr:
            try:
                from manualtune.ocr.engines import rapid_recognize

                read = rapid_recognize(crop)
                out.readings["rapidocr"] = read[0] if read else ""
            except Exception:  # noqa: BLE001
                pass
    return out
