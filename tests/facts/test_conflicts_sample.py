"""Component names on the sample manual's text pages and the one deliberate conflict."""

from __future__ import annotations

import pytest

from manualtune.facts import extract_facts
from manualtune.facts.conflicts import find_conflicts, normalise_component
from manualtune.facts.specs import (
    COMPONENT_REVIEW,
    component_problem,
    heading_title,
    tidy_component_name,
)
from manualtune.records import Block, Provenance, SpecFact, TighteningStage


def block(page: str, order: int, text: str, kind: str = "procedure_step") -> Block:
    pid = f"{page}#p1@0"
    return Block(block_id=f"{pid}/b{order:03d}", page_id=pid, kind=kind, order=order, text=text,
                 source=Provenance(file=page, page=1, page_id=pid))


def by_value(facts: list[SpecFact]) -> dict[str, SpecFact]:
    return {f"{f.value} {f.unit}": f for f in facts if not f.derived}


def test_component_name_helpers():
    assert tidy_component_name("new connecting rod bolts in stages.") == "connecting rod bolts"
    assert tidy_component_name("pressure plate bolts crosswise") == "pressure plate bolts"
    assert component_problem("It") == "pronoun"
    assert component_problem("tightening") == "generic"
    assert component_problem("tightening torque") == "generic"
    assert component_problem("pump runs") == "verb phrase"
    assert component_problem("All others M8") == "generic"
    assert component_problem("11 23 Vibration damper") == "section heading"
    assert component_problem("connecting rod bolts") is None
    assert heading_title("11 12 100 Cylinder head - remove and install\n- engine cold -") == "Cylinder head"
    assert normalise_component("new connecting rod bolts in stages.") == normalise_component("Connecting rod bolts")


def test_pronoun_takes_the_checked_object_and_verb_phrase_needs_review():
    facts = by_value(extract_facts([
        block("11-71.jpg", 1, "5. Check the belt deflection midway between the sprockets. It must be\n"
                              "5 - 7 mm under light thumb pressure."),
        block("34-9.jpg", 1, "5. Bleed the hydraulic unit with the tester program. The pump runs for 10 s each cycle."),
        block("13-10.jpg", 1, "The injectors are opened by the control unit once per turn. Their coil resistance "
                              "is 14.5 - 17.5 Ω at 20 °C."),
    ]))
    assert facts["5 mm"].component == "belt deflection" and not facts["5 mm"].needs_review
    pump = facts["10 s"]
    assert pump.component == "pump" and pump.needs_review and COMPONENT_REVIEW in (pump.review_reason or "")
    assert facts["14.5 Ω"].component == "injector coil resistance"


def test_variant_only_lines_take_the_row_above_or_the_procedure_title():
    facts = extract_facts([
        block("supplement.pdf", 1, "Output flange nut CR20 100 Nm", "paragraph"),
        block("supplement.pdf", 2, "CR25T 120 Nm", "paragraph"),
        block("11-24.jpg", 1, "11 12 100 Cylinder head - remove and install", "heading"),
        block("11-24.jpg", 2, "5. Tighten the bolts in sequence from the centre outwards. CR20: Stage 1 30 Nm, "
                              "Stage 2 60 Nm, Stage 3 torque angle 90°."),
        block("11-24.jpg", 3, "6. CR25T: Stage 1 40 Nm, then Stage 2 and Stage 3 torque angle 90° each."),
    ])
    comp = {(f.variant, f.value, f.unit): f.component.lower() for f in facts}
    assert comp[("CR25T", "120", "Nm")] == "output flange nut"
    assert comp[("CR20", "30", "Nm")] == "cylinder head bolts"
    assert comp[("CR25T", "40", "Nm")] == "cylinder head bolts"
    assert not any(component_problem(f.component) for f in facts)
    # a variant-only line with nothing above it keeps a placeholder that needs review
    alone = extract_facts([block("x.jpg", 1, "6. CR25T: Stage 1 40 Nm, Stage 2 torque angle 90°.")])
    assert alone and all(f.needs_review and COMPONENT_REVIEW in (f.review_reason or "") for f in alone)


def _fact(fid: str, file: str, component: str, value: str, unit: str, condition: str | None = None,
          stages: list[TighteningStage] | None = None, variant: str | None = "CR25T") -> SpecFact:
    return SpecFact(fact_id=fid, component=component, quantity="angle" if unit == "°" else "torque", value=value,
                    unit=unit, value_printed=value, unit_printed=unit, variant=variant, condition=condition,
                    stages=stages or [], text=f"{component} {value} {unit}", source=Provenance(file=file, page=1))


def test_staged_spec_vs_single_value_is_one_conflict_and_junk_is_not():
    stages = [TighteningStage(stage=1, value="20", unit="Nm", kind="torque"),
              TighteningStage(stage=2, value="70", unit="°", kind="angle")]
    facts = [
        _fact("t", "11-19.jpg", "Connecting rod bolts", "55", "Nm", "CR25T; Replace, wash and oil bolts"),
        _fact("s1", "11-44.jpg", "new connecting rod bolts in stages.", "20", "Nm", "stage 1", stages),
        _fact("s2", "11-44.jpg", "new connecting rod bolts in stages.", "70", "°", "stage 2 torque angle", stages),
        _fact("a", "11-71.jpg", "It", "5", "mm", variant=None),
        _fact("b", "21-3.jpg", "It", "14", "mm", variant=None),
        _fact("c", "11-24.jpg", "tightening", "40", "Nm"),
        _fact("d", "supplement.pdf", "tightening", "120", "Nm"),
    ]
    conflicts = find_conflicts(facts)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert c.key == "connecting rod bolt|torque|cr25t|"
    assert sorted(c.fact_ids) == ["s1", "t"]
    assert sorted(c.values) == ["20 Nm", "55 Nm"]


def test_sample_procedure_text_meets_the_1997_table():
    """The sample's deliberate conflict: step 6 of 11-44 as OCR'd vs the 1997 table row of 11-19."""
    facts = extract_facts([
        block("11 - Engine/11-44.jpg", 9, "6. CR25T: tighten the new connecting rod bolts in\nstages. Stage 1 20 Nm. "
                                          "Stage 2 torque angle 70°.\nUse angle gauge 11 2 110."),
    ])
    got = {(f.component, f.value, f.unit) for f in facts}
    assert got == {("connecting rod bolts", "20", "Nm"), ("connecting rod bolts", "70", "°")}
    table_fact = _fact("t", "00 - Torque Specs/11-19.jpg", "Connecting rod bolts", "55", "Nm",
                       "CR25T; Replace, wash and oil bolts")
    conflicts = find_conflicts([table_fact, *facts])
    assert [sorted(c.values) for c in conflicts] == [["20 Nm", "55 Nm"]]


@pytest.mark.parametrize("proc_variant, expected", [("S14", 1), (None, 0)])
def test_m3_conrod_staged_vs_single(proc_variant, expected):
    """The real M3 manual: 55 Nm in the table, 10 Nm + 30 Nm + 60° in the procedure."""
    stages = [TighteningStage(stage=1, value="10", unit="Nm", kind="torque"),
              TighteningStage(stage=2, value="30", unit="Nm", kind="torque"),
              TighteningStage(stage=3, value="60", unit="°", kind="angle")]
    facts = [_fact("t", "torque_11-19.jpg", "Connecting rod bolts", "55", "Nm",
                   "S14; Replace, wash and oil conrod bolts", variant="S14")]
    for i, (v, u, cond) in enumerate([("10", "Nm", "step 1"), ("30", "Nm", "step 2"),
                                      ("60", "°", "step 3 torque angle")]):
        facts.append(_fact(f"p{i}", "proc_11-64.jpg", "Conrod bolt tightening torque", v, u, cond, stages,
                           variant=proc_variant))
    assert len(find_conflicts(facts)) == expected
