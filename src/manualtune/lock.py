"""The build lock: one build at a time into a build folder.

``build()`` holds ``<build>/build.lock`` for its whole run. The file says who holds it (pid, host,
start time, command line); the mutual exclusion itself is an exclusive ``flock`` on the file, which
the kernel drops the moment the holding process dies, so:

- a second build into the same folder finds the ``flock`` taken and stops with
  :class:`BuildLockedError` (exit code :data:`EXIT_LOCKED`) naming the holder and how to clear it;
- a lock file left by a build that was killed (SIGKILL, power loss) has no ``flock`` on it any more:
  the next build takes it over and prints a notice naming the dead pid;
- a lock file written on *another* host cannot be checked from here (its ``flock`` may not reach us
  over a network file system), so it is refused with the same message, never taken over;
- on a file system without ``flock`` the pid in the file decides: alive on this host means locked.

Pool workers forked by the build do not keep the lock alive after the build dies: the lock's file
descriptor is closed in every forked child (``os.register_at_fork``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from manualtune.exceptions import ManualtuneError

LOCK_NAME = "build.lock"
EXIT_LOCKED = 75
"""Exit code of ``manualtune build`` when another build holds the folder (sysexits EX_TEMPFAIL)."""

_HELD_FDS: set[int] = set()


def _close_in_child() -> None:
    # a forked worker must not hold the parent's lock (flock belongs to the open file description)
    for fd in list(_HELD_FDS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_FDS.clear()


os.register_at_fork(after_in_child=_close_in_child)


class BuildLockedError(ManualtuneError):
    """Another build holds the build folder; ``manualtune build`` exits with :data:`EXIT_LOCKED`."""

    exit_code = EXIT_LOCKED  # type: ignore[assignment]  # not one of ExitCode's: build keeps its own codes

    def __init__(self, lock_path: Path, holder: dict, live: bool) -> None:
        pid, host = holder.get("pid", "?"), holder.get("host", "?")
        what = "is running" if live else "cannot be checked from this host"
        super().__init__(
            f"build folder locked by pid {pid} on {host} (started {holder.get('started', '?')}), which {what}",
            f"wait for that build to finish, or if no build is running there delete {lock_path}",
        )
        self.lock_path, self.holder, self.live = lock_path, holder, live


def pid_alive(pid: int) -> bool:
    """True when a process with ``pid`` exists on this host (a zombie counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _read_holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    if not data.strip():
        return {}
    try:
        holder = json.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return {"pid": "?", "host": "?", "started": "?", "unreadable": data[:200].decode("utf-8", "replace")}
    return holder if isinstance(holder, dict) else {}


def _notice(msg: str) -> None:
    sys.stderr.write(f"notice: {msg}\n")
    sys.stderr.flush()


class BuildLock:
    """``with BuildLock(out_dir): ...`` — hold ``<out_dir>/build.lock`` or raise :class:`BuildLockedError`."""

    def __init__(self, out_dir: str | os.PathLike, notify: Callable[[str], None] = _notice) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self.notify = notify
        self.fd: int | None = None
        self.owner: int | None = None  # pid that acquired: a forked child never releases the parent's lock
        self.took_over: dict | None = None
        """The holder record of a dead build whose lock was taken over (None: the folder was free)."""

    def acquire(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        host = socket.gethostname()
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise BuildLockedError(self.path, holder, live=True) from None
            except OSError:  # no flock on this file system (some NFS/SMB mounts): the pid decides
                holder = _read_holder(fd)
                pid = holder.get("pid")
                if holder.get("host") == host and isinstance(pid, int) and pid != os.getpid() and pid_alive(pid):
                    os.close(fd)
                    raise BuildLockedError(self.path, holder, live=True) from None
            try:
                same_file = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same_file = False
            if not same_file:  # the holder removed the file between our open and our flock: retry
                os.close(fd)
                continue
            break
        holder = _read_holder(fd)
        if holder:
            if holder.get("host") not in (host, None):
                os.close(fd)
                raise BuildLockedError(self.path, holder, live=False)
            pid = holder.get("pid")
            state = "is not running" if isinstance(pid, int) and not pid_alive(pid) else "no longer holds it"
            self.notify(
                f"taking over the stale lock {self.path} of pid {pid} (started {holder.get('started', '?')}), "
                f"which {state}: that build was interrupted, this one resumes it"
            )
            self.took_over = holder
        record = {
            "argv": sys.argv,
            "host": host,
            "pid": os.getpid(),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
        self.fd, self.owner = fd, os.getpid()
        _HELD_FDS.add(fd)
        return self

    def release(self) -> None:
        if self.fd is None or self.owner != os.getpid():
            return
        fd, self.fd = self.fd, None
        _HELD_FDS.discard(fd)
        try:
            self.path.unlink(missing_ok=True)  # unlink first, then drop the flock (waiters re-check the inode)
        finally:
            os.close(fd)

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
