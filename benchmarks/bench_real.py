"""Benchmark on real scans: the hand-read realpages truth (tune half / check half) and the whole realpages set.

    .venv/bin/python benchmarks/bench_real.py [--realpages ../shared/realpages] [--truth tests/resources/realtruth]
                                              [--workers N] [--full] [--json OUT]

(a) builds the annotated pages (a folder of symlinks with their original relative paths) and prints, per half
    (rules were written looking at the tune half only; the check half is never tuned on): OCR CER ours vs plain
    ``tesseract IMAGE -`` and pages where ours is worse, fact precision / recall (all facts and the trusted ones
    that make examples), wiring-label recall;
(b) with ``--full``: ``benchmarks/bench_build.py``'s measurement of the whole realpages folder (bare tesseract
    vs the build with the same processes, no-op rebuild, peak RSS) plus pages with >= 1 example by page kind.
The devdata figures come from ``bench_build`` (``make bench`` runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).parent))


def link_pages(realpages: Path, files: list[str], dest: Path) -> Path:
    """Hard links (else copies) of the pages under their original relative paths: the inventory never
    follows a symlink out of the source folder."""
    from manualtune.cache import link_or_copy

    for rel in files:
        if not (dest / rel).exists():
            link_or_copy(realpages / rel, dest / rel)
    return dest


def half_truth(truth: Path, split: list[dict], half: str, dest: Path) -> Path:
    """A truth folder holding only one half's files (fact_score reads a folder)."""
    for p in split:
        if p["half"] != half:
            continue
        src = (truth / "pages" / p["file"]).with_suffix(".truth.json")
        if src.is_file():
            link = (dest / p["file"]).with_suffix(".truth.json")
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(src.resolve())
    return dest


def annotated(realpages: Path, truth: Path, workers: int, work: Path) -> dict:
    from manualtune.cache import read_jsonl
    from manualtune.config import BuildConfig
    from manualtune.pipeline import build
    from manualtune.quality.fact_score import score_facts
    from manualtune.quality.ocr_score import score_ocr, score_wiring_labels
    from manualtune.records import SpecFact

    split = json.loads((truth / "split.json").read_text(encoding="utf-8"))["pages"]
    src = link_pages(realpages, [p["file"] for p in split], work / "src")
    out = work / "build"
    build(src, out, BuildConfig(), workers=workers)
    facts = read_jsonl(out / "records" / "facts.jsonl", SpecFact)
    ocr = score_ocr(out, truth / "pages", raw=True, workers=workers)
    wiring = score_wiring_labels(out, truth / "pages")
    res: dict = {"pages": len(split), "halves": {}}
    for half in ("tune", "check"):
        tdir = half_truth(truth, split, half, work / f"truth-{half}")
        allf, trusted = score_facts(facts, tdir), score_facts(facts, tdir, trusted_only=True)
        o = ocr.halves.get(half)
        pages = [p for p in ocr.pages if p.half == half]
        res["halves"][half] = {
            "ocr_cer": getattr(o, "cer", None), "tesseract_cer": getattr(o, "raw_cer", None),
            "ocr_pages": len(pages), "ocr_pages_worse": [p.file for p in pages if p.not_worse is False],
            "fact_precision": allf.precision, "fact_recall": allf.recall,
            "trusted_precision": trusted.precision, "trusted_recall": trusted.recall,
            "facts_truth": allf.truth, "facts_matched": allf.matched, "facts_emitted": allf.predicted,
            "trusted_emitted": trusted.predicted,
            "wiring_label_recall": wiring.halves.get(half),
        }
    return res


def full(realpages: Path, workers: int) -> dict:
    from bench_build import bench

    r = bench(realpages.resolve(), workers)
    return r


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--realpages", type=Path, default=Path("../shared/realpages"))
    ap.add_argument("--truth", type=Path, default=Path("tests/resources/realtruth"))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--full", action="store_true", help="also time a build of every realpages page")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args(argv)
    if not args.realpages.is_dir():
        print(f"skipped (not found): {args.realpages}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mt-bench-real-") as tmp:
        res = {"annotated": annotated(args.realpages.resolve(), args.truth.resolve(), args.workers, Path(tmp))}
    print(f"realpages, {res['annotated']['pages']} hand-read pages (rules written on the tune half only):")
    for half, h in res["annotated"]["halves"].items():
        worse = ", ".join(h["ocr_pages_worse"]) or "none"
        print(f"  {half:5s}: OCR CER {_f(h['ocr_cer'])} vs plain tesseract {_f(h['tesseract_cer'])} on {h['ocr_pages']}"
              f" transcribed pages (worse than tesseract: {worse})")
        print(f"         facts precision {_f(h['fact_precision'])} recall {_f(h['fact_recall'])}"
              f" ({h['facts_matched']}/{h['facts_truth']}, {h['facts_emitted']} emitted); trusted (make examples):"
              f" precision {_f(h['trusted_precision'])} recall {_f(h['trusted_recall'])}"
              f"; wiring-label recall {_f(h['wiring_label_recall'])}")
    if args.full:
        from bench_build import print_result

        r = full(args.realpages, args.workers)
        res["full"] = r
        print_result(r)
        print(f"  seconds per page: ours {r['ours_s'] / max(1, r['ocr_pages']):.2f}, bare tesseract"
              f" {r['bare_s'] / max(1, r['ocr_pages']):.2f}")
        cov = r.get("coverage") or {}
        print(f"  pages with >= 1 example: {cov.get('pages_with_example')} of {cov.get('pages')}; by page kind:")
        for kind, g in (cov.get("by_kind") or {}).items():
            print(f"    {kind:16s} {g['with_example']:4d} / {g['pages']:4d} pages  ({g['with_fact']} with a fact)")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, sort_keys=True, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
