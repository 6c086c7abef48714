"""Tolerant readers for the build folder: a missing, empty or damaged file never stops the report.

Each reader returns the records it could read; lines (or files) it could not read are appended
to an :class:`InputLog` so the report can say what was wrong instead of crashing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)


@dataclass
class InputLog:
    """What each input file looked like: ``status[rel] = 'missing' | 'empty' | 'ok'`` + bad lines."""

    status: dict[str, str] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, rel: str, line: int | None, error: str) -> None:
        self.problems.append({"file": rel, "line": line, "error": error[:300]})


def _short_error(e: Exception) -> str:
    if isinstance(e, ValidationError):
        errs = e.errors()
        first = errs[0] if errs else {}
        loc = ".".join(str(x) for x in first.get("loc", ()))
        return f"{len(errs)} validation error(s); first: {loc}: {first.get('msg', '')}"
    return f"{type(e).__name__}: {e}"


def read_records(build_dir: Path, rel: str, model: type[T], log: InputLog) -> list[T]:
    """Read ``build_dir/rel`` as JSONL of ``model``; bad lines are logged and skipped."""
    path = build_dir / rel
    if not path.is_file():
        log.status[rel] = "missing"
        return []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        log.status[rel] = "unreadable"
        log.problem(rel, None, _short_error(e))
        return []
    out: list[T] = []
    for i, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            out.append(model.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as e:
            log.problem(rel, i, _short_error(e))
    log.status[rel] = "ok" if out else "empty"
    return out


def read_json(build_dir: Path, rel: str, log: InputLog) -> Any | None:
    """Read one JSON file, or None when it is missing or unparsable (logged)."""
    path = build_dir / rel
    if not path.is_file():
        log.status[rel] = "missing"
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError) as e:
        log.status[rel] = "unreadable"
        log.problem(rel, None, _short_error(e))
        return None
    log.status[rel] = "ok" if data not in (None, {}, []) else "empty"
    return data


def iter_ocr_pages(build_dir: Path, model: type[T], log: InputLog) -> Iterator[T]:
    """Every ``ocr/*.json`` (sorted by file name) as ``model``, one at a time (a report of thousands
    of pages never holds all their words); bad files are logged."""
    folder = build_dir / "ocr"
    rel = "ocr/"
    if not folder.is_dir():
        log.status[rel] = "missing"
        return
    n = 0
    for path in sorted(folder.glob("*.json")):
        try:
            page = model.model_validate_json(path.read_bytes())
        except (OSError, ValueError, ValidationError) as e:
            log.problem(f"ocr/{path.name}", None, _short_error(e))
            continue
        n += 1
        yield page
    log.status[rel] = "ok" if n else "empty"


def read_ocr_pages(build_dir: Path, model: type[T], log: InputLog) -> list[T]:
    """:func:`iter_ocr_pages` as a list."""
    return list(iter_ocr_pages(build_dir, model, log))
