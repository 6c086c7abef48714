"""A small text-layer PDF (the torque supplement), written by hand with the standard Helvetica fonts.

No PDF library is needed: the file is a handful of objects with WinAnsi-encoded text, ruling
lines and a cross-reference table. It carries no dates or IDs, so the bytes are deterministic.
pypdfium2 extracts its text (``get_textpage().get_text_range()``).
"""

from __future__ import annotations

from typing import Any

from manualtune.sample.content import PDF_PAGES, PDF_TITLE, TORQUE_COLS, PdfPage
from manualtune.sample.model import parse_printed
from manualtune.sample.render import code_of

PAGE_W, PAGE_H = 842, 595  # A4 landscape, points
MARGIN = 50
ROW_H = 22
FONT_PT = 11


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) with the special characters escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text(x: float, y: float, text: str, bold: bool = False, size: float = FONT_PT) -> bytes:
    font = b"/F2" if bold else b"/F1"
    return b"BT %s %.1f Tf %.1f %.1f Td %s Tj ET\n" % (font, size, x, y, _pdf_string(text))


def _line(x0: float, y0: float, x1: float, y1: float, w: float = 0.8) -> bytes:
    return b"%.1f w %.1f %.1f m %.1f %.1f l S\n" % (w, x0, y0, x1, y1)


def page_content(page: PdfPage, number: int) -> tuple[bytes, dict[str, Any]]:
    """Content stream of one PDF page and its truth (transcript, facts, header/footer)."""
    ops: list[bytes] = []
    transcript: list[str] = []
    facts: list[dict[str, Any]] = []
    header = PDF_TITLE
    ops.append(_text(MARGIN, PAGE_H - 35, header, size=9))
    ops.append(_text(PAGE_W - MARGIN - 30, PAGE_H - 35, page.label, bold=True, size=10))
    ops.append(_line(MARGIN, PAGE_H - 42, PAGE_W - MARGIN, PAGE_H - 42))
    ops.append(_text(MARGIN, PAGE_H - 75, page.heading, bold=True, size=15))
    transcript.append(page.heading)
    width = PAGE_W - 2 * MARGIN
    xs = [MARGIN + sum(c.width for c in TORQUE_COLS[:i]) * width for i in range(len(TORQUE_COLS))]
    y = PAGE_H - 95
    ops.append(_line(MARGIN, y, PAGE_W - MARGIN, y))
    header_cells = tuple(c.title for c in TORQUE_COLS)
    section: str | None = None
    for kind, cells, row in [("header", header_cells, None)] + [(r.kind, r.cells, r) for r in page.rows]:
        bold = kind in ("header", "section", "group")
        for ci, cell in enumerate(cells):
            if cell.strip():
                ops.append(_text(xs[ci] + 5, y - 15, cell.strip(), bold=bold))
        line = " ".join(c.strip() for c in cells if c.strip())
        transcript.append(line)
        verticals = [MARGIN, PAGE_W - MARGIN] if kind == "section" else [*xs, PAGE_W - MARGIN]
        ops.extend(_line(vx, y, vx, y - ROW_H) for vx in verticals)
        y -= ROW_H
        ops.append(_line(MARGIN, y, PAGE_W - MARGIN, y))
        if kind == "section":
            section = cells[0]
        for f in row.facts if row is not None else ():
            measure, unit = cells[2].strip(), cells[3].strip()
            pv = parse_printed(f"{measure} {unit}".strip())
            rec: dict[str, Any] = {
                "component": f.component, "quantity": f.quantity, "value": pv.value, "value_printed": measure,
                "unit": pv.unit, "unit_printed": pv.unit_printed, "condition": f.condition,
                "variant": f.variant, "text": line, "section": section,
                "repair_code": code_of(section) if section else None,
                "page": number,
            }
            if pv.value_max:
                rec["value_max"] = pv.value_max
            facts.append(rec)
    footer = "Corvane 240 Repair Manual – Supplement"
    ops.append(_line(MARGIN, 45, PAGE_W - MARGIN, 45))
    ops.append(_text(MARGIN, 30, footer, size=9))
    ops.append(_text(PAGE_W - MARGIN - 30, 30, page.label, size=9))
    truth = {
        "page": number, "page_label": page.label, "headings": [page.heading],
        "transcript": transcript, "facts": facts, "header_footer": [header, page.label, footer, page.label],
    }
    return b"".join(ops), truth


def build_pdf(pages: tuple[PdfPage, ...] = PDF_PAGES) -> tuple[bytes, list[dict[str, Any]]]:
    """The PDF bytes and one truth dict per page."""
    objects: list[bytes] = []  # object i+1
    n = len(pages)
    page_ids = [6 + 2 * i for i in range(n)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % p for p in page_ids), n))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Title %s /Producer (manualtune sample generator) >>" % _pdf_string(PDF_TITLE))
    truths = []
    for i, page in enumerate(pages):
        stream, truth = page_content(page, i + 1)
        truths.append(truth)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (PAGE_W, PAGE_H, page_ids[i] + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out), truths
