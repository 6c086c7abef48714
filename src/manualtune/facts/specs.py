"""Typed specification facts from printed text and table rows.

:func:`parse_spec_text` reads the values in one printed line ("Tighten to 45 Nm",
"0.20 - 0.30 mm", "Step 1 10 Nm / Step 2 30 Nm / Step 3 60 + 2° torque angle", "2.5 GN").
:func:`extract_facts` turns layout blocks (tables and text) into :class:`SpecFact` records.

Precision first: a number is a fact only when its unit is printed next to it (or in the row's
unit column), units are taken exactly as printed (:mod:`manualtune.facts.units`), and anything
ambiguous is skipped. Section, variant and component come from the row/block they were printed
in, never from page order.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from manualtune.cache import short_id
from manualtune.facts.config import FactsConfig
from manualtune.facts.units import (
    _CASELESS,
    PRINTED,
    convert_exact,
    lookup_unit,
    normalise_number,
    unit_registry,
)
from manualtune.records import (
    Block,
    CleanupChange,
    Provenance,
    Quantity,
    SpecFact,
    TableCell,
    TableRow,
    TighteningStage,
)

# --------------------------------------------------------------------------- regular expressions

_NUM = r"(?:\d+(?:\.\d+|,\d{1,2}(?!\d))?\.?(?![\d,]\d)|[.,]\d+)"
_NUM_GUARD = r"(?<![A-Za-z\d.,#_])(?<!\d/)"


def _unit_pattern() -> str:
    exact = sorted({k for k in PRINTED if k.lower() not in _CASELESS}, key=len, reverse=True)
    caseless = sorted(_CASELESS, key=len, reverse=True)
    alts = [re.escape(u) for u in exact] + [f"(?i:{re.escape(u)})" for u in caseless]
    alts.sort(key=lambda a: len(a.replace("\\", "").replace("(?i:", "").rstrip(")")), reverse=True)
    return "(?:" + "|".join(alts) + r")\.?(?![A-Za-z\d²³])"


_UNIT = _unit_pattern()
_VALUE_RE = re.compile(
    rf"(?P<prefix>(?P<sword>(?i:step|stage))\s*(?P<stage>\d)\s*[:.)]?\s*(?:(?i:torque\s+angle|angle)\s+)?)?"
    rf"{_NUM_GUARD}(?P<v1>{_NUM})(?![/:]\d)"
    rf"(?:\s*(?P<rsep>-|–|—|(?i:to))\s*(?P<v2>{_NUM})(?![/:]\d))?"
    rf"(?:\s*(?P<tsign>±|\+/-|\+/–|\+)\s*(?P<tol>{_NUM}))?"
    rf"(?:\s*(?:[|\[]\s*)?(?P<unit>{_UNIT}))?"
)
_SUSPECT_RE = re.compile(
    r"(?<![\w.])(?P<n>[\dOoIl|]*\d[\dOoIl|]*(?:[.,][\dOoIl|]+)?|[OoIl|][.,]\d+)"
    rf"\s*(?P<unit>{_UNIT})"
)
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_WIRE_RE = re.compile(
    rf"{_NUM_GUARD}(?P<v1>{_NUM})\s*(?P<col>(?:BK|BR|RD|GN|BU|BL|YL|YE|WT|WH|GY|GR|VI|VT|OR|PK|LT|SW|RT|GE|WS)"
    r"(?:/(?:BK|BR|RD|GN|BU|BL|YL|YE|WT|WH|GY|GR|VI|VT|OR|PK|LT|SW|RT|GE|WS))?)(?![A-Za-z])"
)
#: "95 kW (129 hp) at 5800 rpm": an engine speed after a spec value is its condition
_AT_AFTER_SPEC = re.compile(rf"{_NUM}\s*\S+(?:\s*\([^()]*\))?\s+at\s*$")
_MAX_WIRE_SIZE = Decimal(50)  # mm²: larger wire-label numbers are OCR slips
_CONDITION_WORDS = re.compile(r"(?i)\b(below|above|under|over)\s*$")
_LIST_SEP = re.compile(r"^\s*(?:or|and|/|,|x|×)\s*$", re.IGNORECASE)
_CLEARANCE_WORDS = re.compile(r"(?i)clearance|play|gap|backlash|run-?out|end ?float|tilt|lash|spiel")
_STOP_LEAD = re.compile(
    r"(?i)^(?:(?:then|and|now|first|finally|tighten(?:ed)?|torque|set|adjust|measure|check|install|use|"
    r"with|to|the|a|an|is|are|be|must|should|of|max\.?|min\.?|maximum|minimum|approx\.?)\s+)+"
)
_STOP_TAIL = re.compile(
    r"(?i)(?:\s+(?:to|is|are|of|=|at|with|be|must|should|by|approx\.?|about|from|a|an|the|diameter of))+\s*$"
)


# --------------------------------------------------------------------------- parsed values


@dataclass
class ParsedValue:
    """One value read from a printed line (before it becomes a :class:`SpecFact`)."""

    value: str
    unit: str
    unit_printed: str
    value_printed: str
    quantity: Quantity
    value_max: str | None = None
    tolerance: str | None = None
    stage: int | None = None
    stages: list[TighteningStage] = field(default_factory=list)
    condition: str | None = None
    alt: str | None = None
    role: str = "spec"  # "spec" or "condition" ("below 35 °C")
    start: int = 0
    end: int = 0
    suspect: str | None = None  # OCR-confusable digits read as printed ("l0")
    review: str | None = None  # why the value needs review (e.g. a tolerance sign the OCR lost)
    stage_word: str | None = None  # "step" / "stage" as printed before the value
    lead: int | None = None  # where a "Step N" prefix starts (else None)


def _dec(text: str) -> Decimal | None:
    n = normalise_number(text)
    return Decimal(n) if n is not None else None


def _quantity(unit_canonical: str, context: str) -> Quantity:
    info = lookup_unit(unit_canonical)
    q: Quantity = info.quantity if info else "other"
    if q == "length" and unit_canonical == "mm" and _CLEARANCE_WORDS.search(context):
        return "clearance"
    return q


def _paren_after(text: str, pos: int) -> tuple[int, int] | None:
    m = re.match(r"\s*\(", text[pos:])
    if not m:
        return None
    start = pos + m.end() - 1
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return start, i + 1
    return start, len(text)


def _is_alternative(inner: str, prev: ParsedValue | None = None) -> bool:
    """A bracket right after a value is an alternative (imperial / unitless) unless it holds a metric unit.

    A bracket holding only the same value in another metric unit ("3.0 bar (300 kPa)") is an
    alternative too (checked with pint, 2 % tolerance for rounding).
    """
    found = [lookup_unit(m.group("unit")) for m in _VALUE_RE.finditer(inner) if m.group("unit")]
    found = [f for f in found if f is not None]
    if not found:
        return bool(re.search(r"\d|ft\.? ?[lI]bs|[lI]bs\b|\"", inner))
    if all(f.imperial for f in found):
        return True
    return prev is not None and _is_metric_conversion(inner, prev)


def _is_metric_conversion(inner: str, prev: ParsedValue) -> bool:
    """'300 kPa' after '3.0 bar': one value, same dimensionality, other unit, numerically equal."""
    m = re.fullmatch(rf"\s*(?:(?i:approx\.?|ca\.?|=)\s*)?(?P<v>{_NUM})\s*(?P<u>{_UNIT})\s*", inner)
    if not m or prev.value_max is not None:
        return False
    info = lookup_unit(m.group("u"))
    base = lookup_unit(prev.unit)
    num = normalise_number(m.group("v"))
    if info is None or base is None or num is None or info.canonical == base.canonical:
        return False
    try:
        ureg = unit_registry()
        want = ureg.Quantity(float(prev.value), base.pint_expr).to(info.pint_expr).magnitude
    except Exception:  # noqa: BLE001 - different dimensionality or offset units: not a conversion
        return False
    got = float(num)
    return got > 0 and abs(want - got) <= 0.02 * got


def _printed_unit(unit_txt: str | None) -> str:
    if not unit_txt:
        return ""
    u = unit_txt.strip()
    if u.endswith(".") and not re.search(r"[A-Za-z]", u):
        u = u[:-1]  # "8 %." - the dot ends the sentence
    return u


def _merge_tolerances(text: str, raw: list[ParsedValue]) -> list[ParsedValue]:
    """'875 gr. +/- 25 gr.' and '60 ° ±4' -> one value with a tolerance."""
    out: list[ParsedValue] = []
    i = 0
    while i < len(raw):
        a = raw[i]
        if i + 1 < len(raw):
            b = raw[i + 1]
            gap = text[a.end:b.start]
            m = re.fullmatch(r"\s*(±|\+/-|\+/–)\s*", gap)
            if m and a.unit and a.tolerance is None and b.value_max is None and b.unit in ("", a.unit):
                a = replace(a, tolerance="±" + b.value, end=b.end if b.unit else b.end,
                            value_printed=text[a.start:b.start + len(b.value_printed)].strip())
                out.append(a)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _lost_tolerance_sign(text: str, raw: list[ParsedValue]) -> list[ParsedValue]:
    """'37. 0.1 mm' (the '–' of "37 – 0.1 mm" not read): the small decimal is a tolerance of
    unknown sign, never a value. The nominal value keeps the unit and needs review."""
    out: list[ParsedValue] = []
    for pv in raw:
        prev = out[-1] if out else None
        if (
            prev is not None and not prev.unit and prev.value_max is None and prev.tolerance is None
            and pv.unit and pv.value_max is None and pv.tolerance is None and pv.stage is None
            and re.fullmatch(r"\.?\s+", text[prev.end:pv.start]) is not None
            and "." in pv.value and Decimal(pv.value) * 10 <= Decimal(prev.value)
        ):
            out[-1] = replace(
                prev, unit=pv.unit, unit_printed=pv.unit_printed, end=pv.end,
                review=f"operator between {prev.value_printed!r} and {pv.value_printed!r} not read "
                       f"(tolerance of unknown sign)",
            )
            continue
        out.append(pv)
    return out


def _raw_matches(text: str) -> list[ParsedValue]:
    out: list[ParsedValue] = []
    for m in _VALUE_RE.finditer(text):
        v1, v2, unit_txt = m.group("v1"), m.group("v2"), m.group("unit")
        n1 = normalise_number(v1)
        if n1 is None:
            continue
        value_max, tolerance = None, None
        if v2 is not None:
            n2 = normalise_number(v2)
            if n2 is None:
                continue
            if Decimal(n2) > Decimal(n1):
                value_max = n2
            elif m.group("rsep") in ("-", "–", "—") and Decimal(n2) < Decimal(n1):
                tolerance = "-" + n2
            else:
                continue
        if m.group("tol") is not None:
            nt = normalise_number(m.group("tol"))
            if nt is None or tolerance is not None or value_max is not None:
                continue
            if Decimal(nt) >= Decimal(n1) and m.group("tsign") == "+":
                # "30 + 90°" is a stage chain, not a tolerance: take "30" alone (unitless -> dropped)
                unit_txt = None
            else:
                tolerance = ("±" if m.group("tsign") != "+" else "+") + nt
        unit_info = lookup_unit(unit_txt) if unit_txt else None
        span_end = m.end() if unit_txt else m.end("v2") if v2 else m.end("v1")
        if unit_txt is None and m.group("tol") is not None and tolerance is None:
            span_end = m.end("v1")
        pv = ParsedValue(
            value=n1,
            value_max=value_max,
            tolerance=tolerance,
            unit=unit_info.canonical if unit_info else "",
            unit_printed=_printed_unit(unit_txt),
            value_printed=text[m.start("v1"):(m.end("tol") if tolerance and m.group("tol") else
                                              m.end("v2") if v2 else m.end("v1"))].strip(),
            quantity="other",
            stage=int(m.group("stage")) if m.group("stage") else None,
            start=m.start("v1"),
            end=span_end,
            stage_word=m.group("sword").lower() if m.group("sword") else None,
            lead=m.start("prefix") if m.group("prefix") else None,
        )
        # "Stage 2 and Stage 3 torque angle 90° each": the value holds for both stages
        both = re.search(r"(?i)\b(?:step|stage)\s*(\d)\s*(?:and|&|,)\s*$", text[:m.start()]) if pv.lead is not None else None
        if both and re.match(r"\s*each\b", text[span_end:]) and int(both.group(1)) < (pv.stage or 0):
            out.append(replace(pv, stage=int(both.group(1)), lead=both.start()))
        out.append(pv)
    return out


def parse_spec_text(text: str) -> list[ParsedValue]:
    """All values with a printed unit in one line of text, in reading order.

    Ranges ("0.20 - 0.30 mm", "0.024 to 0.064 mm") fill ``value_max``; "37 – 0.1 mm" and
    "60 + 2°" are tolerances; "Step N" prefixes and "30 Nm + 90°" chains become stages; a
    bracket right after a value holding imperial units is kept as ``alt``, not a value;
    "below 35 °C" is a ``role="condition"`` value; wire labels "2.5 GN" have unit "".
    """
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return []
    raw = _raw_matches(text)
    raw = _merge_tolerances(text, raw)
    raw = _lost_tolerance_sign(text, raw)
    # carry a unit over a list: "7.1 or 7.2 mm", "2.0 / 2.3 bar", "93.4 x 84.0 mm"
    for i in range(len(raw) - 2, -1, -1):
        a, b = raw[i], raw[i + 1]
        if not a.unit and b.unit and a.value_max is None and a.tolerance is None:
            if _LIST_SEP.match(text[a.end:b.start]):
                raw[i] = replace(a, unit=b.unit, unit_printed=b.unit_printed)
    # drop values inside alternative brackets, remember the bracket text
    skip: list[tuple[int, int]] = []
    for pv in raw:
        if not pv.unit or any(s <= pv.start < e for s, e in skip):
            continue
        par = _paren_after(text, pv.end)
        if par and _is_alternative(text[par[0] + 1:par[1] - 1], pv):
            pv.alt = text[par[0]:par[1]]
            skip.append(par)
    values: list[ParsedValue] = []
    for pv in raw:
        if any(s <= pv.start < e for s, e in skip) or not pv.unit:
            continue
        info = lookup_unit(pv.unit)
        if info is not None and info.imperial and text[:pv.start].count("(") > text[:pv.start].count(")"):
            continue  # an imperial alternative in brackets split over lines: "(0.279 or 0.283"."
        before = text[:pv.start]
        info_q = lookup_unit(pv.unit).quantity if lookup_unit(pv.unit) else None
        if (_CONDITION_WORDS.search(before) and info_q in ("temperature", "speed")) or (
            info_q == "speed" and pv.unit == "rpm" and _AT_AFTER_SPEC.search(before)
        ):
            if not _CONDITION_WORDS.search(before):
                pv.role = "condition"
                pv.condition = f"at {pv.value_printed} {pv.unit_printed}"
                values.append(pv)
                continue
            pv.role = "condition"
            pv.condition = f"{_CONDITION_WORDS.search(before).group(1).lower()} {pv.value_printed} {pv.unit_printed}"
        values.append(pv)
    # suspect numbers: OCR letters inside digits followed by a unit ("l0 Nm", "O.25 mm")
    taken = [(v.start, v.end) for v in values]
    for m in _SUSPECT_RE.finditer(text):
        n = m.group("n")
        if not re.search(r"[OoIl|]", n) or any(s <= m.start("n") < e for s, e in taken):
            continue
        if any(s <= m.start() < e for s, e in skip):
            continue
        fixed = normalise_number(n.translate(_CONFUSABLE))
        info = lookup_unit(m.group("unit"))
        if fixed is None or info is None:
            continue
        values.append(ParsedValue(
            value=fixed, unit=info.canonical, unit_printed=m.group("unit").strip(), value_printed=n,
            quantity="other", start=m.start("n"), end=m.end(), suspect=n,
        ))
    # wire labels
    for m in _WIRE_RE.finditer(text):
        if any(v.start <= m.start("v1") < max(v.end, v.start + 1) for v in values):
            continue
        if any(s <= m.start() < e for s, e in skip):
            continue
        num = normalise_number(m.group("v1"))
        if num is None or Decimal(num) > _MAX_WIRE_SIZE or Decimal(num) == 0:
            continue  # "75 BU" is ".75 BU" with the dot lost: no car wire is 75 mm²
        values.append(ParsedValue(
            value=num, unit="", unit_printed="", value_printed=m.group("v1"), quantity="wire",
            condition=f"wire colour {m.group('col')}", start=m.start("v1"), end=m.end(),
        ))
    values.sort(key=lambda v: (v.start, v.end))
    for k, v in enumerate(values):  # "(9.5 litres with A/C)" -> condition "with A/C"
        lo = values[k - 1].end if k else 0
        if v.condition is None and "(" in text[lo:v.start] and ")" not in text[text.rfind("(", lo, v.start):v.start]:
            m = re.match(r"\s*([A-Za-z/][^()\d]*?)\s*\)", text[v.end:])
            if m:
                v.condition = m.group(1)
    _assign_stages(text, values)
    for v in values:
        if v.quantity != "wire":
            v.quantity = _quantity(v.unit, text)
    return values


def _assign_stages(text: str, values: list[ParsedValue]) -> None:
    """Group "Step N" values and "30 Nm + 90°" chains into tightening stages."""
    groups: list[list[ParsedValue]] = []
    current: list[ParsedValue] = []
    for v in values:
        if v.role != "spec" or v.quantity == "wire":
            continue
        chained = bool(current) and re.fullmatch(r"\s*\+\s*", text[current[-1].end:v.start]) is not None
        if v.stage is not None:
            if current and current[0].stage is None:
                groups.append(current)
                current = []
            if current and v.stage <= (current[-1].stage or 0):
                groups.append(current)
                current = []
            current.append(v)
        elif chained and v.unit == "°":
            current.append(v)
        else:
            if current:
                groups.append(current)
            current = [v]
    if current:
        groups.append(current)
    for g in groups:
        if len(g) < 2:
            continue
        stages: list[TighteningStage] = []
        for i, v in enumerate(g, start=1):
            n = v.stage if v.stage is not None else i
            kind = "angle" if v.unit == "°" else "torque"
            if v.unit not in ("°", "Nm"):
                return
            stages.append(TighteningStage(stage=n, value=v.value, value_max=v.value_max, unit=v.unit, kind=kind))
        for v, st in zip(g, stages, strict=True):
            v.stages = list(stages)
            v.stage = st.stage
            label = (g[0].stage_word or "step") if g[0].stage is not None else "stage"
            tail = " torque angle" if st.kind == "angle" else ""
            v.condition = f"{label} {st.stage}{tail}"
    for v in values:
        if v.stage is not None and v.condition is None:
            v.condition = f"{v.stage_word or 'step'} {v.stage}"


# --------------------------------------------------------------------------- variants, labels


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


_ITEM_CODE = re.compile(r"^\s*\d+[A-Z]{1,3}\b\s*")
_INSTRUCTION = re.compile(
    r"\s+(?=(?:Replace|Do not|Don't|Wash|Oil|Use|Apply|Coat|Clean|Renew|Check|Only|Always|Never)\b)"
)
_SUBLABEL = re.compile(
    r"(?i)^(?:application torque|pre-?tighten\w*|joining torque|tightening torque|initial torque|final torque|"
    r"torque angle\b.*|torque|angle|step\s*\d.*|stage\s*\d.*|hot|cold|max(?:imum)?\.?|min(?:imum)?\.?)$"
)
_ENGINE_CODE = re.compile(r"^(?:[A-Z]{1,2}\d{2}[A-Z\d]*(?:\s*US)?)(?:\s*[/,]\s*[A-Z]{1,2}\d{2}[A-Z\d/]*(?:\s*US)?)*$")
_SCREW = re.compile(r"^M\d{1,2}(?:\s*[x×]\s*[\d.]+)?$")


def split_label(label: str, variants: list[str]) -> tuple[str, str | None]:
    """'1AZ Connecting rod bolts Replace, wash and oil conrod bolts' -> ('Connecting rod bolts', note)."""
    t = re.sub(r"\s+", " ", label or "").strip()
    t = _ITEM_CODE.sub("", t)
    parts = _INSTRUCTION.split(t, maxsplit=1)
    comp = parts[0].strip(" :;,-=")
    note = parts[1].strip() if len(parts) > 1 else None
    for v in variants:
        comp = re.sub(rf"(?<![A-Za-z\d]){re.escape(v)}(?![A-Za-z\d])", "", comp).strip()
    comp = re.sub(r"\s+", " ", comp).strip(" :;,-")
    return comp, note


def component_before(text: str, start: int, floor: int = 0) -> str:
    """Best-effort noun phrase printed before a value ('Tighten conrod bolts to 45 Nm' -> 'conrod bolts')."""
    left = re.sub(r"(?i)\b(?:step|stage)\s*\d\s*[:.)]?\s*$", "", text[floor:start]).rstrip(" (")
    # the current clause: after the last sentence end / semicolon / bracket
    cut = max(left.rfind(". "), left.rfind("; "), left.rfind("("), left.rfind(")"))
    clause = left[cut + 1:] if cut >= 0 else left
    head = ""
    if ":" in clause:
        head, clause = clause.rsplit(":", 1)
    phrase = _clean_phrase(clause)
    if not phrase:
        phrase = _clean_phrase(head)
    if not phrase and ":" in left:
        phrase = _clean_phrase(left.rsplit(":", 1)[0].split(". ")[-1])
    return phrase


def component_after(text: str, end: int) -> str:
    """Fallback: the words printed right after a value ('1200 Mile Inspection' -> 'Inspection')."""
    m = re.match(r"\s*([A-Za-z][A-Za-z\-]+(?: [A-Za-z][A-Za-z\-]+){0,2})", text[end:])
    return _clean_phrase(m.group(1)) if m else ""


def _clean_phrase(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip(" ,;:-–=")
    t = _STOP_TAIL.sub("", t)
    t = _STOP_LEAD.sub("", t)
    t = t.strip(" ,;:-–=")
    words = t.split()
    if len(words) > 8:
        words = words[-8:]
    t = " ".join(words)
    return t if re.search(r"[A-Za-z]{2}", t) else ""


# --------------------------------------------------------------------------- facts


def _fact_id(page_id: str, component: str, value: str, unit: str, condition: str | None, variant: str | None) -> str:
    return short_id(page_id, component, value, unit, condition, variant)


def _join(*parts: str | None) -> str | None:
    out = [p.strip() for p in parts if p and p.strip()]
    seen: list[str] = []
    for p in out:
        if p.lower() not in (s.lower() for s in seen):
            seen.append(p)
    return "; ".join(seen) if seen else None


def _make_fact(
    pv: ParsedValue, *, block: Block, component: str, condition: str | None, variant: str | None,
    section: str | None, text: str, bbox, conf: float | None, cfg: FactsConfig, unit_printed: str | None = None,
    review: list[str] | None = None, notes: list[str] | None = None,
) -> SpecFact:
    """``review``: reasons that make the fact need review; ``notes``: audit notes of OCR fixes
    that were certain enough to keep the fact (written to ``review_reason`` only)."""
    page_id = block.page_id
    reasons: list[str] = list(review or [])
    if pv.suspect:
        reasons.append(f"unverified OCR digits {pv.suspect!r}")
    if pv.review:
        reasons.append(pv.review)
    if conf is not None and conf < cfg.review_below_conf:
        reasons.append(f"low OCR confidence {conf:.0f}")
    source = Provenance(
        file=block.source.file, page=block.source.page, bbox=bbox if bbox is not None else block.source.bbox,
        ocr_confidence=conf if conf is not None else block.source.ocr_confidence, page_id=page_id,
    )
    return SpecFact(
        fact_id=_fact_id(page_id, component, pv.value if pv.value_max is None else f"{pv.value}-{pv.value_max}",
                         pv.unit, condition, variant),
        component=component,
        quantity=pv.quantity if pv.quantity == "wire" else _quantity(pv.unit, f"{component} {condition or ''}"),
        value=pv.value,
        value_max=pv.value_max,
        tolerance=pv.tolerance,
        unit=pv.unit,
        value_printed=pv.value_printed,
        unit_printed=unit_printed if unit_printed is not None else pv.unit_printed,
        condition=condition,
        variant=variant,
        stages=pv.stages,
        section=section,
        repair_code=block.repair_code,
        text=text,
        source=source,
        ocr_confidence=conf if conf is not None else block.source.ocr_confidence,
        needs_review=bool(reasons),
        review_reason="; ".join([*reasons, *(notes or [])]) or None,
        block_id=block.block_id,
    )


_HEADER_ROLES = (
    ("type", re.compile(r"(?i)^(type|engine|model|variant)$")),
    ("screw", re.compile(r"(?i)^(screw|thread|bolt|size)$")),
    ("value", re.compile(r"(?i)^(measure|value|dimension|dimensio.?n?|spec\.?|torque|setting)$")),
    ("unit", re.compile(r"(?i)^(unit|units)$")),
)


def _header_roles(row: TableRow) -> dict[str, int]:
    """Column of each caption role; roles whose captions share one cell (a header read as one
    merged cell, "Type Screw | Measure | Unit") are dropped: their columns are unknown."""
    best: dict[str, tuple[int, int]] = {}  # role -> (rank of the caption word, column)
    for c in row.cells:
        for word in re.split(r"\s*\|\s*|\s{2,}", c.text.strip()):
            for role, rx in _HEADER_ROLES:
                m = rx.match(word.strip())
                if m is None:
                    continue
                alts = rx.pattern.split("(", 2)[-1].split(")")[0].split("|")
                rank = next((i for i, a in enumerate(alts) if re.fullmatch(f"(?i){a}", word.strip())), len(alts))
                if role not in best or rank < best[role][0]:
                    best[role] = (rank, c.col)
    roles = {r: col for r, (_, col) in best.items()}
    cols = list(roles.values())
    if len(set(cols)) < len(cols):
        return {}  # a merged header: no caption's column can be trusted
    return roles


def _header_has_unit(row: TableRow) -> bool:
    return any(re.search(r"(?i)\bunits?\b", c.text) for c in row.cells)


def infer_value_unit_columns(rows: list[TableRow]) -> dict[str, int]:
    """Value and unit columns from the cells when the header does not name them: the column
    with most purely numeric cells, and the first column right of it whose cells are units."""
    numeric: dict[int, int] = {}
    units: dict[int, int] = {}
    for row in rows:
        if row.is_header:
            continue
        for c in row.cells:
            t = c.text.strip()
            if _is_numeric_cell(t):
                numeric[c.col] = numeric.get(c.col, 0) + 1
            elif t and lookup_unit(t.split("(")[0].strip()) is not None and not any(ch.isdigit() for ch in t):
                units[c.col] = units.get(c.col, 0) + 1
    if not numeric:
        return {}
    value_col = max(sorted(numeric), key=lambda k: numeric[k])
    if numeric[value_col] < 2:
        return {}
    out = {"value": value_col}
    right = [k for k in sorted(units) if k > value_col]
    if right:
        out["unit"] = right[0]
    return out


_DEGREE_GLYPHS = {"¢", "°", "º", "˚", "o", "O", "0", "*", "©", "®", "•", "·", "e", "s", "$", "c", "a", "¬"}
_ANGLE_LABEL = re.compile(r"(?i)\bangle\b|\bwinkel\b")
_LITRE_GLYPHS = {"|", "I", "¦"}  # a unit cell holding one vertical stroke can only be 'l'


def fix_unit_cell(unit_text: str, label: str, unit_header: bool) -> tuple[str, str | None, bool]:
    """A degree sign misread in a table's Unit column -> ('°', audit note, needs_review).

    A lone vertical stroke ('|', 'I') in a Unit column is the litre sign 'l'.
    Only inside a column whose header says "Unit": a glyph the OCR makes of the small raised
    ring ('¢', 'º', 'o', ...) reads as '°'; with a row label that says "angle" the fix is
    certain and an empty unit cell (the ring is often not seen at all) or one glyph that is no
    unit ('6') also reads as '°'.
    Anything else is returned unchanged.
    """
    t = unit_text.strip()
    if t == "°":
        return unit_text, None, False
    if unit_header and t in _LITRE_GLYPHS:
        return "l", f"unit cell read as {t!r}: a lone 'l' (Unit column)", False
    if not unit_header or (t and t not in _DEGREE_GLYPHS and lookup_unit(t.split("(")[0].strip()) is not None):
        return unit_text, None, False
    angle = bool(_ANGLE_LABEL.search(label))
    if angle and t in _DEGREE_GLYPHS and t != "°":
        return "°", f"unit cell read as {t!r}; '°' from the row label {label.strip()!r} (Unit column)", False
    if t in ("¢", "º", "˚", "o") and not angle:
        return "°", f"unit cell read as {t!r}, taken as '°'", True
    if angle and (not t or t in _DEGREE_GLYPHS or (len(t) == 1 and lookup_unit(t) is None)):
        how = "empty" if not t else f"read as {t!r}"
        return "°", f"unit cell {how}; '°' from the row label {label.strip()!r} (Unit column)", False
    return unit_text, None, False


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


def _is_numeric_cell(text: str) -> bool:
    t = text.strip()
    return bool(t) and re.fullmatch(r"[\d.,\s+\-–±/°]+|\d[\d.,]*\s*(?:-|–|to)\s*[\d.,]+", t) is not None and any(
        ch.isdigit() for ch in t
    )


def _row_roles(row: TableRow, header: dict[str, int]) -> dict[str, TableCell]:
    """Assign the row's cells to label/type/screw/value/unit (header first, then content)."""
    cells = sorted(row.cells, key=lambda c: c.col)
    out: dict[str, TableCell] = {}
    used: set[int] = set()
    for role, col in header.items():
        c = next((c for c in cells if c.col == col), None)
        if c is not None:
            out[role] = c
            used.add(id(c))
    for c in cells:
        if id(c) in used or not c.text.strip():
            continue
        t = c.text.strip()
        unit_head = t.split("(")[0].strip()
        if "unit" not in out and lookup_unit(unit_head) is not None and not any(ch.isdigit() for ch in unit_head):
            out["unit"] = c
        elif "value" not in out and _is_numeric_cell(t):
            out["value"] = c
        elif "screw" not in out and _SCREW.match(t) and ("type" in out or "label" in out):
            out["screw"] = c
        elif "type" not in out and _ENGINE_CODE.match(re.sub(r"\$(?=\d)", "S", t)):
            out["type"] = c
        elif "label" not in out:
            out["label"] = c
        else:
            continue
        used.add(id(c))
    return out


_VOLUME_WORDS = re.compile(r"(?i)displacement|capacity|volume|contents")


def _implausible(label: str, pv: ParsedValue, text: str) -> bool:
    """A unit that can not be right: a volume word with a length unit ("Displacement 1991 cm",
    the '³' lost), or a unit followed by an OCR question mark ("cm?")."""
    if _VOLUME_WORDS.search(label) and lookup_unit(pv.unit) is not None and lookup_unit(pv.unit).quantity == "length":
        return True
    return bool(re.match(r"[?*]", text[pv.end:].lstrip()[:1]))


_CM_LOST_SUPERSCRIPT = re.compile(r"(?<=\d)(\s*)cm[?*](?![\w])")


def superscript_unit(cell: str, label: str) -> tuple[str, str | None]:
    """'1991 cm?' -> '1991 cm³' when the row label is a volume word ("Displacement"): the OCR
    read the raised '³' as '?'/'*'. Returns (text, audit note); anything else is unchanged."""
    if not _VOLUME_WORDS.search(label) or not _CM_LOST_SUPERSCRIPT.search(cell):
        return cell, None
    return _CM_LOST_SUPERSCRIPT.sub(lambda m: f"{m.group(1)}cm³", cell), f"unit read as 'cm?'; 'cm³' from the row label {label.strip()!r}"


def _variant_column_facts(block: Block, cfg: FactsConfig) -> list[SpecFact] | None:
    """A table whose columns are variants ("Specification | 240i (CR20) | 240 Turbo (CR25T)"):
    every cell below holds "value unit" for its row label and its column's variant. None when
    the first row does not name a configured variant in at least two columns after the first."""
    if len(block.rows) < 2:
        return None
    head = sorted(block.rows[0].cells, key=lambda c: c.col)
    col_variant = {c.col: "/".join(find_variants(c.text, cfg.variants, cfg.variant_aliases)) for c in head[1:]}
    col_variant = {k: v for k, v in col_variant.items() if v}
    if len(col_variant) < 2:
        return None
    facts: list[SpecFact] = []
    for row in block.rows[1:]:
        cells = sorted(row.cells, key=lambda c: c.col)
        label = cells[0].text.strip() if cells and cells[0].col not in col_variant else ""
        if not re.search(r"[A-Za-z]{3}", label):
            continue
        for c in cells[1:]:
            variant = col_variant.get(c.col)
            if variant is None or not c.text.strip():
                continue
            cell_text, note = superscript_unit(c.text, label)
            for pv in parse_spec_text(cell_text):
                if pv.role != "spec" or pv.quantity == "wire" or _implausible(label, pv, cell_text):
                    continue
                facts.append(_make_fact(
                    pv, block=block, component=label, condition=pv.condition, variant=variant,
                    section=row.section or block.section, text=f"{label} {c.text.strip()}", bbox=c.bbox or row.bbox,
                    conf=c.conf, cfg=cfg, notes=[note] if note else None,
                ))
    return facts


def _table_facts(block: Block, cfg: FactsConfig) -> list[SpecFact]:
    """Facts of a table block: one per value cell, with the component / type / screw / sub-label
    of its row (or the rows above it). Columns come from the header captions; when the header
    does not name them, from the cells (:func:`infer_value_unit_columns`)."""
    by_variant = _variant_column_facts(block, cfg)
    if by_variant is not None:
        return by_variant
    facts: list[SpecFact] = []
    inferred = infer_value_unit_columns(block.rows)
    header: dict[str, int] = {}
    unit_header = False
    parent_label: str | None = None
    parent_note: str | None = None
    parent_type: str | None = None
    row_section_prev: str | None = None
    for row in block.rows:
        section = row.section or block.section
        if section != row_section_prev:
            parent_label, parent_note, parent_type = None, None, None
            row_section_prev = section
        if row.is_header or len(_header_roles(row)) >= 2:
            header = _header_roles(row) or header
            unit_header = unit_header or _header_has_unit(row)
            continue
        cols = dict(header)
        for role, col in inferred.items():
            if role not in cols and col not in cols.values():
                cols[role] = col
        roles = _row_roles(row, cols)
        label_cell, type_cell = roles.get("label"), roles.get("type")
        value_cell, unit_cell, screw_cell = roles.get("value"), roles.get("unit"), roles.get("screw")
        label = label_cell.text.strip() if label_cell else ""
        type_text, variant_notes = fix_variant_ocr(type_cell.text.strip(), cfg.variants) if type_cell else ("", [])
        type_text, near_note = nearest_variant(type_text, cfg.variants)
        variant_notes = [*variant_notes, near_note] if near_note else variant_notes
        row_text = " ".join(c.text for c in sorted(row.cells, key=lambda c: c.col)).strip()
        has_value = value_cell is not None and value_cell.text.strip() != ""
        sublabel = label if label and _SUBLABEL.match(label.strip()) else None
        if label and not sublabel:
            comp, note = split_label(label, cfg.variants)
            if comp and re.search(r"[A-Za-z]{3}", comp) and not re.fullmatch(r"\d{2} \d{2}.*", label):
                parent_label, parent_note = comp, note
                parent_type = type_text or None
            elif re.fullmatch(r"\d{2} ?\d{2} .*", label):  # a section row printed inside the table
                parent_label, parent_note, parent_type = None, None, None
                continue
        if type_text and not label:
            parent_type = type_text
        elif type_text and label and not sublabel:
            parent_type = type_text
        if not has_value:
            continue
        if parent_label is None:
            continue  # no component known: skip rather than guess
        value_text = value_cell.text.strip()
        unit_text = unit_cell.text.strip() if unit_cell else ""
        notes = list(variant_notes)
        review: list[str] = []
        if unit_cell is not None and _is_numeric_cell(value_text):
            fixed, note, needs = fix_unit_cell(unit_text, sublabel or label or parent_label or "", unit_header)
            if note:
                unit_text = fixed
                (review if needs else notes).append(note)
        parsed = parse_spec_text(f"{value_text} {unit_text}".strip())
        parsed = [p for p in parsed if p.role == "spec" and p.quantity != "wire"]
        if not parsed:
            continue
        if unit_text and len(parsed) != 1:
            continue  # the row's unit column holds one value: several readings -> ambiguous
        variant_names = find_variants(" ".join(x for x in (type_text or parent_type or "", label) if x), cfg.variants, cfg.variant_aliases)
        variant = "/".join(variant_names) if variant_names else None
        screw = screw_cell.text.strip() if screw_cell and screw_cell.text.strip() else None
        type_cond = (type_text or parent_type) if (type_text or parent_type) else None
        for pv in parsed:
            condition = _join(type_cond, screw, sublabel, pv.condition, parent_note)
            conf = value_cell.conf
            facts.append(_make_fact(
                pv, block=block, component=parent_label, condition=condition, variant=variant,
                section=section, text=row_text, bbox=row.bbox, conf=conf, cfg=cfg,
                unit_printed=unit_text or None, review=review, notes=notes,
            ))
    return facts


_TEXT_KINDS = {"paragraph", "procedure_step", "note", "warning", "caution", "troubleshooting", "wiring",
               "figure_caption"}


_SCALE_LINE = re.compile(
    rf"^(?P<nums>(?:{_NUM}\s+)+)(?P<label>[A-Z][a-z]+(?: [a-z]+){{0,4}}) in (?P<unit>\S+)$"
)


def parse_scale_line(line: str) -> tuple[list[str], str, str] | None:
    """A chart scale printed as "35 40 45 Wheel speed in rpm" -> (numbers, label, unit text);
    None unless the line is exactly numbers, a short label and "in <known unit>"."""
    m = _SCALE_LINE.match(" ".join(line.split()))
    if not m or lookup_unit(m.group("unit")) is None:
        return None
    nums = [normalise_number(n) for n in m.group("nums").split()]
    if any(n is None for n in nums):
        return None
    return [n for n in nums if n is not None], f"{m.group('label')} in {m.group('unit')}", m.group("unit")


def _scale_facts(block: Block, cfg: FactsConfig) -> list[SpecFact]:
    """Facts from chart scale lines of a text block (see :func:`parse_scale_line`)."""
    facts: list[SpecFact] = []
    for line in (block.text or "").splitlines():
        got = parse_scale_line(line)
        if got is None:
            continue
        nums, label, unit_txt = got
        info = lookup_unit(unit_txt)
        assert info is not None
        for n in nums:
            pv = ParsedValue(value=n, unit=info.canonical, unit_printed=unit_txt, value_printed=n,
                             quantity=info.quantity)
            facts.append(_make_fact(
                pv, block=block, component=label, condition="chart scale", variant=None,
                section=block.section, text=line.strip(), bbox=block.source.bbox,
                conf=block.source.ocr_confidence, cfg=cfg,
            ))
    return facts


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])|(?<=;)\s+")
_ABBREV = re.compile(r"(?i)^(?:approx|incl|max|min|no|fig|e\.g|i\.e|ca|nom|ref|see|pt|vol)\.$")
_RESIST_CTX = re.compile(r"(?i)resist|ohm|coil|winding|sensor|heating element|Ω")
_VOLUME_CTX = re.compile(r"(?i)capacit|deliver|fill|litre|liter|quantity|reservoir|tank|\boil\b|fluid|coolant|fuel")
_Q_AS_OHM = re.compile(r"(?<=\d)\s?[kM]?(?P<q>Q)(?![A-Za-z\d])")
_BAR_AS_L = re.compile(r"(?<=\d)\s(?P<q>\|)(?=\s|$|[.,;])")
_QUALIFIER_WORD = re.compile(r"(?i)(?:\bat|@)\s*$")
_TOOL_BEFORE = re.compile(
    r"(?i)\b(?:gauge|tool|pin|puller|wrench|drift|mandrel|adapter|holder|fixture|part\s+no\.?|no\.)\s*$"
)
_BARE_NUMBER_BEFORE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s*[|!\]]\s*$")
_CAPS_LABEL_BEFORE = re.compile(r"\b[A-Z]{3,}(?:\s+[A-Z]{1,3}\d{1,3})?\s+$")
_CAPS_LABEL_AFTER = re.compile(r"^\s+[A-Z]{3,}\b")
_NEGATIVE_BEFORE = re.compile(r"(?:^|(?<=[\s(]))[-−–]$")
_INSTRUCTION_START = re.compile(r"(?i)^\W*(?:measure|check|test|run|start|read|connect|set|hold|keep|let)\b")
_LEAD_WORDS = re.compile(
    r"(?i)^(?:(?:above|below|under|over|after|before|at|on|in|for|when|if|with|without|from|let|only|"
    r"apply|then|and)(?:\s+|$))+"
)
_TIGHTEN_OBJECT = re.compile(
    r"(?i)\btighten(?:ing)?\s+(?:the\s+|all\s+)?(?P<obj>[a-z][a-z\- ]{2,40}?)"
    r"(?=\s+(?:in|to|with|from|at|evenly|alternately|crosswise|diagonally)\b|[.,;:]|$)"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one whitespace-collapsed text ('. ' / '; ' before a
    non-lowercase character; 'approx.', 'max.' and similar abbreviations never end one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        words = text[start:m.start()].split()
        if words and _ABBREV.match(words[-1]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(spans):
        if s <= pos <= e:
            return i
    return len(spans) - 1


def repair_ocr_units(text: str, spans: list[tuple[int, int]]) -> tuple[str, dict[int, str | None]]:
    """Units the OCR misreads in running text: 'Q' for 'Ω' after a number (only in a sentence
    about a resistance / coil / sensor) and '|' for 'l' (only in a sentence about a volume).

    Returns the repaired text (same length) and {position: review reason or None}.
    """
    chars = list(text)
    fixed: dict[int, str | None] = {}
    for rx, ctx, new in ((_Q_AS_OHM, _RESIST_CTX, "Ω"), (_BAR_AS_L, _VOLUME_CTX, "l")):
        for m in rx.finditer(text):
            s, e = spans[_sentence_of(spans, m.start())]
            sentence = text[s:e]
            if not ctx.search(sentence):
                continue
            pos = m.start("q")
            chars[pos] = new
            certain = new == "Ω" and re.search(r"(?i)resistance|ohm", sentence)
            fixed[pos] = None if certain else f"unit read as {text[pos]!r} by OCR ({new!r} assumed)"
    return "".join(chars), fixed


_WEAK_TAIL = re.compile(
    r"(?i)(?:\s+(?:on|in|for|and|or|the|a|an|of|to|with|at|is|are|at least|at most|not more than|"
    r"not less than|no more than|not exceed|must|should|max\.?|min\.?|maximum|minimum|approx\.?|about))+\s*$"
)
_VERB_ONLY = re.compile(r"(?i)^(?:has|have|had|is|are|was|reads|reaches|gives|uses|needs|takes|draws|runs)$")


def _tidy_component(phrase: str, cfg: FactsConfig) -> str:
    """Drop variant names, qualifiers ('at 4000 rpm') and leading condition words ('CR20',
    'Above', 'After') from a component; a lone verb ('has') is no component."""
    t = phrase
    for s, e, _ in reversed(variant_mentions(t, cfg.variants)):
        t = t[:s] + " " + t[e:]
    t = re.sub(rf"(?:\bat|@)\s*{_NUM}\s*(?:{_UNIT})", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" ,;:-–=()")
    t = _LEAD_WORDS.sub("", t)
    t = _WEAK_TAIL.sub("", " " + t).strip()
    t = _clean_phrase(t)
    t = tidy_component_name(t, keep_possessive=True)
    return "" if _VERB_ONLY.match(t) else t


# --------------------------------------------------------------------------- component names

#: review reason prefix of a fact whose component could not be named from the printed text
COMPONENT_REVIEW = "component unclear"
_PRONOUNS = frozenset({"it", "they", "this", "that", "these", "those", "them", "which", "one", "ones", "each",
                       "both", "all"})
#: words that name a quantity or an action, never a part
GENERIC_COMPONENTS = frozenset({
    "tightening", "tightening torque", "torque", "angle", "torque angle", "tightening angle", "tighten",
    "pressure", "voltage", "current", "value", "nominal value", "specified value", "unit", "every", "remedy",
    "spec", "specification", "setting", "time", "speed", "temperature", "resistance", "step", "stage",
    "application torque", "final torque", "initial torque", "note", "warning", "caution", "check",
})
_FASTENERS = frozenset({"bolt", "bolts", "nut", "nuts", "screw", "screws", "stud", "studs"})
_POSSESSIVE_LEAD = re.compile(r"(?i)^(?:its|their|his|her|our|your|this|that|these|those|new|old|used|the|a|an)\s+")
_ARTICLE_LEAD = re.compile(r"(?i)^(?:new|old|used|the|a|an)\s+")
_MANNER_TAIL = re.compile(
    r"(?i)(?:\s+(?:in\s+(?:(?:two|three|four|\d)\s+)?stages|in\s+(?:the\s+)?(?:specified\s+)?(?:sequence|order)|"
    r"evenly|crosswise|alternately|diagonally|gradually|again|finally|first|in\s+steps|by\s+hand))+\s*$"
)
_FINITE_VERB = re.compile(
    r"(?i)\s+(?:runs|draws|opens|closes|delivers|reads|ends|starts|switches|builds(?:\s+up)?|reaches|keeps|"
    r"rises|falls|drops|holds|takes|needs|gives|shows|uses|turns|stays|remains|must|should|may|can|will|"
    r"is|are|was|were|has|have)\b"
)
_DETERMINER = re.compile(r"(?i)\b(?:the|a|an)\s+")
_CHECK_OBJECT = re.compile(
    r"(?i)\b(?:check|measure|adjust|inspect|set|read|note)\s+(?:the\s+)?(?P<obj>[a-z][a-z\- ]{2,40}?)"
    r"(?=\s+(?:midway|between|with|at|on|in|from|for|using|and|of|against|by)\b|[.,;:]|$)"
)


def tidy_component_name(phrase: str, keep_possessive: bool = False) -> str:
    """A printed noun phrase as a component name: trailing punctuation, manner words ('in stages',
    'evenly', 'crosswise') and leading 'new'/'the'/possessives dropped
    ('new connecting rod bolts in stages.' -> 'connecting rod bolts'); ``keep_possessive`` keeps
    a leading 'its'/'their' (it says the part is named in another sentence)."""
    t = re.sub(r"\s+", " ", phrase or "").strip(" .,;:-–=!?")
    lead = _ARTICLE_LEAD if keep_possessive else _POSSESSIVE_LEAD
    for _ in range(3):
        before = t
        t = _MANNER_TAIL.sub("", t).strip(" .,;:-–=!?")
        t = lead.sub("", t).strip(" .,;:-–=!?")
        if t == before:
            break
    return t


def component_problem(component: str) -> str | None:
    """Why a phrase names no part: 'pronoun' ('It'), 'generic' ('tightening torque'), 'verb phrase'
    ('pump runs'), 'no word'; None for a real component."""
    t = tidy_component_name(component).lower()
    if t in _PRONOUNS:
        return "pronoun"
    if not re.search(r"[a-z]{3}", t):
        return "no word"
    if re.match(r"\d{2}\s?\d{2}\b", t):
        return "section heading"  # '11 23 Vibration damper': a repair group printed as a row label
    if t in GENERIC_COMPONENTS or re.match(r"(?:all|other|others|remaining)\b", t):
        return "generic"  # 'All others M8': the rest of a table group, no part of its own
    if _FINITE_VERB.search(" " + t):
        return "verb phrase"
    return None


def subject_of_verb_phrase(phrase: str) -> str:
    """'The pump runs' -> 'pump', 'full boost the rail pressure reaches' -> 'rail pressure':
    the noun phrase before the first finite verb (after its last article); '' when there is none."""
    t = tidy_component_name(phrase)
    m = _FINITE_VERB.search(" " + t)
    if m is None:
        return ""
    subj = (" " + t)[:m.start()].strip()
    parts = _DETERMINER.split(subj)
    subj = tidy_component_name(parts[-1]) if parts else ""
    return subj if component_problem(subj) is None else ""


def pronoun_antecedent(text: str, start: int) -> str:
    """What 'It must be 5 - 7 mm' refers to: the object of the last 'check/measure/adjust the ...'
    printed before ``start`` ('Check the belt deflection midway ...' -> 'belt deflection'); ''."""
    objs = list(_CHECK_OBJECT.finditer(text[:start]))
    if not objs:
        return ""
    obj = tidy_component_name(objs[-1].group("obj"))
    return obj if component_problem(obj) is None else ""


def possessive_owner(text: str, start: int) -> str:
    """Whose 'Their coil resistance' is: the subject of the sentence before ``start``
    ('The injectors are opened by ...' -> 'injector'); ''."""
    left = text[:start]
    cut = left.rstrip().rfind(". ")
    if cut < 0:
        return ""
    prev = left[:cut]
    prev = prev[max(prev.rfind(". "), prev.rfind(": ")) + 1:]
    owner = subject_of_verb_phrase(re.sub(r"^\W*\d+\.\s+", "", prev.strip()))
    if not owner or len(owner.split()) > 3:
        return ""
    return re.sub(r"(?<=[a-rt-z])s$", "", owner)  # 'injectors' -> 'injector'


def heading_title(text: str) -> str:
    """Procedure title of a heading block: operation code and the '- remove and install' tail
    dropped ('11 12 100 Cylinder head - remove and install' -> 'Cylinder head'); ''."""
    first = re.sub(r"\s+", " ", (text or "").split("\n")[0]).strip()
    first = re.sub(r"^\d{2}(?:\s?\d{2}(?:\s?\d{3})?)?\s+", "", first)
    title = re.split(r"\s+[-–]\s*|\s*[-–]\s+", first)[0].strip(" .,;:")
    return title if re.search(r"[A-Za-z]{3}", title) and len(title.split()) <= 6 else ""


@dataclass
class PageContext:
    """What earlier blocks of the same page tell a text block: the procedure title above it and
    the facts of the previous text block (a 'CR25T 120 Nm' line continues the row above it)."""

    page_id: str = ""
    title: str = ""
    previous: list[SpecFact] = field(default_factory=list)


def name_component(component: str, text: str, start: int, context: PageContext | None) -> tuple[str, str | None]:
    """A real component for a text value, or the best phrase plus a review reason.

    A pronoun takes the object of an earlier 'check the ...' ; a verb phrase its subject
    ('pump runs' -> 'pump', single generic words need review); a bare fastener ('bolts') is
    prefixed with the procedure title ('cylinder head bolts'); a generic word needs review.
    """
    comp = tidy_component_name(component)
    problem = component_problem(comp)
    if problem is None and re.match(r"(?i)^\W*(?:its|their)\s", component):
        owner = possessive_owner(text, start)
        if owner:
            return f"{owner} {comp}", None
        return comp, f"{COMPONENT_REVIEW}: {component.strip()!r} names its part in another sentence"
    if problem == "pronoun":
        found = pronoun_antecedent(text, start)
        if found:
            return found, None
    elif problem == "verb phrase":
        subj = subject_of_verb_phrase(comp)
        if subj and len(subj.split()) >= 2:
            return subj, None
        if subj:
            return subj, f"{COMPONENT_REVIEW}: {component.strip()!r} names no specific part"
    elif problem is None:
        if comp.lower() in _FASTENERS and context is not None and context.title:
            return f"{context.title} {comp.lower()}", None
        return comp, None
    return comp, f"{COMPONENT_REVIEW}: {component.strip()!r} is a {problem}"


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


def _continued_component(pv: ParsedValue, variant: str | None, context: PageContext | None) -> str:
    """'CR25T 120 Nm' under 'Output flange nut CR20 100 Nm': the component of the previous text
    block's last fact of the same kind for another variant (a continuation row); ''."""
    if context is None or not variant:
        return ""
    kinds = {"torque", "angle"} if pv.quantity in ("torque", "angle") else {pv.quantity}
    for f in reversed(context.previous):
        if f.quantity in kinds and f.variant and f.variant != variant and not f.needs_review:
            return f.component
    return ""


def _component_for(text: str, pv: ParsedValue, floor: int, facts: list[SpecFact], block: Block,
                   cfg: FactsConfig, variant: str | None = None,
                   context: PageContext | None = None) -> tuple[str, str | None]:
    """Component of a text value and a review reason when no real part is named: the phrase
    before it, else the list it continues, the object of a 'Tighten the ...' earlier in the
    block, the words after it, the row above it (variant-only lines), the section
    (see :func:`name_component`)."""
    start = pv.lead if pv.lead is not None else pv.start
    raw = component_before(text, start, floor)
    component = _tidy_component(raw, cfg)
    if "," in component and component_problem(component) is not None:
        tail = _tidy_component(component.rsplit(",", 1)[1], cfg)  # "sprocket was removed, tighten the sprocket bolt"
        if tail and component_problem(tail) is None:
            component = tail
    if not component and facts and _LIST_SEP.match(text[floor:start]):
        component = facts[-1].component  # "(35°/60°)": the list shares its component
    if not component:
        objs = list(_TIGHTEN_OBJECT.finditer(text[:start]))
        component = _tidy_component(objs[-1].group("obj"), cfg) if objs else ""
    if not component:
        after = re.split(r"(?i)\s+(?:because|so|which|that|when|if|while|for|to)\b", component_after(text, pv.end))[0]
        component = _tidy_component(after, cfg)
    if not component and raw and not _tidy_component(raw, cfg):
        # "CR20: Stage 1 30 Nm": only a variant name before the value
        component = _continued_component(pv, variant, context)
        if component:
            return component, None
        if pv.quantity in ("torque", "angle"):
            return "tightening torque", f"{COMPONENT_REVIEW}: only a variant name printed before the value"
    if not component and block.section:
        return block.section, None  # the section heading the value is printed under
    return name_component(component or raw, text, start, context)


def _text_facts(block: Block, cfg: FactsConfig, context: PageContext | None = None) -> list[SpecFact]:
    """Facts from a text block, read sentence by sentence.

    The component is the phrase printed before each value; a value printed "at 5800 rpm" /
    "below 35 °C" after or before another value of its sentence is that value's condition, not a
    fact; values right after a bare number or a tool name ("angle gauge 11 2 110") are OCR
    debris and skipped; wire labels must be a standard cross-section; each value takes the
    variant of its own sentence (see :func:`_value_variants`).
    """
    scale = _scale_facts(block, cfg)
    printed = re.sub(r"\s+", " ", block.text or "").strip()
    spans = sentence_spans(printed)
    text, repaired = repair_ocr_units(printed, spans)
    parsed = parse_spec_text(text)
    variants = _value_variants(text, spans, parsed, cfg)
    sizes = {Decimal(x) for x in cfg.wire_sizes}

    # which values are qualifiers ("at 5800 rpm", "below 35 °C") of another value of their sentence
    sent = [_sentence_of(spans, pv.lead if pv.lead is not None else pv.start) for pv in parsed]
    is_qual = [
        pv.quantity != "wire" and (pv.role == "condition" or _QUALIFIER_WORD.search(text[:pv.start]) is not None)
        for pv in parsed
    ]
    extra: dict[int, list[str]] = {}
    dropped: set[int] = set()
    for k, pv in enumerate(parsed):
        if not is_qual[k]:
            continue
        hosts = [j for j in range(len(parsed)) if sent[j] == sent[k] and not is_qual[j]
                 and parsed[j].quantity not in ("wire", pv.quantity)]
        if hosts:
            before = [j for j in hosts if j < k]
            host = before[-1] if before else hosts[0]
            word = _QUALIFIER_WORD.search(text[:pv.start])
            shown = f"{pv.value_printed} {pv.unit_printed.rstrip('.')}".strip()
            extra.setdefault(host, []).append(pv.condition or (f"at {shown}" if word else shown))
            dropped.add(k)
        elif pv.quantity == "speed" and _INSTRUCTION_START.match(text[spans[sent[k]][0]:spans[sent[k]][1]]):
            dropped.add(k)  # "Measure the voltage at 2000 rpm": a test setting, not a spec
        elif pv.role == "condition":
            pv.role = "spec"
            pv.condition = (pv.condition or "").split(" ")[0] or None  # "below 35 °C" alone: a limit

    facts: list[SpecFact] = []
    fact_sentence: list[int] = []
    floor = 0
    prev_end: int | None = None
    group_component: dict[tuple, tuple[str, str | None]] = {}
    for k, pv in enumerate(parsed):
        start = pv.lead if pv.lead is not None else pv.start
        s_start = spans[sent[k]][0]
        lo = max(s_start, prev_end if prev_end is not None else 0)
        prev_spec_end = prev_end
        prev_end = pv.end + (len(pv.alt) + 1 if pv.alt else 0)
        if k in dropped or pv.role == "condition":
            continue
        reasons = [r for pos, r in repaired.items() if pv.start <= pos < pv.end and r]
        if pv.quantity == "wire":
            if Decimal(pv.value) not in sizes:
                continue  # "15 BU" for ".75 BU": not a wire size
            component = "wire"
        else:
            gap = text[lo:start]
            if _TOOL_BEFORE.search(text[s_start:start]) or _BARE_NUMBER_BEFORE.search(gap):
                continue  # "angle gauge 11 2 110" read as "10 s"; "1.2 | 30 s"
            if _CAPS_LABEL_BEFORE.search(text[:start]) and _CAPS_LABEL_AFTER.match(text[pv.end:]):
                continue  # "BATTERY F1 80 A ALTERNATOR": a diagram callout merged into the prose
            if _NEGATIVE_BEFORE.search(text[:start]):
                if pv.quantity != "temperature" or pv.value_max is not None:
                    continue  # "-0.1 mm": a sign the value would lose
                pv = replace(pv, value="-" + pv.value, value_printed="-" + pv.value_printed)
            if (prev_spec_end is not None and prev_spec_end >= s_start and facts and pv.lead is None
                    and not pv.stages and re.fullmatch(r"\s*", text[prev_spec_end:start]) and pv.quantity == "time"
                    and facts[-1].quantity != "time"):
                continue  # "1.2 l 30 s": the "in" before a duration was lost
            group = tuple((st.stage, st.value, st.unit) for st in pv.stages)
            if group and group in group_component:
                component, why = group_component[group]  # later stages share the first stage's component
            else:
                component, why = _component_for(text, pv, floor, facts, block, cfg, variants[k], context)
            if group and group not in group_component:
                group_component[group] = (component, why)
            if why:
                reasons = [*reasons, why]
        floor = prev_end
        if not component:
            continue
        facts.append(_make_fact(
            pv, block=block, component=component, condition=_join(pv.condition, *extra.get(k, [])),
            variant=None if pv.quantity == "wire" else variants[k], section=block.section,
            text=block.text.strip(), bbox=block.source.bbox, conf=block.source.ocr_confidence, cfg=cfg,
            review=reasons,
        ))
        fact_sentence.append(sent[k])
    return scale + _merge_all_variant_copies(facts, fact_sentence)


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


_WIRE_HEADER = re.compile(r"(?i)^\s*(?:wire|cable|lead|leitung)\b")
_WIRE_CELL = re.compile(rf"^\s*{_WIRE_RE.pattern}\s*$")


def wire_table_facts(block: Block, cfg: FactsConfig) -> list[SpecFact] | None:
    """Facts of a wire list ("Wire | From | To", rows "2.5 GN | ignition switch 15 | fuse F7");
    None when the table is not one.

    A row's wire label must fill its first cell and be a standard cross-section
    (``cfg.wire_sizes``), else the row is skipped ("15 BU" is ".75 BU" misread). The component
    names both ends: "wire ignition switch 15 -> fuse F7".
    """
    rows = [r for r in block.rows if any(c.text.strip() for c in r.cells)]
    if not rows:
        return None
    first = sorted(rows[0].cells, key=lambda c: c.col)
    labelled = sum(1 for r in rows if r.cells and _WIRE_CELL.match(sorted(r.cells, key=lambda c: c.col)[0].text))
    if not (first and _WIRE_HEADER.match(first[0].text)) and labelled * 2 < len(rows):
        return None
    sizes = {Decimal(x) for x in cfg.wire_sizes}
    facts: list[SpecFact] = []
    for row in rows:
        cells = sorted(row.cells, key=lambda c: c.col)
        m = _WIRE_CELL.match(cells[0].text) if cells else None
        if row.is_header or m is None:
            continue
        num = normalise_number(m.group("v1"))
        if num is None or Decimal(num) not in sizes:
            continue
        ends = [re.sub(r"\s+", " ", re.sub(r"[^\w+\-/ .]", " ", c.text)).strip(" .") for c in cells[1:]]
        ends = [e for e in ends if e]
        component = "wire " + " -> ".join(ends) if ends else "wire"
        pv = ParsedValue(value=num, unit="", unit_printed="", value_printed=m.group("v1"), quantity="wire",
                         condition=f"wire colour {m.group('col')}")
        row_text = " ".join(c.text for c in cells).strip()
        facts.append(_make_fact(
            pv, block=block, component=component, condition=pv.condition, variant=None, section=row.section or
            block.section, text=row_text, bbox=row.bbox, conf=cells[0].conf, cfg=cfg,
        ))
    return facts


def _next_wire_label(fact: SpecFact, seen: set[str]) -> SpecFact:
    """The n-th wire on a page with an already seen label: 'wire colour RD; label 2'."""
    for n in range(2, 1000):
        condition = f"{fact.condition}; label {n}" if fact.condition else f"label {n}"
        fid = _fact_id(fact.source.page_id or "", fact.component, fact.value, fact.unit, condition, fact.variant)
        if fid not in seen:
            return fact.model_copy(update={"condition": condition, "fact_id": fid})
    return fact


def _derived(fact: SpecFact) -> SpecFact | None:
    target = {"bar": "kPa", "kPa": "bar"}.get(fact.unit)
    if target is None:
        return None
    value = convert_exact(fact.value, fact.unit, target)
    vmax = convert_exact(fact.value_max, fact.unit, target) if fact.value_max else None
    if value is None or (fact.value_max and vmax is None):
        return None
    return fact.model_copy(update={
        "fact_id": short_id(fact.fact_id, "derived", target),
        "value": value, "value_max": vmax, "unit": target, "tolerance": None, "stages": [],
        "derived": True, "derived_from": fact.fact_id,
    })


def _overlaps(a, b) -> bool:
    if a is None or b is None:
        return True
    return not (a.x1 < b.x0 or b.x1 < a.x0 or a.y1 < b.y0 or b.y1 < a.y0)


def _flag_from_audit(facts: list[SpecFact], audit: list[CleanupChange]) -> list[SpecFact]:
    """Facts read where the cleanup left a value-changing edit unverified need review."""
    open_changes = [c for c in audit if c.changes_value and c.evidence is None]
    if not open_changes:
        return facts
    out: list[SpecFact] = []
    for f in facts:
        hits = [
            c for c in open_changes
            if c.page_id == f.source.page_id and _overlaps(c.bbox, f.source.bbox)
            and re.search(rf"(?<!\S){re.escape(c.before)}(?!\S)", f.text)
            and (c.before in f.value_printed or f.value_printed in c.before or f.value in c.after)
        ]
        if hits:
            reason = "; ".join(
                filter(None, [f.review_reason] + [f"unverified OCR edit {c.before!r}->{c.after!r}" for c in hits])
            )
            f = f.model_copy(update={"needs_review": True, "review_reason": reason})
        out.append(f)
    return out


def extract_facts(
    blocks: list[Block], cfg: FactsConfig | None = None, audit: list[CleanupChange] | None = None
) -> list[SpecFact]:
    """Spec facts from table rows and text blocks, deduplicated by ``fact_id``, in block order.

    ``audit`` (optional, the cleanup stage's changes) marks facts read over an unverified
    value-changing OCR edit as ``needs_review``.
    """
    cfg = cfg or FactsConfig()
    facts: list[SpecFact] = []
    seen: set[str] = set()
    context = PageContext()
    for block in sorted(blocks, key=lambda b: (b.page_id, b.order, b.block_id)):
        if block.page_id != context.page_id:
            context = PageContext(page_id=block.page_id)
        if block.kind == "heading":
            context = PageContext(page_id=block.page_id, title=heading_title(block.text) or context.title)
        try:
            if block.kind == "table" and block.rows:
                wires = wire_table_facts(block, cfg)
                got = wires if wires is not None else _table_facts(block, cfg)
            elif block.kind in _TEXT_KINDS:
                got = _text_facts(block, cfg, context)
                context.previous = [f for f in got if f.quantity != "wire"] or context.previous
            elif block.kind == "heading":  # wiring diagrams: labels next to the wires read as headings
                got = [f for f in _text_facts(block, cfg) if f.quantity == "wire"]
            else:
                got = []
        except Exception:  # noqa: BLE001 - one odd block never stops the build
            got = []
        for f in got:
            if f.fact_id in seen and f.quantity == "wire":
                f = _next_wire_label(f, seen)  # a diagram prints the same label on several wires
            if f.fact_id in seen:
                continue
            seen.add(f.fact_id)
            facts.append(f)
            if cfg.derive_conversions:
                d = _derived(f)
                if d is not None and d.fact_id not in seen:
                    seen.add(d.fact_id)
                    facts.append(d)
    if audit:
        facts = _flag_from_audit(facts, audit)
    if cfg.default_variants:
        facts = [apply_default_variant(f, cfg.default_variants) for f in facts]
    return facts


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
