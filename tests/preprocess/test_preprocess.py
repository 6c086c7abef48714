"""Preprocess on rendered pages: deskew recovers a known angle, ruling removal finds the grid."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.preprocess import PreprocessConfig, estimate_skew, preprocess

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _font(size: int):
    if not FONT.exists():
        pytest.skip("DejaVu fonts not installed")
    return ImageFont.truetype(str(FONT), size)


def text_page(w: int = 1100, h: int = 800) -> np.ndarray:
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    font = _font(20)
    for i in range(22):
        d.text((60, 40 + i * 32), f"{i:02d} Tighten the conrod bolts to 30 Nm and turn 60 degrees more.", font=font, fill=0)
    return np.asarray(img)


def rotate_ccw(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def grid_page(rows: int = 6, cols: int = 4) -> tuple[np.ndarray, list[int], list[int]]:
    w, h = 1000, 700
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    ys = [100 + i * 80 for i in range(rows + 1)]
    xs = [80 + j * 210 for j in range(cols + 1)]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    font = _font(22)
    for i in range(rows):
        for j in range(cols):
            d.text((xs[j] + 15, ys[i] + 25), f"M{10 + i} {j * 5} Nm", font=font, fill=0)
    return np.asarray(img), ys, xs


@pytest.mark.parametrize("angle", [1.7, -1.2])
def test_deskew_recovers_known_angle(angle):
    page = rotate_ccw(text_page(), angle)
    assert abs(estimate_skew(page) - angle) < 0.3
    out = preprocess(page, PreprocessConfig(upscale_to_char_px=None, remove_rulings=False))
    assert abs(out.angle - angle) < 0.3
    # the straightened page's rows are sharp again: its skew is ~0
    assert abs(estimate_skew(out.image)) < 0.3


def test_straight_page_is_not_rotated():
    page = text_page()
    out = preprocess(page, PreprocessConfig(upscale_to_char_px=None))
    assert out.angle == 0.0 and out.image.shape == page.shape


def test_ruling_removal_finds_rows_and_columns():
    page, ys, xs = grid_page(rows=6, cols=4)
    out = preprocess(page, PreprocessConfig(upscale_to_char_px=None))
    assert out.table_grid is not None
    assert (out.table_grid.n_rows, out.table_grid.n_cols) == (6, 4)
    assert all(abs(a - b) <= 3 for a, b in zip(out.table_grid.row_lines, ys, strict=True))
    assert all(abs(a - b) <= 3 for a, b in zip(out.table_grid.col_lines, xs, strict=True))
    # the lines are gone from the image, the text is not
    assert out.image[ys[2] - 1 : ys[2] + 2, xs[0] + 5 : xs[-1] - 5].min() > 200
    assert out.image[ys[0] + 25 : ys[0] + 50, xs[0] + 15 : xs[0] + 120].min() < 80
    assert {r.orientation for r in out.rulings} == {"h", "v"}


def test_steps_can_be_switched_off_and_input_is_untouched():
    page, _, _ = grid_page()
    before = page.copy()
    off = PreprocessConfig(
        deskew=False, upscale_to_char_px=None, denoise="none", binarize="none", detect_rulings=False,
        remove_rulings=False,
    )
    out = preprocess(page, off)
    assert np.array_equal(out.image, page) and out.rulings == [] and out.table_grid is None
    binary = preprocess(page, PreprocessConfig(binarize="otsu", upscale_to_char_px=None)).image
    assert set(np.unique(binary)) <= {0, 255}
    assert np.array_equal(page, before)


def test_upscale_small_text():
    img = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(img).text((10, 10), "Torque angle 50 degrees M10 70", font=_font(11), fill=0)
    out = preprocess(np.asarray(img), PreprocessConfig(deskew=False, upscale_to_char_px=14, max_upscale=2.0))
    assert 1.05 < out.scale <= 2.0
    assert out.image.shape[1] == round(600 * out.scale)


def test_degenerate_inputs_do_not_raise():
    for arr in (np.zeros((0, 0), np.uint8), np.full((5, 5), 255, np.uint8), np.full((50, 80), 255, np.uint8)):
        out = preprocess(arr, PreprocessConfig())
        assert out.image.shape == arr.shape
