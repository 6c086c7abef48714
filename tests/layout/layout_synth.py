"""Synthetic PageOCR pages for the layout tests: words placed with real DejaVuSans metrics, so the
truth (order, columns, cells) is known exactly."""

from __future__ import annotations

from functools import lru_cache

from PIL import ImageFont

from manualtune.records import BBox, Line, PageOCR, Ruling, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 14
LINE_H = 18


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, SIZE)


def words_at(text: str, x: int, y: int, conf: float = 95.0) -> list[Word]:
    """Words of ``text`` set from (x, y) with the font's advance widths and one space between words."""
    font = _font()
    space = int(font.getlength(" "))
    out = []
    for token in text.split():
        w = int(font.getlength(token))
        out.append(Word(text=token, bbox=BBox(x0=x, y0=y, x1=x + w, y1=y + SIZE), conf=conf))
        x += w + space
    return out


def paragraph(lines: list[str], x: int, y: int) -> tuple[list[list[Word]], int]:
    """Lines set under each other; returns the word lines and the y below the paragraph."""
    out = []
    for text in lines:
        out.append(words_at(text, x, y))
        y += LINE_H
    return out, y


def page_from(word_lines: list[list[Word]], width: int = 1200, height: int = 900,
              rulings: list[Ruling] | None = None, name: str = "synthetic.png") -> PageOCR:
    """A PageOCR with one OCR line per word list (the order given does not matter to layout)."""
    lines = []
    for i, ws in enumerate(w for w in word_lines if w):
        box = BBox.enclosing([w.bbox for w in ws])
        assert box is not None
        lines.append(Line(text=" ".join(w.text for w in ws), bbox=box, conf=95.0, words=ws, line_num=i))
    return PageOCR(
        page_id=f"{name}#p1@000000000000", source=name, page=1, sha256="0" * 64, engine="synthetic",
        width=width, height=height, lines=lines, rulings=rulings or [],
        text="\n".join(ln.text for ln in lines), word_count=sum(len(ln.words) for ln in lines),
    )


def ruled_table(rows: list[list[str]], col_xs: list[int], y: int, row_h: int = 30) -> tuple[list[list[Word]], list[Ruling], int]:
    """A fully ruled table: one text line per cell, h rules between rows, v rules at ``col_xs``."""
    words: list[list[Word]] = []
    rulings: list[Ruling] = []
    x0, x1 = col_xs[0], col_xs[-1]
    for r, cells in enumerate(rows):
        top = y + r * row_h
        rulings.append(Ruling(orientation="h", bbox=BBox(x0=x0, y0=top, x1=x1, y1=top + 2)))
        for c, text in enumerate(cells):
            if text:
                words.append(words_at(text, col_xs[c] + 5, top + 8))
    bottom = y + len(rows) * row_h
    rulings.append(Ruling(orientation="h", bbox=BBox(x0=x0, y0=bottom, x1=x1, y1=bottom + 2)))
    for x in col_xs:
        rulings.append(Ruling(orientation="v", bbox=BBox(x0=x, y0=y, x1=x + 2, y1=bottom + 2)))
    return words, rulings, bottom
