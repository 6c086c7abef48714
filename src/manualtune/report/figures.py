"""Figures of the QA report, computed from the typed records of a build folder.

Every function here is pure (records in, JSON-friendly dict out) and deterministic: counters are
returned as dicts sorted by key, lists keep the order of their input file.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

from manualtune.records import (
    CleanupChange,
    Conflict,
    Example,
    ExcludedExample,
    PageOCR,
    PageRef,
    Provenance,
    Quarantine,
    SourceFile,
    SplitAssignment,
)

NONE_LABEL = "none"
HIST_BUCKETS = [f"{lo}-{lo + 10}" for lo in range(0, 100, 10)]


def sorted_counts(values: Iterable[str | None]) -> dict[str, int]:
    """Count values (``None`` counted as ``'none'``) into a dict sorted by key."""
    c = Counter(NONE_LABEL if v is None or v == "" else str(v) for v in values)
    return {k: c[k] for k in sorted(c)}


def conf_bucket(conf: float) -> int:
    """Index 0..9 of the 10-point bucket a 0-100 confidence falls into (100 goes to 90-100)."""
    c = min(max(float(conf), 0.0), 100.0)
    return min(int(c // 10), 9)


def is_text_layer(page: PageOCR) -> bool:
    """True for pages read from a PDF text layer: their 'confidence' is not an OCR figure."""
    engine = page.engine.lower()
    return page.mean_conf is None or ("text" in engine and "layer" in engine)


def cite(p: Provenance) -> str:
    """Human citation of a provenance: ``file p.N [x0,y0,x1,y1]``."""
    s = f"{p.file} p.{p.page}"
    if p.bbox is not None:
        s += f" [{p.bbox.x0},{p.bbox.y0},{p.bbox.x1},{p.bbox.y1}]"
    return s


def ocr_figures(pages: Iterable[PageOCR], refs: list[PageRef], sources: list[SourceFile]) -> dict[str, Any]:
    """Pages, words, mean OCR confidence and the 10-bucket word-confidence histogram.

    Confidence figures use OCR'd pages only (text-layer pages are counted apart); words count all.
    ``pages`` is read once, one page at a time.
    """
    n_pages = 0
    engines: list[str] = []
    hist = [0] * 10
    confs: list[float] = []
    page_means: list[float] = []
    words_total = 0
    text_layer = 0
    low_pages: list[dict[str, Any]] = []
    for page in pages:
        n_pages += 1
        engines.append(page.engine)
        words = [w for line in page.lines for w in line.words]
        words_total += len(words)
        if is_text_layer(page):
            text_layer += 1
            continue
        for w in words:
            if not math.isfinite(w.conf):
                continue
            c = min(max(float(w.conf), 0.0), 100.0)
            confs.append(c)
            hist[conf_bucket(c)] += 1
        if page.mean_conf is not None and math.isfinite(page.mean_conf):
            page_means.append(float(page.mean_conf))
            low_pages.append({"page_id": page.page_id, "source": page.source, "page": page.page,
                              "mean_conf": round(float(page.mean_conf), 2),
                              "words": len(words)})
    low_pages.sort(key=lambda d: (d["mean_conf"], d["page_id"]))
    return {
        "sources": len(sources),
        "sources_by_kind": sorted_counts(s.kind for s in sources),
        "pages": len(refs),
        "pages_by_kind": sorted_counts(r.kind for r in refs),
        "pages_ocr": n_pages,
        "pages_text_layer": text_layer,
        "words": words_total,
        "words_with_confidence": len(confs),
        "mean_word_confidence": round(sum(confs) / len(confs), 2) if confs else None,
        "mean_page_confidence": round(sum(page_means) / len(page_means), 2) if page_means else None,
        "confidence_histogram": [{"bucket": b, "count": n} for b, n in zip(HIST_BUCKETS, hist, strict=True)],
        "lowest_confidence_pages": low_pages[:10],
        "engines": sorted_counts(engines),
    }


def example_figures(examples: list[Example], splits: list[SplitAssignment]) -> dict[str, Any]:
    """Counts of examples by task, section, variant, split, and task x split."""
    split_of = {s.example_id: s.split for s in splits}
    by_task_split: dict[str, dict[str, int]] = {}
    for ex in examples:
        row = by_task_split.setdefault(ex.task, {})
        sp = split_of.get(ex.example_id, "unassigned")
        row[sp] = row.get(sp, 0) + 1
    return {
        "examples": len(examples),
        "refusals": sum(1 for e in examples if e.refusal),
        "groups": len({e.group_id for e in examples}),
        "by_task": sorted_counts(e.task for e in examples),
        "by_section": sorted_counts(e.section for e in examples),
        "by_variant": sorted_counts(e.variant for e in examples),
        "by_split": sorted_counts(s.split for s in splits),
        "groups_by_split": {
            k: len(v)
            for k, v in sorted(_groups_by_split(splits).items())
        },
        "by_task_split": {t: dict(sorted(r.items())) for t, r in sorted(by_task_split.items())},
        "unassigned": sum(1 for e in examples if e.example_id not in split_of),
    }


def _groups_by_split(splits: list[SplitAssignment]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in splits:
        out.setdefault(s.split, set()).add(s.group_id)
    return out


def quarantine_figures(items: list[Quarantine]) -> dict[str, Any]:
    """Every quarantined file/page with its reason, plus a count per reason."""
    rows = sorted(
        ({"path": q.path, "page": q.page, "reason": q.reason, "detail": q.detail} for q in items),
        key=lambda d: (d["path"], d["page"] or 0, d["reason"], d["detail"]),
    )
    return {"total": len(rows), "by_reason": sorted_counts(q.reason for q in items), "items": rows}


def needs_evidence(change: CleanupChange) -> bool:
    """A value-changing edit without evidence is not trusted: it needs evidence."""
    return change.changes_value and not (change.evidence or "").strip()


def cleanup_figures(changes: list[CleanupChange]) -> dict[str, Any]:
    """Cleanup audit per rule: total, applied, needs-evidence, value-changing."""
    by_rule: dict[str, dict[str, int]] = {}
    for ch in changes:
        row = by_rule.setdefault(ch.rule, {"total": 0, "applied": 0, "needs_evidence": 0, "value_changing": 0})
        row["total"] += 1
        row["value_changing"] += int(ch.changes_value)
        if needs_evidence(ch):
            row["needs_evidence"] += 1
        else:
            row["applied"] += 1
    rows = [{"rule": r, **by_rule[r]} for r in sorted(by_rule)]
    return {
        "total": len(changes),
        "applied": sum(r["applied"] for r in rows),
        "needs_evidence": sum(r["needs_evidence"] for r in rows),
        "value_changing": sum(r["value_changing"] for r in rows),
        "pages": len({c.page_id for c in changes}),
        "by_rule": rows,
    }


def conflict_figures(conflicts: list[Conflict]) -> dict[str, Any]:
    """One row per conflict: component (from the normalised key), values and every citation."""
    rows = []
    for c in sorted(conflicts, key=lambda c: (c.key, c.conflict_id)):
        parts = (c.key.split("|") + ["", "", "", ""])[:4]
        rows.append({
            "conflict_id": c.conflict_id,
            "key": c.key,
            "component": parts[0],
            "quantity": parts[1],
            "variant": parts[2],
            "condition": parts[3],
            "values": list(c.values),
            "fact_ids": list(c.fact_ids),
            "citations": [cite(p) for p in c.sources],
        })
    return {"total": len(rows), "items": rows}


def excluded_figures(excluded: list[ExcludedExample], n_shown: int) -> dict[str, Any]:
    """Excluded examples: count per reason and the first ``n_shown`` in file order."""
    return {
        "total": len(excluded),
        "by_reason": sorted_counts(e.reason for e in excluded),
        "first": [e.model_dump(mode="json") for e in excluded[:n_shown]],
    }


def finite(obj: Any) -> Any:
    """``obj`` with NaN/inf floats replaced by None (JSON has no NaN; inputs may contain it)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj


def sample_examples(examples: list[Example], n: int, seed: int) -> list[Example]:
    """``n`` examples drawn with ``random.Random(seed)`` from the examples sorted by id."""
    pool = sorted(examples, key=lambda e: e.example_id)
    picked = random.Random(seed).sample(pool, k=min(n, len(pool)))
    return sorted(picked, key=lambda e: (e.task, e.example_id))
