"""A whole build over a folder of hostile inputs completes, quarantines each with its reason and
builds the one good page (the pipeline end of ``tests/ingest/test_hostile.py``)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from manualtune.cache import read_jsonl
from manualtune.ingest.reasons import reason_of
from manualtune.pipeline import EXIT_QUARANTINED, build
from manualtune.records import Quarantine
from manualtune.sample import generate_sample_manual

RESOURCES = Path(__file__).parents[1] / "resources"
_spec = importlib.util.spec_from_file_location("make_bad", RESOURCES / "make_bad.py")
make_bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_bad)


def test_build_over_hostile_folder_quarantines_each_and_builds_the_good_page(tmp_path):
    src, outside = tmp_path / "src", tmp_path / "outside"
    generate_sample_manual(src, seed=0, pages=["00 - Torque Specs/11-19.jpg"])
    good = src / "00 - Torque Specs" / "11-19.jpg"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(good.read_bytes())
    (src / "new\nline page.jpg").write_bytes(good.read_bytes()[:5000])  # truncated, odd name
    (src / "bomb.png").write_bytes(make_bad.bomb_png())
    (src / "locked.pdf").write_bytes(make_bad.minimal_pdf([["x"]], encrypted=True))
    (src / "deep.html").write_text("<html>" + "<div>" * 5000 + "55 Nm")
    (src / "link-out.jpg").symlink_to(outside / "secret.jpg")
    (src / "loop").symlink_to(src, target_is_directory=True)
    os.mkfifo(src / "pipe.jpg")
    with open(os.fsencode(str(src)) + b"/caf\xe9.jpg", "wb") as f:
        f.write(b"x")
    out = tmp_path / "build"
    result = build(src, out, workers=1)
    assert result.exit_code == EXIT_QUARANTINED
    got = {q.path: reason_of(q) for q in read_jsonl(out / "quarantine.jsonl", Quarantine)}
    assert got == {
        "bomb.png": "image_too_large", "caf\\xe9.jpg": "bad_file_name", "deep.html": "unreadable_html",
        "link-out.jpg": "symlink_outside_source", "locked.pdf": "encrypted_pdf", "loop": "symlinked_folder",
        "new\nline page.jpg": "truncated_image", "pipe.jpg": "not_a_regular_file",
    }
    summary = json.loads((out / "summary.json").read_text())["counts"]
    assert summary["pages"] == 1 and summary["pages_ocr"] == 1 and summary["quarantined"] == 8
    assert summary["facts"] > 0 and (out / "dataset" / "train.jsonl").exists()
    assert not (out / "build.lock").exists()
