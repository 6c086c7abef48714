"""Facts and table blocks from HTML tech-spec sheets (``table#techTable``).

Walks the rows the way the sheet is printed: a row whose first cell holds an ``<h2>`` starts a
section; the "Model Code:" row names the model-variant columns (Coupe / Convertible); a cell
spanning both columns applies to all variants; a row with an empty label continues the label
above; a label row without values ("Fuel consumption (DIN litres/100 km):") prefixes the
following sub-labels ("@ 90 km/h"). The sheet's own variant (M3, 320is, …) comes from its
title. Values are read with :func:`manualtune.facts.values.parse_spec_text`; bare numbers are
kept only for ratio-like rows (gear ratios, compression ratio, Cw) and for rows whose label
prints the unit ("litres/100 km").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from manualtune.cache import sha256_file, short_id
from manualtune.facts.config import FactsConfig
from manualtune.facts.grammar import ParsedValue
from manualtune.facts.units import lookup_unit, normalise_number
from manualtune.facts.values import parse_spec_text
from manualtune.facts.variants import find_variants
from manualtune.ingest.inventory import decode_html
from manualtune.records import Block, Provenance, SpecFact, TableCell, TableRow


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ") if node is not None else "").strip()


@dataclass
class SheetRow:
    """One value cell of the sheet (the unit the truth file's ``rows[]`` also counts)."""

    tr_index: int
    section: str
    label: str
    label_context: str
    variant: str  # column name, or "all"
    value: str


def read_techspec_rows(html: str) -> tuple[str, list[SheetRow]]:
    """(sheet title, value cells) of ``table#techTable``; empty when the table is missing."""
    soup = BeautifulSoup(html, "html.parser")
    title = _text(soup.title) if soup.title else ""
    h2 = soup.find("h2")
    if h2 is not None and h2.find_parent("table") is None:
        title = f"{title} {_text(h2)}".strip()
    table = soup.find("table", id="techTable")
    if table is None:
        return title, []
    rows: list[SheetRow] = []
    section = ""
    columns: dict[int, str] = {}
    label_ctx = ""
    group = ""
    for i, tr in enumerate(table.find_all("tr")):
        tds = tr.find_all("td", recursive=False)
        if not tds:
            continue
        if tds[0].find("h2") is not None:
            section = _text(tds[0].find("h2"))
            label_ctx, group = "", ""
            continue
        label = _text(tds[0])
        cells: list[tuple[int, str, bool]] = []
        col = 1
        for td in tds[1:]:
            span = int(td.get("colspan", 1) or 1) if str(td.get("colspan", "1")).isdigit() else 1
            spans = td.find_all("span", class_="tableCellA")
            if spans:
                cells.append((col, " ".join(_text(s) for s in spans), span >= 2))
            col += span
        if label.lower().startswith("model code") and cells:
            columns = {c: v for c, v, _ in cells}
        if not cells:
            if label:
                group = label if label.endswith(":") else group
            continue
        if label:
            if group and not label.endswith(":"):
                label_ctx = f"{group} {label}"
            else:
                group = ""
                label_ctx = label
        elif not label_ctx:
            label_ctx = section
        for c, value, all_cols in cells:
            variant = "all" if all_cols or not columns else columns.get(c, "all")
            rows.append(SheetRow(i, section, label, label_ctx, variant, value))
    return title, rows


_RATIO_LABEL = re.compile(r"(?i)ratio|cw|coeff")
_ORDINAL = re.compile(r"^(?:(?P<gear>\d)\s*(?:st|nd|rd|th)|(?P<rev>R))\s+(?P<num>\d+(?:\.\d+)?)$")
_BARE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?:\s*:\s*1)?$")
_LABEL_UNIT = re.compile(r"\(([^()]*)\)")


def _bare_values(label: str, value: str) -> list[ParsedValue]:
    """Numbers printed without a unit: ratios, gears, and values whose label holds the unit."""
    m = _ORDINAL.match(value)
    if m:
        n = normalise_number(m.group("num")) or m.group("num")
        cond = f"{m.group('gear')}{_suffix(int(m.group('gear')))} gear" if m.group("gear") else "reverse gear"
        return [ParsedValue(value=n, unit="", unit_printed="", value_printed=m.group("num"), quantity="ratio",
                            condition=cond)]
    m = _BARE.match(value)
    if not m:
        return []
    n = normalise_number(m.group("num")) or m.group("num")
    if _RATIO_LABEL.search(label) or ":" in value:
        return [ParsedValue(value=n, unit="", unit_printed=value[m.end("num"):].strip(), value_printed=m.group("num"),
                            quantity="ratio")]
    for inner in _LABEL_UNIT.findall(label):
        words = inner.split()
        for cand in (" ".join(words[i:]) for i in range(len(words))):
            info = lookup_unit(cand)
            if info is not None:
                return [ParsedValue(value=n, unit=info.canonical, unit_printed=cand, value_printed=m.group("num"),
                                    quantity=info.quantity)]
    return []


def _column_variant(column: str, cfg: FactsConfig) -> str:
    """Variant of a value column: the configured variant it names ('240 Turbo (CR25T)' -> 'CR25T'),
    else its first word ('Coupe')."""
    names = find_variants(column, cfg.variants, cfg.variant_aliases)
    if len(names) == 1:
        return names[0]
    return column.split()[0] if column.split() else column


def cell_qualifiers(cell: str, spec: list[ParsedValue]) -> list[list[str]]:
    """Conditions each value of one cell gets from its neighbours: '178 Nm @ 4300 rpm' ->
    178 Nm 'at 4300 rpm', 4300 rpm 'for 178 Nm'; '0.20 - 0.25 mm intake 0.25 - 0.30 mm exhaust'
    -> 'intake' / 'exhaust' (one word printed right after a value, before the next or the end)."""
    text = re.sub(r"\s+", " ", cell or "").strip()
    out: list[list[str]] = [[] for _ in spec]
    for k, pv in enumerate(spec):
        word = re.match(r"\s+([a-z][a-z\-]+)(?=\s+\d|\s*$)", text[pv.end:])
        if word and len(spec) > 1:
            out[k].append(word.group(1))
        if not re.search(r"(?:@|\bat)\s*$", text[:pv.start]):
            continue
        hosts = [j for j in range(k - 1, -1, -1) if spec[j].quantity != pv.quantity]
        if hosts:
            host = spec[hosts[0]]
            out[hosts[0]].append(f"at {pv.value_printed} {pv.unit_printed}".strip())
            out[k].append(f"for {host.value_printed} {host.unit_printed}".strip())
    return out


def _suffix(n: int) -> str:
    return {1: "st", 2: "nd", 3: "rd"}.get(n, "th")


def _is_unit_label(inner: str) -> bool:
    """'(DIN litres/100 km)' prints the unit of the row; '(below 35 °C)' is a condition."""
    words = inner.split()
    suffixes = [" ".join(words[i:]) for i in range(len(words))]
    if any("/" in sfx and lookup_unit(sfx) for sfx in suffixes):
        return True
    return not re.search(r"\d", inner) and any(lookup_unit(sfx) for sfx in suffixes)


def _split_label(label_ctx: str) -> tuple[str, str | None, list[str]]:
    """'Valve clearance (below 35 °C):' -> ('Valve clearance', 'below 35 °C', []);
    'Track (front / rear):' -> ('Track', None, ['front', 'rear'])."""
    label = label_ctx.strip().rstrip(":").strip()
    cond: str | None = None
    parts: list[str] = []
    m = re.search(r"\(([^()]*)\)", label)
    if m:
        inner = m.group(1).strip()
        pieces = [p.strip() for p in inner.split("/")]
        if len(pieces) >= 2 and all(re.fullmatch(r"[A-Za-z ]+", p) for p in pieces):
            parts = pieces
        elif not _is_unit_label(inner):
            cond = inner
        label = (label[:m.start()] + label[m.end():]).strip()
        label = re.sub(r"\s+", " ", label).rstrip(":").strip()
    if ":" in label:  # "Fuel consumption: @ 90 km/h" -> component + sub-label condition
        head, sub = (x.strip() for x in label.split(":", 1))
        if head and sub:
            label, cond = head, "; ".join(x for x in (cond, sub) if x)
    return label, cond, parts


#: (quantity word of a row label, quantities its values may have): "Oil temperature: Do not exceed
#: 4000 rpm below 50 °C" prints a speed under a temperature label - the label does not name that value
LABEL_QUANTITIES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"(?i)\btemperature"), frozenset({"temperature"})),
    (re.compile(r"(?i)\bpressure"), frozenset({"pressure"})),
    (re.compile(r"(?i)\btorque"), frozenset({"torque", "angle"})),
    (re.compile(r"(?i)\bvoltage"), frozenset({"voltage"})),
    (re.compile(r"(?i)\bresistance"), frozenset({"resistance"})),
    (re.compile(r"(?i)\bcapacity"), frozenset({"volume"})),
)


def label_quantity_mismatch(label: str, quantity: str) -> str | None:
    """Why a value of ``quantity`` is not what ``label`` names (review reason), or None."""
    for rx, allowed in LABEL_QUANTITIES:
        if rx.search(label) and quantity not in allowed and quantity not in ("other", "ratio"):
            return f"label {label.strip()!r} names {'/'.join(sorted(allowed))}, the value is a {quantity}"
    return None


def parse_techspec_html(path: Path, rel: str, cfg: FactsConfig | None = None) -> tuple[list[SpecFact], list[Block]]:
    """Facts and one table block per section from an HTML tech-spec sheet.

    Provenance: ``file=rel``, ``page=1``, no bbox. The variant is the sheet's model (from its
    title, e.g. "M3") plus the column's model name when a value is given per column.
    Raises ``OSError``/``UnicodeDecodeError`` for unreadable files (the pipeline quarantines them).
    """
    cfg = cfg or FactsConfig()
    path = Path(path)
    html = decode_html(path.read_bytes())  # UTF-8, else the declared charset / cp1252 (never errors="replace")
    page_id = f"{rel}#p1@{sha256_file(path)[:12]}"
    title, rows = read_techspec_rows(html)
    sheet_variants = find_variants(title, cfg.variants, cfg.variant_aliases)
    sheet_variant = sheet_variants[0] if len(sheet_variants) == 1 else None  # a sheet for several: per column
    source = Provenance(file=rel, page=1, bbox=None, ocr_confidence=None, page_id=page_id)

    blocks: list[Block] = []
    by_section: dict[str, list[SheetRow]] = {}
    for r in rows:
        by_section.setdefault(r.section, []).append(r)
    block_of_section: dict[str, Block] = {}
    for order, (section, srows) in enumerate(by_section.items()):
        trs: dict[int, list[SheetRow]] = {}
        for r in srows:
            trs.setdefault(r.tr_index, []).append(r)
        table_rows = []
        for _, cells in sorted(trs.items()):
            tcells = [TableCell(text=cells[0].label_context, col=0)]
            tcells += [TableCell(text=c.value, col=i + 1, colspan=2 if c.variant == "all" else 1)
                       for i, c in enumerate(cells)]
            table_rows.append(TableRow(cells=tcells, section=section))
        text = "\n".join(" | ".join(c.text for c in tr.cells) for tr in table_rows)
        block = Block(
            block_id=f"{page_id}/b{order}", page_id=page_id, kind="table", order=order, text=text,
            rows=table_rows, section=section or None, meta={"source_kind": "html"}, source=source,
        )
        blocks.append(block)
        block_of_section[section] = block

    facts: list[SpecFact] = []
    seen: set[str] = set()
    for r in rows:
        component, label_cond, parts = _split_label(r.label_context)
        if not component:
            continue
        parsed = [p for p in parse_spec_text(r.value) if p.quantity != "wire"]
        if not parsed:
            parsed = _bare_values(r.label_context, r.value)
        spec = [p for p in parsed if p.role == "spec"]
        conds = [p.condition for p in parsed if p.role == "condition" and p.condition]
        column = None if r.variant == "all" else _column_variant(r.variant, cfg)
        variant = " ".join(dict.fromkeys(x for x in (sheet_variant, column) if x)) or None
        comps = [c.strip() for c in re.split(r"\s+x\s+", component)]
        qualifiers = cell_qualifiers(r.value, spec)
        for k, pv in enumerate(spec):
            comp = component
            cond_parts = [label_cond, pv.condition, *qualifiers[k]]
            if len(comps) == len(spec) and len(comps) > 1:
                comp = comps[k]
            elif parts and len(parts) == len(spec):
                cond_parts.append(parts[k])
            if k == len(spec) - 1 and conds:
                cond_parts.extend(conds)
            if column:
                cond_parts.append(r.variant)
            condition = "; ".join(c for c in cond_parts if c) or None
            fid = short_id(page_id, comp, pv.value if pv.value_max is None else f"{pv.value}-{pv.value_max}",
                           pv.unit, condition, variant)
            if fid in seen:
                continue
            seen.add(fid)
            block = block_of_section[r.section]
            # '240 Nm @ 4750 rpm' under 'Max Engine Torque': the speed of the labelled value, as for power
            speed_of_host = pv.quantity == "speed" and any(q.startswith("for ") for q in qualifiers[k])
            mismatch = None if speed_of_host else label_quantity_mismatch(r.label_context, pv.quantity)
            facts.append(SpecFact(
                fact_id=fid, component=comp, quantity=pv.quantity, value=pv.value, value_max=pv.value_max,
                tolerance=pv.tolerance, unit=pv.unit, value_printed=pv.value_printed,
                unit_printed=pv.unit_printed, condition=condition, variant=variant, stages=pv.stages,
                section=r.section or None, text=f"{r.label_context} {r.value}".strip(), source=source,
                ocr_confidence=None, block_id=block.block_id, needs_review=mismatch is not None,
                review_reason=mismatch,
            ))
    return facts, blocks
