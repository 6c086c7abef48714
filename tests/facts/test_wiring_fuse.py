"""Fuse labels of wiring diagrams: a rating is named by its own fuse number, never by label soup; noise,
two fuse numbers or an unclean / non-standard rating need review."""

from __future__ import annotations

import pytest

from manualtune.facts import extract_facts
from manualtune.facts.wiring import label_noise
from manualtune.records import Block, Provenance


def _page(*texts: str) -> list[Block]:
    pid = "ETM/6100-09.jpg#p1@0"
    return [Block(block_id=f"{pid}/b{i:03d}", page_id=pid, kind="wiring", order=i, text=t,
                  meta={"page_kind": "wiring"}, source=Provenance(file="ETM/6100-09.jpg", page=1, page_id=pid))
            for i, t in enumerate(texts)]


def _currents(*texts: str) -> list[tuple[str, str, bool]]:
    return [(f.component, f.value, f.needs_review) for f in extract_facts(_page(*texts)) if f.unit == "A"]


@pytest.mark.parametrize(("text", "want"), [
    # realpages ETM 6131-00 (tune), as read: the box word beside the name is no part of it
    ("FUSE 10 DISTRIBUTION\n7.5 AMP x", [("FUSE 10", "7.5", False)]),
    ("FUSE 21\n7.5 AMP 1 BOX", [("FUSE 21", "7.5", False)]),
    # one line, rating as '15A'; a noise word in front of the name is dropped with the soup
    ("FUSE 19 15A", [("FUSE 19", "15", False)]),
    ("cower FUSE 21\n7.5 AMP", [("FUSE 21", "7.5", False)]),
    # realpages ETM 6411-00 (unannotated), as read ('A/C IN-' above it): 'LINE FUSE 2 AMP' is no 'FUSE 2'
    ("LINE FUSE\n2 AMP", [("LINE FUSE", "2", False)]),
    ("LINE FUSE 2 AMP", [("LINE FUSE", "2", False)]),
])
def test_a_fuse_rating_is_named_by_its_own_fuse_number(text: str, want: list) -> None:
    got = _currents(text)
    assert [(c.replace("\n", " "), v, r) for c, v, r in got] == want


@pytest.mark.parametrize("text", [
    "FUSE 19 DISTRIBUTION FUSE 27\n15 AMP",  # two labels read as one
    "POWER\nCONTROL\nFUSE 20 taney\n30 AMP 80K",  # realpages ETM 6411-00 (unannotated), as read
    "| DISTRIBUTION FUSE\nFUSE 6\nj 20x DETAILS\n7.5 AMP",  # realpages ETM 6325-00 (unannotated), as read
    "FUSE 10\n7.6 AMP",  # realpages ETM 6581-00 (unannotated): printed 7.5, read 7.6 (no fuse is 7.6 A)
])
def test_a_fuse_rating_of_an_unclear_label_needs_review(text: str) -> None:
    got = _currents(text)
    assert got and all(r for _, _, r in got)


def test_label_noise_keeps_words_codes_and_words_other_labels_print() -> None:
    assert label_noise("POWER DISTRIBUTION BOX FUSE 21 7.5 AMP A/C IN-LINE C106 VI/BK") == []
    assert label_noise("FUSE 20 taney 30 AMP 80K") == ["taney", "80K"]
    assert label_noise("REAR DEFOGGER FUSE 8", elsewhere=frozenset({"defogger"})) == []
    assert label_noise("REAR DEFOGGER FUSE 8") == ["DEFOGGER"]  # a rare word no other label prints


def test_a_long_word_read_one_letter_off_is_no_noise_but_debris_is() -> None:
    # realpages ETM 6100-01 / 6131-00 (unannotated / tune), as read beside the fuse name
    assert label_noise("1 FUSE 21 OISTRIBUTION") == []
    assert label_noise("FUSE 21 | bistarBUTION") == ["bistarBUTION"]


def test_what_is_printed_in_front_of_the_fuse_name_is_another_label() -> None:
    # realpages ETM 6100-01 (unannotated), as read: the dashed box edge above 'FUSE 6'
    assert _currents("TTT TTT power FUSE 6 1\n7.5 AMP") == [("FUSE 6", "7.5", False)]


def test_a_bare_a_outside_a_fuse_label_needs_review() -> None:
    # realpages ETM 6581-01 (unannotated), as read: pin '1' and a stray 'A' beside MAIN RELAY; the
    # only name is on the next printed line, which no text value takes its component from: no fact at all
    assert _currents("ELECTRONICS 2 .5 BR S202\n1 A\nRELAY 777 oxyGen") == []
    assert _currents("ELECTRONICS 2 .5 BR S202 1 A RELAY 777 oxyGen") == [("RELAY", "1", True)]  # one line: review


def test_a_value_of_a_diagram_label_that_reads_no_sentence_needs_review() -> None:
    # realpages ETM 6100-00 (unannotated), as read: pin '3' beside connector C405's glyph read as '3%'
    got = [(f.value, f.unit, f.needs_review) for f in extract_facts(_page("1.5 RD/BK\nINTERIOR\nLIGHTS 3% cans"))
           if f.quantity != "wire"]
    assert got == [("3", "%", True)]
    # realpages ETM 6411-00 (unannotated), as read: a note that reads as a sentence keeps its value
    got = extract_facts(_page("SWITCH IS OPENED WHEN\nROTARY TEMPERATURE CONTROL\nKNOBS ROTATED BY MORE THAN\n"
                              "20° FROM COLDEST POSITION."))
    assert [(f.value, f.unit) for f in got] == [("20", "°")]
    assert "diagram label" not in (got[0].review_reason or "")
