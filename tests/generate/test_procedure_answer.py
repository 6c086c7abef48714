"""procedure_answer on steps as read from the realpages scan 18-07 / 31-02: footnotes after the
steps, warnings a step prints kept in that step only, scan debris repaired, index pages skipped."""

from __future__ import annotations

from manualtune.generate import GenerateConfig, GenerationStats
from manualtune.generate.common import _Pages
from manualtune.generate.debris import Speller
from manualtune.generate.procedure import procedure_answer, procedure_examples
from manualtune.records import Procedure, ProcedureStep, Provenance

SRC = Provenance(file="18 - Exhaust System/18-07.jpg", page=1, page_id="18-07")


def _proc(title: str, steps: list[str], warnings: list[str] = ()) -> Procedure:
    return Procedure(procedure_id="p1", title=title, repair_code="18 32 005", source=SRC, warnings=list(warnings),
                     steps=[ProcedureStep(text=t, source=SRC) for t in steps])


def test_footnotes_written_at_their_mark_and_warnings_are_not_repeated():
    proc = _proc("REMOVING AND INSTALLING OR REPLACING CATALYTIC CONVERTER", [
        "Unscrew exhaust pipes on manifold. Installation: Tightening torque*.",
        "* See Specifications ** Source of Supply: HWB",
        "Draw off hydraulic fluid in tank. Important! Never reuse drained hydraulic fluid.",
        "* See Specifications",
    ], warnings=["Important! Never reuse drained hydraulic fluid."])
    answer = procedure_answer(proc, _Pages([], GenerateConfig()))
    assert answer.splitlines() == [
        "1. Unscrew exhaust pipes on manifold. Installation: Tightening torque (see Specifications).",
        "2. Draw off hydraulic fluid in tank. Important! Never reuse drained hydraulic fluid.",
        "(18 - Exhaust System/18-07.jpg p. 1)",
    ]


def test_a_step_warning_the_step_prints_with_a_footnote_mark_is_not_repeated():
    # 21-01 as read: the warning's 'Tightening torque*.' resolved like the step's, so the two are the same text
    text = ("Remove position sender (1). Unscrew clutch housing. important! — Installation: Torx bolts must be "
            "installed with washers to avoid an increase in breaking-loose torque. Tightening torque*.")
    warning = ("important! — Installation: Torx bolts must be installed with washers to avoid an increase in "
               "breaking-loose torque. Tightening torque*.")
    own = "Only tighten nuts on flange end."
    proc = Procedure(procedure_id="p1", title="REMOVING AND INSTALLING CLUTCH HOUSING", repair_code="21 00 000",
                     source=SRC, steps=[ProcedureStep(text=text, source=SRC, warnings=[warning]),
                                        ProcedureStep(text="Unscrew nuts.", source=SRC, warnings=[own]),
                                        ProcedureStep(text="* See Specifications", source=SRC)])
    lines = procedure_answer(proc, _Pages([], GenerateConfig())).splitlines()
    assert lines[0].endswith("Tightening torque (see Specifications).") and lines[1] == "2. Unscrew nuts."
    assert lines[2] == "WARNING: Only tighten nuts on flange end."  # a warning the step does not print stays
    assert sum("Torx bolts must be installed" in ln for ln in lines) == 1


def test_debris_repaired_from_the_vocabulary_and_title_words_lowered():
    speller = Speller(["oil " * 20 + "seal " * 10])
    proc = _proc("REPLACING RADIAL OIL SEAL FOR SELECTOR SHAFT", ["Lift out radial oil sea! (3).",
                                                                 "Lubricate sealing lips of radial oi! seal with oil."])
    exs = procedure_examples([proc], _Pages([], GenerateConfig()), GenerateConfig(), GenerationStats(), speller)
    assert exs[0].question == "What is the procedure for replacing radial oil seal for selector shaft?"
    assert "1. Lift out radial oil seal (3).\n2. Lubricate sealing lips of radial oil seal with oil." in exs[0].answer


def test_contents_page_read_as_a_procedure_is_skipped():
    stats = GenerationStats()
    proc = _proc("Shift lever — remove and install — Sheet metal shift console", [
        "003 Shift lever — disassemble and assemble — Sheet metal shift console ... 081 Shift lever dust cover — "
        "replace . Shift rod joint — replace — Aluminum shift console 211 Shift lever console -- replace — Sheet",
        "SHIFT LAYOUT DRAWING — AUTOMATIC TRANSMISSION — Version with cable .......",
    ])
    assert procedure_examples([proc], _Pages([], GenerateConfig()), GenerateConfig(), stats) == []
    assert stats.as_dict()["PROCEDURE"]["skipped:index_lines"] == 1


def test_contents_lines_with_page_references_are_skipped():
    # 16 - Fuel Tank and Lines/16-00-index-a.jpg read as a procedure
    stats = GenerationStats()
    proc = _proc("Fuel intake (with integrated transfer pump) — remove and install models) -8", [
        "Fuel level sender and intank pump — remove and install/disassemble (since 1988 models) . 16-9 Fuel return "
        "pipe — since 1988 models . 16-10 010 Carbon canister — remove and install or replace . 16-11"])
    assert procedure_examples([proc], _Pages([], GenerateConfig()), GenerateConfig(), stats) == []


def test_contents_page_without_dot_leaders_is_skipped():
    # 16-00-index-a.jpg after the OCR paints dot leaders out: page references stay, the title is an entry
    stats = GenerationStats()
    proc = _proc("Fuel intake (with integrated transfer pump) — remove and install", [
        "(before 1988 models) 16- 8 Fuel level sender and intank pump — remove and install/disassemble (since 1988 "
        "models) 16- 9 Fuel return pipe — since 1988 models 16-10 010 Carbon canister 16-11"])
    assert procedure_examples([proc], _Pages([], GenerateConfig()), GenerateConfig(), stats) == []
    kept = _proc("REMOVING AND INSTALLING FRONT AXLE ASSEMBLY", [
        "Only Cars with SRS: Remove steering wheel — see Group 32. Remove front wheels — see 36 10 300.",
        "Unscrew holders — see 31 12 000 and 32 21 050. Installation: Tightening torque*."])
    assert len(procedure_examples([kept], _Pages([], GenerateConfig()), GenerateConfig(), stats)) == 3


def _answer(steps: list[str], speller: Speller | None = None, stats: GenerationStats | None = None) -> list[str]:
    proc = _proc("REMOVING AND INSTALLING TRAY", steps)
    return procedure_answer(proc, _Pages([], GenerateConfig()), speller, stats).splitlines()[:-1]


def test_sub_headings_kept_as_labels():
    # 12-46 'Installation Mount regulator', 33-01 'installation:', 26-03 'Installation:' left at a step end
    assert _answer([
        "Unscrew bolts (1) and take off regulator (2) carefully.",
        "Installation Mount regulator at first with one bolt screwed in finger tight.",
        "Unscrew bolts at top. installation: First locate final drive with the top bolts.",
        "Unscrew threaded sleeve several turns with Special Tool 26 1 040. Installation:",
        "Tighten threaded sleeve with Special Tool 26 1 040 after finishing installation.",
        "Automatic Transmission:",
        "Lift out plate.",
        "Removal:",
    ]) == [
        "1. Unscrew bolts (1) and take off regulator (2) carefully.",
        "2. Installation: Mount regulator at first with one bolt screwed in finger tight.",
        "3. Unscrew bolts at top. Installation: First locate final drive with the top bolts.",
        "4. Unscrew threaded sleeve several turns with Special Tool 26 1 040.",
        "5. Installation: Tighten threaded sleeve with Special Tool 26 1 040 after finishing installation.",
        "Automatic Transmission:",
        "6. Lift out plate.",
    ]


def test_footnote_marks_written_in_place_and_unknown_marks_dropped():
    assert _answer([
        "Check height of release B* and C*.",
        "Coat threads with copper paste CRC**. Tightening torque*.",
        "Max. imbalance per wheel and side***.",
        "Check engine idle speed” and idle speed CO level”.",  # 13-622: stars read as quotes
        "Ideal lid settings: ‘adjusted deeper” than the side panel.",  # 41-501: a quote
        "Installation: Lubricate bearing surfaces with grease’. Don’t bend.",  # 35-05: a star read as ’
        "Fill “tester for gaskets”*** and carry out test.",  # 17-03: a mark after a quote, no footnote
        "* See Specifications ** Source of Supply: HWB",
    ]) == [
        "1. Check height of release B (see Specifications) and C (see Specifications).",
        "2. Coat threads with copper paste CRC (Source of Supply: HWB). Tightening torque (see Specifications).",
        "3. Max. imbalance per wheel and side.",
        "4. Check engine idle speed (see Specifications) and idle speed CO level (see Specifications).",
        "5. Ideal lid settings: ‘adjusted deeper” than the side panel.",
        "6. Installation: Lubricate bearing surfaces with grease (see Specifications). Don’t bend.",
        "7. Fill “tester for gaskets” and carry out test.",
    ]


def test_legend_and_noise_steps_dropped_and_counted():
    stats = GenerationStats()
    lines = _answer([
        "Remove old balance weights.",
        "1 Basic flange 2 Center 3 Type flange",  # 36-07: the figure legend
        "Arrangement Of Balance Weights for Cast Aluminum Rims: 1 Spring holder 2 Balance weight",
        "Ont eae Sretl Ihsd",
        "Tighten 2 bolts and 1 nut to 12 Nm.",
        "Double Classification Color Codes: Rt =red Bl = blue",  # 11-61b: keyed legend under a caption
        "Round == entrance zone Square wheel house",  # 51-711: one '=' lost
        "Distance A = 50 mm.",  # a dimension, a step
        "Drive cables (2) are marked L = left or R = right.",  # a sentence, a step
    ], Speller(["weights", "drive", "cables", "marked", "left", "right", "distance"]), stats)
    assert lines == ["1. Remove old balance weights.", "Arrangement Of Balance Weights for Cast Aluminum Rims:",
                     "2. Tighten 2 bolts and 1 nut to 12 Nm.", "Double Classification Color Codes:",
                     "3. Distance A = 50 mm.", "4. Drive cables (2) are marked L = left or R = right."]
    counts = stats.as_dict()["PROCEDURE"]
    assert counts["steps_dropped:legend"] == 4 and counts["steps_dropped:noise"] == 1


def test_numbers_are_never_changed():
    text = "Pull in bearing outer race with Special Tools 33 1 356 / 374 and 33 4041 / 042. 331301"
    assert _answer([text]) == [f"1. {text}"]


def test_a_mark_with_two_footnotes_stays_and_titles_are_no_labels():
    # 31-02 prints '* See Specifications of Gr. 32 and 34' and '* See Specifications of Gr. 32'; 41-203 a title
    assert _answer([
        "Adjusting Front Door on Hinges: Unscrew bolts at top and bottom.",
        "Unscrew brake calipers. Installation: Tightening torque*.",
        "Unscrew spark plugs with Special Tool 12 1 160. Installation Tightening torque: 20 Nm (14.5 ft. lbs.).",
        "* See Specifications of Gr. 32 and 34",
        "* See Specifications of Gr. 32",
    ]) == [
        "1. Adjusting Front Door on Hinges: Unscrew bolts at top and bottom.",
        "2. Unscrew brake calipers. Installation: Tightening torque*.",
        "3. Unscrew spark plugs with Special Tool 12 1 160. Installation: Tightening torque: 20 Nm (14.5 ft. lbs.).",
        "* See Specifications of Gr. 32 and 34",
        "* See Specifications of Gr. 32",
    ]


def test_status_line_is_a_note_and_lettered_sub_headings_are_labels():
    # 21-06 '(Removed)' filed as the first step; 23-321 'A) Input Shaft, Layshaft in Front Case Section:'; 18-01 'Torque®'
    assert _answer([
        "(Removed)",
        "A) Input Shaft, Layshaft in Front Case Section:",
        "Remove case front section — see 23 11 013.",
        "Loosen holder for exhaust. Installation: Torque® holder only after finishing installation.",
        "* See Specifications",
    ]) == [
        "NOTE: (Removed)",
        "A) Input Shaft, Layshaft in Front Case Section:",
        "1. Remove case front section — see 23 11 013.",
        "2. Loosen holder for exhaust. Installation: Torque (see Specifications) holder only after finishing "
        "installation.",
    ]


def test_a_status_line_with_its_opening_dash_lost_is_a_note_and_names_the_part_in_the_question():
    # 12 - Engine Electrical Equipment/12-44 as read: '12 31 581 REPLACING BALL BEARING' over
    # 'Alternator Removed and Disassembled —' (the opening dash lost): judged "which ball bearing?" (2026-12-04 mid audit)
    steps = ["Alternator Removed and Disassembled —", "Pull off bearing with Special Tool 00 7 500."]
    assert _answer(steps) == ["NOTE: — Alternator Removed and Disassembled —",
                              "1. Pull off bearing with Special Tool 00 7 500."]
    exs = procedure_examples([_proc("REPLACING BALL BEARING", steps)], _Pages([], GenerateConfig()), GenerateConfig(),
                             GenerationStats(), Speller([""]))
    assert "replacing ball bearing (alternator removed and disassembled)" in exs[0].question.lower()
    # the part already in the title: no bracket; a step that merely ends in a dash is a step
    exs = procedure_examples([_proc("BALANCING WHEEL DYNAMICALLY", ["— Wheel Removed —", "Mount wheel."])],
                             _Pages([], GenerateConfig()), GenerateConfig(), GenerationStats(), Speller([""]))
    assert "(" not in exs[0].question
    assert _answer(["Remove the cover —", "Mount wheel."])[0] == "1. Remove the cover —"


def test_a_parts_list_with_a_number_skipped_is_not_answered():
    # 65 - Radio and Special Equipment/65-101 as read: beside the drawing '5 = Seal' was lost and
    # '6 = Brass ring' read 'UV = Brass ring': the installation order loses the seal (2026-12-04 mid audit)
    from manualtune.generate.procedure import legend_gap

    steps = ["Install antenna. Installed Order: 1=Nut 2 = Adapter 3 = Insulator 4 = Side panel, rear, right",
             "UV = Brass ring 7 = Antenna Note: Don’t tighten nut (1) completely at this point."]
    stats = GenerationStats()
    assert procedure_examples([_proc("INSTALLING RETRACTABLE ANTENNA", steps)], _Pages([], GenerateConfig()),
                              GenerateConfig(), stats, Speller([""])) == []
    assert stats.counts["PROCEDURE"]["skipped:legend_gap"] == 1
    assert not legend_gap("Explanations: 1 = Antenna 2 = Radio antenna jack. Later: 1 = Nut 2 = Washer")
    assert not legend_gap("Distance 1 = 50 mm (2”). Distance 2 = 25 mm (1”).")  # dimensions, no parts list


def test_a_job_printed_for_one_version_names_it_in_the_question():
    # 18 - Exhaust System/18-02 as built: 'REPLACING FINAL MUFFLER' opens with 'BMW 318 i:', and the manual
    # prints the same job for the 6-cylinder (18-06) and the M3 (18-08): "which version?" (2026-12-04 audit)
    def question(*steps: str) -> str:
        exs = procedure_examples([_proc("REPLACING FINAL MUFFLER", list(steps))], _Pages([], GenerateConfig()),
                                 GenerateConfig(), GenerationStats(), Speller([""]))
        return exs[0].question

    assert question("BMW 318 i: Disconnect catalytic converter on final muffler.", "Remove muffler.").endswith(
        "replacing final muffler (BMW 318 i)?")
    assert "(Alternator 80 A)" in question("Alternator 80 A: Remove voltage regulator 12 32 000.")
    assert "(6 Cylinder M 20)" in question("6 Cylinder M 20: Disconnect oxygen sensor plug.")  # 18-07
    # a step label, a tool, or a job that goes on with another version: no qualifier
    assert "(" not in question("Installation: Replace gasket.", "Remove muffler.")
    assert "(" not in question("Special Tool 11 2 160: use it to hold the flange.")
    assert "(" not in question("Two Door Cars: Pry cover strip out.", "Lift.", "Four Door Cars: Pry cover strips out.")


def test_title_word_broken_at_the_line_end_is_joined_in_the_question():
    # 17 - Radiator/17-03: 'CHECKING FOR LEAKS BE- TWEEN COOLING SYSTEM ...'
    proc = _proc("CHECKING FOR LEAKS BE- TWEEN COOLING SYSTEM AND COMBUSTION CHAMBER", ["Connect the tester."])
    exs = procedure_examples([proc], _Pages([], GenerateConfig()), GenerateConfig(), GenerationStats(), Speller([""]))
    assert "between cooling system" in exs[0].question.lower()


def test_a_bracket_read_as_a_brace_is_a_bracket_again():
    # 41 - Body/41-313.jpg (by eye: 'Remove scrap metal (brazing solder).'); the OCR read '{brazing solder)'
    proc = _proc("REPLACING LEFT REAR SIDE PANEL", [
        "Remove scrap metal {brazing solder). Straighten and grind mating surfaces.",
        "Lift out cover (1}.",
    ])
    answer = procedure_answer(proc, _Pages([], GenerateConfig()))
    assert answer.splitlines()[:2] == [
        "1. Remove scrap metal (brazing solder). Straighten and grind mating surfaces.",
        "2. Lift out cover (1).",
    ]


def test_a_rise_to_zero_is_the_infinity_sign_misread_and_the_procedure_is_not_answered():
    stats = GenerationStats()
    proc = _proc("CHECKING IGNITION COIL", [
        "Connect ohmmeter to terminals 1 and 15.",
        "When the plug is disconnected the resistance should rise immediately to 0 ohms.",
    ])
    assert procedure_examples([proc], _Pages([], GenerateConfig()), GenerateConfig(), stats) == []
    assert stats.as_dict()["PROCEDURE"]["skipped:unconfirmed_value"] == 1
    kept = _proc("CHECKING IGNITION COIL", ["Connect ohmmeter to terminals 1 and 15.",
                                             "Resistance must drop again to approximately 0 ohm."])
    assert len(procedure_examples([kept], _Pages([], GenerateConfig()), GenerateConfig(), GenerationStats())) >= 1


def test_ascii_quote_after_a_word_is_a_misread_star():
    # 18-02 prints 'Tightening torque*.' (OCR 'torque".') over the footer '* See Specifications'
    proc = _proc("REPLACING FINAL MUFFLER", [
        "BMW 318 i: Disconnect catalytic converter on final muffler. Installation: Replace gasket and "
        "self-locking nuts. Tightening torque\".",
        "* See Specifications",
    ])
    assert procedure_answer(proc, _Pages([], GenerateConfig())).splitlines()[0] == (
        "1. BMW 318 i: Disconnect catalytic converter on final muffler. Installation: Replace gasket and "
        "self-locking nuts. Tightening torque (see Specifications).")
    # a quotation the page prints stays ('set to "warm"')
    proc = _proc("BLEEDING COOLING SYSTEM", ["Heater controls set to \"warm\". Use specified coolant*.",
                                             "* See Specifications"])
    assert procedure_answer(proc, _Pages([], GenerateConfig())).splitlines()[0] == (
        "1. Heater controls set to \"warm\". Use specified coolant (see Specifications).")


def test_mixed_mark_dropped_and_starless_first_footnote_restored():
    # 23-169 prints 'Install bolt with a bolt cement**.' / 'Tightening torque*.' and the footnotes
    # '* See Specifications' / '** Source of Supply: HWB'; the OCR read '*”*', 'torque".' and lost the first star
    proc = _proc("REMOVING AND INSTALLING OR SEALING TRANSMISSION CASE FRONT SECTION", [
        "Unscrew bolt (6). Installation: Install bolt with a bolt cement*”*. Tightening torque\".",
        "See Specifications ** Source of Supply: HWB",
        "Drive out cylindrical pins.",
    ])
    assert procedure_answer(proc, _Pages([], GenerateConfig())).splitlines()[:2] == [
        "1. Unscrew bolt (6). Installation: Install bolt with a bolt cement. Tightening torque (see Specifications).",
        "2. Drive out cylindrical pins.",
    ]


def test_signal_words_read_in_lower_case_are_capitalised():
    from manualtune.generate.procedure import _signal_words

    assert _signal_words("Unscrew bolt (2). important! Replace self-locking bolt.") == \
        "Unscrew bolt (2). Important! Replace self-locking bolt."
    assert _signal_words("caution! Danger of scalding") == "Caution! Danger of scalding"
    assert _signal_words("bolts. important! — Installation:") == "bolts. Important! — Installation:"
    assert _signal_words("it is important! to") == "it is important! to"  # not after a sentence end
    assert _signal_words("see note: below") == "see note: below"


def test_a_version_label_is_written_between_the_steps_unnumbered():
    proc = _proc("REMOVING AND INSTALLING LEFT OR RIGHT TAIL LIGHT ASSEMBLY",
                 ["Unscrew screws. Take tail light out of tail panel.", "1988 Models On:",
                  "Open turning lock and lift out cover."])
    assert procedure_answer(proc, _Pages([], GenerateConfig())).splitlines()[:3] == [
        "1. Unscrew screws. Take tail light out of tail panel.", "1988 Models On:",
        "2. Open turning lock and lift out cover."]
