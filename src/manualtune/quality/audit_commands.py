"""`manualtune audit`: judge a seeded, task-stratified sample of examples beside their scans."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def _print_score(path: Path) -> None:
    from manualtune.quality.audit import score_sheet

    s = score_sheet(path)
    table = Table(title=f"audit: {path} ({s.lines} examples, {s.unjudged} not judged)")
    for col in ("task", "judged", "trustworthy", "good"):
        table.add_column(col, justify="left" if col == "task" else "right")

    def pct(k: int, n: int) -> str:
        return f"{k} ({k / n:.0%})" if n else "-"

    for task, t in [*s.by_task.items(), ("all", s.overall)]:
        table.add_row(task, str(t.judged), pct(t.trustworthy, t.judged), pct(t.good, t.judged))
    Console().print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def audit(
        build_dir: Annotated[Path | None, typer.Argument(help="build folder")] = None,
        sample: Annotated[int, typer.Option(help="examples in the sheet")] = 60,
        seed: Annotated[int, typer.Option(help="seed of the draw")] = 0,
        out: Annotated[Path | None, typer.Option(help="folder of the sheet (default BUILD/audit)")] = None,
        score: Annotated[Path | None, typer.Option("--score", help="print the figures of a judged sheet.jsonl")] = None,
    ) -> None:
        """Write an audit sheet (examples beside their source crops, marks saved to JSONL), or score one."""
        from manualtune.quality.audit import AuditConfig, write_audit_sheet

        err = Console(stderr=True)
        if score is not None:
            if not score.is_file():
                err.print(f"[bold red]error:[/] sheet not found: {score}")
                raise typer.Exit(2)
            _print_score(score)
            return
        if build_dir is None or not build_dir.is_dir():
            err.print(f"[bold red]error:[/] build folder not found: {build_dir} (run `manualtune build` first)")
            raise typer.Exit(2)
        try:
            path = write_audit_sheet(build_dir, out, AuditConfig(sample=sample, seed=seed))
        except FileNotFoundError as e:
            err.print(f"[bold red]error:[/] {e}")
            raise typer.Exit(2) from e
        err.print(f"audit sheet: {path} (open it in a browser; marks -> 'Download marks' -> sheet.jsonl)")
        err.print(f"score it:    manualtune audit --score {path.parent / 'sheet.jsonl'}")
