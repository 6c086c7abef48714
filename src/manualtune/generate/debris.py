"""Scan debris in answer prose, repaired from the build's own vocabulary (never a number).

OCR of the manual's scans confuses a few letters the same way over and over: 'l' for 'i'
('oll', 'pleces', 'instructlons'), 'i' for 'l' ('handie'), '!' for a final 'l' ('sea!', 'oi!',
'Special Too!'), and capitals in the middle of a sentence ('In', 'Is', 'It'). :class:`Speller`
counts the words of every block of the build; a rare word is replaced by the one-letter variant
that the build prints far more often (:data:`SPELL_RULES`). A word the build prints often is never
touched, so the repair follows the manual's own spelling.

An English word list (``pyspellchecker``'s frequency list, :func:`english`) adds the misreads
the build's own counts cannot settle: a word that is no English word and that the build prints
rarely is replaced by the one OCR confusion (:data:`CONFUSIONS`: 't'/'l', 'e'/'c', 'rn'/'m', ...)
that makes a common English word the build also prints ('tid' -> 'lid' on a page that prints
'lid'; for 'l'/'i' a very common English word is enough: 'tlps' -> 'tips'); 'Too!' -> 'Tool' when 'tool' is a word; a capital 'I'/'J' word in the middle of a
sentence ('pressed Into', 'main bearing Journals') is lowered. Words with a digit are never
touched, so no number changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from manualtune.lexicon import english, is_english

#: (rule, what it repairs). Each row has a test.
SPELL_RULES: tuple[tuple[str, str], ...] = (
    ("mid_sentence_capital", "'In'/'Is'/'It' between two lower-case words is 'in'/'is'/'it'"),
    ("bang_for_l", "'sea!' -> 'seal' when 'seal' is a word of the build and 'sea' is rarer"),
    ("l_for_i", "'oll' -> 'oil', 'pleces' -> 'pieces' when the variant is printed >= MIN_VARIANT times"),
    ("i_for_l", "'handie' -> 'handle' on the same terms"),
    ("ocr_confusion", "'tid' -> 'lid', 'welghts' -> 'weights': no English word, rare in the build, one OCR "
                      "confusion from a common English word the build prints"),
    ("bang_for_l_word", "'Too! 12 31 000' -> 'Tool 12 31 000' when word + 'l' is an English word"),
    ("mid_sentence_capital_word", "'pressed Into the sleeve' -> 'pressed into the sleeve': a capital I/J word "
                                  "between lower-case words, when the lower-case form is an English word"),
    ("word_pair_confusion", "'tall panel' -> 'tail panel', 'fight bulb' -> 'light bulb': a word one l/i or f/l "
                            "confusion from another that the build prints before the same next word far more often"),
)
#: letter confusions the ``word_pair_confusion`` rule tries (each way round)
PAIR_CONFUSIONS: tuple[tuple[str, str], ...] = (("l", "i"), ("f", "l"))
#: the variant's word pair must be printed this often, and PAIR_RATIO times more often than the word's
MIN_PAIR = 5
PAIR_RATIO = 5

#: OCR letter confusions tried by the ``ocr_confusion`` rule (each way round), the likeliest
#: first: a repair from an earlier tier wins over any later one ('oll' -> 'oil', not 'all')
CONFUSIONS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("l", "i"), ("t", "l"), ("rn", "m"), ("cl", "d"), ("vv", "w")),
    (("t", "i"), ("e", "c"), ("n", "u"), ("h", "b"), ("f", "t"), ("o", "a"), ("s", "a"), ("l", "j"), ("a", "n")),
)
#: an English word must be this common (pyspellchecker's count) to replace a misread
MIN_ENGLISH = 1000
#: ... and this common to replace an 'l'/'i' misread that the build never prints right ('tlps' -> 'tips')
MIN_ENGLISH_ALONE = 20000


#: a variant must be printed at least this often, and RATIO times more often than a rare word
#: (printed under MIN_KNOWN times), RATIO_KNOWN times more often than a word the build prints
#: often (OCR repeats its misreads: "oll" is printed 13 times where "oil" is printed 125 times)
MIN_KNOWN = 3
MIN_VARIANT = 4
RATIO = 5
RATIO_KNOWN = 8

_WORD_RE = re.compile(r"(?<![\w!])([A-Za-z]{2,})(!?)(?![\w])")
#: a word and the word right after it (for ``word_pair_confusion``); the next word is matched again as a first word
_PAIR_RE = re.compile(r"(?<![\w!'’-])([A-Za-z]{3,})(\s+)(?=([A-Za-z]{3,})(?![\w]))")
_MID_CAPITAL_RE = re.compile(r"(?<=[a-z,] )(In|Is|It|If)(?= [a-z])")
_MID_CAPITAL_WORD_RE = re.compile(r"\b([a-z]+,? )([IJ][a-z]{2,})(?= [a-z]| [IJ][a-z])")


def english_text(text: str) -> bool:
    """True when at least :data:`ENGLISH_SHARE` of the words of 3+ letters of ``text`` are English."""
    words = re.findall(r"[A-Za-z]{3,}", text or "")
    return bool(words) and sum(1 for w in words if is_english(w)) >= ENGLISH_SHARE * len(words)


#: share of English words a text needs before the English-list rules repair it
ENGLISH_SHARE = 0.5


class Speller:
    """Word counts of a build's blocks and the :data:`SPELL_RULES` repairs built on them."""

    _english_rules = True

    def __init__(self, texts: Iterable[str]):
        self.counts: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()  # printed in lower case ('oil' in running text)
        self.pairs: Counter[tuple[str, str]] = Counter()
        for t in texts:
            words = re.findall(r"[A-Za-z]+", t or "")
            self.counts.update(w.lower() for w in words)
            self.lower.update(w for w in words if w.islower())
            low = [w.lower() for w in words]
            self.pairs.update(zip(low, low[1:], strict=False))

    def _variant(self, word: str) -> str | None:
        low = word.lower()
        if len(low) < 3 or (word.isupper() and len(word) > 1):
            return None  # short words and capitals ('RL', 'LS') are codes as often as words
        have = self.counts.get(low, 0)
        ratio = RATIO if have < MIN_KNOWN else RATIO_KNOWN
        best: tuple[int, str] | None = None
        for i, ch in enumerate(low):
            swap = {"l": "i", "i": "l"}.get(ch)
            if swap is None or (i > 0 and low[i - 1] == "a"):
                continue  # 'fail'/'fall', 'tail'/'tall' are both words
            cand = low[:i] + swap + low[i + 1:]
            n = self.counts.get(cand, 0)
            if n >= MIN_VARIANT and n >= ratio * max(have, 1) and (best is None or n > best[0]):
                best = (n, cand)
        return best[1] if best else None

    def _word(self, m: re.Match[str]) -> str:
        word, bang = m.group(1), m.group(2)
        if bang and len(word) >= 2:
            cand = word.lower() + "l"
            if self.counts.get(cand, 0) >= MIN_VARIANT and self.counts.get(cand, 0) > self.counts.get(word.lower(), 0):
                return _same_case(word, word + "l")
            if self._english_rules and english().get(cand, 0) >= MIN_ENGLISH and self._followed_on(m):
                return _same_case(word, word + "l")
            return m.group(0)
        cand = self._variant(word) or (self._confusion(word) if self._english_rules else None)
        return _same_case(word, cand) if cand else word

    @staticmethod
    def _followed_on(m: re.Match[str]) -> bool:
        """The sentence goes on after 'Too!' (a lower-case word, a number): no exclamation."""
        return re.match(r"\s+[a-z0-9(]", m.string[m.end():]) is not None

    def _confusion(self, word: str) -> str | None:
        """The ``ocr_confusion`` rule: for a word that is no English word, the common English word
        one confusion away (earliest :data:`CONFUSIONS` tier) that the build prints at least once,
        and more often than the word itself when the word is printed :data:`MIN_KNOWN` times or more."""
        low = word.lower()
        if len(low) < 3 or (word.isupper() and len(word) > 1) or is_english(low):
            return None
        have = self.counts.get(low, 0)  # OCR repeats its misreads ('oll' 13 times): the variant must be printed more
        eng = english()
        best: tuple[int, int, str] | None = None
        for tier in CONFUSIONS:
            if best is not None:
                break
            for pair, x, y in [(p, x, y) for p in tier for x, y in (p, p[::-1])]:
                start = low.find(x)
                while start >= 0:
                    cand = low[:start] + y + low[start + len(x):]
                    n_eng, n_build = eng.get(cand, 0), self.counts.get(cand, 0)
                    enough = n_build >= max(1, have) if have >= MIN_KNOWN else (
                        n_build >= 1 or (pair == ("l", "i") and n_eng >= MIN_ENGLISH_ALONE))
                    if n_eng >= MIN_ENGLISH and enough and (best is None or (n_build, n_eng) > best[:2]):
                        best = (n_build, n_eng, cand)
                    start = low.find(x, start + 1)
        return best[2] if best else None

    def fix(self, text: str) -> str:
        """``text`` with the :data:`SPELL_RULES` repairs applied (numbers and frequent words untouched).
        The English-list rules only run on English text (:func:`english_text`): the Motronic
        pages print Italian ('A seconda della codificazione')."""
        t = _MID_CAPITAL_RE.sub(lambda m: m.group(1).lower(), text)
        self._english_rules = english_text(text)
        if self._english_rules:
            for _ in range(2):  # 'further Identical Jacks': the second word follows once the first is lowered
                t = _MID_CAPITAL_WORD_RE.sub(self._lower_capital, t)
        return _PAIR_RE.sub(self._pair, _WORD_RE.sub(self._word, t))

    def _pair(self, m: re.Match[str]) -> str:
        """Rule ``word_pair_confusion`` on a word and the word after it."""
        word, gap, nxt = m.group(1), m.group(2), m.group(3)
        low, after = word.lower(), nxt.lower()
        have = self.pairs.get((low, after), 0)
        best: tuple[int, str] | None = None
        for x, y in [(a, b) for p in PAIR_CONFUSIONS for a, b in (p, p[::-1])]:
            for i, ch in enumerate(low):
                if ch != x:
                    continue
                cand = low[:i] + y + low[i + 1:]
                n = self.pairs.get((cand, after), 0)
                if n >= MIN_PAIR and n >= PAIR_RATIO * max(have, 1) and (best is None or n > best[0]):
                    best = (n, cand)
        return (_same_case(word, best[1]) if best else word) + gap  # the next word stays for its own turn

    def _lower_capital(self, m: re.Match[str]) -> str:
        word = m.group(2)
        keep = not is_english(word) or self._proper(word)
        return m.group(1) + (word if keep else word.lower())

    def _proper(self, word: str) -> bool:
        """A capitalised word the build never prints in lower case but prints capitalised often (a name)."""
        return self.lower.get(word.lower(), 0) == 0 and self.counts.get(word.lower(), 0) >= MIN_KNOWN

    def known(self, word: str) -> bool:
        """An English word, one the build prints at least :data:`MIN_KNOWN` times, or a misread
        that :meth:`fix` repairs to an English word ('instructlons')."""
        if is_english(word) or self.counts.get(word.lower(), 0) >= MIN_KNOWN:
            return True
        fixed = self._variant(word) or self._confusion(word)
        return bool(fixed) and is_english(fixed)

    def plain_word(self, word: str) -> bool:
        """True when the build prints ``word`` in lower case at least :data:`MIN_KNOWN` times, so a
        capitalised 'OIL' in a heading is the word 'oil', not an abbreviation like 'ABS'."""
        return self.lower.get(word.lower(), 0) >= MIN_KNOWN


def _same_case(original: str, new: str) -> str:
    if original.isupper() and len(original) > 1:
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:].lower()
    return new.lower()
