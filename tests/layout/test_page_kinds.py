"""Whole-page kinds (index / wiring / troubleshooting) and the blocks they produce.

Fixtures: OCR of three sample-manual pages (tests/resources/layout/sample_*.ocr.json, from
``manualtune sample``) and the index page's truth file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualtune.layout import build_blocks
from manualtune.layout.patterns import (
    WIRE_LABEL,
    page_kind_of,
    parse_index_row,
)
from manualtune.records import PageOCR

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"


def _page(name: str) -> PageOCR:
    return PageOCR.model_validate_json((RES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wiring_blocks():
    return build_blocks(_page("sample_wiring_6120-1.ocr.json"))


@pytest.fixture(scope="module")
def trouble_blocks():
    return build_blocks(_page("sample_trouble_12-40.ocr.json"))


@pytest.fixture(scope="module")
def index_blocks():
    return build_blocks(_page("sample_index_11-00.ocr.json"))


# --------------------------------------------------------------------------- text patterns


@pytest.mark.parametrize(
    ("text", "size", "colour"),
    [("2.5 GN", "2.5", "GN"), (".75 BU", ".75", "BU"), ("16 RD", "16", "RD"), ("4RD", "4", "RD"),
     ("0.75 BR/WS", "0.75", "BR/WS")],
)
def test_wire_label_reads_size_and_colour(text, size, colour):
    m = WIRE_LABEL.fullmatch(text)
    assert m is not None and m.group("size") == size and m.group("colour") == colour


@pytest.mark.parametrize("text", ["S14 GN", "10 A", "M10 RD", "4 ROD"])
def test_wire_label_rejects_identifiers_and_units(text):
    assert WIRE_LABEL.search(text) is None


def test_index_row_full_and_continuation():
    e = parse_index_row("1100 039 Compression of all cylinders — check . . . . . . 11 - 51")
    assert e == {"op": "11 00 039", "printed_op": "1100 039", "title": "Compression of all cylinders — check",
                 "page_ref": "11-51"}
    cont = parse_index_row("050 Engine — remove and install ........", group="11 00")
    assert cont is not None and cont["op"] == "11 00 050" and cont["page_ref"] == ""
    assert parse_index_row("050 Engine — remove and install") is None  # no group before it
    assert parse_index_row("11 24 030 Connecting rods – remove and install 11-44")["page_ref"] == "11-44"


def test_page_kind_of_text_rows():
    index = ["11 Engine – Contents", "Operation No. Title Page"] + [
        f"11 {10 + i} 000 Part {chr(65 + i)}xx – remove and install . . . . . 11-{10 + i}" for i in range(5)]
    assert page_kind_of(index) == "index_entry"
    wiring = ["6120 Charging Circuit", "Wire From To", "16 RD battery + fusible link F1", "2.5 GN switch 15 fuse F7"]
    assert page_kind_of(wiring) == "wiring"
    trouble = ["12 41 Troubleshooting – Starter", "Symptom: Starter turns slowly", "– Measure the current draw.",
               "Remedy: Replace the starter."]
    assert page_kind_of(trouble) == "troubleshooting"
    procedure = ["11 24 030 Connecting rods – remove and install", "Remove the oil pan.",
                 "Check the bearing shells for wear.", "Tighten the bolts to 55 Nm."]
    assert page_kind_of(procedure) is None
    assert page_kind_of([]) is None


# --------------------------------------------------------------------------- sample pages


def test_wiring_page_blocks(wiring_blocks):
    kinds = [b.kind for b in wiring_blocks]
    assert "wiring" in kinds and "table" in kinds
    prose = [b for b in wiring_blocks if b.kind == "wiring" and b.meta.get("role") != "diagram_label"]
    assert prose[0].text.startswith("Battery B+ feeds the alternator")
    assert "BATTERY" not in prose[0].text  # the diagram labels beside the text are a block of their own
    labels = [b for b in wiring_blocks if b.meta.get("role") == "diagram_label"]
    assert any("ALTERNATOR" in b.text for b in labels) and any("CHARGE LAMP" in b.text for b in labels)
    table = next(b for b in wiring_blocks if b.kind == "table")
    assert table.meta["page_kind"] == "wiring" and table.meta["circuit"] == "Charging Circuit"
    assert all(b.meta.get("circuit") == "Charging Circuit" for b in wiring_blocks if b.kind == "wiring")
    heading = next(b for b in wiring_blocks if b.kind == "heading")
    assert heading.text == "6120 Charging Circuit"


def test_troubleshooting_page_one_block_per_symptom(trouble_blocks):
    trouble = [b for b in trouble_blocks if b.kind == "troubleshooting"]
    symptoms = [b for b in trouble if b.text.startswith("Symptom:")]
    assert len(symptoms) == 4
    assert trouble[0].text.startswith("Requirements:")
    assert all(b.text.count("Symptom:") == 1 for b in symptoms)
    assert "Remedy: Below 13.5 V" in symptoms[1].text
    assert not any(b.kind in ("paragraph", "procedure_step") for b in trouble_blocks)


def test_index_page_one_entry_per_row(index_blocks):
    entries = [b for b in index_blocks if b.kind == "index_entry"]
    truth = json.loads((RES / "sample_index_11-00.truth.json").read_text(encoding="utf-8"))["index_entries"]
    assert len(entries) == len(truth)
    assert [b.meta["op"] for b in entries] == [t["op"] for t in truth]
    # the OCR read the page references (not always the titles) of this page
    assert sum(b.meta["page_ref"] != "" for b in entries) >= len(truth) - 1
    assert entries[0].meta["title"] == "Compression - check"
    assert not any(b.kind in ("heading", "procedure_step", "figure_caption") for b in index_blocks)


def test_page_without_wire_rows_is_not_wiring():
    page = _page("sample_wiring_6120-1.ocr.json")
    # a page without the wiring rows (table words and labels removed) is no wiring page any more
    stripped = page.model_copy(update={"lines": [ln for ln in page.lines if not WIRE_LABEL.search(ln.text)]})
    kinds = {b.kind for b in build_blocks(stripped)}
    assert "wiring" not in kinds
