"""build_blocks: reading order, headers/footers, figure captions, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layout_synth import LINE_H, page_from, paragraph, words_at
from rapidfuzz import fuzz

from manualtune.layout import LayoutConfig, build_blocks
from manualtune.layout.geometry import detect_column_split
from manualtune.records import BBox, Line, PageOCR, Word

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"
DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"

LEFT = [
    ["Remove the cylinder head cover and keep", "the gasket for reassembly later on."],
    ["Turn the crankshaft until cylinder one", "is at top dead centre of compression."],
    ["Check the valve clearance with a feeler", "gauge between rocker and cam lobe."],
]
RIGHT = [
    ["Loosen the lock nut and turn the adjusting", "eccentric until the gauge just slides."],
    ["Tighten the lock nut and check the clearance", "once more before you fit the cover."],
]


def _two_column_page() -> PageOCR:
    word_lines = []
    y = 100
    for para in LEFT:
        ws, y = paragraph(para, 60, y)
        word_lines += ws
        y += 2 * LINE_H
    y = 100
    for para in RIGHT:
        ws, y = paragraph(para, 660, y)
        word_lines += ws
        y += 3 * LINE_H
    # OCR engines often glue the two columns into one line: do the same to the first lines
    word_lines[0] = word_lines[0] + word_lines[len(LEFT) * 2]
    del word_lines[len(LEFT) * 2]
    return page_from(word_lines)


def _load(stem: str) -> PageOCR:
    return PageOCR.model_validate_json((RES / f"{stem}.ocr.json").read_text(encoding="utf-8"))


def test_two_column_synthetic_left_column_first() -> None:
    blocks = build_blocks(_two_column_page(), LayoutConfig())
    body = [b for b in blocks if b.kind in ("paragraph", "procedure_step")]
    expected = [p[0].split()[0] for p in LEFT + RIGHT]
    assert [b.text.split()[0] for b in body] == expected
    assert [b.column for b in body] == [0, 0, 0, 1, 1]
    assert [b.order for b in blocks] == list(range(len(blocks)))
    assert all(b.block_id == f"{b.page_id}/b{b.order:03d}" for b in blocks)
    # every block keeps its two printed lines whole
    assert all(len(b.text.splitlines()) == 2 for b in body)


def test_column_split_lies_in_the_gap() -> None:
    page = _two_column_page()
    words = [w for ln in page.lines for w in ln.words]
    split = detect_column_split(words, page.width, LayoutConfig())
    left_edge = max(w.bbox.x1 for w in words if w.bbox.x0 < 600)
    assert split is not None and left_edge < split < 660
    one_col = [w for w in words if w.bbox.x0 < 600]
    assert detect_column_split(one_col, page.width, LayoutConfig()) is None


def test_headers_and_footers_kept_out_of_body() -> None:
    word_lines = [words_at("11-64", 560, 10), words_at("AZD11-16.frb", 20, 20), words_at("20/10/97", 200, 20)]
    ws, _ = paragraph(["Weight class is shown on the connecting rod", "by a certain number of paint dots."], 60, 120)
    word_lines += ws + [words_at("11 - 65", 560, 870)]
    blocks = build_blocks(page_from(word_lines), LayoutConfig())
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["11-64"] == "header" and kinds["AZD11-16.frb"] == "header" and kinds["20/10/97"] == "header"
    assert kinds["11 - 65"] == "footer"
    body = [b for b in blocks if b.kind not in ("header", "footer")]
    assert len(body) == 1 and "11-64" not in body[0].text and "frb" not in body[0].text
    assert all(b.page_label == "11-64" for b in blocks)
    assert blocks[-1].kind == "footer" and blocks[0].kind == "header"


def test_provenance_and_confidence() -> None:
    blocks = build_blocks(_two_column_page(), LayoutConfig())
    b = blocks[0]
    assert b.source.file == "synthetic.png" and b.source.page == 1 and b.source.page_id == b.page_id
    assert b.source.ocr_confidence == pytest.approx(95.0)
    assert b.source.bbox is not None and b.source.bbox.x0 == 60


def test_bad_input_never_raises() -> None:
    empty = page_from([])
    assert build_blocks(empty, LayoutConfig()) == []
    weird = Word(text="x", bbox=BBox(x0=5, y0=5, x1=5, y1=5), conf=-1)
    page = page_from([[weird]]).model_copy(
        update={"lines": [Line(text="x", bbox=weird.bbox, conf=0, words=[weird])], "width": 0, "height": 0}
    )
    assert isinstance(build_blocks(page, LayoutConfig()), list)


def test_proc_11_64_steps_in_reading_order() -> None:
    truth_path = DEVDATA / "proc_11-64.truth.json"
    if not truth_path.exists():
        pytest.skip("devdata not available")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    blocks = build_blocks(_load("proc_11-64"), LayoutConfig())
    steps = [b for b in blocks if b.kind == "procedure_step"]

    def norm(text: str) -> str:
        return " ".join("".join(c for c in w.lower() if c.isalnum()) for w in text.split())

    assert len(steps) == len(truth["steps"]), [b.text[:40] for b in steps]
    for block, first_words in zip(steps, truth["steps"], strict=True):
        want = " ".join(norm(first_words).split()[:4])
        score = fuzz.partial_ratio(want, norm(block.text)[: len(want) + 20])
        assert score >= 85, (want, block.text[:60])
    assert len(steps) == len(truth["steps"])
    # left column (first procedure) entirely before the right column
    assert [b.column for b in steps] == [0, 0, 1, 1, 1, 1]
    headings = [b for b in blocks if b.kind == "heading"]
    assert [b.meta["repair_code"] for b in headings] == truth["operation_codes"]
    assert all(b.page_label == "11-64" for b in blocks)
    # figure codes are captions, never part of a step
    captions = [b for b in blocks if b.kind == "figure_caption"]
    assert len(captions) >= 3 and all("11064" not in s.text for s in steps)


def test_a_layout_bug_is_a_stage_error(monkeypatch) -> None:
    """Inside a build a page that cannot be laid out is recorded, never a silent empty page."""
    import manualtune.layout.blocks as blocks_mod
    from manualtune.stage_errors import collect_stage_errors

    def broken(_page, _cfg):
        raise IndexError("column model")

    monkeypatch.setattr(blocks_mod, "_build_blocks", broken)
    page = page_from([])
    with collect_stage_errors() as errors:
        assert build_blocks(page, LayoutConfig()) == []
    assert [(e.stage, e.record_id, e.exception) for e in errors] == [("layout", page.page_id, "IndexError")]
    with pytest.raises(IndexError):
        build_blocks(page, LayoutConfig())
