"""benchmarks/gpu_train.py --dry-run: both sides train the same tiny random model on CPU and are reported."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "gpu_train.py"


def test_gpu_bench_dry_run_reports_both_sides(tmp_path, build_dir):
    spec = importlib.util.spec_from_file_location("gpu_train", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.SHAPES["llama-3.1-8b"]["num_hidden_layers"] == 32 and bench.SHAPES["llama-3.2-3b"]["hidden_size"] == 3072
    assert bench.main(["--dry-run", "--build", str(build_dir), "--out", str(tmp_path)]) == 0
    (result_json,) = tmp_path.glob("gpu-*-dry-run.json")
    report = json.loads(result_json.read_text())
    (entry,) = report["results"]
    assert report["dry_run"] is True and entry["shape"] == "tiny"
    for side in ("manualtune", "trl_defaults"):
        s = entry[side]
        assert "error" not in s, s
        assert s["steps"] == 3 and s["tokens_per_s"] > 0 and s["final_loss"] > 0 and len(s["losses"]) == 3
    # same model, data and steps: the two sides see the same tokens and reach the same loss on CPU
    assert entry["manualtune"]["tokens"] == entry["trl_defaults"]["tokens"]
    assert abs(entry["manualtune"]["final_loss"] - entry["trl_defaults"]["final_loss"]) < 0.05
    assert entry["speed_ratio"] > 0
    md = result_json.with_suffix(".md").read_text()
    assert "| tiny | manualtune |" in md and "| tiny | ratio |" in md
