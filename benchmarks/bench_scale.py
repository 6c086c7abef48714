"""Benchmark: how a build scales with pages — peak memory, clean-build throughput, rebuild times.

    .venv/bin/python benchmarks/bench_scale.py [--sample DIR] [--realpages DIR] [--pages 34,100,415]
                                               [--workers N] [--rebuilds-at N] [--json OUT]
                                               [--ray] [--bare] [--synthetic 1400]

For the sample manual (34 pages) and for the first N page files (sorted by path) of
``../shared/realpages`` (copied into a temp folder, so the build reads its own source), runs a
clean ``manualtune build`` in a subprocess and samples the resident memory of the build's whole
process tree (the CLI and its pool workers, psutil, every 0.1 s). At ``--rebuilds-at`` pages
(default: the largest N) it then times a no-op rebuild and a rebuild after one page changed (a
byte appended after the JPEG/PNG end marker: same pixels, new sha256, so exactly one page is
re-read and re-OCR-ed). Goals (issue 10): peak RSS at 415 pages <= 1.2x the sample manual's,
no-op rebuild <= 2 s. ``--bare`` times plain ``tesseract IMG stdout`` over the largest set with
the same processes (goal: the build <= 1.0x); ``--ray`` builds that set again with ``--executor ray``
(a local Ray) and checks the outputs are byte-identical; ``--synthetic N`` adds a curve point of
about N pages from the sample generator. Timings go to stdout (and --json), never into a build folder. ``--freeze``
builds with a copy of the HEAD commit's code, so edits to the tree during the run do not count.
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
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).parent))  # bench_build's bare-tesseract timing

import psutil  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf", ".html", ".htm"}
GOAL_RSS_RATIO = 1.2
GOAL_NOOP_S = 2.0


def tree_rss(pid: int) -> int:
    """Resident bytes of process ``pid`` and all its descendants (0 once it is gone)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


FROZEN_SRC: Path | None = None
"""``--freeze``: the builds import manualtune from this copy of the committed code (``git archive``)."""


def freeze_code(dest: Path) -> Path:
    """Copy ``src/`` of the repository's HEAD commit to ``dest``; returns the folder to put on PYTHONPATH.

    In a working tree others edit while the benchmark runs, the code would change between the clean
    build and the rebuilds; as the code is part of the build key, a no-op would then be a rebuild."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "src"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest / "src"


def run_build(source: Path, out: Path, workers: int, interval: float = 0.1, executor: str = "local") -> dict:
    """One ``manualtune build`` in a subprocess: exit code, seconds, peak RSS MiB of its process tree
    (with ``executor="ray"`` the local Ray's processes are children of the build too)."""
    cmd = [sys.executable, "-m", "manualtune.cli", "build", str(source), "--out", str(out), "--workers", str(workers),
           "--executor", executor]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "HF_HUB_OFFLINE": "1"}
    if FROZEN_SRC is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(FROZEN_SRC), *filter(None, [env.get("PYTHONPATH")])])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)
    reader.start()
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    reader.join(timeout=5)
    if proc.returncode not in (0, 3):
        sys.stderr.write("".join(stderr[-40:]))
        raise SystemExit(f"build of {source} failed with exit code {proc.returncode}")
    up_to_date = "up to date" in " ".join("".join(stderr).split())
    return {"exit": proc.returncode, "seconds": round(seconds, 2), "peak_rss_mib": round(peak / 2**20, 1),
            "up_to_date": up_to_date}


def noop_rebuild(source: Path, out: Path, workers: int, tries: int = 3) -> tuple[float, int]:
    """Seconds of a rebuild that found the folder up to date, and the tries it took: in a tree where
    the code changes meanwhile (the code is part of the build key) a rebuild is not a no-op."""
    for attempt in range(1, tries + 1):
        run = run_build(source, out, workers)
        if run["up_to_date"]:
            return run["seconds"], attempt
    return float("nan"), tries


def page_files(root: Path) -> list[Path]:
    return sorted((p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES),
                  key=lambda p: p.relative_to(root).as_posix())


def subset(realpages: Path, n: int, dest: Path) -> Path:
    """Copy the first ``n`` page files of ``realpages`` (sorted by relative path) into ``dest``."""
    files = page_files(realpages)[:n]
    if len(files) < n:
        raise SystemExit(f"{realpages} has only {len(files)} page files, {n} asked")
    for f in files:
        target = dest / f.relative_to(realpages)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    return dest


def change_one_page(source: Path) -> str:
    """Append one byte after the image data of the first image (same pixels, new sha256)."""
    first = next(p for p in page_files(source) if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    with first.open("ab") as f:
        f.write(b"\0")
    return first.relative_to(source).as_posix()


def pages_built(out: Path) -> int:
    return int(json.loads((out / "summary.json").read_text())["counts"]["pages"])


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every output file of a build folder but its caches and lock (what must be byte-identical)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] != "cache" and p.name != "build.lock"}


def bare_seconds(source: Path, workers: int) -> float:
    """Wall seconds of the bare ``tesseract IMG stdout`` over the same images, ``workers`` at a time."""
    from bench_build import bare_tesseract, page_images

    with tempfile.TemporaryDirectory(prefix="bench-scale-bare-") as tmp:
        images = page_images(source, Path(tmp), dpi=200)
        t0 = time.perf_counter()
        bare_tesseract(images, workers)
        return round(time.perf_counter() - t0, 2)


def synthetic_manual(dest: Path, pages: int) -> Path:
    """About ``pages`` pages of the sample generator: one volume per seed (``vol-<seed>/``), as many
    volumes as it takes (every volume has the same page count). Deterministic; a curve point well
    past the real folders' size."""
    from manualtune.sample import generate_sample_manual

    generate_sample_manual(dest / "vol-000", seed=0)
    per_volume = max(1, pages_in(dest / "vol-000"))
    for seed in range(1, -(-pages // per_volume)):
        generate_sample_manual(dest / f"vol-{seed:03d}", seed=seed)
    return dest


def pages_in(root: Path) -> int:
    if not root.is_dir():
        return 0
    from manualtune.ingest import inventory

    return len(inventory(root).pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=Path, default=None, help="sample manual folder (generated when missing)")
    ap.add_argument("--realpages", type=Path, default=ROOT.parent / "shared" / "realpages")
    ap.add_argument("--pages", default="34,100,415", help="page counts of realpages to build")
    ap.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--rebuilds-at", type=int, default=None, help="page count for the rebuild timings (default: max)")
    ap.add_argument("--no-rebuilds", action="store_true", help="skip the no-op / one-page-changed rebuilds")
    ap.add_argument("--no-sample", action="store_true", help="skip the sample manual build (RSS ratio not computed)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temp folder)")
    ap.add_argument("--freeze", action="store_true", help="build with a copy of the HEAD commit's code (see freeze_code)")
    ap.add_argument("--ray", action="store_true", help="also build the largest realpages count with --executor ray "
                    "(a local Ray on this machine) and check its outputs are byte-identical to the local build")
    ap.add_argument("--bare", action="store_true", help="time bare `tesseract IMG stdout` over the largest realpages "
                    "count with the same processes: the build / bare ratio per page")
    ap.add_argument("--synthetic", type=int, default=0, help="also build a synthetic manual of about N pages "
                    "from the sample generator (e.g. 1400) for the curve")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.pages.split(",") if x.strip()]
    at = args.rebuilds_at or (max(counts) if counts else None)

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    global FROZEN_SRC
    try:
        if args.freeze:
            FROZEN_SRC = freeze_code(work / "code")
            head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
            print(f"code frozen at {head.stdout.strip()} ({FROZEN_SRC})", flush=True)
        runs: list[tuple[str, Path]] = []
        if not args.no_sample:
            sample = args.sample
            if sample is None or not sample.is_dir():
                from manualtune.sample import generate_sample_manual

                sample = work / "sample-src"
                generate_sample_manual(sample, seed=0)
            runs.append(("sample manual", sample))
        if counts and not args.realpages.is_dir():
            print(f"no {args.realpages}: realpages rows skipped", file=sys.stderr)
            counts = []
        for n in counts:
            runs.append((f"realpages {n}", subset(args.realpages, n, work / f"real-{n}")))
        if args.synthetic:
            runs.append((f"synthetic {args.synthetic}", synthetic_manual(work / "synthetic-src", args.synthetic)))
        for label, src in runs:
            out = work / f"build-{label.replace(' ', '-')}"
            shutil.rmtree(out, ignore_errors=True)
            row = {"what": label, "workers": args.workers, **run_build(src, out, args.workers)}
            row.pop("up_to_date")
            row["pages"] = pages_built(out)
            row["pages_per_min"] = round(60 * row["pages"] / row["seconds"], 1)
            if not args.no_rebuilds and label == f"realpages {at}":
                row["noop_rebuild_s"], row["noop_tries"] = noop_rebuild(src, out, args.workers)
                row["changed_page"] = change_one_page(src)
                changed = run_build(src, out, args.workers)
                row["one_page_changed_rebuild_s"] = changed["seconds"]
                row["one_page_changed_peak_rss_mib"] = changed["peak_rss_mib"]
            if label == f"realpages {at}" and args.bare:
                row["bare_tesseract_s"] = bare_seconds(src, args.workers)
                row["build_vs_bare"] = round(row["seconds"] / row["bare_tesseract_s"], 2)
            rows.append(row)
            print(json.dumps(row, sort_keys=True), flush=True)
            if label == f"realpages {at}" and args.ray:
                ray_out = work / f"build-{label.replace(' ', '-')}-ray"
                shutil.rmtree(ray_out, ignore_errors=True)
                if args.no_rebuilds:
                    local_out = out
                else:  # the rebuilds above changed one page: a fresh local build of the same bytes
                    local_out = work / f"build-{label.replace(' ', '-')}-local2"
                    shutil.rmtree(local_out, ignore_errors=True)
                    run_build(src, local_out, args.workers)
                ray_row = {"what": f"{label} (ray)", "workers": args.workers,
                           **run_build(src, ray_out, args.workers, executor="ray")}
                ray_row.pop("up_to_date")
                ray_row["pages"] = pages_built(ray_out)
                ray_row["pages_per_min"] = round(60 * ray_row["pages"] / ray_row["seconds"], 1)
                ray_row["identical_to_local"] = output_bytes(ray_out) == output_bytes(local_out)
                rows.append(ray_row)
                print(json.dumps(ray_row, sort_keys=True), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    base = rows[0]["peak_rss_mib"] if rows and rows[0]["what"] == "sample manual" else 0
    print("\n| build | pages | clean build s | pages/min | peak RSS MiB | RSS vs sample | no-op s | 1 page changed s "
          "| bare tesseract s (build / bare) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['peak_rss_mib'] / base:.2f}x" if base else "-"
        bare = f"{r['bare_tesseract_s']} ({r['build_vs_bare']}x)" if "bare_tesseract_s" in r else "-"
        same = "" if "identical_to_local" not in r else (" , identical" if r["identical_to_local"] else " , DIFFERENT")
        print(f"| {r['what']}{same} | {r['pages']} | {r['seconds']} | {r['pages_per_min']} | {r['peak_rss_mib']} | "
              f"{ratio} | {r.get('noop_rebuild_s', '-')} | {r.get('one_page_changed_rebuild_s', '-')} | {bare} |")
    goals = {}
    local = [r for r in rows if r["what"] != "sample manual" and "identical_to_local" not in r]
    if local and base:  # the largest build on the local executor (a local Ray adds its own daemons)
        largest = max(local, key=lambda r: r["pages"])
        goals["rss_ratio_largest"] = round(largest["peak_rss_mib"] / base, 2)
        goals["rss_ok"] = goals["rss_ratio_largest"] <= GOAL_RSS_RATIO
    noop = [r["noop_rebuild_s"] for r in rows if "noop_rebuild_s" in r]
    if noop:
        goals["noop_ok"] = noop[0] <= GOAL_NOOP_S
    ratio_rows = [r["build_vs_bare"] for r in rows if "build_vs_bare" in r]
    if ratio_rows:
        goals["build_vs_bare"] = ratio_rows[0]
        goals["speed_ok"] = ratio_rows[0] <= 1.0
    same = [r["identical_to_local"] for r in rows if "identical_to_local" in r]
    if same:
        goals["ray_identical"] = all(same)
    print(f"goals (RSS <= {GOAL_RSS_RATIO}x the sample's, no-op <= {GOAL_NOOP_S} s, build <= 1.0x bare tesseract, "
          f"ray == local): {json.dumps(goals, sort_keys=True)}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "goals": goals}, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
