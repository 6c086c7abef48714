"""Ruled tables on grey, noisy paper: one-row cell borders, paper-tone ruling fill, table-only Otsu."""

from __future__ import annotations

import cv2
import numpy as np

from manualtune.preprocess import PreprocessConfig, preprocess
from manualtune.preprocess.core import binarize_regions, find_rulings, table_regions
from manualtune.records import BBox

XS = [100, 700, 950, 1150, 1300]  # column borders
YS = [100, 150, 200, 260, 310, 360, 410]  # row borders; row 1 (150-200) is a spanning section row


def _table_page(paper: int = 226, noise: float = 4.0, seed: int = 0) -> np.ndarray:
    """A page like the sample manual's spec tables: header row with its own (one row high)
    inner borders, a spanning section row, then full rows; grey paper with speckle noise."""
    rng = np.random.default_rng(seed)
    img = np.full((600, 1400), paper, np.float32) + rng.normal(0, noise, (600, 1400))
    img = np.clip(img, 0, 255).astype(np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), 30, 2)
    for x in (XS[0], XS[-1]):
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 30, 2)
    for x in XS[1:-1]:
        cv2.line(img, (x, YS[0]), (x, YS[1]), 30, 2)  # header row only
        cv2.line(img, (x, YS[2]), (x, YS[-1]), 30, 2)  # body rows
    font = cv2.FONT_HERSHEY_SIMPLEX
    for x, text in zip(XS, ["Component", "Type", "Measure", "Unit"], strict=False):
        cv2.putText(img, text, (x + 10, YS[0] + 35), font, 0.9, 30, 2)
    cv2.putText(img, "11 21 Crankshaft", (XS[0] + 10, YS[1] + 35), font, 0.9, 30, 2)
    for y0, (label, val, unit) in zip(YS[2:], [("Flywheel bolts", "105", "Nm"), ("Damper bolt", "55", "Nm"),
                                                ("Torque angle", "70", "o"), ("Sump bolts", "10", "Nm")], strict=False):
        for x, t in zip((XS[0], XS[2], XS[3]), (label, val, unit), strict=True):
            cv2.putText(img, t, (x + 10, y0 + 35), font, 0.9, 30, 2)
    return img


def _no_deskew(**kw) -> PreprocessConfig:
    return PreprocessConfig(deskew=False, upscale_to_char_px=None, **kw)


def test_header_row_borders_one_row_high_are_found_and_painted_out():
    page = _table_page()
    out = preprocess(page, _no_deskew())
    vs = [r.bbox for r in out.rulings if r.orientation == "v"]
    for x in XS[1:-1]:
        # the header row's own border (only 50 px long: the long-line pass can not see it)
        assert any(abs((b.x0 + b.x1) / 2 - x) <= 3 and b.y0 <= YS[0] + 3 and b.y1 >= YS[1] - 3 and b.y1 < YS[2]
                   for b in vs), x
        strip = out.image[YS[0] + 8:YS[1] - 8, x - 3:x + 4]
        assert strip.min() > 128  # nothing of the border left for the OCR to read as 'l' / '|'
    # the spanning section row has no border: none invented there
    assert not any(b.y0 >= YS[1] - 3 and b.y1 <= YS[2] + 3 for b in vs)
    off = preprocess(page, _no_deskew(cell_rulings=False))
    assert len([r for r in off.rulings if r.orientation == "v"]) < len(vs)


def test_text_strokes_are_not_cell_borders():
    # a tall glyph stroke ('l', '1') in a row does not span the row from rule to rule
    page = _table_page()
    rulings, _ = find_rulings(page, _no_deskew())
    xs = sorted({(r.bbox.x0 + r.bbox.x1) // 2 for r in rulings if r.orientation == "v"})
    assert all(any(abs(x - c) <= 3 for c in XS) for x in xs), xs


def test_removed_rulings_take_the_paper_tone_not_white():
    page = _table_page(paper=220, noise=0.0)
    bg = preprocess(page, _no_deskew(binarize_tables=False, ruling_fill="background"))
    white = preprocess(page, _no_deskew(binarize_tables=False, ruling_fill="white"))
    y = (YS[3] + YS[4]) // 2
    x = XS[1]
    assert abs(int(bg.image[y, x]) - 220) <= 3
    assert white.image[y, x] == 255


def test_grey_paper_tables_are_thresholded_white_paper_left_alone():
    grey = _table_page(paper=226)
    out = preprocess(grey, _no_deskew())
    inside = out.image[YS[0] + 5:YS[-1] - 5, XS[0] + 5:XS[-1] - 5]
    assert set(np.unique(inside).tolist()) <= {0, 255}
    assert out.image[20, 20] != 255 or out.image[20, 21] != 255  # the page outside the table is untouched

    white = _table_page(paper=255, noise=0.0)
    kept = preprocess(white, _no_deskew())
    gray_levels = np.unique(kept.image[YS[0] + 5:YS[-1] - 5, XS[0] + 5:XS[-1] - 5])
    assert len(gray_levels) > 2  # anti-aliased glyph edges kept (already-clean scans)


def test_table_regions_and_binarize_regions_respect_the_paper_range():
    page = _table_page(paper=226)
    rulings, _ = find_rulings(page, _no_deskew())
    boxes = table_regions(rulings, page.shape, _no_deskew())
    assert len(boxes) == 1
    b = boxes[0]
    assert b.x0 <= XS[0] and b.x1 >= XS[-1] and b.y0 <= YS[0] and b.y1 >= YS[-1]
    dark = np.full((50, 50), 60, np.uint8)
    dark[10:20, 10:20] = 200
    # a dark area (a photo) is outside [128, 245): left as it is
    assert np.array_equal(binarize_regions(dark, [BBox(x0=0, y0=0, x1=50, y1=50)], (128, 245)), dark)
