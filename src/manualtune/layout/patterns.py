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
#: index line: op code, title, page reference at the end
INDEX_ENTRY = re.compile(rf"^\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}\s+.+?\s(\d{{1,2}}\s?[-–]\s?\d{{1,3}})$")
#: wiring diagram wire labels "2.5 GN", "0.75 BR/WS"
WIRE_LABEL = re.compile(r"\b\d(?:\.\d{1,2})?\s?(?:GN|BR|RT|SW|WS|BL|GE|GR|VI|OR|RS|BK|WT|RD|YL)(?:/[A-Z]{2})?\b")


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
