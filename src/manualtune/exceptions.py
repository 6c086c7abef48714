"""Failures a user can cause, one class each, with an exit code and a message that names the fix.

Shaped like OCRmyPDF's ``exceptions.py``: the CLI catches :class:`ManualtuneError`, prints
``str(error)`` (one line: what went wrong, then what to do) and exits with ``error.exit_code``.
The build command keeps its own codes (0 ok, 1 failure, 2 usage, 3 quarantined files).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class ExitCode(IntEnum):
    ok = 0
    failure = 1
    usage = 2  # bad flag, bad config key/value, missing file named on the command line
    missing_dependency = 4  # an optional extra is not installed
    input_not_found = 5  # build folder, dataset export, run or model missing
    no_gpu = 6  # a preset needs CUDA
    bad_adapter = 7  # adapter folder unreadable or for another base model
    bad_dataset = 8  # the dataset cannot be trained on (e.g. no supervised token)
    interrupted = 130  # Ctrl-C: the run is registered and resumable


class ManualtuneError(Exception):
    """Base class: ``message`` says what went wrong, ``fix`` what to do about it."""

    exit_code: ExitCode = ExitCode.failure
    fix: str = ""

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message = message
        if fix is not None:
            self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.message}: {self.fix}" if self.fix else self.message


class ConfigError(ManualtuneError):
    """Unknown key, bad value or failed cross-field check in a training config."""

    exit_code = ExitCode.usage
    fix = "fix the key in --config / --set (see `manualtune train --print-config`)"


class MissingExtraError(ManualtuneError):
    exit_code = ExitCode.missing_dependency

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"the optional dependency '{module}' is not installed",
            f"install the '{extra}' extra: `make {extra}-deps` or `pip install -e '.[{extra}]'`",
        )


class NoGPUError(ManualtuneError):
    exit_code = ExitCode.no_gpu

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} needs a CUDA GPU and none is visible",
            "run it on a GPU machine, or pick a CPU preset (gemma3-270m-cpu, tiny-cpu) / --set method=lora "
            "--set model.load_in_4bit=false",
        )


class ModelNotFoundError(ManualtuneError):
    exit_code = ExitCode.input_not_found

    def __init__(self, model: str, detail: str = "") -> None:
        super().__init__(
            f"model '{model}' not found locally{f' ({detail})' if detail else ''}",
            "pass --model with a local folder or a .gguf file, or allow downloads (unset HF_HUB_OFFLINE) "
            "with network access",
        )


class BuildNotFoundError(ManualtuneError):
    exit_code = ExitCode.input_not_found

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no dataset export in '{path}' (dataset/train.jsonl missing)",
            "build one with `manualtune build SOURCE --out BUILD` (or `make all`) and pass --build BUILD",
        )


class RunNotFoundError(ManualtuneError):
    exit_code = ExitCode.input_not_found

    def __init__(self, run_id: str, runs_dir: str) -> None:
        super().__init__(
            f"no run '{run_id}' in '{runs_dir}'", "list the runs with `manualtune runs --runs-dir DIR`"
        )


class BadAdapterError(ManualtuneError):
    exit_code = ExitCode.bad_adapter
    fix = "re-run the training, or point at a run folder whose adapter/ was written by `manualtune train`"


class NoSupervisedTokensError(ManualtuneError):
    """An example would train on nothing: all its labels are masked under the chosen template."""

    exit_code = ExitCode.bad_dataset
    fix = (
        "the chat template loses the assistant turn (or training.max_length cuts it off): set "
        "model.chat_template to a template that renders the assistant turn last, or raise training.max_length"
    )


class TrainingInterrupted(ManualtuneError):
    exit_code = ExitCode.interrupted

    def __init__(self, run_id: str) -> None:
        super().__init__(
            f"training interrupted, run '{run_id}' saved at its last checkpoint",
            f"resume it with `manualtune train --resume {run_id}`",
        )


@contextmanager
def user_errors(console: Console) -> Iterator[None]:
    """CLI commands: a :class:`ManualtuneError` becomes its one-line message on ``console`` and its exit code."""
    import typer

    try:
        yield
    except ManualtuneError as e:
        console.print(f"[bold red]error:[/] {e}")
        raise typer.Exit(int(e.exit_code)) from e
