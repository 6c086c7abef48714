"""Shared fixtures: the bundled sample manual, generated once per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from manualtune.cache import link_or_copy, read_jsonl
from manualtune.generate import GenerateConfig, generate_examples
from manualtune.records import Block, Conflict, Example, Procedure, SpecFact
from manualtune.sample import generate_sample_manual

RECORDS = Path(__file__).parent / "resources" / "records"


@pytest.fixture(scope="session")
def sample_manual(tmp_path_factory) -> Path:
    """The full Corvane 240 sample manual (seed 0): page JPGs, PDF, HTML sheet, truth, MANIFEST.json."""
    out = tmp_path_factory.mktemp("sample-manual")
    generate_sample_manual(out, seed=0)
    return out


@pytest.fixture(scope="module")
def records() -> tuple[list[SpecFact], list[Procedure], list[Block], list[Conflict]]:
    """Hand-checked record fixtures (tests/resources/records, written by make_records.py)."""
    return (
        read_jsonl(RECORDS / "facts.jsonl", SpecFact),
        read_jsonl(RECORDS / "procedures.jsonl", Procedure),
        read_jsonl(RECORDS / "blocks.jsonl", Block),
        read_jsonl(RECORDS / "conflicts.jsonl", Conflict),
    )


@pytest.fixture(scope="module")
def examples(records) -> list[Example]:
    facts, procs, blocks, conflicts = records
    return generate_examples(facts, procs, blocks, GenerateConfig(), conflicts=conflicts)


@pytest.fixture(scope="session")
def sample_page_ocr(tmp_path_factory):
    """``ocr(rel) -> (PageOCR, truth dict)`` for one page of the sample manual, rendered and run
    through the real preprocess + OCR (``ocr_page_image``) once per test session."""

    import cv2

    from manualtune.config import BuildConfig
    from manualtune.ocr.engines import TesseractEngine
    from manualtune.ocr.stage import ocr_page_image
    from manualtune.records import PageRef

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    out = tmp_path_factory.mktemp("sample-pages")
    cfg = BuildConfig()
    engine: list[TesseractEngine] = []
    done: dict[str, tuple] = {}

    def ocr(rel: str):
        if rel not in done:
            generate_sample_manual(out, pages=[rel])
            if not engine:
                engine.append(TesseractEngine(cfg.ocr))
            ref = PageRef(page_id=f"{rel}#p1", source=rel, page=1, sha256="0" * 64, kind="image")
            page = ocr_page_image(cv2.imread(str(out / rel), cv2.IMREAD_GRAYSCALE), ref, cfg, engine[0])
            truth = json.loads((out / rel).with_suffix(".truth.json").read_text(encoding="utf-8"))
            done[rel] = (page, truth)
        return done[rel]

    return ocr


REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"
REALTRUTH = Path(__file__).parent / "resources" / "realtruth"


def realtruth_pages(half: str | None = None) -> list[dict]:
    """The annotated realpages (``split.json``): ``{"file", "stratum", "half"}``, optionally one half."""
    pages = json.loads((REALTRUTH / "split.json").read_text(encoding="utf-8"))["pages"]
    return [p for p in pages if half is None or p["half"] == half]


def realtruth_file(page: dict) -> Path:
    """Where the truth of one annotated page lives (it may not be written yet)."""
    return (REALTRUTH / "pages" / page["file"]).with_suffix(".truth.json")


def place_page(scan: Path, dest: Path) -> None:
    """Put one scan into a test source folder (hard link, else copy; build/ is git-ignored); a symlink
    left by an older session is replaced, since the inventory never follows one out of the folder."""
    if dest.exists() and not dest.is_symlink():
        return
    dest.unlink(missing_ok=True)
    link_or_copy(scan, dest)


@pytest.fixture(scope="session")
def realtruth_build() -> Path:
    """A manualtune build of the annotated realpages (skipped without ``../shared/realpages``).

    The source folder holds links (or copies) with the pages' original relative paths, so page ids and
    citations name ``<section folder>/<file>`` as in a build of the whole folder. The build lives in
    one folder for all xdist workers (a file lock makes the second worker wait for the first build
    and then get a no-op rebuild), under the repository's ignored ``build/`` so the OCR cache is
    reused between test sessions."""
    if not REALPAGES.is_dir():
        pytest.skip("../shared/realpages not present")
    from filelock import FileLock

    from manualtune.config import BuildConfig
    from manualtune.pipeline import build

    root = Path(__file__).resolve().parents[1] / "build" / "tests-realtruth"
    src, out = root / "src", root / "out"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / ".lock")):
        for page in realtruth_pages():
            place_page(REALPAGES / page["file"], src / page["file"])
        build(src, out, BuildConfig(), workers=2)
    return out
