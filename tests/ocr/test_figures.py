"""Text inside photos kept out of the body text (manualtune.ocr.figures)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.config import BuildConfig
from manualtune.ocr.engines import TesseractEngine
from manualtune.ocr.figures import is_callout, merge_figures, photo_regions, separate_figure_text
from manualtune.ocr.stage import ocr_page_image
from manualtune.records import BBox, Figure, Line, PageRef, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _line(words: list[tuple[str, int, int, int, int]], conf: float = 95.0) -> Line:
    ws = [Word(text=t, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1), conf=conf) for t, x0, y0, x1, y1 in words]
    box = BBox.enclosing([w.bbox for w in ws])
    assert box is not None
    return Line(text=" ".join(w.text for w in ws), bbox=box, conf=conf, words=ws)


def _photo_page(seed: int = 0) -> np.ndarray:
    """A 1200 x 900 page: a halftone 'photo' at the left (grey noise with dark blobs, a white
    callout '9' and a figure code inside), prose at the right, a callout '10' above the photo."""
    rng = np.random.default_rng(seed)
    img = Image.new("L", (1200, 900), 250)
    photo = (rng.integers(40, 160, size=(500, 380))).astype(np.uint8)
    img.paste(Image.fromarray(photo), (20, 120))
    d = ImageDraw.Draw(img)
    big, font = ImageFont.truetype(FONT, 34), ImageFont.truetype(FONT, 22)
    d.ellipse((160, 300, 230, 370), fill=255)
    d.text((180, 310), "9", font=big, fill=0)
    d.rectangle((250, 585, 395, 612), fill=255)
    d.text((255, 586), "30 23 229", font=font, fill=0)
    d.text((200, 70), "10", font=big, fill=0)
    y = 130
    for text in ["Remove lock in socket of bolt.", "Unscrew bolt (9).", "Important!", "Seal between case and bolt.",
                 "Remove reverse gear shaft, reverse gear,", "needle bearing and thrust washer."]:
        d.text((450, y), text, font=font, fill=0)
        y += 30
    return np.asarray(img)


def test_photo_region_found_and_text_left_out() -> None:
    regions = photo_regions(_photo_page())
    assert len(regions) == 1
    r = regions[0]
    # the halftone block spans x 20-400, y 120-620; the prose at x >= 450 is outside
    assert r.x0 <= 30 and r.y0 <= 130 and 390 <= r.x1 < 450 and r.y1 >= 600
    blank = np.full((900, 1200), 250, np.uint8)
    assert photo_regions(blank) == []


@pytest.mark.parametrize(("text", "callout"), [
    ("9", True), ("A", True), ("10", True), ("23 1 050", True), ("30 23 228", True), ("3023 228", True),
    ("231050", True), ("1 30 65 072", True), ("A1", True), ("Unscrew bolt (9).", False), ("65-102", False), ("Important!", False), ("45 Nm", False), ("", False),
])
def test_callout_table(text: str, callout: bool) -> None:
    assert is_callout(text) is callout


def test_words_in_and_beside_a_photo_become_figure_text() -> None:
    photo = BBox(x0=0, y0=100, x1=580, y1=700)
    lines = [
        _line([("Wi", 40, 200, 70, 220), ("b", 90, 200, 100, 220)], conf=30.0),            # photo noise
        _line([("9", 240, 400, 262, 436)]),                                               # callout in the photo
        _line([("10", 240, 40, 292, 76), ("Remove", 621, 40, 712, 60), ("bolt", 721, 40, 767, 60),
               ("(10)", 777, 40, 823, 60)]),                                              # callout on a body row
        _line([("Seal", 621, 70, 670, 90), ("between", 680, 70, 760, 90), ("case", 770, 70, 820, 90)]),
        _line([("Unscrew", 621, 400, 712, 420), ("bolt", 721, 400, 767, 420), ("(9).", 777, 400, 823, 420)]),
        _line([("with", 621, 600, 680, 620), ("Special", 690, 600, 770, 620), ("Tools", 780, 600, 840, 620)]),
        _line([("23", 621, 630, 650, 650), ("2", 660, 630, 670, 650), ("150.", 680, 630, 730, 650)]),  # ends a paragraph
        _line([("30", 1000, 1200, 1030, 1220), ("31", 1040, 1200, 1070, 1220), ("018", 1080, 1200, 1130, 1220)]),
    ]
    body, figures = separate_figure_text(lines, [photo])
    assert [ln.text for ln in body] == [
        "Remove bolt (10)", "Seal between case", "Unscrew bolt (9).", "with Special Tools", "23 2 150.",
    ]
    assert [(f.bbox.x0, f.bbox.y0, f.text) for f in figures] == [(0, 100, "10 Wi b 9"), (1000, 1200, "30 31 018")]
    assert all(w.text != "10" or w.bbox.x0 == 240 for ln in body for w in ln.words)


def test_page_label_and_texture_words_beside_a_photo() -> None:
    photo = BBox(x0=1200, y0=10, x1=1790, y1=500)
    code = _line([("cccatusnsisa", 1250, 540, 1400, 560), ("30", 1500, 540, 1530, 560), ("65", 1540, 540, 1570, 560),
                  ("070", 1580, 540, 1630, 560)])
    code.words[0].conf = 31.0  # photo texture read as letters
    lines = [
        _line([("65-102", 1300, 20, 1390, 60)]),  # the running page label, printed over the photo's top
        code,
        _line([("Lift", 621, 540, 660, 560), ("off", 670, 540, 700, 560), ("cap", 710, 540, 750, 560)]),
    ]
    body, figures = separate_figure_text(lines, [photo], height=1800)
    assert [ln.text for ln in body] == ["65-102", "Lift off cap"]
    assert [f.text for f in figures] == ["cccatusnsisa 30 65 070"]
    body, _ = separate_figure_text(lines, [photo])  # without the page height: no band, the label is photo text
    assert [ln.text for ln in body] == ["Lift off cap"]


def test_prose_inside_a_dark_box_stays_body_text() -> None:
    box = BBox(x0=0, y0=0, x1=800, y1=100)
    lines = [_line([("Special", 10, 20, 90, 40), ("tools", 100, 20, 150, 40), ("required", 160, 20, 250, 40)])]
    body, figures = separate_figure_text(lines, [box])
    assert [ln.text for ln in body] == ["Special tools required"]
    assert figures[0].words == []


def test_merge_figures_keeps_each_word_once() -> None:
    w = Word(text="9", bbox=BBox(x0=5, y0=5, x1=15, y1=25), conf=90.0)
    v = Word(text="30 23 228", bbox=BBox(x0=50, y0=80, x1=150, y1=95), conf=90.0)
    a = [Figure(bbox=BBox(x0=0, y0=0, x1=200, y1=100), words=[w], text="9")]
    b = [Figure(bbox=BBox(x0=0, y0=0, x1=200, y1=100), words=[w, v], text="9 30 23 228")]
    assert [f.text for f in merge_figures(a, b)] == ["9 30 23 228"]


def test_ocr_keeps_photo_text_out_of_page_text() -> None:
    """The whole OCR path on the rendered page: prose read, callouts and figure code in figures."""
    cfg = BuildConfig()
    off = BuildConfig.model_validate({"ocr": {"figure_text_pass": False}})
    ref = PageRef(page_id="p.png#p1@000000000000", source="p.png", page=1, sha256="0" * 64, kind="image")
    engine = TesseractEngine(cfg.ocr)
    try:
        page = ocr_page_image(_photo_page(), ref, cfg, engine)
        plain = ocr_page_image(_photo_page(), ref, off, engine)
    finally:
        engine.close()
    assert "30 23 229" in plain.text and plain.figures == []  # what the pass is for
    assert "Unscrew bolt (9)." in page.text and "needle bearing and thrust washer." in page.text
    assert "229" not in page.text and "9" not in page.text.split()
    assert [f.text for f in page.figures] == ["30 23 229"]
    assert page.figures[0].bbox.x0 < 60 and page.figures[0].bbox.y1 > 600
