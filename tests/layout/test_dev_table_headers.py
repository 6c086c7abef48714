"""Ruled tables of the dev torque scans (PageOCR of the dev build, tests/resources/layout/*.page.json):
the header captions follow the grid columns even where the inner rules were not found."""

from __future__ import annotations

from pathlib import Path

from manualtune.layout import build_blocks
from manualtune.layout.tables import is_header_row
from manualtune.records import PageOCR, TableCell, TableRow

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"


def _table(name: str):
    page = PageOCR.model_validate_json((RES / f"{name}.page.json").read_text(encoding="utf-8"))
    tables = [b for b in build_blocks(page) if b.kind == "table"]
    assert len(tables) == 1
    return tables[0]


def test_header_cells_follow_grid_columns_11_19() -> None:
    table = _table("torque_11-19")
    header = table.rows[0]
    assert header.is_header
    captions = {c.text: c.col for c in header.cells if c.text}
    assert captions == {"Engine": 0, "Type": 2, "Screw": 3, "Measure": 4, "Unit": 5}
    assert table.page_label == "11-19"
    assert table.section == "11 24 Connecting Rods and Bearings"
    # value and unit cells of the body rows sit in the Measure / Unit columns
    s14 = next(r for r in table.rows if any(c.text == "$14" for c in r.cells))
    assert {c.col: c.text for c in s14.cells}[4] == "55"
    assert {c.col: c.text for c in s14.cells}[5] == "Nm"


def test_ruling_glyphs_are_not_cell_text_11_01() -> None:
    table = _table("torque_11-01")
    assert [c.text for c in table.rows[0].cells] == ["Engine", "Type", "Screw", "Measure", "Unit"]
    assert not any("|" in c.text for r in table.rows for c in r.cells)


def test_wrapped_header_word_is_joined() -> None:
    from manualtune.layout.config import LayoutConfig
    from manualtune.layout.tables import _cell_text
    from manualtune.records import BBox, Word

    words = [Word(text="Dimensio", bbox=BBox(x0=10, y0=10, x1=100, y1=28), conf=92),
             Word(text="n", bbox=BBox(x0=50, y0=42, x1=60, y1=56), conf=92)]
    assert _cell_text(words, LayoutConfig())[0] == "Dimension"
    assert is_header_row(TableRow(cells=[TableCell(text="Type", col=0), TableCell(text="Dimension", col=1)]))


def test_tolerance_operator_and_inline_number_survive_noise_filter() -> None:
    page = PageOCR.model_validate_json((RES / "proc_11-54.page.json").read_text(encoding="utf-8"))
    text = "\n".join(b.text for b in build_blocks(page))
    assert "Intake valve 37. 0.1mm" in text  # '37.' has conf 45 but sits inside a text line
    assert "36.6 + 0.1mm" in text  # the low-confidence '+' is kept
