"""Reading wiring and troubleshooting blocks into small structures the WIRING / TROUBLESHOOTING
templates can ask about.

* wire lists ("Wire | From | To" tables, rows "2.5 GN | ignition switch 15 | fuse F7", or text
  lines "Battery + to battery junction block: 14 BK.") -> :class:`WireRow` (label, size, colour, ends);
* fuse ratings printed in the circuit text ("fuse F7 (10 A)", "Fuse F11 rating 20 A") ->
  :class:`FuseRating`;
* the parts of a circuit (wire ends and capital diagram labels) -> :func:`circuit_components`;
* troubleshooting entries ("Symptom: … / – check … / Remedy: …") -> :class:`TroubleEntry`,
  and requirement lists ("Requirements: — … — …") -> :func:`parse_requirements`.

Everything here is plain text in, plain text out: every number an answer built from these
structures states is printed in the block it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from manualtune.layout.patterns import WIRE_COLOURS, WIRE_LABEL
from manualtune.records import Block

_JUNK_EDGE = re.compile(r"^[\s~_=|—–*•·:;,]+|[\s~_=|—–*•·:;,]+$")


def clean_cell(text: str) -> str:
    """Cell / label text without OCR edge debris ('~— fuse F7' -> 'fuse F7'); inner dashes kept."""
    t = " ".join((text or "").split())
    t = re.sub(r"\s[~_=|]+\s|\s[—–]{2,}\s|\s~[—–]\s", " ", t)
    t = re.sub(r"(?<![\w])([CSGXFK])([\dlI|]{1,3})(?![\w])", lambda m: m.group(1) + re.sub(r"[lI|]", "1", m.group(2)), t)
    return _JUNK_EDGE.sub("", t)


def colour_name(code: str) -> str | None:
    """'RD' -> 'red', 'RD/GN' -> 'red/green'; None when a part is no known colour code."""
    names = [WIRE_COLOURS.get(c.strip().upper()) for c in code.split("/")]
    return "/".join(n for n in names if n) if all(names) else None


# --------------------------------------------------------------------------- wiring


@dataclass
class WireRow:
    """One row of a wire list."""

    label: str
    size: str
    colour: str
    start: str
    end: str
    block: Block


_WIRE_HEADER = re.compile(r"(?i)^\s*(?:wire|cable|lead|colou?r)\b")


def wire_rows(block: Block) -> list[WireRow]:
    """Rows of a wire-list table: first cell a whole wire label ('2.5 GN', '.75 BU'), then the two
    ends. Rows whose label was misread ('AS YE') or that lack an end are skipped."""
    out: list[WireRow] = []
    if block.kind != "table" or not block.rows:
        return out
    for row in block.rows:
        cells = sorted(row.cells, key=lambda c: c.col)
        texts = [clean_cell(c.text) for c in cells]
        if row.is_header or not texts or _WIRE_HEADER.match(texts[0]):
            continue
        m = WIRE_LABEL.fullmatch(texts[0])
        ends = [t for t in texts[1:] if re.search(r"[A-Za-z]{2}", t)]
        if not m or len(ends) < 2 or colour_name(m.group("colour")) is None:
            continue
        colour = re.sub(r"\s", "", m.group("colour"))
        out.append(WireRow(label=f"{m.group('size')} {colour}", size=m.group("size"), colour=colour,
                           start=ends[0], end=ends[1], block=block))
    return out


_WIRE_LINE = re.compile(r"^(?:from\s+)?(?P<start>.+?)\s+to\s+(?P<end>.+?)\s*[:,–—-]\s*(?P<label>.+?)\s*\.?$", re.IGNORECASE)


def _is_end(text: str) -> bool:
    """A wire end: a name ('battery +') or a designator ('S151', 'C200 pin 9')."""
    return bool(re.search(r"[A-Za-z]{2}", text) or re.match(r"^[A-Z]\d{1,4}\b", text))


def wire_lines(block: Block) -> list[WireRow]:
    """Wires listed in running text, one per line: 'Battery + to battery junction block: 14 BK.'"""
    out: list[WireRow] = []
    if block.kind != "wiring":
        return out
    for line in block.text.splitlines():
        m = _WIRE_LINE.match(line.strip())
        if not m:
            continue
        lab = WIRE_LABEL.fullmatch(m.group("label"))
        start, end = clean_cell(m.group("start")), clean_cell(m.group("end"))
        if not lab or colour_name(lab.group("colour")) is None or not (_is_end(start) and _is_end(end)):
            continue
        colour = re.sub(r"\s", "", lab.group("colour"))
        out.append(WireRow(label=f"{lab.group('size')} {colour}", size=lab.group("size"), colour=colour,
                           start=start, end=end, block=block))
    return out


@dataclass
class FuseRating:
    """A fuse (or fusible link) and its printed rating in amperes."""

    name: str
    fuse: str
    amps: str
    block: Block


_FUSE = re.compile(
    r"(?P<kind>fusible link|fuse)\s+(?P<id>F\s?\d{1,3})\b\s*(?:\(\s*|rating\s+|rated\s+(?:at\s+)?|,\s*)"
    r"(?P<amps>\d{1,3})\s?A\b",
    re.IGNORECASE,
)


def fuse_ratings(block: Block) -> list[FuseRating]:
    """Fuse ratings stated in the text of a wiring block: 'through fusible link F1 (80 A)',
    'protected by fuse F12 (30 A)', 'Fuse F11 rating 20 A'."""
    out: list[FuseRating] = []
    text = " ".join(block.text.split())
    for m in _FUSE.finditer(text):
        kind = m.group("kind").lower()
        fid = m.group("id").replace(" ", "").upper()
        out.append(FuseRating(name=f"{kind} {fid}", fuse=fid, amps=m.group("amps"), block=block))
    return out


_TERMINAL_TAIL = re.compile(r"(?:\s+(?:pin|terminal|term\.)\s*\S+|\s+[BD]\+|\s+[+-]|\s+\d{1,3})+$", re.IGNORECASE)
#: head nouns of diagram component labels ('AUXILIARY FUSE', 'DIAGNOSTIC MODULE', 'JUNCTION BLOCK')
COMPONENT_NOUNS = frozenset({
    "alternator", "battery", "block", "box", "bulb", "cluster", "coil", "connector", "diode", "distribution",
    "ecu", "fan", "fuse", "gauge", "ground", "harness", "heater", "horn", "indicator", "injector", "lamp",
    "light", "link", "meter", "module", "motor", "plug", "pump", "regulator", "relay", "resistor", "sensor",
    "solenoid", "speedometer", "splice", "starter", "stator", "switch", "unit", "valve",
})
_LABEL_STOP = frozenset({"note", "not", "used", "see", "and", "with"})


def _component_name(end: str) -> str:
    """'battery +' -> 'battery', 'ignition switch 15' -> 'ignition switch', 'relay K3 pin 30' -> 'relay K3'."""
    return _TERMINAL_TAIL.sub("", clean_cell(end)).strip()


def label_components(text: str) -> list[str]:
    """Component names in the capital labels of a diagram block, lower-cased: words of three or
    more capitals are read line by line and a name ends at a component noun, so a label printed on
    two lines ('AUXILIARY' / 'FUSE') is one name; debris ('sRs', '$232', '4RD') is skipped and
    words left without a noun at the end of the block are dropped."""
    out: list[str] = []
    words: list[str] = []
    for line in (text or "").splitlines():
        if len(words) >= 2:
            words = []  # only a one-word label line ('AUXILIARY') continues on the next line
        for tok in re.findall(r"\S+", line):
            w = tok.strip("()[]|!:;,.'\"")
            if re.fullmatch(r"[A-Z]{2}", w):
                words = []  # an abbreviation ('IGNITION SW') ends the name without a noun
                continue
            if not re.fullmatch(r"[A-Z]{3,}", w) or w.lower() in _LABEL_STOP:
                continue
            words.append(w.lower())
            if w.lower() in COMPONENT_NOUNS:
                if len(words) <= 4:
                    out.append(" ".join(words))
                words = []
    return out


def circuit_components(wires: list[WireRow], labels: list[str]) -> list[str]:
    """Parts of a circuit in print order: the wire ends (terminal / pin numbers dropped), then the
    names read from the capital diagram labels (:func:`label_components`) not listed yet.
    Near-identical names appear once."""
    out: list[str] = []

    def add(name: str) -> None:
        name = " ".join(name.split())
        if len(re.sub(r"[^A-Za-z]", "", name)) < 3:
            return
        low = name.lower()
        if any(fuzz.ratio(low, o.lower()) >= 85 or low in o.lower().split(" ") for o in out):
            return
        out.append(name)

    for w in wires:
        add(_component_name(w.start))
        add(_component_name(w.end))
    for text in labels:
        for name in label_components(text):
            add(name)
    return out


def is_note_text(text: str) -> bool:
    """A sentence box of a wiring diagram ('CHARGE INDICATOR PROVIDES … IF BULB BURNS OUT.'):
    six words or more and a finished sentence."""
    t = " ".join(text.split())
    return len(t.split()) >= 6 and re.search(r"[A-Za-z)]\.(?:\s|$)", t) is not None


# --------------------------------------------------------------------------- troubleshooting


@dataclass
class TroubleEntry:
    """One symptom with its checks in printed order and the remedy."""

    symptom: str
    checks: list[str] = field(default_factory=list)
    remedy: str | None = None


_SYMPTOM = re.compile(r"^\W{0,2}(?:symptom|complaint|fault|problem)\s*[:.–—-]\s*", re.IGNORECASE)
_REMEDY = re.compile(r"^\W{0,2}(?:remedy|remedies|correction|repair|action)\s*[:.–—-]\s*", re.IGNORECASE)
_CAUSE = re.compile(r"^\W{0,2}(?:possible causes?|causes?)\s*[:.–—-]\s*", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-–—•*]\s*")
_REQUIREMENTS = re.compile(r"^\W{0,2}(?:test\s+)?requirements?\s*[:.–—-]\s*", re.IGNORECASE)


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out.endswith("-") and p[:1].islower():
            out = out[:-1] + p  # hyphenated line break
        else:
            out = f"{out} {p}" if out else p
    return out.strip()


def parse_trouble_entry(text: str) -> TroubleEntry | None:
    """'Symptom: …' block -> symptom, checks (dash-led lines, wrapped lines joined; 'Possible
    cause:' lines count as checks) and remedy; None when the block does not open with a symptom or
    names no check or remedy. A dash line starting with 'see' continues the item before it."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if not lines or not _SYMPTOM.match(lines[0]):
        return None
    symptom: list[str] = [_SYMPTOM.sub("", lines[0])]
    checks: list[list[str]] = []
    remedy: list[str] | None = None
    for ln in lines[1:]:
        bullet = _BULLET.match(ln)
        body = _BULLET.sub("", ln)
        if _REMEDY.match(ln):
            remedy = [_REMEDY.sub("", ln)]
        elif _CAUSE.match(ln):
            checks.append([_CAUSE.sub("", ln)])
        elif bullet and not re.match(r"(?i)see\b", body) and remedy is None:
            checks.append([body])
        elif remedy is not None:
            remedy.append(ln if re.match(r"(?i)^[-–—]\s*see\b", ln) else body)
        elif checks:
            checks[-1].append(body)
        else:
            symptom.append(body)
    entry = TroubleEntry(
        symptom=_join(symptom).rstrip(" .:;,"),
        checks=[c for c in (_join(c) for c in checks) if re.search(r"[A-Za-z]{3}", c)],
        remedy=_join(remedy) if remedy else None,
    )
    if not re.search(r"[A-Za-z]{3}", entry.symptom) or not (entry.checks or entry.remedy):
        return None
    return entry


def parse_requirements(text: str) -> list[str]:
    """'Requirements: battery charged, terminals clean …' / 'Test Requirements: — A. — B.' -> the
    listed requirements (dash items, or comma items of a one-line list); [] for other text."""
    t = (text or "").strip()
    if not _REQUIREMENTS.match(t):
        return []
    body = _REQUIREMENTS.sub("", t)
    items = [_join(x.splitlines()) for x in re.split(r"(?:^|\s)[—–•]\s+|\n\s*-\s+", body)]
    items = [i.strip(" ;") for i in items if re.search(r"[A-Za-z]{3}", i)]
    if len(items) == 1 and "," in items[0] and "\n" not in body:
        items = [i.strip(" .") for i in items[0].split(",") if i.strip(" .")]
        items = [i + "." if not i.endswith(".") else i for i in items]
    return items
