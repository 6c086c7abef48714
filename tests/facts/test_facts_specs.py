from facts_fixtures import row, table_block, text_block, torque_11_19_rows

from manualtune.facts.config import FactsConfig
from manualtune.facts.specs import extract_facts, find_variants, parse_spec_text
from manualtune.records import CleanupChange


def _one(text):
    vals = parse_spec_text(text)
    assert len(vals) == 1, [(v.value, v.unit) for v in vals]
    return vals[0]


def test_simple_values_and_units_as_printed():
    v = _one("Tighten to 45 Nm")
    assert (v.value, v.unit, v.quantity) == ("45", "Nm", "torque")
    v = _one("Electrode gap .75 mm")
    assert (v.value, v.unit, v.value_printed) == ("0.75", "mm", ".75")
    v = _one("45Nm")
    assert (v.value, v.unit) == ("45", "Nm")
    v = _one("Charging voltage 14.4 V")
    assert (v.value, v.unit, v.quantity) == ("14.4", "V", "voltage")
    # mm stays mm and Nm stays Nm, whatever the neighbours
    assert [(x.value, x.unit) for x in parse_spec_text("0.25 mm then 25 Nm")] == [("0.25", "mm"), ("25", "Nm")]


def test_ranges_and_tolerances():
    v = _one("0.20 - 0.30 mm")
    assert (v.value, v.value_max, v.unit) == ("0.20", "0.30", "mm")
    v = _one("Conrod bearing play: 0.024 to 0.064 mm (0.0009 to 0.0025\").")
    assert (v.value, v.value_max, v.quantity) == ("0.024", "0.064", "clearance")
    assert v.alt == '(0.0009 to 0.0025")'  # the imperial alternative is text, not a value
    v = _one('"T" Exhaust valve 32 – 0.1 mm')
    assert (v.value, v.tolerance) == ("32", "-0.1")
    v = _one("Valve head 37 ±4 mm")
    assert (v.value, v.tolerance) == ("37", "±4")
    v = _one("875 gr. +/- 25 gr. (1.93 +/- 0.05 lbs)")
    assert (v.value, v.tolerance, v.unit) == ("875", "±25", "g")


def test_imperial_alternative_is_not_a_fact():
    vals = parse_spec_text("Step 1 10 Nm (7 ft. lbs.)")
    assert [(v.value, v.unit) for v in vals] == [("10", "Nm")]
    assert vals[0].alt == "(7 ft. lbs.)"
    assert [(v.value, v.unit) for v in parse_spec_text("2 to 5 bar (28 to 71 psi)")] == [("2", "bar")]


def test_torque_angle_stages():
    vals = parse_spec_text("Step 1 10 Nm / Step 2 30 Nm / Step 3 60 + 2° torque angle")
    assert [(v.value, v.unit, v.stage) for v in vals] == [("10", "Nm", 1), ("30", "Nm", 2), ("60", "°", 3)]
    assert vals[2].tolerance == "+2" and vals[2].quantity == "angle"
    assert [(s.stage, s.value, s.unit, s.kind) for s in vals[0].stages] == [
        (1, "10", "Nm", "torque"), (2, "30", "Nm", "torque"), (3, "60", "°", "angle")]
    vals = parse_spec_text("30 Nm + 90°")
    assert [(v.value, v.unit) for v in vals] == [("30", "Nm"), ("90", "°")]
    assert [s.kind for s in vals[1].stages] == ["torque", "angle"]


def test_wire_labels_and_conditions():
    v = _one("2.5 GN")
    assert (v.value, v.unit, v.quantity) == ("2.5", "", "wire")
    vals = parse_spec_text("Do not exceed 4000 rpm below 50 °C")
    assert [(v.value, v.role) for v in vals] == [("4000", "spec"), ("50", "condition")]


def test_numbers_without_units_or_with_ocr_letters():
    assert parse_spec_text("M10 screw, class 10.9, part 0120469804") == []
    assert parse_spec_text("17,184 cars") == []
    v = _one("l0 Nm")  # read as printed: a fact only with a review flag
    assert (v.value, v.suspect) == ("10", "l0")


def test_table_rows_torque_11_19():
    facts = extract_facts([table_block(torque_11_19_rows())], FactsConfig(derive_conversions=False))
    got = [(f.component, f.variant, f.value, f.unit, f.condition) for f in facts]
    assert got[0] == ("Connecting rod bolts", "S14", "55", "Nm", "S14; Replace, wash and oil conrod bolts")
    # sub-rows inherit the component; the variant comes from the variant row above them
    assert [(c, v, val, u) for c, v, val, u, _ in got[1:]] == [
        ("Connecting rod bolts", "S38", "5", "Nm"), ("Connecting rod bolts", "S38", "30", "Nm"),
        ("Connecting rod bolts", "S38", "60", "°"), ("Connecting rod bolts", "S50", "5", "Nm"),
        ("Connecting rod bolts", "S50", "20", "Nm"), ("Connecting rod bolts", "S50", "65", "°"),
    ]
    assert "Application torque" in facts[1].condition and "Torque angle" in facts[3].condition
    assert facts[3].quantity == "angle" and facts[0].quantity == "torque"
    assert {f.section for f in facts} == {"11 24 Connecting Rods and Bearings"}
    assert len({f.fact_id for f in facts}) == 7


def test_section_comes_from_the_row_not_page_order():
    # rows of two sections interleaved (e.g. a continued table): each keeps its own section
    a, b = "11 24 Connecting Rods and Bearings", "11 11 Crankcase"
    rows = [
        row("Main bearing screws", "M10", "60", "Nm", section=b),
        row("Connecting rod bolts", "S14", "55", "Nm", section=a),
        row("Torque", "", "20", "Nm", section=b),
    ]
    facts = extract_facts([table_block(rows, section="99 99 Wrong")], FactsConfig(derive_conversions=False))
    assert [(f.component, f.section, f.value) for f in facts] == [
        ("Main bearing screws", b, "60"), ("Connecting rod bolts", a, "55")]
    # "Torque" under section b does not inherit "Connecting rod bolts" from section a


def test_unit_column_is_taken_as_printed():
    rows = [row("Piston clearance", "", "0.25", "mm"), row("Cover bolts", "", "10", "Nm (ft. lbs.)")]
    facts = extract_facts([table_block(rows)], FactsConfig())
    assert [(f.value, f.unit, f.quantity) for f in facts] == [("0.25", "mm", "clearance"), ("10", "Nm", "torque")]
    assert facts[1].unit_printed == "Nm (ft. lbs.)"


def test_text_block_facts_component_and_dedup():
    blk = text_block("Tighten conrod bolts to 45 Nm. Tighten conrod bolts to 45 Nm.")
    facts = extract_facts([blk], FactsConfig())
    assert [(f.component, f.value, f.unit) for f in facts] == [("conrod bolts", "45", "Nm")]
    blk = text_block("Conrod bolt tightening torque: Step1 10. Nm (7 ft. lbs.) Step2 30. Nm (22 ft. lbs.) "
                     "Step3 60 + 2° torque angle", order=1)
    facts = extract_facts([blk], FactsConfig())
    assert [(f.value, f.unit, f.condition) for f in facts] == [
        ("10", "Nm", "step 1"), ("30", "Nm", "step 2"), ("60", "°", "step 3 torque angle")]
    assert {f.component for f in facts} == {"Conrod bolt tightening torque"}


def test_variants_configurable_and_derived_conversions():
    assert find_variants("E30 M3 and 320is, $38 engine", FactsConfig().variants) == ["M3", "320is", "S38"]
    assert find_variants("M3", ["320is"]) == []
    facts = extract_facts([text_block("Fuel pressure 3.0 bar")], FactsConfig())
    derived = [f for f in facts if f.derived]
    assert len(facts) == 2 and derived[0].value == "300" and derived[0].unit == "kPa"
    assert derived[0].derived_from == facts[0].fact_id


def test_unverified_cleanup_edit_flags_the_fact():
    blk = text_block("Tighten bolts to l0 Nm")
    facts = extract_facts([blk], FactsConfig())
    assert facts[0].needs_review and "l0" in facts[0].review_reason
    blk = text_block("Tighten bolts to 18 Nm")
    audit = [CleanupChange(page_id=blk.page_id, bbox=None, before="18", after="16", rule="second_opinion_disagree",
                           changes_value=True, evidence=None)]
    assert extract_facts([blk], FactsConfig())[0].needs_review is False
    assert extract_facts([blk], FactsConfig(), audit=audit)[0].needs_review is True


def test_an_ohm_sign_read_by_one_engine_flags_only_the_value_it_follows():
    # Motronic 15-16: '1450...3300 2' -> 'Ω' (rapidocr alone reads the sign); '1...15 Ω' beside it was
    # read by three models (second_opinion_consensus) and stays trusted
    blk = text_block("Resistenza del primario: c. 1...15 Ω Resistenza del secondario: 0,8 Ω")
    audit = [CleanupChange(page_id=blk.page_id, bbox=None, before="0,8 2", after="0,8 Ω", rule="ohm_glyph_word",
                           changes_value=True, evidence="rapidocr='Ω'; a page about a resistance")]
    got = {f.value: f.needs_review for f in extract_facts([blk], FactsConfig(), audit=audit)}
    assert got == {"1": False, "0.8": True}
    assert all(not f.needs_review for f in extract_facts([blk], FactsConfig()))


def test_bad_blocks_never_raise():
    assert extract_facts([text_block(""), table_block([])], FactsConfig()) == []


def test_a_value_between_step_1_and_step_3_whose_label_was_lost_needs_review():
    # realpages 11-61a (read by eye: 'Step 1 10 Nm / Step 2 30 Nm / Step 3 60°'), the OCR lost 'Step 2'
    from manualtune.facts.values import parse_spec_text

    got = {p.value: (p.condition, p.review) for p in parse_spec_text(
        "Tightening Torque of Conrod Bolts: Step1 10 Nm (7 ft. Ibs.) 30 Nm (22 ft. Ibs.) Step 3 60° + 2° torque angle")
        if p.role == "spec"}
    assert got["10"][0] == "step 1" and got["60"][0] == "step 3"
    assert got["30"][1] and "stage label was not read" in got["30"][1]
