"""Fact extraction on the real dev torque tables and the fixes they needed (merged header,
'$14' variants, degree signs in the Unit column, lost tolerance signs, chart scales, default
variants and the S14 conrod conflict)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from facts_fixtures import row, table_block, text_block

from manualtune.facts import extract_facts, find_conflicts, parse_spec_text
from manualtune.facts.config import FactsConfig
from manualtune.facts.specs import _header_roles, fix_unit_cell, fix_variant_ocr, parse_scale_line
from manualtune.layout import build_blocks
from manualtune.quality.fact_score import fact_key, truth_key
from manualtune.records import PageOCR

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"
DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"


def _page_facts(name: str, cfg: FactsConfig | None = None):
    page = PageOCR.model_validate_json((RES / f"{name}.page.json").read_text(encoding="utf-8"))
    return extract_facts(build_blocks(page), cfg or FactsConfig())


def _truth_keys(name: str) -> list[tuple[str, str, str]]:
    path = DEVDATA / f"{name}.truth.json"
    if not path.exists():
        pytest.skip("dev data not available")
    return sorted(truth_key(f["value"], f["unit"]) for f in json.loads(path.read_text())["facts"])


def test_torque_11_19_gives_the_truth_facts_with_variants() -> None:
    facts = _page_facts("torque_11-19")
    assert sorted(fact_key(f) for f in facts) == _truth_keys("torque_11-19")
    assert sorted({f.variant for f in facts}) == ["S14", "S38", "S50"]
    assert {f.section for f in facts} == {"11 24 Connecting Rods and Bearings"}
    s14 = next(f for f in facts if f.variant == "S14")
    assert (s14.value, s14.unit, s14.component) == ("55", "Nm", "Connecting rod bolts")
    assert "'$14'->'S14'" in (s14.review_reason or "")
    angle = next(f for f in facts if f.variant == "S50" and f.unit == "°")
    assert angle.value == "65" and not angle.needs_review and "'¢'" in (angle.review_reason or "")


def test_torque_11_01_unit_column_degree_misreads() -> None:
    facts = _page_facts("torque_11-01")
    assert sorted(fact_key(f) for f in facts) == _truth_keys("torque_11-01")
    assert not any(f.unit == "s" for f in facts)  # a degree ring read as 's' is no second


def test_merged_header_cell_gives_no_roles_and_columns_are_inferred() -> None:
    merged = row("Engine", "Type Screw | Measure | Unit", header=True)
    assert _header_roles(merged) == {}
    rows = [merged, row("1AZ Wheel bolts", "S14", "M12", "110", "Nm"), row("", "S38", "M12", "120", "Nm")]
    facts = extract_facts([table_block(rows)], FactsConfig())
    assert [(f.value, f.unit, f.variant) for f in facts] == [("110", "Nm", "S14"), ("120", "Nm", "S38")]


def test_unit_cell_fixes_need_a_unit_header() -> None:
    assert fix_unit_cell("¢", "Torque angle", unit_header=True)[0] == "°"
    assert fix_unit_cell("", "Torque angle", unit_header=True)[0] == "°"
    assert fix_unit_cell("", "Torque", unit_header=True) == ("", None, False)
    assert fix_unit_cell("¢", "Torque angle", unit_header=False) == ("¢", None, False)
    text, note, review = fix_unit_cell("¢", "Cover", unit_header=True)
    assert text == "°" and review and note
    assert fix_unit_cell("Nm", "Torque angle", unit_header=True) == ("Nm", None, False)


def test_variant_ocr_only_for_configured_variants() -> None:
    variants = FactsConfig().variants
    assert fix_variant_ocr("$38/S14/M40", variants)[0] == "S38/S14/M40"
    assert fix_variant_ocr("$52/M52", variants) == ("$52/M52", [])


def test_lost_tolerance_sign_is_never_a_value() -> None:
    got = parse_spec_text("006 Intake valve 37. 0.1mm (1.457 0.004)")
    assert [(p.value, p.unit) for p in got] == [("37", "mm")]
    assert got[0].review and "0.1" in got[0].review
    ok = parse_spec_text("Intake valve 36.6 + 0.1 mm")
    assert [(p.value, p.tolerance, p.review) for p in ok] == [("36.6", "+0.1", None)]


def test_chart_scale_line() -> None:
    assert parse_scale_line("11.45 10.4 9.6 Pulse wheel period in ms") == (
        ["11.45", "10.4", "9.6"], "Pulse wheel period in ms", "ms")
    assert parse_scale_line("Tighten 3 bolts in turn") is None
    facts = extract_facts([text_block("35 40 Wheel speed in rpm", file="proc_34-01.jpg")], FactsConfig())
    assert [(f.value, f.unit, f.component) for f in facts] == [
        ("35", "rpm", "Wheel speed in rpm"), ("40", "rpm", "Wheel speed in rpm")]


def test_engine_speed_after_at_is_a_condition() -> None:
    got = parse_spec_text("95 kW (129 hp) at 5800 rpm")
    assert [(p.value, p.unit, p.role) for p in got] == [("95", "kW", "spec"), ("5800", "rpm", "condition")]


def test_variant_columns_table() -> None:
    rows = [row("Specification", "240i (CR20)", "240 Turbo (CR25T)"), row("Bore", "86.0 mm", "92.0 mm"),
            row("Displacement", "1997 cm", "2494 cm?")]
    facts = extract_facts([table_block(rows, file="00-2.jpg")], FactsConfig())
    # "1997 cm" (length unit on a volume row) stays out; "cm?" on a volume row is cm³ with its '³' misread
    assert [(f.component, f.value, f.unit) for f in facts] == [
        ("Bore", "86.0", "mm"), ("Bore", "92.0", "mm"), ("Displacement", "2494", "cm³")]
    assert "CR20" in (facts[0].variant or "") and "CR25T" in (facts[1].variant or "")


def test_default_variant_makes_the_s14_conrod_conflict() -> None:
    table = table_block([
        row("", "Type", "Screw", "Measure", "Unit", header=True),
        row("1AZ Connecting rod bolts Replace, wash and oil conrod bolts", "$14", "", "55", "Nm",
            section="11 24 Connecting Rods and Bearings"),
    ], file="torque_11-19.jpg")
    proc = text_block("Conrod bolt tightening torque: Step 1 10 Nm Step 2 30 Nm Step 3 60 + 2° torque angle",
                      file="proc_11-64.jpg")
    plain = extract_facts([table, proc], FactsConfig())
    assert find_conflicts(plain) == []  # the procedure page prints no variant
    cfg = FactsConfig(default_variants={"proc_11-64.jpg": "S14"})
    facts = extract_facts([table, proc], cfg)
    assert {f.variant for f in facts} == {"S14"}
    conflicts = find_conflicts(facts)
    assert len(conflicts) == 1
    assert sorted(conflicts[0].values) == ["10 Nm", "30 Nm", "55 Nm"]
    assert sorted({s.file for s in conflicts[0].sources}) == ["proc_11-64.jpg", "torque_11-19.jpg"]
