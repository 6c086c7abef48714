"""One fact, many sources: the same table printed in a text-layer PDF and scanned as images.

Rules:

- a *document* is one PDF, or the images of one folder (a scanned manual is a folder of JPGs);
- the table-row facts of each document (a layout table's rows, or one-line paragraphs: a text
  layer's table lines; never procedure steps) are grouped by their section code ("11 42") and kept
  in printed order (file, page, block, row);
- ``section_code``: the code that starts a section heading is the group key (titles differ between
  an OCR reading and a text layer, codes rarely do);
- per section, the (value, value_max, unit) sequences of two documents are aligned (difflib); an
  aligned pair whose variant, stages, tolerance, screw sizes (``screw_size``: "M8", "M10 x 1.5")
  and components (a shared word, unless one names no part) do not contradict each other is one fact: the member with the best component (a named part before 'All M8', a text layer before
  an OCR reading) is kept, the other members' provenance goes to ``also_in``;
- agreement raises confidence: the kept fact takes the highest member confidence, and review
  reasons about OCR confidence or digits are dropped when a second document prints the same value;
- between two aligned anchors, one value against one other value at the same place is a
  disagreement: both facts need review (never a silent choice).
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import PurePosixPath

from manualtune.facts.components import COMPONENT_REVIEW, component_problem
from manualtune.records import Block, SpecFact

_SECTION_CODE = re.compile(r"^\s*(\d{2})\s?(\d{2})\b")
_SCREW_SIZE = re.compile(r"(?<![A-Za-z\d])M\s?(\d{1,2})(?:\s?[x×]\s?(\d+(?:[.,]\d+)?))?(?![\d.,])")
#: review reasons a second document printing the same value settles
_SETTLED = re.compile(r"^(?:low OCR confidence|unverified OCR digits|unverified OCR edit)")


def document_of(file: str) -> str:
    """'BMW_Torque_Specs.pdf' -> itself; '00 - Torque Specs/11-27.jpg' -> '00 - Torque Specs/'."""
    p = PurePosixPath(file)
    if p.suffix.lower() == ".pdf":
        return file
    return f"{p.parent}/" if str(p.parent) != "." else "./"


def section_code(section: str | None) -> str | None:
    """'11 42 Oil Filter and Pipes' -> '11 42'; None without a leading code."""
    m = _SECTION_CODE.match(section or "")
    return f"{m.group(1)} {m.group(2)}" if m else None


def screw_size(text: str) -> set[str]:
    """Screw sizes printed in a row: 'All M20x 1.5 40 Nm' -> {'M20x1.5'}."""
    return {f"M{m.group(1)}" + (f"x{m.group(2).replace(',', '.')}" if m.group(2) else "")
            for m in _SCREW_SIZE.finditer(text)}


def _unclear(f: SpecFact) -> bool:
    return COMPONENT_REVIEW in (f.review_reason or "") or component_problem(f.component) is not None


def _words(f: SpecFact) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", f.component.lower()) if w not in _STOP_WORDS}


_STOP_WORDS = frozenset({"the", "and", "all", "for", "with", "bolt", "bolts", "nut", "nuts", "screw", "screws"})


def _compatible(a: SpecFact, b: SpecFact) -> bool:
    """Same value (aligned) and nothing contradicts: variant, stages, tolerance, screw size, and the
    components share a word unless one of them names no part ('All M8')."""
    if (a.variant or "") != (b.variant or "") or a.stages != b.stages or a.tolerance != b.tolerance:
        return False
    if not (_unclear(a) or _unclear(b) or _words(a) & _words(b)):
        return False
    sa, sb = screw_size(a.text), screw_size(b.text)
    if not sa or not sb:
        return True  # one reading lost the screw size ('Ms' for 'M8'): nothing contradicts
    base = {s.split("x")[0] for s in sa}
    return bool(sa & sb) or bool(base & {s.split("x")[0] for s in sb})


def _rank(f: SpecFact) -> tuple:
    unclear = _unclear(f)
    text_layer = f.source.ocr_confidence is None or f.source.ocr_confidence >= 99.5
    return (unclear, f.needs_review, not text_layer, f.source.file, f.source.page, f.fact_id)


def _merge(members: list[SpecFact]) -> SpecFact:
    best = min(members, key=_rank)
    others = [m for m in members if m is not best]
    confs = [c for c in (m.ocr_confidence for m in members) if c is not None]
    original = [r for r in (best.review_reason or "").split("; ") if r]
    # a clean reading of the same value elsewhere (its component may still be unclear: 'All M8')
    confirmed = any(not any(_SETTLED.match(r) for r in (m.review_reason or "").split("; ")) for m in others)
    reasons = [r for r in original if not (confirmed and _SETTLED.match(r))]
    note = "also printed in " + ", ".join(sorted({f"{m.source.file} p. {m.source.page}" for m in others}))
    still = best.needs_review and len(reasons) == len(original)
    return best.model_copy(update={
        "also_in": sorted([*best.also_in, *(m.source for m in others)], key=lambda p: (p.file, p.page)),
        "ocr_confidence": max(confs) if confs else best.ocr_confidence,
        "needs_review": still,
        "review_reason": "; ".join([*reasons, note]),
    })


def merge_sources(facts: list[SpecFact], blocks: list[Block]) -> list[SpecFact]:
    """Facts of the same table row printed in several documents become one fact (module docstring);
    the order of the remaining facts is kept."""
    order = {b.block_id: (b.page_id, b.order) for b in blocks}
    # table rows: a layout table's rows, or one-line paragraphs (a text layer's table lines); a
    # procedure step stating the same value is a statement of its own and keeps its fact
    rows = {b.block_id for b in blocks if b.kind == "table" or (b.kind == "paragraph" and "\n" not in b.text.strip())}
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, f in enumerate(facts):
        code = section_code(f.section)
        if f.derived or code is None or f.quantity == "wire" or f.block_id not in rows:
            continue
        groups[code][document_of(f.source.file)].append(i)
    merged_into: dict[int, int] = {}  # fact index -> index of the fact it joins
    disagree: dict[int, str] = {}
    for code in sorted(groups):
        docs = sorted(groups[code])
        if len(docs) < 2:
            continue
        seqs = {d: sorted(groups[code][d], key=lambda i: (order.get(facts[i].block_id or "", ("", 0)), i))
                for d in docs}
        base = docs[0]
        for other in docs[1:]:
            a, b = seqs[base], seqs[other]
            key = [(facts[i].value, facts[i].value_max, facts[i].unit) for i in a]
            key_b = [(facts[i].value, facts[i].value_max, facts[i].unit) for i in b]
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, key, key_b, autojunk=False).get_opcodes():
                if tag == "equal":
                    for ia, ib in zip(a[i1:i2], b[j1:j2], strict=True):
                        root = merged_into.get(ia, ia)
                        if _compatible(facts[root], facts[ib]) and ib not in merged_into:
                            merged_into[ib] = root
                elif tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1:
                    fa, fb = facts[a[i1]], facts[b[j1]]
                    if fa.unit == fb.unit and _compatible(fa, fb):
                        why = (f"sources disagree: {fa.value_printed} {fa.unit_printed} ({fa.source.file} p. "
                               f"{fa.source.page}) vs {fb.value_printed} {fb.unit_printed} ({fb.source.file} p. "
                               f"{fb.source.page})")
                        disagree[a[i1]] = disagree[b[j1]] = why
    members: dict[int, list[int]] = defaultdict(list)
    for ib, root in merged_into.items():
        members[root].append(ib)
    gone = {facts[i].fact_id for i in merged_into}
    out: list[SpecFact] = []
    for i, f in enumerate(facts):
        if i in merged_into or (f.derived and f.derived_from in gone):
            continue
        if i in members:
            f = _merge([f, *(facts[j] for j in sorted(members[i]))])
        if i in disagree:
            f = f.model_copy(update={"needs_review": True,
                                     "review_reason": "; ".join(filter(None, [f.review_reason, disagree[i]]))})
        out.append(f)
    return out


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("section_code", _SECTION_CODE, "the code that starts a section heading ('11 42 Oil Filter')"),
    ("screw_size", _SCREW_SIZE, "a screw size printed in a table row ('M8', 'M20 x 1.5')"),
)
