"""The reading-order check (manualtune.ocr.order_check): rows joined across a photo or across two
running paragraphs send the page back to tesseract's own order; table rows and index rows do not;
and on pages composed of tune-page columns the page text keeps each printed column together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualtune.ocr.order_check import choose_order, cut_at_photos, implausible_joins
from manualtune.records import BBox, Line, Word

ROOT = Path(__file__).resolve().parents[2]
REALPAGES = ROOT.parent / "shared" / "realpages" / "00 - Maintenance"
TRUTH = ROOT / "tests" / "resources" / "realtruth" / "pages" / "00 - Maintenance"


def _words(text: str, x0: int, y0: int, h: int = 20, cw: int = 12) -> list[Word]:
    out, x = [], x0
    for t in text.split():
        out.append(Word(text=t, bbox=BBox(x0=x, y0=y0, x1=x + cw * len(t), y1=y0 + h), conf=95.0))
        x += cw * (len(t) + 1)
    return out


def _line(*parts: tuple[str, int, int], block: int = 0) -> Line:
    ws = [w for text, x, y in parts for w in _words(text, x, y)]
    return Line(text=" ".join(w.text for w in ws), bbox=BBox.enclosing([w.bbox for w in ws]), conf=95.0,
                words=ws, block_num=block)


PHOTO = BBox(x0=700, y0=120, x1=1200, y1=800)


def test_a_row_across_a_photo_is_implausible_and_is_cut_there():
    row = _line(("TOWING", 100, 80), ("Front Towing Eyes", 1300, 80))
    assert len(implausible_joins([row], [PHOTO])) == 1
    pieces = cut_at_photos([row], [PHOTO])
    assert [p.text for p in pieces] == ["TOWING", "Front Towing Eyes"]
    assert implausible_joins(pieces, [PHOTO]) == []


def test_a_row_beside_a_photo_far_below_is_no_join():
    row = _line(("Remove the cover", 100, 80), ("and the bolts", 1300, 80))
    assert implausible_joins([row], [BBox(x0=700, y0=600, x1=1200, y1=900)]) == []


def _paragraph(x: int, lines: list[str], block: int, y0: int = 100, pitch: int = 30) -> list[Line]:
    return [_line((t, x, y0 + i * pitch), block=block) for i, t in enumerate(lines)]


LEFT = ["Please conform with local and national legisla-", "tive measures concerning the towing", "of vehicles as applicable."]
RIGHT = ["Before driving a car on the platform,", "make sure that there is space", "between platform and vehicle."]


def test_two_running_paragraphs_joined_row_by_row_fall_back_to_tesseract_order():
    theirs = _paragraph(100, LEFT, 0) + _paragraph(800, RIGHT, 1)
    # the column order's rows: each left line joined with the right line beside it
    ours = [Line(text=a.text + " " + b.text, bbox=a.bbox.union(b.bbox), conf=95.0, words=a.words + b.words)
            for a, b in zip(theirs[:3], theirs[3:], strict=True)]
    assert len(implausible_joins(ours, [], source=theirs)) >= 1
    kept, notes = choose_order(ours, theirs, [], theirs)
    assert kept is theirs and "tesseract's order" in notes[0]


def test_table_rows_of_prose_cells_are_kept():
    # an unruled two-column table: each cell ends its own line, the next cell starts uppercase
    left = _paragraph(100, ["Check engine oil level", "Check seal of filler cap", "Check tension of belts"], 0)
    right = _paragraph(800, ["Use approved oil only", "Visual inspection here", "Replace worn belts"], 1)
    ours = [Line(text=a.text + " " + b.text, bbox=a.bbox.union(b.bbox), conf=95.0, words=a.words + b.words)
            for a, b in zip(left, right, strict=True)]
    assert implausible_joins(ours, [], source=left + right) == []
    kept, notes = choose_order(ours, left + right, [], left + right)
    assert kept is ours and notes == []


def test_a_wrapped_table_cell_beside_a_cell_that_ends_is_no_join():
    # 65-502-like: "Considerable difference / in temperature display" beside "its wires", whose
    # column goes on with a new item after a gap ("- Temperature sensor or")
    left = _paragraph(100, ["8. TEMP function", "Considerable difference", "in temperature display"], 0)
    right = [_line(("- Fuel level transmitter or", 800, 100), block=1), _line(("its wires", 830, 130), block=1),
             _line(("- Temperature sensor or", 800, 220), block=1)]
    ours = [Line(text=a.text + " " + b.text, bbox=a.bbox.union(b.bbox), conf=95.0, words=a.words + b.words)
            for a, b in zip(left[:2], right[:2], strict=True)] + [left[2], right[2]]
    assert implausible_joins(ours, [], source=left + right) == []


def test_index_rows_code_title_page_are_kept():
    codes = _paragraph(100, ["23 21 503", "23 21 504"], 0)
    titles = _paragraph(400, ["Synchro ring replace and adjust", "Gear wheel remove and install"], 1)
    refs = _paragraph(1500, ["23-5", "23-6"], 2)
    ours = [Line(text=" ".join(x.text for x in t), bbox=t[0].bbox.union(t[2].bbox), conf=95.0,
                 words=[w for x in t for w in x.words]) for t in zip(codes, titles, refs, strict=True)]
    assert implausible_joins(ours, [], source=codes + titles + refs) == []


def _composite(layout: str):
    """A page pasted from tune-page columns (00-00-intro-02 / -03) and its truth lines."""
    from PIL import Image

    i3 = Image.open(REALPAGES / "00-00-intro-03.jpg").convert("L")
    i2 = Image.open(REALPAGES / "00-00-intro-02.jpg").convert("L")
    t3 = json.loads((TRUTH / "00-00-intro-03.truth.json").read_text(encoding="utf-8"))["transcript"]
    t2 = json.loads((TRUTH / "00-00-intro-02.truth.json").read_text(encoding="utf-8"))["transcript"]
    text3 = (i3.crop((300, 35, 600, 605)), t3[1:28])
    caps3 = (i3.crop((905, 35, 1035, 290)), t3[28:30])
    photo3 = (i3.crop((605, 55, 897, 478)), [])
    text2 = (i2.crop((305, 40, 602, 785)), t2[1:23])
    photo2 = (i2.crop((0, 250, 300, 900)), [])
    parts = {
        "photo|text|photo|captions": [(photo2, (0, 200)), (text3, (310, 40)), (photo3, (620, 60)), (caps3, (930, 40))],
        "text|text|photo|captions": [(text3, (15, 40)), (text2, (325, 40)), (photo3, (640, 60)), (caps3, (945, 40))],
    }[layout]
    im, truth = Image.new("L", (1200, 911), 255), []
    for (crop, lines), xy in parts:
        im.paste(crop, xy)
        truth += lines
    return im, truth


@pytest.mark.skipif(not (REALPAGES / "00-00-intro-03.jpg").is_file(), reason="realpages not available")
@pytest.mark.parametrize("layout", ["photo|text|photo|captions", "text|text|photo|captions"])
def test_composed_tune_page_keeps_each_column_together(layout: str, tmp_path: Path):
    import jiwer

    from manualtune.ocr import ocr_image
    from manualtune.quality.ocr_score import normalize_text, raw_tesseract_text

    im, truth = _composite(layout)
    path = tmp_path / "page.png"
    im.save(path)
    page = ocr_image(path)
    ref = normalize_text(truth)
    cer = jiwer.cer(ref, normalize_text(page.text))
    raw = jiwer.cer(ref, normalize_text(raw_tesseract_text(path)))
    # before the check: 0.073 / 0.634 (captions and paragraphs joined row by row); tesseract 0.010 / 0.008
    assert cer <= raw and cer < 0.01
    assert any("tesseract's order" in n for n in page.notes)
    assert "Front Towing Eyes" in page.text.splitlines()


def test_index_rows_run_on_past_their_page_reference_fall_back_to_tesseract_order() -> None:
    """A rebuilt row 'A/C Blower Controls 6413-0 Heated Seats' ran from one index column's page
    reference into the next column's title (another tesseract block): three such rows send the page
    back to tesseract's order; a row that ends with its reference does not count."""
    from manualtune.ocr.order_check import index_joins

    titles = [_line((f"Blower Controls{i}", 100, 100 + 40 * i), block=0) for i in range(3)]
    refs = [_line((f"6413-{i}", 500, 100 + 40 * i), block=1) for i in range(3)]
    right = [_line((f"Heated Seats{i}", 700, 100 + 40 * i), block=2) for i in range(3)]
    theirs = titles + refs + right
    ours = [Line(text=" ".join((a.text, b.text, c.text)), bbox=a.bbox.union(c.bbox), conf=95.0,
                 words=a.words + b.words + c.words) for a, b, c in zip(titles, refs, right, strict=True)]
    assert len(index_joins(ours, theirs)) == 3
    kept, notes = choose_order(ours, theirs, [], theirs)
    assert kept is theirs and "6413-0" in notes[0]
    rows = [Line(text=a.text + " " + b.text, bbox=a.bbox.union(b.bbox), conf=95.0, words=a.words + b.words)
            for a, b in zip(titles, refs, strict=True)]
    assert index_joins(rows, theirs) == []
    # two joins are not enough evidence
    assert choose_order(ours[:2], theirs, [], theirs)[1] == []
