"""Glued words: two words the OCR read without the space between them ('Allothers' for 'All others').

Rule ``glued_words``: a letters-only token of 6+ letters that is no English word, but splits in exactly
one place into a closed-class word (:data:`GLUE_WORDS`: 'all', 'the', 'or', ...) and a common English
word, is two words the OCR read without their space ('Allothers' -> 'All others', 'thefollowing' -> 'the
following'); each split is an audit line (:func:`unglue_words`). Compounds of two open words
('Counterhold', 'layshaft', 'glowplug', the grease 'Longterm') are how the manual prints them and stay;
numbers, units, part codes ('M6', '12 31'), wire colours ('GN/WS') and abbreviations ('Kl.') are no such
token; text mostly in another language (Italian Bosch tables: 'totale', 'collegare') is never split.
Used on the Type cells of torque tables (facts/tables.py) and on answer prose (generate/text.py).
"""

from __future__ import annotations

import re

from manualtune.lexicon import count, is_english
from manualtune.records import BBox, CleanupChange

#: closed-class words the OCR glues to a neighbour when the space between them is narrow ('Allothers'): one part
#: of a glued-word split must be one of them (two open words glued are mostly real compounds: 'Counterhold')
GLUE_WORDS = frozenset({
    "all", "each", "every", "both", "any", "other", "others", "the", "this", "these", "those", "and", "or", "nor",
    "of", "to", "for", "with", "from", "by", "no",
})
#: both parts of a glued-word split must be at least this common in the English word list
GLUED_MIN_COUNT = 1000
#: a token the glued-word rule may split: letters only, 6+ letters, not part of a code, a wire colour
#: ('GN/WS'), an abbreviation ('Kl.') or a hyphenated word
_GLUED = re.compile(r"(?<![\w\-/.'’])[A-Za-z]{6,}(?![\w\-/'’]|\.\w)")
#: share of the other words (3+ letters) of a text that must be English before a token of it is split
_GLUE_ENGLISH_SHARE = 0.5


def glued_split(token: str) -> tuple[str, str] | None:
    """'Allothers' -> ('All', 'others'); None unless the token is no English word and splits in exactly one
    place into a :data:`GLUE_WORDS` word and a common English word of 3+ letters (4+ before a two-letter
    closed word at the end: 'stepsof')."""
    if not re.fullmatch(r"[A-Za-z]{6,}", token or "") or is_english(token):
        return None
    low = token.lower()
    found = []
    for i in range(2, len(low) - 1):
        a, b = low[:i], low[i:]
        closed = a if a in GLUE_WORDS else b if b in GLUE_WORDS else None
        other = a if closed == b else b
        if closed is None or len(other) < (4 if closed == b and len(b) < 3 else 3):
            continue
        if count(a) >= GLUED_MIN_COUNT and count(b) >= GLUED_MIN_COUNT:
            found.append((token[:i], token[i:]))
    return found[0] if len(found) == 1 else None


def unglue_words(text: str, page_id: str = "", bbox: BBox | None = None) -> tuple[str, list[CleanupChange]]:
    """Rule ``glued_words``: 'Kl. D+; Allothers; M6' -> 'Kl. D+; All others; M6', with one audit line
    (:class:`CleanupChange`, rule 'glued_words', no value changed) per split token. A text whose other
    words are mostly not English (an Italian Bosch table) is kept as read."""
    if not text or not _GLUED.search(text):
        return text, []
    changes: list[CleanupChange] = []

    def repl(m: re.Match[str]) -> str:
        split = glued_split(m.group(0))
        if split is None:
            return m.group(0)
        rest = re.findall(r"[A-Za-z]{3,}", text[:m.start()] + " " + text[m.end():])
        if rest and sum(1 for w in rest if is_english(w)) < _GLUE_ENGLISH_SHARE * len(rest):
            return m.group(0)
        after = f"{split[0]} {split[1]}"
        changes.append(CleanupChange(
            page_id=page_id, bbox=bbox, before=m.group(0), after=after, rule="glued_words", changes_value=False,
            evidence=f"{split[0].lower()!r} + {split[1].lower()!r}: English words, {m.group(0).lower()!r} is none",
        ))
        return after

    return _GLUED.sub(repl, text), changes


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py checks it
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("glued_words", _GLUED, "a letters-only token two words may be glued in ('Allothers' for 'All others')"),
)
