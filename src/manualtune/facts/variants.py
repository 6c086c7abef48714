"""Engine / model variants of a fact.

Rules: a configured variant name counts only word-bounded ('$38' is read as 'S38'); longer names
win ('240 Turbo' over '240'); a model name is filed under its engine (``variant_aliases``);
'$14' -> 'S14' in a Type cell only when the result is a configured variant; a Type cell one
typical OCR slip away from exactly one variant ('CcR20', 'CR2O') is that variant, with an
audit note; in running text each value takes the variant of its own sentence ("CR20: a, CR25T: b"
or "a on the 240i and b on the 240 Turbo"); the same value for every variant of a sentence is
one fact without variant; ``default_variants`` gives a file's facts its configured variant.

``garbled_code`` (:func:`garbled_model_codes`): a model or engine code read with a letter where a
digit was ('ES2' / 'ESt' for E32 / E31 in 'ESt/E36/E32/E34'), or a screw size read as two letters
('ms' for M8), in a fact's condition is never guessed: it is read back only when exactly one reading of
its letters as the digits they are confused with (:data:`_CODE_DIGITS`: S -> 3/5/8, t/l/I -> 1, ...) is a
code the build reads cleanly elsewhere ('ESt' -> E31, 'ES2' -> E32: E51, E81, E52, E82 are printed
nowhere), with a note in the review reason; otherwise a garbled item leaves its list of codes
('ESt/E36/E32/E34' -> 'E36/E32/E34': the value holds for those, the review reason names the unread one),
and a condition part that is only a garbled screw size makes the fact need review.
"""

from __future__ import annotations

import fnmatch
import re

from manualtune.facts.config import FactsConfig
from manualtune.facts.fact_records import _fact_id
from manualtune.facts.grammar import ParsedValue, _sentence_of
from manualtune.records import SpecFact


def variant_mentions(
    text: str, variants: list[str], aliases: dict[str, str] | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, variant) of every configured variant name printed word-bounded in ``text``.

    Longer names win over shorter ones at the same place; ``aliases`` files a model name under
    its engine variant ('240i' -> 'CR20'). '$38' is read as 'S38'.
    """
    t = re.sub(r"\$(?=\d{2})", "S", text or "")
    hits: list[tuple[int, int, str]] = []
    for name in sorted(variants, key=lambda n: (-len(n), n)):
        for m in re.finditer(rf"(?<![A-Za-z\d]){re.escape(name)}(?![A-Za-z\d])", t, flags=re.IGNORECASE):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in hits):
                hits.append((m.start(), m.end(), (aliases or {}).get(name, name)))
    return sorted(hits)


def find_variants(text: str, variants: list[str], aliases: dict[str, str] | None = None) -> list[str]:
    """Configured variant names found word-bounded in ``text`` ('$38' is read as 'S38'), in order,
    each once; with ``aliases`` a model name is reported as its engine ('240i (CR20)' -> ['CR20'])."""
    out: list[str] = []
    for _, _, name in variant_mentions(text, variants, aliases):
        if name not in out:
            out.append(name)
    return out


def fix_variant_ocr(text: str, variants: list[str]) -> tuple[str, list[str]]:
    """'$14' -> 'S14' only where the result is a configured variant; returns (text, audit notes)."""
    notes: list[str] = []
    known = {v.lower() for v in variants}

    def sub(m: re.Match) -> str:
        cand = "S" + m.group(1)
        if cand.lower() in known:
            notes.append(f"variant OCR {m.group(0)!r}->{cand!r}")
            return cand
        return m.group(0)

    return re.sub(r"\$(\d{2}[A-Za-z]?\d?)(?![A-Za-z\d])", sub, text), notes


_CONFUSABLE_PAIRS = {frozenset(p) for p in ("O0", "I1", "l1", "S5", "B8", "Z2", "G6", "D0")}


def _one_ocr_slip(cell: str, variant: str) -> bool:
    """``cell`` is ``variant`` with one typical OCR slip: a stray lower-case letter or punctuation
    inside an upper-case code ('CcR20'), or one confusable glyph ('CR2O')."""
    if len(cell) == len(variant) + 1 and not any(ch.islower() for ch in variant):
        for i, ch in enumerate(cell):
            if (ch.islower() or not ch.isalnum()) and cell[:i] + cell[i + 1:] == variant:
                return True
        return False
    if len(cell) == len(variant):
        diff = [(a, b) for a, b in zip(cell, variant, strict=True) if a != b]
        return len(diff) == 1 and frozenset(diff[0]) in _CONFUSABLE_PAIRS
    return False


def nearest_variant(text: str, variants: list[str]) -> tuple[str, str | None]:
    """A Type cell one OCR slip away from exactly one configured variant ('CcR20' -> 'CR20',
    see :func:`_one_ocr_slip`); returns (text, audit note). Cells shorter than 4 characters,
    cells that already name a variant and cells near two variants are left as they are."""
    t = text.strip()
    if len(t) < 4 or " " in t or find_variants(t, variants):
        return text, None
    near = sorted({v for v in variants if len(v) >= 3 and _one_ocr_slip(t, v)})
    if len(near) != 1:
        return text, None
    return near[0], f"variant OCR {t!r}->{near[0]!r}"


def _value_variants(
    text: str, spans: list[tuple[int, int]], parsed: list[ParsedValue], cfg: FactsConfig
) -> list[str | None]:
    """The variant each value is filed under.

    One variant named in the block: all its values. Several: the value's own sentence decides;
    a sentence naming several variants is read as "CR20: a, CR25T: b" (name before value: the
    last name before it) or "a on the 240i and b on the 240 Turbo" (value first: the next name
    after it). Model names are filed under their engine (``cfg.variant_aliases``).
    """
    mentions = variant_mentions(text, cfg.variants, cfg.variant_aliases)
    names = {n for _, _, n in mentions}
    if len(names) <= 1:
        only = next(iter(names)) if names else None
        return [only for _ in parsed]
    out: list[str | None] = []
    for pv in parsed:
        s, e = spans[_sentence_of(spans, pv.start)]
        here = [(ms, me, n) for ms, me, n in mentions if s <= ms < e]
        here_names = {n for _, _, n in here}
        if not here_names:
            out.append(None)
            continue
        if len(here_names) == 1:
            out.append(here[0][2])
            continue
        first_value = min(v.lead if v.lead is not None else v.start for v in parsed if s <= v.start < e)
        pos = pv.lead if pv.lead is not None else pv.start
        if here[0][0] < first_value:
            before = [n for ms, _, n in here if ms < pos]
            out.append(before[-1] if before else None)
        else:
            after = [n for ms, _, n in here if ms >= pv.end]
            out.append(after[0] if after else None)
    return out


def _merge_all_variant_copies(facts: list[SpecFact], sentence: list[int]) -> list[SpecFact]:
    """'a 12 V, 55 Ah unit on the 240i and a 12 V, 66 Ah unit on the 240 Turbo': the same value
    for every variant of its sentence is one fact without a variant."""
    out: list[SpecFact] = []
    taken: set[int] = set()
    for i, f in enumerate(facts):
        if i in taken:
            continue
        if f.variant is None:
            out.append(f)
            continue
        in_sentence = {g.variant for j, g in enumerate(facts) if sentence[j] == sentence[i] and g.variant}
        same = [j for j, g in enumerate(facts) if sentence[j] == sentence[i] and j not in taken
                and (g.value, g.value_max, g.unit, g.quantity) == (f.value, f.value_max, f.unit, f.quantity)]
        if len(in_sentence) >= 2 and {facts[j].variant for j in same} == in_sentence:
            taken.update(same)
            out.append(f.model_copy(update={
                "variant": None,
                "fact_id": _fact_id(f.source.page_id or "", f.component, f.value if f.value_max is None
                                    else f"{f.value}-{f.value_max}", f.unit, f.condition, None),
            }))
            continue
        out.append(f)
    return out


def apply_default_variant(fact: SpecFact, defaults: dict[str, str]) -> SpecFact:
    """Give a fact that prints no variant the variant configured for its source file
    (first matching glob in sorted order); the fact id is kept, the audit note names the glob."""
    if fact.variant or fact.quantity == "wire":
        return fact
    for pattern in sorted(defaults):
        if fnmatch.fnmatchcase(fact.source.file, pattern) or fnmatch.fnmatchcase(
            fact.source.file.rsplit("/", 1)[-1], pattern
        ):
            note = f"variant {defaults[pattern]} from default_variants[{pattern!r}]"
            return fact.model_copy(update={
                "variant": defaults[pattern],
                "review_reason": "; ".join(filter(None, [fact.review_reason, note])),
            })
    return fact


#: an item of a condition's '/'-list that is a chassis code with a letter for a digit ('ES2', 'ESt', 'E3l'),
#: or a screw size read as two letters ('ms', 'MB')
_GARBLED_CODE = re.compile(r"^(?:E(?:[A-Za-z$§]\w|\d[A-Za-z$§](?![A-Za-z]))|[mM][sSbBgGzZ])$")
#: a well-read chassis / engine code ('E36', 'M52', 'S50'): a list holding one is a list of codes
_GOOD_CODE = re.compile(r"^[EMS]\d{2}\b")
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("garbled_code", _GARBLED_CODE, "a model code or screw size with a letter where a digit was printed"),
)


def garbled_model_codes(condition: str | None) -> list[str]:
    """The garbled codes of a condition ('ESt/E36/E32/E34' -> ['ESt']; 'E36 M41; ms' -> ['ms']): an
    item of a '/'-list of model codes, or a whole ';'-part that is a screw size read as letters."""
    out: list[str] = []
    for part in (p.strip() for p in (condition or "").split(";")):
        items = [i.strip() for i in part.split("/")]
        listed = len(items) > 1 and any(_GOOD_CODE.match(i) for i in items)
        out += [i for i in items if _GARBLED_CODE.match(i) and (listed or re.fullmatch(r"[mM][sSbBgGzZ]", i))]
    return out


#: the digits a letter of a garbled code may stand for
_CODE_DIGITS = {"S": "358", "s": "358", "t": "1", "l": "1", "I": "1", "i": "1", "Z": "2", "z": "2", "B": "8",
                "G": "6", "O": "0", "o": "0", "$": "5", "§": "5"}
#: a cleanly read chassis / engine code
_CLEAN_CODE = re.compile(r"(?<!\w)([EMS]\d{2})(?!\w)")


def known_codes(facts: list[SpecFact]) -> frozenset[str]:
    """The chassis / engine codes the build's conditions and variants print cleanly ('E31', 'M52')."""
    return frozenset(c for f in facts for c in _CLEAN_CODE.findall(f"{f.condition or ''} {f.variant or ''}"))


def read_back_code(code: str, known: frozenset[str]) -> str | None:
    """'ESt' -> 'E31' when that is the one reading of its letters as digits among ``known``; None otherwise."""
    options = [""]
    for i, ch in enumerate(code):
        alts = ch if i == 0 or ch.isdigit() else _CODE_DIGITS.get(ch, "")
        if not alts:
            return None
        options = [o + a for o in options for a in alts]
    hits = [o for o in options if o in known]
    return hits[0] if len(hits) == 1 else None


def flag_garbled_codes(facts: list[SpecFact]) -> list[SpecFact]:
    """Rule ``garbled_code`` on each fact's condition (see the module docstring)."""
    known = known_codes(facts)
    out = []
    for f in facts:
        bad = garbled_model_codes(f.condition)
        if bad:
            parts, review, notes = [], False, []
            for part in (p.strip() for p in (f.condition or "").split(";")):
                items = []
                for item in (i.strip() for i in part.split("/")):
                    if item not in bad:
                        items.append(item)
                    elif (back := read_back_code(item, known)) is not None:
                        items.append(back)
                        notes.append(f"model code {item!r} read as {back!r} (the one reading among the build's codes)")
                    else:
                        notes.append(f"model code or screw size unreadable: {item!r}")
                if items:
                    parts.append("/".join(items))
                else:
                    review = True  # a screw size read as letters: which row is it?
            f = f.model_copy(update={
                "condition": "; ".join(parts) or None, "needs_review": f.needs_review or review,
                "review_reason": "; ".join(filter(None, [f.review_reason, *notes]))})
        out.append(f)
    return out
