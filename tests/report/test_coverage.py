"""Coverage figures: page kinds from blocks, pages with facts / examples per kind and section."""

from __future__ import annotations

import pytest

from manualtune.records import Block, PageRef, Provenance
from manualtune.report.coverage import coverage_figures, generation_figures, page_kind, section_of


def _block(kind: str, page_id: str = "a/1.jpg#p1@x", **meta) -> Block:
    src = Provenance(file=page_id.split("#")[0], page=1, page_id=page_id)
    return Block(block_id=f"{page_id}/{kind}", kind=kind, text="x", page_id=page_id, order=0, source=src, meta=meta)


@pytest.mark.parametrize(
    ("kinds", "want"),
    [
        (["heading", "wiring", "procedure_step"], "wiring"),
        (["troubleshooting", "table"], "troubleshooting"),
        (["index_entry", "heading"], "index"),
        (["table", "paragraph"], "table"),
        (["procedure_step", "warning"], "procedure"),
        (["paragraph", "note"], "text"),
        (["figure_caption"], "figure"),
        (["heading", "header", "footer"], "no text"),
        ([], "no text"),
    ],
)
def test_page_kind(kinds, want):
    assert page_kind([_block(k) for k in kinds]) == want


def test_page_kind_from_meta_and_html():
    assert page_kind([_block("heading", page_kind="wiring")]) == "wiring"
    ref = PageRef(page_id="s.html#p1@x", source="s.html", page=1, sha256="0" * 64, kind="html")
    assert page_kind([], ref) == "html"


def test_section_is_the_top_folder():
    assert section_of("34 - Brakes/34-05.jpg") == "34 - Brakes"
    assert section_of("sheet.html") == "(top level)"


def test_coverage_counts_pages_per_kind_and_section(records, examples):
    facts, _procs, blocks, _conflicts = records
    refs = sorted({b.page_id: PageRef(page_id=b.page_id, source=b.source.file, page=b.source.page, sha256="0" * 64,
                                      kind="image") for b in blocks}.values(), key=lambda r: r.page_id)
    refs.append(PageRef(page_id="photos/99.jpg#p1@y", source="photos/99.jpg", page=1, sha256="1" * 64, kind="image"))
    cov = coverage_figures(refs, blocks, facts, examples)
    assert cov["pages"] == len(refs)
    # the photo page has no blocks: blind, kind 'no text', in its own section
    assert cov["by_kind"]["no text"] == {"pages": 1, "with_fact": 0, "with_usable_fact": 0, "with_example": 0}
    assert {"page": "photos/99.jpg p.1", "kind": "no text", "fact": False} in cov["first_blind"]
    assert cov["by_section"]["torque"]["with_example"] == cov["by_section"]["torque"]["pages"] == 1
    assert cov["by_kind"]["wiring"]["pages"] == 1
    assert cov["pages_with_example"] == len(refs) - cov["blind_pages"]


def test_generation_rows_split_skips():
    g = generation_figures({"tasks": {"SPEC": {"candidates": 5, "emitted": 12, "skipped:no_question": 1}}})
    assert g == {"tasks": [{"task": "SPEC", "candidates": 5, "emitted": 12, "skipped": {"no_question": 1}}]}
    assert generation_figures(None) is None
