"""The build pipeline: orders the stages, caches them and writes the build folder.

Stage order (records flow one way)::

    inventory -> page tasks (load -> preprocess -> OCR -> cleanup -> blocks; one task per page on
    an executor, cached per page) -> tables continued across pages -> facts + HTML tech specs
    -> conflicts -> procedures -> examples -> validation -> split -> exports -> QA report

Every output is written atomically with sorted keys and a stable order, so two builds of the
same inputs are byte-identical. Timings are printed, never written into the build folder.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from manualtune import __version__
from manualtune.cache import (
    atomic_write_text,
    read_jsonl,
    sha256_bytes,
    stable_hash,
    write_json,
    write_jsonl,
)
from manualtune.config import BuildConfig
from manualtune.executors import ExecutorConfig, make_executor
from manualtune.records import (
    Block,
    Quarantine,
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


@contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        result.seconds[stage] = result.seconds.get(stage, 0.0) + time.perf_counter() - t0


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
    executor: ExecutorConfig | None = None,
) -> BuildResult:
    """Run the whole chain on ``source_root`` and write everything under ``out_dir``.

    Page tasks run on ``executor`` (default: the local process pool with ``workers`` processes; see
    :mod:`manualtune.executors`); every executor gives byte-identical outputs.

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
        executor = executor or ExecutorConfig(workers=max(1, workers))
        result = _build(source_root, out_dir, cfg, executor, progress, result, stage_errors)
        # issue 10: build_manifest.json (sha256 of every output) is written last; a no-op keeps a current one
        key = (out_dir / "cache" / "build.key").read_text(encoding="utf-8").strip()
        if not result.up_to_date or not manifest_is_current(out_dir, key):
            write_build_manifest(out_dir, key)
        return result


def _build(
    source_root: Path, out_dir: Path, cfg: BuildConfig, executor: ExecutorConfig, progress: ProgressFactory,
    result: BuildResult, stage_errors: list[StageError],
) -> BuildResult:
    from manualtune.export import export_dataset
    from manualtune.facts import extract_facts, find_conflicts, parse_techspec_html
    from manualtune.generate import GenerationStats, generate_examples
    from manualtune.ingest import inventory
    from manualtune.layout import extract_procedures, link_continued_tables
    from manualtune.layout.patterns import page_sequence_key
    from manualtune.pagetask.stage import run_page_stage
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

    with _timed(result, "pages"):  # load -> preprocess -> OCR -> cleanup -> blocks, one task per page
        ocr_refs = [p for p in inv.pages if p.kind != "html"]
        with make_executor(executor) as ex:
            paged = run_page_stage(source_root, ocr_refs, out_dir, cfg, ex, progress("pages", len(ocr_refs)))
    quarantined.extend(paged.quarantined)
    stage_errors.extend(paged.stage_errors)
    result.ocr_calls, result.cache_hits = paged.ocr_calls, paged.cache_hits
    audit = paged.changes
    write_jsonl(rec_dir / "cleanup_audit.jsonl", audit)

    with _timed(result, "layout"):  # tables continued from the previous page of the same folder
        blocks_by_page = paged.blocks_by_page
        by_folder: dict[str, list[list[Block]]] = defaultdict(list)
        for page, blocks in sorted(zip(paged.pages, blocks_by_page, strict=True),
                                   key=lambda pb: page_sequence_key(pb[0].page_id)):  # printed order
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
        # pages in printed order ('23-169', '23-170', not '23-17' between them), each page's blocks as read
        procedures = extract_procedures(sorted(blocks, key=lambda b: page_sequence_key(b.page_id)), facts)
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
    words = sum(p.words for p in paged.pages)
    confs = [p.mean_conf for p in paged.pages if p.mean_conf is not None]
    result.counts = {
        "sources": len(inv.sources),
        "pages": len(inv.pages),
        "pages_ocr": len(paged.pages),
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
