"""Errors inside a stage are records, never an empty result.

A stage that meets input it cannot handle (a layout bug on one odd page, a generator that trips on
one fact group) must not stop the build, but it must not shrink the dataset in silence either. The
pattern (after docling's ``ErrorItem`` and datatrove's per-reason counters)::

    with collect_stage_errors() as errors:          # the pipeline, once per build
        ...
        with stage_guard("generate.spec", group_key):   # inside a stage, around one record
            out.extend(make_examples(group))

``stage_guard`` swallows the exception only while a collector is active and records it as a
:class:`StageError` (stage, record id, exception type, message, the innermost frame). Outside a
collector (unit tests, library use) the exception propagates, so a bug is seen where it happens.
The pipeline writes the records to ``records/stage_errors.jsonl``, counts them in ``summary.json``
and the QA report shows them; a build with stage errors is still a build, never "clean".
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from manualtune.records import Record

_ACTIVE: ContextVar[list[StageError] | None] = ContextVar("manualtune_stage_errors", default=None)


class StageError(Record):
    """One record a stage could not process."""

    stage: str
    record_id: str
    exception: str
    message: str
    where: str = ""


@contextmanager
def collect_stage_errors() -> Iterator[list[StageError]]:
    """Collect the errors of every :func:`stage_guard` inside the block into the yielded list."""
    errors: list[StageError] = []
    token = _ACTIVE.set(errors)
    try:
        yield errors
    finally:
        _ACTIVE.reset(token)


def record_stage_error(stage: str, record_id: str, exc: BaseException) -> None:
    """Append ``exc`` as a :class:`StageError` to the active collector; re-raise when there is none."""
    errors = _ACTIVE.get()
    if errors is None:
        raise exc
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    errors.append(
        StageError(stage=stage, record_id=record_id, exception=type(exc).__name__, message=str(exc)[:500], where=where)
    )


@contextmanager
def stage_guard(stage: str, record_id: str) -> Iterator[None]:
    """Run one record's work; an exception becomes a :class:`StageError` (see the module docstring)."""
    try:
        yield
    except Exception as e:  # noqa: BLE001 - recorded, counted and reported; re-raised without a collector
        record_stage_error(stage, record_id, e)


def sorted_errors(errors: list[StageError]) -> list[StageError]:
    """Stable order for the JSONL file (builds stay byte-identical)."""
    return sorted(errors, key=lambda e: (e.stage, e.record_id, e.exception, e.message))
