"""Text-block facts (paragraphs, steps, notes, wiring labels) on blocks as the sample pages' OCR
reads them: sentence variants, qualifiers, OCR unit repairs, stages, wire labels and wire lists."""

from __future__ import annotations

from facts_fixtures import row, table_block, text_block

from manualtune.facts.config import FactsConfig
from manualtune.facts.specs import extract_facts, find_variants, parse_spec_text, sentence_spans


def _facts(text: str, **kw):
    return [f for f in extract_facts([text_block(text, **kw)], FactsConfig()) if not f.derived]


def _key(f):
    return (f.value if f.value_max is None else f"{f.value}-{f.value_max}", f.unit, f.variant)


def test_each_value_takes_the_variant_of_its_own_sentence():
    facts = _facts("The 240i has a 70 A alternator. The 240 Turbo has a 90 A\n"
                   "alternator because of the additional electric fan.")
    assert [_key(f) for f in facts] == [("70", "A", "CR20"), ("90", "A", "CR25T")]
    assert facts[0].component == "alternator"


def test_trailing_variant_names_and_shared_values():
    # value first, model name after it; the 12 V holds for both models -> one fact, no variant
    facts = _facts("The battery is a 12 V, 55 Ah unit on the 240i and a 12 V,\n66 Ah unit on the 240 Turbo.")
    assert sorted(_key(f) for f in facts) == [("12", "V", None), ("55", "Ah", "CR20"), ("66", "Ah", "CR25T")]


def test_single_variant_lead_covers_its_paragraph():
    facts = _facts("CR25T only: apply pressure to the regulator with a hand pump.\n"
                   "The fuel pressure must rise by the same amount, to 350 kPa.")
    assert [_key(f) for f in facts] == [("350", "kPa", "CR25T")]


def test_at_values_are_conditions_of_the_other_value():
    facts = _facts("With hot oil the pressure at 4000 rpm is at least 45 psi.")
    assert [(_key(f), f.condition) for f in facts] == [(("45", "psi", None), "minimum; at 4000 rpm")]  # "at least"
    facts = _facts("Fuse F11 rating 20 A. The pump draws 6 - 8 A at\n3.0 bar.")
    assert [(_key(f), f.condition) for f in facts] == [(("20", "A", None), None), (("6-8", "A", None), "at 3.0 bar")]
    # alone in its sentence, an "at" value is the spec itself
    assert [_key(f) for f in _facts("The valve opens at 4.0 bar and returns the excess oil.")] == [
        ("4.0", "bar", None)]


def test_lone_limit_is_a_fact_and_test_speed_is_not():
    facts = _facts("Below 6 km/h the system switches off and the brakes work normally.")
    assert [(_key(f), f.condition) for f in facts] == [(("6", "km/h", None), "below")]
    assert _facts("- Measure the voltage at terminal B+ at 2000 rpm.", kind="troubleshooting") == []


def test_metric_conversion_in_brackets_is_not_a_second_fact():
    facts = _facts("A pressure regulator keeps the system pressure at 3.0 bar (300 kPa) above manifold pressure.")
    assert [_key(f) for f in facts] == [("3.0", "bar", None)]
    assert facts[0].component != "" and "kPa" not in facts[0].component
    # a bracket that is not the same quantity converted stays a value
    vals = parse_spec_text("Coolant 9 litres (9.5 litres with A/C)")
    assert [(v.value, v.unit) for v in vals] == [("9", "l"), ("9.5", "l")]


def test_ohm_read_as_q_only_in_resistance_sentences():
    facts = _facts("The sensor resistance is 800 - 1400 Q.")
    assert [(_key(f), f.needs_review) for f in facts] == [(("800-1400", "Ω", None), False)]
    facts = _facts("The coolant temperature sensor reads 2.5 kQ when cold; fuel enrichment ends at 70 °C.")
    assert [_key(f) for f in facts] == [("2.5", "kΩ", None), ("70", "°C", None)]
    assert facts[0].needs_review and "'Q'" in facts[0].review_reason
    assert _facts("Set the pointer to mark 5 Q on the scale.") == []  # no resistance named: 'Q' stays unread


def test_bar_read_as_litre_and_lost_preposition():
    facts = _facts("The pump delivers at least 1.2 |\n30 s.")
    assert [(_key(f), f.needs_review) for f in facts] == [(("1.2", "l", None), True)]


def test_tool_numbers_are_not_values():
    facts = _facts("Stage 3 torque angle 90°. Use angle gauge\n10 s", kind="procedure_step")
    assert [(_key(f), f.condition) for f in facts] == [(("90", "°", None), "stage 3")]


def test_stages_with_printed_word_and_each():
    facts = _facts("Tighten the bolts in sequence from the centre\noutwards. CR20: Stage 1 30 Nm, Stage 2 60 Nm,\n"
                   "Stage 3 torque angle 90°.")
    assert [(_key(f), f.condition) for f in facts] == [
        (("30", "Nm", "CR20"), "stage 1"), (("60", "Nm", "CR20"), "stage 2"),
        (("90", "°", "CR20"), "stage 3 torque angle")]
    assert {f.component for f in facts} == {"bolts"}
    facts = _facts("CR25T: Stage 1 40 Nm, then Stage 2 and Stage 3\ntorque angle 90° each.")
    assert [(_key(f), f.condition) for f in facts] == [
        (("40", "Nm", "CR25T"), "stage 1"), (("90", "°", "CR25T"), "stage 2 torque angle"),
        (("90", "°", "CR25T"), "stage 3 torque angle")]
    assert {f.component for f in facts} == {"tightening torque"}  # never the variant name


def test_wire_labels_must_be_standard_sizes_and_repeat():
    blk = text_block("4RD $232 4RAD 9 4RD", kind="heading", file="wiring_1230-00.jpg")
    blk2 = text_block("25 BK\nDIAGNOSTIC\n75 BU\n2.56N\n10RD", file="wiring_1230-00.jpg", order=1)
    facts = extract_facts([blk, blk2], FactsConfig())
    assert [(f.value, f.condition) for f in facts] == [
        ("4", "wire colour RD"), ("4", "wire colour RD; label 2"), ("25", "wire colour BK"),
        ("10", "wire colour RD")]


def test_wire_list_table():
    blk = table_block([
        row("Wire", "From", "To", header=True),
        row("16 RD", "battery +", "fusible link F1"),
        row("15 BU", "instrument X16", "alternator D+"),  # ".75 BU" misread: no such wire size
        row("4RD", "starter 30", "fuse box X1"),
        row("2-5. BK", "relay K6 pin 87", "starter 50"),
    ], file="61 - Wiring/6121-1.jpg")
    facts = extract_facts([blk], FactsConfig())
    assert [(f.component, f.value, f.unit, f.condition) for f in facts] == [
        ("wire battery + -> fusible link F1", "16", "", "wire colour RD"),
        ("wire starter 30 -> fuse box X1", "4", "", "wire colour RD"),
    ]


def test_sentences_and_variant_aliases():
    t = "Fill approx. 8 l of oil. Max. 2 bar; then check. See 11 12 000. Set it"
    assert [t[s:e] for s, e in sentence_spans(t)] == [
        "Fill approx. 8 l of oil.", "Max. 2 bar;", "then check.", "See 11 12 000.", "Set it"]
    cfg = FactsConfig()
    assert find_variants("240i (CR20) and 240 Turbo (CR25T)", cfg.variants, cfg.variant_aliases) == ["CR20", "CR25T"]
    assert find_variants("240i (CR20)", cfg.variants) == ["240i", "CR20"]


def test_negative_temperatures_and_diagram_callouts():
    facts = _facts("Check coolant level and antifreeze protection down to -30 °C.")
    assert [_key(f) for f in facts] == [("-30", "°C", None)]
    facts = _facts("The charge lamp is fed BATTERY F1 80 A ALTERNATOR from fuse F7 (10 A) with the ignition on.")
    assert [_key(f) for f in facts] == [("10", "A", None)]


def test_a_capitalised_note_box_sentence_is_no_diagram_callout():
    # realpages 6131-00 (tune): the note box of a wiring diagram, printed in capitals
    facts = _facts("TIMER OPERATES FOR ABOUT 5\nSECONDS AFTER THE TIMER\nENABLE SIGNAL IS APPLIED.", kind="wiring",
                   file="6131-00.jpg")
    assert [(f.value, f.unit, f.component) for f in facts] == [("5", "s", "TIMER")]
    assert facts[0].needs_review  # a one-word subject names no specific part


def test_a_capitalised_turn_starts_a_sentence_and_is_no_unit():
    # a photo label '36 1 000' (special tool) read into the text line in front of "Turn wheel by hand"
    facts = _facts("Apply Special Tool 36 1 000 on side\nsurface of tire.\n36 1000 Turn wheel by hand and measure max.")
    assert facts == []
    assert [(p.value, p.unit) for p in parse_spec_text("Turn the screw 1 1/2 turns")] == [("1.5", "turn")]


def _diagram_table(*rows, ruled: str = "false"):
    b = table_block([row(*cells) for cells in rows], file="6100-01.jpg")
    return b.model_copy(update={"meta": {"page_kind": "wiring", "ruled": ruled}})


def test_diagram_labels_laid_out_as_a_table():
    # realpages 6100-01 (not annotated), as read: four fuse boxes side by side, and wire labels
    fuses = _diagram_table(("FUSE 28 5 DISTRIBUTION", "1 FUSE 21 OISTRIBUTION", "FUSE 4", "TTT TTT power FUSE 6 1"),
                           ("30 AMP", "7.5 AMP", "! 15 AMP", "7.5 AMP"))
    wires = _diagram_table((".5 VI/GY", "ACTIVE", ".75 VI/GN"), (".75 RD/GN", "CHECK", "JAP"))
    got = [(f.component, f.value, f.unit, f.needs_review) for f in extract_facts([fuses], FactsConfig())]
    assert got == [("FUSE 28", "30", "A", False), ("FUSE 21", "7.5", "A", False), ("FUSE 4", "15", "A", False),
                   ("FUSE 6", "7.5", "A", False)]
    got = sorted((f.value, f.condition) for f in extract_facts([wires], FactsConfig()))
    assert got == [("0.5", "wire colour VI/GY"), ("0.75", "wire colour RD/GN"), ("0.75", "wire colour VI/GN")]


def test_a_ruled_table_of_a_wiring_page_is_no_diagram_table():
    # a troubleshooting table: '0 Volts' under 'Correct Voltage' names no part -> no fact from columns
    t = _diagram_table(("Measure Between", "Correct Voltage"), ("BU & Ground", "0 Volts"), ruled="true")
    assert extract_facts([t], FactsConfig()) == []


def test_a_value_ending_its_line_takes_no_component_from_the_next_entry():
    # Motronic 15-16 (read by eye): '... (+ 15° C...+ 30° C): 1450...3300 Ω' then the next entry
    # 'Motore alla temperatura d'esercizio ... 280...360 Ω'; the first value's sensor is printed above,
    # in words the component grammar does not reach: no component from the next line (missing, not wrong)
    from manualtune.facts.config import FactsConfig
    from manualtune.facts.text import _text_facts
    from manualtune.records import Block, Provenance

    text = "alla temperatura ambiente\n(+ 16° 30° 1450...3300 Ω\nMotore alla temperatura d'esercizio"
    blk = Block(block_id="p/b0", page_id="p", kind="paragraph", order=0, text=text,
                source=Provenance(file="Bosch Motronic ML 3-1/15-16.png", page=1, page_id="p", ocr_confidence=90))
    assert all("Motore" not in f.component for f in _text_facts(blk, FactsConfig()))
    # the bracket holds the test temperature (a condition): the phrase before it names the value
    assert [(f.component, f.condition) for f in _text_facts(blk, FactsConfig())] == [
        ("alla temperatura ambiente", "16...30 °")]


def test_a_bracketed_test_temperature_is_the_condition_of_the_value_after_it():
    # before: the temperature became a fact of its own and both resistances were lost
    facts = _facts("Coolant sensor resistance (20 °C): 2.5 kΩ (80 °C): 0.3 kΩ")
    assert [(_key(f)[:2], f.component, f.condition) for f in facts] == [
        (("2.5", "kΩ"), "Coolant sensor resistance", "20 °C"),
        (("0.3", "kΩ"), "Coolant sensor resistance", "80 °C"),
    ]
    (f,) = _facts("Sensor resistance (at 20 °C) 2.5 kΩ")
    assert (f.value, f.unit, f.component, f.condition) == ("2.5", "kΩ", "Sensor resistance", "at 20 °C")


def test_motronic_ambient_temperature_read_apart_is_one_condition_range():
    # realpages Motronic 15-16 as the layout keeps it: the 'C' of both '°C' too faint to keep
    facts = _facts("Resistenza elettrica interna\nalla temperatura ambiente\n(+ 16° 30° 1450...3300 Ω\n"
                   "Motore alla temperatura d'esercizio\n(c, + 80° 280.,, 360 Ω")
    assert [(_key(f)[:2], f.component, f.condition) for f in facts] == [
        (("1450-3300", "Ω"), "Resistenza elettrica interna alla temperatura ambiente", "16...30 °"),
        (("280-360", "Ω"), "Motore alla temperatura d'esercizio", "80 °"),
    ]


def test_a_temperature_without_another_value_stays_a_fact():
    assert [_key(f)[:2] for f in _facts("The thermostat opens (80 °C)")] == [("80", "°C")]
