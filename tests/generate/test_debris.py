"""Speller: scan debris repaired from the build's own vocabulary (counts as in the realpages build)."""

from __future__ import annotations

import pytest

from manualtune.generate.debris import SPELL_RULES, Speller

# word counts like the 415-page build's: 'oil' 125 times, its misread 'oll' 13 times
VOCAB = ["oil"] * 125 + ["oll"] * 13 + ["seal"] * 30 + ["tool"] * 20 + ["too"] * 2 + ["handle"] * 9 + \
    ["important"] * 40 + ["pieces"] * 8 + ["pleces"] * 3 + ["fall"] * 10 + ["fail"] + ["right"] * 5


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller([" ".join(VOCAB)])


@pytest.mark.parametrize(("rule", "before", "after"), [
    ("mid_sentence_capital", "suspend from car on pieces of wire In the joint", "suspend from car on pieces of wire in the joint"),
    ("mid_sentence_capital", "Check O-rings, replacing If necessary.", "Check O-rings, replacing if necessary."),
    ("bang_for_l", "Lift out radial oil sea! (3). Apply Special Too! 25 1 100.", "Lift out radial oil seal (3). Apply Special Tool 25 1 100."),
    ("l_for_i", "Check oll level", "Check oil level"),
    ("i_for_l", "remove over outside handie.", "remove over outside handle."),
])
def test_spell_rules(speller, rule, before, after):
    assert rule in {r for r, _ in SPELL_RULES}
    assert speller.fix(before) == after


def test_words_the_build_prints_are_kept(speller):
    assert speller.fix("Important! Never fail.") == "Important! Never fail."  # 'fail'/'fall' both words
    assert speller.fix("Check RL side, 12.5 Nm") == "Check RL side, 12.5 Nm"  # codes and numbers untouched
    assert speller.fix("pleces") == "pleces"  # 3 against 8: not clear enough
    assert speller.fix("In the joint") == "In the joint"  # a sentence start keeps its capital


def test_plain_word(speller):
    assert speller.plain_word("OIL") and not speller.plain_word("ABS")


@pytest.mark.parametrize(("rule", "vocab", "before", "after"), [
    # 54 - Hood, Sun Roof/54-02.jpg: the page prints 'lid' once, 'tid' once
    ("ocr_confusion", "sun roof lid", "Close sun roof lid to pressure point (do not lift tid).",
     "Close sun roof lid to pressure point (do not lift lid)."),
    ("ocr_confusion", "weights instructions", "Remove old balance welghts. Follow operating instructlons.",
     "Remove old balance weights. Follow operating instructions."),
    # 2026-12-03 second audit: 'Inlection' for 'Injection', 'aad' for 'and' in procedure steps
    ("ocr_confusion", "injection and", "Check Inlection valve aad seal.", "Check Injection valve and seal."),
    ("bang_for_l_word", "", "Hold pulley with Special Too! 12 31 000 and unscrew nut.",
     "Hold pulley with Special Tool 12 31 000 and unscrew nut."),
    ("mid_sentence_capital_word", "", "two further Identical Jacks with lateral movement, pressed Into the sleeve",
     "two further identical jacks with lateral movement, pressed into the sleeve"),
])
def test_english_word_rules(rule, vocab, before, after):
    assert rule in {r for r, _ in SPELL_RULES}
    assert Speller([vocab]).fix(before) == after


def test_english_rules_keep_words_names_and_numbers():
    sp = Speller(["Motronic Motronic Motronic Jetronic Jetronic Jetronic lid"])
    assert sp.fix("Important! Never reuse fluid.") == "Important! Never reuse fluid."  # 'Importantl' is no word
    assert sp.fix("Caution! Stop!") == "Caution! Stop!"
    assert sp.fix("the Motronic unit and Jetronic parts") == "the Motronic unit and Jetronic parts"
    assert sp.fix("See Service Information of Group 34") == "See Service Information of Group 34"
    assert sp.fix("do not lift tid 12 tid5") == "do not lift lid 12 tid5"  # a word with a digit is a code
    assert Speller(["seconds " * 5]).fix("A seconda della codificazione") == "A seconda della codificazione"  # Italian
    assert Speller([""]).fix("do not lift tid") == "do not lift tid"  # 'lid' not printed in the build: kept


def test_the_likeliest_confusion_wins():
    assert Speller(["all " * 40 + "oil " * 5 + "oll " * 3]).fix("Check oll level.") == "Check oil level."


def test_known_words():
    sp = Speller(["Molykote " * 3 + "instructions"])
    assert sp.known("Molykote") and sp.known("connect") and sp.known("instructlons")
    assert not sp.known("nect")


def test_word_pair_confusion():
    # 63-02a 'lift out fight bulb' (scan: light bulb), 36-02 'tall panel' (scan: tail panel)
    assert "word_pair_confusion" in {r for r, _ in SPELL_RULES}
    sp = Speller(["tail panel " * 30 + "light bulb " * 20 + "tall man " + "fill level " * 3])
    assert sp.fix("Take tail lights out of tall panel.") == "Take tail lights out of tail panel."
    assert sp.fix("Turn and lift out fight bulb.") == "Turn and lift out light bulb."
    assert sp.fix("a tall man") == "a tall man"  # no such pair printed more often
    assert sp.fix("tall 12 panel") == "tall 12 panel"  # a number between: no pair
