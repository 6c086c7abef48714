"""The OCR cell pass over ruled tables: empty cells read on their own, plain numbers checked."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from manualtune.ocr.cells import read_table_cells
from manualtune.preprocess import PreprocessConfig, preprocess
from manualtune.records import BBox, Line, Word

XS = [60, 460, 660, 860]
YS = [60, 120, 180, 240]


def _page() -> np.ndarray:
    img = np.full((320, 920), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), 0, 2)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 0, 2)
    font = cv2.FONT_HERSHEY_SIMPLEX
    rows = [("Component", "Measure", "Unit"), ("Power steering", "1.1", "Nm"), ("Wheel bolts", "100", "Nm")]
    for y0, cells in zip(YS, rows, strict=False):
        for x0, t in zip(XS, cells, strict=False):
            cv2.putText(img, t, (x0 + 12, y0 + 42), font, 1.0, 0, 2)
    return img


@pytest.fixture(scope="module")
def pre():
    return preprocess(_page(), PreprocessConfig(deskew=False, upscale_to_char_px=None))


def test_empty_cells_are_read_on_their_own(pre):
    # nothing read on the page: every cell with ink is OCR-ed alone and comes back as a line
    lines = read_table_cells(pre.image, [], pre.rulings, check_numbers=False)
    texts = [ln.text for ln in lines]
    assert "Unit" in texts and "100" in texts and texts.count("Nm") == 2
    wheel = next(ln for ln in lines if ln.text == "100")
    assert XS[1] < wheel.bbox.x0 < XS[2] and YS[2] < wheel.bbox.y0 < YS[3]  # page coordinates


def test_cells_with_words_are_left_alone(pre):
    word = Word(text="Unit", bbox=BBox(x0=XS[2] + 12, y0=YS[0] + 20, x1=XS[2] + 80, y1=YS[0] + 44), conf=95.0)
    page_line = Line(text="Unit", bbox=word.bbox, conf=95.0, words=[word])
    lines = read_table_cells(pre.image, [page_line], pre.rulings, check_numbers=False)
    assert lines[0] == page_line
    assert [ln.text for ln in lines].count("Unit") == 1
    assert all(ln.block_num >= 1 for ln in lines[1:])


def test_a_lost_decimal_point_is_restored_by_the_second_engine(pre):
    pytest.importorskip("rapidocr")
    # tesseract's slip: '1.1' read as '11' (same digits, no point) -> RapidOCR's '1.1' is taken
    ink = pre.image[YS[1] + 5:YS[2] - 5, XS[1] + 5:XS[2] - 5] < 128
    ys, xs = np.nonzero(ink)
    box = BBox(x0=XS[1] + 5 + int(xs.min()), y0=YS[1] + 5 + int(ys.min()),
               x1=XS[1] + 6 + int(xs.max()), y1=YS[1] + 6 + int(ys.max()))
    slip = Line(text="11", bbox=box, conf=90.0, words=[Word(text="11", bbox=box, conf=90.0)])
    lines = read_table_cells(pre.image, [slip], pre.rulings)
    assert lines[0].words[0].text == "1.1" and lines[0].text == "1.1"
    # a reading whose digits differ keeps its text but loses its confidence
    wrong = Line(text="17", bbox=box, conf=90.0, words=[Word(text="17", bbox=box, conf=90.0)])
    checked = read_table_cells(pre.image, [wrong], pre.rulings)[0].words[0]
    assert checked.text == "17" and checked.conf <= 30.0


def test_no_rulings_or_blank_image_change_nothing():
    line = Line(text="x", bbox=BBox(x0=0, y0=0, x1=5, y1=5), conf=90.0, words=[])
    assert read_table_cells(np.zeros((0, 0), np.uint8), [line], []) == [line]
    assert read_table_cells(np.full((50, 50), 255, np.uint8), [line], []) == [line]


def _nominal_page(header: str):
    """A ruled test-value table (a 'Valori nominali' column, as the Motronic lists), its words as
    tesseract reads them: the printed 'Ω' read as '2'; the last row prints a real '10 2'."""
    from PIL import Image, ImageDraw, ImageFont

    xs, ys = [60, 560, 900], [60, 130, 200, 270, 340]
    img = Image.new("L", (960, 400), 255)
    draw, font = ImageDraw.Draw(img), ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 28)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    rows = [("Prova del componente", header), ("Trasduttore altimetrico", "0,4...2,8k Ω"),
            ("Commutazione variante", "minore di 10 Ω"), ("Numero di giri", "10 2")]
    lines = []
    for y0, cells in zip(ys, rows, strict=False):
        for x0, t in zip(xs, cells, strict=False):
            x, words = x0 + 14, []
            for w in t.split(" "):
                b = draw.textbbox((x, y0 + 18), w, font=font)
                draw.text((x, y0 + 18), w, font=font, fill=0)
                words.append(Word(text="2" if w == "Ω" else w, conf=90.0,
                                  bbox=BBox(x0=int(b[0]), y0=int(b[1]), x1=int(b[2]) + 1, y1=int(b[3]) + 1)))
                x = int(b[2] + draw.textlength(" ", font=font))
            lines.append(Line(text=" ".join(w.text for w in words), bbox=BBox.enclosing([w.bbox for w in words]),
                              conf=90.0, words=words))
    pre = preprocess(np.array(img), PreprocessConfig(deskew=False, upscale_to_char_px=None))
    return pre, lines


def test_an_ohm_sign_read_as_2_in_a_nominal_values_column_is_read_again():
    pytest.importorskip("rapidocr")
    pre, lines = _nominal_page("Valori nominali")
    out = {a.text: b.text for a, b in zip(lines, read_table_cells(pre.image, lines, pre.rulings), strict=True)}
    assert out["0,4...2,8k 2"] == "0,4...2,8k Ω" and out["minore di 10 2"] == "minore di 10 Ω"
    assert out["10 2"] == "10 2"  # a printed '2': RapidOCR reads '102', no sign
    # a column that does not say it holds nominal values is left as read
    pre, lines = _nominal_page("Osservazioni")
    out = {a.text: b.text for a, b in zip(lines, read_table_cells(pre.image, lines, pre.rulings), strict=True)}
    assert out["minore di 10 2"] == "minore di 10 2" and out["0,4...2,8k 2"] == "0,4...2,8k 2"


def test_an_ohm_glyph_alone_on_its_line_needs_a_confirmed_sign_in_its_column(monkeypatch):
    from manualtune.ocr import cells

    def w(text, x0, y0):
        return Word(text=text, bbox=BBox(x0=x0, y0=y0, x1=x0 + 30, y1=y0 + 24), conf=60.0)

    # 07-08: 'minore di 10 2' / 'maggiore di 1' / 'Qa' (the sign printed under the number)
    ten, two, one, qa = w("10", 100, 0), w("2", 140, 0), w("1", 100, 30), w("Qa", 100, 60)
    readings = {(100, 0): "10Ω", (100, 60): "Ω"}
    monkeypatch.setattr(cells, "_rapid_text", lambda img, box: readings.get((box.x0, box.y0)))
    fixed = cells.fix_ohm_glyphs(np.zeros((1, 1), np.uint8), [[[ten, two, one, qa]]])
    assert fixed[id(two)].text == "Ω" and fixed[id(qa)].text == "Ω" and fixed[id(qa)].conf == 90.0
    # no sign confirmed on its line in the column: the lone glyph stays as read
    assert cells.fix_ohm_glyphs(np.zeros((1, 1), np.uint8), [[[one, qa]]]) == {}
    # RapidOCR reads other digits ('18Ω'): not confirmed
    readings[(100, 0)] = "18Ω"
    assert cells.fix_ohm_glyphs(np.zeros((1, 1), np.uint8), [[[ten, two]]]) == {}


def test_low_confidence_words_beside_a_value_are_confirmed_only_by_an_identical_reading(monkeypatch):
    from manualtune.ocr import cells

    def w(text, x0, conf):
        return Word(text=text, bbox=BBox(x0=x0, y0=0, x1=x0 + 40, y1=24), conf=conf)

    # 09-10 'max. 4 V' read at 65 / 90 / 48: RapidOCR reads 'max.4V' -> 'max.' and 'V' confirmed, '4' as it was
    line = [w("max.", 100, 65.0), w("4", 160, 90.0), w("V", 220, 48.0)]
    monkeypatch.setattr(cells, "_rapid_text", lambda img, box: "max.4V")
    got = cells.confirm_nominal_words(np.zeros((1, 1), np.uint8), [[line]], {})
    assert sorted((g.text, g.conf) for g in got.values()) == [("V", 90.0), ("max.", 90.0)]
    # '10,..16 V' (the print says 10...15): RapidOCR reads '10...15V' -> nothing is confirmed
    line = [w("10,..16", 100, 39.0), w("V", 220, 60.0)]
    monkeypatch.setattr(cells, "_rapid_text", lambda img, box: "10...15V")
    assert cells.confirm_nominal_words(np.zeros((1, 1), np.uint8), [[line]], {}) == {}
