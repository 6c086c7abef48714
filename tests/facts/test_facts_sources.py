"""One fact, many sources: a table's text-layer PDF page and its scan give one fact with both provenances."""

from __future__ import annotations

from manualtune.facts.sources import document_of, merge_sources, screw_size, section_code
from manualtune.records import Block, Provenance, SpecFact

SECTION = "11 42 Oil Filter and Pipes"


def _fact(file: str, page: int, n: int, value: str, component: str, text: str, conf: float | None,
          review: str | None = None) -> tuple[SpecFact, Block]:
    pid = f"{file}#p{page}@0"
    bid = f"{pid}/b{n:03d}"
    src = Provenance(file=file, page=page, page_id=pid, ocr_confidence=conf)
    f = SpecFact(fact_id=f"{file}-{page}-{n}", component=component, quantity="torque", value=value, unit="Nm",
                 value_printed=value, unit_printed="Nm", text=text, section=SECTION, source=src,
                 ocr_confidence=conf, needs_review=review is not None, review_reason=review, block_id=bid)
    b = Block(block_id=bid, page_id=pid, kind="paragraph" if conf is None else "table", order=n, text=text,
              source=src, section=SECTION)
    return f, b


def _pdf_and_scan() -> tuple[list[SpecFact], list[Block]]:
    rows = [
        _fact("BMW_Torque_Specs.pdf", 33, 1, "22", "All M8", "All M8 22 Nm", None, "component unclear: 'All M8'"),
        _fact("BMW_Torque_Specs.pdf", 33, 2, "33", "All M10", "All M10 33 Nm", None, "component unclear: 'All M10'"),
        _fact("BMW_Torque_Specs.pdf", 33, 3, "25", "All", "All 25 Nm", None, "component unclear: 'All'"),
        _fact("00 - Torque Specs/11-27.jpg", 1, 1, "22", "Full flow oil filter (cover)", "2AZ Full flow oil filter "
              "(cover) All Ms 22 Nm", 91.0),
        _fact("00 - Torque Specs/11-27.jpg", 1, 2, "33", "Full flow oil filter (cover)", "All M10 33 Nm", 35.0,
              "low OCR confidence 35"),
        _fact("00 - Torque Specs/11-27.jpg", 1, 3, "28", "Screwed-on cover", "Screwed-on cover All 28 Nm", 90.0),
    ]
    return [f for f, _ in rows], [b for _, b in rows]


def test_helpers() -> None:
    assert document_of("BMW_Torque_Specs.pdf") == "BMW_Torque_Specs.pdf"
    assert document_of("00 - Torque Specs/11-27.jpg") == "00 - Torque Specs/"
    assert section_code(SECTION) == "11 42" and section_code("Oil filter") is None
    assert screw_size("All M20x 1.5 40 Nm") == {"M20x1.5"} and screw_size("All Ms 22 Nm") == set()


def test_same_row_in_pdf_and_scan_is_one_fact_with_both_provenances() -> None:
    facts, blocks = _pdf_and_scan()
    out = merge_sources(facts, blocks)
    by_value = {f.value: f for f in out}
    assert sorted(by_value) == ["22", "25", "28", "33"] and len(out) == 4
    f22 = by_value["22"]
    assert f22.component == "Full flow oil filter (cover)" and not f22.needs_review  # the named part wins
    assert [(p.file, p.page) for p in f22.also_in] == [("BMW_Torque_Specs.pdf", 33)]
    # agreement raises confidence: the text layer confirms the low-confidence scan reading
    f33 = by_value["33"]
    assert f33.component == "Full flow oil filter (cover)" and not f33.needs_review
    assert "low OCR confidence" not in (f33.review_reason or "") and "also printed in" in f33.review_reason


def test_disagreeing_sources_both_need_review() -> None:
    facts, blocks = _pdf_and_scan()
    out = merge_sources(facts, blocks)
    flagged = sorted((f.value, f.source.file) for f in out if "sources disagree" in (f.review_reason or ""))
    assert flagged == [("25", "BMW_Torque_Specs.pdf"), ("28", "00 - Torque Specs/11-27.jpg")]
    assert all(f.needs_review for f in out if f.value in ("25", "28"))


def test_contradicting_screw_sizes_or_parts_are_not_merged() -> None:
    a, ba = _fact("BMW_Torque_Specs.pdf", 40, 1, "22", "Oil pan", "Oil pan M8 22 Nm", None)
    b, bb = _fact("00 - Torque Specs/11-30.jpg", 1, 1, "22", "Oil pan", "Oil pan M10 22 Nm", 90.0)
    c, bc = _fact("11 - Engine/11-50.jpg", 1, 1, "22", "Camshaft sprocket", "Camshaft sprocket 22 Nm", 90.0)
    assert len(merge_sources([a, b], [ba, bb])) == 2
    assert len(merge_sources([a, c], [ba, bc])) == 2


def test_one_document_is_never_merged_with_itself() -> None:
    a, ba = _fact("00 - Torque Specs/11-27.jpg", 1, 1, "22", "Oil pan", "Oil pan 22 Nm", 90.0)
    b, bb = _fact("00 - Torque Specs/11-28.jpg", 1, 1, "22", "Oil pan", "Oil pan 22 Nm", 90.0)
    assert len(merge_sources([a, b], [ba, bb])) == 2


def _line(n: int, text: str, box: tuple[int, int, int, int], page: int = 33) -> Block:
    from manualtune.records import BBox

    pid = f"BMW_Torque_Specs.pdf#p{page}@0"
    x0, y0, x1, y1 = box
    return Block(block_id=f"{pid}/b{n:03d}", page_id=pid, kind="paragraph", order=n, text=text, section=SECTION,
                 source=Provenance(file="BMW_Torque_Specs.pdf", page=page, page_id=pid,
                                   bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1)))


def test_text_layer_table_rows_take_the_label_left_of_them() -> None:
    """A PDF text layer lists a table's labels and its 'All M8 22 Nm' value lines as separate lines."""
    from manualtune.facts import extract_facts

    blocks = [
        _line(3, "(Tightening torque by hand in acc. with specification)", (139, 298, 945, 320)),
        _line(4, "2AZ Full flow oil filter (cover)", (56, 354, 407, 376)),
        _line(5, "Screwed-on cover", (139, 523, 338, 541)),
        _line(6, "3AZ Oil filter housing and lines on crankcase", (56, 580, 586, 602)),
        _line(7, "All M8 22 Nm", (1064, 354, 1882, 372)),
        _line(8, "All M10 33 Nm", (1064, 411, 1882, 428)),
        _line(9, "All 25 Nm", (1064, 524, 1882, 541)),
        _line(10, "All M8 22 Nm", (1064, 580, 1882, 597)),
    ]
    got = [(f.component, f.condition, f.value, f.needs_review) for f in extract_facts(blocks) if not f.derived]
    assert got == [
        ("Full flow oil filter (cover)", "All M8", "22", False),
        ("Full flow oil filter (cover)", "All M10", "33", False),
        ("Screwed-on cover", "All", "25", False),
        ("Oil filter housing and lines on crankcase", "All M8", "22", False),
    ]


def test_a_procedure_step_keeps_its_own_fact() -> None:
    a, ba = _fact("BMW_Torque_Specs.pdf", 40, 1, "22", "Oil pan", "Oil pan 22 Nm", None)
    b, bb = _fact("11 - Engine/11-50.jpg", 1, 1, "22", "Oil pan bolts", "Tighten the oil pan bolts\nto 22 Nm.", 90.0)
    bb = bb.model_copy(update={"kind": "procedure_step", "text": b.text})
    assert len(merge_sources([a, b], [ba, bb])) == 2
