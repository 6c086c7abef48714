"""Shared builders for the facts tests: blocks, table rows and tiny rendered word images."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from manualtune.records import BBox, Block, Line, PageOCR, Provenance, TableCell, TableRow, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def row(*cells: str, section: str | None = None, header: bool = False, conf: float = 95.0) -> TableRow:
    return TableRow(
        cells=[TableCell(text=t, col=i, conf=conf) for i, t in enumerate(cells)],
        section=section, is_header=header, bbox=BBox(x0=0, y0=0, x1=100, y1=10),
    )


def table_block(rows: list[TableRow], *, file: str = "torque_11-19.jpg", order: int = 0,
                section: str | None = None) -> Block:
    page_id = f"{file}#p1@abcdef012345"
    return Block(
        block_id=f"{page_id}/b{order}", page_id=page_id, kind="table", order=order,
        text="\n".join(" | ".join(c.text for c in r.cells) for r in rows), rows=rows, section=section,
        source=Provenance(file=file, page=1, bbox=BBox(x0=0, y0=0, x1=1000, y1=800), ocr_confidence=90.0,
                          page_id=page_id),
    )


def text_block(text: str, *, file: str = "proc_11-64.jpg", order: int = 0, kind: str = "paragraph",
               section: str | None = None, conf: float = 90.0) -> Block:
    page_id = f"{file}#p1@abcdef012345"
    return Block(
        block_id=f"{page_id}/b{order}", page_id=page_id, kind=kind, order=order, text=text, section=section,
        source=Provenance(file=file, page=1, bbox=BBox(x0=0, y0=0, x1=500, y1=40), ocr_confidence=conf,
                          page_id=page_id),
    )


def torque_11_19_rows() -> list[TableRow]:
    """The rows of devdata torque_11-19.jpg as the layout stage delivers them."""
    sec = "11 24 Connecting Rods and Bearings"
    return [
        row("11-19 Engine", "Type", "Screw", "Measure", "Unit", header=True),
        row("11 24 Connecting Rods and Bearings", "", "", "", "", section=sec),
        row("1AZ Connecting rod bolts Replace, wash and oil conrod bolts", "S14", "", "55", "Nm", section=sec),
        row("", "S38", "", "", "", section=sec),
        row("Application torque", "", "", "5", "Nm", section=sec),
        row("Torque", "", "", "30", "Nm", section=sec),
        row("Torque angle", "", "", "60", "°", section=sec),
        row("", "S50", "", "", "", section=sec),
        row("Application torque", "", "", "5", "Nm", section=sec),
        row("Torque", "", "", "20", "Nm", section=sec),
        row("Torque angle", "", "", "65", "°", section=sec),
    ]


def render_words(words: list[tuple[str, int]], size: int = 28, height: int = 70) -> tuple[np.ndarray, list[BBox]]:
    """Render printed words at x positions; returns the grayscale page and each word's box."""
    width = max(x for _, x in words) + 200
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, size)
    boxes = []
    for text, x in words:
        draw.text((x, 18), text, font=font, fill=0)
        x0, y0, x1, y1 = draw.textbbox((x, 18), text, font=font)
        boxes.append(BBox(x0=x0, y0=y0, x1=x1, y1=y1))
    return np.array(img), boxes


def page_of(read_as: list[tuple[str, BBox, float]], width: int, height: int, file: str = "scan.jpg") -> PageOCR:
    """A one-line PageOCR whose words were read as ``read_as`` (text, box, conf)."""
    words = [Word(text=t, bbox=b, conf=c) for t, b, c in read_as]
    text = " ".join(w.text for w in words)
    line = Line(text=text, bbox=BBox.enclosing([w.bbox for w in words]), conf=80.0, words=words)
    return PageOCR(page_id=f"{file}#p1@abcdef012345", source=file, page=1, sha256="0" * 64,
                   engine="test", width=width, height=height, lines=[line], text=text,
                   word_count=len(words))
