"""Where the build is blind: coverage per page kind and per section folder, generation counters,
stage errors and review progress, for the QA report.

A page's kind is read from its layout blocks (first match wins): ``wiring``, ``troubleshooting``,
``index`` (index rows), ``table`` (a ruled or column table), ``procedure`` (procedure steps),
``text`` (paragraphs, notes, warnings), ``figure`` (captions and figure text only), ``no text``
(no body block at all: a photo page, or OCR read nothing). HTML sheets are ``html``. A page's
section is its top source folder (``34 - Brakes``), the unit a user finds pages by.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

from manualtune.records import Block, Example, PageRef, SpecFact

_KIND_ORDER: tuple[tuple[str, frozenset[str]], ...] = (
    ("wiring", frozenset({"wiring"})),
    ("troubleshooting", frozenset({"troubleshooting"})),
    ("index", frozenset({"index_entry"})),
    ("table", frozenset({"table"})),
    ("procedure", frozenset({"procedure_step"})),
    ("text", frozenset({"paragraph", "note", "warning", "caution"})),
    ("figure", frozenset({"figure_caption", "figure"})),
)


def page_kind(blocks: list[Block], ref: PageRef | None = None) -> str:
    """The kind of one page from its blocks (see the module docstring)."""
    if ref is not None and ref.kind == "html":
        return "html"
    kinds = {b.kind for b in blocks} | {str(b.meta.get("page_kind")) for b in blocks if b.meta.get("page_kind")}
    for name, members in _KIND_ORDER:
        if kinds & members:
            return name
    return "no text"


def section_of(source: str) -> str:
    parts = PurePosixPath(source).parts
    return parts[0] if len(parts) > 1 else "(top level)"


def _page_key(file: str, page: int) -> tuple[str, int]:
    return (file, page)


def coverage_figures(
    refs: list[PageRef], blocks: list[Block], facts: list[SpecFact], examples: list[Example], n_blind: int = 40
) -> dict[str, Any]:
    """Pages, pages with >= 1 fact and >= 1 example, per page kind and per section; the first
    ``n_blind`` pages that gave no example, with their kind."""
    blocks_by_page: dict[str, list[Block]] = defaultdict(list)
    for b in blocks:
        blocks_by_page[b.page_id].append(b)
    with_fact = {_page_key(f.source.file, f.source.page) for f in facts if not f.derived}
    usable_fact = {_page_key(f.source.file, f.source.page) for f in facts if not f.derived and not f.needs_review}
    with_example = {_page_key(s.file, s.page) for e in examples if not e.refusal for s in e.sources}
    rows: list[dict[str, Any]] = []
    for ref in sorted(refs, key=lambda r: (r.source, r.page)):
        key = _page_key(ref.source, ref.page)
        rows.append({
            "page": f"{ref.source} p.{ref.page}",
            "kind": page_kind(blocks_by_page.get(ref.page_id, []), ref),
            "section": section_of(ref.source),
            "fact": key in with_fact,
            "usable_fact": key in usable_fact,
            "example": key in with_example,
        })

    def group(field: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in rows:
            g = out.setdefault(r[field], {"pages": 0, "with_fact": 0, "with_usable_fact": 0, "with_example": 0})
            g["pages"] += 1
            g["with_fact"] += r["fact"]
            g["with_usable_fact"] += r["usable_fact"]
            g["with_example"] += r["example"]
        return dict(sorted(out.items()))

    blind = [r for r in rows if not r["example"]]
    return {
        "pages": len(rows),
        "pages_with_fact": sum(r["fact"] for r in rows),
        "pages_with_example": sum(r["example"] for r in rows),
        "by_kind": group("kind"),
        "by_section": group("section"),
        "blind_pages": len(blind),
        "first_blind": [{"page": r["page"], "kind": r["kind"], "fact": r["fact"]} for r in blind[:n_blind]],
    }


def generation_figures(generation: Any) -> dict[str, Any] | None:
    """``dataset/generation.json`` as rows: task, candidates, emitted, skips by reason."""
    if not isinstance(generation, dict) or not isinstance(generation.get("tasks"), dict):
        return None
    rows = []
    for task, counts in sorted(generation["tasks"].items()):
        if not isinstance(counts, dict):
            continue
        skips = {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("skipped:")}
        rows.append({"task": task, "candidates": counts.get("candidates", 0), "emitted": counts.get("emitted", 0),
                     "skipped": skips})
    return {"tasks": rows}


def stage_error_figures(errors: list[Any], n_shown: int = 30) -> dict[str, Any]:
    """Stage errors by stage and exception, and the first ``n_shown`` in full."""
    by: dict[str, int] = defaultdict(int)
    for e in errors:
        by[f"{e.stage}: {e.exception}"] += 1
    return {"total": len(errors), "by_stage": dict(sorted(by.items())),
            "first": [e.model_dump() for e in errors[:n_shown]]}
