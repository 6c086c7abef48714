"""The HTML page of one eval file: headline figures, per kind / task, every row (failures first)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, select_autoescape

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>manualtune eval: {{ d.system }} {{ d.probe_set }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3}.bad{background:#fde8e8}.ok{background:#eaf7ea}pre{white-space:pre-wrap;margin:0}
</style></head><body>
<h1>Evaluation: <code>{{ d.system }}</code></h1>
<p>Probe set <code>{{ d.probe_set }}</code>, {{ d.n }} probes ({{ d.n_answerable }} answerable,
{{ d.n_unanswerable }} unanswerable){% if d.run %}, run <code>{{ d.run.run_id }}</code>{% endif %}.</p>
{% macro figs(s) %}<td>{{ s.n }}</td><td>{{ pct(s.exact_match) }}</td><td>{{ pct(s.hallucination_rate) }}</td>
<td>{{ pct(s.refusal_rate) }}</td><td>{{ pct(s.false_refusal_rate) }}</td><td>{{ pct(s.unit_compliance) }}</td>{% endmacro %}
<table><tr><th></th><th>n</th><th>exact match</th><th>hallucination</th><th>refusal (unanswerable)</th>
<th>false refusal</th><th>unit compliance</th></tr>
<tr><th>all</th>{{ figs(d) }}</tr>
{% for k, s in d.by_kind.items() %}<tr><th>kind: {{ k }}</th>{{ figs(s) }}</tr>{% endfor %}
{% for k, s in d.by_task.items() %}<tr><th>task: {{ k }}</th>{{ figs(s) }}</tr>{% endfor %}
</table>
<p>Timing: {% for k, v in d.timing.items() %}{{ k }} = {{ v }}{% if not loop.last %}, {% endif %}{% endfor %}</p>
<h2>Rows</h2>
<table><tr><th>kind / task</th><th>question</th><th>answer</th><th>reference</th><th>exact</th><th>invented numbers</th></tr>
{% for r in rows %}<tr class="{{ 'ok' if r.exact else 'bad' }}"><td>{{ r.kind }}<br>{{ r.task }}</td>
<td>{{ r.question }}{% if r.source %}<br><small>{{ r.source.file }} p. {{ r.source.page }}</small>{% endif %}</td>
<td><pre>{{ r.answer }}</pre></td><td><pre>{{ r.reference }}</pre></td><td>{{ 'yes' if r.exact else 'no' }}
{% if r.refused %}(refused){% endif %}</td><td>{{ r.hallucinated | join(', ') }}</td></tr>{% endfor %}
</table></body></html>
"""


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.1f} %"


def write_eval_html(doc: dict, path: Path) -> Path:
    env = Environment(autoescape=select_autoescape(default=True))
    tpl = env.from_string(_TEMPLATE)
    rows = sorted(doc["rows"], key=lambda r: (bool(r["exact"]), r["kind"], r["task"], r["id"]))
    path.write_text(tpl.render(d=doc, rows=rows, pct=_pct), encoding="utf-8")
    return path
