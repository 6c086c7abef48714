"""Rule ``glued_words`` (facts.glued.unglue_words): two words the OCR read without their space are split,
with an audit line; compounds the manual prints as one word, codes, units and foreign text stay as read.

Split rows are tokens of the 2026-12-03 realpages build (tune and unannotated pages), the print read by eye
where noted; kept rows are the survey's would-be false splits."""

from __future__ import annotations

import pytest

from manualtune.facts.glued import glued_split, unglue_words


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        # 00 - Torque Specs/12-07.jpg, row '1AZ Wires to alternator': the Type cell prints 'All others' (by eye)
        ("Kl. D+; Allothers; M6", "Kl. D+; All others; M6"),
        ("Allothers; M26 x 1.5", "All others; M26 x 1.5"),  # 00 - Torque Specs/11-22.jpg
        ("ALLOTHERS", "ALL OTHERS"),
        ("however, thefollowing must be observed", "however, the following must be observed"),  # 34-28
        ("13 Toexpansion tank", "13 To expansion tank"),  # 17 - Radiator/17-02.jpg
        ("3. Nodisplay Power supply missing", "3. No display Power supply missing"),  # 65-500
        ("(available in stepsof", "(available in steps of"),  # 31 - Front Axle/31-36.jpg
        # compounds the manual prints as one word: two open words, never split
        ("Counterhold", "Counterhold"),
        ("Coat with Longterm 2", "Coat with Longterm 2"),
        ("lateral runout", "lateral runout"),
        ("layshaft", "layshaft"),
        ("glowplug", "glowplug"),
        ("Getrag gearbox", "Getrag gearbox"),
        ("Inbetween", "Inbetween"),
        ("Microlube GL 261", "Microlube GL 261"),
        # OCR debris of the Italian Bosch tables: no split into English
        ("Resistenza totale tra mors.3", "Resistenza totale tra mors.3"),
        ("minore", "minore"),
        ("supertore", "supertore"),
        # numbers, units, part codes, wire colours, abbreviations, hyphenated words
        ("Kl. D+; M6", "Kl. D+; M6"),
        ("M26 x 1.5", "M26 x 1.5"),
        ("GN/WS 0.75", "GN/WS 0.75"),
        ("GNWSRT", "GNWSRT"),
        ("self-locking nut", "self-locking nut"),
        ("12 31 Alternator", "12 31 Alternator"),
        ("Allen key", "Allen key"),
    ],
)
def test_glued_words(printed, clean):
    assert unglue_words(printed)[0] == clean


def test_every_split_has_an_audit_line():
    text, changes = unglue_words("Kl. D+; Allothers; M6", page_id="00 - Torque Specs/12-07.jpg#p1")
    assert text == "Kl. D+; All others; M6"
    assert [(c.before, c.after, c.rule, c.changes_value) for c in changes] == \
        [("Allothers", "All others", "glued_words", False)]
    assert changes[0].page_id == "00 - Torque Specs/12-07.jpg#p1"
    assert "'all' + 'others'" in (changes[0].evidence or "")
    assert unglue_words("Counterhold")[1] == []


@pytest.mark.parametrize(("token", "split"), [
    ("Allothers", ("All", "others")),
    ("stepsof", ("steps", "of")),
    ("others", None),  # an English word
    ("Allot", None),  # too short
    ("temperat", None),  # 'at' is no glue word
    ("tensioning", None),  # an English word
])
def test_glued_split(token, split):
    assert glued_split(token) == split
