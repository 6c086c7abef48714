"""Crash-safe resume: SIGKILL a build at seeded random moments, rerun it, and the outputs are
byte-identical to a clean build's (everything but ``cache/``).

A small source (a scanned sample page, the 3-page text-layer PDF and the HTML sheet) is built once
cleanly; then the same source is built into a second folder that is killed (the whole process
group, pool workers too: a machine crash, not a polite stop) 3 times at moments drawn from a
seeded RNG over the clean build's duration (counted from when the build holds its lock, so the
varying import time does not matter), and finally run to completion. After each kill, a
folder that passes :func:`~manualtune.cache.verify_build` (its ``build_manifest.json``) must already
be byte-identical to the clean build: readers can tell a complete build from an interrupted one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from manualtune.cache import BUILD_MANIFEST, verify_build
from manualtune.lock import LOCK_NAME
from manualtune.sample import generate_sample_manual

PAGES = ["00 - Torque Specs/11-19.jpg", "*.pdf", "*.html"]
KILLS = 3
SEED = int(os.environ.get("MANUALTUNE_KILL_SEED", "10"))  # other seeds: explore more kill moments


def _build_cmd(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "manualtune.cli", "build", str(src), "--out", str(out), "--workers", "2"]


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1", "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}


def _run(src: Path, out: Path) -> tuple[int, str]:
    p = subprocess.run(_build_cmd(src, out), env=_env(), capture_output=True, text=True, timeout=300)
    return p.returncode, p.stderr + p.stdout


def _holds_lock(out: Path, pid: int) -> bool:
    try:
        return json.loads((out / LOCK_NAME).read_text()).get("pid") == pid
    except (OSError, ValueError):
        return False


def _build_killed_after(src: Path, out: Path, seconds: float | None) -> tuple[bool, float]:
    """Start a build; ``seconds`` after it has taken the lock (its imports are done: their time
    varies a lot on a loaded machine), SIGKILL its process group. ``seconds=None``: let it finish.
    Returns (killed, seconds from taking the lock to the end)."""
    p = subprocess.Popen(
        _build_cmd(src, out), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    while p.poll() is None and not _holds_lock(out, p.pid):
        time.sleep(0.01)
    t_lock = time.perf_counter()
    try:
        _, err = p.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()  # reaped: its pid is no longer alive, its lock is stale
        return True, time.perf_counter() - t_lock
    assert p.returncode in (0, 3), f"the build failed on its own (kill planned at {seconds} s): {err[-3000:]}"
    return False, time.perf_counter() - t_lock


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != "cache"
    }


@pytest.fixture(scope="module")
def small_source(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("kill-src")
    generate_sample_manual(src, seed=0, pages=PAGES)
    return src


def test_sigkill_at_random_points_then_resume_is_byte_identical(small_source, tmp_path):
    # one build folder path for both builds: some outputs name their own folder (review/summary.json)
    out, reference_dir = tmp_path / "out", tmp_path / "reference"
    _, work_s = _build_killed_after(small_source, out, None)
    out.rename(reference_dir)
    reference = _tree(reference_dir)
    assert "summary.json" in reference and "dataset/train.jsonl" in reference and LOCK_NAME not in reference
    assert verify_build(reference_dir) == [] and BUILD_MANIFEST in reference

    rng = random.Random(SEED)
    moments = [round(rng.uniform(0.02, 0.7) * work_s, 2) for _ in range(KILLS)]
    killed = 0
    for seconds in moments:
        for delay in (seconds, seconds / 3, seconds / 9):  # finished first (a faster run): kill earlier
            hit, _ = _build_killed_after(small_source, out, delay)
            if out.exists() and verify_build(out) == []:  # a folder that verifies is one complete build
                assert _tree(out) == reference, f"killed at {delay:.2f} s: verifies but differs from the clean build"
            if hit:
                killed += 1
                break
    assert killed >= 2, f"kills at {moments} s after the lock hit only {killed} running builds (clean: {work_s:.1f} s)"
    stale = (out / LOCK_NAME).exists()  # the last kill hit a build holding the lock
    rc, log = _run(small_source, out)
    assert rc in (0, 3), log
    assert ("taking over the stale lock" in " ".join(log.split())) == stale, log
    got = _tree(out)
    assert sorted(got) == sorted(reference), f"kills at {moments} s"
    different = [name for name in reference if got[name] != reference[name]]
    assert different == [], f"kills at {moments} s: files differ from the clean build: {different}"
    assert not (out / LOCK_NAME).exists() and verify_build(out) == []
