"""The build pipeline: orders the stages, caches them and writes the build folder.

Stage order (records flow one way)::

    inventory -> OCR (preprocess + engine, cached per page) -> cleanup (audit) -> layout blocks
    -> facts + HTML tech specs -> conflicts -> procedures -> examples -> validation -> split
    -> exports -> QA report

Every output is written atomically with sorted keys and a stable order, so two builds of the
same inputs are byte-identical. Timings are printed, never written into the build folder.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from manualtune import __version__
from manualtune.cache import (
    StageCache,
    atomic_write_text,
    read_jsonl,
    sha256_bytes,
    short_id,
    stable_hash,
    write_json,
    write_jsonl,
)
from manualtune.config import BuildConfig
from manualtune.records import (
    Block,
    CleanupChange,
    PageOCR,
    PageRef,
    Quarantine,
    Record,
    SpecFact,
)
from manualtune.stage_errors import StageError, collect_stage_errors, sorted_errors

# Exit codes of `manualtune build` (see README): success, quarantined files, failure.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_QUARANTINED = 3

ProgressFactory = Callable[[str, int], Callable[[int], None]]
"""progress(stage_label, total) -> advance(n): the CLI passes Rich progress bars in."""


def _no_progress(_label: str, _total: int) -> Callable[[int], None]:
    return lambda _n=1: None


@dataclass
class BuildResult:
    out_dir: Path
    counts: dict[str, int | float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    quarantined: list[Quarantine] = field(default_factory=list)
    ocr_calls: int = 0
    cache_hits: int = 0
    report_path: Path | None = None
    up_to_date: bool = False

    @property
    def exit_code(self) -> int:
        return EXIT_QUARANTINED if self.quarantined else EXIT_OK


class CleanedPage(Record):
    """Cache entry of the cleanup stage: the cleaned page and its audit lines."""

    page: PageOCR
    changes: list[CleanupChange]


CLEANUP_STAGE_VERSION = "2"  # 2: wire_size_dot rule, wiring-page second readings


@contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        result.seconds[stage] = result.seconds.get(stage, 0.0) + time.perf_counter() - t0


def _clean(page: PageOCR, facts_cfg, image_loader: Callable[[], object] | None) -> CleanedPage:
    """The cleanup stage on one page (``image_loader`` gives the preprocessed page image, if any)."""
    from manualtune.facts.cleanup import cleanup_page

    new_page, changes = cleanup_page(page, facts_cfg, image_loader)
    return CleanedPage(page=new_page, changes=changes)


def cleanup_after_ocr(page: PageOCR, image, facts_cfg) -> str:
    """Run in the OCR worker: clean a freshly OCR-ed page while its preprocessed image is in memory."""
    return _clean(page, facts_cfg, None if image is None else (lambda: image)).model_dump_json()


def _cleanup_one(source_root: Path, page: PageOCR, ref: PageRef, cfg: BuildConfig) -> CleanedPage:
    """Clean one page; the page image is loaded (and preprocessed) only if a second opinion is needed."""
    from manualtune.ingest.pages import load_page_image
    from manualtune.preprocess import preprocess

    def loader() -> object:
        return preprocess(load_page_image(source_root, ref, cfg.ocr.dpi), cfg.preprocess).image

    return _clean(page, cfg.facts, None if ref.has_text_layer else loader)


def _cleanup_pages(
    source_root: Path, pages: list[PageOCR], refs: dict[str, PageRef], out_dir: Path, cfg: BuildConfig,
    workers: int, progress: Callable[[int], None], precomputed: dict[str, str] | None = None,
) -> tuple[list[PageOCR], list[CleanupChange]]:
    """Rule-based OCR cleanup with audit; cached per page. Pages the OCR workers already cleaned
    (``precomputed``: page_id -> CleanedPage JSON) are taken as they are; other misses run in a
    process pool (second-opinion OCR of low-confidence numbers is not free)."""
    cache = StageCache(out_dir / "cache", "cleanup", CLEANUP_STAGE_VERSION, cfg.facts.model_dump(mode="json"))
    keys = [short_id(page, n=64) for page in pages]
    done: dict[int, CleanedPage] = {}
    misses: list[int] = []
    for i, key in enumerate(keys):
        pre = (precomputed or {}).get(pages[i].page_id)
        hit = CleanedPage.model_validate_json(pre) if pre is not None else cache.get(key, CleanedPage)
        if pre is not None:
            cache.put(key, hit)
        if hit is None:
            misses.append(i)
        else:
            done[i] = hit
            progress(1)
    if workers > 1 and len(misses) > 1:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(min(workers, len(misses)), mp_context=ctx) as pool:
            futures = {
                pool.submit(_cleanup_one, source_root, pages[i], refs[pages[i].page_id], cfg): i for i in misses
            }
            for fut in as_completed(futures):
                done[futures[fut]] = fut.result()
                progress(1)
    else:
        for i in misses:
            done[i] = _cleanup_one(source_root, pages[i], refs[pages[i].page_id], cfg)
            progress(1)
    for i in misses:
        cache.put(keys[i], done[i])
    ordered = [done[i] for i in range(len(pages))]
    return [c.page for c in ordered], [ch for c in ordered for ch in c.changes]


def code_fingerprint() -> str:
    """sha256 over manualtune's own source files: any code change invalidates the build key."""
    root = Path(__file__).parent
    parts = [f"{p.relative_to(root).as_posix()}:{sha256_bytes(p.read_bytes())}" for p in sorted(root.rglob("*.py"))]
    return sha256_bytes("\n".join(parts).encode())


def _review_stamp(out_dir: Path, cfg: BuildConfig) -> list[tuple[str, int, int]]:
    """Size + mtime of the review decisions store (and its SQLite WAL): a saved decision makes the next
    build redo the stages after fact extraction."""
    from manualtune.review.config import load_review_config

    path = load_review_config(out_dir, cfg).decisions_path(out_dir)
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        if p.is_file():
            st = p.stat()
            out.append((p.name, st.st_size, st.st_mtime_ns))
    return out


def _build_key(cfg: BuildConfig, inv, out_dir: Path) -> str:
    """Everything the outputs depend on: code, config, the content of every input file and the review
    decisions."""
    return stable_hash(__version__, code_fingerprint(), cfg.model_dump(mode="json"), inv.sources, inv.pages,
                       inv.quarantined, _review_stamp(out_dir, cfg))


def _up_to_date(out_dir: Path, key: str, result: BuildResult) -> bool:
    """A no-op rebuild: same key as the last finished build and its outputs are all there."""
    key_path = out_dir / "cache" / "build.key"
    summary_path, report_path = out_dir / "summary.json", out_dir / "report" / "index.html"
    if not (key_path.exists() and summary_path.exists() and report_path.exists()):
        return False
    if key_path.read_text(encoding="utf-8").strip() != key:
        return False
    result.counts = json.loads(summary_path.read_text(encoding="utf-8"))["counts"]
    result.quarantined = read_jsonl(out_dir / "quarantine.jsonl", Quarantine)
    result.report_path = report_path
    result.up_to_date = True
    return True


def _source_folder(page_id: str) -> str:
    return str(PurePosixPath(page_id.split("#", 1)[0]).parent)


def build(
    source_root: Path,
    out_dir: Path,
    cfg: BuildConfig | None = None,
    workers: int = 1,
    progress: ProgressFactory | None = None,
) -> BuildResult:
    """Run the whole chain on ``source_root`` and write everything under ``out_dir``.

    Errors inside a stage (one odd page, one fact group) are collected as records
    (``records/stage_errors.jsonl``, counted in ``summary.json``), never turned into silence."""
    cfg = cfg or BuildConfig()
    progress = progress or _no_progress
    source_root = Path(source_root).resolve()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out_dir=out_dir)
    # issue 10 (reliability): one build per folder (build.lock, BuildLockedError -> exit 75); while
    # the lock is held, half-written leftovers of an interrupted build (temp files) are swept first
    from manualtune.cache import manifest_is_current, sweep_temp_files, write_build_manifest
    from manualtune.lock import BuildLock

    with BuildLock(out_dir), collect_stage_errors() as stage_errors:
        sweep_temp_files(out_dir)
        result = _build(source_root, out_dir, cfg, workers, progress, result, stage_errors)
        # issue 10: build_manifest.json (sha256 of every output) is written last; a no-op keeps a current one
        key = (out_dir / "cache" / "build.key").read_text(encoding="utf-8").strip()
        if not result.up_to_date or not manifest_is_current(out_dir, key):
            write_build_manifest(out_dir, key)
        return result


def _build(
    source_root: Path, out_dir: Path, cfg: BuildConfig, workers: int, progress: ProgressFactory,
    result: BuildResult, stage_errors: list[StageError],
) -> BuildResult:
    from manualtune.export import export_dataset
    from manualtune.facts import extract_facts, find_conflicts, parse_techspec_html
    from manualtune.generate import GenerationStats, generate_examples
    from manualtune.ingest import inventory
    from manualtune.layout import build_blocks, extract_procedures, link_continued_tables
    from manualtune.ocr.stage import run_ocr_stage
    from manualtune.quality.validate import validate_examples
    from manualtune.report import write_report
    from manualtune.review import apply_review_decisions
    from manualtune.split import leakage_report, split_examples, synthetic_validation

    rec_dir = out_dir / "records"
    with _timed(result, "inventory"):
        inv = inventory(source_root, cache_dir=out_dir / "cache")  # file inspections cached by path + sha256
        write_jsonl(rec_dir / "sources.jsonl", inv.sources)
        write_jsonl(rec_dir / "pages.jsonl", inv.pages)
    key = _build_key(cfg, inv, out_dir)
    if _up_to_date(out_dir, key, result):
        return result
    (out_dir / "cache" / "build.key").unlink(missing_ok=True)  # an interrupted build is never "up to date"
    quarantined = list(inv.quarantined)
    refs = {p.page_id: p for p in inv.pages}

    with _timed(result, "ocr"):
        ocr_pages = [p for p in inv.pages if p.kind != "html"]
        ocr = run_ocr_stage(
            source_root, ocr_pages, out_dir, cfg, workers, progress("OCR", len(ocr_pages)),
            after_ocr=functools.partial(cleanup_after_ocr, facts_cfg=cfg.facts),
        )
    quarantined.extend(ocr.quarantined)
    result.ocr_calls, result.cache_hits = ocr.ocr_calls, ocr.cache_hits

    with _timed(result, "cleanup"):
        pages, audit = _cleanup_pages(
            source_root, ocr.pages, refs, out_dir, cfg, workers, progress("cleanup", len(ocr.pages)),
            precomputed=ocr.after_ocr,
        )
        write_jsonl(rec_dir / "cleanup_audit.jsonl", audit)

    with _timed(result, "layout"):
        advance = progress("layout", len(pages))
        blocks_by_page: list[list[Block]] = []
        for page in pages:
            blocks_by_page.append(build_blocks(page, cfg.layout))
            advance(1)
        by_folder: dict[str, list[list[Block]]] = defaultdict(list)
        for page, blocks in zip(pages, blocks_by_page, strict=True):
            by_folder[_source_folder(page.page_id)].append(blocks)
        for folder in sorted(by_folder):
            link_continued_tables(by_folder[folder])

    with _timed(result, "facts"):
        blocks: list[Block] = [b for bs in blocks_by_page for b in bs]
        facts: list[SpecFact] = extract_facts(blocks, cfg.facts, audit=audit)
        for ref in (p for p in inv.pages if p.kind == "html"):
            try:
                html_facts, html_blocks = parse_techspec_html(source_root / ref.source, ref.source)
            except Exception as e:  # noqa: BLE001 - bad input is quarantined, never fatal
                quarantined.append(Quarantine(path=ref.source, reason="unreadable_html", detail=str(e)))
                continue
            facts.extend(html_facts)
            blocks.extend(html_blocks)
        facts, review_summary = apply_review_decisions(facts, out_dir, cfg)  # stored decisions, replayed each build
        conflicts = find_conflicts(facts)
        procedures = extract_procedures(blocks, facts)
        write_jsonl(rec_dir / "blocks.jsonl", blocks)
        write_jsonl(rec_dir / "facts.jsonl", facts)
        write_jsonl(rec_dir / "conflicts.jsonl", conflicts)
        write_jsonl(rec_dir / "procedures.jsonl", procedures)

    with _timed(result, "dataset"):
        gen_stats = GenerationStats()
        examples = generate_examples(facts, procedures, blocks, cfg.generate, conflicts=conflicts, stats=gen_stats)
        checked = validate_examples(examples, facts, procedures, blocks, conflicts=conflicts, cfg=cfg.generate)
        # tasks not yet trustworthy on real scans are validated but not shipped (GenerateConfig.withhold_tasks)
        withheld = [e for e in checked.kept if e.task in cfg.generate.withhold_tasks]
        kept = [e for e in checked.kept if e.task not in cfg.generate.withhold_tasks]
        splits = split_examples(kept, cfg.split)
        synthetic = synthetic_validation(kept, splits, cfg.split)
        ds_dir = out_dir / "dataset"
        write_jsonl(ds_dir / "examples.jsonl", kept)
        write_jsonl(ds_dir / "excluded.jsonl", checked.excluded)
        write_jsonl(ds_dir / "withheld.jsonl", withheld)
        write_jsonl(ds_dir / "splits.jsonl", splits)
        write_json(ds_dir / "validation.json", {"checks": checked.checks})
        write_json(ds_dir / "generation.json", {"tasks": gen_stats.as_dict()})
        write_json(ds_dir / "leakage.json", leakage_report(kept, splits, mode=cfg.split.mode))
        export_dataset(ds_dir, kept, splits, synthetic, cfg.export)

    write_jsonl(rec_dir / "stage_errors.jsonl", sorted_errors(stage_errors))
    quarantined.sort(key=lambda q: (q.path, q.page or 0, q.reason))
    write_jsonl(out_dir / "quarantine.jsonl", quarantined)
    result.quarantined = quarantined
    words = sum(p.word_count for p in pages)
    confs = [p.mean_conf for p in pages if p.mean_conf is not None]
    result.counts = {
        "sources": len(inv.sources),
        "pages": len(inv.pages),
        "pages_ocr": len(pages),
        "words": words,
        "mean_confidence": round(sum(confs) / len(confs), 2) if confs else 0.0,
        "cleanup_changes": len(audit),
        "blocks": len(blocks),
        "facts": len(facts),
        "conflicts": len(conflicts),
        "procedures": len(procedures),
        "examples": len(kept),
        "excluded_examples": len(checked.excluded),
        "withheld_examples": len(withheld),
        "quarantined": len(quarantined),
        "review_stale": review_summary.stale,
        "stage_errors": len(stage_errors),
    }
    write_json(
        out_dir / "summary.json",
        {"manualtune_version": __version__, "source_root": str(source_root), "counts": result.counts},
    )
    with _timed(result, "report"):
        result.report_path = write_report(out_dir)
    atomic_write_text(out_dir / "cache" / "build.key", key + "\n")
    return result
