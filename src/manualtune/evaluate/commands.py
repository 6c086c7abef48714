"""CLI of evaluation and retrieval: ``probes``, ``eval``, ``ask``, ``chat``, ``export-lmeval``.

Thin: parse flags, call :mod:`manualtune.evaluate` / :mod:`manualtune.retrieve`, print. Every
:class:`~manualtune.exceptions.ManualtuneError` becomes its one-line message and exit code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from manualtune.exceptions import ExitCode, ManualtuneError, user_errors

console = Console(stderr=True, soft_wrap=True)  # messages name paths: never hard-wrapped
out = Console()

BuildOpt = Annotated[Path, typer.Option("--build", help="build folder (made by `manualtune build`)")]
RunOpt = Annotated[str | None, typer.Option("--run", help="run id (or unique prefix) under --runs-dir, or a run folder")]
RunsOpt = Annotated[Path, typer.Option("--runs-dir", help="run registry folder")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
HEADLINE = ("n", "exact_match", "hallucination_rate", "refusal_rate", "false_refusal_rate", "unit_compliance",
            "numbering_ok")




class _BuildMissing(ManualtuneError):
    exit_code = ExitCode.input_not_found
    fix = "run `manualtune build SOURCE --out BUILD` first (or `make all` for the sample manual)"


def _check_build(build: Path) -> None:
    if not (build / "records" / "facts.jsonl").is_file():
        raise _BuildMissing(f"{build} is not a build folder (no records/facts.jsonl)")


def _run_dir(run: str | None, runs_dir: Path) -> Path | None:
    if run is None:
        return None
    p = Path(run)
    if (p / "run.json").is_file():
        return p
    from manualtune.train.registry import find_run

    return find_run(runs_dir, run)


class _BadConfig(ManualtuneError):
    exit_code = ExitCode.usage
    fix = "see ProbeConfig in src/manualtune/evaluate/config.py for the keys of the `probes` section"


def probe_config(path: Path | None):
    """The ``probes`` section of a YAML/JSON config file (defaults without a file)."""
    import yaml
    from pydantic import ValidationError

    from manualtune.evaluate.config import ProbeConfig

    if path is None:
        return ProbeConfig()
    if not path.is_file():
        raise _BadConfig(f"config file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return ProbeConfig.model_validate(data.get("probes", {}) if isinstance(data, dict) else {})
    except (yaml.YAMLError, ValidationError) as e:
        raise _BadConfig(f"{path}: bad `probes` section ({str(e).splitlines()[0]})") from e


def _probes(build: Path, probes_file: Path | None, config: Path | None = None):
    from manualtune.evaluate.probes import load_probes, make_probes

    return load_probes(probes_file) if probes_file else make_probes(build, probe_config(config))


ConfigOpt = Annotated[Path | None, typer.Option("--config", help="YAML/JSON with a `probes` section (ProbeConfig)")]


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{100 * v:.1f} %" if isinstance(v, float) else str(v)


def register(app: typer.Typer) -> None:
    @app.command("probes")
    def probes_cmd(
        build: Annotated[Path, typer.Argument(help="build folder")],
        out_file: Annotated[Path | None, typer.Option("--out", help="probe JSONL (default BUILD/eval/probes.jsonl)")] = None,
        config: ConfigOpt = None,
    ) -> None:
        """Write the probe set of a build: paraphrase, unseen and unanswerable questions (JSONL)."""
        from collections import Counter

        from manualtune.evaluate.probes import make_probes, probe_set_hash, write_probes

        with user_errors(console):
            _check_build(build)
            probes = make_probes(build, probe_config(config))
            path = out_file or build / "eval" / "probes.jsonl"
            write_probes(probes, path)
        counts = Counter(p.kind for p in probes)
        console.print(f"{len(probes)} probes ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
                      f"probe set {probe_set_hash(probes)} -> {path}")

    @app.command("eval")
    def eval_cmd(
        build: BuildOpt = Path("build"),
        system: Annotated[str, typer.Option("--system", help="rag | model | rag+model")] = "rag",
        run: RunOpt = None,
        runs_dir: RunsOpt = Path("runs"),
        probes_file: Annotated[Path | None, typer.Option("--probes", help="probe JSONL (default: made from the build)")] = None,
        batch_size: Annotated[int, typer.Option(help="generation batch size")] = 8,
        max_new_tokens: Annotated[int, typer.Option(help="generation length limit")] = 128,
        limit: Annotated[int, typer.Option(help="only the first N probes (0: all)")] = 0,
        config: ConfigOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Score a system on the probes: exact value+unit, hallucination, refusal; writes eval JSON + HTML."""
        from manualtune.evaluate.runner import run_eval

        with user_errors(console):
            _check_build(build)
            run_dir = _run_dir(run, runs_dir)
            probes = _probes(build, probes_file, config)
            if limit:
                probes = probes[:limit]
            doc, path = run_eval(system, build, probes, run_dir=run_dir, batch_size=batch_size,
                                 max_new_tokens=max_new_tokens)
        if as_json:
            out.print_json(json.dumps({**{k: doc[k] for k in (*HEADLINE, "by_kind", "by_task", "system", "probe_set",
                                                                "timing")}, "file": str(path)}))
            return
        table = Table(title=f"manualtune eval --system {system} (probe set {doc['probe_set']})")
        table.add_column("")
        for k in HEADLINE:
            table.add_column(k.replace("_", " "), justify="right")
        table.add_row("all", *(_fmt(doc[k]) for k in HEADLINE))
        for name, group in (*(("kind " + k, v) for k, v in doc["by_kind"].items()),
                            *(("task " + k, v) for k, v in doc["by_task"].items())):
            table.add_row(name, *(_fmt(group.get(k)) for k in HEADLINE))
        out.print(table)
        console.print(f"wrote {path} and {path.with_suffix('.html')}")

    @app.command("ask")
    def ask_cmd(
        question: Annotated[str, typer.Argument(help="the question, in quotes")],
        build: BuildOpt = Path("build"),
        run: RunOpt = None,
        runs_dir: RunsOpt = Path("runs"),
        as_json: JsonOpt = False,
    ) -> None:
        """Answer from the build's records (value + unit as printed, page citation) or abstain."""
        with user_errors(console):
            _check_build(build)
            from manualtune.evaluate.chat import AskSession

            answer = AskSession(build, _run_dir(run, runs_dir)).ask(question)
        if as_json:
            out.print_json(answer.model_dump_json(include={"answer", "value", "unit", "abstained", "citations", "score"}))
        else:
            out.print(answer.answer)

    @app.command("chat")
    def chat_cmd(
        build: BuildOpt = Path("build"),
        run: RunOpt = None,
        runs_dir: RunsOpt = Path("runs"),
    ) -> None:
        """Ask questions in a loop (/sources: the cited page crops, /quit or Ctrl-D: leave)."""
        from manualtune.evaluate.chat import chat_loop

        with user_errors(console):
            _check_build(build)
            chat_loop(build, _run_dir(run, runs_dir), console=out)

    @app.command("export-lmeval")
    def export_lmeval_cmd(
        build: Annotated[Path, typer.Argument(help="build folder")],
        out_dir: Annotated[Path, typer.Argument(help="folder for the task YAML, data and scorer")],
        probes_file: Annotated[Path | None, typer.Option("--probes", help="probe JSONL (default: made from the build)")] = None,
    ) -> None:
        """Write an lm-evaluation-harness task (generate_until + the unit-aware scorer)."""
        from manualtune.evaluate.lmeval import TASK, export_lmeval

        with user_errors(console):
            _check_build(build)
            paths = export_lmeval(build, _probes(build, probes_file), out_dir)
        console.print(f"wrote {', '.join(str(p) for p in paths)}")
        console.print(f"run: lm_eval --model hf --model_args pretrained=MODEL --include_path {out_dir} --tasks {TASK}")
