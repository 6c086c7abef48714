"""Unit-aware scoring of one answer against one probe.

* **Quantities** are read from an answer as number (or range ``a-b`` / ``a to b``, or ``a ± t``)
  followed by an optional printed unit; units are looked up in the facts stage's unit table
  (:mod:`manualtune.facts.units`, pint), so ``mm`` is never ``Nm``.
* **Exact match** of a target (value, optional upper end, optional tolerance, unit) against an
  answer quantity: same pint dimensionality, and after conversion to the target unit both
  numbers agree within the *coarser* printed precision (2302 cc = 2.3 L = 2,302 cm³;
  55 Nm != 5.5 Nm). A range needs both ends; ``105 ± 4 Nm`` needs the tolerance (or the
  equivalent range 101-109 Nm); a staged spec (``30 Nm + 90°``) needs every stage.
  A probe without a numeric target (explanations, troubleshooting) matches when every number
  of its reference answer is stated, and, when it has none, on token overlap (rapidfuzz).
* **Hallucination**: a number of the answer (citations and step numbers removed, identifiers
  such as ``CR25T``/``M10`` skipped) that is neither in the probe (reference answer, targets)
  nor on its source page; for an unanswerable probe every number is invented.
* **Refusal**: one of :data:`REFUSAL_PATTERNS` (a table, one test per row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

import pint
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from manualtune.facts.units import CANONICAL, lookup_unit, unit_registry
from manualtune.generate.text import extract_numbers, number_key, strip_citations, unit_format_problems

if TYPE_CHECKING:
    from manualtune.evaluate.probes import Probe, ProbeTarget

# --------------------------------------------------------------------------- refusals

#: (name, pattern) — an answer matching any row is a refusal ("the manual is silent").
REFUSAL_PATTERNS: tuple[tuple[str, str], ...] = (
    ("does_not_cover", r"\b(?:does|do) not (?:cover|include|contain|list|mention)\b"),
    ("does_not_give", r"\b(?:does|do) ?n[o']t (?:give|state|specify|provide|have)\b"),
    ("not_in_manual", r"\bnot (?:in|covered (?:in|by)|given in|listed in|found in) (?:this|the) (?:manual|document)\b"),
    ("no_value", r"\bno (?:value|specification|spec|information|data) (?:is )?(?:given|listed|available|for)\b"),
    ("wont_guess", r"\b(?:i )?(?:won't|will not|cannot|can't) guess\b"),
    ("cannot_find", r"\b(?:cannot|can't|could not|couldn't) find\b"),
    ("dont_know", r"\bi (?:do not|don't) know\b"),
    ("not_covered", r"^\s*not covered\b"),
)
_REFUSAL_RE = [(name, re.compile(p, re.IGNORECASE)) for name, p in REFUSAL_PATTERNS]

#: the abstention sentence written by ``ask`` (matches ``does_not_cover``)
ABSTAIN_TEXT = "The manual does not cover this."


def refusal_reason(answer: str) -> str | None:
    """Name of the first refusal pattern found in ``answer``, or None."""
    for name, rx in _REFUSAL_RE:
        if rx.search(answer or ""):
            return name
    return None


# --------------------------------------------------------------------------- quantities in text

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|[.,]\d+"
# units tried longest first, so 'cm³/min' wins over 'cm³' and 'mm²' over 'mm'
_UNIT_TOKEN = r"(?:ft\.?[ -]?lbs?\.?|lb[ -]ft|in\.?[ -]?lbs?\.?|N[ ·.\-]?m\b|[°º] ?[CF]\b|[°º]|%|[A-Za-zΩµ]+(?:[²³23])?(?:/[A-Za-z]+)?)"
_QTY_RE = re.compile(
    rf"(?<![\w.,])(?P<a>{_NUM})"
    rf"(?:\s*(?!to\b)(?P<ua>{_UNIT_TOKEN}))?"
    rf"(?:\s*(?:-|–|to|\.\.\.)\s*(?P<b>{_NUM}))?"
    rf"(?:\s*(?:±|\+/-|\+-)\s*(?P<t>{_NUM}))?"
    rf"(?:\s*(?P<u>{_UNIT_TOKEN}))?"
    r"(?!\d)"
)
_STEP_NUMBER = re.compile(r"(?m)^\s*\d{1,2}[.)]\s|\b[Ss]tage\s+\d{1,2}\s*:")
_PAGE_REF = re.compile(r"\(\s*[^()]*?\bp\.\s*[\w./-]+[^()]*\)|\bp(?:age|\.)\s*\d[\w./-]*", re.IGNORECASE)


def _number(text: str) -> str:
    """Printed number -> plain decimal string ('1,200' -> '1200', '0,25' -> '0.25', '.5' -> '0.5')."""
    t = text
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        t = t.replace(",", "")
    else:
        t = t.replace(",", ".")
    return "0" + t if t.startswith(".") else t


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def _unit(text: str | None) -> str | None:
    """Canonical unit of a printed unit token, or None (unknown words are not units)."""
    if not text:
        return None
    info = lookup_unit(text.replace("º", "°"))
    if info is None and text.endswith((".", ",")):
        info = lookup_unit(text[:-1])
    return info.canonical if info else None


@dataclass(frozen=True)
class StatedQuantity:
    """A number (or range / tolerance) and its unit as read from an answer."""

    value: str
    value_max: str | None
    tolerance: str | None
    unit: str | None  # canonical symbol, None when no (known) unit follows
    start: int
    end: int


def strip_noise(answer: str) -> str:
    """An answer without citations, page references, leading step numbers and 'Stage N:' labels."""
    text = strip_citations(answer or "")
    text = _PAGE_REF.sub(" ", text)
    return _STEP_NUMBER.sub(" ", text)


def stated_quantities(answer: str) -> list[StatedQuantity]:
    """Every number stated in ``answer`` (citations and step numbers removed), with its unit.

    Digits glued to a letter before them (S14, M10, CR25T) are identifiers and skipped.
    """
    text = strip_noise(answer)
    out: list[StatedQuantity] = []
    for m in _QTY_RE.finditer(text):
        unit = _unit(m.group("u"))
        unit_a = _unit(m.group("ua"))
        b, tol = m.group("b"), m.group("t")
        if m.group("ua") and (b or tol) and unit_a != unit:
            # "20 min - 2.0 bar": two quantities, not a range
            out.append(StatedQuantity(_number(m.group("a")), None, None, unit_a, m.start(), m.end("ua")))
            out.append(StatedQuantity(_number(b or tol), None, None, unit, m.start("b" if b else "t"), m.end()))
            continue
        out.append(
            StatedQuantity(
                value=_number(m.group("a")),
                value_max=_number(b) if b else None,
                tolerance=_number(tol) if tol else None,
                unit=unit or unit_a,
                start=m.start(),
                end=m.end(),
            )
        )
    return out


# --------------------------------------------------------------------------- numeric agreement


@lru_cache(maxsize=256)
def _factor(from_unit: str, to_unit: str) -> Decimal | None:
    """Multiplicative factor from one canonical unit to another (None: incompatible or offset units)."""
    if from_unit == to_unit:
        return Decimal(1)
    a, b = CANONICAL.get(from_unit), CANONICAL.get(to_unit)
    if a is None or b is None:
        return None
    ureg = unit_registry()
    try:
        qa = ureg.Quantity(1, a.pint_expr)
        if qa.dimensionality != ureg.Quantity(1, b.pint_expr).dimensionality:
            return None
        if from_unit in ("°C", "°F") or to_unit in ("°C", "°F"):
            return None  # offset units: only equal units compare
        return Decimal(f"{float(qa.to(b.pint_expr).magnitude):.12g}")
    except (pint.errors.PintError, InvalidOperation):
        return None


def _close(stated: str, stated_unit: str | None, target: str, target_unit: str | None) -> bool:
    """``stated`` (in its unit) equals ``target`` (in its unit) within the coarser printed precision."""
    try:
        s, t = Decimal(stated), Decimal(target)
    except InvalidOperation:
        return False
    if stated_unit is None or target_unit is None or stated_unit == target_unit:
        if stated_unit != target_unit and stated_unit is not None and target_unit is not None:
            return False
        return s == t
    factor = _factor(stated_unit, target_unit)
    if factor is None:
        return False
    converted = s * factor
    half_target = Decimal(5) * Decimal(10) ** (-_decimals(target) - 1)
    half_stated = Decimal(5) * Decimal(10) ** (-_decimals(stated) - 1) * factor
    return abs(converted - t) <= max(half_target, half_stated)


def _stated_range(q: StatedQuantity) -> tuple[str, str] | None:
    if q.value_max is not None:
        return q.value, q.value_max
    if q.tolerance is not None:
        v, tol = Decimal(q.value), Decimal(q.tolerance)
        return format(v - tol, "f"), format(v + tol, "f")
    return None


def target_matches(target: ProbeTarget, q: StatedQuantity) -> bool:
    """One target against one stated quantity: unit dimension, value(s), range ends, tolerance."""
    if target.unit and q.unit is None:
        return False
    if target.unit and q.unit and _factor(q.unit, target.unit) is None and q.unit != target.unit:
        return False
    tu = target.unit or None
    if target.value_max is not None:
        rng = _stated_range(q)
        return rng is not None and _close(rng[0], q.unit, target.value, tu) and _close(rng[1], q.unit, target.value_max, tu)
    if target.tolerance is not None:
        if q.tolerance is not None:
            return _close(q.value, q.unit, target.value, tu) and _close(q.tolerance, q.unit, target.tolerance, tu)
        if q.value_max is not None:  # the equivalent range
            lo = format(Decimal(target.value) - Decimal(target.tolerance), "f")
            hi = format(Decimal(target.value) + Decimal(target.tolerance), "f")
            return _close(q.value, q.unit, lo, tu) and _close(q.value_max, q.unit, hi, tu)
        return False
    if q.value_max is not None or q.tolerance is not None:
        return False
    return _close(q.value, q.unit, target.value, tu)


def _number_with_unit_present(target: ProbeTarget, stated: list[StatedQuantity]) -> bool:
    """The target's number is stated (in any form) but not with a matching unit."""
    return any(number_key(q.value) == number_key(target.value) for q in stated)


# --------------------------------------------------------------------------- score


class AnswerScore(BaseModel):
    """How one answer did on one probe."""

    model_config = ConfigDict(extra="forbid")

    exact: bool = Field(description="every target value stated with a compatible unit (or, no targets: content match)")
    unit_ok: bool = Field(description="every stated value carries a unit and unit spellings are canonical")
    refused: bool
    refusal_pattern: str | None = None
    hallucinated: list[str] = Field(default=[], description="numbers neither in the probe nor on its source page")
    matched_targets: int = 0
    targets: int = 0
    numbering_ok: bool | None = Field(default=None, description="procedure answers: steps numbered 1, 2, 3, …")


def _numbering_ok(answer: str) -> bool | None:
    nums = [int(m.group(1)) for m in re.finditer(r"(?m)^\s*(\d+)\.\s", answer or "")]
    if not nums:
        return None
    return nums == list(range(1, len(nums) + 1))


def allowed_numbers(probe: Probe, page_numbers: set[str] | None) -> set[str]:
    """Number keys an answer to ``probe`` may state: the reference answer's, the targets', the page's."""
    keys: set[str] = set(page_numbers or set())
    texts = [strip_noise(probe.answer), probe.question]
    for t in probe.targets():
        texts += [t.value, t.value_max or "", t.tolerance or ""]
    for text in texts:
        for n in extract_numbers(text):
            k = number_key(n)
            if k is not None:
                keys.add(k)
    return keys


def _converted_target(q: StatedQuantity, probe: Probe) -> bool:
    """A stated number that is a (rounded) conversion of one of the probe's targets."""
    for t in probe.targets():
        if q.unit and t.unit and q.unit != t.unit and _factor(q.unit, t.unit) is not None:
            for v in (t.value, t.value_max):
                if v is not None and _close(q.value, q.unit, v, t.unit):
                    return True
    return False


def score_answer(probe: Probe, answer: str, page_numbers: set[str] | None = None) -> AnswerScore:
    """Score ``answer`` against ``probe`` (see the module docstring for the rules).

    ``page_numbers`` are the number keys printed on the probe's source page (``number_key``
    form); numbers found there are not hallucinations.
    """
    answer = answer or ""
    pattern = refusal_reason(answer)
    stated = stated_quantities(answer)
    targets = probe.targets()

    if probe.kind == "unanswerable":
        invented = sorted({q.value for q in stated}, key=lambda v: (Decimal(v), v))
        return AnswerScore(
            exact=pattern is not None and not invented, unit_ok=True, refused=pattern is not None,
            refusal_pattern=pattern, hallucinated=invented, targets=0,
        )

    allowed = allowed_numbers(probe, page_numbers)
    invented: set[str] = set()
    for q in stated:
        for v in (q.value, q.value_max, q.tolerance):
            if v is None:
                continue
            k = number_key(v)
            if k is not None and k not in allowed and not _converted_target(q, probe):
                invented.add(v)

    used: set[int] = set()
    matched = 0
    for t in targets:
        for i, q in enumerate(stated):
            if i not in used and target_matches(t, q):
                used.add(i)
                matched += 1
                break
    if targets:
        exact = matched == len(targets) and pattern is None
    else:
        ref_keys = {number_key(n) for n in extract_numbers(strip_noise(probe.answer))} - {None}
        got_keys = {number_key(v) for q in stated for v in (q.value, q.value_max, q.tolerance) if v}
        if ref_keys:
            exact = ref_keys <= got_keys and pattern is None
        else:
            exact = pattern is None and fuzz.token_set_ratio(strip_noise(probe.answer), strip_noise(answer)) >= 80

    unitless = [q for q in stated if q.unit is None and any(t.unit for t in targets)
                and any(number_key(q.value) == number_key(t.value) for t in targets)]
    unit_ok = not unitless and not unit_format_problems(strip_noise(answer))
    return AnswerScore(
        exact=exact, unit_ok=unit_ok, refused=pattern is not None, refusal_pattern=pattern,
        hallucinated=sorted(invented, key=lambda v: (Decimal(v), v)), matched_targets=matched,
        targets=len(targets), numbering_ok=_numbering_ok(answer) if probe.task == "PROCEDURE" else None,
    )
