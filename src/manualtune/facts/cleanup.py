"""Rule-based OCR cleanup inside numeric and unit tokens, with an audit line for every edit.

Rules (each edit is a :class:`CleanupChange`):

- ``split_number_unit``: "45Nm" -> "45 Nm" (formatting; the unit is kept exactly as printed); never a
  model designation ("518g", "316g/518g": three digits and the model letter g, not grams).
- ``join_decimal``: "0 ,25" -> "0,25", "0. 25" -> "0.25" when the two words touch (gap evidence).
- ``digit_confusion``: O/o -> 0 and l/I/| -> 1 inside a number ("l0" -> "10", "O.25" -> "0.25").
  When the edit changes the number that is read ("l0" reads as 0, "10" as 10) it is applied only
  when a second-opinion re-OCR of the word agrees; otherwise the word stays as printed and the
  edit is recorded with ``evidence=None`` (facts over it are flagged for review). "O.25" reads
  as .25 either way, so it needs no evidence.
- ``lexicon``: one-letter OCR slips in component words ("conrad" -> "conrod").
- ``second_opinion_disagree``: a low-confidence digit word the second-opinion engines read as a
  different number; not applied, the word's confidence is lowered so facts from it need review.
- ``second_opinion_split``: a re-read digit word whose rapidocr reading (the independent engine)
  has other digits at the same place ("+16°...+30°C" / "+15"), even when both tesseract readings
  agree with the word: not applied, the word's confidence is
  lowered so facts from it need review (the audit line holds rapidocr's reading).
- ``ohm_glyph_word``: a one-glyph word after a number that may be an "Ω" misread ("1450...3300 2",
  "17...22,6 N": :func:`~manualtune.facts.glyphs.ohm_lookalike_word`) becomes "Ω" on a page about a
  resistance when rapidocr reads exactly "Ω" on its crop (tesseract's whitelist has the sign but its
  models never read this face's); the evidence holds every reading. One engine read it, so the
  word's confidence drops below ``review_below_conf``: its facts need review (a value found, not trusted).
  (Confirming the sign by rapidocr reading number and sign as one crop was tried: on the check half it made
  one fact trusted whose numbers the truth does not hold, and none that it does; it is not used.)
- ``unit_second_reading``: a unit word read at low confidence after a number ("8...15 V" with the 'V'
  at 73) keeps that confidence unless rapidocr and a tesseract reading both read exactly that unit;
  then it is confirmed (no edit). The unit letters are never changed by it.
- ``second_opinion_consensus``: a digit word the second opinion could not confirm is read again by
  tesseract's legacy classifier and standard LSTM model (:func:`~manualtune.facts.second_opinion.consensus_opinion`);
  when those and rapidocr read the same numbers (or, where the standard model dissents, the legacy
  classifier and rapidocr on the crop at two sizes: both LSTM models read this face's 5 as 6 or 8),
  other than the word's and as many, rapidocr's reading replaces the word ("10...18" -> "10...15", "$1" -> "51"; the evidence holds every reading);
  when they read the word's own numbers, the word is confirmed (no edit).
  Two engine families that do not share the page reading's errors must agree (three models, or rapidocr stable across
  two crop sizes and the legacy classifier), so the misreading of one model is not enough.
- ``range_second_reading``: a range read as one word ("10...15", "8...18", "0.20-0.30") is re-read
  whatever its confidence; unless two engines read both of its ends, its confidence is lowered below
  ``review_below_conf`` (facts from it need review): the ends of such words are where a 5 is read
  as 8 or 6 in the Motronic test lists.
- ``wire_size_dot`` (wiring pages only, :func:`manualtune.ocr.wiring.is_wiring_page`): a wire size
  in front of a colour code whose leading dot was lost ("75 GN/WT", "-75 BR/GN", "5 BK") gets it
  back when only the dotted reading fits the wire-size series (:data:`WIRE_SIZES`: 0.75 does, 75
  does not), or, when both readings fit ("35": 35 and 0.35), when the second-opinion engines
  read the dot. A size neither reading fits ("15") is left as read. Each case is an audit line.
- ``screw_size_digit``: a screw size whose digit was read as a letter ("Ms", "MB") in a line that
  prints a torque after it ("All Ms 22 Nm") becomes "M8" only when a second reading confirms it
  (:func:`~manualtune.facts.second_opinion.screw_opinion`: rapidocr and the binarised tesseract
  read the same size, nothing else is read, and the digit is one the letter may stand for: S -> 5/8,
  B -> 8, G -> 6, Z -> 2). Otherwise the word stays as read (the row's facts need review) and the
  edit is recorded with ``evidence=None``. Off with ``FactsConfig.screw_second_reading``.

- ``speck_before_number``: a dash-like mark read as a word of its own, faint, a character height or more
  before a number ("~ 15...25 °": a speck of the scan or a ruling's end) is dropped only when no
  second-opinion engine reads anything on its crop; a mark any engine reads as a dash stays (it may be
  a minus sign: the fact over it keeps its doubt).

Unit letters are never edited: "mm" can not become "Nm" here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from rapidfuzz.distance import Levenshtein

from manualtune.facts.config import FactsConfig
from manualtune.facts.glyphs import _ENDS_IN_DIGIT, _RESIST_CTX, ohm_lookalike_word, unit_glyph_word
from manualtune.facts.second_opinion import (
    SecondOpinion,
    consensus_opinion,
    consensus_reading,
    number_in,
    numbers_in,
    screw_opinion,
    second_opinion,
)
from manualtune.facts.units import lookup_unit
from manualtune.records import BBox, CleanupChange, Line, PageOCR, Word

#: wire cross-sections (mm²) printed on wiring diagrams
WIRE_SIZES = frozenset(Decimal(x) for x in ("0.35", "0.5", "0.75", "1", "1.5", "2.5", "4", "6", "10", "16", "25", "35"))
#: a wire size read without its dot, possibly with a glyph where the dot was ("75", "-75", "‘5")
_BARE_SIZE = re.compile(r"^(?P<glyph>[-‘’'`,·]?)(?P<num>\d{1,2})$")
#: a screw size with a letter for its digit, and the digits that letter may stand for
_GARBLED_SCREW_WORD = re.compile(r"^M(?P<letter>[SsBbGgZz])$")
_SCREW_LETTER_DIGITS: dict[str, frozenset[str]] = {
    "S": frozenset("58"), "s": frozenset("58"), "B": frozenset("8"), "b": frozenset("68"),
    "G": frozenset("6"), "g": frozenset("6"), "Z": frozenset("2"), "z": frozenset("2"),
}
#: a torque printed after the screw size on its line: the line is a torque-table row
_TORQUE_AFTER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s*N\s?[·.]?\s?m\b")
_SPLIT = re.compile(r"^(?P<num>\d+(?:[.,]\d+)?)(?P<unit>[A-Za-zΩ][A-Za-z·./\-²³⁻¹Ω]*)(?P<tail>[.,;:)]?)$")
_DIGIT = re.compile(r"\d")
#: a dash-like mark read as a word of its own before a number ('~ 15...25 °' on Motronic 11-12)
_SPECK = re.compile(r"^[~_=-]$")
#: a range read as one word ("10...15", "8...18", "0.20-0.30"): both ends must be confirmed
_RANGE_WORD = re.compile(r"^\(?\d+(?:[.,]\d+)?(?:[.,:;]{2,}|[-–])\d+(?:[.,]\d+)?[.,;:)]?$")
_TRANS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def _read_number(text: str) -> Decimal | None:
    n = number_in(text)
    try:
        return Decimal(n) if n is not None else None
    except Exception:  # noqa: BLE001
        return None


def fix_digit_confusion(text: str) -> str | None:
    """'l0' -> '10', 'O.25' -> '0.25', '1O' -> '10', '(l0' -> '(10'; None when nothing to fix.

    Only letters inside/around a digit run are replaced, and a trailing 'l'/'I' is left alone
    ("10l" may be ten litres). The rest of the word must be empty, punctuation or a known unit.
    """
    m = re.match(r"^(?P<pre>[(\[]?)(?P<num>[\dOoIl|.,]+)(?P<rest>.*)$", text)
    if not m:
        return None
    num, rest = m.group("num"), m.group("rest")
    if not re.search(r"[OoIl|]", num) or not _DIGIT.search(num) or re.search(r"[Il|]$", num):
        return None
    if rest and not re.fullmatch(r"[.,;:)\]]*", rest) and lookup_unit(rest.strip(".,;:)]")) is None:
        return None
    fixed = num.translate(_TRANS)
    if not re.fullmatch(r"\d+(?:[.,]\d+)?[.,]?|[.,]\d+", fixed):
        return None
    return m.group("pre") + fixed + rest


#: a BMW model designation glued like a number and a unit: three digits and a model letter ('518g', '316g/518g')
_MODEL_CODE = re.compile(r"^[1-8]\d{2}g(?:/|$|[.,;:)])")


def split_number_unit(text: str) -> str | None:
    """'45Nm' -> '45 Nm', '0.25mm' -> '0.25 mm'; None when the tail is not a known unit, or the word is a
    model designation (:data:`_MODEL_CODE`: '316g', '518g', the natural-gas models, are no grams)."""
    m = _SPLIT.match(text)
    if not m or lookup_unit(m.group("unit")) is None or _MODEL_CODE.match(text):
        return None
    return f"{m.group('num')} {m.group('unit')}{m.group('tail')}"


def lexicon_fix(word: str, lexicon: list[str], protect: list[str] | None = None) -> str | None:
    """A one-letter substitution of a lexicon word ('conrad' -> 'conrod'), case of the first letter kept."""
    core = word.strip(".,;:()")
    if len(core) < 6 or not core.isalpha():
        return None
    low = core.lower()
    lex = sorted({w.lower() for w in lexicon})
    if low in lex or low in {p.lower() for p in protect or []}:
        return None
    hits = [w for w in lex if len(w) == len(low) and w[0] == low[0] and Levenshtein.distance(w, low) == 1]
    if len(hits) != 1:
        return None
    fixed = hits[0]
    if core[0].isupper():
        fixed = fixed[0].upper() + fixed[1:]
    if core.isupper():
        fixed = fixed.upper()
    return word.replace(core, fixed, 1)


def _gap_ok(a: BBox, b: BBox) -> bool:
    h = max(1, min(a.height, b.height))
    return 0 <= b.x0 - a.x1 <= 0.6 * h or b.x0 < a.x1


class _Opinions:
    """Lazy image + cached second opinions for one page, with a per-page cap."""

    def __init__(self, cfg: FactsConfig, loader: Callable[[], np.ndarray] | None):
        self.cfg, self.loader = cfg, loader
        self.image: np.ndarray | None = None
        self.failed = loader is None or not cfg.second_opinion
        self.calls = 0

    def get(self, bbox: BBox) -> SecondOpinion | None:
        """:func:`second_opinion` of a word; None without an image or past the per-page cap."""
        if self.calls >= self.cfg.second_opinion_max_words or self.get_image() is None:
            return None
        self.calls += 1
        return second_opinion(self.image, bbox, self.cfg)  # type: ignore[arg-type]

    def get_consensus(self, bbox: BBox) -> SecondOpinion | None:
        """:func:`consensus_opinion` of a word (no extra cap: asked only after :meth:`get` of the same word)."""
        if not self.cfg.second_opinion_consensus or self.get_image() is None:
            return None
        return consensus_opinion(self.image, bbox, self.cfg)  # type: ignore[arg-type]

    def get_screw(self, bbox: BBox) -> SecondOpinion | None:
        """:func:`screw_opinion` of a word (same image, same per-page cap); None without an image."""
        if not self.cfg.screw_second_reading or self.calls >= self.cfg.second_opinion_max_words:
            return None
        if self.get_image() is None:
            return None
        self.calls += 1
        return screw_opinion(self.image, bbox, self.cfg)  # type: ignore[arg-type]

    def get_image(self) -> np.ndarray | None:
        if self.failed:
            return None
        if self.image is None:
            try:
                self.image = self.loader() if self.loader else None
            except Exception:  # noqa: BLE001 - no image: no evidence, never a crash
                self.image = None
            if self.image is None:
                self.failed = True
        return self.image


def _low_conf_unit(prev: str | None, word: str, conf: float, cfg: FactsConfig) -> str | None:
    """The unit a word is ('V' of 'V', 'kΩ' of 'kΩ.') when it follows a word ending in a digit and was
    read below ``second_opinion_below_conf``; None otherwise. Rule ``unit_second_reading``: such a unit
    is trusted only when rapidocr and a tesseract reading both read exactly it
    (:meth:`~manualtune.facts.second_opinion.SecondOpinion.confirms_unit`); otherwise it stays as
    read, at its low confidence (a test-value cell holding it needs review)."""
    if conf >= cfg.second_opinion_below_conf or not prev or not _ENDS_IN_DIGIT.search(prev):
        return None
    unit = word.rstrip(".,;:)")
    return unit if unit and not re.search(r"\d", unit) and lookup_unit(unit) is not None else None


def _is_colour_code(text: str) -> bool:
    from manualtune.layout.patterns import WIRE_COLOURS

    parts = text.rstrip(".,;:").split("/")
    return 1 <= len(parts) <= 2 and all(p in WIRE_COLOURS for p in parts)


def fix_wire_sizes(words: list[Word], page_id: str, opinions: _Opinions) -> tuple[list[Word], list[CleanupChange]]:
    """Rule ``wire_size_dot`` on one line's words (see the module docstring)."""
    out = list(words)
    changes: list[CleanupChange] = []
    for i in range(len(out) - 1):
        m = _BARE_SIZE.match(out[i].text)
        if not m or not _is_colour_code(out[i + 1].text):
            continue
        w, glyph, num = out[i], m.group("glyph"), m.group("num")
        as_read, dotted = Decimal(num), Decimal("0." + num)
        fits_read, fits_dot = as_read in WIRE_SIZES and not glyph, dotted in WIRE_SIZES
        if not fits_dot:
            continue  # "25 BK" is a size as read; "15" fits neither reading: left as read
        after = "." + num
        if not fits_read:
            evidence: str | None = f"wire-size series: only {dotted} fits ({'glyph ' + repr(glyph) + ' in place of the dot, ' if glyph else ''}{num} is no wire size)"
        else:
            op = opinions.get(w.bbox)
            ok = op is not None and op.vote(after)[0]
            evidence = op.evidence() if ok and op is not None else None
        changes.append(CleanupChange(page_id=page_id, bbox=w.bbox, before=w.text, after=after, rule="wire_size_dot",
                                     changes_value=True, evidence=evidence))
        if evidence:
            out[i] = Word(text=after, bbox=w.bbox, conf=w.conf)
    return out, changes


def fix_screw_sizes(words: list[Word], page_id: str, opinions: _Opinions) -> tuple[list[Word], list[CleanupChange]]:
    """Rule ``screw_size_digit`` on one line's words (see the module docstring)."""
    out = list(words)
    changes: list[CleanupChange] = []
    for i, w in enumerate(out):
        m = _GARBLED_SCREW_WORD.match(w.text)
        if not m or not _TORQUE_AFTER.search(" ".join(x.text for x in out[i + 1:])):
            continue
        op = opinions.get_screw(w.bbox)
        size = op.screw_size(_SCREW_LETTER_DIGITS[m.group("letter")]) if op is not None else None
        changes.append(CleanupChange(
            page_id=page_id, bbox=w.bbox, before=w.text, after=size or "M?", rule="screw_size_digit",
            changes_value=True, evidence=op.evidence() if size and op is not None else None,
        ))
        if size:
            out[i] = Word(text=size, bbox=w.bbox, conf=max(w.conf, 90.0))
    return out, changes


def drop_specks(words: list[Word], page_id: str, cfg: FactsConfig, opinions: _Opinions) -> tuple[list[Word], list[CleanupChange]]:
    """Rule ``speck_before_number`` on one line's words (see the module docstring)."""
    out: list[Word] = []
    changes: list[CleanupChange] = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        if (nxt is not None and _SPECK.match(w.text) and re.match(r"\d", nxt.text)
                and w.conf < cfg.second_opinion_below_conf and nxt.bbox.x0 - w.bbox.x1 >= nxt.bbox.height):
            op = opinions.get(w.bbox)
            if op is not None and op.readings and not any(v.strip() for v in op.readings.values()):
                changes.append(CleanupChange(
                    page_id=page_id, bbox=w.bbox, before=f"{w.text} {nxt.text}", after=nxt.text,
                    rule="speck_before_number", changes_value=True,
                    evidence=f"{op.evidence()}; {nxt.bbox.x0 - w.bbox.x1}px before the number"))
                continue
        out.append(w)
    return out, changes


def _clean_line(
    line: Line, page_id: str, cfg: FactsConfig, opinions: _Opinions, wiring: bool = False, resistance: bool = False
) -> tuple[Line, list[CleanupChange]]:
    changes: list[CleanupChange] = []
    words: list[Word] = [w.model_copy() for w in line.words]
    if any(_SPECK.match(w.text) for w in words):
        words, speck_changes = drop_specks(words, page_id, cfg, opinions)
        changes += speck_changes
    if wiring:
        words, wire_changes = fix_wire_sizes(words, page_id, opinions)
        changes += wire_changes
    if any(_GARBLED_SCREW_WORD.match(w.text) for w in words):
        words, screw_changes = fix_screw_sizes(words, page_id, opinions)
        changes += screw_changes
    # 1. join split decimals across words: "0 ,25" / "0. 25"
    merged: list[Word] = []
    for w in words:
        if merged:
            a = merged[-1]
            joinable = (re.fullmatch(r"\d+", a.text) and re.fullmatch(r"[.,]\d+\S*", w.text)) or (
                re.fullmatch(r"\d+[.,]", a.text) and re.fullmatch(r"\d+\S*", w.text)
            )
            if joinable and _gap_ok(a.bbox, w.bbox):
                after = a.text + w.text
                changes.append(CleanupChange(
                    page_id=page_id, bbox=a.bbox.union(w.bbox), before=f"{a.text} {w.text}", after=after,
                    rule="join_decimal", changes_value=False,
                    evidence=f"word gap {max(0, w.bbox.x0 - a.bbox.x1)}px",
                ))
                merged[-1] = Word(text=after, bbox=a.bbox.union(w.bbox), conf=min(a.conf, w.conf))
                continue
        merged.append(w)
    out_words: list[Word] = []
    for i, w in enumerate(merged):
        text = w.text
        conf = w.conf
        glyph = unit_glyph_word(merged[i - 1].text if i else None, text)  # 1b. '¥' for 'V' (glyphs.py)
        if glyph is not None and (op := opinions.get(w.bbox)) is not None and op.reads_unit(glyph[0]):
            changes.append(CleanupChange(page_id=page_id, bbox=w.bbox, before=text, after=glyph[1],
                                         rule="unit_glyph_word", changes_value=True, evidence=op.evidence()))
            text, conf = glyph[1], max(conf, 90.0)
        elif resistance and (ohm := ohm_lookalike_word(merged[i - 1].text if i else None, text)) is not None \
                and (op := opinions.get(w.bbox)) is not None and op.reads_rapid("Ω"):  # 1c. 'Ω' read as '2'
            num = out_words[-1].text if out_words else merged[i - 1].text  # the value the sign follows, in the audit
            changes.append(CleanupChange(page_id=page_id, bbox=w.bbox, before=f"{num} {text}", after=f"{num} {ohm}",
                                         rule="ohm_glyph_word", changes_value=True,
                                         evidence=f"{op.evidence()}; a page about a resistance"))
            # one engine's reading: facts need review; just below trusted whatever the '2' was read at, so the
            # layout keeps the sign (a faint one-glyph word is dropped as a stray mark) and the fact is found
            text, conf = ohm, max(0.0, cfg.review_below_conf - 1)
        elif (unit := _low_conf_unit(merged[i - 1].text if i else None, text, conf, cfg)) is not None:
            op = opinions.get(w.bbox)  # 1c. a unit read at low confidence after a number: confirmed or left
            if op is not None and op.confirms_unit(unit):
                conf = max(conf, 90.0)
        # 2. digit confusions
        fixed = fix_digit_confusion(text)
        if fixed is not None and fixed != text:
            changes_value = _read_number(text) != _read_number(fixed)
            if not changes_value:
                changes.append(CleanupChange(
                    page_id=page_id, bbox=w.bbox, before=text, after=fixed, rule="digit_confusion",
                    changes_value=False, evidence=f"same number read before and after ({number_in(fixed)})",
                ))
                text = fixed
            else:
                op = opinions.get(w.bbox)
                ok = op.vote(fixed)[0] if op is not None else False
                changes.append(CleanupChange(
                    page_id=page_id, bbox=w.bbox, before=text, after=fixed, rule="digit_confusion",
                    changes_value=True, evidence=op.evidence() if ok and op is not None else None,
                ))
                if ok:
                    text = fixed
                    conf = max(conf, 90.0)
        # 3. low-confidence digit words and ranges read as one word: ask for a second opinion
        elif _DIGIT.search(text) and (conf < cfg.second_opinion_below_conf or _RANGE_WORD.match(text)):
            op = opinions.get(w.bbox)
            if op is not None:
                agrees, n_agree, n_dis = op.vote(text)
                nums = [n for n in op.numbers().values() if n is not None]
                dissent = op.independent_dissent(text)
                more = None if agrees and not dissent else opinions.get_consensus(w.bbox)
                consensus = consensus_reading(text, op, more) if more is not None else None
                if agrees and not dissent:
                    conf = max(conf, 90.0)
                elif consensus is not None and numbers_in(consensus) == numbers_in(text):
                    conf = max(conf, 90.0)  # three other models read the word's numbers: confirmed, no edit
                elif consensus is not None:  # rule second_opinion_consensus
                    changes.append(CleanupChange(
                        page_id=page_id, bbox=w.bbox, before=text, after=consensus, rule="second_opinion_consensus",
                        changes_value=True, evidence=f"{op.evidence()}, {more.evidence()}",  # type: ignore[union-attr]
                    ))
                    text, conf = consensus, max(conf, 90.0)
                elif _RANGE_WORD.match(text):  # rule range_second_reading: unconfirmed ends need review
                    read = Counter(op.readings.values()).most_common(1)
                    changes.append(CleanupChange(
                        page_id=page_id, bbox=w.bbox, before=text, after=read[0][0] if read else "?",
                        rule="range_second_reading", changes_value=True, evidence=None,
                    ))
                    conf = min(conf, max(0.0, cfg.review_below_conf - 1))
                elif nums and n_dis >= 2 and len(set(nums)) == 1 and nums[0] != number_in(text):
                    changes.append(CleanupChange(
                        page_id=page_id, bbox=w.bbox, before=text, after=nums[0],
                        rule="second_opinion_disagree", changes_value=True, evidence=None,
                    ))
                    conf = min(conf, max(0.0, cfg.review_below_conf - 1))
                elif dissent:  # rule second_opinion_split: rapidocr reads other digits
                    changes.append(CleanupChange(
                        page_id=page_id, bbox=w.bbox, before=text, after=op.readings["rapidocr"],
                        rule="second_opinion_split", changes_value=True, evidence=None,
                    ))
                    conf = min(conf, max(0.0, cfg.review_below_conf - 1))
        # 4. split number+unit ("45Nm" -> "45 Nm")
        split = split_number_unit(text)
        if split is not None:
            changes.append(CleanupChange(
                page_id=page_id, bbox=w.bbox, before=text, after=split, rule="split_number_unit",
                changes_value=False, evidence="formatting only",
            ))
            text = split
        # 5. lexicon
        lex = lexicon_fix(text, cfg.lexicon, cfg.lexicon_protect) if not _DIGIT.search(text) else None
        if lex is not None:
            changes.append(CleanupChange(
                page_id=page_id, bbox=w.bbox, before=text, after=lex, rule="lexicon", changes_value=False,
                evidence="one-letter match in component lexicon",
            ))
            text = lex
        out_words.append(Word(text=text, bbox=w.bbox, conf=conf))
    old_join = " ".join(w.text for w in line.words)
    if line.text == old_join:
        new_text = " ".join(w.text for w in out_words)
    else:
        new_text = line.text
        for c in changes:
            if c.rule != "second_opinion_disagree" and (not c.changes_value or c.evidence):
                new_text = new_text.replace(c.before, c.after, 1)
    return line.model_copy(update={"words": out_words, "text": new_text}), changes


def cleanup_page(
    page: PageOCR, cfg: FactsConfig | None = None, image_loader: Callable[[], np.ndarray] | None = None
) -> tuple[PageOCR, list[CleanupChange]]:
    """Clean one page's OCR; returns the cleaned page and its audit lines (in reading order).

    ``image_loader`` returns the page pixels the OCR boxes refer to; it is called at most once,
    and only when a word needs a second opinion. Without it, value-changing edits are recorded
    but not applied.
    """
    from manualtune.ocr.wiring import is_wiring_page

    cfg = cfg or FactsConfig()
    opinions = _Opinions(cfg, image_loader)
    new_lines: list[Line] = []
    audit: list[CleanupChange] = []
    wiring = is_wiring_page(page.lines)
    resistance = bool(_RESIST_CTX.search(page.text))  # rule ohm_glyph_word: only on a page about a resistance
    for line in page.lines:
        try:
            new_line, changes = _clean_line(line, page.page_id, cfg, opinions, wiring, resistance)
        except Exception:  # noqa: BLE001 - a line we can not clean is kept as read
            new_line, changes = line, []
        new_lines.append(new_line)
        audit.extend(changes)
    if not audit and new_lines == list(page.lines):
        return page, []  # nothing edited and no confidence confirmed or lowered by a second reading
    old_text = "\n".join(line.text for line in page.lines)
    if page.text == old_text:
        text = "\n".join(line.text for line in new_lines)
    else:
        text = page.text
        for old, new in zip(page.lines, new_lines, strict=True):
            if old.text != new.text:
                text = text.replace(old.text, new.text, 1)
    cleaned = page.model_copy(update={
        "lines": new_lines, "text": text, "word_count": sum(len(line.words) for line in new_lines),
    })
    return cleaned, audit
