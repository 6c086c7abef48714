"""Ruled tables of the sample manual through the real OCR stage: header captions split by their
one-row borders, units in their own column, glyph '|' kept apart from ruling remnants."""

from __future__ import annotations

import pytest

from manualtune.config import BuildConfig
from manualtune.layout import build_blocks
from manualtune.layout.config import LayoutConfig
from manualtune.layout.tables import _cell_words, cell_boxes, find_ruled_tables
from manualtune.records import BBox, Ruling, Word

PAGES = ["00 - Torque Specs/11-19.jpg", "00 - Maintenance/00-4.jpg"]


@pytest.fixture(scope="module")
def tables(sample_page_ocr):
    """(truth, table block) per page."""
    cfg = BuildConfig()
    result = {}
    for rel in PAGES:
        page, truth = sample_page_ocr(rel)
        blocks = [b for b in build_blocks(page, cfg.layout) if b.kind == "table"]
        result[rel] = (truth, blocks[0] if blocks else None)
    return result


def _texts(row):
    return [c.text for c in sorted(row.cells, key=lambda c: c.col)]


def test_header_row_is_split_into_its_captions(tables):
    truth, block = tables["00 - Torque Specs/11-19.jpg"]
    assert block is not None
    header = block.rows[0]
    assert header.is_header
    assert _texts(header) == truth["transcript"][1].split()  # 'Component Type Measure Unit'


def test_values_and_units_sit_in_their_columns(tables):
    truth, block = tables["00 - Torque Specs/11-19.jpg"]
    body = [_texts(r) for r in block.rows if not r.is_header and len(r.cells) == 4]
    values = [(r[2], r[3]) for r in body if r[2]]
    printed = [(f["value_printed"], f["unit_printed"]) for f in truth["facts"]]
    assert len(values) == len(printed)
    # every value as printed; units too where the OCR saw the glyph (the degree ring may be lost)
    assert [v for v, _ in values] == [v for v, _ in printed]
    assert sum(u == p for (_, u), (_, p) in zip(values, printed, strict=True)) >= len(printed) - 1


def test_litre_glyphs_in_the_unit_column_are_kept(tables):
    truth, block = tables["00 - Maintenance/00-4.jpg"]
    units = [_texts(r)[3] for r in block.rows if not r.is_header and len(r.cells) == 4 and _texts(r)[2]]
    litres = sum(1 for f in truth["facts"] if f["unit"] == "l" and f["text"].rstrip().endswith(f"{f['value_printed']} l"))
    assert sum(1 for u in units if u in ("l", "|", "I")) >= litres - 2
    assert "cm3" in units or "cm³" in units


def test_tall_bars_are_ruling_remnants_short_ones_glyphs():
    tall = Word(text="|", bbox=BBox(x0=10, y0=2, x1=13, y1=48), conf=60.0)
    short = Word(text="|", bbox=BBox(x0=30, y0=14, x1=33, y1=36), conf=60.0)
    assert _cell_words([tall, short], rule_min_h=0.7 * 50) == [short]
    assert _cell_words([tall, short]) == []  # unruled: every bar is dropped


def test_cell_boxes_follow_the_rules_of_each_row():
    h = [Ruling(orientation="h", bbox=BBox(x0=0, y0=y, x1=300, y1=y + 2)) for y in (0, 40, 80)]
    v = [Ruling(orientation="v", bbox=BBox(x0=x, y0=0, x1=x + 2, y1=82)) for x in (0, 300)]
    v.append(Ruling(orientation="v", bbox=BBox(x0=150, y0=40, x1=152, y1=82)))  # second row only
    grid = find_ruled_tables(h + v, LayoutConfig(min_table_hlines=2, min_table_vlines=2))[0]
    rows = cell_boxes(grid, LayoutConfig())
    assert [len(r) for r in rows] == [1, 2]
    assert rows[1][0].x1 == rows[1][1].x0 and rows[0][0].x1 - rows[0][0].x0 >= 298
