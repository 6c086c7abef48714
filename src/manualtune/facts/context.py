"""What the rest of a page tells a component name (:mod:`manualtune.facts.components`): the
procedure title and previous facts above a block, the words the page prints (``broken_word``: a word
hyphenated at a line end is joined only when the page prints it whole) and its diagram labels (a
one-word part name is specific only when exactly one other label prints it), and the version label printed
on a line of its own above a block (``version_label``: 'Cars with Automatic Transmission:' over 'Max. towing
speed: 50 km/h' on 0-3; the label holds until a heading, another label or a short title line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from manualtune.layout.patterns import VERSION_WORDS
from manualtune.records import SpecFact


@dataclass
class PageContext:
    """What earlier blocks of the same page tell a text block: the procedure title above it and
    the facts of the previous text block (a 'CR25T 120 Nm' line continues the row above it);
    and what the whole page prints: its words (lower case, to confirm a word broken at a line end)
    and its diagram labels as (block id, text) (to confirm a one-word part name)."""

    page_id: str = ""
    title: str = ""
    previous: list[SpecFact] = field(default_factory=list)
    words: frozenset[str] = frozenset()
    labels: tuple[tuple[str, str], ...] = ()
    version: str = ""  # a version label printed on a line of its own above ('Cars with Automatic Transmission')


#: a version label on a line of its own: the facts under it hold for that version only
#: ('Cars with Automatic Transmission:', 'Since 1988 Models:', 'Version with Radiator Drain Plug:')
_VERSION_LABEL = re.compile(rf"^(?=[^:]{{3,60}}:$)(?=.*{VERSION_WORDS.pattern})[A-Z0-9][^:]*:$")
#: a short title line (no closing punctuation, no digit): a new topic of the page ends a version label
_TITLE_LINE = re.compile(r"^[A-Z][A-Za-z’' /-]{2,40}$")


def version_label(text: str) -> str | None:
    """'Cars with Automatic Transmission:' -> 'Cars with Automatic Transmission'; None for other text."""
    t = " ".join((text or "").split())
    return t[:-1] if _VERSION_LABEL.match(t) and len(t.split()) <= 8 else None


def ends_version(text: str) -> bool:
    """A block that is a short title of its own ('Front Towing Eyes'), or that opens with a version label
    of its own ('Cars with Manual Transmission: ...'): the version label above no longer holds."""
    t = " ".join((text or "").split())
    head = re.match(r"^([^:]{3,60}:)\s", t)
    return (bool(_TITLE_LINE.match(t)) and len(t.split()) <= 5) or (head is not None and version_label(head.group(1)) is not None)


def page_words(texts: list[str]) -> frozenset[str]:
    """The words a page prints, lower case ('Cylinder speed' -> {'cylinder', 'speed'})."""
    return frozenset(w.lower() for t in texts for w in re.findall(r"[A-Za-z]{2,}", t or ""))


#: a word hyphenated at a line end: 'cyl- Inder' ('i' read as 'I')
_BROKEN_WORD = re.compile(r"\b([A-Za-z]{2,})- ([A-Za-z]{2,})\b")


def join_broken_words(phrase: str, words: frozenset[str]) -> str:
    """'test stand cyl- Inder' -> 'test stand cylinder' when the page prints 'cylinder' as one word
    elsewhere; a join the page does not confirm stays broken (and names no part)."""
    def join(m: re.Match[str]) -> str:
        whole = (m.group(1) + m.group(2)).lower()
        return whole if whole in words else m.group(0)
    return _BROKEN_WORD.sub(join, phrase or "")


def unique_diagram_label(word: str, context: PageContext | None, own_block: str | None = None) -> bool:
    """A one-word part name ('TIMER OPERATES FOR ABOUT 5 SECONDS') is specific when exactly one
    other diagram label of the page prints that word ('SEATBELT WARNING TIMER'); a word two labels
    print ('DOOR JAMB SWITCH', 'SEATBELT SWITCH') names no single part."""
    if context is None or not re.fullmatch(r"[A-Za-z]{3,}", word or ""):
        return False
    pat = re.compile(rf"(?i)(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])")
    return sum(1 for bid, text in context.labels if bid != own_block and pat.search(text)) == 1
