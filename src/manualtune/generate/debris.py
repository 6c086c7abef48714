"""Scan debris in answer prose, repaired from the build's own vocabulary (never a number).

OCR of the manual's scans confuses a few letters the same way over and over: 'l' for 'i'
('oll', 'pleces', 'instructlons'), 'i' for 'l' ('handie'), '!' for a final 'l' ('sea!', 'oi!',
'Special Too!'), and capitals in the middle of a sentence ('In', 'Is', 'It'). :class:`Speller`
counts the words of every block of the build; a rare word is replaced by the one-letter variant
that the build prints far more often (:data:`SPELL_RULES`). A word the build prints often is never
touched, so the repair needs no dictionary and follows the manual's own spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: (rule, what it repairs). Each row has a test.
SPELL_RULES: tuple[tuple[str, str], ...] = (
    ("mid_sentence_capital", "'In'/'Is'/'It' between two lower-case words is 'in'/'is'/'it'"),
    ("bang_for_l", "'sea!' -> 'seal' when 'seal' is a word of the build and 'sea' is rarer"),
    ("l_for_i", "'oll' -> 'oil', 'pleces' -> 'pieces' when the variant is printed >= MIN_VARIANT times"),
    ("i_for_l", "'handie' -> 'handle' on the same terms"),
)
#: a variant must be printed at least this often, and RATIO times more often than a rare word
#: (printed under MIN_KNOWN times), RATIO_KNOWN times more often than a word the build prints
#: often (OCR repeats its misreads: "oll" is printed 13 times where "oil" is printed 125 times)
MIN_KNOWN = 3
MIN_VARIANT = 4
RATIO = 5
RATIO_KNOWN = 8

_WORD_RE = re.compile(r"(?<![\w!])([A-Za-z]{2,})(!?)(?![\w])")
_MID_CAPITAL_RE = re.compile(r"(?<=[a-z,] )(In|Is|It)(?= [a-z])")


class Speller:
    """Word counts of a build's blocks and the :data:`SPELL_RULES` repairs built on them."""

    def __init__(self, texts: Iterable[str]):
        self.counts: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()  # printed in lower case ('oil' in running text)
        for t in texts:
            words = re.findall(r"[A-Za-z]+", t or "")
            self.counts.update(w.lower() for w in words)
            self.lower.update(w for w in words if w.islower())

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
            return m.group(0)
        cand = self._variant(word)
        return _same_case(word, cand) if cand else word

    def fix(self, text: str) -> str:
        """``text`` with the :data:`SPELL_RULES` repairs applied (numbers and frequent words untouched)."""
        t = _MID_CAPITAL_RE.sub(lambda m: m.group(1).lower(), text)
        return _WORD_RE.sub(self._word, t)

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
