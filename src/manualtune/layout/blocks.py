"""``build_blocks``: OCR words of one page -> typed blocks in reading order.

Order of work: drop noise words; cut out ruled tables (``page.rulings``); take page headers and
footers (page label, frb id, date, section number) out of the top/bottom bands; find the column
split from the x histogram of the remaining words; build lines per column, group them into blocks
by vertical gaps and heading starts; classify each block; order them (headers, then per band the
left column fully before the right column, spanning lines between bands, then footers) and stamp
every block with the page's ``page_label`` and the ``section`` / ``repair_code`` in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import (
    TextLine,
    detached_edge_rows,
    detect_column_split,
    group_lines,
    inside,
    split_at_columns,
    split_segments,
)
from manualtune.layout.patterns import (
    DATE,
    FRB_ID,
    INDEX_ENTRY,
    STEP_NUMBER,
    SUBTITLE,
    TROUBLE_LABEL,
    WIRE_LABEL,
    is_figure_code,
    is_uppercase_line,
    label_against_file,
    label_kind,
    normalise_repair_code,
    normalise_section,
    page_kind_of,
    page_label_in_edge,
    page_label_of,
    parse_index_row,
)
from manualtune.layout.tables import annotate_rows, find_ruled_tables, grid_rows, rows_text, unruled_rows
from manualtune.layout.words import clean_words
from manualtune.records import BBox, Block, BlockKind, PageOCR, Provenance, TableRow, Word
from manualtune.stage_errors import stage_guard


@dataclass
class _Draft:
    """A block before ordering: kind, lines (or table rows), column (-1 spans both)."""

    kind: BlockKind
    lines: list[TextLine] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    column: int = 0
    box: BBox | None = None
    words: list[Word] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def bbox(self) -> BBox:
        if self.box is not None:
            return self.box
        return BBox.enclosing([ln.bbox for ln in self.lines])  # type: ignore[return-value]

    @property
    def all_words(self) -> list[Word]:
        return self.words or [w for ln in self.lines for w in ln.words]

    @property
    def text(self) -> str:
        if self.rows:
            return rows_text(self.rows)
        return "\n".join(ln.text for ln in self.lines)


def _all_words(page: PageOCR) -> list[Word]:
    return [w for ln in page.lines for w in ln.words if w.text.strip() and w.bbox.x1 > w.bbox.x0 and w.bbox.y1 > w.bbox.y0]


def _is_header_text(text: str) -> bool:
    t = " ".join(text.split())
    return bool(page_label_of(t) or FRB_ID.search(t) or DATE.match(t) or re.fullmatch(r"\d{1,3}", t))


def _is_heading_start(text: str) -> bool:
    t = text.strip()
    code = normalise_repair_code(t)
    if code:
        rest = re.sub(r"^\W{0,2}[\d .:,]{7,11}", "", t)
        return is_uppercase_line(rest) or not rest or _is_title_text(rest, t)
    return normalise_section(t) is not None and len(t.split()) <= 8


def _is_title_text(rest: str, line: str) -> bool:
    """Mixed-case operation title after a repair code ('Connecting rods – remove and'): starts with
    a capital, at most 10 words, no sentence end, not an index line (which ends in a page label)."""
    words = rest.split()
    return (
        bool(words) and rest[:1].isupper() and len(words) <= 10
        and not rest.rstrip().endswith((".", ":", ";")) and not INDEX_ENTRY.match(line)
    )


def _continues_heading(text: str) -> bool:
    """A heading's next line: capitals ('RODS'), a subtitle ('– Pistons Removed –'), a dash-led
    rest of the title ('– replace') or a short lower-case wrap ('install')."""
    t = text.strip()
    if is_uppercase_line(t) or _is_subtitle(t) or re.match(r"^[-–—~]\s*[A-Za-z]", t):
        return True
    return bool(t) and t[0].islower() and len(t.split()) <= 4 and not t.endswith(".")


def _is_subtitle(text: str) -> bool:
    """'– Pistons Removed –' / '– pistons removed –' (dash-enclosed)."""
    t = text.strip()
    return bool(SUBTITLE.match(t) or re.match(r"^[-–—~]\s*[A-Za-z][A-Za-z ,/]*?\s*[-–—~]$", t))


def _split_blocks(lines: list[TextLine], cfg: LayoutConfig) -> list[list[TextLine]]:
    """Lines of one column -> groups, cut at vertical gaps, heading starts and heading ends."""
    if not lines:
        return []
    med_h = median(ln.height for ln in lines)
    groups: list[list[TextLine]] = []
    in_heading = False
    prev_fig = False
    for ln in lines:
        start_heading = _is_heading_start(ln.text)
        fig = is_figure_code(ln.text)
        new = not groups or start_heading or fig or prev_fig
        prev_fig = fig
        if groups and not new:
            prev = groups[-1][-1]
            gap = ln.bbox.y0 - prev.bbox.y1
            if gap > cfg.block_gap_factor * med_h:
                new = True
            elif in_heading and not _continues_heading(ln.text):
                new = True
            elif label_kind(ln.text, cfg.warning_labels, cfg.caution_labels, cfg.note_labels) and not in_heading:
                # a label line ("Note:") inside a block stays in it; it is attached when procedures are built
                new = False
        if new:
            groups.append([ln])
            in_heading = start_heading
        else:
            groups[-1].append(ln)
            if in_heading and not _continues_heading(ln.text):
                in_heading = False
    return groups


def _letters(words: list[Word], cfg: LayoutConfig) -> int:
    return sum(sum(c.isalpha() for c in w.text) for w in words if w.conf >= cfg.text_word_conf)


def _classify(group: list[TextLine], cfg: LayoutConfig, in_procedure: bool) -> BlockKind | None:
    """Kind of a text block; None for photo noise."""
    text = " ".join(ln.text for ln in group)
    first = group[0].text.strip()
    if len(group) <= 2 and all(is_figure_code(ln.text) for ln in group):
        return "figure_caption"
    if _letters([w for ln in group for w in ln.words], cfg) < cfg.min_block_letters:
        return None
    if _is_heading_start(first):
        return "heading"
    label = label_kind(first, cfg.warning_labels, cfg.caution_labels, cfg.note_labels)
    if label and not in_procedure:
        return label  # type: ignore[return-value]
    if label and in_procedure and len(text.split()) <= 3:
        return label  # type: ignore[return-value]
    if len(group) == 1 and is_uppercase_line(first) and len(first.split()) >= 2 and not in_procedure:
        return "heading"
    if in_procedure or STEP_NUMBER.match(first):
        return "procedure_step"
    return "paragraph"


def _split_numbered(group: list[TextLine]) -> list[list[TextLine]]:
    """A block that starts with a printed step number is split at each numbered line."""
    if not STEP_NUMBER.match(group[0].text.strip()):
        return [group]
    out: list[list[TextLine]] = []
    for ln in group:
        if not out or STEP_NUMBER.match(ln.text.strip()):
            out.append([ln])
        else:
            out[-1].append(ln)
    return out


def _page_kind(words: list[Word], cfg: LayoutConfig) -> BlockKind | None:
    """Whole-page kinds recognised from line patterns: index, wiring, troubleshooting.

    Decided on the full visual rows of every word of the page (headers and tables included, no
    column cut), so an operation number stays on its index row and a 'Troubleshooting' header
    counts (:func:`manualtune.layout.patterns.page_kind_of`)."""
    return page_kind_of([ln.text for ln in group_lines(words, cfg)])  # type: ignore[return-value]


_TROUBLE_START = re.compile(r"^\W{0,2}(?:symptom|complaint|fault|problem|(?:test )?requirements?)\s*[:.–—-]", re.IGNORECASE)


def _split_trouble(group: list[TextLine]) -> list[list[TextLine]]:
    """A troubleshooting block is split where a 'Symptom:' / 'Requirements:' line starts an entry."""
    out: list[list[TextLine]] = []
    for ln in group:
        if not out or (_TROUBLE_START.match(ln.text.strip()) and TROUBLE_LABEL.match(ln.text.strip())):
            out.append([ln])
        else:
            out[-1].append(ln)
    return out


def _index_drafts(words: list[Word], cfg: LayoutConfig) -> list[_Draft]:
    """Index page rows -> one ``index_entry`` draft per entry (meta op, printed_op, title, page_ref);
    a wrapped title row joins its entry; other rows (titles, column headers) stay paragraphs."""
    drafts: list[_Draft] = []
    group: str | None = None
    for row in group_lines(words, cfg):
        text = row.text.strip()
        entry = parse_index_row(text, group)
        if entry is not None:
            group = entry["op"][:5]
            drafts.append(_Draft(kind="index_entry", lines=[row], meta=entry))
            continue
        prev = drafts[-1] if drafts else None
        wrapped = text[:1].islower() or text.startswith("(")
        if prev is not None and prev.kind == "index_entry" and not prev.meta.get("page_ref") and wrapped:
            prev.lines.append(row)
            joined = parse_index_row(" ".join(ln.text for ln in prev.lines), None if prev.meta["op"] == prev.meta["printed_op"] else prev.meta["op"][:5])
            if joined is not None:
                prev.meta.update(joined)
            continue
        drafts.append(_Draft(kind="paragraph", lines=[row]))
    return drafts


def _is_label_segment(seg: list[Word]) -> bool:
    """A diagram label printed beside the text of a wiring page ('BATTERY ——', 'F1 80A', 'G1'):
    no lower-case word, something alphanumeric."""
    text = " ".join(w.text for w in seg)
    return bool(re.search(r"[A-Z0-9]", text)) and not re.search(r"[a-z]{2}", text)


def _split_diagram_labels(lines: list[TextLine]) -> list[TextLine]:
    """Wiring pages: trailing diagram-label segments of a prose line become their own line in an
    extra column, so the prose block reads as printed and the labels form a block of their own."""
    label_col = max((ln.column for ln in lines), default=0) + 1
    out: list[TextLine] = []
    for ln in lines:
        segs = ln.segments
        cut = next((i for i in range(1, len(segs)) if all(_is_label_segment(s) for s in segs[i:])), None)
        if ln.side or cut is None or not re.search(r"[a-z]{3}", " ".join(w.text for s in segs[:cut] for w in s)):
            out.append(ln)
            continue
        out.append(TextLine(words=[w for s in segs[:cut] for w in s], column=ln.column, segments=segs[:cut]))
        out.extend(TextLine(words=s, column=label_col, segments=[s]) for s in segs[cut:])  # one label per line
    return out


def _is_note_box(text: str) -> bool:
    """A sentence box printed on a diagram ('CHARGE INDICATOR PROVIDES … IF BULB BURNS OUT.')."""
    t = " ".join(text.split())
    return len(t.split()) >= 6 and re.search(r"[A-Za-z)]\.(?:\s|$)", t) is not None


def _wiring_circuit(blocks: list[Block]) -> str | None:
    """Circuit name of a wiring page: its first heading ('6120 Charging Circuit' -> 'Charging Circuit'),
    else a header that is not only a page label ('1230-0 CHARGE' -> 'CHARGE')."""
    for kinds in (("heading",), ("header",)):
        for b in blocks:
            if b.kind in kinds and b.meta.get("role") != "diagram_label":
                name = re.sub(r"^[\d\s.:\-–—]+", "", " ".join(b.text.split())).strip()
                if re.search(r"[A-Za-z]{3}", name) and not page_label_of(b.text):
                    return name
    return None


def _body_lines(words: list[Word], split: int | None, width: int, cfg: LayoutConfig,
                wiring: bool = False) -> list[TextLine]:
    """Lines per column; a segment crossing the split is a spanning line (column -1). On a wiring page
    (``wiring``) a wire label that opens a line ('.5 BR' left of '.75 BR') is no side noise."""
    out: list[TextLine] = []
    for ln in group_lines(words, cfg):
        per_col = split_at_columns(ln, split, width, cfg)
        for col in sorted(per_col):
            segs = per_col[col]
            while len(segs) > 1 and _is_side_noise(segs[0], cfg) and not (
                    wiring and WIRE_LABEL.fullmatch(" ".join(w.text for w in segs[0]))):
                if is_figure_code(" ".join(w.text for w in segs[0])):
                    out.append(TextLine(words=segs[0], column=col, segments=[segs[0]], side=True))
                segs = segs[1:]
            out.append(TextLine(words=[w for s in segs for w in s], column=col, segments=segs))
    return out


def _is_side_noise(seg: list[Word], cfg: LayoutConfig) -> bool:
    """A short segment left of a column's text on the same line: photo text, callouts, figure codes."""
    text = " ".join(w.text for w in seg)
    mean_conf = sum(w.conf for w in seg) / len(seg)
    return is_figure_code(text) or (len(seg) <= 2 and mean_conf < cfg.text_word_conf) or all(
        len(w.text) <= 2 for w in seg
    )


def _unruled_tables(group: list[TextLine], cfg: LayoutConfig) -> list[tuple[str, list[TextLine]]]:
    """Split a block into ('text', lines) / ('table', lines) runs by multi-segment alignment."""
    runs: list[tuple[str, list[TextLine]]] = []
    for ln in group:
        kind = "table" if len(ln.segments) >= cfg.unruled_min_segments else "text"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(ln)
        else:
            runs.append((kind, [ln]))
    out: list[tuple[str, list[TextLine]]] = []
    for kind, lines in runs:
        if kind == "table" and len(lines) < cfg.unruled_min_lines:
            kind = "text"
        if out and out[-1][0] == kind == "text":
            out[-1][1].extend(lines)
        else:
            out.append((kind, lines))
    return out


def _order_key(d: _Draft, spans: list[int]) -> tuple[int, int, int, int]:
    b = d.bbox
    if d.kind == "header":
        return (-1, 0, b.y0, b.x0)
    if d.kind == "footer":
        return (10**6, 0, b.y0, b.x0)
    if d.column == -1:
        j = spans.index(b.y0) + 1
        return (2 * j - 1, 0, b.y0, b.x0)
    band = sum(1 for s in spans if s <= b.y0)
    return (2 * band, d.column, b.y0, b.x0)


def build_blocks(page: PageOCR, cfg: LayoutConfig | None = None) -> list[Block]:
    """Blocks of one page in reading order (see the module docstring). Inside a build, a page that
    cannot be laid out yields no blocks and a stage error (``records/stage_errors.jsonl``); outside
    one the exception propagates."""
    cfg = cfg or LayoutConfig()
    blocks: list[Block] = []
    with stage_guard("layout", page.page_id):
        blocks = _build_blocks(page, cfg)
    return blocks


def _build_blocks(page: PageOCR, cfg: LayoutConfig) -> list[Block]:
    raw = _all_words(page)
    drafts: list[_Draft] = []
    page_label: str | None = None

    # 1. ruled tables (cells are bounded, so every word inside counts whatever its confidence)
    rest = raw
    for grid in find_ruled_tables(page.rulings, cfg):
        tw = [w for w in rest if inside(w.bbox, grid.bbox)]
        rows = grid_rows(grid, tw, cfg)
        if sum(1 for r in rows if sum(1 for c in r.cells if c.text) >= 2) < 1 or len(rows) < 2:
            continue
        rows, label, _ = annotate_rows(rows, cfg)
        page_label = page_label or label
        if label:
            drafts.append(_Draft(kind="header", box=rows[0].cells[0].bbox or grid.bbox, words=[], meta={"text": label}))
        drafts.append(_Draft(kind="table", rows=rows, box=grid.bbox, words=tw, column=-1, meta={"ruled": "true"}))
        ids = {id(w) for w in tw}
        rest = [w for w in rest if id(w) not in ids]

    # 2. headers / footers in the page bands
    top = page.height * cfg.header_band_frac
    bottom = page.height * (1.0 - cfg.footer_band_frac)
    body: list[Word] = []
    band_lines = group_lines([w for w in rest if w.bbox.y1 <= top or w.bbox.y0 >= bottom], cfg)
    taken: set[int] = set()
    for ln in band_lines:
        for seg in split_segments(ln, cfg):
            seg_line = TextLine(words=seg)
            if _is_header_text(seg_line.text):
                kind: BlockKind = "header" if seg_line.bbox.y1 <= top else "footer"
                drafts.append(_Draft(kind=kind, lines=[seg_line]))
                taken.update(id(w) for w in seg)
                label = page_label_of(seg_line.text)
                if label and page_label is None:
                    page_label = label[0]
    body = clean_words([w for w in rest if id(w) not in taken], cfg)
    heads, feet = detached_edge_rows(body, page.height, cfg)
    for kind, rows in (("header", heads), ("footer", feet)):
        for ln in rows:
            drafts.append(_Draft(kind=kind, lines=[ln]))  # type: ignore[arg-type]
            taken.update(id(w) for w in ln.words)
    body = [w for w in body if id(w) not in taken]
    if page_label is None:  # a label printed inside a running header/footer line ("21 Clutch 21-3")
        for d in drafts:
            if d.kind in ("header", "footer") and d.lines:
                page_label = page_label_in_edge(" ".join(ln.text for ln in d.lines))
                if page_label:
                    break
    page_label = label_against_file(page_label, page.source)

    # 3. columns, lines, blocks
    split = detect_column_split(body, page.width, cfg)
    page_kind = _page_kind(raw, cfg)
    lines = _body_lines(body, split, page.width, cfg, wiring=page_kind == "wiring")
    if page_kind == "index_entry":
        # index rows keep their short op-code groups ('11 22') that the noise filter drops
        drafts.extend(_index_drafts([w for w in rest if id(w) not in taken and w.conf >= cfg.min_word_conf], cfg))
        lines = []
    elif page_kind == "wiring":
        lines = _split_diagram_labels(lines)
    for col in sorted({ln.column for ln in lines}):
        col_lines = [ln for ln in lines if ln.column == col]
        for ln in col_lines:
            if ln.side:
                drafts.append(_Draft(kind="figure_caption", lines=[ln], column=col))
        col_lines = [ln for ln in col_lines if not ln.side]
        groups = [[ln] for ln in col_lines] if col == -1 else _split_blocks(col_lines, cfg)
        for group in groups:
            for kind, run in _unruled_tables(group, cfg):
                if kind == "table":
                    rows, _, _ = annotate_rows(unruled_rows(run, cfg), cfg)
                    drafts.append(_Draft(kind="table", rows=rows, column=col, box=BBox.enclosing([ln.bbox for ln in run]),
                                         words=[w for ln in run for w in ln.words], meta={"ruled": "false"}))
                    continue
                for sub in (_split_trouble(run) if page_kind == "troubleshooting" else _split_numbered(run)):
                    drafts.append(_Draft(kind="paragraph", lines=sub, column=col))

    # 4. order, then classify with the procedure context of the reading order
    spans = sorted({d.bbox.y0 for d in drafts if d.column == -1 and d.kind not in ("header", "footer")})
    drafts.sort(key=lambda d: _order_key(d, spans))
    blocks: list[Block] = []
    section: str | None = None
    repair_code: str | None = None
    in_procedure = False
    for d in drafts:
        kind: BlockKind | None = d.kind
        if d.kind == "paragraph":
            kind = _classify(d.lines, cfg, in_procedure)
            if kind is None and page_kind == "wiring" and any(WIRE_LABEL.search(ln.text) for ln in d.lines):
                kind = "paragraph"  # a lone wire label ('25 BK', '16 BR') has too few letters for a text block
            if kind is None:
                continue
            if page_kind in ("wiring", "troubleshooting") and kind in ("paragraph", "procedure_step"):
                kind = page_kind
                if page_kind == "wiring" and not re.search(r"[a-z]{2}", d.text) and not _is_note_box(d.text):
                    d.meta["role"] = "diagram_label"
            elif page_kind == "wiring" and kind == "heading" and not _is_heading_start(d.lines[0].text):
                # capitals beside the wires ('CHARGE LAMP G1', '.75 BR 1.5 BR'): wiring text, not a title
                kind, d.meta["role"] = "wiring", "diagram_label"
        text = d.meta.pop("text", None) or d.text
        meta = dict(d.meta)
        if kind == "heading":
            code = normalise_repair_code(text)
            sec = normalise_section(text)
            if code:
                repair_code, in_procedure = code, True
                title_lines = [ln.text for ln in d.lines if not _is_subtitle(ln.text)]
                subtitle = [ln.text.strip() for ln in d.lines if _is_subtitle(ln.text)]
                meta["repair_code"] = code
                title = re.sub(r"^\W{0,2}[\d .:,]{7,11}\s*", "", " ".join(title_lines))
                meta["title"] = title.strip().rstrip(".,;:")
                if subtitle:
                    meta["subtitle"] = " ".join(subtitle)
            elif sec:
                section, repair_code, in_procedure = sec, None, False
            else:
                in_procedure = False
        if kind == "table":
            for r in d.rows:
                if r.section:
                    section = section or r.section
        if kind == "procedure_step":
            m = STEP_NUMBER.match(text.strip())
            if m:
                meta["step_number"] = m.group(1) or m.group(2)
        ws = d.all_words
        conf = round(sum(w.conf for w in ws) / len(ws), 1) if ws else None
        order = len(blocks)
        table_section = next((r.section for r in d.rows if r.section), None) if d.rows else None
        blocks.append(
            Block(
                block_id=f"{page.page_id}/b{order:03d}",
                page_id=page.page_id,
                kind=kind,  # type: ignore[arg-type]
                order=order,
                text=text,
                column=max(0, d.column),
                rows=d.rows,
                section=table_section or section,
                repair_code=repair_code,
                meta=meta,
                source=Provenance(file=page.source, page=page.page, bbox=d.bbox, ocr_confidence=conf, page_id=page.page_id),
            )
        )
    circuit = _wiring_circuit(blocks) if page_kind == "wiring" else None
    for b in blocks:
        b.page_label = page_label
        if page_kind and b.kind in ("wiring", "troubleshooting", "table", "paragraph"):
            b.meta.setdefault("page_kind", page_kind)
        if circuit and (b.kind in ("wiring", "table") or b.meta.get("role") == "diagram_label"):
            b.meta.setdefault("circuit", circuit)
    return blocks
