"""The question-intent table of `ask`: one test per row, in table order (first match wins)."""

from __future__ import annotations

import pytest

from manualtune.records import Provenance, SpecFact, TighteningStage
from manualtune.retrieve.answer import INTENTS, calibrate, intent, render_value

EXAMPLES = {
    "troubleshooting": "Starter turns slowly - what should be checked?",
    "wire": "Which wire connects relay K3 pin 87 to the fuel pump?",
    "wiring": "What does the wiring diagram for the charging circuit show?",
    "procedure": "How do I bleed the brake system?",
    "explanation": "What does the manual say about fuel injection?",
    "spec": "What torque do the wheel bolts get?",
}


@pytest.mark.parametrize(("name", "_pattern"), INTENTS)
def test_each_intent_row(name, _pattern):
    assert intent(EXAMPLES[name]) == name


def test_no_intent_for_a_bare_name():
    assert intent("Cylinder head cover") is None


def _fact(**kw) -> SpecFact:
    base = dict(fact_id="f", component="Cylinder head bolts", quantity="torque", value="30", unit="Nm",
                value_printed="30", unit_printed="Nm", text="", source=Provenance(file="a.jpg", page=1))
    return SpecFact(**{**base, **kw})


def test_render_value_from_the_record():
    assert render_value(_fact()) == "30 Nm"
    assert render_value(_fact(value="0.20", value_max="0.30", unit="mm", unit_printed="mm.")) == "0.20-0.30 mm"
    assert render_value(_fact(value="850", tolerance="±50", unit="rpm", unit_printed="rpm")) == "850 ± 50 rpm"
    staged = _fact(stages=[TighteningStage(stage=2, value="90", unit="°", kind="angle"),
                           TighteningStage(stage=1, value="30", unit="Nm", kind="torque")])
    assert render_value(staged) == "Stage 1: 30 Nm, Stage 2: 90°"
    assert render_value(_fact(value="1991", unit="cm³", unit_printed="cc")) == "1991 cc"  # as printed


def test_calibration():
    assert calibrate([0.9, 0.8, 0.7], [0.2, 0.3, 0.25, 0.1, 0.35]) == 0.7  # lowest cut keeping every positive
    assert calibrate([0.9] * 50, []) == 0.5  # few negatives: 0.85 x 2nd percentile, at most 0.5
    assert calibrate([0.4] * 50, [0.9]) == 0.34
