"""`ask` on a build of the sample manual: 15 hand-written questions and 5 it must refuse."""

from __future__ import annotations

import json
import time

import pytest
from handwritten import ANSWERABLE, UNANSWERABLE

from manualtune.evaluate.matching import ABSTAIN_TEXT, score_answer
from manualtune.evaluate.probes import Probe, ProbeTarget
from manualtune.evaluate.runner import page_numbers


def _probe(question, task, targets):
    ts = [ProbeTarget(value=v, value_max=m, tolerance=t, unit=u) for v, m, t, u in targets]
    return Probe(id="h", kind="unseen", task=task, question=question, value=ts[0].value, value_max=ts[0].value_max,
                 tolerance=ts[0].tolerance, unit=ts[0].unit, stages=ts[1:])


@pytest.mark.parametrize(("question", "task", "targets", "page"), ANSWERABLE, ids=[q for q, *_ in ANSWERABLE])
def test_answers_hand_written_question_with_value_unit_and_page(asker, sample_subset_build, question, task,
                                                                  targets, page):
    got = asker.ask(question)
    assert not got.abstained, got.reason
    numbers = page_numbers(sample_subset_build)
    cited = set().union(*(numbers.get((c.file, c.page), set()) for c in got.citations))
    score = score_answer(_probe(question, task, targets), got.answer, cited)
    assert score.exact, got.answer
    assert score.hallucinated == []
    assert page in {c.page_label for c in got.citations}, got.citations
    assert f"p. {page}" in got.answer
    assert all(c.file and c.page >= 1 for c in got.citations)
    if task == "SPEC":
        assert got.kind == "fact" and got.value and got.unit
        assert any(c.bbox is not None for c in got.citations)
    else:
        assert got.kind == "procedure" and score.exact
        lines = got.answer.splitlines()
        steps = [ln for ln in lines if ln[:1].isdigit()]
        assert [s.split(".", 1)[0] for s in steps] == [str(i) for i in range(1, len(steps) + 1)]
        boxes = [i for i, ln in enumerate(lines) if ln.startswith(("WARNING:", "NOTE:"))]
        assert boxes and boxes[0] < lines.index(steps[0]), "warnings/notes come before the steps"


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_on_what_the_manual_does_not_cover(asker, question):
    got = asker.ask(question)
    assert got.abstained and got.answer == ABSTAIN_TEXT and got.value is None and got.citations == []
    assert got.reason


def test_json_shape_and_speed(asker):
    asker.ask("What torque do the wheel bolts get?")  # warm
    t0 = time.perf_counter()
    got = asker.ask("What is the tightening torque of the vibration damper central bolt?")
    assert time.perf_counter() - t0 < 1.0
    data = json.loads(got.model_dump_json())
    assert {"answer", "value", "unit", "abstained", "citations", "score"} <= set(data)
    assert data["value"] == "310" and data["unit"] == "Nm"
    assert set(data["citations"][0]) >= {"file", "page", "bbox"}


def test_index_is_cached_by_records_hash(sample_subset_build, asker):
    from manualtune.retrieve.index import RetrievalIndex

    again = RetrievalIndex(sample_subset_build)
    assert again.key == asker.index.key and (again.cache_dir / "embeddings.npy").is_file()
    assert (again.embeddings == asker.index.embeddings).all()
