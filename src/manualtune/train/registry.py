"""The run registry: one folder per run under ``runs/`` (see the README ("Fine-tuning") for the layout).

``run.json`` holds ``run_id``, ``status`` (running | finished | interrupted | failed), ``created``,
``hypothesis``, ``learnings``, ``config`` (the resolved TrainConfig), ``dataset_fingerprint``,
``git_commit``, ``versions``, ``hardware`` and, once trained, ``results``. ``metrics.jsonl`` has one
JSON object per logged step. Files are written atomically with sorted keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from manualtune.cache import atomic_write_text
from manualtune.exceptions import RunNotFoundError

RUN_FILE = "run.json"
METRICS_FILE = "metrics.jsonl"
SAMPLES_FILE = "samples.jsonl"
LOSS_PNG = "loss.png"
STATUSES = ("running", "finished", "interrupted", "failed")
VERSIONED = ("manualtune", "torch", "transformers", "peft", "trl", "datasets", "accelerate", "bitsandbytes")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id(label: str, payload: dict) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode() + os.urandom(8)).hexdigest()
    slug = "".join(c if c.isalnum() or c in ".-" else "-" for c in label.lower()).strip("-") or "run"
    return f"{stamp}-{slug}-{digest[:6]}"


def git_commit(cwd: Path | None = None) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def hardware() -> dict:
    import psutil

    info = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "gpu": None,
    }
    try:
        import torch

        if torch.cuda.is_available():
            props = torch.cuda.get_device_properties(0)
            info["gpu"] = {"name": props.name, "count": torch.cuda.device_count(),
                           "memory_gb": round(props.total_memory / 2**30, 1)}
    except ImportError:
        pass
    return info


def write_json(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_run(run_dir: Path) -> dict:
    return json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))


def update_run(run_dir: Path, **fields) -> dict:
    data = read_run(run_dir)
    data.update(fields)
    data["updated"] = utc_now()
    write_json(run_dir / RUN_FILE, data)
    return data


def create_run(runs_dir: Path, run_id: str, record: dict) -> Path:
    run_dir = Path(runs_dir) / run_id
    run_dir.mkdir(parents=True, exist_ok=False)
    record = {"run_id": run_id, "status": "running", "created": utc_now(), "learnings": "", **record}
    write_json(run_dir / RUN_FILE, record)
    return run_dir


def find_run(runs_dir: Path, run_id: str) -> Path:
    """The folder of ``run_id`` (an unambiguous prefix is enough); RunNotFoundError otherwise."""
    runs_dir = Path(runs_dir)
    exact = runs_dir / run_id
    if (exact / RUN_FILE).is_file():
        return exact
    matches = sorted(p for p in runs_dir.glob(f"{run_id}*") if (p / RUN_FILE).is_file()) if runs_dir.is_dir() else []
    if len(matches) == 1:
        return matches[0]
    raise RunNotFoundError(run_id, str(runs_dir))


def list_runs(runs_dir: Path) -> list[Path]:
    runs_dir = Path(runs_dir)
    if not runs_dir.is_dir():
        return []
    dirs = [p for p in runs_dir.iterdir() if (p / RUN_FILE).is_file()]
    return sorted(dirs, key=lambda p: (read_run(p).get("created", ""), p.name))


def append_jsonl(path: Path, row: dict) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_metrics(run_dir: Path) -> list[dict]:
    return read_jsonl(Path(run_dir) / METRICS_FILE)


def write_jsonl_rows(path: Path, rows: list[dict]) -> None:
    atomic_write_text(path, "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows))
