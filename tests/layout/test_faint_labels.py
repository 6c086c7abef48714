"""Faint words of a text column that the layout keeps (layout/blocks.py): an italic
sub-heading read below min_word_conf alone on its line ('/nstallation:' for 'Installation:') between
two text lines, and a faint word closing a one-word line under a text line ('Tightening torque".').
Word boxes and confidences as read from the realpages scans 18 - Exhaust System/18-07 and
23 - Manual Transmission/23-109 (printed text checked on the scans)."""

from __future__ import annotations

from manualtune.layout import LayoutConfig
from manualtune.layout.words import clean_words
from manualtune.records import BBox, Word


def _w(text: str, conf: float, x0: int, y0: int, x1: int, y1: int) -> Word:
    return Word(text=text, conf=conf, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1))


def test_faint_sub_heading_between_text_lines_is_the_label():
    # 18-07: 'Unscrew exhaust pipes on manifold.' / 'Installation:' (read '/nstallation:', 28) / 'Check gaskets, ...'
    words = [_w("Unscrew", 96, 626, 968, 740, 987), _w("exhaust", 96, 750, 968, 860, 991),
             _w("/nstallation:", 28.4, 625, 997, 763, 1016),
             _w("Check", 96, 625, 1027, 700, 1046), _w("gaskets,", 96, 710, 1027, 820, 1051)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == [
        "Unscrew", "exhaust", "Installation:", "Check", "gaskets,"]
    # 23-109: 'Spring force.' / 'Insta/lation:' (13) / 'Replace end caps.'
    words = [_w("Spring", 96, 542, 889, 620, 910), _w("Insta/lation:", 13.7, 542, 917, 660, 933),
             _w("Replace", 96, 543, 942, 640, 962)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == ["Spring", "Installation:", "Replace"]
    # 11-102: 'Drain coolant on engine and radiator.' / 'Installation.' (27) / 'Fill and bleed cooling system';
    # 11-103: 'head.' / 'installation' (35) / "Don't mix up hoses": the colon read as '.' or lost
    words = [_w("radiator.", 90, 700, 307, 839, 326), _w("Installation.", 27.0, 493, 329, 585, 345),
             _w("Fill", 82, 491, 351, 530, 370), _w("Drain", 96, 491, 307, 560, 326)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == ["radiator.", "Installation:", "Fill", "Drain"]
    words = [_w("head.", 96, 1548, 685, 1604, 702), _w("installation", 35.0, 1549, 710, 1655, 727),
             _w("Don't", 84, 1548, 734, 1610, 755)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == ["head.", "Installation:", "Don't"]


def test_faint_sub_heading_over_a_line_opening_with_a_faint_word_is_the_label():
    # 18-06: 'Loosen holder for final muffler.' / '/nstallation:' (0) / 'Torque* holder in such a manner,'
    # with 'Torque*' at 54: the installation step read as a removal step (2026-12-04 end audit)
    words = [_w("Loosen", 96, 1816, 105, 1896, 124), _w("holder", 97, 1906, 105, 1980, 124),
             _w("/nstallation:", 0.0, 1814, 135, 1950, 154),
             _w("Torque*", 54, 1815, 165, 1910, 187), _w("holder", 97, 1920, 166, 1995, 185)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == [
        "Loosen", "holder", "Installation:", "Torque*", "holder"]
    # the line below read faintly through and through: no text line, no label
    words[-1] = _w("holder", 40, 1920, 166, 1995, 185)
    assert "Installation:" not in [w.text for w in clean_words(words, LayoutConfig())]


def test_faint_label_without_text_lines_around_it_is_dropped():
    words = [_w("Spring", 96, 542, 889, 620, 910), _w("Insta/lation:", 13.7, 542, 1300, 660, 1316)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == ["Spring"]
    # a word that is no sub-heading stays out
    words = [_w("Spring", 96, 542, 889, 620, 910), _w("/nstallment:", 13.7, 542, 917, 660, 933),
             _w("Replace", 96, 543, 942, 640, 962)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == ["Spring", "Replace"]


def test_faint_word_closing_a_one_word_line_under_a_text_line():
    # 18-07: 'Coat threads with copper paste CRC**.' / 'Tightening torque*.' ('torque".' at 16)
    words = [_w("Coat", 95, 625, 1086, 690, 1110), _w("with", 95, 778, 1087, 830, 1105),
             _w("Tightening", 95, 625, 1116, 745, 1140), _w("torque\".", 16.2, 757, 1117, 852, 1139)]
    assert [w.text for w in clean_words(words, LayoutConfig())] == ["Coat", "with", "Tightening", "torque\"."]
