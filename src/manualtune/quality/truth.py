"""Reading hand-made ``*.truth.json`` files (shared by the OCR and fact scorers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def read_truth_files(truth_dir: Path) -> Iterator[tuple[Path, dict]]:
    """``(path, data)`` of every ``*.truth.json`` under ``truth_dir``, sorted by path; files that cannot
    be read or parsed as a JSON object are skipped."""
    for path in sorted(Path(truth_dir).rglob("*.truth.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            yield path, data


def truth_file_name(path: Path, data: dict) -> str:
    """The page a truth file describes: its ``file`` field, else the truth file's own stem."""
    return str(data.get("file") or path.name.replace(".truth.json", ""))
