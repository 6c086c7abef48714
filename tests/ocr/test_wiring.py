"""Wiring diagrams: labels read again by RapidOCR (manualtune.ocr.wiring) and lost leading dots
put back only with evidence (manualtune.facts.cleanup, rule wire_size_dot)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.facts.cleanup import cleanup_page
from manualtune.ocr.engines import rapid_recognize
from manualtune.ocr.wiring import (
    count_wire_labels,
    ink_band,
    is_wiring_page,
    merge_wiring_labels,
    read_wiring_lines,
)
from manualtune.records import BBox, Line, PageOCR, PageRef, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _line(*words: tuple[str, int, int, int, int]) -> Line:
    ws = [Word(text=t, bbox=BBox(x0=a, y0=b, x1=c, y1=d), conf=80.0) for t, a, b, c, d in words]
    box = BBox.enclosing([w.bbox for w in ws])
    assert box is not None
    return Line(text=" ".join(w.text for w in ws), bbox=box, conf=80.0, words=ws)


@pytest.mark.parametrize(("text", "n"), [
    (".75 GN/WT", 1), ("2.5 BK/YL", 1), ("25 BK", 1), ("-75 BR/GN", 1), ("‘5 GN/WT", 1), ("RD/GN", 1),
    (".75 GN/WT .5 BK/GN", 2), ("Remove the bolts", 0), ("45 Nm", 0), ("FUSE 10", 0),
])
def test_wire_label_count_table(text: str, n: int) -> None:
    assert count_wire_labels(text) == n


def test_wiring_page_needs_several_labels() -> None:
    labels = [_line((t, 0, 30 * i, 80, 30 * i + 20)) for i, t in enumerate([".75 BR", "1 RD/GN", "-75 GN/VI"])]
    assert not is_wiring_page(labels)
    assert is_wiring_page([*labels, _line(("2.5 BK/YL", 0, 200, 90, 220))])


def test_rapidocr_label_replaces_tesseract_words_in_place() -> None:
    tess = [
        _line(("IGNITION", 100, 100, 200, 120), ("SWITCH", 210, 100, 290, 120)),
        _line(("-75", 100, 200, 130, 220), ("BR/GN", 135, 200, 190, 220), ("of", 300, 200, 320, 220)),
        _line(("TSAMP", 500, 300, 560, 320)),
    ]
    rapid = [
        Line(text="IGNITION SWITCH", bbox=BBox(x0=98, y0=99, x1=292, y1=121), conf=99.0, words=[]),
        Line(text=".75 BR/GN", bbox=BBox(x0=98, y0=198, x1=192, y1=222), conf=99.0,
             words=[Word(text=".75", bbox=BBox(x0=98, y0=198, x1=130, y1=222), conf=99.0),
                    Word(text="BR/GN", bbox=BBox(x0=136, y0=198, x1=192, y1=222), conf=99.0)]),
        Line(text="7.5 AMP", bbox=BBox(x0=498, y0=298, x1=566, y1=322), conf=99.0,
             words=[Word(text="7.5", bbox=BBox(x0=498, y0=298, x1=525, y1=322), conf=99.0),
                    Word(text="AMP", bbox=BBox(x0=530, y0=298, x1=566, y1=322), conf=99.0)]),
    ]
    merged, notes = merge_wiring_labels(tess, rapid)
    # each label is a line of its own; tesseract's other words stay where they were
    assert [ln.text for ln in merged] == ["IGNITION SWITCH", "of", ".75 BR/GN", "7.5 AMP"]
    assert notes == [
        "wiring label at (98,198,192,222): tesseract '-75 BR/GN' -> rapidocr '.75 BR/GN'",
        "wiring label at (498,298,566,322): tesseract 'TSAMP' -> rapidocr '7.5 AMP'",
    ]


def test_a_colour_code_alone_is_a_label_line() -> None:
    tess = [_line(("BUCKLED", 300, 100, 400, 120))]
    rapid = [Line(text="BK", bbox=BBox(x0=200, y0=100, x1=230, y1=120), conf=99.0,
                  words=[Word(text="BK", bbox=BBox(x0=200, y0=100, x1=230, y1=120), conf=99.0)]),
             Line(text="SWITCH", bbox=BBox(x0=500, y0=100, x1=580, y1=120), conf=99.0, words=[])]
    merged, notes = merge_wiring_labels(tess, rapid)
    assert [ln.text for ln in merged] == ["BUCKLED", "BK"] and len(notes) == 1


def test_rapidocr_reads_rendered_labels() -> None:
    img = Image.new("L", (900, 400), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 22)
    for (x, y), t in {(60, 60): ".75 GN/WT", (420, 60): "2.5 BK/YL", (60, 220): "FUSE 10", (420, 220): "7.5 AMP"}.items():
        d.text((x, y), t, font=font, fill=0)
        d.line((x, y + 34, x + 260, y + 34), fill=0, width=5)  # the drawn wire under the label
    page = np.asarray(img)
    rapid_recognize(np.ascontiguousarray(page[50:100, 50:330]))  # a recognition-only call first: same shared model
    lines = read_wiring_lines(page)
    if lines is None:
        pytest.skip("rapidocr not available")
    texts = sorted(ln.text for ln in lines)
    assert texts == [".75 GN/WT", "2.5 BK/YL", "7.5 AMP", "FUSE 10"]
    gn = next(ln for ln in lines if ln.text == ".75 GN/WT")
    assert 50 <= gn.bbox.x0 <= 70 and [w.text for w in gn.words] == [".75", "GN/WT"]


def _page(lines: list[Line]) -> PageOCR:
    return PageOCR.from_lines(
        ref=PageRef(page_id="w.jpg#p1@000000000000", source="w.jpg", page=1, sha256="0" * 64, kind="image"),
        lines=lines, engine="tesseract", width=1000, height=1000, dpi=None,
    )


def test_lost_leading_dot_back_only_where_one_reading_fits_the_series() -> None:
    rows = [("75", "GN/WT"), ("-75", "BR/GN"), ("5", "BK"), ("25", "BK"), ("15", "BR/GN"), ("1", "RD/GN"), ("35", "BR")]
    lines = [_line((a, 100, 40 * i, 130, 40 * i + 20), (b, 140, 40 * i, 200, 40 * i + 20)) for i, (a, b) in enumerate(rows)]
    cleaned, audit = cleanup_page(_page(lines))  # no image: "35" (35 or 0.35) has no second opinion
    assert [ln.text for ln in cleaned.lines] == [
        ".75 GN/WT", ".75 BR/GN", ".5 BK", "25 BK", "15 BR/GN", "1 RD/GN", "35 BR",
    ]
    wire = [(c.before, c.after, c.evidence is not None) for c in audit if c.rule == "wire_size_dot"]
    assert wire == [("75", ".75", True), ("-75", ".75", True), ("5", ".5", True), ("35", ".35", False)]
    assert all(c.changes_value for c in audit if c.rule == "wire_size_dot")


def test_no_wire_size_edit_off_wiring_pages() -> None:
    lines = [_line(("5", 100, 0, 110, 20), ("BK", 120, 0, 150, 20)), _line(("Tighten", 100, 40, 180, 60))]
    cleaned, audit = cleanup_page(_page(lines))
    assert cleaned.lines[0].text == "5 BK" and not [c for c in audit if c.rule == "wire_size_dot"]


def test_ink_band_cuts_a_grown_detection_box_to_the_text_rows() -> None:
    img = np.full((60, 100), 255, np.uint8)
    img[22:37, 10:90:3] = 0  # a 15-px-tall label inside a 40-px-tall detection box
    box = BBox(x0=5, y0=10, x1=95, y1=50)
    assert ink_band(img, box) == BBox(x0=5, y0=22, x1=95, y1=37)
    blank = np.full((60, 100), 255, np.uint8)
    assert ink_band(blank, box) == box  # no ink: unchanged
    gap = np.full((60, 100), 255, np.uint8)
    gap[12:20, 10:90] = 0
    gap[40:48, 10:90] = 0  # two printed lines, the middle row between them: unchanged
    assert ink_band(gap, box) == box
