"""Page image clean-up before OCR: deskew, (upscale), denoise, ruling-line removal, binarise.

All coordinates (rulings, table grid, and the OCR boxes computed on ``Preprocessed.image``) are
in the pixels of the *output* image: the deskewed (and, if configured, enlarged) page.
Angles follow OpenCV's convention: positive = counter-clockwise. ``Preprocessed.angle`` is the
skew found in the input; the page was rotated by ``-angle`` to straighten it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from manualtune.preprocess.config import PreprocessConfig
from manualtune.records import BBox, Ruling

VERSION = "4"
"""Bump when the output of :func:`preprocess` changes for the same input and config."""


@dataclass
class TableGrid:
    """Ruling positions of a ruled table: y of horizontal lines, x of vertical lines (sorted)."""

    row_lines: list[int]
    col_lines: list[int]

    @property
    def n_rows(self) -> int:
        return max(len(self.row_lines) - 1, 0)

    @property
    def n_cols(self) -> int:
        return max(len(self.col_lines) - 1, 0)


@dataclass
class Preprocessed:
    """Result of :func:`preprocess`."""

    image: np.ndarray
    angle: float = 0.0
    rulings: list[Ruling] = field(default_factory=list)
    table_grid: TableGrid | None = None
    scale: float = 1.0


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels (ink) as 255 on 0, by Otsu's threshold."""
    _, inv = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return inv


def _rotate_same_size(img: np.ndarray, angle: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)


def _profile_score(ink: np.ndarray, angle: float) -> float:
    rows = cv2.reduce(_rotate_same_size(ink, angle), 1, cv2.REDUCE_SUM, dtype=cv2.CV_64F).ravel()
    return float(np.sum(np.diff(rows) ** 2))


def estimate_skew(gray: np.ndarray, max_deg: float = 5.0, work_px: int = 1000) -> float:
    """Skew angle of the text lines in degrees (OpenCV convention), by projection profiles.

    Measured on a copy whose long side is at most ``work_px``: a coarse search over
    ``[-max_deg, max_deg]`` in 0.5° steps, then a fine one in 0.05° steps around the best.
    """
    if gray.size == 0 or max_deg <= 0:
        return 0.0
    h, w = gray.shape[:2]
    f = min(1.0, work_px / max(h, w))
    small = cv2.resize(gray, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else gray
    ink = _ink(small)
    if not ink.any():
        return 0.0

    def best(candidates: np.ndarray) -> float:
        scores = [_profile_score(ink, float(a)) for a in candidates]
        return float(candidates[int(np.argmax(scores))])

    coarse = best(np.round(np.arange(-max_deg, max_deg + 1e-9, 0.5), 4))
    fine = best(np.round(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.05), 4))
    # rotating by `fine` straightens the page, so the page is skewed by -fine
    return float(np.clip(-fine, -max_deg, max_deg)) + 0.0


def rotate_page(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees (counter-clockwise), growing the canvas, filling with white."""
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(gray, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255)


def median_glyph_height(gray: np.ndarray) -> float | None:
    """Median height of glyph-sized connected components (None when there is no text).

    Components lower than half the 90th percentile height are left out: the dots of leader lines
    ("Final drive – remove ...........  33- 1") outnumber the letters on an index page and would
    make 18 px print look like 4 px print (and be enlarged 2x, which garbles tesseract's reading)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(_ink(gray), connectivity=8)
    hs = np.array([
        int(s[cv2.CC_STAT_HEIGHT])
        for s in stats[1:n]
        if 4 <= s[cv2.CC_STAT_HEIGHT] <= 120 and s[cv2.CC_STAT_WIDTH] <= 3 * s[cv2.CC_STAT_HEIGHT]
        and s[cv2.CC_STAT_AREA] >= 6
    ])
    if len(hs):
        hs = hs[hs >= 0.5 * np.percentile(hs, 90)]
    return float(np.median(hs)) if len(hs) >= 10 else None


def find_rulings(gray: np.ndarray, cfg: PreprocessConfig) -> tuple[list[Ruling], np.ndarray]:
    """Long thin horizontal/vertical lines (morphological opening); returns them and their mask."""
    ink = _ink(gray)
    h, w = gray.shape[:2]
    mask = np.zeros_like(ink)
    rulings: list[Ruling] = []
    for orient in ("h", "v"):
        length = max(cfg.ruling_min_px, int(cfg.ruling_min_frac * (w if orient == "h" else h)))
        ksize = (length, 1) if orient == "h" else (1, length)
        opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, ksize))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        paint = np.zeros(n, dtype=np.uint8)
        for i in range(1, n):
            x, y, bw, bh = (int(v) for v in stats[i, :4])
            along, across = (bw, bh) if orient == "h" else (bh, bw)
            if along < length or across > cfg.ruling_max_thickness_px:
                continue
            rulings.append(Ruling(orientation=orient, bbox=BBox(x0=x, y0=y, x1=x + bw, y1=y + bh)))
            if orient in cfg.remove_orientations:
                paint[i] = 255
        if paint.any():
            np.maximum(mask, paint[labels], out=mask)
    if cfg.cell_rulings:
        rulings.extend(_cell_vrulings(ink, rulings, mask, cfg))
    rulings.sort(key=lambda r: (r.orientation, r.bbox.y0, r.bbox.x0, r.bbox.y1, r.bbox.x1))
    return rulings, mask


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of every run of True in a 1-d boolean array."""
    d = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def _cell_vrulings(ink: np.ndarray, rulings: list[Ruling], mask: np.ndarray, cfg: PreprocessConfig) -> list[Ruling]:
    """Vertical cell borders between two horizontal rulings that the long-line pass missed (a
    header row's column borders are one row high) or left partly unpainted (a border drawn a
    few px off in one row).

    Between every two horizontal rulings above each other, an x where ink covers at least
    ``cell_ruling_cover`` of the band's height in a run at most ``ruling_max_thickness_px``
    wide is a border: it is painted into ``mask`` (when vertical rulings are removed) and
    returned as a ruling unless a ruling found before already covers it.
    """
    hs = sorted((r.bbox for r in rulings if r.orientation == "h"), key=lambda b: (b.y0, b.x0))
    vs = [r.bbox for r in rulings if r.orientation == "v"]
    thick = cfg.ruling_max_thickness_px
    out: list[Ruling] = []
    paint = "v" in cfg.remove_orientations and cfg.remove_rulings
    for i, top in enumerate(hs):
        # the nearest ruling below that overlaps this one along x
        below = next((b for b in hs[i + 1:] if b.y0 > top.y1 + 2 * thick and min(top.x1, b.x1) - max(top.x0, b.x0) > 0), None)
        if below is None:
            continue
        x0, x1 = max(top.x0, below.x0) - thick, min(top.x1, below.x1) + thick
        y0, y1 = top.y1, below.y0
        band = ink[y0:y1, max(0, x0):x1]
        if band.size == 0:
            continue
        cover = (band > 0).sum(axis=0) >= cfg.cell_ruling_cover * (y1 - y0)
        for a, b in _runs(cover):
            if b - a > thick:
                continue
            xa, xb = max(0, x0) + a, max(0, x0) + b
            if paint:
                mask[y0:y1, xa:xb] = np.maximum(mask[y0:y1, xa:xb], ink[y0:y1, xa:xb])
            known = any(v.x0 - thick <= xa and xb <= v.x1 + thick and v.y0 <= y0 + thick and v.y1 >= y1 - thick for v in vs)
            if not known:
                out.append(Ruling(orientation="v", bbox=BBox(x0=xa, y0=top.y0, x1=xb, y1=below.y1)))
    return out


def _cluster(positions: list[float], tol: float) -> list[int]:
    out: list[list[float]] = []
    for p in sorted(positions):
        if out and p - out[-1][-1] <= tol:
            out[-1].append(p)
        else:
            out.append([p])
    return [round(float(np.mean(c))) for c in out]


def table_grid(rulings: list[Ruling], tol: int = 6) -> TableGrid | None:
    """Distinct horizontal / vertical ruling positions; None unless there are >= 2 of each."""
    rows = _cluster([(r.bbox.y0 + r.bbox.y1) / 2 for r in rulings if r.orientation == "h"], tol)
    cols = _cluster([(r.bbox.x0 + r.bbox.x1) / 2 for r in rulings if r.orientation == "v"], tol)
    if len(rows) < 2 or len(cols) < 2:
        return None
    return TableGrid(row_lines=rows, col_lines=cols)


def _scale_ruling(r: Ruling, fx: float, fy: float, w: int, h: int) -> Ruling:
    b = r.bbox
    box = BBox(
        x0=min(w, int(b.x0 * fx)), y0=min(h, int(b.y0 * fy)),
        x1=min(w, int(np.ceil(b.x1 * fx))), y1=min(h, int(np.ceil(b.y1 * fy))),
    )
    return Ruling(orientation=r.orientation, bbox=box)


def paper_tone(img: np.ndarray, stroke_px: int) -> np.ndarray:
    """Local paper brightness: a grey closing wipes out dark strokes up to ``stroke_px`` wide."""
    k = _odd(2 * stroke_px + 1)
    return cv2.morphologyEx(img, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))


def flatten_background(img: np.ndarray, cfg: PreprocessConfig) -> np.ndarray:
    """Divide by the local paper tone so grey or shaded paper becomes white and ink keeps its contrast."""
    bg = paper_tone(img, cfg.flatten_stroke_px)
    bg = cv2.GaussianBlur(bg, (0, 0), cfg.flatten_stroke_px)
    return cv2.divide(img, np.maximum(bg, 1), scale=255)


def table_regions(rulings: list[Ruling], shape: tuple[int, int], cfg: PreprocessConfig) -> list[BBox]:
    """Boxes of ruled tables: groups of crossing rulings with at least 2 vertical ones."""
    h, w = shape
    canvas = np.zeros((h, w), np.uint8)
    for r in rulings:
        b = r.bbox
        cv2.rectangle(canvas, (b.x0, b.y0), (max(b.x0, b.x1 - 1), max(b.y0, b.y1 - 1)), 255, -1)
    canvas = cv2.dilate(canvas, np.ones((2 * cfg.ruling_max_thickness_px + 1,) * 2, np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(canvas, connectivity=8)
    boxes: list[BBox] = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        box = BBox(x0=x, y0=y, x1=x + bw, y1=y + bh)
        n_v = sum(
            1 for r in rulings
            if r.orientation == "v" and box.x0 <= r.bbox.x0 and r.bbox.x1 <= box.x1 and box.y0 <= r.bbox.y0 and r.bbox.y1 <= box.y1
        )
        if n_v >= 2:
            boxes.append(box)
    return sorted(boxes, key=lambda b: (b.y0, b.x0))


def binarize_regions(img: np.ndarray, boxes: list[BBox], paper: tuple[int, int] = (0, 256)) -> np.ndarray:
    """Otsu-threshold each box on its own histogram when its paper tone (median grey) lies in
    ``[paper[0], paper[1])``; the rest of the page is left as it is."""
    if not boxes:
        return img
    out = img.copy()
    for b in boxes:
        roi = out[b.y0:b.y1, b.x0:b.x1]
        if roi.size and paper[0] <= float(np.median(roi)) < paper[1]:
            _, bw = cv2.threshold(roi, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            out[b.y0:b.y1, b.x0:b.x1] = bw
    return out


def _paint_out(img: np.ndarray, mask: np.ndarray, cfg: PreprocessConfig) -> np.ndarray:
    """Copy of ``img`` with the masked (ruling) pixels replaced by the fill the config names."""
    out = img.copy()
    if cfg.ruling_fill == "white":
        out[mask > 0] = 255
        return out
    # local paper tone: a grey closing wipes out thin dark strokes (text and rulings) but keeps
    # the background's slow shading, so a painted-out ruling leaves no bright stripe behind
    k = _odd(2 * cfg.ruling_max_thickness_px + 1)
    bg = cv2.morphologyEx(img, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    out[mask > 0] = bg[mask > 0]
    return out


def _odd(k: int) -> int:
    return max(3, k | 1)


def preprocess(gray: np.ndarray, cfg: PreprocessConfig | None = None) -> Preprocessed:
    """Run the enabled steps on a grayscale uint8 page; never changes the input array."""
    cfg = cfg or PreprocessConfig()
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    img = np.ascontiguousarray(gray, dtype=np.uint8)
    if img.size == 0 or min(img.shape) < 8:
        return Preprocessed(image=img.copy())
    angle = 0.0
    if cfg.deskew:
        est = estimate_skew(img, cfg.max_skew_deg, cfg.deskew_work_px)
        if abs(est) >= cfg.min_skew_deg:
            angle = round(est, 2)
            img = rotate_page(img, -angle)
    # rulings are found before enlarging (cheaper) and their boxes/mask scaled with the page
    rulings: list[Ruling] = []
    mask = None
    if cfg.detect_rulings or cfg.remove_rulings:
        rulings, mask = find_rulings(img, cfg)
        if not cfg.remove_rulings or not mask.any():
            mask = None
    scale = 1.0
    if cfg.upscale_to_char_px:
        gh = median_glyph_height(img)
        if gh and gh < cfg.upscale_to_char_px:
            scale = round(min(cfg.max_upscale, cfg.upscale_to_char_px / gh), 2)
            if scale > 1.05:
                h0, w0 = img.shape[:2]
                img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
                fy, fx = img.shape[0] / h0, img.shape[1] / w0
                if mask is not None:
                    mask = cv2.resize(mask, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_NEAREST)
                rulings = [_scale_ruling(r, fx, fy, img.shape[1], img.shape[0]) for r in rulings]
            else:
                scale = 1.0
    if cfg.flatten_background:
        img = flatten_background(img, cfg)
    if cfg.denoise == "median":
        img = cv2.medianBlur(img, _odd(cfg.median_ksize))
    elif cfg.denoise == "nlmeans":
        img = cv2.fastNlMeansDenoising(img, None, cfg.nlmeans_h, 7, 21)
    if mask is not None:
        k = max(3, int(round(cfg.ruling_pad_px * scale)) | 1)
        mask = cv2.dilate(mask, np.ones((k, k), np.uint8))
        img = _paint_out(img, mask, cfg)
    if cfg.binarize_tables and cfg.binarize == "none":
        paper = (cfg.table_paper_min, cfg.white_paper_min)
        img = binarize_regions(img, table_regions(rulings, img.shape[:2], cfg), paper)
    grid = table_grid(rulings, tol=max(6, round(6 * scale))) if rulings else None
    if cfg.binarize == "otsu":
        _, img = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    elif cfg.binarize == "adaptive":
        img = cv2.adaptiveThreshold(
            img, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, _odd(cfg.adaptive_block), cfg.adaptive_c
        )
    if img is gray:
        img = img.copy()
    return Preprocessed(image=img, angle=angle, rulings=rulings, table_grid=grid, scale=scale)
