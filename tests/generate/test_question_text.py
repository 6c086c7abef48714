"""Question text of SPEC examples: clean component names, staged specs asked as a torque."""

from __future__ import annotations

from manualtune.facts.conflicts import find_conflicts
from manualtune.generate import generate_examples
from manualtune.generate.common import component_phrase
from manualtune.generate.config import GenerateConfig
from manualtune.generate.spec import spec_questions
from manualtune.records import Provenance, SpecFact, TighteningStage

STAGES = [TighteningStage(stage=1, value="20", unit="Nm", kind="torque"),
          TighteningStage(stage=2, value="70", unit="°", kind="angle")]


def _fact(fid: str, component: str, value: str, unit: str, condition: str | None, file: str = "11-44.jpg",
          stages: list[TighteningStage] | None = None) -> SpecFact:
    return SpecFact(fact_id=fid, component=component, quantity="angle" if unit == "°" else "torque", value=value,
                    unit=unit, value_printed=value, unit_printed=unit, variant="CR25T", condition=condition,
                    stages=stages or [], text=f"{component} {value} {unit}", source=Provenance(file=file, page=1))


def _staged() -> list[SpecFact]:
    comp = "new connecting rod bolts in stages."
    return [_fact("s1", comp, "20", "Nm", "stage 1", stages=STAGES),
            _fact("s2", comp, "70", "°", "stage 2 torque angle", stages=STAGES)]


def test_component_phrase_drops_trailing_punctuation_and_manner():
    assert component_phrase("new connecting rod bolts in stages.") == "new connecting rod bolts"
    assert component_phrase("Wheel bolts;") == "Wheel bolts"
    qs = spec_questions("new connecting rod bolts in stages.", "angle", "CR25T", None, 5)
    assert qs[3] == "Torque-angle spec for the CR25T new connecting rod bolts?"
    assert not any(".?" in q or " in stages" in q for q in qs)


def test_staged_spec_is_one_tightening_torque_answer():
    examples = [e for e in generate_examples(_staged(), [], [], GenerateConfig()) if not e.refusal]
    assert examples
    answers = {e.answer for e in examples}
    assert len(answers) == 1
    answer = answers.pop()
    assert "tightening torque of the CR25T new connecting rod bolts is Stage 1: 20 Nm, Stage 2: 70°" in answer
    assert "tightening angle" not in answer and "condition: stage" not in answer
    assert all("angle" not in e.question.lower() for e in examples)
    assert all(e.question.endswith("?") and not e.question.endswith(".?") for e in examples)


def test_stated_conflict_lists_the_staged_spec_once():
    facts = [_fact("t", "Connecting rod bolts", "55", "Nm", "CR25T; Replace, wash and oil bolts", file="11-19.jpg"),
             *_staged()]
    conflicts = find_conflicts(facts)
    assert len(conflicts) == 1
    examples = [e for e in generate_examples(facts, [], [], GenerateConfig(), conflicts=conflicts) if not e.refusal]
    stated = {e.answer for e in examples if e.conflict_stated}
    assert len(stated) == 1
    answer = stated.pop()
    assert "55 Nm" in answer and answer.count("Stage 1: 20 Nm, Stage 2: 70°") == 1
