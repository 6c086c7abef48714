"""WIRING and TROUBLESHOOTING examples: parsers on hand-made text, examples from the blocks of
two sample-manual pages (OCR fixtures in tests/resources/layout), all grounded and cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualtune.generate import GenerateConfig, generate_examples
from manualtune.generate.blocktasks import (
    circuit_components,
    clean_cell,
    colour_name,
    fuse_ratings,
    label_components,
    parse_requirements,
    parse_trouble_entry,
    wire_rows,
)
from manualtune.generate.text import find_citations, number_keys
from manualtune.layout import build_blocks
from manualtune.quality.validate import answer_body, validate_examples
from manualtune.records import Block, PageOCR, Provenance, TableCell, TableRow

LAYOUT = Path(__file__).resolve().parents[1] / "resources" / "layout"


def _blocks(name: str) -> list[Block]:
    return build_blocks(PageOCR.model_validate_json((LAYOUT / name).read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def page_blocks() -> list[Block]:
    return _blocks("sample_wiring_6120-1.ocr.json") + _blocks("sample_trouble_12-40.ocr.json")


@pytest.fixture(scope="module")
def examples(page_blocks):
    return generate_examples([], [], page_blocks, GenerateConfig())


def _block(text: str, kind: str = "wiring", rows: list[TableRow] | None = None, **meta: str) -> Block:
    return Block(block_id=f"p#p1@x/b{abs(hash(text)) % 1000:03d}", page_id="p#p1@x", kind=kind, order=0, text=text,
                 rows=rows or [], meta=meta, page_label="61-2", source=Provenance(file="p.jpg", page=1))


# --------------------------------------------------------------------------- parsers


def test_colour_names_and_cell_cleanup():
    assert colour_name("RD") == "red" and colour_name("BR/WS") == "brown/white" and colour_name("XX") is None
    assert clean_cell("~— fuse F7") == "fuse F7"
    assert clean_cell("fuse F1l") == "fuse F11" and clean_cell("Fl") == "F1"


def test_wire_rows_skip_header_and_misread_labels():
    rows = [
        TableRow(cells=[TableCell(text="Wire", col=0), TableCell(text="From", col=1), TableCell(text="To", col=2)]),
        TableRow(cells=[TableCell(text="2.5 GN", col=0), TableCell(text="ignition switch 15", col=1),
                        TableCell(text="~— fuse F7", col=2)]),
        TableRow(cells=[TableCell(text="AS YE", col=0), TableCell(text="control unit", col=1),
                        TableCell(text="relay K3", col=2)]),
    ]
    got = wire_rows(_block("Wire From To", kind="table", rows=rows))
    assert [(w.label, w.start, w.end) for w in got] == [("2.5 GN", "ignition switch 15", "fuse F7")]


def test_fuse_ratings_from_text():
    b = _block("Battery B+ feeds the alternator through fusible link F1 (80 A). The relay is\n"
               "protected by fuse F12 (30 A). Fuse F11 rating 20 A.")
    assert [(f.name, f.amps) for f in fuse_ratings(b)] == [("fusible link F1", "80"), ("fuse F12", "30"),
                                                           ("fuse F11", "20")]


def test_label_components_join_wrapped_labels():
    assert label_components("AUXILIARY\nFUSE sRs r\nDIAGNOSTIC\nMODULE") == ["auxiliary fuse", "diagnostic module"]
    assert label_components("BATTERY\nIGNITION SW\nRELAY K6") == ["battery", "relay"]
    assert label_components("NOTE") == []


def test_circuit_components_dedupe_ends_and_labels():
    rows = [TableRow(cells=[TableCell(text="16 RD", col=0), TableCell(text="battery +", col=1),
                            TableCell(text="fusible link F1", col=2)])]
    wires = wire_rows(_block("t", kind="table", rows=rows))
    assert circuit_components(wires, ["BATTERY\nCHARGE LAMP G1"]) == ["battery", "fusible link F1", "charge lamp"]


def test_parse_trouble_entry_checks_in_order():
    e = parse_trouble_entry(
        "Symptom: Charge warning lamp stays on with\nengine running\n- Check the ribbed belt for slip.\n"
        "- Measure the voltage at terminal B+ at 2000 rpm.\nRemedy: Below 13.5 V: replace the voltage regulator\n"
        "- see 12 31 020."
    )
    assert e is not None
    assert e.symptom == "Charge warning lamp stays on with engine running"
    assert e.checks == ["Check the ribbed belt for slip.", "Measure the voltage at terminal B+ at 2000 rpm."]
    assert e.remedy == "Below 13.5 V: replace the voltage regulator - see 12 31 020."
    assert parse_trouble_entry("Remove the oil pan.\n- Check the gasket.") is None
    assert parse_trouble_entry("Symptom: Engine noisy") is None  # nothing to check


def test_parse_requirements_dash_and_comma_lists():
    assert parse_requirements("Test Requirements: — Correct connections.\n— Good ground.\n— Tight drive belt.") == [
        "Correct connections.", "Good ground.", "Tight drive belt."]
    assert parse_requirements("Requirements: battery charged, terminals clean and tight.") == [
        "battery charged.", "terminals clean and tight."]
    assert parse_requirements("The battery must be charged.") == []


# --------------------------------------------------------------------------- examples from sample pages


def test_wire_examples_name_both_ends_and_the_label(examples):
    wiring = [e for e in examples if e.task == "WIRING"]
    q = next(e for e in wiring if e.question == "Which wire connects ignition switch 15 to fuse F7 in the charging circuit?")
    assert "2.5 GN" in q.answer and "green" in q.answer and "2.5 mm²" in q.answer
    assert q.answer.endswith("(manual p. 6120-1)") or q.answer.endswith("(61 - Wiring/6120-1.jpg p. 1)")
    assert find_citations(q.answer)
    same = [e for e in wiring if e.answer == q.answer]
    assert [e.phrasing for e in same] == [0, 1] and same[1].question.startswith("What size and colour is the wire from")
    assert q.group_id == q.block_ids[0]


def test_circuit_fuse_and_prose_examples(examples):
    wiring = {e.question: e for e in examples if e.task == "WIRING"}
    parts = wiring["What does the charging circuit consist of?"].answer
    for name in ("battery", "alternator", "fuse F7", "charge lamp", "ground G1"):
        assert name in parts
    assert "rated 10 A" in wiring["What is the rating of fuse F7 in the charging circuit?"].answer
    assert "rated 80 A" in wiring["What is the rating of fusible link F1 in the charging circuit?"].answer
    prose = wiring["What does the wiring diagram for the charging circuit show?"].answer
    assert prose.startswith("Battery B+ feeds") and "ALTERNATOR" not in prose


def test_troubleshooting_examples_list_checks_in_order(examples):
    trouble = {e.question: e for e in examples if e.task == "TROUBLESHOOTING"}
    q = "Charge warning lamp stays on with engine running (charging system) — what should be checked?"
    ans = trouble[q].answer
    assert ans.index("1. Check the ribbed belt") < ans.index("2. Measure the voltage") < ans.index("Remedy: Below 13.5 V")
    assert sum(1 for k in trouble if k.endswith("what should be checked?")) == 4
    req = trouble["What are the requirements before troubleshooting the charging system?"].answer
    assert "battery charged" in req and "terminals clean and tight" in req


def test_all_examples_pass_validation(page_blocks, examples):
    res = validate_examples(examples, [], [], page_blocks, cfg=GenerateConfig())
    assert res.excluded == [] and len(res.kept) == len(examples)
    tasks = {e.task for e in res.kept}
    assert {"WIRING", "TROUBLESHOOTING"} <= tasks
    block_text = {b.block_id: b.text for b in page_blocks}
    for e in res.kept:  # every number of the body (no citation, no step numbers) is printed in the cited blocks
        source = number_keys(" ".join(block_text[i] for i in e.block_ids))
        assert number_keys(answer_body(e)) <= source, e.answer


def test_index_entries_give_no_examples():
    blocks = _blocks("sample_index_11-00.ocr.json")
    assert any(b.kind == "index_entry" for b in blocks)
    assert generate_examples([], [], blocks, GenerateConfig()) == []


def test_odd_blocks_never_raise():
    odd = [_block("", kind="troubleshooting"), _block("Symptom:", kind="troubleshooting"),
           _block("x", kind="table", rows=[TableRow(cells=[])], circuit="X"), _block("RD", circuit="Y")]
    assert generate_examples([], [], odd, GenerateConfig()) == []
