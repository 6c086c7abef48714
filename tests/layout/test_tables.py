"""Ruled tables from rulings: cells, colspan, header row, sections, variants, continued tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layout_synth import page_from, ruled_table, words_at

from manualtune.layout import LayoutConfig, build_blocks, link_continued_tables
from manualtune.records import Block, PageOCR, TableRow

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"
DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"


def _load(stem: str) -> PageOCR:
    return PageOCR.model_validate_json((RES / f"{stem}.ocr.json").read_text(encoding="utf-8"))


def _table(blocks: list[Block]) -> Block:
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1
    return tables[0]


def _by_header(table: Block, row: TableRow) -> dict[str, str]:
    header = next(r for r in table.rows if r.is_header)
    names = {c.col: "".join(ch for ch in c.text if ch.isalpha()).lower() for c in header.cells}
    return {names.get(c.col, str(c.col)): c.text for c in row.cells}


def test_torque_11_19_rows_cells_section_variant() -> None:
    blocks = build_blocks(_load("torque_11-19"), LayoutConfig())
    table = _table(blocks)
    header = table.rows[0]
    assert header.is_header
    assert [c.text.strip("‘'") for c in header.cells[1:]] == ["Type", "Screw", "Measure", "Unit"]
    assert header.cells[0].colspan == 2  # the description column spans the missing inner rule
    s14 = next(r for r in table.rows if any(c.text == "S14" for c in r.cells))
    cells = _by_header(table, s14)
    assert cells["measure"] == "55" and cells["unit"] == "Nm" and cells["type"] == "S14"
    assert "Connecting rod bolts Replace, wash and oil conrod bolts" in s14.cells[0].text  # 2 lines joined
    assert s14.section == "11 24 Connecting Rods and Bearings"
    assert s14.variant == "S14"
    body = [r for r in table.rows if not r.is_header]
    assert all(r.section == "11 24 Connecting Rods and Bearings" for r in body)
    # a type cell alone in its row applies to the rows below it
    alone = [i for i, r in enumerate(table.rows) if [c.col for c in r.cells if c.text] == [2]]
    assert len(alone) == 2
    for i in alone:
        assert table.rows[i + 1].variant == table.rows[i].cells[1].text
        assert "torque" in table.rows[i + 1].cells[1].text.lower()
    angle_rows = [r for r in body if r.cells[1].text == "Torque angle"]
    assert [_by_header(table, r)["measure"] for r in angle_rows] == ["60", "65"]
    # page label and frb id are headers / metadata, not body
    assert table.page_label == "11-19" and all(b.page_label == "11-19" for b in blocks)
    assert "20/10/97" not in table.text and "11-19" not in table.text
    assert table.section == "11 24 Connecting Rods and Bearings"


def test_torque_11_01_against_truth() -> None:
    truth_path = DEVDATA / "torque_11-01.truth.json"
    if not truth_path.exists():
        pytest.skip("devdata not available")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    table = _table(build_blocks(_load("torque_11-01"), LayoutConfig()))
    body = [r for r in table.rows if not r.is_header]
    got_values = [_by_header(table, r).get("measure") for r in body]
    assert [v for v in got_values if v] == [f["value"] for f in truth["facts"]]
    units = [_by_header(table, r).get("unit") for r in body if _by_header(table, r).get("measure")]
    assert units.count("Nm") == sum(1 for f in truth["facts"] if f["unit"] == "Nm")
    assert all(r.section == "11 11 Crankcase" for r in table.rows if not r.is_header)
    # each torque-angle row inherits the variant of the group it belongs to (not None)
    torque_rows = [r for r in body if " ".join(c.text for c in r.cells[:2]).strip().startswith("Torque")]
    assert len(torque_rows) == 9 and all(r.variant for r in torque_rows)
    assert torque_rows[0].variant.startswith("S38/S14")


def _torque_page(name: str, rows: list[list[str]]) -> PageOCR:
    cols = [20, 120, 560, 760, 880, 960, 1040]
    header = ["Description", "", "Type", "Screw", "Measure", "Unit"]
    words, rulings, _ = ruled_table([header, *rows], cols, 80)
    # merged description cell: the inner rule at x=120 is missing in the header and section rows
    rulings = [r for r in rulings if not (r.orientation == "v" and r.bbox.x0 == 120)]
    from manualtune.records import BBox, Ruling

    rulings.append(Ruling(orientation="v", bbox=BBox(x0=120, y0=140, x1=122, y1=80 + 30 * (len(rows) + 1))))
    return page_from([words_at(f"{name}.frb", 20, 20), *words], rulings=rulings, name=name)


def test_continued_table_keeps_section() -> None:
    p1 = _torque_page("p1", [["11 24 Connecting Rods", "", "", "", "", ""],
                             ["", "Torque", "S14", "", "55", "Nm"]])
    p2 = _torque_page("p2", [["", "Torque angle", "", "", "60", "°"],
                             ["", "Torque", "", "", "30", "Nm"]])
    b1, b2 = build_blocks(p1, LayoutConfig()), build_blocks(p2, LayoutConfig())
    t2 = _table(b2)
    assert all(r.section is None for r in t2.rows)  # nothing on page 2 names the section
    link_continued_tables([b1, b2])
    body = [r for r in t2.rows if not r.is_header]
    assert [r.section for r in body] == ["11 24 Connecting Rods", "11 24 Connecting Rods"]
    assert [r.variant for r in body] == ["S14", "S14"]
    assert t2.section == "11 24 Connecting Rods"
    # a page with a different header row is not a continuation
    p3 = _torque_page("p3", [["", "Torque", "", "", "9", "Nm"]])
    b3 = build_blocks(p3, LayoutConfig())
    _table(b3).rows[0].cells[2].text = "Engine"
    link_continued_tables([b1, b3])
    assert all(r.section is None for r in _table(b3).rows)


def test_synthetic_table_colspan_and_cells() -> None:
    p1 = _torque_page("p1", [["11 24 Connecting Rods", "", "", "", "", ""],
                             ["", "Application torque", "S38", "M10", "5", "Nm"]])
    table = _table(build_blocks(p1, LayoutConfig()))
    assert table.rows[0].is_header and not table.rows[1].is_header
    section_row = table.rows[1]
    assert section_row.cells[0].colspan == 2 and section_row.cells[0].text == "11 24 Connecting Rods"
    cells = _by_header(table, table.rows[2])
    assert (cells["type"], cells["screw"], cells["measure"], cells["unit"]) == ("S38", "M10", "5", "Nm")
    assert table.rows[2].cells[1].col == 1 and table.rows[2].cells[1].text == "Application torque"


def test_a_merged_nominal_caption_line_is_left_out_of_the_cell_confidence() -> None:
    from manualtune.layout.config import LayoutConfig
    from manualtune.layout.tables import _cell_text, is_caption_line
    from manualtune.records import BBox, Word

    # 09-10 as read: the header row merged into the first row, its caption words read at 52 / 69
    words = [Word(text="|Valord", bbox=BBox(x0=1169, y0=202, x1=1263, y1=236), conf=52.0),
             Word(text="nominald", bbox=BBox(x0=1283, y0=205, x1=1410, y1=237), conf=69.0),
             Word(text="maggiore", bbox=BBox(x0=1168, y0=334, x1=1295, y1=363), conf=85.0),
             Word(text="di", bbox=BBox(x0=1314, y0=334, x1=1344, y1=358), conf=94.0),
             Word(text="4,5", bbox=BBox(x0=1362, y0=333, x1=1410, y1=364), conf=89.0),
             Word(text="V", bbox=BBox(x0=1427, y0=334, x1=1444, y1=357), conf=89.0)]
    text, _, conf = _cell_text(words, LayoutConfig())
    assert text == "|Valord nominald maggiore di 4,5 V" and conf == 89.2
    assert is_caption_line("|Valord nominald") and is_caption_line("Valori nominali")
    assert not is_caption_line("Valori nominali 4,5 V") and not is_caption_line("maggiore di 4,5 V")
    # without a caption line every word counts
    assert _cell_text(words[2:], LayoutConfig())[2] == 89.2 and _cell_text(words[:1] + words[2:3], LayoutConfig())[2] == 68.5


def test_a_nominal_value_cell_is_scored_by_its_value_words_not_its_remark() -> None:
    from manualtune.layout.config import LayoutConfig
    from manualtune.layout.tables import value_digit_unit_confs as value_words_conf
    from manualtune.records import BBox, Word

    def w(text: str, conf: float, x0: int, y0: int) -> Word:
        return Word(text=text, bbox=BBox(x0=x0, y0=y0, x1=x0 + 20 * len(text), y1=y0 + 25), conf=conf)

    cfg = LayoutConfig()
    # Motronic 13-14 cycle 42 as read: '10.,.15 V (IL LED si accende) oe', the remark read at 39 / 20
    cell = [w("10.,.15", 90, 1233, 1384), w("V", 88, 1366, 1384), w("(IL", 39, 1233, 1416),
            w("LED", 39, 1300, 1416), w("si", 39, 1380, 1416), w("accende)", 20, 1233, 1448), w("oe", 10, 1420, 1448)]
    assert value_words_conf(cell, cfg) == (90.0, 89.0)
    # a comparison is a value word, its 'di' is not: 'minore di 1 V (Il LED ...)'
    cell = [w("minore", 92, 1217, 1009), w("di", 62, 1335, 1009), w("1 V", 90, 1384, 1009), w("(Il", 30, 1217, 1040)]
    assert value_words_conf(cell, cfg) == (91.0, None)  # the unit glued to its number
    cell[0] = cell[0].model_copy(update={"conf": 40.0})  # a faint 'minore' (or 'maggiore'?) counts
    assert value_words_conf(cell, cfg) == (65.0, None)
    # two values, the misread range end's low confidence counts: '10,,,16 ¥ / max, 4 V.'
    cell = [w("10,,,16", 39, 1238, 606), w("¥", 87, 1370, 606), w("max,", 90, 1236, 674), w("4 V.", 90, 1337, 668)]
    assert value_words_conf(cell, cfg) == (73.0, 76.5)
    # a merged caption line is no part of it; a cell not opening with a value is not scored
    cell = [w("Volord", 40, 1240, 250), w("nominali", 40, 1330, 250), w("70,..80", 90, 1240, 295), w("%", 90, 1372, 295),
            w("Forma", 30, 1240, 330)]
    assert value_words_conf(cell, cfg) == (90.0, 90.0)
    assert value_words_conf([w("Figura", 95, 0, 0), w("in", 95, 130, 0), w("alto", 95, 180, 0)], cfg) is None
    assert value_words_conf([w("10", 95, 0, 0), w("(vedi", 95, 60, 0)], cfg) is None  # a number without its unit
    # Motronic 11-12 as read: the digits confirmed by the cleanup's second readings (90), the '°' faint;
    # a rate unit of its own: '800...900 giri/min | (con il catalizzatore ...'
    assert value_words_conf([w("-5...+5", 90, 1215, 738), w("°", 43.66, 1351, 738)], cfg) == (90.0, 66.8)
    assert value_words_conf([w("800...900", 90, 1220, 522), w("giri/min", 88.52, 1384, 522), w("|", 77, 1195, 600),
                             w("(con", 91, 1222, 567)], cfg) == (90.0, 89.3)
