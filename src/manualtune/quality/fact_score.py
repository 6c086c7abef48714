"""Precision and recall of extracted spec facts against hand-made ``*.truth.json`` files.

A fact matches a truth fact on the same page when the (value, value_max, unit) agree after
normalisation ('.75' == '0.75', '55' == '55.0', 'AMP' == 'A'); ranges "a-b" compare with
value + value_max. Each truth fact is matched at most once. Pages are matched by the truth's
``file`` against the fact's ``source.file`` as paths relative to the source root: equal, or one
ends with the other at a folder boundary (a build of ``realpages/`` names
``00 - Torque Specs/11-25.jpg``; a truth ``11-25.jpg`` of a flat folder matches it, but
``11 - Engine/11-25.jpg`` never matches ``00 - Torque Specs/11-25.jpg``); facts from pages
without a truth file are not scored, derived facts never are. A fact printed in several documents
counts on every page it is printed on (``source`` and ``also_in``). ``trusted_only`` scores only facts
that can make an example (not ``needs_review``).

:func:`absent_values` lists facts whose number is nowhere in the page's truth (facts, transcript,
steps, rows): a wrong number, whatever its component.

HTML truth (``rows[]``): every number that is printed with a unit (a range "a-b unit" counts
once; "7.1 or 7.2 mm" / "93.4 x 84.0 mm" carry the unit) and every bare-number ratio row is a
truth item. This reader is deliberately independent of the facts stage's parser.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from manualtune.facts.units import canonical_unit, lookup_unit, normalise_number
from manualtune.quality.truth import read_truth_files, truth_file_name
from manualtune.records import SpecFact

Key = tuple[str, str, str]  # (value, value_max, unit)


class PageScore(BaseModel):
    file: str
    truth: int
    predicted: int
    matched: int
    precision: float
    recall: float


class FactScore(BaseModel):
    """Overall and per-page scores plus the unmatched items on both sides."""

    precision: float
    recall: float
    f1: float
    truth: int
    predicted: int
    matched: int
    review_left_out: int = Field(default=0, description="needs_review facts not scored (trusted_only)")
    pages: list[PageScore] = Field(default_factory=list)
    misses: list[dict] = Field(default_factory=list, description="truth facts no fact matched")
    false_facts: list[dict] = Field(default_factory=list, description="facts no truth fact matched")


def _num(text: str | None) -> str:
    if text is None or str(text).strip() == "":
        return ""
    n = normalise_number(str(text).strip())
    if n is None:
        return str(text).strip()
    return format(Decimal(n).normalize(), "f")


def _unit(text: str | None) -> str:
    text = (text or "").strip()
    if re.fullmatch(r":\s*1", text):
        return ""  # a ratio "10.0 : 1" is stored as value 10.0 with no unit
    return canonical_unit(text)


def truth_key(value: str | float | int, unit: str | None) -> Key:
    """('0.024-0.064', 'mm') -> ('0.024', '0.064', 'mm'); ('.75', '') -> ('0.75', '', '');
    a signed range ('-5-+5', '-5-5', '°') -> ('-5', '5', '°')."""
    v = str(value).strip()
    m = re.fullmatch(r"(-?[\d.,]+)\s*[-–]\s*\+?(-?[\d.,]+)", v)
    if m:
        return _num(m.group(1)), _num(m.group(2)), _unit(unit)
    return _num(v), "", _unit(unit)


def fact_key(f: SpecFact) -> Key:
    return _num(f.value), _num(f.value_max), _unit(f.unit)


_HTML_NUM = r"(?<![\w./#])(\d+(?:\.\d+)?|\.\d+)(?![\d/,])"


def html_row_items(value: str, label: str = "") -> list[Key]:
    """Truth items of one HTML sheet cell (see module doc); part numbers are never items."""
    items: list[Key] = []
    text = re.sub(r"\s+", " ", value)
    text = re.sub(r"\([^()]*\b(?:lbs?|in|psi|mph)\b[^()]*\)", " ", text)  # imperial alternatives
    tokens = list(re.finditer(_HTML_NUM, text))
    pending: list[str] = []
    i = 0
    while i < len(tokens):
        m = tokens[i]
        rest = text[m.end():]
        if re.search(r"(?:±|\+/-|\+/–)\s*$", text[:m.start()]):
            i += 1  # a tolerance, not a value
            continue
        unit = _unit_at(rest)
        rng = re.match(r"\s*[-–]\s*(\d+(?:\.\d+)?)", rest)
        if rng and i + 1 < len(tokens):
            unit2 = _unit_at(rest[rng.end():])
            if unit2 is not None:
                items.append((_num(m.group(1)), _num(rng.group(1)), unit2))
                i += 2
                pending = []
                continue
        if unit is not None:
            items.extend((_num(p), "", unit) for p in pending)
            items.append((_num(m.group(1)), "", unit))
            pending = []
        elif re.match(r"\s*(?:x|/|or)\s*\d", rest):
            pending.append(m.group(1))
        else:
            pending = []
        i += 1
    if not items:
        bare = re.fullmatch(r"(?:\d\s*(?:st|nd|rd|th)\s+|R\s+)?(\d+(?:\.\d+)?)(?:\s*:\s*1)?", text.strip())
        if bare:
            unit = ""
            for inner in re.findall(r"\(([^()]*)\)", label):
                words = inner.split()
                for k in range(len(words)):
                    info = lookup_unit(" ".join(words[k:]))
                    if info is not None:
                        unit = info.canonical
                        break
            items.append((_num(bare.group(1)), "", unit))
    return items


def _unit_at(rest: str) -> str | None:
    m = re.match(r"\s*([^\s\d()|,;@]+(?: [^\s\d()|,;@]+)?)", rest)
    if not m:
        return None
    if re.match(r"\s*[^\s\d()|,;@]+\d", rest):
        return None  # "10W40", "7J": a grade or code, not a unit
    words = m.group(1).split(" ")
    for cand in (" ".join(words), words[0], words[0].rstrip(".,")):
        if "/" in cand and cand.split("/")[0] and lookup_unit(cand) is None:
            continue  # "cc/min" is its own unit, never "cc"
        info = lookup_unit(cand)
        if info is not None:
            return info.canonical
    return None


def load_truth(truth_dir: Path) -> dict[str, list[dict]]:
    """file name -> truth items ({'value', 'value_max', 'unit', 'text', ...}); unreadable files skipped."""
    out: dict[str, list[dict]] = {}
    for path, data in read_truth_files(truth_dir):
        file = truth_file_name(path, data)
        items: list[dict] = []
        for f in data.get("facts") or []:
            if f.get("value") is None:
                continue
            v, vmax, u = truth_key(f["value"], f.get("unit"))
            items.append({"value": v, "value_max": vmax, "unit": u, "text": f.get("text", ""),
                          "component": f.get("component", "")})
        # An HTML sheet's truth may list its values twice, as facts[] and as rows[] (every printed
        # cell): when rows[] is there it is the reference and facts[] is not counted again.
        if data.get("rows"):
            items = []
        for r in data.get("rows") or []:
            for v, vmax, u in html_row_items(str(r.get("value", "")), str(r.get("label_context", ""))):
                items.append({"value": v, "value_max": vmax, "unit": u, "text": r.get("value", ""),
                              "component": r.get("label_context", "")})
        out[file] = items
    return out


def page_of(source_file: str, files: list[str]) -> str | None:
    """The truth file of a fact's ``source.file``: the same relative path, or the longest truth path
    that one of them ends with at a folder boundary; None when no truth file is that page."""
    if source_file in files:
        return source_file
    hits = [f for f in files if source_file.endswith("/" + f) or f.endswith("/" + source_file)]
    return max(hits, key=lambda f: (len(f), f)) if hits else None


def _pages_of(fact: SpecFact, files: list[str]) -> list[str]:
    """The truth pages a fact is printed on: its source and every ``also_in`` provenance."""
    found = [page_of(p.file, files) for p in (fact.source, *fact.also_in)]
    return sorted({p for p in found if p is not None})


def score_facts(facts: list[SpecFact], truth_dir: Path, trusted_only: bool = False) -> FactScore:
    """Precision/recall of (value, unit) per page and overall, with misses and false facts;
    ``trusted_only`` leaves ``needs_review`` facts out (they make no example)."""
    truth = load_truth(Path(truth_dir))
    files = sorted(truth)
    by_page: dict[str, list[SpecFact]] = {f: [] for f in files}
    review = 0
    for fact in facts:
        if fact.derived:
            continue
        if trusted_only and fact.needs_review:
            review += len(_pages_of(fact, files))
            continue
        for page in _pages_of(fact, files):
            by_page[page].append(fact)
    pages: list[PageScore] = []
    misses: list[dict] = []
    false_facts: list[dict] = []
    tot_t = tot_p = tot_m = 0
    for file in files:
        items = truth[file]
        preds = sorted(by_page[file], key=lambda f: (f.block_id or "", f.fact_id))
        left = Counter((it["value"], it["value_max"], it["unit"]) for it in items)
        matched = 0
        for f in preds:
            k = fact_key(f)
            if left[k] > 0:
                left[k] -= 1
                matched += 1
            else:
                false_facts.append({"file": file, "fact_id": f.fact_id, "component": f.component,
                                    "value": f.value, "value_max": f.value_max, "unit": f.unit, "text": f.text})
        for it in items:
            k = (it["value"], it["value_max"], it["unit"])
            if left[k] > 0:
                left[k] -= 1
                misses.append({"file": file, **it})
        pages.append(PageScore(
            file=file, truth=len(items), predicted=len(preds), matched=matched,
            precision=round(matched / len(preds), 4) if preds else 1.0,
            recall=round(matched / len(items), 4) if items else 1.0,
        ))
        tot_t, tot_p, tot_m = tot_t + len(items), tot_p + len(preds), tot_m + matched
    precision = tot_m / tot_p if tot_p else 1.0
    recall = tot_m / tot_t if tot_t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return FactScore(
        precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4),
        truth=tot_t, predicted=tot_p, matched=tot_m, review_left_out=review, pages=pages, misses=misses,
        false_facts=false_facts,
    )


_NOT_PRINTED = frozenset({"schema", "source", "half", "sha256", "bytes", "image_size", "stratum"})


def _printed_strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in _NOT_PRINTED for s in _printed_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _printed_strings(v)]
    return [str(node)] if isinstance(node, (str, int, float)) and not isinstance(node, bool) else []


def truth_numbers(truth_dir: Path) -> dict[str, set[str]]:
    """file -> every number printed anywhere in the page's truth (facts, transcript, steps, rows, labels),
    a number printed after a minus sign also with its sign ('-5'); a leading-dot number ('.75') only where
    no digit or dot is before it ('2...3' prints 2 and 3, not 0.3)."""
    out: dict[str, set[str]] = {}
    for path, data in read_truth_files(truth_dir):
        file = truth_file_name(path, data)
        nums: set[str] = set()
        for s in _printed_strings(data):
            for m in re.finditer(r"(?P<sign>[-−])?(?P<n>\d+(?:[.,]\d+)?|(?<![\d.,])[.,]\d+)", s):
                nums.add(_num(m.group("n")))
                if m.group("sign"):  # '-5...+5 °': a signed value is printed only with its sign
                    nums.add("-" + _num(m.group("n")))
        out[file] = nums
    return out


def absent_values(facts: list[SpecFact], truth_dir: Path, trusted_only: bool = True) -> list[dict]:
    """Facts of annotated pages whose value (or range end) is no number of that page's truth."""
    numbers = truth_numbers(Path(truth_dir))
    files = sorted(numbers)
    out: list[dict] = []
    for f in facts:
        if f.derived or (trusted_only and f.needs_review):
            continue
        for page in _pages_of(f, files):
            missing = [v for v in (f.value, f.value_max) if v and _num(v) not in numbers[page]]
            if missing:
                out.append({"file": page, "fact_id": f.fact_id, "component": f.component, "value": f.value,
                            "value_max": f.value_max, "unit": f.unit, "text": f.text})
    return sorted(out, key=lambda d: (d["file"], d["fact_id"]))
