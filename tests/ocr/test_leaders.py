"""Dot leaders found in the pixels and painted out, page references re-read as a block
(manualtune.ocr.leaders), on rendered rows and on real index pages of ../shared/realpages."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.config import BuildConfig
from manualtune.ocr import TesseractEngine
from manualtune.ocr.leaders import (
    find_dot_leaders,
    paint_dot_leaders,
    ref_regions,
    reread_page_refs,
    reread_row_labels,
)
from manualtune.records import PageRef

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
REALPAGES = Path(__file__).resolve().parents[3] / "shared" / "realpages"
ROWS = [("Output shaft – replace", "23 - 1"), ("Bearings of all shafts – replace", "23 - 4"),
        ("Synchronization – disassemble", "23 - 8"), ("Layout drawing", "23 - 12")]


def _index_page(rows=ROWS, dot_gap: int = 12, size: int = 22) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """A white page with one index row per item: title, a leader of 3 px dots every ``dot_gap`` px
    up to x=900, the page reference at x=920. Returns the page and per row (baseline y, title end
    x, reference start x)."""
    img = Image.new("L", (1100, 80 + 40 * len(rows)), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), size)
    out = []
    for i, (title, ref) in enumerate(rows):
        y = 40 + 40 * i
        d.text((60, y), title, font=font, fill=0)
        end = 60 + int(d.textlength(title, font=font))
        base = y + int(font.getbbox("x")[3]) - 2
        for x in range(end + 14, 900, dot_gap):
            d.rectangle((x, base - 2, x + 2, base), fill=0)
        d.text((920, y), ref, font=font, fill=0)
        out.append((base, end, 920))
    return np.array(img), out


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_each_leader_is_found_between_its_title_and_reference():
    img, rows = _index_page()
    leaders = find_dot_leaders(img)
    assert len(leaders) == len(ROWS)
    for ld, (base, end, ref_x) in zip(leaders, rows, strict=True):
        assert end < ld.box.x0 < end + 30 and 880 < ld.box.x1 <= ref_x
        assert abs(ld.box.y1 - base) <= 3
        assert len(ld.dots) == len(range(end + 14, 900, 12))


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_painting_keeps_the_text_and_removes_only_the_dots():
    img, rows = _index_page()
    painted, leaders = paint_dot_leaders(img)
    assert len(leaders) == len(ROWS)
    for base, end, ref_x in rows:
        assert (painted[base - 4: base + 2, end + 10: 900] == 255).all()  # the leader is gone
        assert (painted[base - 20: base + 2, 60:end] < 128).any()  # the title is there
        assert np.array_equal(painted[:, ref_x - 2:], img[:, ref_x - 2:])  # the reference untouched
    assert paint_dot_leaders(painted)[1] == []  # nothing left to find


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_a_speck_under_one_leader_dot_does_not_hide_the_leader():
    img, rows = _index_page()
    base, end, _ = rows[-1]
    x = end + 14 + 4 * 12  # the fifth dot of the last leader
    img[base + 4: base + 6, x: x + 2] = 0  # a 2 px speck of dust 4 px under it (62-00-index-a, last row)
    leaders = find_dot_leaders(img)
    assert len(leaders) == len(ROWS)
    assert len(leaders[-1].dots) == len(range(end + 14, 900, 12))


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_a_speck_between_two_leader_dots_does_not_hide_the_leader():
    img, rows = _index_page()
    base, end, _ = rows[1]
    x = end + 14 + 6 * 12 + 7  # between the seventh and eighth dot (34-00-index-b, 'relay' row)
    img[base - 1: base + 1, x: x + 1] = 0
    leaders = find_dot_leaders(img)
    assert len(leaders) == len(ROWS)
    assert len(leaders[1].dots) == len(range(end + 14, 900, 12))


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_a_dot_lost_in_the_scan_does_not_cut_the_leader_in_two():
    img, rows = _index_page(dot_gap=15)
    base, end, _ = rows[0]
    x = end + 14 + 12 * 15  # the 13th dot lost (72-00-index-a, 'Seat belts - inspect'): a 30 px gap
    img[base - 2: base + 1, x: x + 3] = 255
    leaders = find_dot_leaders(img)
    assert len(leaders) == len(ROWS)
    assert leaders[0].box.x0 < x < leaders[0].box.x1 and len(leaders[0].dots) == len(range(end + 14, 900, 15)) - 1


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_one_row_under_a_big_heading_is_found():
    # 97-00-index-a: the heading's letters outnumber the one index row's, the median component
    # height is the heading's; the leader is still measured on the body text
    row, _ = _index_page(rows=[("Body cavity sealing", "97 - 1")], size=16)
    img = np.full((row.shape[0] + 300, row.shape[1]), 255, np.uint8)
    img[300:] = row
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    x = 60
    for i, ch in enumerate("BodyCavitySealingandUndercoating"):  # letters of many heights, as scanned
        font = ImageFont.truetype(str(FONT), 52 + 3 * (i % 7))
        d.text((x, 40 + 100 * (i // 16)), ch, font=font, fill=0)
        x = 60 if i % 16 == 15 else x + int(d.textlength(ch, font=font)) + 4
    page = np.array(pil)
    assert len(find_dot_leaders(page)) == 1


def test_a_halftone_grid_is_no_leader():
    img = np.full((400, 600), 255, np.uint8)
    img[100:300:6, 100:500:6] = 0  # a 2-D grid of dots: every dot has neighbours above and below
    img[100:300:6, 101:500:6] = 0
    img[150:170, 90:96] = 0  # glyph-sized ink either side
    img[150:170, 505:511] = 0
    assert find_dot_leaders(img) == []


def test_dots_on_an_arc_are_no_leader():
    img = np.full((300, 700), 255, np.uint8)
    for k, x in enumerate(range(200, 440, 15)):
        y = 150 - int(round(0.002 * (x - 320) ** 2 * -1)) - 30  # a dial's scale: a curve, not a line
        img[y:y + 3, x:x + 3] = 0
        assert k < 20
    img[110:140, 150:165] = 0
    img[110:140, 460:475] = 0
    assert find_dot_leaders(img) == []


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_a_dot_row_without_text_either_side_is_no_leader():
    img, _ = _index_page(rows=[("", "")])
    assert find_dot_leaders(img) == []


@pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans not installed")
def test_page_references_are_read_onto_their_rows():
    img, rows = _index_page()
    painted, leaders = paint_dot_leaders(img)
    (region,) = ref_regions(painted, leaders)
    assert region.x0 >= 900 and region.x1 <= 1100
    engine = TesseractEngine(BuildConfig().ocr)
    lines, notes = reread_page_refs(painted, engine.recognize(painted), leaders, BuildConfig().ocr.tessdata)
    text = [ln.text for ln in sorted(lines, key=lambda ln: ln.bbox.y0)]
    assert len(notes) == 1 and "read again as a block" in notes[0]
    for (title, ref), got in zip(ROWS, text, strict=True):
        assert got.startswith(title.split()[0]), got
        assert re.sub(r"\s", "", got).endswith(re.sub(r"\s", "", ref)), got


def _ocr_real(rel: str):
    from manualtune.ocr.page import process_page

    data = (REALPAGES / rel).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    ref = PageRef(page_id=f"{rel}#p1@{sha[:12]}", source=rel, page=1, sha256=sha, kind="image")
    cfg = BuildConfig()
    return process_page(REALPAGES, ref, cfg, lambda: TesseractEngine(cfg.ocr))[0]


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages not present")
@pytest.mark.parametrize(("rel", "rows"), [
    ("23 - Manual Transmission/23-00-index-d.jpg",  # tune, batch 3: widely spaced leaders
     {"554 Output shaft": "23-179", "703 Bearings": "23-184", "23 23 505 Synchronization": "23-188"}),
    ("36 - Wheels and Tires/36-00-index-a.jpg",  # tune, batch 3: dense leaders, one-digit page numbers
     {"209 Front or rear wheel": "36-5", "508 Wheel": "36-7", "Tire — replace": "36-9"}),
])
def test_real_index_rows_end_with_their_page_reference(rel, rows):
    page = _ocr_real(rel)
    assert any("dot leaders" in n and "painted out" in n for n in page.notes)
    lines = page.text.splitlines()
    for start, ref in rows.items():
        hit = [ln for ln in lines if ln.startswith(start)]
        assert len(hit) == 1, (start, lines)
        assert re.sub(r"\s", "", hit[0]).endswith(ref), hit[0]
        assert ".." not in hit[0]  # the leader is not read as text


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages not present")
def test_an_op_code_column_the_first_pass_dropped_is_read_again():
    # not annotated (not in split.json): once the leaders are painted, tesseract's first pass
    # drops the whole op-code column left of the titles; plain tesseract reads it
    page = _ocr_real("64 - Heating and Air Conditioning/64-00-index-b.jpg")
    assert any(n.startswith("operation numbers left of the dot leaders") for n in page.notes), page.notes
    lines = page.text.splitlines()
    for start in ("64 51 050 Expansion valve", "150 Freezing prevention switch", "590 Evaporator",
                  "64 52 020 Compressor", "64 53 010 Drier", "050 Condenser"):
        assert sum(ln.startswith(start) for ln in lines) == 1, (start, lines)


def test_no_op_codes_are_read_where_the_first_pass_read_them():
    img, _ = _index_page()
    painted, leaders = paint_dot_leaders(img)
    engine = TesseractEngine(BuildConfig().ocr)
    lines = engine.recognize(painted)
    again, notes = reread_row_labels(painted, lines, leaders, BuildConfig().ocr.tessdata)
    assert notes == [] and again == lines
