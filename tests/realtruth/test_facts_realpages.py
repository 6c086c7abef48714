"""Facts on the hand-read real pages (skipped without ``../shared/realpages``).

On the CHECK half (and the tune half) no fact that can make an example (not ``needs_review``) may
carry a number that is absent from its page's truth (precision target 1.0); recall of the tune and
check halves, and of each annotation batch, is printed with ``-s`` (figures in the README ("Spec facts"))."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from manualtune.cache import read_jsonl
from manualtune.quality.fact_score import FactScore, absent_values, score_facts
from manualtune.records import SpecFact

REALTRUTH = Path(__file__).resolve().parents[1] / "resources" / "realtruth"


def _split() -> list[dict]:
    return json.loads((REALTRUTH / "split.json").read_text(encoding="utf-8"))["pages"]


def _half_dir(half: str, into: Path, batch: int | None = None) -> Path:
    """A folder holding only the truth files of one half (the annotated pages written so far), of one
    annotation ``batch`` when given (split.json: no "batch" = batch 1)."""
    out = into / (half if batch is None else f"{half}-batch{batch}")
    for p in _split():
        src = (REALTRUTH / "pages" / p["file"]).with_suffix(".truth.json")
        if p["half"] == half and src.is_file() and batch in (None, p.get("batch", 1)):
            dst = out / src.relative_to(REALTRUTH / "pages")
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    return out


@pytest.fixture(scope="module")
def real_facts(realtruth_build: Path) -> list[SpecFact]:
    assert not (realtruth_build / "quarantine.jsonl").read_text().strip(), "every annotated page must be read"
    return read_jsonl(realtruth_build / "records" / "facts.jsonl", SpecFact)


@pytest.fixture(scope="module")
def halves(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("realtruth-halves")
    return {h: _half_dir(h, root) for h in ("tune", "check")}


def _report(half: str, s: FactScore, every: FactScore) -> None:
    print(f"\nfacts on the {half} half: trusted precision {s.precision:.3f} recall {s.recall:.3f} "
          f"({s.matched}/{s.truth} truth facts, {s.predicted} trusted facts, {s.review_left_out} need review); "
          f"all facts precision {every.precision:.3f} recall {every.recall:.3f}")


@pytest.mark.parametrize("half", ["tune", "check"])
def test_recall_is_printed_per_half(real_facts: list[SpecFact], halves: dict[str, Path], half: str) -> None:
    if not any(halves[half].rglob("*.truth.json")):
        pytest.skip(f"no {half} truth pages yet")
    trusted = score_facts(real_facts, halves[half], trusted_only=True)
    every = score_facts(real_facts, halves[half])
    _report(half, trusted, every)
    assert trusted.pages and trusted.truth > 0
    assert every.predicted > 0, f"the build read no fact on any {half} page (were the pages quarantined?)"
    assert trusted.predicted + trusted.review_left_out == every.predicted


@pytest.mark.parametrize("batch", sorted({p.get("batch", 1) for p in _split()}))
def test_recall_is_printed_per_batch(real_facts: list[SpecFact], tmp_path: Path, batch: int) -> None:
    """Each annotation batch scored on its own (batch 2 was drawn after the batch-1 rules were written)."""
    scored = 0
    for half in ("tune", "check"):
        d = _half_dir(half, tmp_path, batch)
        if not any(d.rglob("*.truth.json")):
            continue
        s = score_facts(real_facts, d, trusted_only=True)
        print(f"\nbatch {batch} {half}: {len(s.pages)} pages, trusted precision {s.precision:.3f} recall "
              f"{s.recall:.3f} ({s.matched}/{s.truth})")
        assert len(s.pages) == sum(1 for p in _split() if p["half"] == half and p.get("batch", 1) == batch
                                   and (REALTRUTH / "pages" / p["file"]).with_suffix(".truth.json").is_file())
        scored += len(s.pages)
    if not scored:
        pytest.skip(f"no truth pages of batch {batch} yet")


@pytest.mark.parametrize("half", ["check", "tune"])
def test_no_trusted_value_absent_from_truth(real_facts: list[SpecFact], halves: dict[str, Path], half: str) -> None:
    """No trusted fact carries a number its page does not print (check: the target; tune: tuned on, so
    a wrong number there is a defect of the rule that made it)."""
    if not any(halves[half].rglob("*.truth.json")):
        pytest.skip(f"no {half} truth pages yet")
    wrong = absent_values(real_facts, halves[half])
    for w in wrong:
        print(f"  absent from truth: {w['file']}: {w['value']} {w['unit']} ({w['component']!r})")
    assert wrong == []


def test_pages_with_repeated_file_names_are_scored_apart(real_facts: list[SpecFact], halves: dict[str, Path]) -> None:
    """Facts of '<folder>/11-25.jpg' are scored only against that folder's truth, never another's."""
    s = score_facts(real_facts, halves["tune"])
    files = {p.file for p in s.pages}
    assert all("/" in f for f in files)
    for f in s.false_facts:
        assert any(fact.source.file == f["file"] or fact.source.file.endswith("/" + f["file"])
                   for fact in real_facts if fact.fact_id == f["fact_id"])
