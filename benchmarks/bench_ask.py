"""`ask` benchmark (issue 9): exact match, refusal and seconds per question of retrieval (`--system rag`).

For each source folder (the sample manual, ``../shared/devdata`` when present) it builds into a
scratch folder (or uses ``--build`` folders as they are), makes the probe set, and times:

* index: first `Asker` on the build (encode every record with MiniLM + calibrate; cached after);
* warm start: a second `Asker` (index and calibration read from the build's cache);
* per question: `ask_many` over every probe, divided by the number of probes;

then prints exact match (answerable probes), refusal (unanswerable probes), false refusal and
hallucination rate, and writes the usual ``BUILD/eval/rag-<probe set>.json``.

    python benchmarks/bench_ask.py --source samples/generated/corvane-240 --source ../shared/devdata
    python benchmarks/bench_ask.py --build build
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def bench_build(build: Path) -> dict:
    from manualtune.evaluate.probes import make_probes
    from manualtune.evaluate.runner import evaluate, write_eval
    from manualtune.retrieve.answer import Asker

    probes = make_probes(build)
    t0 = time.perf_counter()
    Asker(build)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    asker = Asker(build)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = asker.ask_many([p.question for p in probes])
    per_q = (time.perf_counter() - t0) / max(1, len(probes))
    doc = evaluate(probes, [a.answer for a in got], system="rag", build_dir=build,
                   timing={"seconds_per_answer": round(per_q, 4)})
    path = write_eval(doc, build / "eval")
    return {"build": str(build), "probes": len(probes), "exact_match": doc["exact_match"],
            "refusal_rate": doc["refusal_rate"], "false_refusal_rate": doc["false_refusal_rate"],
            "hallucination_rate": doc["hallucination_rate"], "index_s": round(cold, 2), "warm_start_s": round(warm, 2),
            "s_per_question": round(per_q, 4), "file": str(path)}


def build_source(source: Path, workers: int) -> Path:
    from manualtune.pipeline import build

    out = Path(tempfile.mkdtemp(prefix="bench-ask-")) / "build"
    result = build(source, out, workers=workers)
    if result.exit_code not in (0, 3):
        raise SystemExit(f"build of {source} failed (exit {result.exit_code})")
    return out


def _fmt(col: str, v) -> str:
    if v is None:
        return "–"
    return f"{100 * v:.1f} %" if col.endswith(("_match", "_rate")) else str(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, action="append", default=[], help="source folder to build and ask (repeatable)")
    ap.add_argument("--build", type=Path, action="append", default=[], help="existing build folder (repeatable)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if not args.source and not args.build:
        args.source = [Path("samples/generated/corvane-240"), Path("../shared/devdata")]
    builds = list(args.build)
    for src in args.source:
        if src.is_dir():
            builds.append(build_source(src.resolve(), args.workers))
        else:
            print(f"skipped (not found): {src}")
    cols = ("probes", "exact_match", "refusal_rate", "false_refusal_rate", "hallucination_rate", "index_s",
            "warm_start_s", "s_per_question")
    print("ask (rag): " + " | ".join(cols))
    for b in builds:
        r = bench_build(b)
        print(f"{r['build']}: " + " | ".join(f"{c} {_fmt(c, r[c])}" for c in cols))
        print(f"  -> {r['file']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
