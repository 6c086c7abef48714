"""Reading order of OCR lines on ruled tables: visual row by visual row, cells left to right.

Tesseract's layout analysis splits a ruled table (once its rulings are painted out) into one
block per column, so a row's cells come out far apart. Where long vertical rulings mark a table
(at least ``min_vrulings`` of them, each at least ``min_height_frac`` of the page height, over a
common vertical span), the lines inside that span are regrouped into visual rows. Everything
else keeps tesseract's order; the table's rows go where its first line was.
"""

from __future__ import annotations

from manualtune.records import Line, Ruling


def table_spans(rulings: list[Ruling], height: int, min_height_frac: float = 0.3, min_vrulings: int = 2) -> list[tuple[int, int]]:
    """Vertical spans ``(y0, y1)`` covered by >= ``min_vrulings`` long overlapping vertical rulings."""
    long_v = sorted(
        (r.bbox for r in rulings if r.orientation == "v" and r.bbox.height >= min_height_frac * height),
        key=lambda b: (b.y0, b.y1),
    )
    groups: list[list] = []
    for b in long_v:
        for g in groups:
            y0, y1 = min(x.y0 for x in g), max(x.y1 for x in g)
            if min(b.y1, y1) - max(b.y0, y0) >= 0.5 * min(b.height, y1 - y0):
                g.append(b)
                break
        else:
            groups.append([b])
    spans = [(min(b.y0 for b in g), max(b.y1 for b in g)) for g in groups if len(g) >= min_vrulings]
    return sorted(spans)


def visual_rows(lines: list[Line]) -> list[list[Line]]:
    """Group lines whose vertical centre falls in a row's band; rows top-down, cells left-right."""
    rows: list[tuple[int, int, list[Line]]] = []
    for ln in sorted(lines, key=lambda ln: ((ln.bbox.y0 + ln.bbox.y1) / 2, ln.bbox.x0)):
        cy = (ln.bbox.y0 + ln.bbox.y1) / 2
        for y0, y1, members in rows:
            overlap = min(y1, ln.bbox.y1) - max(y0, ln.bbox.y0)
            if y0 <= cy <= y1 and overlap >= 0.5 * min(y1 - y0, ln.bbox.height):
                members.append(ln)
                break
        else:
            rows.append((ln.bbox.y0, ln.bbox.y1, [ln]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [sorted(m, key=lambda ln: (ln.bbox.x0, ln.bbox.y0)) for _, _, m in rows]


def order_lines(lines: list[Line], rulings: list[Ruling], height: int) -> tuple[list[Line], str]:
    """Lines in reading order and the page text (one printed line per text line)."""
    spans = table_spans(rulings, height)

    def span_of(ln: Line) -> int | None:
        cy = (ln.bbox.y0 + ln.bbox.y1) / 2
        return next((i for i, (y0, y1) in enumerate(spans) if y0 <= cy <= y1), None)

    out: list[Line] = []
    text_lines: list[str] = []
    emitted: set[int] = set()
    for ln in lines:
        i = span_of(ln)
        if i is None:
            out.append(ln)
            text_lines.append(ln.text)
        elif i not in emitted:
            emitted.add(i)
            for row in visual_rows([x for x in lines if span_of(x) == i]):
                out.extend(row)
                text_lines.append(" ".join(x.text for x in row))
    return out, "\n".join(text_lines)
