"""Unit glyphs ('¥' read for 'V'): the glyph word becomes the unit only when a second reading of its
crop reads that unit (rule ``unit_glyph_word`` in glyphs.py, ``SecondOpinion.reads_unit``)."""

from __future__ import annotations

import pytest
from facts_fixtures import page_of, render_words

from manualtune.facts.cleanup import cleanup_page
from manualtune.facts.config import FactsConfig
from manualtune.facts.glyphs import unit_glyph_word
from manualtune.facts.nominal import value_cell_values
from manualtune.facts.second_opinion import SecondOpinion


@pytest.mark.parametrize(
    ("prev", "word", "want"),
    [
        ("10.,,15", "¥", ("V", "V")),  # Bosch Motronic 07-08: 'Tensione su mors, 18 10.,,15 ¥'
        ("12", "¥.", ("V", "V.")),
        ("4,", "¥", ("V", "V")),
        ("mors,", "¥", None),  # no number before it
        (None, "¥", None),
        ("10", "¥5", None),  # a glyph glued to digits is no unit word
        ("10", "V", None),  # already a unit
        ("10", "Y", None),
    ],
)
def test_unit_glyph_word(prev, word, want):
    assert unit_glyph_word(prev, word) == want


@pytest.mark.parametrize(
    ("readings", "want"),
    [
        ({"tesseract-psm7": "V", "tesseract-psm8": "V", "rapidocr": "V"}, True),  # the 07-08 crop's readings
        ({"tesseract-psm7": "V", "tesseract-psm8": "", "rapidocr": "V."}, True),
        ({"tesseract-psm7": "V", "tesseract-psm8": "V"}, False),  # tesseract's whitelist holds 'V': no evidence alone
        ({"tesseract-psm7": "V", "tesseract-psm8": "V", "rapidocr": "¥"}, False),
        ({"tesseract-psm7": "", "tesseract-psm8": "", "rapidocr": "V"}, False),
        ({"tesseract-psm7": "V", "tesseract-psm8": "W", "rapidocr": "V"}, False),  # one engine reads another unit
        ({"tesseract-psm7": "5", "tesseract-psm8": "V", "rapidocr": "V"}, False),
    ],
)
def test_reads_unit(readings, want):
    assert SecondOpinion(readings=readings).reads_unit("V") is want


def _yen_page(printed: str):
    img, boxes = render_words([("10...15", 10), (printed, 150)], size=16, height=44)
    return page_of([("10...15", boxes[0], 93.0), ("¥", boxes[1], 56.0)], img.shape[1], img.shape[0]), img


def test_a_yen_read_for_v_becomes_v_when_the_second_reading_reads_v():
    page, img = _yen_page("V")
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert cleaned.lines[0].text == "10...15 V"
    assert cleaned.lines[0].words[1].conf >= 90.0
    change = next(c for c in audit if c.rule == "unit_glyph_word")
    assert (change.before, change.after, change.changes_value) == ("¥", "V", True) and change.evidence
    assert [(p.value, p.value_max, p.unit) for p, _ in value_cell_values(cleaned.lines[0].text)] == [("10", "15", "V")]


def test_a_yen_the_second_reading_does_not_read_as_v_stays_and_gives_no_value():
    page, img = _yen_page("A")
    cleaned, audit = cleanup_page(page, FactsConfig(), lambda: img)
    assert cleaned.lines[0].text == "10...15 ¥"
    assert not [c for c in audit if c.rule == "unit_glyph_word"]
    assert value_cell_values(cleaned.lines[0].text) is None


def _row_facts(value_cell: str):
    from facts_fixtures import row, table_block

    from manualtune.facts.specs import extract_facts

    b = table_block([row("19° | 7 7", "15°", "18, 6", "Relé principale, Tensione su mors, 18 Inserire 1’accensione,",
                         value_cell, conf=95.0)], file="Bosch Motronic ML 3-1/07-08.png")
    return [(f.value, f.value_max, f.unit, f.needs_review, f.review_reason or "")
            for f in extract_facts([b], FactsConfig()) if not f.derived]


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("10.,,15 V", [("10", "15", "V", False, "")]),  # the cleanup confirmed the unit
        ("10.,,15 ¥", [("10", "15", "V", True, "unit glyph '¥' read as 'V', not confirmed by a second reading")]),
        ("maggiore di 4,5 ¥", [("4.5", None, "V", True, "unit glyph '¥' read as 'V', not confirmed by a second reading")]),
        ("10 ¥5", []),  # a glyph glued to digits: no unit, no fact
    ],
)
def test_a_unit_glyph_the_cleanup_left_gives_a_fact_that_needs_review(cell, want):
    assert _row_facts(cell) == want


def test_an_unverified_edit_of_another_number_of_the_row_is_not_over_the_value():
    from manualtune.facts.glyphs import _number_within

    assert not _number_within("1", "18") and not _number_within("1", "128,")  # a test-cycle number '18' -> '13'
    assert _number_within("16", "10,..16") and _number_within("1", "1,8") and _number_within("10", "10, a 1418")


@pytest.mark.parametrize(("unit", "label", "why"), [
    ("°", "Elettoiniettore Resistenza elettrica interna temperatura ambiente", "temperature"),  # 15-16, as read
    ("°", "ambient temperature", "temperature"),
    ("°", "cylinder head bolts", None),       # a torque angle
    ("°C", "temperatura ambiente", None),     # the unit is a temperature
    ("Nm", "warm engine", None),              # only the angle unit conflicts
    ("°C", "Attuatore del minimo, Resistenza elettrica interna o +", "resistance"),  # 15-16: the 2 Ω not read
    ("°C", "coolant temperature sensor", None),
])
def test_unit_against_label(unit: str, label: str, why: str | None) -> None:
    from manualtune.facts.glyphs import unit_against_label

    got = unit_against_label(unit, label)
    assert (got is None) if why is None else (why in got)


def test_an_angle_under_a_temperature_label_needs_review() -> None:
    # realpages Motronic 15-16 (unannotated), as read: '(+ 15° C...+' and the resistance were lost
    from manualtune.facts import extract_facts
    from manualtune.records import Block, Provenance

    pid = "Bosch Motronic ML 3-1/15-16.png#p1@0"
    b = Block(block_id=f"{pid}/b005", page_id=pid, kind="paragraph", order=5,
              text="Elettoiniettore\nResistenza elettrica interna\ntemperatura ambiente\n30°",
              source=Provenance(file="Bosch Motronic ML 3-1/15-16.png", page=1, page_id=pid))
    got = extract_facts([b])
    assert got and all(f.needs_review for f in got)
    assert not extract_facts([b.model_copy(update={"text": "Cylinder head bolts\n90°"})])[0].needs_review


def test_an_ohm_read_as_a_digit_is_put_back_only_with_rapidocr_on_a_resistance_page(monkeypatch) -> None:
    # Motronic 15-16 (read by eye): 'Resistenza elettrica interna ... 1450...3300 Ω', the Ω read '2' by tesseract
    from facts_fixtures import page_of, render_words

    import manualtune.facts.cleanup as cleanup
    from manualtune.facts.cleanup import cleanup_page
    from manualtune.facts.config import FactsConfig
    from manualtune.facts.second_opinion import SecondOpinion

    img, boxes = render_words([("Resistenza", 10), ("1450...3300", 200), ("2", 380)])
    words = [("Resistenza", boxes[0], 95.0), ("1450...3300", boxes[1], 95.0), ("2", boxes[2], 91.0)]
    for rapid, want in (("Ω", "Resistenza 1450...3300 Ω"), ("2", "Resistenza 1450...3300 2")):
        monkeypatch.setattr(cleanup, "second_opinion", lambda image, bbox, cfg, rapid=rapid: SecondOpinion(
            readings={"tesseract-psm7": "N", "tesseract-psm8": "", "rapidocr": rapid}))
        monkeypatch.setattr(cleanup, "consensus_opinion", lambda image, bbox, cfg: SecondOpinion())
        cleaned, audit = cleanup_page(page_of(words, img.shape[1], img.shape[0]), FactsConfig(), lambda: img)
        assert cleaned.lines[0].text == want
        ohm = [c for c in audit if c.rule == "ohm_glyph_word"]
        assert len(ohm) == (rapid == "Ω")
    # the Ω word's confidence is below review_below_conf (one engine read it): its facts need review
    monkeypatch.setattr(cleanup, "second_opinion", lambda image, bbox, cfg: SecondOpinion(
        readings={"tesseract-psm7": "N", "tesseract-psm8": "", "rapidocr": "Ω"}))
    cleaned, _ = cleanup_page(page_of(words, img.shape[1], img.shape[0]), FactsConfig(), lambda: img)
    assert cleaned.lines[0].words[2].conf < FactsConfig().review_below_conf
    # a page about no resistance: left as read whatever rapidocr says
    other = [("Pressione", boxes[0], 95.0), ("1450...3300", boxes[1], 95.0), ("2", boxes[2], 91.0)]
    cleaned, audit = cleanup_page(page_of(other, img.shape[1], img.shape[0]), FactsConfig(), lambda: img)
    assert cleaned.lines[0].text.endswith(" 2") and not [c for c in audit if c.rule == "ohm_glyph_word"]
