"""Numbers are never wrong: glyphs in numbers, code numbers, ranges, printed conversions, stage sequences."""

from __future__ import annotations

import pytest

from manualtune.facts import extract_facts
from manualtune.facts.values import alternative_value, code_spans, parse_spec_text
from manualtune.records import Block, Provenance, SpecFact


def block(text: str, kind: str = "procedure_step", page: str = "11 - Engine/11-50.jpg") -> Block:
    pid = f"{page}#p1@0"
    return Block(block_id=f"{pid}/b001", page_id=pid, kind=kind, order=1, text=text,
                 source=Provenance(file=page, page=1, page_id=pid))


def facts_of(text: str) -> list[SpecFact]:
    return [f for f in extract_facts([block(text)]) if not f.derived]


@pytest.mark.parametrize(("text", "value", "printed"), [
    ("Tighten the oil pan bolts to $1 Nm.", "51", "$1"),
    ("Tighten the oil pan bolts to S5 Nm.", "55", "S5"),
    ("Tighten the oil pan bolts to l0 Nm.", "10", "l0"),
    ("Tighten the oil pan bolts to 7O Nm.", "70", "7O"),
    ("Set the valve clearance to 1,O mm.", "1.0", "1,O"),
])
def test_glyph_in_or_before_a_number_needs_review(text: str, value: str, printed: str) -> None:
    got = facts_of(text)
    assert [(f.value, f.value_printed) for f in got] == [(value, printed)]
    assert got[0].needs_review and printed in (got[0].review_reason or "")


def test_glyph_is_never_dropped_silently() -> None:
    # '$1 Nm' never becomes a clean fact of 1 Nm
    assert not [f for f in facts_of("Tighten the oil pan bolts to $1 Nm.") if f.value == "1"]
    assert [f.value for f in facts_of("Tighten the oil pan bolts to 51 Nm.") if not f.needs_review] == ["51"]


@pytest.mark.parametrize("text", [
    "Coat the threads with Loctite No. 270 and install the bolts.",
    "Order BMW # 11 23 1 709 638 for the repair kit.",
    "Use sealing washer N 600 02.0 mm under the plug.",
    "Hold the flywheel with Special Tool 11 2 160.",
    "Install the gauge 00 9 120 and read the value.",
])
def test_code_numbers_are_never_values(text: str) -> None:
    assert code_spans(text)
    assert facts_of(text) == []


def test_code_number_next_to_a_real_value() -> None:
    got = facts_of("Apply Loctite 270 to the bolts and tighten them to 25 Nm.")
    assert [(f.value, f.unit) for f in got] == [("25", "Nm")]


@pytest.mark.parametrize(("text", "value", "value_max", "unit"), [
    ("Heat the bearing to 200 ... 230° C.", "200", "230", "°C"),
    ("Axial play 0.03 to 0.06 mm.", "0.03", "0.06", "mm"),
    ("Turn the adjusting screw 1 to 1 1/2 turns.", "1", "1.5", "turn"),
    ("Heat the ring gear to 160-180° C.", "160", "180", "°C"),
    ("Adjust play to 0 ... 0.09 mm.", "0", "0.09", "mm"),
    # Bosch Motronic 11-12 / 17-18 (read by eye): 'Angolo d'accensione: -5...+5 ° KW'
    ("Angolo d'accensione: -5...+5 ° KW", "-5", "5", "°"),
    ("Contenuto CO: senza catalizzatore 0,5...1,5 Vol.% CO", "0.5", "1.5", "%"),  # 17-18: percent by volume
])
def test_ranges_keep_both_ends(text: str, value: str, value_max: str, unit: str) -> None:
    got = parse_spec_text(text)
    assert [(v.value, v.value_max, v.unit) for v in got] == [(value, value_max, unit)]


def test_fractions_are_values_only_in_turns() -> None:
    assert parse_spec_text("a 1/2 in. bolt") == []


@pytest.mark.parametrize(("bracket", "expected"), [
    ("(16 ft lbs)", ("16", "ft·lbf")),
    ('(0 to 0.0035")', ("0-0.0035", "in")),
    ("(0.394 in.)", ("0.394", "in")),
    ("(see figure)", (None, None)),
])
def test_alternative_value(bracket: str, expected: tuple) -> None:
    assert alternative_value(bracket) == expected


def test_printed_conversion_is_alt_value_of_the_metric_fact() -> None:
    got = facts_of('Adjust the drive pinion play to 0 ... 0.09 mm (0 to 0.0035").')
    assert [(f.value, f.value_max, f.unit, f.alt_value, f.alt_unit) for f in got] == [
        ("0", "0.09", "mm", "0-0.0035", "in")]
    got = facts_of("Tighten the drain plug to 22 Nm (16 ft lbs).")
    assert [(f.value, f.unit, f.alt_value, f.alt_unit) for f in got] == [("22", "Nm", "16", "ft·lbf")]


def test_stage_sequence_keeps_every_stage_in_order() -> None:
    got = facts_of("Tighten the cylinder head bolts to 30 Nm, then 90° and a further 90°.")
    assert got and all(f.stages == got[0].stages for f in got)
    assert [(s.stage, s.value, s.unit) for s in got[0].stages] == [(1, "30", "Nm"), (2, "90", "°"), (3, "90", "°")]


def test_stage_sequence_with_loosening_needs_review() -> None:
    got = facts_of("Tighten the cylinder head bolts to 150 Nm, unfasten half a turn, tighten to 60 Nm, "
                   "then 60°, 60° and 30°.")
    assert [(s.value, s.unit) for s in got[0].stages] == [("150", "Nm"), ("60", "Nm"), ("60", "°"), ("60", "°"),
                                                          ("30", "°")]
    assert all(f.needs_review and "loosening" in (f.review_reason or "") for f in got)


def test_chart_scale_values_are_no_specs() -> None:
    got = extract_facts([block("35 40 45 Wheel speed in rpm", kind="paragraph")])
    assert [f.value for f in got] == ["35", "40", "45"]
    assert all(f.needs_review and "chart scale" in (f.review_reason or "") for f in got)


def test_a_lost_decimal_point_needs_review() -> None:
    lost = facts_of("The battery voltage must be at least 115 V.")
    assert [(f.value, f.needs_review) for f in lost] == [("115", True)]
    assert "decimal point lost" in (lost[0].review_reason or "")
    assert [(f.value, f.needs_review) for f in facts_of("The battery voltage must be at least 11.5 V.")] == [
        ("11.5", False)]


def test_a_minus_before_a_range_without_its_plus_end_is_no_signed_range() -> None:
    # '-5...5 °' could be a dash and '5...5': no value rather than a guess
    assert parse_spec_text("angle -5...5 °") == []
