"""extract_procedures: steps whole, across the column break, notes/warnings, tools, fact links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layout_synth import LINE_H, page_from, paragraph

from manualtune.cache import short_id
from manualtune.layout import LayoutConfig, build_blocks, extract_procedures
from manualtune.records import PageOCR, Provenance, SpecFact

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"
DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"

MULTI = ["Tighten bolts - use old conrod bolts.", "Don't turn the crankshaft.", "Remove conrod bearing cap."]


def _page() -> PageOCR:
    lines = []
    ws, y = paragraph(["11 24 521 REPLACING CONNECTING RODS", "- Pistons Removed -"], 60, 60)
    lines += ws
    ws, y = paragraph(["Only install connecting rods of same weight", "class in one engine."], 60, y + LINE_H)
    lines += ws
    ws, y = paragraph(MULTI + ["Important!", "Never reuse stretched bolts."], 60, y + 2 * LINE_H)
    lines += ws
    ws, y = paragraph(["Note: rods may not be machined."], 60, y + 2 * LINE_H)
    lines += ws
    # the procedure continues at the top of the right column
    ws, y = paragraph(["Fit the conrod with special tool 11 2 110.", "Step 1 10 Nm (7 ft. lbs.)",
                       "Step 2 30 Nm (22 ft. lbs.)"], 660, 60)
    lines += ws
    ws, y = paragraph(["21 52 000 REMOVING MASTER CYLINDER"], 660, y + 2 * LINE_H)
    lines += ws
    ws, _ = paragraph(["1. Disconnect pipe (1) to slave cylinder.", "2. Unscrew bolts (5 and 6).",
                       "Remove master cylinder."], 660, y + LINE_H)
    lines += ws
    return page_from(lines, name="proc.png")


def _fact(page_id: str, value: str, unit: str, block_id: str | None = None) -> SpecFact:
    return SpecFact(
        fact_id=short_id(page_id, value, unit), component="conrod bolts", quantity="torque", value=value,
        unit=unit, value_printed=value, unit_printed=unit, text=f"{value} {unit}", block_id=block_id,
        source=Provenance(file="proc.png", page=1, page_id=page_id),
    )


def test_synthetic_procedures() -> None:
    page = _page()
    blocks = build_blocks(page, LayoutConfig())
    facts = [_fact(page.page_id, "10", "Nm"), _fact(page.page_id, "30", "Nm"),
             _fact("other.png#p1@1", "10", "Nm"), _fact(page.page_id, "99", "Nm")]
    procs = extract_procedures(blocks, facts)
    assert [p.repair_code for p in procs] == ["11 24 521", "21 52 000"]
    first, second = procs
    assert first.title == "REPLACING CONNECTING RODS"
    assert first.procedure_id == short_id(page.page_id, "REPLACING CONNECTING RODS")
    assert first.notes == ["- Pistons Removed -"]
    # a labelled block with instructions is a step of its own (like the manual's "Important!" blocks);
    # the right column continues the procedure
    assert len(first.steps) == 4
    multi = first.steps[1]
    for sentence in MULTI:
        assert sentence in multi.text  # never split at a full stop
    assert multi.warnings == ["Important! Never reuse stretched bolts."]
    assert multi.notes == []
    assert first.steps[2].notes == ["Note: rods may not be machined."] and not first.steps[2].warnings
    tool_step = first.steps[3]
    assert tool_step.special_tools == ["11 2 110"]
    assert tool_step.fact_ids == sorted([facts[0].fact_id, facts[1].fact_id])
    assert all(s.number is None for s in first.steps)
    assert [s.number for s in second.steps] == ["1", "2"]
    assert second.steps[1].text == "2. Unscrew bolts (5 and 6). Remove master cylinder."
    assert all(s.block_id and s.source.page_id == page.page_id for p in procs for s in p.steps)


def test_fact_linked_by_block_id() -> None:
    page = _page()
    blocks = build_blocks(page, LayoutConfig())
    step_block = next(b for b in blocks if b.text.startswith("Only install"))
    fact = _fact(page.page_id, "0.5", "mm", block_id=step_block.block_id)
    procs = extract_procedures(blocks, [fact])
    step = next(s for s in procs[0].steps if s.block_id == step_block.block_id)
    assert step.fact_ids == [fact.fact_id]


def test_proc_11_64_procedures_match_truth() -> None:
    truth_path = DEVDATA / "proc_11-64.truth.json"
    if not truth_path.exists():
        pytest.skip("devdata not available")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    page = PageOCR.model_validate_json((RES / "proc_11-64.ocr.json").read_text(encoding="utf-8"))
    procs = extract_procedures(build_blocks(page, LayoutConfig()), [])
    assert [(p.repair_code, p.title, len(p.steps)) for p in procs] == [
        (t["op"], t["title"], len(t["steps"])) for t in truth["procedures"]
    ]
    torque_step = procs[1].steps[-1]
    assert "Step 1" in torque_step.text and "Step 3" in torque_step.text and torque_step.number is None
