"""CLI of the training family: ``train``, ``sweep``, ``runs`` (``show``, ``note``), ``route``, ``export-model``.

Thin: parse flags, call the package, print; every :class:`ManualtuneError` becomes its one-line message
and exit code.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from manualtune.exceptions import ManualtuneError, MissingExtraError, user_errors

console = Console(stderr=True, soft_wrap=True)  # messages name paths: never hard-wrapped


def _out() -> Console:
    """Standard output, sized to the terminal (COLUMNS) at the time of the call, not of the import."""
    return Console()


BuildOpt = Annotated[Path, typer.Option("--build", help="build folder holding dataset/train.jsonl")]
RunsOpt = Annotated[Path, typer.Option("--runs-dir", help="run registry folder")]
PresetOpt = Annotated[str | None, typer.Option("--preset", help="tiny-cpu, gemma3-270m-cpu, exp1-llama3.2-3b-r16, ...")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="YAML/JSON config (model/lora/training/data)")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="key=value override, repeatable (lora.r=32)")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="HF id, local folder or .gguf file")]
TaskOpt = Annotated[str | None, typer.Option("--task", help="train on one task type (SPEC, PROCEDURE, ...)")]




def require_train_extra() -> None:
    for module in ("torch", "transformers", "peft", "trl", "datasets"):
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError("train", module)


def _log(msg: str) -> None:
    console.print(f"[dim]train:[/] {msg}")


def _progress_enabled() -> bool:
    return console.is_terminal or os.environ.get("MANUALTUNE_PROGRESS") == "1"


def _print_result(result) -> None:
    r = result.results
    console.print(
        f"[green]{result.status}[/] run [bold]{result.run_id}[/]: {r.get('steps')} steps, train loss "
        f"{r.get('first_train_loss', float('nan')):.4f} -> {r.get('final_train_loss', float('nan')):.4f}, "
        f"val loss {r.get('eval_loss', float('nan')):.4f}, {r.get('minutes')} min ({result.run_dir})"
    )


def register(app: typer.Typer) -> None:
    from manualtune.train.runs_table import experiment_log, rich_table, to_csv, to_json, write_index

    @app.command()
    def train(
        build: BuildOpt = Path("build"),
        preset: PresetOpt = None,
        config: ConfigOpt = None,
        set_: SetOpt = None,
        model: ModelOpt = None,
        runs_dir: RunsOpt = Path("runs"),
        max_steps: Annotated[int | None, typer.Option("--max-steps", help="stop after N optimizer steps")] = None,
        task: TaskOpt = None,
        hypothesis: Annotated[str, typer.Option(help="what this run should show")] = "",
        resume: Annotated[str | None, typer.Option("--resume", help="continue an interrupted run")] = None,
        eval_every: Annotated[
            int | None, typer.Option("--eval-every", help="score probes every N steps (needs manualtune.evaluate)")
        ] = None,
        print_config: Annotated[bool, typer.Option("--print-config", help="print the resolved config, exit")] = False,
    ) -> None:
        """Fine-tune a model with LoRA (QLoRA on CUDA) on the build's dataset; registers a run."""
        import yaml

        from manualtune.train.config import resolve_config

        with user_errors(console):
            sets = list(set_ or [])
            if eval_every is not None:
                sets.append(f"training.eval_every={eval_every}")
            cfg = None
            if not resume or print_config:
                cfg = resolve_config(preset, config, sets, model=model, max_steps=max_steps, task=task)
            if print_config:
                _out().print(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False), end="", markup=False)
                return
            require_train_extra()
            from manualtune.train.loop import train_run

            result = train_run(cfg, build, runs_dir, hypothesis=hypothesis, resume=resume, max_steps=max_steps,
                               log=_log,
                               console=console if _progress_enabled() else None, progress=True)
            write_index(runs_dir)
            _print_result(result)
            if result.status == "interrupted":
                from manualtune.exceptions import TrainingInterrupted

                raise TrainingInterrupted(result.run_id)

    @app.command()
    def sweep(
        build: BuildOpt = Path("build"),
        preset: PresetOpt = None,
        config: ConfigOpt = None,
        set_: SetOpt = None,
        model: ModelOpt = None,
        runs_dir: RunsOpt = Path("runs"),
        max_steps: Annotated[int | None, typer.Option("--max-steps")] = None,
        task: TaskOpt = None,
        hypothesis: Annotated[str, typer.Option()] = "",
    ) -> None:
        """One run per grid point of the --set lists (--set lora.r=8,16,32,64), then the table."""
        from manualtune.train.config import resolve_config
        from manualtune.train.sweep import expand_grid

        with user_errors(console):
            points = expand_grid(list(set_ or []))
            configs = [resolve_config(preset, config, p, model=model, max_steps=max_steps, task=task) for p in points]
            require_train_extra()
            from manualtune.train.loop import train_run

            ids = []
            for point, cfg in zip(points, configs, strict=True):
                _log(f"sweep point {len(ids) + 1}/{len(points)}: {' '.join(point) or '(preset)'}")
                varying = [kv for kv in point if sum(kv in q for q in points) < len(points)] or point
                hyp = f"{hypothesis} [{' '.join(varying)}]".strip()
                result = train_run(cfg, build, runs_dir, hypothesis=hyp, log=_log,
                                   console=console if _progress_enabled() else None)
                _print_result(result)
                ids.append(result.run_id)
            rows = [r for r in write_index(runs_dir) if r["run_id"] in ids]
            _out().print(rich_table(rows, title=f"sweep: {len(ids)} runs"))

    runs_app = typer.Typer(help="The run registry: comparison table, experiment-log pages, notes.",
                           invoke_without_command=True)

    @runs_app.callback()
    def runs(
        ctx: typer.Context,
        runs_dir: RunsOpt = Path("runs"),
        format_: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
    ) -> None:
        """The comparison table of all runs (also writes RUNS_DIR/runs.csv and RUNS_DIR/index.html)."""
        if ctx.invoked_subcommand is not None:
            ctx.obj = {"runs_dir": runs_dir}
            return
        with user_errors(console):
            if format_ not in ("table", "csv", "json"):
                raise ManualtuneError(f"unknown --format '{format_}'", "use table, csv or json")
            rows = write_index(runs_dir)
            if format_ == "json":
                _out().print(to_json(rows), markup=False, highlight=False, soft_wrap=True)
            elif format_ == "csv":
                _out().print(to_csv(rows), end="", markup=False, highlight=False, soft_wrap=True)
            else:
                _out().print(rich_table(rows) if rows else f"no runs in {runs_dir}")

    @runs_app.command("show")
    def runs_show(ctx: typer.Context, run_id: str) -> None:
        """One run as the experiment-log page: hypothesis, config, training, eval, learnings."""
        from manualtune.train.registry import find_run

        with user_errors(console):
            run_dir = find_run(ctx.obj["runs_dir"], run_id)
            _out().print(experiment_log(run_dir), markup=False, highlight=False, soft_wrap=True)

    @runs_app.command("note")
    def runs_note(
        ctx: typer.Context,
        run_id: str,
        learnings: Annotated[str | None, typer.Option("--learnings", help="what the run taught")] = None,
        hypothesis: Annotated[str | None, typer.Option("--hypothesis")] = None,
    ) -> None:
        """Record learnings (and/or the hypothesis) of a run."""
        from manualtune.train.registry import find_run, update_run

        with user_errors(console):
            if learnings is None and hypothesis is None:
                raise ManualtuneError("nothing to note", "pass --learnings TEXT and/or --hypothesis TEXT")
            run_dir = find_run(ctx.obj["runs_dir"], run_id)
            fields = {k: v for k, v in (("learnings", learnings), ("hypothesis", hypothesis)) if v is not None}
            update_run(run_dir, **fields)
            write_index(ctx.obj["runs_dir"])
            console.print(f"noted on {run_dir.name}")

    app.add_typer(runs_app, name="runs")

    @app.command()
    def route(
        runs: Annotated[str, typer.Option("--runs", help="comma-separated per-task run ids")],
        build: BuildOpt = Path("build"),
        runs_dir: RunsOpt = Path("runs"),
        hypothesis: Annotated[str, typer.Option()] = "",
    ) -> None:
        """Register a router over per-task adapters ([TASK] tag, else TF-IDF + logistic regression)."""
        from manualtune.train.routing import create_router

        with user_errors(console):
            run_dir = create_router(runs_dir, [r.strip() for r in runs.split(",") if r.strip()], build, hypothesis)
            write_index(runs_dir)
            console.print(f"router run [bold]{run_dir.name}[/] ({run_dir})")

    @app.command("export-model")
    def export_model_cmd(
        run_id: str,
        out: Annotated[Path, typer.Option("--out", help="output folder (new or empty)")],
        merge: Annotated[bool, typer.Option("--merge", help="merge the adapter into the base weights")] = False,
        runs_dir: RunsOpt = Path("runs"),
    ) -> None:
        """Write a run's adapter (or the merged model) as a folder transformers loads."""
        from manualtune.train.export_model import export_model
        from manualtune.train.registry import find_run

        with user_errors(console):
            require_train_extra()
            path = export_model(find_run(runs_dir, run_id), out, merge=merge)
            console.print(f"{'merged model' if merge else 'adapter'} written to {path}")

