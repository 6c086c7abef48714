"""Benchmark: ``manualtune build`` vs the bare ``tesseract`` CLI over the same page images.

    .venv/bin/python benchmarks/bench_build.py [SOURCE] [--workers N] [--json OUT]

SOURCE defaults to the sample manual, generated into a temp folder. Measures, in the same run,
(a) bare ``tesseract IMAGE stdout`` over every page our build OCRs, N processes in parallel;
(b) the whole ``manualtune build SOURCE --workers N`` (CLI, clean build folder: OCR, cleanup,
    layout, facts, dataset, exports, report);
(c) a no-op rerun of (b) (everything from the cache); and the peak RSS of each (process tree,
    psutil). Then, where SOURCE has ``*.truth.json`` files, the OCR error rates and the fact
    precision/recall of build (b).
Goals: build/bare <= 1.0, no-op <= 2 s. Timings go to stdout only, never into a build folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import psutil  # noqa: E402

GOAL_RATIO = 1.0
GOAL_NOOP_S = 2.0


class PeakRSS:
    """Peak resident memory of this process and all its children, sampled every ``interval`` s."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self.peak = self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return round(self.peak / 2**20, 1)


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    """(seconds, peak RSS MiB, result) of ``fn()``."""
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
    return dt, rss.mib, out


def page_images(source: Path, work: Path, dpi: int) -> list[Path]:
    """The images our stage OCRs: image files as they are, scanned PDF pages rendered (untimed)."""
    from manualtune.ingest import inventory, load_page_image

    out: list[Path] = []
    for ref in inventory(source).pages:
        if ref.kind == "image":
            out.append(source / ref.source)
        elif ref.kind == "pdf_page" and not ref.has_text_layer:
            import cv2

            png = work / f"pdfpage-{len(out):04d}.png"
            cv2.imwrite(str(png), load_page_image(source, ref, dpi))
            out.append(png)
    return out


def bare_tesseract(images: list[Path], workers: int) -> int:
    """``tesseract IMG stdout`` for every image, ``workers`` processes at a time; returns failures."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise SystemExit("the tesseract CLI is not installed (apt-get install tesseract-ocr)")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(img: Path) -> int:
        return subprocess.run([exe, str(img), "stdout"], capture_output=True, env=env, check=False).returncode

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return sum(1 for rc in pool.map(one, images) if rc != 0)


def ours(source: Path, build: Path, workers: int) -> dict:
    """The whole ``manualtune build`` CLI; returns the build's summary counts."""
    exe = Path(sys.executable).with_name("manualtune")
    cmd = [str(exe), "build", str(source), "--out", str(build), "--workers", str(workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 3):  # 3: completed with quarantined files
        raise SystemExit(f"manualtune build failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    calls = [ln for ln in proc.stderr.splitlines() if "OCR calls" in ln]
    summary = json.loads((build / "summary.json").read_text())
    summary["ocr_calls"] = int(calls[-1].split()[-2]) if calls else None
    return summary


def quality(build: Path, source: Path) -> dict:
    """OCR CER/WER and fact precision/recall of a build against the truth files in SOURCE."""
    if not any(source.rglob("*.truth.json")):
        return {}
    from manualtune.cache import read_jsonl
    from manualtune.quality.fact_score import score_facts
    from manualtune.quality.ocr_score import score_ocr
    from manualtune.records import SpecFact

    ocr = score_ocr(build, source)
    facts = score_facts(read_jsonl(build / "records" / "facts.jsonl", SpecFact), source)
    return {
        "ocr_cer": ocr.cer, "ocr_wer": ocr.wer, "raw_tesseract_cer": ocr.raw_cer, "raw_tesseract_wer": ocr.raw_wer,
        "ocr_pages_scored": len(ocr.pages),
        "fact_precision": facts.precision, "fact_recall": facts.recall,
        "facts_truth": facts.truth, "facts_found": facts.predicted, "facts_matched": facts.matched,
    }


def bench(source: Path, workers: int) -> dict:
    from manualtune.config import BuildConfig

    with tempfile.TemporaryDirectory(prefix="mt-bench-") as tmp:
        work = Path(tmp)
        images = page_images(source, work, BuildConfig().ocr.dpi)
        t_bare, rss_bare, failures = timed(lambda: bare_tesseract(images, workers))
        build = work / "build"
        t_ours, rss_ours, res = timed(lambda: ours(source, build, workers))
        t_noop, rss_noop, res2 = timed(lambda: ours(source, build, workers))
        scores = quality(build, source)
        qa_path = build / "report" / "qa.json"
        coverage = json.loads(qa_path.read_text()).get("coverage") if qa_path.is_file() else None
    return {
        "source": str(source),
        "workers": workers,
        "ocr_pages": len(images),
        "bare_failures": failures,
        "bare_s": round(t_bare, 2),
        "ours_s": round(t_ours, 2),
        "noop_s": round(t_noop, 2),
        "ratio_ours_bare": round(t_ours / t_bare, 3) if t_bare > 0 else None,
        "ours_ocr_calls": res["ocr_calls"],
        "ours_pages": res["counts"]["pages"],
        "ours_quarantined": res["counts"]["quarantined"],
        "noop_ocr_calls": res2["ocr_calls"],
        "counts": res["counts"],
        "quality": scores,
        "coverage": coverage,
        "peak_rss_mib": {"bare": rss_bare, "ours": rss_ours, "noop": rss_noop},
        "goals": {
            "ratio_ok": t_bare > 0 and t_ours / t_bare <= GOAL_RATIO,
            "noop_ok": t_noop <= GOAL_NOOP_S,
        },
    }


def print_result(r: dict) -> None:
    print(f"source: {r['source']}  ({r['ocr_pages']} OCR pages, {r['workers']} workers)")
    print(f"  (a) bare tesseract CLI : {r['bare_s']:8.2f} s   peak RSS {r['peak_rss_mib']['bare']} MiB")
    print(f"  (b) manualtune build   : {r['ours_s']:8.2f} s   peak RSS {r['peak_rss_mib']['ours']} MiB"
          f"   ({r['ours_ocr_calls']} OCR calls, {r['ours_quarantined']} quarantined)")
    print(f"  (c) no-op rebuild      : {r['noop_s']:8.2f} s   peak RSS {r['peak_rss_mib']['noop']} MiB"
          f"   ({r['noop_ocr_calls']} OCR calls)")
    ok = r["goals"]
    q = r.get("quality") or {}
    if q:
        raw = "n/a" if q["raw_tesseract_cer"] is None else f"{q['raw_tesseract_cer']:.3f}"
        print(f"  OCR CER {q['ocr_cer']:.3f} (raw tesseract {raw}), WER {q['ocr_wer']:.3f}"
              f" on {q['ocr_pages_scored']} transcribed pages")
        print(f"  facts: precision {q['fact_precision']:.3f}  recall {q['fact_recall']:.3f}"
              f"  ({q['facts_matched']}/{q['facts_truth']} truth facts found, {q['facts_found']} facts emitted)")
    print(f"  ratio build/bare = {r['ratio_ours_bare']}  (goal <= {GOAL_RATIO}: {'ok' if ok['ratio_ok'] else 'MISSED'});"
          f" no-op goal <= {GOAL_NOOP_S} s: {'ok' if ok['noop_ok'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", type=Path, help="folder of scans (default: generated sample manual)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args(argv)
    tmp = None
    source = args.source
    if source is None:
        from manualtune.sample import generate_sample_manual

        tmp = tempfile.mkdtemp(prefix="mt-sample-")
        source = Path(tmp) / "sample"
        generate_sample_manual(source, seed=0)
    try:
        result = bench(source.resolve(), args.workers)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print_result(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
