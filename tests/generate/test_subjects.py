"""generate.subjects on rows and lines read from the realpages scans (values as printed there)."""

from __future__ import annotations

import pytest

from manualtune.generate.subjects import (
    IDENTIFIER_REPAIRS,
    QUALIFIERS,
    fuse_subject,
    instruction_subject,
    item_number,
    repair_identifiers,
    subject_with_parent,
    table_parent,
    thread_from_condition,
    value_qualifier,
)
from manualtune.records import Block, Provenance, SpecFact, TableCell, TableRow

SRC = Provenance(file="00 - Torque Specs/16-04.jpg", page=1, page_id="p16-04")


def _table(*rows: list[str]) -> Block:
    return Block(block_id="p16-04/b002", page_id="p16-04", kind="table", order=2, text="", source=SRC,
                 rows=[TableRow(cells=[TableCell(text=t, col=i) for i, t in enumerate(r)]) for r in rows])


def _fact(component: str, text: str, value: str = "40", unit: str = "Nm", **kw) -> SpecFact:
    return SpecFact(fact_id=component + value, component=component, quantity=kw.pop("quantity", "torque"),
                    value=value, unit=unit, value_printed=kw.pop("value_printed", value), unit_printed=unit,
                    text=text, source=SRC, block_id="p16-04/b002", **kw)


# 00 - Torque Specs/16-04.jpg, 61-04.jpg, 12-07.jpg as the build reads them
END_RING = _table(
    ["1614 Fuel Pump", ""],
    ["1AZ Fuel level sender to fuel intake", "All with transfer pump in tank", "", "2", "Nm"],
    ["2AZ End ring for fuel tank (fuel level sender/pump)", "", "", "", ""],
    ["Plastic sealing ring, 26.5 mm high", "E34/E31", "", "40", "Nm"],
    ["Metal sealing ring", "E39", "", "35", "Nm"],
    ["3AZ___Intank pump with fill level sensor on tank (tighten nuts crosswise)", "E38", "M6", "6.5", "Nm"],
)
FIREWALL = _table(
    ["SAZ Wiper shaft nut to body", "ESt/E36/E32/E34", "", "12", "Nm (ft. Ibs.)"],
    ["6AZ Holder to firewall", "E31", "M6", "10", "Nm (ft. Ibs.)"],
    ["screws in firewall", "E38/E39/E36 Coupé", "", "10", "Nm (ft. Ibs.)"],
)
ALTERNATOR = _table(
    ["1AZ Wires to alternator", "", "", "", ""],
    ["KI. D+", "M10/M20", "", "5", "Nm (ft. Ibs.)"],
    ["", "Allothers", "M6", "7", "Nm (ft. Ibs.)"],
    ["Pulley", "All", "", "45", "Nm (ft. Ibs.)"],
    ["3AZ Pulley (ribbed drive belt)", "All", "", "60", "Nm (ft. Ibs.)"],
)
ROCKER = _table(
    ["1AZ Clamping bolt in rocker arm", "M20", "M6", "8", "Nm"],
    ["Clamping bolt in drag arm", "M21", "M6", "8", "Nm"],
)


@pytest.mark.parametrize(("label", "n"), [("5AZ Wiper shaft nut", 5), ("SAZ Bolt connection", 5),
                                         ("TAZ Upper cowl panel support", 7), ("3AZ___Intank pump", 3),
                                         ("Plastic sealing ring", None)])
def test_item_number(label, n):
    assert item_number(label) == n


def test_sub_row_of_an_item_without_value_gets_its_item():
    f = _fact("Plastic sealing ring, 26.5 mm high", "Plastic sealing ring, 26.5 mm high E34/E31  40 Nm")
    parent = table_parent(f, END_RING)
    assert parent == "End ring for fuel tank"
    assert subject_with_parent(f.component, parent) == "End ring for fuel tank (plastic sealing ring, 26.5 mm high)"
    assert table_parent(_fact("Metal sealing ring", "Metal sealing ring E39  35 Nm", "35"), END_RING) == parent


def test_lower_case_continuation_row_gets_its_item_even_when_the_item_has_a_value():
    f = _fact("screws in firewall", "screws in firewall E38/E39/E36 Coupé  10 Nm (ft. Ibs.)", "10")
    assert table_parent(f, FIREWALL) == "Holder to firewall"


FUEL_TANK = _table(  # 00 - Torque Specs/16-01.jpg (read by eye: '1AZ Fuel tank to body' / 'Screw' All M8 23, 'nut' E30 25)
    ["1611 Fuel Tank and Mounting Parts", ""],
    ["1AZ Fuel tank to body Screw", "All", "M8", "23", "Nm (ft. Ibs.)"],
    ["nut", "E30", "M8", "25", "Nm (ft. Ibs.)"],
    ["nut", "E24", "M8", "45", "Nm (ft. Ibs.)"],
)


def test_a_fastener_sub_row_of_an_item_that_names_its_own_fastener():
    f = _fact("nut", "nut E30 M8 25 Nm (ft. Ibs.)", "25")
    parent = table_parent(f, FUEL_TANK)
    assert parent == "Fuel tank to body"  # never 'Fuel tank to body Screw (nut)': that reads as the screw
    assert subject_with_parent(f.component, parent) == "Fuel tank to body (nut)"


def test_no_parent_for_item_rows_siblings_and_rows_where_an_item_number_is_missing():
    own = _fact("Fuel level sender to fuel intake", "1AZ Fuel level sender to fuel intake All with transfer pump "
                "in tank  2 Nm", "2")
    assert table_parent(own, END_RING) is None
    assert table_parent(_fact("Clamping bolt in drag arm", "Clamping bolt in drag arm M21 M6 8 Nm", "8"), ROCKER) is None
    # 'Pulley' stands where '2AZ' is missing (1AZ, then 3AZ): it is item 2, not a part of the wires
    assert table_parent(_fact("Pulley", "Pulley All  45 Nm (ft. Ibs.)", "45"), ALTERNATOR) is None
    assert table_parent(_fact("KI. D+", "KI. D+ M10/M20  5 Nm (ft. Ibs.)", "5"), ALTERNATOR) == "Wires to alternator"
    # a row without a name carries the name above it, and so its item
    assert table_parent(_fact("KI. D+", "Allothers M6 7 Nm (ft. Ibs.)", "7"), ALTERNATOR) == "Wires to alternator"


@pytest.mark.parametrize(("component", "fuse"), [
    ("SWITCH FUSE 21 DISTRIBUTION PAGE 1240-0 OFF 1", "fuse 21"),
    ("POWER CONTROL FUSE 20 taney", "fuse 20"),
    ("FUSE 19 1 DISTRIBUTION FUSE 27 5 DISTRIBUTION", None),
    ("LINE FUSE", None),
])
def test_fuse_subject(component, fuse):
    assert fuse_subject(component) == fuse


@pytest.mark.parametrize(("name", "component", "text", "value", "written"), [
    ("max", "Testing time", "Warm-up time approx. 30 sec. Testing time max. 10 sec. Total testing time 40 sec.",
     "10", "max."),
    ("max", "thickness of undercoating", "The thickness of undercoating should not exceed 250 µm.", "250", "max."),
    ("min", "Air drying time", "Note: Air drying time at least 10 minutes.", "10", "min."),
    ("approx", "Component temperature", "Adjusting Conditions: Component temperature = approx. 20° C (68° F).",
     "20", "approx."),
])
def test_value_qualifier_rows(name, component, text, value, written):
    assert name in {r for r, _, _ in QUALIFIERS}
    assert value_qualifier(_fact(component, text, value, quantity="time")) == written


def test_value_qualifier_before_the_name_and_none_when_the_value_is_printed_twice():
    spring = _fact("“spring pressure”", "Maximum “spring pressure” = 3.3 bar (47 psi).", "3.3", "bar")
    assert value_qualifier(spring) == "max."
    assert value_qualifier(_fact("Total testing time", "Total testing time 40 sec.", "40")) is None
    twice = _fact("Distance", "Distance 10 mm, max. 10 mm", "10", "mm")
    assert value_qualifier(twice) is None


def test_instruction_subject():
    heat = _fact("Heat new bearing inner race", "Heat new bearing inner race to approx. 80° C (175° F) with a hot",
                 "80", "°C", quantity="temperature")
    got = instruction_subject(heat)
    assert got is not None and (got.verb, got.participle, got.object) == ("heat", "heated", "new bearing inner race")
    edge = _fact("throttle valve lower edge", "Loosen nut (2). Adjust the throttle valve lower edge to 0.1 + 0.05 mm "
                 "(0.004 + 0.002\").", "0.1", "mm", quantity="length")
    got = instruction_subject(edge)
    assert got is not None and (got.participle, got.object) == ("adjusted", "throttle valve lower edge")
    turn = _fact("Turn counterclockwise", "Apply Special Too! 25 1 100. Turn counterclockwise 90°.", "90", "°")
    assert instruction_subject(turn) is None
    clause = _fact("Heat rear case section In area of the grooved ball bearing",
                   "Heat rear case section In area of the grooved ball bearing to about 80° C (175° F).", "80", "°C")
    assert instruction_subject(clause) is None


@pytest.mark.parametrize(("rule", "before", "after"), [
    ("gearbox_a5s", "ASS 300J", "A5S 300J"),
    ("gearbox_a4s", "AAS 270R/A4S 310R", "A4S 270R/A4S 310R"),
    ("engine_code_case", "m21", "M21"),  # 12 - Engine Electrical Equipment/12-06.jpg, Type cell
    ("engine_code_case", "m20/m21; M6", "M20/M21; M6"),
    ("engine_code_case", "10 mm; 5 ms", "10 mm; 5 ms"),
])
def test_identifier_repairs(rule, before, after):
    assert rule in {r for r, *_ in IDENTIFIER_REPAIRS}
    assert repair_identifiers(before) == after
    assert repair_identifiers("ASSEMBLY 300") == "ASSEMBLY 300"


def test_thread_size_from_the_condition():
    assert thread_from_condition("MS thread", "M5 8.8") == "M5 thread"
    assert thread_from_condition("MS thread", None) == "MS thread"
    assert thread_from_condition("M6 thread", "M6 8.8") == "M6 thread"


@pytest.mark.parametrize(("component", "phrase"), [
    ("Tightening Torque of Conrod Bolts", "Conrod Bolts"),  # 11 - Engine/11-61a.jpg
    ("Torque angle for head bolts", "head bolts"),
    ("torque converter bolts", "torque converter bolts"),
    ("Angle of attack", "Angle of attack"),
    ("‘Bracket to body", "Bracket to body"),  # 00 - Torque Specs/61-07.jpg: a speck read as a quote
])
def test_component_phrase_drops_a_quantity_heading(component, phrase):
    from manualtune.generate.common import component_phrase

    assert component_phrase(component) == phrase


def test_section_title_limit_is_the_qualifier_of_its_quantity_only():
    sec = "00 00 M14 and M14x1.5 - maximum tightening torques acc. to BMW N 600 02.0"
    torque = _fact("M14 thread", "M14 8.8 130 Nm", "130", section=sec)
    assert value_qualifier(torque) == "max."
    length = _fact("M14 thread", "M14 length 30 mm", "30", "mm", quantity="length", section=sec)
    assert value_qualifier(length) is None  # the title limits torques, not lengths
    assert value_qualifier(_fact("Pulley", "Pulley 45 Nm", "45", section="12 31 Alternator")) is None


def test_a_bare_thread_size_in_a_condition_is_named_as_a_thread():
    # 00 - Torque Specs/16-02 as read: the Screw column's 'M5' tells the 1.6 Nm row from the M4 / 2 Nm ones,
    # and unnamed it reads as the BMW M5 (the 2026-12-04 mid audit); engine codes stay as they are
    from manualtune.generate.common import _condition_text

    assert _condition_text("All with fuel injection; M5", None) == "All with fuel injection; M5 thread"
    assert _condition_text("M10x1.25", None) == "M10x1.25 thread"
    assert _condition_text("S14; M8", "S14") == "M8 thread"
    assert _condition_text("M20", None) == "M20" and _condition_text("M52; hot", None) == "M52; hot"
    assert _condition_text("M6 8.8", None) == "M6 8.8"  # a grade after it: left as printed
