"""Tables: ruled grids from ``PageOCR.rulings``, an unruled column-alignment fallback, row roles
(header row, section-heading rows, inherited variant) and linking of tables continued across pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import TextLine, centre, group_lines
from manualtune.layout.patterns import VARIANT_CELL, normalise_section, page_label_of
from manualtune.records import BBox, Block, Ruling, TableCell, TableRow, Word


@dataclass
class _Rule:
    pos: int  # y for horizontal rules, x for vertical ones
    lo: int  # start along the rule
    hi: int  # end along the rule


@dataclass
class Grid:
    """A ruled table: its box, the y of every row rule, the base column x edges and the vertical rules."""

    bbox: BBox
    row_ys: list[int]
    col_xs: list[int]
    vrules: list[_Rule]


def _merge_rules(rules: list[_Rule], tol: int) -> list[_Rule]:
    """Join collinear fragments (same position within ``tol``, touching or overlapping)."""
    out: list[_Rule] = []
    for r in sorted(rules, key=lambda r: (r.pos, r.lo)):
        for o in out:
            if abs(o.pos - r.pos) <= tol and r.lo <= o.hi + tol and r.hi >= o.lo - tol:
                o.lo, o.hi = min(o.lo, r.lo), max(o.hi, r.hi)
                break
        else:
            out.append(_Rule(r.pos, r.lo, r.hi))
    return out


def _cluster(values: list[int], tol: int) -> list[int]:
    out: list[int] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def find_ruled_tables(rulings: list[Ruling], cfg: LayoutConfig) -> list[Grid]:
    """Group intersecting ruling lines into grids (union-find); small or sparse groups are dropped."""
    tol = cfg.ruling_tol_px
    hs = _merge_rules(
        [_Rule((r.bbox.y0 + r.bbox.y1) // 2, r.bbox.x0, r.bbox.x1) for r in rulings if r.orientation == "h"], tol
    )
    vs = _merge_rules(
        [_Rule((r.bbox.x0 + r.bbox.x1) // 2, r.bbox.y0, r.bbox.y1) for r in rulings if r.orientation == "v"], tol
    )
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.lo - tol <= v.pos <= h.hi + tol and v.lo - tol <= h.pos <= v.hi + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for i in range(n):
        g = groups.setdefault(find(i), ([], []))
        (g[0] if i < len(hs) else g[1]).append(hs[i] if i < len(hs) else vs[i - len(hs)])
    grids: list[Grid] = []
    for g_h, g_v in groups.values():
        if len(g_h) < cfg.min_table_hlines or len(g_v) < cfg.min_table_vlines:
            continue
        x0, x1 = min(h.lo for h in g_h), max(h.hi for h in g_h)
        y0, y1 = min(v.lo for v in g_v), max(v.hi for v in g_v)
        width = max(1, x1 - x0)
        row_ys = _cluster([h.pos for h in g_h if h.hi - h.lo >= cfg.row_rule_min_frac * width], tol)
        col_xs = _cluster([v.pos for v in g_v], tol)
        if len(row_ys) < cfg.min_table_hlines or len(col_xs) < cfg.min_table_vlines:
            continue
        grids.append(Grid(BBox(x0=x0, y0=y0, x1=x1, y1=y1), row_ys, col_xs, g_v))
    grids.sort(key=lambda g: (g.bbox.y0, g.bbox.x0))
    return grids


_RULE_GLYPH = re.compile(r"^[|¦]+$")


#: a column header that says the column holds nominal values ("Valori nominali", OCR "Valord nominald"):
#: facts/nominal.py reads such columns; ocr/cells.py re-reads their unit glyphs (rule ``ohm_glyph``)
NOMINAL_COLUMN_CAPTION = re.compile(r"(?i)\bval\w*\s+nomina\w*|\bnominal\s+values?|\bspecified\s+values?|\bsollwerte?\b")
#: the same caption as the OCR reads it ('Volord nominali', 13-14): the layout's own use (caption
#: lines, nominal-values columns); ocr/cells.py keeps :data:`NOMINAL_COLUMN_CAPTION` (its output, its VERSION)
NOMINAL_CAPTION_AS_READ = re.compile(r"(?i)\bv[ao]l\w*\s+nomina\w*|\bnominal\s+values?|\bspecified\s+values?|\bsollwerte?\b")


def is_caption_line(text: str) -> bool:
    """True for a text line that is only a nominal-values caption ('|Valord nominald'): when the
    layout merged the header row into a cell (a missed double rule), its words' confidence is left
    out of the cell's."""
    m = NOMINAL_CAPTION_AS_READ.search(text)
    return m is not None and not re.search(r"\w", text[:m.start()] + text[m.end():])


def _cell_words(words: list[Word], rule_min_h: float | None = None) -> list[Word]:
    """Words of a cell without ruling lines read as text ('|').

    With ``rule_min_h`` (ruled cells: a share of the row height) a '|' shorter than that is a
    glyph (a lone 'l' in a Unit column reads as '|'), not a ruling remnant, and is kept.
    """
    return [
        w for w in words
        if not _RULE_GLYPH.match(w.text.strip()) or (rule_min_h is not None and w.bbox.height < rule_min_h)
    ]


def _cell_text(
    words: list[Word], cfg: LayoutConfig, rule_min_h: float | None = None
) -> tuple[str, BBox | None, float | None]:
    """Words of one cell as printed: lines top to bottom joined with a space.

    A last line that is a lone lower-case fragment of one or two letters is the tail of a word
    wrapped without a hyphen ("Dimensio" / "n") and is joined without a space.
    """
    words = _cell_words(words, rule_min_h)
    if not words:
        return "", None, None
    lines = group_lines(words, cfg)
    texts = [ln.text for ln in lines]
    if len(texts) >= 2 and re.fullmatch(r"[a-z]{1,2}", texts[-1]) and re.search(r"[A-Za-z]{3}$", texts[-2]):
        texts[-2:] = [texts[-2] + texts[-1]]
    text = " ".join(texts)
    scored = words
    if len(lines) >= 2 and is_caption_line(lines[0].text):
        scored = [w for ln in lines[1:] for w in ln.words]  # a merged header caption is no part of the cell's reading
    conf = round(sum(w.conf for w in scored) / len(scored), 1)
    return text, BBox.enclosing([w.bbox for w in words]), conf


#: words of a nominal value (rule ``value_words``): a comparison word, a number or range (digits, '...'),
#: signed ('-5...+5'), a unit right after the number ('V', '%', 'kΩ', OCR '¥', a rate 'giri/min'), a joining 'e' / 'o' between two values
_CMP_WORD = re.compile(r"(?i)^(?:maggiore|minore|di|max[.,]?|min[.,]?|c[.,]|ca[.,]?|approx[.,]?|[<>])$")
_NUM_WORD = re.compile(r"^[<>]?[-+]?\d[\d.,:;]*(?:(?:\.{2,}|[.,:;]{2,})[-+]?\d[\d.,]*)?(?:\s?(?P<unit>[^\d\s.,:;+\-][^\s]{0,3}))?$|^[.,:;]{2,}\d[\d.,]*$")
_RANGE_WORD = re.compile(r"^(?:\.{2,}|[.,:;]{2,}|\.\.\.|…)$")
_UNIT_WORD = re.compile(r"^(?!\()(?:[^\s\d]{1,3}|[A-Za-z]{1,4}/[A-Za-z]{1,4})[.,]?$")


def _value_segments(words: list[Word], cfg: LayoutConfig) -> list[tuple[list[Word], list[Word]]] | None:
    """The values a nominal-values cell opens with (rule ``value_words``), each as (its comparison and
    number words, its unit words apart from them: none when the unit is glued to the number); None
    when the cell does not open with a value."""
    lines = group_lines(_cell_words(words), cfg)
    if lines and is_caption_line(lines[0].text):
        lines = lines[1:]
    seq = [w for ln in lines for w in ln.words]
    i, out = 0, []
    while i < len(seq):
        seg: list[Word] = []
        while i < len(seq) and _CMP_WORD.match(seq[i].text):
            if seq[i].text.lower() != "di":  # 'maggiore di': the comparison is 'maggiore', 'di' carries nothing
                seg.append(seq[i])
            i += 1
        nums = 0
        unit = False
        while i < len(seq) and not unit:
            m = _NUM_WORD.match(seq[i].text)
            if m:
                nums += 1
                unit = bool(m.group("unit"))
            elif not (nums and _RANGE_WORD.match(seq[i].text)):
                break
            seg.append(seq[i])
            i += 1
        if not nums:
            break
        unit_words: list[Word] = []
        if not unit:
            if i >= len(seq) or not _UNIT_WORD.match(seq[i].text):
                return None  # a number without its unit: not a value cell this rule reads
            unit_words.append(seq[i])
            i += 1
        out.append((seg, unit_words))
        if i < len(seq) and seq[i].text.lower() in {"e", "o", "and", "or"}:
            i += 1
    return out or None


def value_digit_unit_confs(words: list[Word], cfg: LayoutConfig) -> tuple[float, float | None] | None:
    """Confidences of the value words of a nominal-values cell (rule ``value_words``): the cell's values
    come first (after a merged caption line), each a run of comparison words, numbers / range marks and
    one unit; what follows the last value is a remark ('(il LED si accende)', 'Forma segnale come ...')
    whose words neither lower nor raise them. (Mean confidence of the comparison and number words, mean
    confidence of all value words with the unit words printed apart from their numbers or None when
    there are none), None when the cell does not open with a value: the digits of the Bosch face are
    what is misread (5 / 6 / 8), while a faint one-glyph unit ('°' read at 40) is judged by the facts
    against what the row's description names (facts/nominal.py rules ``named_quantity_*``)."""
    segs = _value_segments(words, cfg)
    if not segs:
        return None
    digits = [w.conf for seg, _ in segs for w in seg]
    units = [w.conf for _, unit in segs for w in unit]
    both = digits + units
    return round(sum(digits) / len(digits), 1), (round(sum(both) / len(both), 1) if units else None)


def nominal_value_confs(rows: list[TableRow], grid: Grid, words: list[Word], cfg: LayoutConfig) -> list[TableRow]:
    """Rows with the cells of a nominal-values column scored by :func:`value_digit_unit_confs` where they
    open with a value. A nominal-values column: its caption is in one of the first two rows (own cell
    or merged into the first row's), or it is the grid's last column and each of its 3+ filled cells
    opens with a value (a table continued below a full-width note row: a grid of its own, no caption)."""
    def words_of(r: TableRow, c: TableCell) -> list[Word]:
        xa, xb = grid.col_xs[c.col], grid.col_xs[min(c.col + c.colspan, len(grid.col_xs) - 1)]
        return [w for w in words if xa <= centre(w.bbox)[0] < xb and r.bbox.y0 <= centre(w.bbox)[1] < r.bbox.y1]

    scored: dict[tuple[int, int], tuple[float, float | None] | None] = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(r.cells):
            if c.text and r.bbox is not None:
                scored[i, j] = value_digit_unit_confs(words_of(r, c), cfg)
    cols = {c.col for r in rows[:2] for c in r.cells if NOMINAL_CAPTION_AS_READ.search(c.text)}
    last = len(grid.col_xs) - 2
    in_last = [(i, j) for i, r in enumerate(rows) for j, c in enumerate(r.cells) if c.text and c.col == last and c.colspan == 1]
    if len(in_last) >= 3 and all(scored.get(k) is not None for k in in_last):
        cols.add(last)
    if not cols:
        return rows
    out = []
    for i, r in enumerate(rows):
        cells = [c.model_copy(update={"conf": sc[0], "with_units_conf": sc[1]})
                 if cols & set(range(c.col, c.col + c.colspan)) and (sc := scored.get((i, j))) is not None else c
                 for j, c in enumerate(r.cells)]
        out.append(r.model_copy(update={"cells": cells}))
    return out


def _row_edges(grid: Grid, top: int, bottom: int, tol: int) -> list[int]:
    """Indices into ``grid.col_xs`` of the vertical rules present in the row between ``top`` and ``bottom``."""
    mid = (top + bottom) / 2.0
    present = [
        i for i, x in enumerate(grid.col_xs)
        if any(abs(v.pos - x) <= tol and v.lo - tol <= mid <= v.hi + tol for v in grid.vrules)
    ]
    return sorted({0, len(grid.col_xs) - 1, *present})


def cell_boxes(grid: Grid, cfg: LayoutConfig) -> list[list[BBox]]:
    """Box of every cell of a ruled grid (between the rules, rules included), row by row; a cell
    spanning missing vertical rules is one box."""
    tol = cfg.ruling_tol_px
    out: list[list[BBox]] = []
    for top, bottom in zip(grid.row_ys, grid.row_ys[1:], strict=False):
        if bottom - top <= tol:
            continue
        edges = _row_edges(grid, top, bottom, tol)
        out.append([
            BBox(x0=grid.col_xs[a], y0=top, x1=grid.col_xs[b], y1=bottom) for a, b in zip(edges, edges[1:], strict=False)
        ])
    return out


def grid_rows(grid: Grid, words: list[Word], cfg: LayoutConfig) -> list[TableRow]:
    """Cells of a ruled grid; a word belongs to the cell holding its box centre.

    A cell that spans missing vertical rules gets ``colspan``; empty rows are dropped.
    """
    tol = cfg.ruling_tol_px
    rows: list[TableRow] = []
    for top, bottom in zip(grid.row_ys, grid.row_ys[1:], strict=False):
        if bottom - top <= tol:
            continue
        edges = _row_edges(grid, top, bottom, tol)
        row_words = [w for w in words if top <= centre(w.bbox)[1] < bottom]
        cells = _row_cells(grid, edges, row_words, cfg, row_height=bottom - top) or []
        if not any(c.text for c in cells):
            continue
        if len(rows) < 2 and any(c.colspan > 1 for c in cells):
            # a header row whose inner rules were not found: captions follow the grid columns
            split = _split_spanning(grid, cells, row_words, cfg)
            if split is not cells and is_header_row(TableRow(cells=split)):
                cells = split
        rows.append(TableRow(cells=cells, bbox=BBox(x0=grid.bbox.x0, y0=top, x1=grid.bbox.x1, y1=bottom)))
    return nominal_value_confs(rows, grid, words, cfg)


def _row_cells(
    grid: Grid, edges: list[int], row_words: list[Word], cfg: LayoutConfig, strict: bool = False,
    row_height: int | None = None,
) -> list[TableCell] | None:
    """Cells of one grid row between the given column edges (indices into ``grid.col_xs``).

    With ``strict`` a word that straddles a column edge makes the split invalid (None).
    ``row_height`` tells a glyph '|' from a ruling remnant (see :func:`_cell_words`).
    """
    tol = cfg.ruling_tol_px
    cells: list[TableCell] = []
    rule_min_h = 0.7 * row_height if row_height else None
    for a, b in zip(edges, edges[1:], strict=False):
        xa, xb = grid.col_xs[a], grid.col_xs[b]
        cw = [w for w in row_words if xa <= centre(w.bbox)[0] < xb]
        if strict and any(w.bbox.x0 < xa - tol or w.bbox.x1 > xb + tol for w in _cell_words(cw)):
            return None
        text, bbox, conf = _cell_text(cw, cfg, rule_min_h)
        cells.append(TableCell(text=text, bbox=bbox, conf=conf, col=a, colspan=b - a))
    return cells


def _split_spanning(grid: Grid, cells: list[TableCell], row_words: list[Word], cfg: LayoutConfig) -> list[TableCell]:
    """Cut every spanning cell after the first into its grid columns when no word crosses a
    column edge; returns ``cells`` itself when nothing could be cut."""
    out: list[TableCell] = []
    changed = False
    for k, c in enumerate(cells):
        if k == 0 or c.colspan == 1 or not c.text:
            out.append(c)
            continue
        xa, xb = grid.col_xs[c.col], grid.col_xs[c.col + c.colspan]
        cw = [w for w in row_words if xa <= centre(w.bbox)[0] < xb]
        parts = _row_cells(grid, list(range(c.col, c.col + c.colspan + 1)), cw, cfg, strict=True)
        if parts is None or sum(1 for p in parts if p.text) < 2:
            out.append(c)
            continue
        out.extend(parts)
        changed = True
    return out if changed else cells


def unruled_rows(lines: list[TextLine], cfg: LayoutConfig) -> list[TableRow]:
    """Best-effort table from column-aligned segments: columns = clusters of segment left edges."""
    segs = [(ln, seg) for ln in lines for seg in ln.segments]
    if not segs:
        return []
    h = max(4, sorted(ln.height for ln in lines)[len(lines) // 2])
    anchors = _cluster([seg[0].bbox.x0 for _, seg in segs], 2 * h)
    rows: list[TableRow] = []
    for ln in lines:
        cells: list[TableCell] = []
        for seg in ln.segments:
            col = min(range(len(anchors)), key=lambda i: abs(anchors[i] - seg[0].bbox.x0))
            text, bbox, conf = _cell_text(seg, cfg)
            if cells and cells[-1].col == col:
                cells[-1] = TableCell(
                    text=f"{cells[-1].text} {text}", bbox=cells[-1].bbox.union(bbox) if cells[-1].bbox and bbox else bbox,
                    conf=conf, col=col,
                )
            else:
                cells.append(TableCell(text=text, bbox=bbox, conf=conf, col=col))
        rows.append(TableRow(cells=cells, bbox=ln.bbox))
    return rows


def _filled(row: TableRow) -> list[TableCell]:
    return [c for c in row.cells if c.text.strip()]


def is_header_row(row: TableRow) -> bool:
    """Column captions: >= 2 short non-numeric cells, mostly capitalised words ("Type | Screw | Measure | Unit")."""
    cells = _filled(row)
    if len(cells) < 2:
        return False
    for c in cells:
        label = page_label_of(c.text)
        text = label[1] or "" if label else c.text
        words = text.split()
        if not words or len(words) > 4 or any(re.fullmatch(r"[\d.,/+-]+", w) for w in words):
            return False
        if not all(w[0].isupper() for w in words if w[0].isalpha()):
            return False
    return True


def annotate_rows(rows: list[TableRow], cfg: LayoutConfig) -> tuple[list[TableRow], str | None, str | None]:
    """Mark the header row, give every row the section of the table's own section-heading rows and
    the variant (type cell) in force. Returns (rows, page label found in the header, first section).

    A printed page label in the first header cell ("11 - 19 Engine") is taken out of the cell.
    """
    page_label: str | None = None
    variant_col: int | None = None
    section: str | None = None
    first_section: str | None = None
    variant: str | None = None
    out: list[TableRow] = []
    for i, row in enumerate(rows):
        cells = [c.model_copy() for c in row.cells]
        row = row.model_copy(update={"cells": cells})
        if i < 2 and not any(r.is_header for r in out) and is_header_row(row):
            row.is_header = True
            for c in cells:
                label = page_label_of(c.text)
                if label and page_label is None:
                    page_label = label[0]
                    c.text = label[1] or ""
                if c.text.strip().lower() in cfg.variant_headers:
                    variant_col = c.col
            out.append(row)
            continue
        filled = _filled(row)
        sec = normalise_section(filled[0].text) if len(filled) == 1 else None
        if sec:
            section = sec
            first_section = first_section or sec
            variant = None
        else:
            vcell = next(
                (c for c in filled if (variant_col is not None and c.col == variant_col)
                 or (variant_col is None and c.col > 0 and VARIANT_CELL.match(c.text))),
                None,
            )
            if vcell is not None:
                variant = vcell.text
        row.section = section
        row.variant = variant
        out.append(row)
    return out, page_label, first_section


def rows_text(rows: list[TableRow]) -> str:
    """Plain text of a table: one row per line, cells left to right joined by a space."""
    return "\n".join(" ".join(c.text for c in r.cells if c.text) for r in rows)


def _header_key(block: Block) -> tuple[str, ...] | None:
    for r in block.rows:
        if r.is_header:
            return tuple(c.text.strip().lower() for c in r.cells if c.text.strip())
    return None


def link_continued_tables(blocks_by_page: list[list[Block]], cfg: LayoutConfig | None = None) -> None:
    """Give rows of a table continued from the previous page the section in force there.

    ``blocks_by_page`` is one source folder's pages in page order. A table continues the previous
    one when it says so ("continued", "Fortsetzung") or repeats its header row; its rows before its
    own first section-heading row get the previous table's last section (and its variant when
    they have none). Blocks are updated in place.
    """
    cfg = cfg or LayoutConfig()
    last_section: str | None = None
    last_variant: str | None = None
    last_header: tuple[str, ...] | None = None
    for blocks in blocks_by_page:
        for block in blocks:
            if block.kind != "table" or not block.rows:
                continue
            header = _header_key(block)
            marked = any(m in block.text.lower() for m in cfg.continued_markers)
            continued = last_section is not None and (marked or (header is not None and header == last_header))
            if continued:
                for row in block.rows:
                    if row.section is not None:
                        break
                    if row.is_header:
                        continue
                    row.section = last_section
                    if row.variant is None:
                        row.variant = last_variant
                if block.section is None:
                    block.section = last_section
            for row in block.rows:
                if row.section is not None:
                    last_section = row.section
                if not row.is_header:
                    last_variant = row.variant
            last_header = header or last_header
