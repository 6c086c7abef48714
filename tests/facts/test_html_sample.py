"""The sample manual's HTML tech sheet: every value filed under the right engine variant."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from manualtune.facts.html_specs import cell_qualifiers, parse_techspec_html
from manualtune.facts.specs import parse_spec_text
from manualtune.sample import generate_sample_manual


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html-sample")
    generate_sample_manual(out, pages=["*.html"])
    found = sorted(out.rglob("*.html"))
    assert len(found) == 1
    return found[0]


def test_columns_are_filed_under_their_engine(sheet: Path):
    facts, blocks = parse_techspec_html(sheet, sheet.name)
    by = {(f.component, f.value, f.unit): f for f in facts}
    assert by[("Displacement", "1991", "cm³")].variant == "CR20"
    assert by[("Displacement", "2494", "cm³")].variant == "CR25T"
    assert by[("Maximum boost pressure", "0.75", "bar")].variant == "CR25T"
    assert by[("Charging voltage", "13.8", "V")].variant is None  # one cell for both models
    assert set(Counter(f.variant for f in facts)) <= {"CR20", "CR25T", None}
    assert blocks and all(b.kind == "table" for b in blocks)


def test_at_and_trailing_words_become_conditions(sheet: Path):
    facts, _ = parse_techspec_html(sheet, sheet.name)
    torque = [f for f in facts if f.component == "Max Engine Torque" and f.unit == "Nm"]
    assert sorted((f.value, f.variant) for f in torque) == [("178", "CR20"), ("296", "CR25T")]
    assert all(f.condition and f.condition.startswith("at ") and "rpm" in f.condition for f in torque)
    clearance = sorted((f.value, f.value_max, f.condition) for f in facts if f.component == "Valve clearance")
    assert clearance == [("0.20", "0.25", "engine cold; intake"), ("0.25", "0.30", "engine cold; exhaust")]


def test_cell_qualifiers_unit():
    cell = "178 Nm @ 4300 rpm"
    assert cell_qualifiers(cell, parse_spec_text(cell)) == [["at 4300 rpm"], ["for 178 Nm"]]
    cell = "12 V 55 Ah"
    assert cell_qualifiers(cell, parse_spec_text(cell)) == [[], []]
