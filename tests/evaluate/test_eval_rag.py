"""`eval --system rag` end to end on a sample build: files, keys, determinism, figures."""

from __future__ import annotations

import json

from manualtune.evaluate.runner import run_eval

KEYS = {"n", "exact_match", "hallucination_rate", "refusal_rate", "false_refusal_rate", "unit_compliance",
        "by_kind", "by_task", "system", "probe_set", "rows"}


def test_rag_eval_writes_json_and_html_and_meets_the_bar(sample_subset_build, subset_probes):
    doc, path = run_eval("rag", sample_subset_build, subset_probes)
    assert path == sample_subset_build / "eval" / f"rag-{doc['probe_set']}.json"
    from manualtune.evaluate.probes import load_probes

    assert load_probes(path.with_name(f"probes-{doc['probe_set']}.jsonl")) == list(subset_probes)
    data = json.loads(path.read_text())
    assert KEYS <= set(data) and data["system"] == "rag" and data["n"] == len(subset_probes)
    html = path.with_suffix(".html").read_text()
    assert "exact match" in html and subset_probes[0].question.split()[0] in html
    assert set(data["by_kind"]) == {"paraphrase", "unseen", "unanswerable"}
    assert data["exact_match"] >= 0.9 and data["refusal_rate"] >= 0.9 and data["hallucination_rate"] <= 0.02
    row = data["rows"][0]
    assert {"question", "answer", "exact", "hallucinated", "refused", "citations"} <= set(row)

    again, _ = run_eval("rag", sample_subset_build, subset_probes)
    drop = ("timing",)
    assert {k: v for k, v in again.items() if k not in drop} == {k: v for k, v in doc.items() if k not in drop}
