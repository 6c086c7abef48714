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


def test_footnotes_follow_the_steps_once_and_warnings_are_not_repeated():
    proc = _proc("REMOVING AND INSTALLING OR REPLACING CATALYTIC CONVERTER", [
        "Unscrew exhaust pipes on manifold. Installation: Tightening torque*.",
        "* See Specifications ** Source of Supply: HWB",
        "Draw off hydraulic fluid in tank. Important! Never reuse drained hydraulic fluid.",
        "* See Specifications",
    ], warnings=["Important! Never reuse drained hydraulic fluid."])
    answer = procedure_answer(proc, _Pages([], GenerateConfig()))
    assert answer.splitlines() == [
        "1. Unscrew exhaust pipes on manifold. Installation: Tightening torque*.",
        "2. Draw off hydraulic fluid in tank. Important! Never reuse drained hydraulic fluid.",
        "* See Specifications",
        "** Source of Supply: HWB",
        "(18 - Exhaust System/18-07.jpg p. 1)",
    ]


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
