"""A fine-tune is asked the way it was trained: '[TASK] question', as the export writes the user turn."""

from __future__ import annotations

from manualtune.evaluate.probes import Probe
from manualtune.evaluate.runner import probe_user_turn
from manualtune.export.config import ExportConfig


def _probe(question: str, task: str = "SPEC") -> Probe:
    return Probe(id="p1", kind="unseen", task=task, question=question, answer="25 Nm", value="25", unit="Nm",
                 fact_ids=["f1"], source={"file": "a.jpg", "page": 1})


def test_user_turn_matches_the_export_template():
    q = "What torque do the wheel bolts get?"
    assert probe_user_turn(_probe(q)) == ExportConfig().user_template.format(task="SPEC", question=q)
    assert probe_user_turn(_probe(" How is the clutch bled? ", "PROCEDURE")) == "[PROCEDURE] How is the clutch bled?"
    assert probe_user_turn(_probe("[SPEC] already tagged?")) == "[SPEC] already tagged?"
