"""The `manualtune` command line (Typer + Rich)."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract: one thread per worker process

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn scanned vehicle service manuals into a grounded instruction dataset.",
)
console = Console(stderr=True, soft_wrap=True)  # messages name paths: never hard-wrapped
DEFAULT_SAMPLE = Path("samples/generated/corvane-240")


def _fail(msg: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {msg}")
    return typer.Exit(code)


@contextmanager
def _progress():
    with Progress(
        TextColumn("[bold]{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal and os.environ.get("MANUALTUNE_PROGRESS") != "1",
    ) as prog:

        def factory(label: str, total: int):
            task = prog.add_task(label, total=total)
            return lambda n=1: prog.advance(task, n)

        yield factory


@app.command()
def build(
    source: Annotated[Path, typer.Argument(help="folder of scans / PDFs / HTML sheets")] = DEFAULT_SAMPLE,
    out: Annotated[Path, typer.Option("--out", "-o", help="build folder")] = Path("build"),
    workers: Annotated[int, typer.Option(help="page-task processes (local) or CPUs of a local Ray")] = max(
        1, os.cpu_count() or 1),
    config: Annotated[Path | None, typer.Option(help="YAML/JSON config file")] = None,
    executor: Annotated[str, typer.Option(help="where page tasks run: local (process pool) or ray")] = "local",
    ray_address: Annotated[str | None, typer.Option(
        help="Ray cluster address (auto, ray://head:10001); default: start a local Ray")] = None,
) -> None:
    """Build records, dataset, exports and the QA report from SOURCE.

    Page tasks (load, preprocess, OCR, cleanup, blocks) run in a local process pool, or with
    `--executor ray` as Ray tasks (extra `ray`: `make ray-deps`); the outputs are the same.

    Exit codes: 0 success, 3 completed with quarantined files, 1 failure, 2 usage error,
    75 another build holds the build folder (its build.lock).
    """
    from manualtune.config import ConfigError, load_config
    from manualtune.pipeline import build as run_build

    if not source.is_dir():
        hint = " (run `manualtune sample` or `make all` to generate the sample manual)" if source == DEFAULT_SAMPLE else ""
        raise _fail(f"source folder not found: {source}{hint}", 2)
    try:
        cfg = load_config(config)
    except ConfigError as e:
        raise _fail(str(e), 2) from e
    from manualtune.exceptions import ManualtuneError
    from manualtune.executors import ExecutorConfig
    from manualtune.lock import BuildLockedError

    if executor not in ("local", "ray"):
        raise _fail(f"--executor must be local or ray, not {executor!r}", 2)
    if ray_address and executor != "ray":
        raise _fail("--ray-address needs --executor ray", 2)
    ex_cfg = ExecutorConfig(kind=executor, workers=max(1, workers), ray_address=ray_address)
    with _progress() as factory:
        try:
            result = run_build(source, out, cfg, workers=workers, progress=factory, executor=ex_cfg)
        except BuildLockedError as e:  # issue 10: another build holds the folder (exit 75)
            raise _fail(str(e), e.exit_code) from e
        except ManualtuneError as e:  # e.g. --executor ray without the ray extra (exit 4)
            raise _fail(str(e), int(e.exit_code)) from e

    if result.up_to_date:
        console.print("[green]up to date[/]: inputs, config and code unchanged since the last build (no work done)")
    table = Table(title=f"manualtune build: {source}")
    table.add_column("what")
    table.add_column("value", justify="right")
    for k, v in result.counts.items():
        table.add_row(k.replace("_", " "), f"{v}")
    table.add_row("OCR calls", str(result.ocr_calls))
    table.add_row("cache hits", str(result.cache_hits))
    for stage, secs in result.seconds.items():
        table.add_row(f"seconds: {stage}", f"{secs:.2f}")
    console.print(table)
    console.print(f"outputs:   {out}/  (records/, ocr/, dataset/)")
    console.print(f"dataset:   {out}/dataset/train.jsonl, val.jsonl, test.jsonl, hf/")
    console.print(f"QA report: {result.report_path}  (+ {out}/report/qa.json)")
    if result.quarantined:
        console.print(
            f"[yellow]completed with {len(result.quarantined)} quarantined file(s): {out}/quarantine.jsonl[/]"
        )
        for q in result.quarantined[:10]:
            console.print(f"  - {q.path}{'' if q.page is None else f' p.{q.page}'}: {q.reason} ({q.detail})")
    raise typer.Exit(result.exit_code)


@app.command()
def ocr(
    image: Annotated[Path, typer.Argument(help="one page image (jpg/png/tif)")],
    as_json: Annotated[bool, typer.Option("--json", help="words/lines with boxes and confidences")] = False,
    as_text: Annotated[bool, typer.Option("--text", help="plain text in reading order (default)")] = False,
) -> None:
    """Print one page's OCR."""
    from manualtune.ingest.pages import QuarantineError
    from manualtune.ocr import ocr_image

    if not image.is_file():
        raise _fail(f"no such file: {image}", 2)
    try:
        page = ocr_image(image)
    except QuarantineError as e:
        raise _fail(f"{image}: {e.reason}: {e.detail}") from e
    if as_json:
        sys.stdout.write(page.model_dump_json(indent=1) + "\n")
    else:
        sys.stdout.write(page.text + ("" if page.text.endswith("\n") else "\n"))


@app.command()
def sample(
    out: Annotated[Path, typer.Argument(help="where to write the sample manual")] = DEFAULT_SAMPLE,
    seed: int = 0,
) -> None:
    """Generate the bundled sample manual (pages, PDF, HTML sheet and truth files)."""
    from manualtune.sample import generate_sample_manual

    manifest = generate_sample_manual(out, seed=seed)
    n = len(getattr(manifest, "files", []) or [])
    console.print(f"sample manual: {out} ({n} files)")


@app.command("score-ocr")
def score_ocr_cmd(
    build_dir: Annotated[Path, typer.Argument(help="build folder")],
    truth_dir: Annotated[Path, typer.Argument(help="folder with *.truth.json transcripts")],
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Character and word error rate per page against truth transcripts (ours vs raw tesseract)."""
    from manualtune.quality.ocr_score import score_ocr

    score = score_ocr(build_dir, truth_dir)
    if json_out:
        sys.stdout.write(score.model_dump_json(indent=1) + "\n")
        return
    table = Table(title="OCR error rates (lower is better)")
    for col in ("page", "CER", "WER", "raw CER", "raw WER"):
        table.add_column(col, justify="right" if col != "page" else "left")
    for p in score.pages:
        table.add_row(p.file, f"{p.cer:.3f}", f"{p.wer:.3f}", _opt(p.raw_cer), _opt(p.raw_wer))
    table.add_row("[bold]overall", f"{score.cer:.3f}", f"{score.wer:.3f}", _opt(score.raw_cer), _opt(score.raw_wer))
    Console().print(table)


def _opt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


@app.command("score-facts")
def score_facts_cmd(
    build_dir: Annotated[Path, typer.Argument(help="build folder")],
    truth_dir: Annotated[Path, typer.Argument(help="folder with *.truth.json facts")],
    json_out: Annotated[bool, typer.Option("--json")] = False,
    show: Annotated[int, typer.Option(help="misses / false facts to list")] = 20,
) -> None:
    """Precision and recall of (value, unit) facts per page against truth files."""
    from manualtune.cache import read_jsonl
    from manualtune.quality.fact_score import score_facts
    from manualtune.records import SpecFact

    facts_path = build_dir / "records" / "facts.jsonl"
    if not facts_path.exists():
        raise _fail(f"{facts_path} not found: run `manualtune build` first", 2)
    score = score_facts(read_jsonl(facts_path, SpecFact), truth_dir)
    if json_out:
        sys.stdout.write(score.model_dump_json(indent=1) + "\n")
        return
    out = Console()
    table = Table(title="Fact precision / recall")
    for col in ("page", "truth", "found", "matched", "precision", "recall"):
        table.add_column(col, justify="right" if col != "page" else "left")
    for p in [*score.pages, score]:
        name = getattr(p, "file", "[bold]overall")
        table.add_row(name, str(p.truth), str(p.predicted), str(p.matched), f"{p.precision:.3f}", f"{p.recall:.3f}")
    out.print(table)
    for m in score.misses[:show]:
        out.print(f"[yellow]miss[/]  {m}")
    for f in score.false_facts[:show]:
        out.print(f"[red]false[/] {f}")


@app.command()
def validate(
    build_dir: Annotated[Path, typer.Argument(help="build folder")],
    config: Annotated[Path | None, typer.Option(help="the YAML/JSON config the build used")] = None,
) -> None:
    """Re-run dataset validation on a build folder and list excluded examples."""
    from manualtune.cache import read_jsonl
    from manualtune.config import ConfigError, load_config
    from manualtune.quality.validate import validate_examples
    from manualtune.records import Block, Conflict, Example, Procedure, SpecFact

    rec, ds = build_dir / "records", build_dir / "dataset"
    if not (ds / "examples.jsonl").exists():
        raise _fail(f"{ds / 'examples.jsonl'} not found: run `manualtune build` first", 2)
    try:
        cfg = load_config(config)
    except ConfigError as e:
        raise _fail(str(e), 2) from e
    res = validate_examples(
        read_jsonl(ds / "examples.jsonl", Example),
        read_jsonl(rec / "facts.jsonl", SpecFact),
        read_jsonl(rec / "procedures.jsonl", Procedure),
        read_jsonl(rec / "blocks.jsonl", Block),
        conflicts=read_jsonl(rec / "conflicts.jsonl", Conflict),
        cfg=cfg.generate,
    )
    Console().print_json(json.dumps(res.checks, sort_keys=True))
    for ex in res.excluded:
        Console().print(f"[red]excluded[/] {ex.example_id}: {ex.reason} {ex.detail}")
    raise typer.Exit(1 if res.excluded else 0)


@app.command()
def report(build_dir: Annotated[Path, typer.Argument(help="build folder")]) -> None:
    """(Re)write the static QA report of a build folder."""
    from manualtune.report import write_report

    console.print(f"QA report: {write_report(build_dir)}")


@app.command()
def push(
    repo_id: Annotated[str, typer.Argument(help="Hugging Face dataset repo, e.g. you/corvane-240")],
    build_dir: Annotated[Path, typer.Option("--build", help="build folder")] = Path("build"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="list what would be sent")] = False,
) -> None:
    """Upload the dataset (hf/ + JSONL exports) to the Hugging Face Hub; token from $HF_TOKEN."""
    from manualtune.export.push import PushError, push_dataset

    try:
        plan = push_dataset(build_dir, repo_id, dry_run=dry_run)
    except PushError as e:
        raise _fail(str(e)) from e
    out = Console()
    for f in plan.files:
        out.print(f"  {f.path}  ({f.size} bytes)")
    out.print(("would upload" if dry_run else "uploaded") + f" {len(plan.files)} files to {plan.repo_id}")


# Command families that live in their own packages register themselves here; each module defines
# `register(app)`. A family whose module is not written yet is skipped; any other import error is raised.
_COMMAND_MODULES = (
    "manualtune.train.commands",
    "manualtune.evaluate.commands",
    "manualtune.review.commands",
    "manualtune.quality.audit_commands",
)


def _register_families() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name is not None and name.startswith(e.name):
                continue
            raise
        module.register(app)


_register_families()


if __name__ == "__main__":  # pragma: no cover
    app()
