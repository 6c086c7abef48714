"""Dev script: build the PageOCR JSON fixtures in ``tests/resources/layout/`` from the dev scans.

Not a test (pytest does not collect it). Runs tesseract (tesserocr) on a 2x upscaled copy of
each scan after removing ruling lines found with an OpenCV morphology, and maps every box back to
page pixels. Usage::

    .venv/bin/python tests/layout/make_fixtures.py [/work/shared/devdata]
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from manualtune.cache import sha256_file, write_json
from manualtune.records import BBox, Line, PageOCR, Ruling, Word

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
OUT = Path(__file__).resolve().parents[1] / "resources" / "layout"
STEMS = ["torque_11-19", "torque_11-01", "proc_11-64", "proc_21-05"]
SCALE = 1


def detect_rulings(gray: np.ndarray, min_frac: float = 0.04) -> list[Ruling]:
    """Horizontal/vertical ruling lines by morphological opening of the inverted binary image."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    h, w = gray.shape
    out: list[Ruling] = []
    for orient, ksize in (("h", (max(20, int(w * min_frac)), 1)), ("v", (1, max(15, int(h * min_frac))))):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, ksize)
        mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _ = (int(v) for v in stats[i])
            thin = bh <= 8 if orient == "h" else bw <= 8
            if thin:
                out.append(Ruling(orientation=orient, bbox=BBox(x0=x, y0=y, x1=x + bw, y1=y + bh)))
    out.sort(key=lambda r: (r.orientation, r.bbox.y0, r.bbox.x0))
    return out


def remove_rulings(gray: np.ndarray, rulings: list[Ruling]) -> np.ndarray:
    clean = gray.copy()
    for r in rulings:
        b = r.bbox
        clean[max(0, b.y0 - 1) : b.y1 + 1, max(0, b.x0 - 1) : b.x1 + 1] = 255
    return clean


def ocr_page(path: Path) -> PageOCR:
    from tesserocr import PSM, RIL, PyTessBaseAPI, iterate_level

    gray = np.array(Image.open(path).convert("L"))
    rulings = detect_rulings(gray)
    clean = remove_rulings(gray, rulings)
    big = clean if SCALE == 1 else cv2.resize(clean, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_CUBIC)

    def box(x0: int, y0: int, x1: int, y1: int) -> BBox:
        return BBox(x0=x0 // SCALE, y0=y0 // SCALE, x1=-(-x1 // SCALE), y1=-(-y1 // SCALE))

    lines: list[Line] = []
    with PyTessBaseAPI(path=TESSDATA, lang="eng", psm=PSM.SPARSE_TEXT) as api:
        api.SetImage(Image.fromarray(big))
        api.Recognize()
        ri = api.GetIterator()
        current: Line | None = None
        for it in iterate_level(ri, RIL.WORD):
            text = (it.GetUTF8Text(RIL.WORD) or "").strip()
            bb = it.BoundingBox(RIL.WORD)
            if not text or bb is None:
                continue
            word = Word(text=text, bbox=box(*bb), conf=round(float(it.Confidence(RIL.WORD)), 1))
            if it.IsAtBeginningOf(RIL.TEXTLINE) or current is None:
                lb = it.BoundingBox(RIL.TEXTLINE)
                current = Line(text="", bbox=box(*lb), conf=0.0, words=[], line_num=len(lines))
                lines.append(current)
            current.words.append(word)
    for ln in lines:
        ln.text = " ".join(w.text for w in ln.words)
        ln.conf = round(sum(w.conf for w in ln.words) / max(1, len(ln.words)), 1)
    lines = [ln for ln in lines if ln.words]
    words = [w for ln in lines for w in ln.words]
    sha = sha256_file(path)
    return PageOCR(
        page_id=f"{path.name}#p1@{sha[:12]}",
        source=path.name,
        page=1,
        sha256=sha,
        engine="tesseract 5.3 (fixture)",
        width=gray.shape[1],
        height=gray.shape[0],
        lines=lines,
        rulings=rulings,
        text="\n".join(ln.text for ln in lines),
        mean_conf=round(sum(w.conf for w in words) / max(1, len(words)), 1),
        word_count=len(words),
    )


def main(devdata: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stem in STEMS:
        page = ocr_page(devdata / f"{stem}.jpg")
        write_json(OUT / f"{stem}.ocr.json", page, indent=None)
        print(stem, len(page.lines), "lines", len(page.rulings), "rulings")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/devdata"))
