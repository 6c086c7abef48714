"""An English word list shared by the stages that must tell a real word from OCR debris.

``pyspellchecker`` ships its frequency list inside the wheel (no download); :func:`english` loads it
once. The layout stage keeps a faint word that is an English word (``layout.blocks``), and example
generation repairs misreads from it (``generate.debris``).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def english() -> dict[str, int]:
    """English words (lower case) and their frequency counts, from ``pyspellchecker``'s list."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(distance=1).word_frequency.dictionary)


def count(word: str) -> int:
    """How often ``word`` (any case) is in the English word list's corpus (0: not a word)."""
    return english().get(word.lower(), 0)


def is_english(word: str) -> bool:
    """True when ``word`` (any case) is in the English word list."""
    return word.lower() in english()
