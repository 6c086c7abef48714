"""Every row of every facts rule table, on printed examples: what it must find and what it must not."""

from __future__ import annotations

import pytest

from manualtune.facts import (
    components,
    glued,
    glyphs,
    grammar,
    nominal,
    sources,
    tables,
    text,
    values,
    variants,
    wiring,
)

MODULES = (grammar, glyphs, wiring, values, components, glued, tables, text, sources, nominal, variants)

#: (module, rule) -> (texts the pattern must find, texts it must not find), searched with ``re.search``
CASES: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    ("grammar", "number"): (["45", "0.25", "1,5", ".75", "1 and 1/2"], ["abc", "-"]),
    ("grammar", "number_guard"): (["to 45 Nm", "(30", "2.0 / 2.3", "35°/60"], ["M10", "#11", "x1", ",5", "_/30", " /30", "cm 3"]),
    ("grammar", "unit"): (["45 Nm", "0.25 mm", "3 bar", "80 °C", "2 turns", "2 TURNS"],
                          ["45 apples", "3 barrels", "4 HP-22", "1000 Turn wheel", "900 cm 3 "]),
    ("grammar", "clearance_words"): (["valve clearance", "axial play", "end float", "backlash"], ["bolt torque"]),
    ("grammar", "sentence_break"): (["Remove it. Then", "bolts; nuts"], ["approx.5", "one.two"]),
    ("grammar", "abbreviation"): (["approx.", "max.", "No.", "Fig."], ["bolts.", "approx"]),
    ("glyphs", "suspect_number"): (["l0 Nm", "O.25 mm", "7O Nm", "1,O mm"], ["10 apples", "bolt Nm"]),
    ("glyphs", "glyph_before_number"): (["$1 Nm", "to S5 Nm", "§0.5 mm"], ["51 Nm", "S14 engine", "M10 Nm", "ES5 Nm"]),
    ("glyphs", "ohm_as_q"): (["2.5 Q", "5 kQ"], ["2.5 Ω", "Q5", "2.5 QA"]),
    ("glyphs", "resistance_context"): (["coil resistance", "ohms", "temperature sensor"], ["torque"]),
    ("glyphs", "litre_as_bar"): (["4.5 | of oil", "4.5 |"], ["4.5|", "| 4.5"]),
    ("glyphs", "volume_context"): (["oil capacity", "coolant", "fill the tank"], ["bolt torque"]),
    ("glyphs", "angle_label"): (["Torque angle", "Drehwinkel winkel"], ["Tightening torque", "angled"]),
    ("glyphs", "unit_glyph_word"): (["¥", "¥."], ["V", "¥5", "10 ¥", "Y"]),
    ("glyphs", "ohm_lookalike"): (["2", "N", "R", "Q.", "a"], ["22", "Nm", "V", "2,5"]),
    ("nominal", "unit_glyph_left"): (["10...15 ¥", "4,5 ¥ e"], ["10...15 V", "¥ 10", "15¥", "10 ¥5"]),
    ("glyphs", "volume_words"): (["Displacement", "Capacity", "Volume"], ["Bore", "Stroke"]),
    ("glyphs", "cm_lost_superscript"): (["1991 cm?", "1991cm*"], ["1991 cm", "cm? 1991"]),
    ("wiring", "wire_label"): ([".75 GN/WT", "2.5 BK", "1.5 RD/YL"], ["2.5 mm", "GN/WT", "M10 BK"]),
    ("wiring", "wire_header"): (["Wire", "Cable colour", "lead"], ["From", "wiring"]),
    ("wiring", "fuse_name"): (["FUSE 28 5 DISTRIBUTION", "Fuse 7"], ["FUSED", "FUSE DETAILS", "FUSE 123"]),
    ("wiring", "wire_cell"): ([" 2.5 GN ", ".75 BK/RD"], ["2.5 GN to fuse", "fuse F7"]),
    ("values", "value"): (["45 Nm", "0.20 - 0.30 mm", "Step 1 10 Nm", "60 ± 2°"], ["no number", "M"]),
    ("values", "at_after_spec"): (["95 kW (129 hp) at", "141 kW at "], ["at 95 kW", "95 kW and"]),
    ("values", "condition_words"): (["below", "temperatures above "], ["belowground 5"]),
    ("values", "list_separator"): ([" or ", " / ", " x ", ","], ["and more", " to "]),
    ("values", "product_number"): (["Loctite No. 270", "Loctite 270", "Three Bond 1209"], ["Lock nut 27 Nm"]),
    ("values", "number_sign"): (["BMW # 11 23", "Part No. 12", "No. 2"], ["Nozzle 2"]),
    ("values", "bmw_part_number"): (["BMW # 11 23 1 709 638"], ["11 23 100", "45 Nm"]),
    ("values", "special_tool_number"): (["Special Tool 11 2 160", "use 00 9 120"], ["11 22 100", "0.11 2 160"]),
    ("values", "figure_code"): (["30 23 220", "11 12 100"], ["11 2 160", "1.30 23 220"]),
    ("values", "standard_part"): (["N 600 02.0", "N600020"], ["Nm 600", "NA 600 02"]),
    ("values", "standard_number"): (["DIN 912", "SAE J1703", "ISO 4762"], ["DINGO 9", "SAE 10W"]),
    ("values", "inch_mark"): (['0.0035"', "0 to 0.0035\"", "0.394''"], ["0.394 in", '"quoted"']),
    ("values", "rise_to_zero"): (["the resistance should rise immediately to ", "increases to approx. "],
                                 ["drop again to ", "rise. Set to "]),
    ("values", "stage_separator"): ([", then ", " and a further ", " + "], [" bolts "]),
    ("values", "loosen_separator"): ([", unfasten half a turn, tighten to ", ", loosen and tighten again "],
                                     [", then ", ", loosen 2 turns, tighten "]),
    ("components", "stop_lead"): (["tighten the ", "Then torque "], ["conrod bolts"]),
    ("components", "stop_tail"): (["bolts to", "gap is", "clearance approx.", "wheel with a torque of",
                                   "CONTROL ROTATED BY MORE THAN"], ["bolts", "torque wheel"]),
    ("components", "item_code"): (["1AZ Connecting rod", " 12B bolts", "3AZ_ Wire", "SAZ Wiper", "1AZ_— Holder"],
                                  ["Connecting rod", "12 bolts", "SAZE"]),
    ("components", "instruction"): (["bolts Replace, wash", "nut Do not reuse", "body: Tighten according",
                                     "screw do not install with"], ["Replacement nut", "bolts", "replaced"]),
    ("components", "callout"): (["bolt (1) to", "inner race (7} to", "gap (A)"], ["(tighten nuts)", "(150 Nm)", "(AB)"]),
    ("components", "manner_clause"): (["carefully until they fit tight", "so that it", "until tight"],
                                      ["untiled", "care of"]),
    ("components", "and_instruction"): (["Unscrew nut and turn tensioning wheel", "then tighten bolts"],
                                        ["turn tensioning wheel", "nut and bolt"]),
    ("components", "lead_words"): (["After warm-up", "when hot ", "recognized on piston rod"], ["Cylinder head", "recognized"]),
    ("components", "tighten_object"): (["Tighten the sprocket bolt to", "tightening all nuts evenly"],
                                       ["Loosen the bolt to"]),
    ("components", "measure_only"): (["total testing time", "warm-up time", "component temperature", "max. test pressure"],
                                     ["brake disc", "oil pressure switch"]),
    ("components", "leading_number"): (["2 alla temperotura", "12 volts"], ["M8 bolt", "3HP-22 oil", "2nd gear", "20 Nm"]),
    ("components", "weak_tail"): (["pump on", "pressure max.", "gap at least"], ["pump"]),
    ("components", "verb_only"): (["has", "reads"], ["hose", "reader"]),
    ("components", "possessive_lead"): (["its coil", "the bolts", "new nuts"], ["coil its"]),
    ("components", "article_lead"): (["the bolts", "new nuts"], ["its coil"]),
    ("components", "manner_tail"): (["bolts in stages", "nuts evenly", "bolts in the specified sequence"],
                                    ["bolts"]),
    ("components", "finite_verb"): ([" pump runs", " pressure reaches", " it must", " TIMER OPERATES"],
                                    ["pump run", "pressure", "operated"]),
    ("components", "determiner"): (["the pump", "a bolt"], ["thermostat", "atlas"]),
    ("components", "bracket_instruction"): ([" (tighten nuts crosswise)", " (use Loctite No. 638)"],
                                           [" (cover)", " (rubber mount)"]),
    ("components", "section_code_lead"): (["11 22 flywheel", "11 12 100 Cylinder head"], ["1122flywheel", "M10 bolt"]),
    ("components", "imperative_fragment"): (["press on firmly", "add grease", "Fill up", "Turn", "Turn counterclockwise", "Coat mating surfaces with sealant", "Punch mark centers, drill"],
                                            ["pressure plate", "fill plug", "Turn signal", "Drill bit", "Press fit bushing"]),
    ("components", "number_debris_lead"): (['0.025"} Exhaust valve', "0.047 + 0.004} Exhaust", "11 Exhaust valve"],
                                           ["4 cylinder engine", "M8 thread", "Exhaust valve"]),
    ("components", "type_word"): (["E36", "touring", "M6", "M10 x 1.5", "S38B36"], ["cover", "bolts"]),
    ("components", "debris"): (["heat bal! bearing", "0.004} valve", "$ bolt"], ["ball bearing", "cover (new)"]),
    ("components", "check_object"): (["Check the belt deflection midway", "measure the gap between"],
                                     ["Replace the belt midway"]),
    ("components", "shared_object"): (["Push in return springs and turn",
                                       "Switch on one brake test stand cyl- Inder and let It run about",
                                       "Remove retainers by turning clockwise and anticlockwise"],
                                      ["Unscrew nut and turn tensioning wheel", "Push in return springs",
                                       "Remove bolt and turn"]),
    ("components", "of_phrase"): (["of", "OF", "for"], ["offset", "forward"]),
    ("components", "case_break"): (["driven Warm-up time", "angle Conrod bearing"],
                                   ["Balancing Is performed", "TIMER OPERATES", "Tightening Torque", "cyl- Inder"]),
    ("components", "joining_word"): (["of", "with", "the"], ["driven", "angle"]),
    ("components", "limit_verb"): (["transfer box must not exceed", "speed should not exceed "],
                                   ["must exceed", "not exceed", "exceeds"]),
    ("components", "inner_clause"): (["Inert gas spot welding or, when not accessible",
                                      "flange correctly, increase the inflation pressure"],
                                     ["bolts, nuts", "when not accessible", "upper, lower control arm",
                                      "bolt, set screw", "horn, turn signal"]),
    ("components", "change_verb_lead"): (["Increase the pressure", "inflate"], ["increased pressure", "tire pressure", "Lower control arm", "Raised edge"]),
    ("components", "not_object"): (["FOR", "about", "least", "switched", "driven"], ["coolant", "level"]),
    ("components", "heading_word"): (["Installation Tightening torque", "Installation", "Basic adjustments should"],
                                     ["valve adjuster", "installed"]),
    ("components", "shim_object"): (["Determine thickness of drive pinion shim.", "select the thickness of shim;"],
                                    ["Determine thickness of drive pinion.", "Install old shim and circlip."]),
    ("components", "relative_clause"): (["size that mating surface overlaps", "bolts which hold"],
                                        ["so thatched", "whichever"]),
    ("components", "no_qualifier"): (["Check", "the", "and", "permissible"], []),
    ("components", "overlap_by"): (["that mating surface overlaps by distance A = ", "The bolt protrudes by "],
                                   ["overlaps by 5", "mating surface overlaps"]),
    ("components", "dangling_tail"): (["switched off with a flap opening of <", "a length of more than",
                                       "adhesive tape or make a chalk mark, both", "with mounting paste again and inflate",
                                       "Control lamp after exceeding", "/0.020\u201d and"],
                                      ["flap opening", "Control lamp", "spring pressure"]),
    ("components", "clause_lead"): (["than the side panel at front", "During the first 1,000 km", "avoid temperature", "not accessible"],
                                    ["thank", "side panel", "temperature sensor"]),
    ("components", "participle_clause"): (["performed with engine power In fourth gear",
                                           "Balancing performed with engine power",
                                           "switched off with a flap opening", "Tested immediately after warm-up"],
                                          ["heated oxygen sensor", "threaded bolt", "Red lamp with"]),
    ("components", "bare_verb_clause"): (["piston rods run out at room temperature", "the pumps run at"],
                                         ["piston rods", "test run at", "pump runs at"]),
    ("components", "threshold_tail"): (["Holes from a size", "cracks above a length"],
                                       ["Holes from a size chart", "size"]),
    ("components", "broken_word"): (["cyl- Inder", "test stand cyl- inder"], ["cyl-inder", "oil - water", "M- 8"]),
    ("tables", "sublabel"): (["Tightening torque", "Step 2", "Torque angle 90", "max."], ["Cylinder head"]),
    ("tables", "engine_code"): (["S14", "M20/M30 US", "CR25T"], ["Cylinder head", "M8"]),
    ("tables", "garbled_screw"): (["All; Ms", "MS", "MB"], ["M8", "MSR", "Msg", "AMS"]),
    ("tables", "label_line"): (["2AZ Full flow oil filter", "Screwed-on cover"], ["(Tightening torque by hand", "22 Nm"]),
    ("tables", "screw"): (["M8", "M10 x 1.25"], ["M8 bolts", "8 mm"]),
    ("tables", "terminal"): (["Kl. D+", "KI. D+", "B+", "Kl. 30", "31b"], ["Ki. Be", "Pulley", "All others"]),
    ("tables", "glued_grade"): (["M1488", "M14109", "M14x1.5129"], ["M14 8.8", "M14", "M1477"]),
    ("sources", "section_code"): (["11 42 Oil Filter and Pipes", "1142 Oil"], ["Oil Filter 11 42", "114 2"]),
    ("sources", "screw_size"): (["All M8 22 Nm", "M20 x 1.5", "M10x1.25"], ["All 25 Nm", "AM8", "Ms"]),
    ("nominal", "header_caption"): (["|Valord nominald maggiore", "Valori nominali", "Prova del componente/funzione ~ "
                                     "istruzioni/condizioni di prova Tensione"], ["maggiore di 4,5 V", "Tensione"]),
    ("nominal", "prefix_before_ohm"): (["0,4...2,8k Ω", "2,8M Ω"], ["2,8 kΩ", "2,8k V", "k Ω"]),
    ("nominal", "ocr_range_dots"): (["10,,,15", "200,.,300", "8...15", "200,,,:300"], ["4,5", "10, 15", "1.5"]),
    ("nominal", "comparison_word"): (["maggiore di ", "minore di ", "max. ", "greater than ", "> "],
                                     ["maggiore", "maximum load "]),
    ("nominal", "value_remark"): (["(il LED si accende)", "Forma segnale"], ["_.", "(1", "- 5"]),
    ("nominal", "ruling_remnant"): ([" I", " |", "", " l ]"], [" II V", " 1", " (Cat)"]),
    ("nominal", "named_quantity_angle"): (["Angolo d'accensione", "Zündwinkel", "ignition angle"],
                                          ["angolare", "triangle", "Rngolo"]),
    ("nominal", "named_quantity_speed"): (["Regime del minimo", "a 2000 giri/min", "Leerlaufdrehzahl", "idle speed"],
                                          ["regimen", "speedometer"]),
    ("nominal", "named_quantity_voltage"): (["Tensione di collegamento", "supply voltage", "Spannung"], ["tensionatore"]),
    ("nominal", "named_quantity_resistance"): (["Resistenza elettrica interna", "resistenze", "coil resistance", "Widerstand"],
                                               ["resistant"]),
    ("nominal", "named_quantity_pressure"): (["Pressione carburante", "fuel pressure", "Kraftstoffdruck"], ["pressed"]),
    ("nominal", "named_quantity_temperature"): (["temperatura ambiente", "temperature", "Temperatur"], ["temperato"]),
    ("nominal", "named_quantity_current"): (["Corrente assorbita", "current draw", "Strom"], ["correntemente", "Stromlauf"]),
    ("nominal", "value_cell"): (["10...15 V", "maggiore di 4,5 V", "200 mV"], ["Figura in alto", "10...15 ¥"]),
    ("nominal", "description_end"): (["Relé principale. Alimentazione", "(mors. 50) Disinnestare", "aria, Inserire"],
                                     ["Relé pompa", "mors. 50"]),
    ("text", "scale_line"): (["35 40 45 Wheel speed in rpm"], ["35 40 45", "Wheel speed in rpm"]),
    ("text", "qualifier_word"): (["power at", "idle @ "], ["atlas", "that"]),
    ("text", "temperature_condition"): (["ambiente (+ ", "d'esercizio (c, + ", "interna a +", "Widerstand bei ", "(+ 16° "],
                                        ["Thermostat opens ", "tra mors. ", "(see page 12) "]),
    ("text", "tool_before"): (["angle gauge ", "Part No. ", "special tool"], ["bolt "]),
    ("glued", "glued_words"): (["Allothers", "Kl. D+; Allothers; M6", "thefollowing"],
                                    ["M6", "GN/WS", "Kl. D+", "self-locking", "Allot", "M26x1.5", "12 31"]),
    ("text", "bare_number_before"): (["1.2 | ", "30 ] "], ["bolts 30 "]),
    ("text", "caps_label_before"): (["BATTERY F1 ", "ALTERNATOR "], ["Battery ", "TIMER OPERATES FOR ABOUT "]),
    ("text", "caps_label_after"): ([" ALTERNATOR"], [" alternator", "ALTERNATOR"]),
    ("text", "alt_of_unread"): (["40 to 50 kilometers (", "towed 50 klm ("], ["bolts (", "M10 bolts (", "45 Nm"]),
    ("text", "limit_before"): (["= max. ", "at least ", "not more than ", "Minimum ", "box must not exceed "], ["5 min", "maximal ", "max"]),
    ("text", "list_number"): (["13.", "2."], ["13", "a."]),
    ("text", "negative_before"): (["-", "temp (-"], ["3-", "a-"]),
    ("text", "instruction_start"): (["Measure the voltage", "Check the gap", "- Run the engine"],
                                    ["Voltage is measured"]),
    ("glyphs", "range_mark_read"): (["2,8.,.3,2 bar", "1450,..3300", "10.,,15", "280.,, 360"], ["2,8...3,2", "2,8,,,3", "0,8 mm", "12.,5", "2.,3"]),
    ("components", "condition_head"): (["Contenuto CO: ", "misce. Idle CO: "], ["Contenuto CO", ": ", "a. 12: "]),
    ("components", "condition_lead"): (["senza catalizzatore", "with a/c", "without abs"], ["withdrawal lever", "cone", "console"]),
    ("glyphs", "prefix_apart"): (["2,8 k Ω", "2,8k Ω"], ["a k Ω", "2,8 kΩ", "k Ω"]),
    ("values", "signed_range"): (["-", "angle -", "(–"], ["3-", "a-", "-5"]),
    ("values", "split_range_mark"): (["...+ ", ".., ", " . . ", "…"], [", ", ". ", ",,", "-"]),
    ("variants", "garbled_code"): (["ES2", "ESt", "E3l", "ms", "MB"], ["E32", "E31RL", "E31LL", "M52", "M8", "S3HP-22"]),
}


def _rows() -> list[tuple[str, str, object]]:
    return [(m.__name__.rsplit(".", 1)[-1], name, rx) for m in MODULES for name, rx, _purpose in m.RULES]


@pytest.mark.parametrize(("module", "name", "rx"), _rows(), ids=[f"{m}.{n}" for m, n, _ in _rows()])
def test_rule_row(module: str, name: str, rx) -> None:
    hits, misses = CASES[(module, name)]
    for t in hits:
        assert rx.search(t), f"{module}.{name} should find {t!r}"
    for t in misses:
        assert not rx.search(t), f"{module}.{name} should not find {t!r}"


def test_every_row_has_cases_and_a_purpose() -> None:
    rows = {(m, n) for m, n, _ in _rows()}
    assert rows == set(CASES)
    for m in MODULES:
        names = [n for n, _, _ in m.RULES]
        assert len(names) == len(set(names))
        assert all(purpose for _, _, purpose in m.RULES)
        for name in names:
            assert f"``{name}``" in (m.__doc__ or ""), f"{m.__name__} docstring does not list {name}"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Step 3 60° + 2° torque angle", [("60", "°", "+2", 3)]),
        ("Stage 1: 10 Nm, Stage 2: 30 Nm, Stage 3: 60° + 2° torque angle",
         [("10", "Nm", None, 1), ("30", "Nm", None, 2), ("60", "°", "+2", 3)]),
        ("30 Nm + 90°", [("30", "Nm", None, 1), ("90", "°", None, 2)]),
        ("90° + 90°", [("90", "°", None, 1), ("90", "°", None, 2)]),
    ],
)
def test_small_angle_after_plus_is_a_tolerance_not_a_stage(text, want):
    from manualtune.facts.values import parse_spec_text

    assert [(pv.value, pv.unit, pv.tolerance, pv.stage) for pv in parse_spec_text(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("automatic transmission 4 HP 22", []),
        ("4 HP 22 transmission oil drain plug 80 Nm", [("80", "Nm")]),
        ("power 100 HP", [("100", "hp")]),
        ("output 195 PS at 6750 rpm", [("195", "PS"), ("6750", "rpm")]),
    ],
)
def test_gearbox_type_codes_are_not_power(text, want):
    from manualtune.facts.values import parse_spec_text

    assert [(pv.value, pv.unit) for pv in parse_spec_text(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # realpages Motronic 15-16 (not annotated), as read: one ambient-temperature range, not 16° + 30 °C
        ("Resistenza elettrica interna o +16°...+30°C tra mors", [("16", "30", "°C")]),
        ("200 ... 230° C", [("200", "230", "°C")]),
        ("(35°/60°)", [("35", None, "°"), ("60", None, "°")]),
    ],
)
def test_a_degree_sign_after_the_first_end_of_a_temperature_range(text, want):
    assert [(p.value, p.value_max, p.unit) for p in values.parse_spec_text(text)] == want
