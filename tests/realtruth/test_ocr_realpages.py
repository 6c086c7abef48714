"""Reading order on the hand-read real pages: per transcribed page, manualtune's page text has a
CER no higher than plain ``tesseract IMAGE -`` on the same image (skipped without
``../shared/realpages``). Figures are printed per page and per half (tune / check) with ``-s``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualtune.quality.ocr_score import OCRScore, score_ocr

REALTRUTH = Path(__file__).resolve().parents[1] / "resources" / "realtruth"

#: check-half pages where our CER is above plain tesseract's (measured 2026-12-02, not tuned on:
#: the check half is only scored). A page that newly gets worse fails the test; see the README ("OCR").
#: 34-05 (0.523 vs 0.041 on 2026-12-01) left the list with tesseract's block order on pages without
#: a word gutter and ruled spans holding a photo no longer read as tables (0.008).
KNOWN_WORSE: dict[str, str] = {}
#: 62-00-index-b (check: 0.374 vs 0.242) left the list on 2026-12-03 (fifth session) when the scoring
#: dropped dot leaders on both sides, as the transcript conventions leave them out: its truth file was
#: the one index transcript that wrote its leader as 31 dots, which plain tesseract's leader garbage
#: matched and our painted-out leader did not (0.075 vs 0.343 now; found by counts, the page unseen).
#: 00-00-intro-01 (check, batch 2: 0.545 vs 0.102) left the list on 2026-12-02 evening with the order
#: check (ocr/order_check.py: rows joining two printed columns send a page to tesseract's own order): 0.007.


def _transcribed() -> dict[str, str]:
    """file -> half of the annotated pages whose truth file has a transcript."""
    split = json.loads((REALTRUTH / "split.json").read_text(encoding="utf-8"))["pages"]
    out = {}
    for p in split:
        f = (REALTRUTH / "pages" / p["file"]).with_suffix(".truth.json")
        if f.is_file() and json.loads(f.read_text(encoding="utf-8")).get("transcript"):
            out[p["file"]] = p["half"]
    return out


@pytest.fixture(scope="module")
def real_build(realtruth_build: Path) -> Path:
    """The shared build of the annotated pages (skips without ``../shared/realpages``)."""
    return realtruth_build


@pytest.fixture(scope="module")
def real_score(real_build: Path) -> OCRScore:
    score = score_ocr(real_build, REALTRUTH, raw=True)
    print("\nCER per transcribed real page: ours vs plain `tesseract IMAGE -`")
    for p in sorted(score.pages, key=lambda p: (p.half or "", p.file)):
        mark = "" if p.not_worse else "   <-- worse than tesseract"
        print(f"  {p.half:5s} {p.file:70s} ours {p.cer:.3f}  tesseract {p.raw_cer:.3f}{mark}")
    for half, r in score.halves.items():
        print(f"  {half} half: ours {r.cer:.4f} / tesseract {r.raw_cer}  (WER {r.wer:.4f} / {r.raw_wer})")
    return score


def test_every_transcribed_page_is_scored(real_score: OCRScore) -> None:
    want = _transcribed()
    assert want, "no transcribed truth pages"
    assert real_score.missing == []
    assert {p.file: p.half for p in real_score.pages} == want
    assert all(p.raw_cer is not None for p in real_score.pages)


@pytest.mark.parametrize("half", ["tune", "check"])
def test_cer_never_worse_than_plain_tesseract(real_score: OCRScore, half: str) -> None:
    pages = [p for p in real_score.pages if p.half == half]
    if not pages:
        pytest.skip(f"no transcribed {half} pages yet")
    worse = {p.file: (p.cer, p.raw_cer) for p in pages if not p.not_worse}
    assert sorted(set(worse) - set(KNOWN_WORSE)) == []
    if half == "tune":
        assert worse == {}
    # the half as a whole: measured 2026-12-01, see the README ("OCR")
    r = real_score.halves[half]
    assert r.raw_cer is not None and r.cer < r.raw_cer


def test_photo_text_is_figure_metadata(real_build: Path) -> None:
    """Figure codes printed under the photos of a photo | text page are in ``figures``, not in the text."""
    from manualtune.records import PageOCR

    pages = [PageOCR.model_validate_json(p.read_text(encoding="utf-8")) for p in (real_build / "ocr").glob("*.json")]
    page = next((p for p in pages if p.source == "23 - Manual Transmission/23-110.jpg"), None)
    if page is None:
        pytest.skip("23-110 not in the annotated build")
    codes = " ".join(f.text for f in page.figures).replace(" ", "")
    assert "3023" in codes  # "30 23 228" ... "30 23 235" under the eight photos
    assert "30 23" not in page.text and "3023" not in page.text.replace(" ", "")
    assert "Remove bolt (10) for operating lever." in page.text
