"""Values, ranges, tolerances, imperial alternatives and tightening stages in one printed line.

Rules (``RULES``):

- ``value``: "45 Nm", "0.20 - 0.30 mm", "0.024 to 0.064 mm", "37 – 0.1 mm" (a tolerance when the
  second number is smaller), "60 ± 2°", "Step 1 10 Nm" (a stage prefix);
- ``at_after_spec``: an engine speed "at 5800 rpm" after a spec value is its condition;
- ``condition_words``: "below 35 °C" / "above" / "under" / "over" make a condition value;
- ``list_separator``: "7.1 or 7.2 mm", "2.0 / 2.3 bar": the unit carries over the list;
- ranges keep both ends in every printed form: "0.03 to 0.06 mm", "200 ... 230° C", "160-180° C",
  "+16°...+30°C" (a degree sign after the first end of a temperature range), and a range printed with
  both signs ("-5...+5 °", ``signed_range``: the minus kept only where the second end has its '+'),
  "1 to 1 1/2 turns" (fractions are values only in turns); two values read apart around a range mark with
  spaces or commas in it ("+ 15° C...+ 30° C", "280.., 360 Ω", ``split_range_mark``) are one range;
- ``product_number`` / ``number_sign`` / ``bmw_part_number`` / ``special_tool_number`` /
  ``figure_code`` / ``standard_part`` / ``standard_number``: product, part, standard and
  special-tool numbers ("Loctite No. 270", "BMW # 11 23 1 709 638", "N 600 02.0",
  "Special Tool 11 2 160", "00 9 120") are never values;
- a bracket after a value holding imperial units or the same value in another metric unit
  ("3.0 bar (300 kPa)") is the value's alternative (``alt_value`` / ``alt_unit``; ``inch_mark``:
  '0.0035"' is inches), never a value of its own;
- "875 gr. +/- 25 gr." merges into one value with a tolerance; "37. 0.1 mm" (operator lost) needs review;
- "30 Nm + 90°" chains, "Step N" values and sequences joined by ``stage_separator`` ("60 Nm, then
  60°, 60° and 30°") become ordered tightening stages; a ``loosen_separator`` between two torques
  ("150 Nm, unfasten half a turn, tighten to 60 Nm") keeps both stages and the fact needs review;
- ``rise_to_zero``: a value that rises to 0 ("the resistance should rise immediately to 0 ohms") is
  the '∞' sign read as '0' by the OCR: the fact needs review, the value is never trusted.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from manualtune.facts.glyphs import (
    _CONFUSABLE,
    _GLYPH_BEFORE_NUMBER,
    _GLYPH_DIGIT,
    _GLYPH_DIGIT_CHARS,
    _SUSPECT_RE,
)
from manualtune.facts.grammar import _NUM, _NUM_GUARD, _UNIT, ParsedValue, _printed_unit, _quantity
from manualtune.facts.units import lookup_unit, normalise_number, unit_registry
from manualtune.facts.wiring import _MAX_WIRE_SIZE, _WIRE_RE
from manualtune.records import TighteningStage

_VALUE_RE = re.compile(
    rf"(?P<prefix>(?P<sword>(?i:step|stage))\s*(?P<stage>\d)\s*[:.)]?\s*(?:(?i:torque\s+angle|angle)\s+)?)?"
    rf"{_NUM_GUARD}(?P<v1>{_NUM})(?![/:]\d)"
    rf"(?:°(?=(?:\.{{2,}}|…)\+?{_NUM}\s?°\s?C))?"  # '+16°...+30°C': one temperature range
    rf"(?:\s*(?P<rsep>-|–|—|\.{{2,}}|…|(?i:to))\s*(?:(?<=[.…])\+)?(?P<v2>{_NUM})(?![/:]\d))?"
    rf"(?:\s*(?P<tsign>±|\+/-|\+/–|\+)\s*(?P<tol>{_NUM}))?"
    rf"(?:\s*(?:[|\[]\s*)?(?P<unit>{_UNIT}))?"
)


#: a minus sign printed right before the first end of a range whose second end is signed '+' ('-5...+5 °')
_SIGN_BEFORE = re.compile(r"(?:^|(?<=[\s(:]))[-−–]$")


#: "95 kW (129 hp) at 5800 rpm": an engine speed after a spec value is its condition
_AT_AFTER_SPEC = re.compile(rf"{_NUM}\s*\S+(?:\s*\([^()]*\))?\s+at\s*$")


_CONDITION_WORDS = re.compile(r"(?i)\b(below|above|under|over)\s*$")
#: a rise that ends at zero: the OCR read the '∞' of "rise ... to ∞ ohms" as '0'
_RISE_TO = re.compile(r"(?i)\b(?:rises?|rising|increases?|increasing|goes\s+up|climbs?)\b[^.;:]{0,40}?\bto\s*(?:approx\.?\s*)?$")
_LIST_SEP = re.compile(r"^\s*(?:or|and|/|,|x|×)\s*$", re.IGNORECASE)

#: product, part, standard and special-tool numbers: never values ("Loctite No. 270" is no 270°)
_CODE_NUMBERS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("product_number", re.compile(
        r"(?i)\b(?:loctite|three\s*bond|curil|hylomar|molykote|permatex|omnifit)\b\W{0,3}"
        r"(?:(?:no|nr|type)\.?\s*|#\s*)?\d+[A-Z]?"), "a sealant / locking compound product number"),
    ("number_sign", re.compile(r"(?i)(?:#|\bno\.|\bnr\.|\bpart\s+(?:no\.?|number)|\border\s+no\.?)\s*\d+(?:[.,]\d+)?"),
     "a number after '#' / 'No.' / 'Part No.'"),
    ("bmw_part_number", re.compile(r"(?<![\d.,])\d{2}\s\d{2}\s\d\s\d{3}\s\d{3}(?!\d)"), "a part number '11 23 1 709 638'"),
    ("special_tool_number", re.compile(r"(?<![\d.,])\d{2}\s\d\s\d{3}(?![\d.,]\d)"), "a special tool '11 2 160', '00 9 120'"),
    ("figure_code", re.compile(r"(?<![\d.,])\d{2}\s\d{2}\s\d{3}(?![\d.,]\d)"), "a figure / operation code '30 23 220'"),
    ("standard_part", re.compile(r"\bN\s?\d{3}\s?\d{2,3}(?:\.\d)?(?!\d)"), "a BMW standard part 'N 600 02.0'"),
    ("standard_number", re.compile(r"\b(?:DIN|ISO|SAE\s*J|ASTM|TL)\s?\d+"), "a standard 'DIN 912', 'SAE J1703'"),
)

#: what may stand between two stages of one tightening sequence ("60 Nm, then 60°, 60° and 30°")
_STAGE_SEP = re.compile(
    r"(?i)\s*(?:\+|,|;|and|then|,\s*then|,\s*and|and\s+then)\s*(?:(?:then|and)\s+)?"
    r"(?:(?:tighten|torque|turn)(?:ed)?\s+(?:(?:further|by|to|through|again)\s+)*)?(?:a\s+further\s+)?"
)
#: a loosening step between two torque stages ("150 Nm, unfasten half a turn, tighten to 60 Nm")
_LOOSEN_SEP = re.compile(
    r"(?i)\s*[,;]?\s*(?:then\s+)?(?:loosen|unfasten|slacken|release|back\s+off)\b[^.;\d]{0,40}?[,;]?\s*"
    r"(?:(?:then|and)\s+)?(?:re-?)?tighten(?:\s+(?:again|to))*\s*"
)


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, rule) of every product / part / standard / tool number printed in ``text``."""
    return sorted((m.start(), m.end(), name) for name, rx, _ in _CODE_NUMBERS for m in rx.finditer(text))


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


def _angle_plus_tolerance(gap: str, a: ParsedValue, b: ParsedValue) -> bool:
    """'60° + 2°' is a torque angle with its tolerance (+2°), not two stages: a second angle after '+' that
    is small (<= 5°) and under a tenth of the first. '90° + 90°' and '30 Nm + 90°' stay stages."""
    if re.fullmatch(r"\s*\+\s*", gap) is None or a.unit != "°" or b.unit != "°":
        return False
    if a.value_max is not None or b.value_max is not None or a.tolerance is not None:
        return False
    try:
        big, small = float(a.value), float(b.value)
    except ValueError:
        return False
    return 0 < small <= 5 and small < big / 10


#: a range mark printed or read with spaces or commas around it between two values that were read apart
#: ('+ 15° C...+ 30° C', '280.., 360 Ω'): two or three marks, at least one a dot, an optional '+' after it
_SPLIT_RANGE_MARK = re.compile(r"^\s*(?=[.,\s]*\.)(?:[.,]\s*){2,3}\+?\s*$|^\s*…\s*\+?\s*$")


def _merge_split_ranges(text: str, raw: list[ParsedValue]) -> list[ParsedValue]:
    """Rule ``split_range_mark``: two plain values (no range, no tolerance) with a range mark between
    them, the first without a unit or with the second's, and the second the larger, are one range
    ('+ 15° C...+ 30° C' -> 15-30 °C; '280.., 360 Ω' -> 280-360 Ω)."""
    out: list[ParsedValue] = []
    for pv in raw:
        prev = out[-1] if out else None
        if (prev is not None and prev.value_max is None and pv.value_max is None and prev.tolerance is None
                and pv.tolerance is None and prev.stage is None and pv.stage is None and pv.unit
                and prev.unit in ("", pv.unit) and _SPLIT_RANGE_MARK.match(text[prev.end:pv.start])
                and Decimal(pv.value) > Decimal(prev.value)):
            out[-1] = replace(prev, value_max=pv.value, unit=pv.unit, unit_printed=pv.unit_printed, end=pv.end,
                              value_printed=text[prev.start:pv.start + len(pv.value_printed)].strip())
            continue
        out.append(pv)
    return out


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
            if _angle_plus_tolerance(gap, a, b):
                a = replace(a, tolerance="+" + b.value, end=b.end,
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
        start = m.start("v1")
        signed = (v2 is not None and m.group("rsep") not in ("-", "–", "—") and text[m.start("v2") - 1] == "+"
                  and _SIGN_BEFORE.search(text[:m.start("v1")]) is not None)
        if signed:  # rule signed_range: '-5...+5 °' is -5 to +5 (never '5...5')
            n1, start = "-" + n1, m.start("v1") - 1
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
        if "/" in v1 + (v2 or "") and (unit_info is None or unit_info.canonical != "turn"):
            continue  # a fraction is a value only in turns ("1 to 1 1/2 turns")
        span_end = m.end() if unit_txt else m.end("v2") if v2 else m.end("v1")
        if unit_txt is None and m.group("tol") is not None and tolerance is None:
            span_end = m.end("v1")
        pv = ParsedValue(
            value=n1,
            value_max=value_max,
            tolerance=tolerance,
            unit=unit_info.canonical if unit_info else "",
            unit_printed=_printed_unit(unit_txt),
            value_printed=text[start:(m.end("tol") if tolerance and m.group("tol") else
                                      m.end("v2") if v2 else m.end("v1"))].strip(),
            quantity="other",
            stage=int(m.group("stage")) if m.group("stage") else None,
            start=start,
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
    codes = code_spans(text)
    raw = [pv for pv in _raw_matches(text) if not any(s <= pv.start < e for s, e, _ in codes)]
    raw = _merge_split_ranges(text, raw)
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
        if any(s <= m.start("n") < e for s, e, _ in codes):
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
    # a glyph glued to the front of a number ("$1 Nm": the '5' of 51 read as '$'): never the bare digits
    taken = [(v.start, v.end) for v in values]
    for m in _GLYPH_BEFORE_NUMBER.finditer(text):
        if any(s <= m.start("g") < e for s, e in taken) or any(s <= m.start() < e for s, e in skip):
            continue
        if any(s <= m.start("g") < e for s, e, _ in codes):
            continue
        info = lookup_unit(m.group("unit"))
        printed = m.group("g") + m.group("n")
        read = normalise_number(printed.translate(_GLYPH_DIGIT)) if m.group("g") in _GLYPH_DIGIT_CHARS else None
        if info is None:
            continue
        values.append(ParsedValue(
            value=read or normalise_number(m.group("n")) or m.group("n"), unit=info.canonical,
            unit_printed=m.group("unit").strip(), value_printed=printed, quantity="other",
            start=m.start("g"), end=m.end(), suspect=printed,
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
        if v.review is None and infinity_read_as_zero(text, v):
            v.review = f"a rise to {v.value_printed} {v.unit}: the '∞' sign read as '0'? (not confirmed)"
        if v.quantity != "wire":
            v.quantity = _quantity(v.unit, text)
        if v.alt:
            v.alt_value, v.alt_unit = alternative_value(v.alt)
    return values


def infinity_read_as_zero(text: str, v: ParsedValue) -> bool:
    """True when the value is a bare 0 that something rises to ('rise immediately to 0 ohms'):
    nothing rises to zero, the print has '∞' there."""
    return v.value_max is None and v.value_printed.strip() == "0" and _RISE_TO.search(text[:v.start]) is not None


_INCH_MARK = re.compile(rf"(?P<v1>{_NUM})(?:\s*(?:-|–|\.{{2,}}|(?i:to))\s*(?P<v2>{_NUM}))?\s*(?:\"|'')")


def alternative_value(bracket: str) -> tuple[str | None, str | None]:
    """'(16 ft lbs)' -> ('16', 'ft·lbf'), '(0 to 0.0035")' -> ('0-0.0035', 'in'): the printed
    conversion of a value as (number or range "a-b", canonical unit); (None, None) when the
    bracket holds no value with a unit."""
    inner = bracket.strip()[1:-1] if bracket.strip().startswith("(") else bracket
    for m in _VALUE_RE.finditer(inner):
        info = lookup_unit(m.group("unit")) if m.group("unit") else None
        n1 = normalise_number(m.group("v1"))
        if info is None or n1 is None:
            continue
        n2 = normalise_number(m.group("v2")) if m.group("v2") else None
        return (f"{n1}-{n2}" if n2 else n1), info.canonical
    m = _INCH_MARK.search(inner)
    if m and normalise_number(m.group("v1")) is not None:
        n1, n2 = normalise_number(m.group("v1")), normalise_number(m.group("v2")) if m.group("v2") else None
        return (f"{n1}-{n2}" if n2 else n1), "in"
    return None, None


def _assign_stages(text: str, values: list[ParsedValue]) -> None:
    """Group "Step N" values and "30 Nm + 90°" chains into tightening stages."""
    groups: list[list[ParsedValue]] = []
    current: list[ParsedValue] = []
    loosened: set[int] = set()
    for v in values:
        if v.role != "spec" or v.quantity == "wire":
            continue
        gap = text[current[-1].end:v.start] if current else ""
        chained = bool(current) and re.fullmatch(r"\s*\+\s*", gap) is not None
        if current and current[0].unit == "Nm" and gap.strip() and v.stage is None:
            if v.unit == "°" and _STAGE_SEP.fullmatch(gap):
                chained = True  # "60 Nm, then 60°, 60° and 30°"
            elif v.unit == "Nm" and _LOOSEN_SEP.fullmatch(gap):
                loosened.add(id(current[0]))  # "150 Nm, unfasten half a turn, tighten to 60 Nm"
                current.append(v)
                continue
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
        label = (g[0].stage_word or "step") if g[0].stage is not None else "stage"
        for v, st in zip(g, stages, strict=True):
            v.stages = list(stages)
            v.stage = st.stage
            tail = " torque angle" if st.kind == "angle" else ""
            v.condition = f"{label} {st.stage}{tail}"
            if id(g[0]) in loosened:
                v.review = "tightening sequence with a loosening step between stages (not in the stage list)"
    for v in values:
        if v.stage is not None and v.condition is None:
            v.condition = f"{v.stage_word or 'step'} {v.stage}"
    specs = [v for v in values if v.role == "spec" and v.quantity != "wire"]
    for a, b, c in zip(specs, specs[1:], specs[2:], strict=False):
        if a.stage is not None and b.stage is None and c.stage == a.stage + 2 and b.unit in ("Nm", "°") and not b.stages:
            # 11-61a 'Step 1 10 Nm / 30 Nm / Step 3 60°': the 'Step 2' label was not read; the value is step 2
            # of a sequence, never a torque of its own
            b.review = f"between {a.stage_word or 'step'} {a.stage} and {c.stage}: its stage label was not read"


#: the rule table of this module: (name, pattern, purpose); tests/facts/test_rule_tables.py
#: checks every row on printed examples
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("value", _VALUE_RE, "a value with optional stage prefix, range end, tolerance and unit"),
    ("at_after_spec", _AT_AFTER_SPEC, "'95 kW (129 hp) at': the value after it is a condition"),
    ("condition_words", _CONDITION_WORDS, "'below' / 'above' before a value make it a condition"),
    ("list_separator", _LIST_SEP, "'or' / '/' / 'x' between values: the unit carries over"),
    *_CODE_NUMBERS,
    ("stage_separator", _STAGE_SEP, "what stands between two stages of one tightening sequence"),
    ("loosen_separator", _LOOSEN_SEP, "a loosening step between two torque stages"),
    ("inch_mark", _INCH_MARK, "a value in inches printed with the inch mark '0.0035\"'"),
    ("rise_to_zero", _RISE_TO, "'rise immediately to' before a 0: the OCR read '∞' as '0' (review)"),
    ("signed_range", _SIGN_BEFORE, "a minus sign before a range whose second end is signed '+' ('-5...+5 °')"),
    ("split_range_mark", _SPLIT_RANGE_MARK, "a range mark with spaces or commas between two values read apart"),
)
