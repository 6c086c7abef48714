"""The comparison table of all runs (terminal / CSV / JSON / static HTML) and the experiment-log page.

Columns come from each run's config and results, plus the evaluation side's headline figures: for each
system, the newest ``<run_dir>/eval/<system>-<probeset_hash>.json`` gives ``em_<system>``,
``halluc_<system>`` and ``refusal_<system>`` (with the probe-set hash in ``probes_<system>``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from manualtune.cache import atomic_write_text
from manualtune.train.registry import LOSS_PNG, SAMPLES_FILE, list_runs, read_jsonl, read_metrics, read_run

BASE_COLUMNS = (
    "run_id", "status", "kind", "model", "method", "task", "r", "alpha", "lr", "epochs", "batch", "steps",
    "dataset", "final_train_loss", "eval_loss", "eval_token_accuracy", "minutes", "tokens_per_s",
    "peak_memory_mb", "trainable_params",
)
EVAL_FIGURES = {"em": "exact_match", "halluc": "hallucination_rate", "refusal": "refusal_rate"}


def _model_name(model: dict) -> str:
    return model.get("gguf_file") or model.get("gguf_package") or Path(model.get("name_or_path") or "?").name


def eval_figures(run_dir: Path) -> dict:
    """Headline figures of the newest eval file per system (by mtime, then name)."""
    out: dict = {}
    eval_dir = run_dir / "eval"
    if not eval_dir.is_dir():
        return out
    newest: dict[str, tuple[float, str, dict]] = {}
    for path in sorted(eval_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        system = str(data.get("system") or path.stem.rsplit("-", 1)[0])
        key = (path.stat().st_mtime, path.name, data)
        if system not in newest or key[:2] > newest[system][:2]:
            newest[system] = key
    for system, (_, name, data) in sorted(newest.items()):
        for short, field in EVAL_FIGURES.items():
            if field in data:
                out[f"{short}_{system}"] = data[field]
        out[f"probes_{system}"] = data.get("probe_set") or name.rsplit("-", 1)[-1].removesuffix(".json")
    return out


def run_row(run_dir: Path) -> dict:
    rec = read_run(run_dir)
    cfg = rec.get("config", {})
    model, lora, tr = cfg.get("model", {}), cfg.get("lora", {}), cfg.get("training", {})
    res = rec.get("results", {})
    row = {
        "run_id": rec["run_id"],
        "status": rec.get("status"),
        "kind": rec.get("kind", "train"),
        "model": _model_name(model),
        "method": cfg.get("method", ""),
        "task": rec.get("task") or ("+".join(sorted(rec.get("adapters", {}))) if rec.get("adapters") else "all"),
        "r": lora.get("r"),
        "alpha": lora.get("alpha"),
        "lr": tr.get("lr"),
        "epochs": tr.get("epochs"),
        "batch": tr.get("batch_size"),
        "steps": res.get("steps"),
        "dataset": (rec.get("dataset_fingerprint") or {}).get("id"),
        "final_train_loss": res.get("final_train_loss"),
        "eval_loss": res.get("eval_loss"),
        "eval_token_accuracy": res.get("eval_token_accuracy"),
        "minutes": res.get("minutes"),
        "tokens_per_s": res.get("tokens_per_s"),
        "peak_memory_mb": res.get("peak_memory_mb"),
        "trainable_params": rec.get("trainable_params"),
    }
    row.update(eval_figures(run_dir))
    return row


def collect_rows(runs_dir: Path) -> list[dict]:
    return [run_row(p) for p in list_runs(runs_dir)]


def columns_of(rows: list[dict]) -> list[str]:
    extra = sorted({k for r in rows for k in r} - set(BASE_COLUMNS))
    return list(BASE_COLUMNS) + extra


def fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    cols = columns_of(rows)
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: fmt(r.get(c)) for c in cols})
    return buf.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps({"columns": columns_of(rows), "runs": rows}, indent=2, sort_keys=True)


TERMINAL_COLUMNS = ("run_id", "status", "model", "task", "r", "lr", "steps", "final_train_loss", "eval_loss",
                    "eval_token_accuracy", "minutes", "tokens_per_s")


def rich_table(rows: list[dict], title: str = "manualtune runs"):
    """The terminal table: the main columns plus every eval figure (all columns: --format csv/json)."""
    from rich.table import Table

    evals = sorted({k for r in rows for k in r if k.split("_", 1)[0] in EVAL_FIGURES})
    table = Table(title=title)
    for c in (*TERMINAL_COLUMNS, *evals):
        table.add_column(c, overflow="fold",
                         justify="left" if c in ("run_id", "status", "model", "task") else "right")
    for r in rows:
        table.add_row(*(fmt(r.get(c)) for c in (*TERMINAL_COLUMNS, *evals)))
    return table


_SORT_JS = """
document.querySelectorAll('th').forEach((th, i) => th.addEventListener('click', () => {
  const tb = th.closest('table').tBodies[0], asc = th.dataset.asc !== '1';
  th.dataset.asc = asc ? '1' : '0';
  const key = td => { const v = td.dataset.v; const n = parseFloat(v); return isNaN(n) ? v : n; };
  [...tb.rows].sort((a, b) => { const x = key(a.cells[i]), y = key(b.cells[i]);
    return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1); }).forEach(r => tb.appendChild(r));
}));
"""


def to_html(rows: list[dict], runs_dir: Path) -> str:
    cols = columns_of(rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(
            f'<td data-v="{html.escape(fmt(r.get(c)))}">'
            + (f'<a href="{html.escape(r["run_id"])}/run.json">{html.escape(fmt(r.get(c)))}</a>' if c == "run_id"
               else html.escape(fmt(r.get(c)))) + "</td>"
            for c in cols) + "</tr>"
        for r in rows
    )
    curves = "".join(
        f'<figure><img src="{html.escape(r["run_id"])}/{LOSS_PNG}" alt="loss curve of {html.escape(r["run_id"])}">'
        f"<figcaption>{html.escape(r['run_id'])}</figcaption></figure>"
        for r in rows if (runs_dir / r["run_id"] / LOSS_PNG).is_file()
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>manualtune runs</title><style>"
        "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:12px}"
        "th,td{border:1px solid #ccc;padding:2px 6px}th{cursor:pointer;background:#eee}"
        "figure{display:inline-block;margin:4px}img{width:360px}figcaption{font-size:11px}"
        "</style></head><body><h1>manualtune runs</h1><p>Click a column header to sort.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<h2>Loss curves</h2>{curves}<script>{_SORT_JS}</script></body></html>\n"
    )


def write_index(runs_dir: Path) -> list[dict]:
    """Write ``runs.csv`` and ``index.html`` into ``runs_dir``; returns the rows."""
    rows = collect_rows(runs_dir)
    if Path(runs_dir).is_dir():
        atomic_write_text(Path(runs_dir) / "runs.csv", to_csv(rows))
        atomic_write_text(Path(runs_dir) / "index.html", to_html(rows, Path(runs_dir)))
    return rows


def experiment_log(run_dir: Path) -> str:
    """One run as the experiment-log page (Markdown): Hypothesis, Config, Training observations,
    Eval results, Learnings."""
    rec = read_run(run_dir)
    cfg = rec.get("config", {})
    res = rec.get("results", {})
    metrics = read_metrics(run_dir)
    losses = [m["loss"] for m in metrics if "loss" in m]
    lines = [f"# Run {rec['run_id']} ({rec.get('status')})", "", "## Hypothesis", "",
             rec.get("hypothesis") or "(none recorded)", "", "## Config", ""]
    model = cfg.get("model", {})
    lines += [
        f"- model: {_model_name(model)} ({rec.get('method_note', cfg.get('method', ''))})",
        f"- chat template: {rec.get('chat_template', '?')}",
        f"- LoRA: r={cfg.get('lora', {}).get('r')} alpha={cfg.get('lora', {}).get('alpha')} "
        f"dropout={cfg.get('lora', {}).get('dropout')} targets={cfg.get('lora', {}).get('target_modules')}",
        "- training: " + ", ".join(f"{k}={cfg.get('training', {}).get(k)}" for k in
                                    ("epochs", "max_steps", "batch_size", "gradient_accumulation", "lr",
                                     "max_length", "packing")),
        f"- task filter: {rec.get('task') or 'all tasks'}",
        f"- dataset: {(rec.get('dataset_fingerprint') or {}).get('id')} from {rec.get('build_dir')}",
        f"- git commit: {rec.get('git_commit')}",
        "", "## Training observations", "",
    ]
    if losses:
        lines.append(f"- train loss {losses[0]:.4f} -> {losses[-1]:.4f} over {res.get('steps')} steps "
                     f"(min {min(losses):.4f}); curve: {LOSS_PNG}")
    lines += [
        f"- wall time {res.get('minutes')} min, {res.get('tokens_per_s')} tokens/s, peak memory "
        f"{res.get('peak_memory_mb')} MB, {rec.get('trainable_params')} trainable parameters",
        "", "## Eval results", "",
        f"- val loss {fmt(res.get('eval_loss'))}, val token accuracy {fmt(res.get('eval_token_accuracy'))}",
    ]
    for k, v in sorted(eval_figures(run_dir).items()):
        lines.append(f"- {k}: {fmt(v)}")
    samples = read_jsonl(run_dir / SAMPLES_FILE)
    if samples:
        lines += ["", "Sample outputs (greedy, fixed val questions):", ""]
        def indent(text: str) -> str:
            return text.replace("\n", "\n    ")

        for s in samples:
            lines += [f"- Q: {s['question']}", f"  - expected: {indent(s['expected'])}",
                      f"  - model: {indent(s['answer'])}"]
    lines += ["", "## Learnings", "", rec.get("learnings") or "(none yet: `manualtune runs note RUN_ID --learnings ...`)"]
    return "\n".join(lines) + "\n"
