"""Walk a source folder safely: every entry is a file to read, skipped by an ignore pattern, or
quarantined with a reason — never followed out of the folder, never opened when it could block.

Rules (each has a test in ``tests/ingest/test_hostile.py``):

- folders are walked without following symbolic links (``os.walk(followlinks=False)``), so a link
  loop cannot recurse; a link to a folder is quarantined (``symlinked_folder`` when it points inside
  the source, ``symlink_outside_source`` / ``symlink_loop`` / ``dangling_symlink`` otherwise);
- a link to a file is read only when its real target is a regular file inside the source folder;
- FIFOs, sockets and device files are never opened (``not_a_regular_file``);
- a folder that cannot be listed is quarantined (``other``: "cannot list the folder"), not skipped;
- a name that is not valid UTF-8 (undecodable bytes) is quarantined (``bad_file_name``) under a
  printable form of its path (``\\xNN`` escapes), so every record can be written as UTF-8 JSON;
- a manualtune build folder inside the source (``--out`` under SOURCE: it holds a ``build.lock``
  or a ``build_manifest.json``) is not read (``build_folder``): its report, crops and JSON are not pages;
- ignore patterns (``*.truth.json``, ``.*`` …) are matched against every path component.

Entries are returned sorted by their relative posix path.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path, PurePosixPath

from manualtune.ingest.reasons import as_record_reason
from manualtune.records import Quarantine

BUILD_FOLDER_MARKERS = ("build.lock", "build_manifest.json")
"""Files that make a folder a manualtune build folder (``lock.LOCK_NAME``, ``cache.BUILD_MANIFEST``)."""


def is_ignored(rel: PurePosixPath, ignore: list[str]) -> bool:
    """True when any path component matches one of the ``ignore`` glob patterns."""
    return any(fnmatch.fnmatchcase(part, pat) for part in rel.parts for pat in ignore)


def printable(rel: str) -> str:
    """``rel`` with undecodable bytes (surrogate escapes) shown as ``\\xNN``: always valid UTF-8."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _quarantine(rel: str, reason: str, detail: str) -> Quarantine:
    reason, detail = as_record_reason(reason, detail)
    return Quarantine(path=printable(rel), reason=reason, detail=detail)


def _link_problem(full: Path, root: Path) -> tuple[str, str] | None:
    """(reason, detail) when the symlink ``full`` must not be followed, else None."""
    try:
        target = full.resolve(strict=True)
    except RuntimeError as e:  # Python 3.11: "Symlink loop from …"
        return "symlink_loop", f"the link resolves to itself ({e})"
    except FileNotFoundError:
        return "dangling_symlink", f"target {os.readlink(full)!r} does not exist"
    except OSError as e:
        reason = "symlink_loop" if "loop" in str(e).lower() or getattr(e, "errno", None) == 40 else "dangling_symlink"
        return reason, f"cannot resolve the link: {e}"
    if target != root and root not in target.parents:
        return "symlink_outside_source", f"points outside the source folder (to {printable(str(target))}): not followed"
    return None


def walk_source(root: Path, ignore: list[str]) -> tuple[list[tuple[str, Path]], list[Quarantine]]:
    """``([(relative posix path, path)], [quarantined entries])`` under ``root`` (see the module rules)."""
    root = Path(root).resolve()
    files: list[tuple[str, Path]] = []
    quarantined: list[Quarantine] = []

    def unlisted(err: OSError) -> None:  # a folder that cannot be listed is reported, never skipped silently
        where = Path(err.filename) if err.filename else root
        rel = where.relative_to(root).as_posix() if where != root and root in where.parents else "."
        quarantined.append(_quarantine(rel, "other", f"cannot list the folder: {err.strerror or err}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted, followlinks=False):
        here = Path(dirpath)
        keep_dirs = []
        for name in sorted(dirnames):
            full = here / name
            rel = full.relative_to(root).as_posix()
            if is_ignored(PurePosixPath(rel), ignore):
                continue
            if full.is_symlink():
                problem = _link_problem(full, root)
                reason, detail = problem or ("symlinked_folder", "a link to a folder inside the source: not followed, "
                                             "its files are read from where they really are")
                quarantined.append(_quarantine(rel, reason, detail))
                continue
            marker = next((m for m in BUILD_FOLDER_MARKERS if (full / m).is_file()), None)
            if marker is not None:
                quarantined.append(_quarantine(rel, "build_folder", f"holds {marker}: build outputs are not read "
                                               "as pages (put --out outside the source folder)"))
                continue
            keep_dirs.append(name)
        dirnames[:] = keep_dirs
        for name in filenames:
            full = here / name
            rel = full.relative_to(root).as_posix()
            if is_ignored(PurePosixPath(rel), ignore):
                continue
            if printable(rel) != rel:
                quarantined.append(_quarantine(rel, "bad_file_name", "the name is not valid UTF-8: rename the file"))
                continue
            try:
                st = full.lstat()
            except OSError as e:
                quarantined.append(_quarantine(rel, "other", f"cannot stat: {e}"))
                continue
            if stat.S_ISLNK(st.st_mode):
                problem = _link_problem(full, root)
                if problem is not None:
                    quarantined.append(_quarantine(rel, *problem))
                    continue
                if full.resolve(strict=True).is_dir():
                    quarantined.append(_quarantine(rel, "symlinked_folder", "a link to a folder: not followed"))
                    continue
                st = full.stat()
            if not stat.S_ISREG(st.st_mode):
                quarantined.append(_quarantine(
                    rel, "not_a_regular_file", f"{_kind(st.st_mode)}: never opened (reading it could block)"
                ))
                continue
            files.append((rel, full))
    files.sort(key=lambda t: t[0])
    quarantined.sort(key=lambda q: q.path)
    return files, quarantined


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"
