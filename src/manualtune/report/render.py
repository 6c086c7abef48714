"""Write the static QA report of a build folder: ``report/index.html`` + ``report/qa.json``.

The HTML is one self-contained file (inline CSS and SVG, crops as PNG files under
``report/crops/``), rendered by Jinja2 with autoescape. Both outputs are deterministic: no
timestamps, sorted keys, seeded sampling, byte-stable PNG crops.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from manualtune.cache import atomic_write_bytes, atomic_write_text, short_id
from manualtune.records import (
    Block,
    CleanupChange,
    Conflict,
    Example,
    ExcludedExample,
    PageOCR,
    PageRef,
    Provenance,
    Quarantine,
    SourceFile,
    SpecFact,
    SplitAssignment,
)
from manualtune.report import coverage as cov
from manualtune.report import figures as fig
from manualtune.report.config import ReportConfig
from manualtune.report.crops import CropError, PageImages, make_crop
from manualtune.report.load import InputLog, iter_ocr_pages, read_json, read_records
from manualtune.stage_errors import StageError

VERSION = "1"
QA_SCHEMA = "manualtune-qa/1"


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("manualtune.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = lambda n, total: (100.0 * n / total) if total else 0.0
    env.filters["num"] = _num
    env.filters["split_order"] = split_order
    env.filters["flatten"] = flatten_json
    env.filters["pretty"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
    return env


def _num(v: Any) -> str:
    """Numbers for people: thousands separators, 2 decimals for floats, 'none' for None."""
    if v is None:
        return fig.NONE_LABEL
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


SPLIT_ORDER = ("train", "val", "test")


def split_order(counts: dict[str, int]) -> dict[str, int]:
    """``counts`` keyed by split, in train/val/test order (other keys after, sorted)."""
    rank = {k: i for i, k in enumerate(SPLIT_ORDER)}
    return {k: counts[k] for k in sorted(counts, key=lambda k: (rank.get(k, len(rank)), k))}


def flatten_json(data: Any, prefix: str = "", depth: int = 0, max_items: int = 8) -> list[dict[str, str]]:
    """Rows ``{key, value}`` for an arbitrary JSON value (used for leakage/qa_inputs/validation).

    Dicts are walked (sorted keys, depth <= 3); lists become 'N items: first, …'.
    """
    rows: list[dict[str, str]] = []
    if isinstance(data, dict) and depth < 3:
        if not data:
            rows.append({"key": prefix or "(root)", "value": "{}"})
        for k in sorted(data, key=str):
            rows.extend(flatten_json(data[k], f"{prefix}.{k}" if prefix else str(k), depth + 1, max_items))
        return rows
    if isinstance(data, list):
        shown = ", ".join(
            v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
            for v in data[:max_items]
        )
        more = " …" if len(data) > max_items else ""
        value = f"{len(data)} item(s)" + (f": {shown}{more}" if data else "")
    elif isinstance(data, dict):
        value = json.dumps(data, ensure_ascii=False, sort_keys=True)
    else:
        value = _num(data)
    if len(value) > 400:
        value = value[:400] + " …"
    rows.append({"key": prefix or "(root)", "value": value})
    return rows


def _ocr_pages_of(build_dir: Path, provs: list[Provenance], refs: list[PageRef]) -> list[PageOCR]:
    """The ``ocr/*.json`` pages these provenances point at (by page id, else by file + page)."""
    from manualtune.ocr.stage import page_json_path

    by_file = {(r.source, r.page): r.page_id for r in refs}
    ids = {pid for p in provs for pid in (p.page_id, by_file.get((p.file, p.page))) if pid}
    pages = []
    for pid in sorted(ids):
        path = page_json_path(build_dir, pid)
        try:
            pages.append(PageOCR.model_validate_json(path.read_bytes()))
        except (OSError, ValueError):  # missing or bad: the crop says why (logged by the figures pass)
            continue
    return pages


def _samples(
    build_dir: Path, examples: list[Example], splits: list[SplitAssignment], refs: list[PageRef],
    source_root: Path | None, cfg: ReportConfig, seed: int,
) -> list[dict[str, Any]]:
    """Seeded sample of examples, each with a thumbnail crop of its first source (or a reason).
    Only the sampled examples' OCR pages are read."""
    crops_dir = build_dir / "report" / "crops"
    split_of = {s.example_id: s.split for s in splits}
    picked = fig.sample_examples(examples, cfg.n_samples, seed)
    images = PageImages(source_root, _ocr_pages_of(build_dir, [e.sources[0] for e in picked if e.sources], refs), cfg)
    rows: list[dict[str, Any]] = []
    for ex in picked:
        src = ex.sources[0] if ex.sources else None
        rows.append({
            "example_id": ex.example_id,
            "task": ex.task,
            "split": split_of.get(ex.example_id, "unassigned"),
            "question": ex.question,
            "answer": ex.answer,
            "refusal": ex.refusal,
            "variant": ex.variant,
            "section": ex.section,
            "citation": fig.cite(src) if src is not None else None,
            "crop": None,
            "crop_width": None,
            "crop_height": None,
            "crop_error": None if src is not None else "example has no sources",
        })
    wanted: set[str] = set()
    # one page image in memory at a time: visit the crops grouped by page
    order = sorted(range(len(picked)), key=lambda i: (
        picked[i].sources[0].file if picked[i].sources else "", picked[i].sources[0].page if picked[i].sources else 0
    ))
    for i in order:
        ex, row = picked[i], rows[i]
        if not ex.sources:
            continue
        try:
            crop = make_crop(images, ex.sources[0], cfg)
        except CropError as e:
            row["crop_error"] = str(e)
            continue
        except Exception as e:  # noqa: BLE001 - a bad box or image never stops the report
            row["crop_error"] = f"{type(e).__name__}: {e}"
            continue
        name = f"{short_id(ex.example_id, n=16)}.png"
        atomic_write_bytes(crops_dir / name, crop.png)
        _readable(crops_dir / name)
        wanted.add(name)
        row.update(crop=f"crops/{name}", crop_width=crop.width, crop_height=crop.height)
    if crops_dir.is_dir():  # stale crops from an earlier report would make the folder non-deterministic
        for old in crops_dir.glob("*.png"):
            if old.name not in wanted:
                old.unlink(missing_ok=True)
    return rows


def collect_qa(build_dir: Path, seed: int = 0, cfg: ReportConfig | None = None) -> dict[str, Any]:
    """Read the build folder and compute every report figure (also writes the sample crops)."""
    cfg = cfg or ReportConfig()
    build_dir = Path(build_dir)
    log = InputLog()
    summary = read_json(build_dir, "summary.json", log)
    summary = summary if isinstance(summary, dict) else {}
    sources = read_records(build_dir, "records/sources.jsonl", SourceFile, log)
    refs = read_records(build_dir, "records/pages.jsonl", PageRef, log)
    audit = read_records(build_dir, "records/cleanup_audit.jsonl", CleanupChange, log)
    conflicts = read_records(build_dir, "records/conflicts.jsonl", Conflict, log)
    quarantine = read_records(build_dir, "quarantine.jsonl", Quarantine, log)
    examples = read_records(build_dir, "dataset/examples.jsonl", Example, log)
    excluded = read_records(build_dir, "dataset/excluded.jsonl", ExcludedExample, log)
    withheld = read_records(build_dir, "dataset/withheld.jsonl", Example, log)
    splits = read_records(build_dir, "dataset/splits.jsonl", SplitAssignment, log)
    leakage = read_json(build_dir, "dataset/leakage.json", log)
    qa_inputs = read_json(build_dir, "dataset/qa_inputs.json", log)
    validation = read_json(build_dir, "dataset/validation.json", log)
    generation = read_json(build_dir, "dataset/generation.json", log)
    blocks = read_records(build_dir, "records/blocks.jsonl", Block, log)
    facts = read_records(build_dir, "records/facts.jsonl", SpecFact, log)
    stage_errors = read_records(build_dir, "records/stage_errors.jsonl", StageError, log)
    from manualtune.review import review_figures

    review = review_figures(build_dir, write=False) or None

    root = summary.get("source_root")
    source_root = Path(root) if isinstance(root, str) and root else None
    ocr = fig.ocr_figures(iter_ocr_pages(build_dir, PageOCR, log), refs, sources)
    ex = fig.example_figures(examples, splits)
    samples = _samples(build_dir, examples, splits, refs, source_root, cfg, seed)
    qa: dict[str, Any] = {
        "schema": QA_SCHEMA,
        "report_version": VERSION,
        "seed": seed,
        "manualtune_version": summary.get("manualtune_version"),
        "source_root": root if isinstance(root, str) else None,
        "summary_counts": summary.get("counts") if isinstance(summary.get("counts"), dict) else None,
        "counts": {
            "sources": ocr["sources"],
            "pages": ocr["pages"],
            "pages_ocr": ocr["pages_ocr"],
            "words": ocr["words"],
            "mean_ocr_confidence": ocr["mean_word_confidence"],
            "examples": ex["examples"],
            "excluded_examples": len(excluded),
            "withheld_examples": len(withheld),
            "splits": len(splits),
            "quarantined": len(quarantine),
            "conflicts": len(conflicts),
            "cleanup_changes": len(audit),
            "stage_errors": len(stage_errors),
        },
        "ocr": ocr,
        "examples": ex,
        "quarantine": fig.quarantine_figures(quarantine),
        "cleanup": fig.cleanup_figures(audit),
        "conflicts": fig.conflict_figures(conflicts),
        "excluded": fig.excluded_figures(excluded, cfg.n_excluded_shown),
        "withheld": {"total": len(withheld), "by_task": fig.sorted_counts(e.task for e in withheld)},
        "leakage": leakage,
        "qa_inputs": qa_inputs,
        "validation": validation,
        "samples": samples,
        "coverage": cov.coverage_figures(refs, blocks, facts, examples),
        "generation": cov.generation_figures(generation),
        "stage_errors": cov.stage_error_figures(stage_errors),
        "review": review if isinstance(review, dict) else None,
        "inputs": dict(sorted(log.status.items())),
        "input_problems": {"total": len(log.problems), "first": log.problems[: cfg.n_problems_shown]},
    }
    return fig.finite(qa)


def render_html(qa: dict[str, Any]) -> str:
    """The report page for ``qa`` (autoescaped Jinja2, inline CSS/SVG, no external assets)."""
    tables = {k: flatten_json(qa[k]) if qa[k] is not None else [] for k in ("leakage", "qa_inputs", "validation")}
    return _env().get_template("index.html.j2").render(qa=qa, tables=tables, buckets=fig.HIST_BUCKETS)


def write_report(build_dir: Path, seed: int = 0, cfg: ReportConfig | None = None) -> Path:
    """Write ``report/index.html``, ``report/qa.json`` and ``report/crops/`` of a build folder.

    Any input may be missing, empty or damaged: the report then says 'none' (and lists the
    unreadable lines) instead of failing. Returns the path of ``index.html``.
    """
    build_dir = Path(build_dir)
    out = build_dir / "report"
    out.mkdir(parents=True, exist_ok=True)
    qa = collect_qa(build_dir, seed=seed, cfg=cfg)
    atomic_write_text(
        out / "qa.json", json.dumps(qa, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    )
    index = out / "index.html"
    atomic_write_text(index, render_html(qa))
    for p in (out / "qa.json", index):
        _readable(p)
    return index


def _readable(path: Path) -> None:
    """Atomic writes create 0600 files; a report is meant to be opened by anyone (0644)."""
    try:
        path.chmod(0o644)
    except OSError:
        pass
