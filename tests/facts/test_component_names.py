"""Component names are the thing measured: no section codes, item codes, instruction text or debris."""

from __future__ import annotations

import pytest

from manualtune.facts import extract_facts
from manualtune.facts.components import component_problem, split_label
from manualtune.records import Block, Provenance


@pytest.mark.parametrize(("label", "component", "note"), [
    ("3AZ_ Wire to glow plug", "Wire to glow plug", None),
    ("SAZ Fillister head screw for wire holder", "Fillister head screw for wire holder", None),
    ("1AZ_— Holder for modules", "Holder for modules", None),
    ("11 22 Flywheel bolts", "Flywheel bolts", None),
    ("Hitch to body: Tighten according to following sequence: 1. Hitch bolts", "Hitch to body",
     "Tighten according to following sequence: 1. Hitch bolts"),
    ("3AZ Intank pump with fill level sensor on tank (tighten nuts crosswise)",
     "Intank pump with fill level sensor on tank", "tighten nuts crosswise"),
    ("Slotted nut for take-up pipe to hitch (use Loctite No. 638)", "Slotted nut for take-up pipe to hitch",
     "use Loctite No. 638"),
    ("Flywheel bolts do not install with screw retaining compound", "Flywheel bolts",
     "do not install with screw retaining compound"),
])
def test_table_labels_are_cleaned(label: str, component: str, note: str | None) -> None:
    assert split_label(label, []) == (component, note)


@pytest.mark.parametrize(("phrase", "problem"), [
    ("the press on firmly", "instruction fragment"),
    ("add grease", "instruction fragment"),
    ("dia", "generic"),
    ("heat bal! bearing inner races", "OCR debris"),
    ("11 42 Oil Filter and Pipes", "section heading"),
    ("E36 comp/touring M6", "type code"),
    ("instead", "generic"),
    ("ball bearing inner races", None),
    ("M8 thread", None),
    ("pressure plate bolts", None),
])
def test_component_problems(phrase: str, problem: str | None) -> None:
    assert component_problem(phrase) == problem


def _facts(text: str, section: str | None = None):
    pid = "11 - Engine/11-50.jpg#p1@0"
    b = Block(block_id=f"{pid}/b001", page_id=pid, kind="procedure_step", order=1, text=text, section=section,
              source=Provenance(file="11 - Engine/11-50.jpg", page=1, page_id=pid))
    return extract_facts([b])


def test_instruction_fragment_in_running_text_needs_review() -> None:
    got = _facts("Press on firmly 3 mm.")
    assert got and all(f.needs_review for f in got)


def test_section_heading_alone_is_no_component() -> None:
    got = _facts("M21/S38 20 Nm", section="11 42 Oil Filter and Pipes")
    assert [(f.value, f.needs_review) for f in got] == [("20", True)]
    assert "section heading" in (got[0].review_reason or "")


def test_section_code_is_dropped_from_a_running_text_component() -> None:
    got = _facts("Tighten the 11 22 flywheel bolts to 105 Nm.")
    assert [(f.component, f.needs_review) for f in got] == [("flywheel bolts", False)]


@pytest.mark.parametrize(("text", "component"), [
    # realpages 33-00_1 (tune), as read: an equation names its first term; a note label ends a sentence
    ("Total operation time = warming up time + fest time = 40 seconds on brake test stand must not be exceeded.",
     "Total operation time"),
    ("important!\nTotal operation time = max. 40 seconds.", "Total operation time"),
    ("Important! Tighten drain plug to 25 Nm.", "drain plug"),
    # realpages 12-42 / 13-731 (not annotated), as read
    ("Tighten drive belt.\nUnscrew nut (1) and turn tensioning wheel\n(3) with a torque of approx. 7 Nm (5 ft.Ibs.)",
     "tensioning wheel"),
    ("Preload spring (8) by about 1/2 turn.", "Preload spring"),
    # realpages 23-319 (not annotated), as read: a figure callout '(7}' after the part name
    ("Heat bearing inner race (7} to approx. 80° C\n(175° F) with a hot air blower and install on",
     "Heat bearing inner race"),
])
def test_equations_and_exclamations_in_running_text(text: str, component: str) -> None:
    """(also: a second instruction joined by 'and' names its object)"""
    got = _facts(text)
    assert [(f.component, f.needs_review) for f in got] == [(component, False)]


def test_mixed_number_with_and_and_an_instruction_clause_needs_review() -> None:
    # realpages 13-731 (not annotated): "1 and 1/2 turns" is 1.5 turns; the phrase before it names no part
    got = _facts("Screw in throttle screws carefully until they fit tight and then loosen 1 and 1/2 turns again.")
    assert [(f.value, f.unit, f.needs_review) for f in got] == [("1.5", "turn", True)]
    assert "instruction fragment" in (got[0].review_reason or "")
