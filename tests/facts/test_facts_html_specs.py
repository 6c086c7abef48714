import json
from pathlib import Path

import pytest

from manualtune.facts.html_specs import parse_techspec_html, read_techspec_rows

DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"

SHEET = """<html><head><title>BMW Repair Manual - 320is Tech Specs</title></head><body>
<table id="techTable">
<tr><td><h2>Intro<br>duction</h2></td><td></td><td></td></tr>
<tr><td>Model Code:</td><td><span class="tableCellA">Coupe 2-door</span></td>
    <td><span class="tableCellA">Sedan 4-door</span></td></tr>
<tr><td>Weight:</td><td><span class="tableCellA">1150 kg</span></td><td><span class="tableCellA">1190 kg</span></td></tr>
<tr><td>Valve clearance (below 35 °C):</td><td colspan="2"><span class="tableCellA">0.28-0.33 mm</span></td></tr>
<tr><td>Gearbox ratios:</td><td colspan="2"><span class="tableCellA">1<sup>st</sup> 3.72</span></td></tr>
<tr><td></td><td colspan="2"><span class="tableCellA">R 4.23</span></td></tr>
<tr><td>Part number:</td><td colspan="2"><span class="tableCellA">0120469804 / 12 31 1 711 375</span></td></tr>
</table></body></html>"""


def test_small_sheet_variants_sections_continuations(tmp_path):
    path = tmp_path / "320is-techspec.html"
    path.write_text(SHEET, encoding="utf-8")
    facts, blocks = parse_techspec_html(path, "specs/320is-techspec.html")
    got = {(f.component, f.value, f.value_max, f.unit, f.variant, f.condition) for f in facts}
    assert ("Weight", "1150", None, "kg", "320is Coupe", "Coupe 2-door") in got
    assert ("Weight", "1190", None, "kg", "320is Sedan", "Sedan 4-door") in got
    assert ("Valve clearance", "0.28", "0.33", "mm", "320is", "below 35 °C") in got
    assert ("Gearbox ratios", "3.72", None, "", "320is", "1st gear") in got
    assert ("Gearbox ratios", "4.23", None, "", "320is", "reverse gear") in got  # continuation row
    assert not any(f.component == "Part number" for f in facts)  # part numbers are not specs
    assert len(facts) == 5
    assert all(f.source.file == "specs/320is-techspec.html" and f.source.page == 1 and f.source.bbox is None
               for f in facts)
    assert [b.section for b in blocks] == ["Intro duction"] and blocks[0].kind == "table"
    assert {f.block_id for f in facts} == {blocks[0].block_id}


def test_missing_table_gives_nothing(tmp_path):
    path = tmp_path / "x.html"
    path.write_text("<html><body><p>nothing</p></body></html>", encoding="utf-8")
    assert parse_techspec_html(path, "x.html") == ([], [])


@pytest.fixture
def m3():
    if not (DEVDATA / "M3-techspec.html").exists():
        pytest.skip("devdata not available")
    return DEVDATA / "M3-techspec.html"


def test_m3_sheet_rows_match_truth(m3):
    truth = json.loads((DEVDATA / "M3-techspec.truth.json").read_text(encoding="utf-8"))
    _, rows = read_techspec_rows(m3.read_text(encoding="utf-8"))
    assert len(rows) == truth["row_count"]
    for r, t in zip(rows, truth["rows"], strict=True):
        assert (r.section, r.label_context, r.variant, r.value) == (
            t["section"], t["label_context"], t["variant"], t["value"])


def test_m3_sheet_hand_checked_values(m3):
    facts, _ = parse_techspec_html(m3, "M3-techspec.html")
    by = {}
    for f in facts:
        by.setdefault(f.component, []).append((f.value, f.value_max, f.unit, f.variant))
    assert by["Displacement"] == [("2302", None, "cm³", "M3")]
    assert by["Valve clearance"] == [("0.28", "0.33", "mm", "M3")]
    assert by["Max Engine Torque"] == [("240", None, "Nm", "M3"), ("4750", None, "rpm", "M3")]
    assert by["Engine Power Output"][:2] == [("197", None, "hp", "M3"), ("147", None, "kW", "M3")]
    assert by["Axle Ratio"] == [("3.25", None, "", "M3")]
    assert by["Wheelbase"] == [("2562", None, "mm", "M3")]
    assert by["Compression Ratio"] == [("10.5", None, "", "M3")]
    assert by["Bore"] == [("93.4", None, "mm", "M3")] and by["Stroke"] == [("84.0", None, "mm", "M3")]
    assert by["Fuel tank capacity"] == [("70", None, "l", "M3")]
    assert by["Coolant quantity"] == [("9.0", None, "l", "M3"), ("9.5", None, "l", "M3")]
    assert by["Maximum Speed"] == [("235", None, "km/h", "M3 Coupe")]  # "??? km/h" is not a value


def test_a_value_the_row_label_does_not_name_needs_review():
    from manualtune.facts.html_specs import label_quantity_mismatch

    assert label_quantity_mismatch("Oil temperature:", "speed") == (
        "label 'Oil temperature:' names temperature, the value is a speed")
    assert label_quantity_mismatch("Oil temperature:", "temperature") is None
    assert label_quantity_mismatch("Max Engine Torque:", "torque") is None
    assert label_quantity_mismatch("Fuel pressure:", "pressure") is None
    assert label_quantity_mismatch("Spark plugs:", "length") is None


_LABEL_ROWS = {
    "temperature": ("Oil temperature:", "temperature", "speed"),
    "pressure": ("Fuel pressure:", "pressure", "speed"),
    "torque": ("Max Engine Torque:", "torque", "power"),
    "voltage": ("Charging voltage:", "voltage", "current"),
    "resistance": ("Coil resistance:", "resistance", "voltage"),
    "capacity": ("Oil capacity:", "volume", "pressure"),
}


@pytest.mark.parametrize("word", sorted(_LABEL_ROWS))
def test_label_quantity_row(word):
    from manualtune.facts.html_specs import LABEL_QUANTITIES, label_quantity_mismatch

    label, ok, wrong = _LABEL_ROWS[word]
    assert sum(1 for rx, _ in LABEL_QUANTITIES if rx.search(label)) == 1
    assert label_quantity_mismatch(label, ok) is None
    assert label_quantity_mismatch(label, wrong) is not None
    assert len(LABEL_QUANTITIES) == len(_LABEL_ROWS)


def test_the_speed_of_a_labelled_value_is_trusted_a_stray_speed_is_not(m3):
    # 'Max Engine Torque: 240 Nm @ 4750 rpm': the speed at which the labelled torque holds (as for power);
    # 'Oil temperature: ... Do not exceed 4000 rpm below 50 °C': a speed the label does not name
    facts, _ = parse_techspec_html(m3, "M3-techspec.html")
    rpm = {(f.component, f.value): (f.condition, f.needs_review) for f in facts if f.unit == "rpm"}
    assert rpm[("Max Engine Torque", "4750")] == ("for 240 Nm", False)
    assert rpm[("Engine Power Output", "6750")] == ("for 147 kW", False)
    assert rpm[("Oil temperature", "4000")][1] is True
