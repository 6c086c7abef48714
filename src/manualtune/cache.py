"""Content-hash cache, atomic writes and deterministic JSON/JSONL output.

A stage output is cached under ``<build>/cache/<stage>/<key[:2]>/<key>.json`` where ``key`` is
the sha256 of (stage name, stage version, stage config, input hash). A rerun with nothing
changed reads the cache; an interrupted build resumes because finished pages are already
cached (each written atomically: temp file + rename).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def stable_json(obj: Any) -> str:
    """Canonical JSON: sorted keys, no NaN, UTF-8 kept, compact separators."""
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    return json.dumps(
        obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_model_to_json
    )


def _model_to_json(obj: Any) -> Any:
    """json.dumps fallback: pydantic records nested in lists/dicts (e.g. a list of SourceFile)."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def stable_hash(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(stable_json(p).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def short_id(*parts: Any, n: int = 16) -> str:
    return stable_hash(*parts)[:n]


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are ordinary readable files
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def link_or_copy(src: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Put ``src`` at ``dest`` (parents made): a hard link where the file system allows it, else a copy.
    A symlink would not do for a build's source folder: the inventory never follows one out of it."""
    import shutil

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def write_json(path: str | os.PathLike, obj: Any, indent: int | None = 1) -> None:
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    atomic_write_text(path, json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=indent, allow_nan=False) + "\n")


def write_jsonl(path: str | os.PathLike, records: Iterable[BaseModel | dict]) -> int:
    """Write records one per line with sorted keys; returns the count. Order is the caller's."""
    lines = [stable_json(r) for r in records]
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return len(lines)


def read_jsonl(path: str | os.PathLike, model: type[T] | None = None) -> list:
    path = Path(path)
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            out.append(model.model_validate(d) if model is not None else d)
    return out


class StageCache:
    """Per-stage content-addressed cache of JSON-serialisable pydantic records."""

    def __init__(self, root: str | os.PathLike, stage: str, version: str, config: Any = None):
        self.root = Path(root) / stage
        self.stage = stage
        self.version = version
        self.config_hash = stable_hash(config if config is not None else {})
        self.hits = 0
        self.misses = 0

    def key(self, input_hash: str) -> str:
        return stable_hash(self.stage, self.version, self.config_hash, input_hash)

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, input_hash: str, model: type[T]) -> T | None:
        p = self.path(self.key(input_hash))
        if not p.exists():
            self.misses += 1
            return None
        try:
            rec = model.model_validate_json(p.read_text(encoding="utf-8"))
        except Exception:  # a damaged cache entry is recomputed, never trusted
            self.misses += 1
            return None
        self.hits += 1
        return rec

    def put(self, input_hash: str, record: BaseModel) -> None:
        # pydantic's own serializer (Rust): a cache entry is read back by model_validate_json, never
        # compared or shipped, so it needs no sorted keys (json.dumps of a page costs ~6x more)
        atomic_write_text(self.path(self.key(input_hash)), record.model_dump_json())


TEMP_PATTERNS: dict[str, str] = {
    ".*.tmp": "file being written by atomic_write_bytes (temp name, renamed over the target when complete)",
    ".hf.*": "folder of export.write_hf (save_to_disk into a temp folder, then swapped in for hf/)",
}
"""Names of the half-written things an interrupted build can leave behind, and who writes them."""


def sweep_temp_files(root: str | os.PathLike) -> list[str]:
    """Delete leftovers of an interrupted build under ``root`` (names in :data:`TEMP_PATTERNS`).

    Call it only while holding the build lock (no other writer is active). Symlinks are not
    followed. Returns the removed paths relative to ``root``, sorted."""
    import fnmatch
    import shutil

    root = Path(root)
    removed: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames):
            if any(fnmatch.fnmatchcase(name, pat) for pat in TEMP_PATTERNS):
                full = Path(dirpath) / name
                if full.is_symlink():
                    full.unlink()
                else:
                    shutil.rmtree(full, ignore_errors=True)
                removed.append(full.relative_to(root).as_posix())
                dirnames.remove(name)
        for name in filenames:
            if any(fnmatch.fnmatchcase(name, pat) for pat in TEMP_PATTERNS):
                full = Path(dirpath) / name
                full.unlink(missing_ok=True)
                removed.append(full.relative_to(root).as_posix())
    return sorted(removed)


BUILD_MANIFEST = "build_manifest.json"
MANIFEST_SCOPE: tuple[str, ...] = (
    "dataset", "ocr", "quarantine.jsonl", "records", "report", "review/facts_extracted.jsonl", "review/summary.json",
    "summary.json",
)
"""What a build writes (files, or folders taken whole), relative to the build folder. Not listed:
``cache/`` (safe to delete), ``build.lock``, and what other commands keep there (``review.sqlite``,
``review/config.json``, ``audit/``)."""


def _manifest_files(out_dir: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for entry in MANIFEST_SCOPE:
        p = out_dir / entry
        paths = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else ([p] if p.is_file() else [])
        for q in paths:
            files[q.relative_to(out_dir).as_posix()] = sha256_file(q)
    return dict(sorted(files.items()))


MANIFEST_KEY = "cache/manifest.key"
"""The build key the manifest was written for (in ``cache/``: the manifest itself holds only what is
on disk, so it is the same for two builds of the same outputs, whatever folder or mtimes)."""


def write_build_manifest(out_dir: str | os.PathLike, build_key: str) -> None:
    """Write ``build_manifest.json`` (sha256 of every output) — last, atomically — then note the key.

    A folder whose outputs match their manifest is one complete build (:func:`verify_build`); an
    interrupted build leaves either no manifest or one whose hashes no longer match."""
    out_dir = Path(out_dir)
    write_json(out_dir / BUILD_MANIFEST, {"files": _manifest_files(out_dir)})
    atomic_write_text(out_dir / MANIFEST_KEY, build_key + "\n")


def manifest_is_current(out_dir: str | os.PathLike, build_key: str) -> bool:
    """True when ``build_manifest.json`` exists and was written for ``build_key`` (hashes nothing)."""
    out_dir = Path(out_dir)
    try:
        noted = (out_dir / MANIFEST_KEY).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return noted == build_key and (out_dir / BUILD_MANIFEST).is_file()


def verify_build(out_dir: str | os.PathLike) -> list[str]:
    """Problems that make ``out_dir`` not one complete build (empty list: every output is the one the
    last finished build wrote). For readers of a build folder: train, evaluate, push …"""
    out_dir = Path(out_dir)
    try:
        manifest = json.loads((out_dir / BUILD_MANIFEST).read_text(encoding="utf-8"))
        recorded: dict[str, str] = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"no readable {BUILD_MANIFEST}: the build did not finish; rerun `manualtune build`"]
    found = _manifest_files(out_dir)
    problems = [f"{name}: missing" for name in recorded if name not in found]
    problems += [f"{name}: changed since the build" for name in recorded if name in found and found[name] != recorded[name]]
    problems += [f"{name}: not written by the last finished build" for name in found if name not in recorded]
    return sorted(problems)
