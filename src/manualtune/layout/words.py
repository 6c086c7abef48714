"""Which OCR words of a page are printed text (:func:`clean_words`): boxes much taller than the
printed text (photo texture) and low-confidence marks go; a faint word is kept when it is an English
word inside a confident text line (italic headings such as '(Installation:' read at confidence 0-29),
a faint sub-heading alone on its line becomes its label ('/nstallation:' -> 'Installation:'), and a
short number is kept only between two words of a text line ("valve 37. 0.1mm"), never as a callout
floating in a photo; an 'Ω' right after a number is kept whatever its confidence (the cleanup read it for
a glyph and left its facts to review).
"""

from __future__ import annotations

import re
from statistics import median

from manualtune.layout.config import LayoutConfig
from manualtune.lexicon import is_english
from manualtune.records import Word

_OPERATOR = re.compile(r"^[+±–—-]$")


def clean_words(words: list[Word], cfg: LayoutConfig) -> list[Word]:
    """Drop noise: low-confidence words and boxes much taller than the printed text (photo texture)."""
    if not words:
        return []
    med_h = median(w.bbox.height for w in words if w.conf >= cfg.text_word_conf) if any(
        w.conf >= cfg.text_word_conf for w in words) else median(w.bbox.height for w in words)
    out = []
    doubtful: list[Word] = []
    relabelled: dict[int, Word] = {}  # a faint sub-heading and its label text
    for w in words:
        if w.bbox.height > cfg.max_word_height_factor * med_h:
            continue
        label = _faint_label(w, words, cfg) if w.conf < cfg.text_word_conf else None
        if label is not None:
            relabelled[id(w)] = label  # written as the label ('/nstallation:', 'installation' -> 'Installation:')
        if w.conf < cfg.min_word_conf:
            if label is not None or _faint_word(w, words, cfg):  # exclusive: a label has no words beside it
                out.append(w)
            continue
        if w.conf < cfg.text_word_conf and _UNIT_SIGN.match(w.text) and _after_number(w, words):
            out.append(w)  # an 'Ω' the cleanup read for a glyph after a number (its facts need review): kept
            continue
        if w.conf < cfg.text_word_conf and sum(c.isalnum() for c in w.text) <= 2 and not _OPERATOR.match(w.text):
            if _SHORT_NUMBER.match(w.text):
                doubtful.append(w)
            continue  # stray marks and callout letters read from photos (a lone '+' / '–' is kept)
        out.append(w)
    kept = [w for w in doubtful if _inside_text_line(w, out)]
    return [relabelled.get(id(w), w) for w in words if any(w is k for k in out) or any(w is k for k in kept)]


_SHORT_NUMBER = re.compile(r"^\d{1,2}[.,]?$")
#: a unit sign no OCR model reads on this manual's typewriter face but the cleanup's second reading
#: ('1450...3300 2' -> 'Ω', facts/cleanup.py rule ohm_glyph_word)
_UNIT_SIGN = re.compile(r"^[kM]?Ω[.,;:]?$")


def _after_number(w: Word, words: list[Word]) -> bool:
    """A word ending in a digit (or a unit prefix after one) ends close left of ``w`` on its line."""
    h = max(1, w.bbox.height)
    return any(re.search(r"\d[kM]?$", o.text) and 0 <= w.bbox.x0 - o.bbox.x1 <= 2 * h for o in _row_of(w, words))
#: the letters of a faint word between its punctuation and footnote marks ('(Installation:', 'runout".',
#: 'socket**.' on 23-168 read at 20: the mark links the step to its footnote)
_FAINT_CORE = re.compile(r"^[(\[\"'“‘]*([A-Za-z]{4,})[)\]\"'”’.,:;!?*]*$")


def _faint_word(w: Word, words: list[Word], cfg: LayoutConfig) -> bool:
    """A word below ``min_word_conf`` that is printed text all the same: no digit, an English word of
    at least four letters (italic headings such as '(Installation:' and words like 'bevelled' read at
    confidence 0-29 inside confident lines), with a confident word close beside it on its line and
    two confident words on that line. A number is never kept this way."""
    m = _FAINT_CORE.match(w.text)
    if m is None or not is_english(m.group(1)):
        return False
    confident = [o for o in words if o is not w and o.conf >= cfg.text_word_conf]
    row = _row_of(w, confident)
    left, right = _sides(w, row)
    return bool(left or right) and (len(row) >= 2 or _under_text_line(row, confident))


def _under_text_line(row: list[Word], confident: list[Word]) -> bool:
    """A line of one confident word ('Tightening torque*.' with 'torque*.' read faintly) that goes
    on a text column: a confident word of the line right above over that word."""
    (one,) = row
    h = max(1, one.bbox.height)
    return any(min(o.bbox.x1, one.bbox.x1) > max(o.bbox.x0, one.bbox.x0) and 0 <= one.bbox.y0 - o.bbox.y1 <= h
               for o in confident)


#: the italic sub-headings printed alone on a line over a group of steps
_LABEL_TEXTS = ("Installation:", "Removal:", "Disassembly:", "Assembly:")


def _faint_label(w: Word, words: list[Word], cfg: LayoutConfig) -> Word | None:
    """An italic sub-heading read below ``min_word_conf``, alone on its line, its 'I' or 'l' read
    as '/', '|' or a quote ('Insta/lation:', '/nstallation:', '‘nstallation:'), its colon as '.' or lost
    ('Installation.', 'installation'): the label, when
    confident text lines lie right above and below it, left-aligned with it. None for anything else."""
    t = re.sub(r"^[/|‘'`]", "I", w.text.strip())
    t = re.sub(r"(?<=[a-z])[/|](?=[a-z])", "l", t)
    core = t.rstrip(":.;,").lower()  # its colon read as '.' or lost ('Installation.', 'installation': 11-102, 11-103)
    label = next((lb for lb in _LABEL_TEXTS if core == lb.rstrip(":").lower()), None)
    if label is None:
        return None
    confident = [o for o in words if o is not w and o.conf >= cfg.text_word_conf]
    if any(_sides(w, _row_of(w, confident))):
        return None  # words beside it: no line of its own
    h = max(1, w.bbox.height)

    read = [o for o in words if o is not w and o.conf >= cfg.min_word_conf]

    def line_at(above: bool) -> bool:
        # a text line starting left-aligned with it, its first word read at least faintly ('Torque*' at 54 under
        # '/nstallation:' on 18-06), a confident word on that line
        return any(abs(o.bbox.x0 - w.bbox.x0) <= h and (
            0 <= w.bbox.y0 - o.bbox.y1 <= h if above else 0 <= o.bbox.y0 - w.bbox.y1 <= h)
            and bool(_row_of(o, confident)) for o in read)

    if not (line_at(True) and line_at(False)):
        return None
    return w.model_copy(update={"text": label})


def _inside_text_line(w: Word, words: list[Word]) -> bool:
    """A short number printed between two words of a text line ("valve 37. 0.1mm"), not a
    callout floating in a photo: confident words close on both sides of it on its line."""
    left, right = _sides(w, _row_of(w, words))
    return left and right


def _row_of(w: Word, words: list[Word]) -> list[Word]:
    """The words of ``words`` on ``w``'s line (vertical overlap of half the smaller height)."""
    h = max(1, w.bbox.height)
    return [o for o in words if min(o.bbox.y1, w.bbox.y1) - max(o.bbox.y0, w.bbox.y0) >= 0.5 * min(h, o.bbox.height)]


def _sides(w: Word, row: list[Word]) -> tuple[bool, bool]:
    """Whether a word of ``row`` ends close left of ``w`` / starts close right of it (4 word heights)."""
    h = max(1, w.bbox.height)
    left = any(0 <= w.bbox.x0 - o.bbox.x1 <= 4 * h for o in row)
    right = any(0 <= o.bbox.x0 - w.bbox.x1 <= 4 * h for o in row)
    return left, right
