"""Export a probe set as an lm-evaluation-harness task (``generate_until`` + the unit-aware scorer).

``OUT/manualtune_probes.yaml`` (the task), ``OUT/probes.jsonl`` (one probe per line, with the
number keys of its source page) and ``OUT/utils.py`` (``process_results``: the same
:func:`manualtune.evaluate.matching.score_answer` as `manualtune eval`; manualtune must be
importable where lm-eval runs). Run it with::

    lm_eval --model hf --model_args pretrained=PATH --include_path OUT --tasks manualtune_probes
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from manualtune.evaluate.probes import Probe, probe_set_hash
from manualtune.evaluate.runner import page_numbers

TASK = "manualtune_probes"

UTILS = '''"""process_results for the manualtune probe task (written by `manualtune export-lmeval`)."""

from manualtune.evaluate.matching import score_answer
from manualtune.evaluate.probes import Probe

_FIELDS = set(Probe.model_fields)


def process_results(doc, results):
    probe = Probe.model_validate({k: v for k, v in doc.items() if k in _FIELDS})
    s = score_answer(probe, results[0], set(doc.get("page_numbers") or []))
    answerable = probe.kind != "unanswerable"
    return {
        "exact_match": float(s.exact),
        "hallucination": float(bool(s.hallucinated)),
        "refused": float(s.refused),
        "unit_ok": float(s.unit_ok) if answerable else 1.0,
    }
'''


def export_lmeval(build_dir: Path, probes: list[Probe], out_dir: Path, max_gen_toks: int = 128) -> list[Path]:
    """Write the task YAML, the data and the scorer into ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    numbers = page_numbers(Path(build_dir))
    data = out_dir / "probes.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for p in probes:
            row = p.model_dump(mode="json")
            page = numbers.get((p.source.file, p.source.page), set()) if p.source else set()
            row["page_numbers"] = sorted(page)
            fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
    task = {
        "task": TASK,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(data)}},
        "test_split": "test",
        "output_type": "generate_until",
        "doc_to_text": "{{question}}",
        "doc_to_target": "{{answer}}",
        "generation_kwargs": {"until": ["\n\n"], "do_sample": False, "max_gen_toks": max_gen_toks},
        "process_results": "!function utils.process_results",
        "metric_list": [
            {"metric": "exact_match", "aggregation": "mean", "higher_is_better": True},
            {"metric": "hallucination", "aggregation": "mean", "higher_is_better": False},
            {"metric": "refused", "aggregation": "mean", "higher_is_better": True},
            {"metric": "unit_ok", "aggregation": "mean", "higher_is_better": True},
        ],
        "metadata": {"version": 1, "probe_set": probe_set_hash(probes)},
    }
    text = yaml.safe_dump(task, sort_keys=False, allow_unicode=True)
    text = text.replace("'!function utils.process_results'", "!function utils.process_results")
    yml = out_dir / f"{TASK}.yaml"
    yml.write_text(text, encoding="utf-8")
    utils = out_dir / "utils.py"
    utils.write_text(UTILS, encoding="utf-8")
    return [yml, data, utils]
