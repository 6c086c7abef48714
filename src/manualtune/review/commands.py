"""`manualtune review serve|queue|apply|export` (thin: the logic lives in the package)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True, soft_wrap=True)  # messages name paths: never hard-wrapped
review_app = typer.Typer(no_args_is_help=True, help="Review risky facts and examples; decisions replayed on every build.")

BuildArg = Annotated[Path, typer.Argument(help="build folder (made by `manualtune build`)")]
DecisionsOpt = Annotated[Path | None, typer.Option("--decisions", help="SQLite decisions file (default BUILD/review.sqlite)")]


def _fail(msg: str, code: int = 2) -> typer.Exit:
    console.print(f"[bold red]error:[/] {msg}")
    return typer.Exit(code)


def _check_build(build_dir: Path) -> None:
    if not (build_dir / "summary.json").is_file():
        raise _fail(f"{build_dir} is not a build folder (no summary.json): run `manualtune build` first")


def _store(build_dir: Path, decisions: Path | None):
    from manualtune.review.config import load_review_config, remember_decisions_file
    from manualtune.review.store import DecisionStore

    if decisions is not None:
        remember_decisions_file(build_dir, decisions)
    return DecisionStore(load_review_config(build_dir).decisions_path(build_dir))


@review_app.command()
def serve(
    build_dir: BuildArg,
    host: Annotated[str, typer.Option(help="address to bind; anything but loopback needs a token")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8765,
    token: Annotated[str | None, typer.Option(help="access token (generated and printed off loopback)")] = None,
    decisions: DecisionsOpt = None,
) -> None:
    """Start the review web app on BUILD_DIR."""
    try:
        import uvicorn

        from manualtune.review.server import ServerConfigError, create_app
    except ImportError as e:
        raise _fail(f"the review web app needs the review extra: make review-deps ({e.name} missing)", 1) from e
    from manualtune.review.config import load_review_config
    from manualtune.review.security import is_loopback, new_token

    _check_build(build_dir)
    _store(build_dir, decisions)
    if token is None and not is_loopback(host):
        token = new_token()
        console.print("[yellow]not loopback: access token generated[/]")
    try:
        app = create_app(build_dir, host=host, token=token, cfg=load_review_config(build_dir))
    except ServerConfigError as e:
        raise _fail(str(e)) from e
    url = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"review: {url}  (decisions: {app.state.review.store.path})")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@review_app.command()
def queue(
    build_dir: BuildArg,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
    reason: Annotated[str | None, typer.Option(help="only items with this reason")] = None,
    kind: Annotated[str | None, typer.Option(help="fact, conflict or example")] = None,
    status: Annotated[str | None, typer.Option(help="pending or reviewed")] = None,
    limit: Annotated[int, typer.Option(help="at most N items (0: all)")] = 0,
    decisions: DecisionsOpt = None,
) -> None:
    """Print the review queue, riskiest first (and the stale decisions)."""
    from manualtune.review.apply import review_figures
    from manualtune.review.config import load_review_config
    from manualtune.review.queue import QueueFilter, build_queue, known_keys, load_build
    from manualtune.review.risk import REASONS

    _check_build(build_dir)
    if reason is not None and reason not in REASONS:
        raise _fail(f"unknown reason {reason!r}; one of: {', '.join(REASONS)}")
    store = _store(build_dir, decisions)
    b = load_build(build_dir)
    decided = {d.key: d for d in store.all()}
    items = QueueFilter(reason=reason, kind=kind, status=status).apply(
        build_queue(b, load_review_config(build_dir), decided))
    if limit > 0:
        items = items[:limit]
    keys = known_keys(b)
    stale = [d for k, d in sorted(decided.items()) if k not in keys]
    review_figures(build_dir)
    if as_json:
        for it in items:
            sys.stdout.write(json.dumps(it.json_line(), sort_keys=True, ensure_ascii=False) + "\n")
    else:
        out = Console()
        for it in items:
            src = f"{it.source.file} p.{it.source.page}" if it.source.file else "-"
            out.print(f"{it.risk:6.1f}  {it.status:8} {it.kind:8} {it.reason:22} {it.title}  [dim]{src}[/]", markup=True,
                      highlight=False, soft_wrap=True)
    for n in b.notices:
        console.print(f"[yellow]note:[/] {n}")
    console.print(f"{len(items)} item(s); {sum(i.status == 'pending' for i in items)} pending; "
                  f"{len(stale)} stale decision(s)")
    for d in stale[:20]:
        console.print(f"  [yellow]stale[/] {d.key} ({d.action} {d.when})")


@review_app.command()
def apply(
    build_dir: BuildArg,
    decisions_jsonl: Annotated[Path, typer.Argument(help="decisions JSONL ('-' for stdin)")],
    decisions: DecisionsOpt = None,
) -> None:
    """Import decisions from JSONL into the build's decisions store (applied on the next build)."""
    _check_build(build_dir)
    if str(decisions_jsonl) != "-" and not decisions_jsonl.is_file():
        raise _fail(f"no such file: {decisions_jsonl}")
    store = _store(build_dir, decisions)
    text = sys.stdin.read() if str(decisions_jsonl) == "-" else decisions_jsonl.read_text(encoding="utf-8")
    stored, errors = store.import_jsonl(text.splitlines(), source=str(decisions_jsonl))
    (build_dir / "cache" / "build.key").unlink(missing_ok=True)  # the next build re-applies decisions
    for e in errors:
        console.print(f"[red]skipped[/] {e}")
    console.print(f"{stored} decision(s) stored in {store.path}; run `manualtune build` to apply them")
    raise typer.Exit(1 if errors else 0)


@review_app.command()
def export(build_dir: BuildArg, decisions: DecisionsOpt = None) -> None:
    """Print every decision as JSONL (sorted by key), for git or another build."""
    _check_build(build_dir)
    sys.stdout.write(_store(build_dir, decisions).export_jsonl())


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
