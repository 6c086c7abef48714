"""Lay out and render one sample-manual page, producing the picture and its truth together.

:func:`layout_page` turns a :class:`~manualtune.sample.model.Page` into drawing operations
*and* the truth record (transcript lines, facts with the printed line they sit on, steps,
procedures, ...). :func:`render_page` draws the operations, then makes the page look
scanned: grey uneven paper, slight blur, a small skew (recorded in the truth), noise and
specks, JPEG at quality 85. Everything is seeded: same page + seed -> same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from manualtune.sample.model import (
    UNIT_CANONICAL,
    Box,
    Fact,
    Gap,
    Heading,
    IndexList,
    Page,
    Para,
    Procedure,
    Row,
    Schematic,
    Step,
    Table,
    Trouble,
    parse_printed,
)

FONT_DIR = Path("/usr/share/fonts/truetype")
FONT_FILES = {
    "body": ("dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "bold": ("dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "serif": ("liberation/LiberationSerif-Regular.ttf", "fonts-liberation"),
    "serif_bold": ("liberation/LiberationSerif-Bold.ttf", "fonts-liberation"),
}

PAGE_W_IN = 9.0
PAGE_H_IN = 6.75
MARGIN_IN = 0.5
COL_GAP_IN = 0.35
BODY_TOP_IN = 0.85
BODY_BOTTOM_IN = PAGE_H_IN - 0.7
BODY_PT = 10.0
JPEG_QUALITY = 85

TRANSCRIPT_CONVENTIONS = (
    "Body text only, one printed line per item, in reading order: full-width blocks at the top, then "
    "the left column, then the right column. Tables: visual line by visual line, non-empty cell lines "
    "left to right joined by one space. Index pages: 'op title page' (dot leaders are drawn, not "
    "transcribed). Excludes the running header/footer (see header_footer) and text inside block "
    "diagrams (see figure_text). Characters as printed: en dash '–', '°', '±', 'Ω', '³'."
)
SKEW_CONVENTION = (
    "skew_angle: degrees the clean page was rotated when 'scanned' (counter-clockwise positive, "
    "PIL Image.rotate convention). deskew_angle = -skew_angle: the counter-clockwise rotation that "
    "straightens the scan."
)

_OP_RE = re.compile(r"\b\d{2} \d{2} \d{3}\b|\b\d{2} \d{2}\b")
_TOOL_RE = re.compile(r"\b\d{2} \d \d{3}\b")
_JOINERS = {"±", "+", "-", "–", "x", "/"}


class SampleContentError(ValueError):
    """The sample content is inconsistent (a fact not printed, a column overflowing)."""


class FontMissingError(RuntimeError):
    """A font file the renderer needs is not installed."""


def load_fonts(dpi: int) -> dict[str, ImageFont.FreeTypeFont]:
    """Fonts at the sizes used on a page of ``dpi``; raises FontMissingError naming the Debian package."""

    def px(pt: float) -> int:
        return round(pt * dpi / 72)

    sizes = {
        "body": ("body", BODY_PT),
        "bold": ("bold", BODY_PT),
        "serif": ("serif", BODY_PT + 1.5),
        "serif_bold": ("serif_bold", BODY_PT + 1.5),
        "h1": ("bold", BODY_PT + 2.5),
        "h2": ("bold", BODY_PT + 0.5),
        "small": ("body", BODY_PT - 1),
        "small_bold": ("bold", BODY_PT - 1.5),
    }
    fonts: dict[str, ImageFont.FreeTypeFont] = {}
    for key, (face, pt) in sizes.items():
        rel, package = FONT_FILES[face]
        path = FONT_DIR / rel
        if not path.exists():
            raise FontMissingError(
                f"font {path} not found: install the Debian package '{package}' (apt-get install {package})"
            )
        fonts[key] = ImageFont.truetype(str(path), px(pt))
    return fonts


# --------------------------------------------------------------------------- text wrapping


def _glue(prev: str, tok: str) -> bool:
    """True when ``tok`` must stay on the same line as ``prev`` (values, ranges, units, codes)."""
    bare = tok.rstrip(".,;:)")
    value_end = prev[-1:].isdigit() or prev.endswith("°") or prev in UNIT_CANONICAL
    if tok in _JOINERS:
        return value_end
    if prev in _JOINERS:
        return True
    if bare in UNIT_CANONICAL and prev.strip("(")[-1:].isdigit():
        return True
    if prev.isdigit() and bare.isdigit():
        return True
    return prev in {"Stage", "pin", "terminal"} and bare[:1].isdigit()


def _units(text: str) -> list[str]:
    """Split text into unbreakable units (words glued where a line break would split a value)."""
    units: list[str] = []
    for tok in text.split():
        if units and _glue(units[-1].split(" ")[-1], tok):
            units[-1] += " " + tok
        else:
            units.append(tok)
    return units


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap by rendered pixel width; explicit newlines are kept."""
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for unit in _units(para):
            trial = f"{cur} {unit}" if cur else unit
            if cur and font.getlength(trial) > width:
                lines.append(cur)
                cur = unit
            else:
                cur = trial
        lines.append(cur)
    return lines


# --------------------------------------------------------------------------- layout


@dataclass
class Op:
    kind: str  # text | line | rect | dot
    x: float
    y: float
    x1: float = 0.0
    y1: float = 0.0
    text: str = ""
    font: str = "body"
    width: int = 1


@dataclass
class PageLayout:
    """Drawing operations plus everything the truth file says about the page."""

    width: int
    height: int
    dpi: int
    ops: list[Op] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    header_footer: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    procedures: list[dict[str, Any]] = field(default_factory=list)
    boxes: list[dict[str, str]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    index_entries: list[dict[str, str]] = field(default_factory=list)
    troubleshooting: list[dict[str, Any]] = field(default_factory=list)
    figure_text: list[str] = field(default_factory=list)


class _Ctx:
    def __init__(self, page: Page, fonts: dict[str, ImageFont.FreeTypeFont]):
        self.page = page
        self.fonts = fonts
        self.dpi = page.dpi
        self.body = "serif" if page.body_font == "serif" else "body"
        self.bold = "serif_bold" if page.body_font == "serif" else "bold"
        self.out = PageLayout(round(PAGE_W_IN * page.dpi), round(PAGE_H_IN * page.dpi), page.dpi)
        self.section: str | None = None  # current table section / procedure op
        self.repair_code: str | None = None
        self.bottom = BODY_BOTTOM_IN * page.dpi

    def inch(self, v: float) -> float:
        return v * self.dpi

    def lh(self, font: str) -> float:
        return self.fonts[font].size * 1.32

    def text(self, x: float, y: float, s: str, font: str) -> None:
        if s:
            self.out.ops.append(Op("text", x, y, text=s, font=font))

    def check(self, y: float) -> None:
        if y > self.bottom + 1:
            raise SampleContentError(f"{self.page.path}: content overflows the page body ({y:.0f} px)")


def code_of(text: str) -> str | None:
    m = _OP_RE.search(text)
    return m.group(0) if m else None


def _add_codes(ctx: _Ctx, text: str) -> None:
    m = _OP_RE.match(text.strip())
    if m and m.group(0) not in ctx.out.codes:
        ctx.out.codes.append(m.group(0))


def _fact_record(
    ctx: _Ctx, fact: Fact, printed: str, line: str, parse_as: str | None = None
) -> dict[str, Any]:
    """Truth record of one fact. ``printed`` is the value as printed (it must occur in ``line``,
    the printed line the fact is read from); ``parse_as`` adds a unit printed in another cell."""
    if printed not in line:
        raise SampleContentError(f"{ctx.page.path}: fact value {printed!r} not in its line {line!r}")
    pv = parse_printed(parse_as or printed, wire=fact.quantity == "wire")
    rec: dict[str, Any] = {
        "component": fact.component,
        "quantity": fact.quantity,
        "value": pv.value,
        "value_printed": printed,
        "unit": pv.unit,
        "unit_printed": pv.unit_printed,
        "condition": fact.condition,
        "variant": fact.variant,
        "text": line,
        "section": ctx.section,
        "repair_code": ctx.repair_code,
    }
    if pv.value_max:
        rec["value_max"] = pv.value_max
    if pv.tolerance:
        rec["tolerance"] = pv.tolerance
    if fact.stage is not None:
        rec["stage"] = fact.stage
    if fact.alt:
        alt = parse_printed(fact.alt)
        rec["alt_value"], rec["alt_unit"] = alt.value, alt.unit
    return rec


def _sentence_with(text: str, printed: str) -> str:
    """The sentence of ``text`` that contains ``printed`` (facts in running text)."""
    for sent in re.split(r"(?<=[.;])\s+(?=[A-Z0-9])", text):
        if printed in sent:
            return sent
    return text


def _lay_lines(ctx: _Ctx, lines: list[str], x: float, y: float, font: str) -> float:
    for line in lines:
        ctx.text(x, y, line, font)
        ctx.out.transcript.append(line)
        y += ctx.lh(font)
    return y


def _lay_text_facts(ctx: _Ctx, text: str, facts: tuple[Fact, ...]) -> None:
    for f in facts:
        ctx.out.facts.append(_fact_record(ctx, f, f.printed, _sentence_with(text, f.printed)))


def _lay_heading(ctx: _Ctx, b: Heading, x: float, w: float, y: float) -> float:
    font = "h1" if b.level == 1 else "h2"
    y = _lay_lines(ctx, wrap(b.text, ctx.fonts[font], w), x, y, font)
    ctx.out.headings.append(b.text)
    _add_codes(ctx, b.text)
    code = code_of(b.text)
    if code:
        ctx.section, ctx.repair_code = b.text, code
    return y + ctx.inch(0.1)


def _lay_procedure(ctx: _Ctx, b: Procedure, x: float, w: float, y: float) -> float:
    if ctx.out.steps or ctx.out.procedures:
        y += ctx.inch(0.08)
    title = f"{b.op} {b.title}"
    y = _lay_lines(ctx, wrap(title, ctx.fonts["h2"], w), x, y, "h2")
    if b.subtitle:
        y = _lay_lines(ctx, wrap(b.subtitle, ctx.fonts[ctx.body], w), x + ctx.inch(0.9), y, ctx.body)
    ctx.out.headings.append(title + (f" {b.subtitle}" if b.subtitle else ""))
    _add_codes(ctx, b.op)
    ctx.section, ctx.repair_code = title, b.op
    ctx.out.procedures.append({"op": b.op, "title": b.title, "subtitle": b.subtitle, "variant": b.variant,
                               "steps": [], "warnings": [], "notes": []})
    return y + ctx.inch(0.08)


def _lay_para(ctx: _Ctx, b: Para, x: float, w: float, y: float) -> float:
    font = ctx.bold if b.bold else ctx.body
    y = _lay_lines(ctx, wrap(b.text, ctx.fonts[font], w), x, y, font)
    _lay_text_facts(ctx, b.text, b.facts)
    return y + ctx.inch(0.1)


def _lay_step(ctx: _Ctx, b: Step, x: float, w: float, y: float) -> float:
    indent = ctx.inch(0.3)
    lines = wrap(b.text, ctx.fonts[ctx.body], w - indent)
    ctx.text(x, y, f"{b.number}.", ctx.body)
    for i, line in enumerate(lines):
        ctx.text(x + indent, y, line, ctx.body)
        ctx.out.transcript.append(f"{b.number}. {line}" if i == 0 else line)
        y += ctx.lh(ctx.body)
    op = ctx.out.procedures[-1]["op"] if ctx.out.procedures else None
    ctx.out.steps.append({"number": b.number, "text": b.text, "op": op,
                          "special_tools": _TOOL_RE.findall(b.text)})
    if ctx.out.procedures:
        ctx.out.procedures[-1]["steps"].append(len(ctx.out.steps))
    _lay_text_facts(ctx, b.text, b.facts)
    return y + ctx.inch(0.07)


def _lay_box(ctx: _Ctx, b: Box, x: float, w: float, y: float) -> float:
    pad = ctx.inch(0.1)
    y0 = y
    y += pad * 0.7
    y = _lay_lines(ctx, [b.label], x + pad, y, ctx.bold)
    y = _lay_lines(ctx, wrap(b.text, ctx.fonts[ctx.body], w - 2 * pad), x + pad, y, ctx.body)
    y += pad * 0.5
    ctx.out.ops.append(Op("rect", x, y0, x + w, y, width=max(2, round(ctx.dpi / 100))))
    ctx.out.boxes.append({"label": b.label, "text": b.text})
    if ctx.out.procedures:
        key = "warnings" if b.label in ("WARNING", "CAUTION") else "notes"
        ctx.out.procedures[-1][key].append(b.text)
    _lay_text_facts(ctx, b.text, b.facts)
    return y + ctx.inch(0.12)


def _row_lines(ctx: _Ctx, table: Table, row: Row, widths: list[float], font: str) -> list[list[str]]:
    pad = ctx.inch(0.06)
    if row.kind == "section":
        return [wrap(row.cells[0], ctx.fonts[font], sum(widths) - 2 * pad)]
    out: list[list[str]] = []
    for i, cell in enumerate(row.cells):
        # a cell starting with spaces is an indented sub-row ("   Stage 1"): keep one marker space
        mark = " " if cell.startswith(" ") else ""
        lines = wrap(cell, ctx.fonts[font], widths[i] - 2 * pad - (ctx.inch(0.15) if mark else 0))
        out.append([mark + ln for ln in lines] if cell.strip() else [])
    return out


def _lay_table(ctx: _Ctx, b: Table, x: float, w: float, y: float) -> float:
    widths = [c.width * w for c in b.columns]
    xs = [x + sum(widths[:i]) for i in range(len(widths))]
    pad = ctx.inch(0.06)
    rule = max(2, round(ctx.dpi / 100))
    lh = ctx.lh(ctx.body)
    rows: list[Row] = list(b.rows)
    if b.header:
        rows.insert(0, Row(tuple(c.title for c in b.columns), kind="header"))
    truth_rows: list[dict[str, Any]] = []
    ctx.out.ops.append(Op("line", x, y, x + w, y, width=rule))
    for row in rows:
        font = ctx.bold if row.kind in ("header", "section", "group") else ctx.body
        cells = _row_lines(ctx, b, row, widths, font)
        n = max((len(c) for c in cells), default=1) or 1
        row_top, ry = y, y + pad * 0.8
        visual: list[str] = []
        for i in range(n):
            parts = []
            for ci, lines in enumerate(cells):
                if i < len(lines) and lines[i].strip():
                    indent = ctx.inch(0.15) if lines[i].startswith(" ") else 0.0
                    ctx.text(xs[ci] + pad + indent, ry + i * lh, lines[i].strip(), font)
                    parts.append(lines[i].strip())
            visual.append(" ".join(parts))
        ctx.out.transcript.extend(v for v in visual if v)
        y = ry + n * lh + pad * 0.4
        ctx.out.ops.append(Op("line", x, y, x + w, y, width=rule))
        verticals = [x, x + w] if row.kind == "section" else [*xs, x + w]
        ctx.out.ops.extend(Op("line", vx, row_top, vx, y, width=rule) for vx in verticals)
        if row.kind == "section":
            ctx.section, ctx.repair_code = row.cells[0], code_of(row.cells[0])
            _add_codes(ctx, row.cells[0])
        truth_rows.append({"kind": row.kind, "cells": [" ".join(ln.strip() for ln in c) for c in cells],
                           "section": ctx.section if row.kind != "header" else None})
        for f in row.facts:
            if f.printed:
                li = next((i for i, v in enumerate(visual) if f.printed in v), 0)
                ctx.out.facts.append(_fact_record(ctx, f, f.printed, visual[li]))
                continue
            if b.measure_col is None:
                raise SampleContentError(f"{ctx.page.path}: table fact without a printed value")
            measure = row.cells[b.measure_col].strip()
            unit = row.cells[b.unit_col].strip() if b.unit_col is not None else ""
            parse_as = f"{measure} {unit}".strip()
            ctx.out.facts.append(_fact_record(ctx, f, measure, visual[0], parse_as=parse_as))
    ctx.out.tables.append({"columns": [c.title for c in b.columns], "rows": truth_rows})
    return y + ctx.inch(0.12)


def _lay_index(ctx: _Ctx, b: IndexList, x: float, w: float, y: float) -> float:
    title_x = x + ctx.inch(1.5)
    page_right = x + w
    body = ctx.fonts[ctx.body]
    for label, lx in (("Operation No.", x), ("Title", title_x)):
        ctx.text(lx, y, label, ctx.bold)
    ctx.text(page_right - ctx.fonts[ctx.bold].getlength("Page"), y, "Page", ctx.bold)
    ctx.out.transcript.append("Operation No. Title Page")
    y += ctx.lh(ctx.bold) * 1.3
    step = ctx.inch(0.09)
    for e in b.entries:
        ctx.text(x, y, e.op, ctx.body)
        ctx.text(title_x, y, e.title, ctx.body)
        pw = body.getlength(e.page)
        ctx.text(page_right - pw, y, e.page, ctx.body)
        dx = title_x + body.getlength(e.title) + ctx.inch(0.12)
        dy = y + body.size * 0.85
        while dx < page_right - pw - ctx.inch(0.12):
            ctx.out.ops.append(Op("dot", dx, dy, width=max(2, round(ctx.dpi / 90))))
            dx += step
        ctx.out.transcript.append(f"{e.op} {e.title} {e.page}")
        ctx.out.index_entries.append({"op": e.op, "title": e.title, "page": e.page})
        _add_codes(ctx, e.op)
        y += ctx.lh(ctx.body) * 1.15
    return y + ctx.inch(0.1)


def _lay_trouble(ctx: _Ctx, b: Trouble, x: float, w: float, y: float) -> float:
    indent = ctx.inch(0.25)
    y = _lay_lines(ctx, wrap(f"Symptom: {b.symptom}", ctx.fonts[ctx.bold], w), x, y, ctx.bold)
    for check in b.checks:
        lines = wrap(check, ctx.fonts[ctx.body], w - indent)
        ctx.text(x, y, "–", ctx.body)
        for i, line in enumerate(lines):
            ctx.text(x + indent, y, line, ctx.body)
            ctx.out.transcript.append(f"– {line}" if i == 0 else line)
            y += ctx.lh(ctx.body)
    y = _lay_lines(ctx, wrap(f"Remedy: {b.remedy}", ctx.fonts[ctx.body], w), x, y, ctx.body)
    ctx.out.troubleshooting.append({"symptom": b.symptom, "checks": list(b.checks), "remedy": b.remedy})
    _lay_text_facts(ctx, " ".join((*b.checks, b.remedy)), b.facts)
    return y + ctx.inch(0.18)


def _lay_schematic(ctx: _Ctx, b: Schematic, x: float, w: float, y: float) -> float:
    per_row = 3
    nrows = (len(b.boxes) + per_row - 1) // per_row
    h = ctx.inch(b.height)
    cell_w, cell_h = w / per_row, h / nrows
    bw, bh = cell_w * 0.78, min(cell_h * 0.45, ctx.inch(0.45))
    centers = []
    for i, label in enumerate(b.boxes):
        cx = x + (i % per_row + 0.5) * cell_w
        cy = y + (i // per_row + 0.5) * cell_h
        centers.append((cx, cy))
        ctx.out.ops.append(Op("rect", cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, width=2))
        font = ctx.fonts["small_bold"]
        ctx.text(cx - font.getlength(label) / 2, cy - font.size * 0.6, label, "small_bold")
        ctx.out.figure_text.append(label)
    for a, c in b.links:
        (ax, ay), (cx, cy) = centers[a], centers[c]
        if abs(ay - cy) < 1:
            x0, x1 = sorted((ax, cx))
            ctx.out.ops.append(Op("line", x0 + bw / 2, ay, x1 - bw / 2, ay, width=3))
        else:
            top, bot = ((ax, ay), (cx, cy)) if ay < cy else ((cx, cy), (ax, ay))
            mid = (top[1] + bot[1]) / 2
            ctx.out.ops.append(Op("line", top[0], top[1] + bh / 2, top[0], mid, width=3))
            ctx.out.ops.append(Op("line", top[0], mid, bot[0], mid, width=3))
            ctx.out.ops.append(Op("line", bot[0], mid, bot[0], bot[1] - bh / 2, width=3))
    return y + h + ctx.inch(0.15)


_LAYERS = {
    Heading: _lay_heading,
    Procedure: _lay_procedure,
    Para: _lay_para,
    Step: _lay_step,
    Box: _lay_box,
    Table: _lay_table,
    IndexList: _lay_index,
    Trouble: _lay_trouble,
    Schematic: _lay_schematic,
}


def _lay_blocks(ctx: _Ctx, blocks: tuple, x: float, w: float, y: float) -> float:
    for b in blocks:
        if isinstance(b, Gap):
            y += ctx.inch(b.inches)
            continue
        y = _LAYERS[type(b)](ctx, b, x, w, y)
        ctx.check(y - ctx.inch(0.12))
    return y


def _lay_header_footer(ctx: _Ctx) -> None:
    page, W, H = ctx.page, ctx.out.width, ctx.out.height
    m = ctx.inch(MARGIN_IN)
    f_small, f_bold = ctx.fonts["small"], ctx.fonts["bold"]
    hy = ctx.inch(0.35)
    ctx.text(m, hy, page.section, "small")
    ctx.text(W - m - f_bold.getlength(page.label), hy - ctx.inch(0.02), page.label, "bold")
    ctx.out.ops.append(Op("line", m, hy + ctx.inch(0.24), W - m, hy + ctx.inch(0.24), width=2))
    fy = H - ctx.inch(0.48)
    ctx.out.ops.append(Op("line", m, fy - ctx.inch(0.07), W - m, fy - ctx.inch(0.07), width=2))
    ctx.text(m, fy, page.edition, "small")
    if page.source_id:
        ctx.text(W / 2 - f_small.getlength(page.source_id) / 2, fy, page.source_id, "small")
    ctx.text(W - m - f_small.getlength(page.label), fy, page.label, "small")
    ctx.out.header_footer = [page.section, page.label, page.edition]
    if page.source_id:
        ctx.out.header_footer.append(page.source_id)
    ctx.out.header_footer.append(page.label)


def layout_page(page: Page, fonts: dict[str, ImageFont.FreeTypeFont] | None = None) -> PageLayout:
    """Lay out a page: drawing operations + transcript, facts, steps, procedures, ..."""
    ctx = _Ctx(page, fonts or load_fonts(page.dpi))
    _lay_header_footer(ctx)
    m = ctx.inch(MARGIN_IN)
    full_w = ctx.out.width - 2 * m
    y = _lay_blocks(ctx, page.top, m, full_w, ctx.inch(BODY_TOP_IN))
    ncol = len(page.columns)
    gap = ctx.inch(COL_GAP_IN)
    col_w = (full_w - gap * (ncol - 1)) / ncol
    for i, col in enumerate(page.columns):
        _lay_blocks(ctx, col, m + i * (col_w + gap), col_w, y)
    joined = " ".join(ctx.out.transcript)
    for f in ctx.out.facts:
        if f["text"] not in joined:
            raise SampleContentError(f"{page.path}: fact text {f['text']!r} not in the transcript")
    return ctx.out


# --------------------------------------------------------------------------- drawing and scan look


def draw_layout(lay: PageLayout, fonts: dict[str, ImageFont.FreeTypeFont]) -> np.ndarray:
    """Draw the operations: returns the ink image (uint8, 0 = no ink, 255 = full ink)."""
    img = Image.new("L", (lay.width, lay.height), 0)
    d = ImageDraw.Draw(img)
    for op in lay.ops:
        if op.kind == "text":
            d.text((round(op.x), round(op.y)), op.text, fill=255, font=fonts[op.font])
        elif op.kind == "line":
            d.line([(round(op.x), round(op.y)), (round(op.x1), round(op.y1))], fill=255, width=op.width)
        elif op.kind == "rect":
            d.rectangle([round(op.x), round(op.y), round(op.x1), round(op.y1)], outline=255, width=op.width)
        elif op.kind == "dot":
            r = op.width / 2
            d.ellipse([op.x - r, op.y - r, op.x + r, op.y + r], fill=255)
    return np.asarray(img)


def scan_look(ink: np.ndarray, rng: np.random.Generator, angle: float, dpi: int) -> np.ndarray:
    """Make a clean ink image look scanned: skew, grey uneven paper, blur, noise, specks (RGB uint8)."""
    h, w = ink.shape
    rotated = Image.fromarray(ink).rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=0)
    ink_f = np.asarray(rotated, dtype=np.float32) / 255.0
    sigma = 0.3 * dpi / 200
    ink_f = cv2.GaussianBlur(ink_f, (0, 0), sigma)
    # uneven grey paper: low-frequency field upsampled from a coarse random grid
    coarse = rng.normal(0.0, 1.0, size=(6, 8)).astype(np.float32)
    field_ = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    paper = 226.0 + 7.0 * field_
    ink_level = float(rng.uniform(28, 48))
    gray = paper - ink_f * (paper - ink_level)
    gray += rng.normal(0.0, 4.0, size=gray.shape).astype(np.float32)
    # dust specks and a darker scanner edge on one side
    n_specks = int(rng.integers(60, 160))
    ys = rng.integers(0, h, n_specks)
    xs = rng.integers(0, w, n_specks)
    gray[ys, xs] = rng.uniform(60, 140, n_specks)
    edge = int(rng.integers(4, 14) * dpi / 200)
    gray[:, :edge] *= 0.75
    gray = np.clip(gray, 0, 255)
    tint = np.array([1.0, 0.99, 0.955], dtype=np.float32)  # slightly warm paper
    rgb = np.clip(gray[..., None] * tint[None, None, :], 0, 255).astype(np.uint8)
    return rgb


def encode_jpeg(rgb: np.ndarray, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def render_page(page: Page, seed: int, page_index: int) -> tuple[bytes, PageLayout, float]:
    """Render one page: (JPEG bytes, layout/truth, skew angle in degrees CCW)."""
    fonts = load_fonts(page.dpi)
    lay = layout_page(page, fonts)
    rng = np.random.default_rng([seed, page_index, 240])
    angle = round(float(rng.uniform(-1.8, 1.8)), 2)
    ink = draw_layout(lay, fonts)
    rgb = scan_look(ink, rng, angle, page.dpi)
    return encode_jpeg(rgb, page.dpi), lay, angle
