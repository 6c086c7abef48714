"""Regular expressions for the printed codes of service manuals, tolerant of common OCR slips.

OCR often drops or mangles the spaces of "11 24 521" ("1124521", "11:24521"); the
``normalise_*`` helpers return the canonical spaced form used in record metadata, while block
text always stays as printed.
"""

from __future__ import annotations

import re

_SEP = r"[ .:,]?\s?"
#: repair / operation code "11 24 521" at the start of a heading line
REPAIR_CODE = re.compile(rf"^\W{{0,2}}(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{3}})(?!\d)")
#: section heading "11 24 Connecting Rods and Bearings" (group code + title-case title)
SECTION_HEADING = re.compile(rf"^(\d{{2}}){_SEP}(\d{{2}})\s+([A-Z][A-Za-z0-9].*)$")
#: printed page label "11-64", "11 - 19", "21–5" (optionally followed by a title like "Engine")
PAGE_LABEL = re.compile(r"^(\d{1,2})\s?[-–—]\s?(\d{1,3})(?:\s+([A-Z][A-Za-z /&-]*))?$")
#: frb file ids and dates of the 1997 torque tables: "AZD11-16.frb 20/10/97"
FRB_ID = re.compile(r"\b[A-Z0-9]{2,5}\d{0,2}-\d{1,3}\s?\.?\s?[a-z0-9]{2,4}\b|\.frb\b", re.IGNORECASE)
DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")
#: figure reference codes printed under photos: "M88 11 064", "30 21 004", "730 34 013", "14 42"
FIGURE_CODE = re.compile(
    r"^\W{0,2}(?:[A-Za-z$][A-Za-z$\d|]{0,2}\s?)?(?:[\d|I!lO]{2,3}\s?)?[\d|I!lO]{2}\s?[\d|I!lO]{3}\W{0,2}$"
    r"|^\d{2}\s\d{2}$"
)
#: step numbers as printed at the start of a block: "1.", "2)", "Step 3"
STEP_NUMBER = re.compile(r"^(?:step\s+(\d{1,2})\b|(\d{1,2})[.)](?=\s))", re.IGNORECASE)
#: BMW special tool numbers "11 2 110", "00 1 490"
SPECIAL_TOOL = re.compile(r"(?<![\d.])(\d{2} \d \d{3})(?!\d|\.\d)")
#: dash-enclosed heading subtitle "– Pistons Removed –"
SUBTITLE = re.compile(r"^[\W_]{0,3}\s*[A-Z][A-Za-z ,/]+?\s*[-–—~]{1,2}\W?$")
#: an engine / model variant cell: "S14", "M10/M20/M30", "S52/M52 With cast iron engine block"
VARIANT_CELL = re.compile(r"^[$SMNB]\d{2}[A-Z]?\d?(?:\s?/\s?[A-Z]?\d{1,2}[A-Z]?\d?)*\b")
#: words that make a short line ending in a colon a version label ('Cars with Automatic Transmission:',
#: '1988 Models On:', 'Version with Radiator Drain Plug:', 'Four Door:'), not a title ('REPLACING TIRE:')
VERSION_WORDS = re.compile(
    r"\b(?:[Cc]ars?|[Mm]odels?|[Vv]ersions?|[Vv]ehicles?|[Ss]ince|[Tt]ransmission|"
    r"[Cc]oup[eé]|[Cc]onvertibles?|[Tt]ouring|[Dd]oor|E\d{2}|[MS]\d{2}|\d{3} ?i[xs]?)\b")
#: index line: op code, title, page reference at the end
INDEX_ENTRY = re.compile(rf"^\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}\s+.+?\s(\d{{1,2}}\s?[-–]\s?\d{{1,3}})$")
#: wire colour codes of wiring diagrams (DIN 47002 German and English abbreviations) -> colour name
WIRE_COLOURS: dict[str, str] = {
    "BK": "black", "BL": "blue", "BN": "brown", "BR": "brown", "BU": "blue", "GE": "yellow", "GN": "green",
    "GR": "grey", "GY": "grey", "OG": "orange", "OR": "orange", "PK": "pink", "RD": "red", "RS": "pink",
    "RT": "red", "SW": "black", "VI": "violet", "VT": "violet", "WH": "white", "WS": "white", "WT": "white",
    "YE": "yellow", "YL": "yellow",
}
_COLOUR = "(?:" + "|".join(sorted(WIRE_COLOURS)) + ")"
#: wiring diagram wire labels "2.5 GN", ".75 BU", "16 RD", "4RD", "0.75 BR/WS" (cross-section + colour(s))
WIRE_LABEL = re.compile(
    rf"(?<![\w.,])(?P<size>\d{{1,2}}(?:[.,]\d{{1,2}})?|[.,]\d{{1,2}})\s?(?P<colour>{_COLOUR}(?:\s?/\s?{_COLOUR})?)(?![A-Za-z])"
)
#: a two-colour wire printed without its size ("RD/GN")
COLOUR_PAIR = re.compile(rf"(?<![A-Za-z]){_COLOUR}/{_COLOUR}(?![A-Za-z])")
#: component designators of wiring diagrams: connectors C100, splices S232, grounds G1, fuses F7, relays K6,
#: plugs X16, and "pin 4" / "terminal 30" / "term. 31"
DESIGNATOR = re.compile(r"(?<![\w.])(?:[CSGXFK]\d{1,3}(?![\w.])|(?:pin|terminal|term\.)\s?(?:\d{1,3}|[DB]\+))", re.IGNORECASE)
#: words of a wiring page title ("61 Wiring", "6120 Charging Circuit", "Wiring diagram")
WIRING_TITLE = re.compile(r"\b(?:wiring|circuit|schematic|circuit diagram|current flow)\b", re.IGNORECASE)
#: words of a troubleshooting page title ("Troubleshooting – Charging System", "Fault finding")
TROUBLE_TITLE = re.compile(r"\b(?:trouble\s?-?shooting|fault\s?finding|diagnosis|diagnostics)\b", re.IGNORECASE)
#: labels that open the parts of a troubleshooting entry ("Symptom:", "Possible cause:", "Remedy:")
TROUBLE_LABEL = re.compile(
    r"^\W{0,2}(?P<label>symptom|complaint|fault|problem|possible causes?|causes?|remedy|remedies|correction|"
    r"(?:test )?requirements?|checks?|result)\s*[:.–—-]\s*",
    re.IGNORECASE,
)
#: flow-chart branch labels ("okay", "not okay", "Yes", "No")
TROUBLE_BRANCH = re.compile(r"(?<![\w])(?:not\s+ok(?:ay)?|ok(?:ay)?|yes|no)(?![\w])\s*[.:]?", re.IGNORECASE)
#: an instruction line of a check sequence ("– Check the ribbed belt", "Measure the voltage", "Pull off …")
CHECK_LINE = re.compile(
    r"^[\W]{0,3}(?:check|measure|test|inspect|pull|connect|disconnect|remove|replace|make sure|verify|ensure)\b",
    re.IGNORECASE,
)
#: index row: full (or 3-digit continuation) operation number, title, dot leaders, page reference
INDEX_ROW = re.compile(
    rf"^(?:[^\s\d]{{1,2}}\s+)?\W{{0,2}}(?P<op>\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}|\d{{3}})[).:]?\s+(?P<title>[A-Za-z(\[{{].*?)"
    r"(?:\s+(?P<page>\d{1,2}\s?[-–—]\s?\d{1,3}\s?[a-z]?))?\s*$"
)
#: dot leaders between an index title and its page ("........", ". . . .", "…")
DOT_LEADER = re.compile(r"(?:\.\s?){3,}|…|(?:\s\.){2,}")
#: column header row of an index page ("Operation No. Title Page") or its title ("Contents")
INDEX_TITLE = re.compile(r"\b(?:contents|operation\s+no\.?|index)\b", re.IGNORECASE)


def normalise_repair_code(text: str) -> str | None:
    """'11:24521 REPLACING …' -> '11 24 521'; None when the text does not start with a repair code."""
    m = REPAIR_CODE.match(text.strip())
    return f"{m.group(1)} {m.group(2)} {m.group(3)}" if m else None


def normalise_section(text: str) -> str | None:
    """'11.24 Connecting Rods and Bearings' -> '11 24 Connecting Rods and Bearings'."""
    m = SECTION_HEADING.match(" ".join(text.split()))
    if not m or REPAIR_CODE.match(text.strip()):
        return None
    return f"{m.group(1)} {m.group(2)} {m.group(3).strip()}"


#: a page label inside a running header/footer line: "21-3", "11 - 19", "6120-1" (last one wins)
EDGE_PAGE_LABEL = re.compile(r"(?<![\w.,/])(\d{1,4})\s?[-–—]\s?(\d{1,3})(?![\w.,/])")


def page_label_in_edge(text: str) -> str | None:
    """The page label printed in a running header/footer line, e.g. 'Corvane 240 Repair Manual 21-3'
    -> '21-3'; the last label-shaped token wins (page numbers are printed at the outer end)."""
    found = list(EDGE_PAGE_LABEL.finditer(" ".join(text.split())))
    if not found:
        return None
    m = found[-1]
    sep = " - " if re.search(r"\d\s[-–—]\s\d", m.group(0)) else "-"
    return f"{m.group(1)}{sep}{m.group(2)}"


#: a file name that is a page label: '51-313', '35-05_1' (printed 35-5.1), '23-168a', '6412-02'
_FILE_LABEL = re.compile(r"^(\d{1,4})-(\d{1,3})(?:_(\d{1,2})|[a-z])?$")


def label_against_file(label: str | None, file: str) -> str | None:
    """A page label read at the page edge, checked against a file name that is itself a page label:
    the same numbers -> the label as read; the sub-page's dot lost ('35-51' on 35-05_1.jpg) -> put back
    ('35-5.1'); other numbers are a misread ('91-313' on 51-313.jpg) and the label is dropped (the
    citation falls back to file + page: a missing label is better than a wrong one). A file name
    that is no label ('scan_0001.jpg') checks nothing."""
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    m = _FILE_LABEL.match(stem)
    if not label or not m:
        return label
    read = [int(n) for n in re.findall(r"\d+", label)]
    group, number, sub = int(m.group(1)), int(m.group(2)), m.group(3)
    if read == [group, number] or (sub is not None and read == [group, number, int(sub)]):
        return label
    if sub is not None and read == [group, int(f"{number}{int(sub)}")] and label.endswith(str(int(sub))):
        return f"{label[: -len(str(int(sub)))]}.{int(sub)}"
    return None


def page_label_of(text: str) -> tuple[str, str | None] | None:
    """'11-19 Engine' -> ('11-19', 'Engine'); None when the text is not a page label."""
    m = PAGE_LABEL.match(" ".join(text.split()))
    if not m:
        return None
    sep = " - " if re.search(r"\d\s[-–—]\s\d", text) else "-"
    return f"{m.group(1)}{sep}{m.group(2)}", (m.group(3) or None)


def is_figure_code(text: str) -> bool:
    """True for a figure reference code alone on its line (OCR-tolerant)."""
    t = " ".join(text.split())
    digits = sum(c.isdigit() for c in t)
    return bool(FIGURE_CODE.match(t)) and digits >= 4 and len(t) <= 14


def is_uppercase_line(text: str) -> bool:
    """Mostly capital letters (heading continuation lines like 'RODS', 'CLUTCH MASTER CYLINDER')."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def label_kind(text: str, warning: list[str], caution: list[str], note: list[str]) -> str | None:
    """'Note:' / 'Important!' / 'WARNING -' at the start of a line -> its block kind."""
    m = re.match(r"^\W{0,2}([A-Za-z]+)\s*[:!.–—-]", text.strip())
    if not m:
        return None
    word = m.group(1).lower()
    for kind, words in (("warning", warning), ("caution", caution), ("note", note)):
        if word in words:
            return kind
    return None


def parse_index_row(text: str, group: str | None = None) -> dict[str, str] | None:
    """One index row -> {'op', 'printed_op', 'title', 'page_ref'}; None when the row is no entry.

    '11 00 039 Compression – check ........ 11-10' -> op '11 00 039', title 'Compression – check',
    page_ref '11-10'. A 3-digit continuation ('050 Engine – remove ...') takes the group digits of
    the entry before (``group`` = '11 00') and is no entry without one. Dot leaders and the
    OCR debris they leave ('. 2.', 'ee ee') are dropped from the title; ``page_ref`` is '' when
    the reference was not read, ``title`` '' when only the op number and page were read.
    """
    t = " ".join(text.split())
    m = INDEX_ROW.match(t)
    if not m:
        return None
    printed = m.group("op")
    full = normalise_repair_code(printed)
    if full is None:
        if group is None:
            return None
        full = f"{group} {printed}"
    title = DOT_LEADER.split(m.group("title"))[0]
    title = re.sub(r"(?:\s+(?:[^\w\s(]+|\w{1,2}[.:]?|\d+\W*))+$", "", " " + title).strip(" .:;,=~-–—")
    page = re.sub(r"\s*([-–—])\s*", "-", m.group("page") or "").replace(" ", "")
    if not re.search(r"[A-Za-z]{3}", title):
        if not page or normalise_repair_code(printed) is None:
            return None
        title = ""  # a full op number and a page reference: an entry whose title the OCR lost
    return {"op": full, "printed_op": printed, "title": title, "page_ref": page.replace("–", "-").replace("—", "-")}


def _title_rows(lines: list[str], n: int = 5) -> str:
    return " ".join(lines[:n])


def page_kind_of(lines: list[str]) -> str | None:
    """Whole-page kind from the printed rows of a page (top to bottom, headers included):
    'index_entry', 'wiring', 'troubleshooting' or None.

    * index: rows that open with an operation number and a title; at least 3 of them with dot
      leaders / a page reference (or an 'Operation No.' / 'Contents' title), and they make up
      a third of the page;
    * wiring: wire labels '2.5 GN' (>= 4), or >= 2 with a 'Wiring' / 'Circuit' title or >= 3
      designators (C100, F7, pin 4);
    * troubleshooting: 'Symptom:' / 'Remedy:' labels (>= 3, or >= 1 under a 'Troubleshooting'
      title), or a 'Troubleshooting' title over check lines / flow-chart branches.
    """
    rows = [" ".join(t.split()) for t in lines if t and t.strip()]
    if not rows:
        return None
    n = len(rows)
    title = _title_rows(rows)
    group: str | None = None
    op_rows = evidence = 0
    for r in rows:
        e = parse_index_row(r, group)
        if e is None:
            continue
        group = e["op"][:5]
        op_rows += 1
        if e["page_ref"] or DOT_LEADER.search(r):
            evidence += 1
    index_title = INDEX_TITLE.search(title) is not None
    if op_rows >= max(3, 0.3 * n) and (evidence >= 3 or (index_title and op_rows >= 3) or op_rows >= max(6, 0.5 * n)):
        return "index_entry"
    labels = sum(len(WIRE_LABEL.findall(r)) for r in rows) + sum(len(COLOUR_PAIR.findall(r)) for r in rows)
    designators = sum(len(DESIGNATOR.findall(r)) for r in rows)
    if labels >= 4 or (labels >= 2 and (WIRING_TITLE.search(title) or designators >= 3)):
        return "wiring"
    trouble_labels = sum(1 for r in rows if TROUBLE_LABEL.match(r))
    trouble_title = TROUBLE_TITLE.search(title) is not None
    checks = sum(1 for r in rows if CHECK_LINE.match(r))
    branches = sum(len(TROUBLE_BRANCH.findall(r)) for r in rows)
    if trouble_labels >= 3 or (trouble_title and (trouble_labels >= 1 or checks >= 2 or branches >= 2)):
        return "troubleshooting"
    return None


def page_sequence_key(page_id: str) -> tuple:
    """Where a page stands in the printed manual: its file path compared with numbers as numbers
    (natural order), then its page number. '23-169.jpg' < '23-170.jpg' (a plain sort puts '23-17.jpg'
    between them and a job going on from 23-169 onto 23-170 ends), '35-05' < '35-05_1' < '35-06',
    '23-168' < '23-168a' < '23-169'. ``page_id`` is '<relative path>#p<page>@<hash>' (or a path)."""
    path, _, rest = page_id.partition("#p")
    page = int(m.group(1)) if (m := re.match(r"(\d+)", rest)) else 0
    parts = tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", path))
    return parts, page
