"""The HTML tech-spec sheet, structured like a typical enthusiast tech-spec page.

``table#techTable``: section heading rows (``<td><h2>Section</h2></td>``), then rows of a
label cell and either one ``colspan="2"`` value cell (both variants) or one value cell per
variant column. The truth lists every value cell (like ``M3-techspec.truth.json``) and the
numeric facts in them.
"""

from __future__ import annotations

import html
from typing import Any

from manualtune.sample.content import CR20, CR25T, HTML_SECTIONS, HTML_VARIANTS
from manualtune.sample.model import parse_printed
from manualtune.sample.render import SampleContentError

_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="generator" content="manualtune sample generator">
<title>Corvane 240 Repair Manual - Tech Specs</title>
<style>
body { font-family: sans-serif; }
#techTable td { padding: 2px 8px; }
.tableCellA { color: #222; }
</style>
</head>
<body>
\t<h1>Corvane 240 Repair Manual</h1>
    <div>Corvane 240i (CR20) and 240 Turbo (CR25T) &ndash; fictional sample vehicle</div>
\t\t\t<h2>Corvane 240 Tech Specs</h2>
\t<a href="./index.html">[back to Main Index]</a><br>
            <table id="techTable">
"""
_TAIL = """            </table>
</body>
</html>
"""


def _cell_html(value: str) -> str:
    return "<br>".join(html.escape(part, quote=False) for part in value.split("\n"))


def _cell_text(value: str) -> str:
    return " ".join(value.replace("\n", " ").split())


def build_html() -> tuple[str, dict[str, Any]]:
    """The HTML sheet text and its truth (rows[] + facts[])."""
    out = [_HEAD]
    rows: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    tr = 0
    for section, spec_rows in HTML_SECTIONS:
        out.append(f"                <tr>\n                <td><h2>{html.escape(section)}</h2></td>\n"
                   "                <td></td>\n                <td></td>\n                <td></td>\n                </tr>\n")
        tr += 1
        if section == HTML_SECTIONS[0][0]:
            out.append("                <tr>\n                <td style=\"vertical-align: top;\">Model Code:</td>\n")
            for v in HTML_VARIANTS:
                out.append(f"                <td style=\"vertical-align: top;\">\n"
                           f"                <span class=\"tableCellA\">{html.escape(v)}</span>\n                </td>\n")
            out.append("                <td></td>\n                </tr>\n")
            for v in HTML_VARIANTS:
                rows.append({"tr_index": tr, "section": section, "label": "Model Code:",
                             "label_context": "Model Code:", "variant": v, "value": v, "cell_class": "tableCellA"})
            tr += 1
        context = ""
        for r in spec_rows:
            context = r.label or context
            out.append(f"                <tr>\n                <td>{html.escape(r.label)}</td>\n")
            if len(r.values) == 1:
                out.append(f"                <td colspan=\"2\">\n                <span class=\"tableCellA\">"
                           f"{_cell_html(r.values[0])}</span>\n                </td>\n")
                cells = [("all", r.values[0])]
            else:
                for v in r.values:
                    out.append(f"                <td>\n                <span class=\"tableCellA\">"
                               f"{_cell_html(v)}</span>\n                </td>\n")
                cells = list(zip(HTML_VARIANTS, r.values, strict=True))
            out.append("                <td></td>\n                </tr>\n")
            for variant, value in cells:
                rows.append({"tr_index": tr, "section": section, "label": r.label, "label_context": context,
                             "variant": variant, "value": _cell_text(value), "cell_class": "tableCellA"})
            for f in r.facts:
                idx = {CR20: 0, CR25T: 1}.get(f.variant or "", 0) if len(cells) == 2 else 0
                text = _cell_text(cells[idx][1])
                if f.printed not in text:
                    raise SampleContentError(f"html: {f.printed!r} not in cell {text!r}")
                pv = parse_printed(f.printed)
                rec: dict[str, Any] = {
                    "component": f.component, "quantity": f.quantity, "value": pv.value,
                    "value_printed": f.printed, "unit": pv.unit, "unit_printed": pv.unit_printed,
                    "condition": f.condition, "variant": f.variant, "text": text, "section": section,
                    "label": context, "html_variant": cells[idx][0], "tr_index": tr,
                }
                if pv.value_max:
                    rec["value_max"] = pv.value_max
                if f.alt:
                    alt = parse_printed(f.alt)
                    rec["alt_value"], rec["alt_unit"] = alt.value, alt.unit
                facts.append(rec)
            tr += 1
    out.append(_TAIL)
    truth = {
        "schema": "manualtune-page-truth/1",
        "kind": "spec_table",
        "page_type": "html_techspec",
        "method": "generated: one record per value cell of table#techTable; <h2> rows set 'section'; "
                  "continuation rows (empty first td) inherit 'label_context'; two-cell rows get the variant "
                  "from the 'Model Code:' row, colspan=2 cells get variant 'all'; <br> joined with a space.",
        "variants": {HTML_VARIANTS[0]: CR20, HTML_VARIANTS[1]: CR25T},
        "row_count": len(rows),
        "rows": rows,
        "facts": facts,
    }
    return "".join(out), truth
