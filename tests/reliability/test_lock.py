"""The build lock: a second build into a held folder is refused, a dead build's lock is taken over."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

from manualtune.cli import app
from manualtune.lock import EXIT_LOCKED, LOCK_NAME, BuildLock, BuildLockedError, pid_alive

HOLD = textwrap.dedent(
    """
    import sys, time
    from manualtune.lock import BuildLock
    lock = BuildLock(sys.argv[1]).acquire()
    print("held", flush=True)
    time.sleep(60)
    """
)


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    assert not pid_alive(p.pid)
    return p.pid


@pytest.fixture
def holder(tmp_path):
    """A separate process holding the lock of ``tmp_path / 'out'``."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield out, proc
    finally:
        proc.kill()
        proc.wait()


def test_second_build_is_refused_with_the_holders_pid_and_exit_75(holder, tmp_path):
    out, proc = holder
    src = tmp_path / "src"
    src.mkdir()
    res = CliRunner().invoke(app, ["build", str(src), "--out", str(out), "--workers", "1"])
    assert res.exit_code == EXIT_LOCKED == 75
    text = " ".join((res.output or "").split())
    assert f"locked by pid {proc.pid}" in text and "delete" in text and LOCK_NAME in text
    assert not (out / "summary.json").exists()  # nothing was built
    held = json.loads((out / LOCK_NAME).read_text())
    assert held["pid"] == proc.pid and held["host"] == socket.gethostname()


def test_lock_of_a_killed_build_is_taken_over_with_a_notice(tmp_path):
    dead = _dead_pid()
    (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "started": "x"}))
    notes: list[str] = []
    with BuildLock(tmp_path, notify=notes.append) as lock:
        assert lock.took_over["pid"] == dead
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == os.getpid()
    assert len(notes) == 1 and f"pid {dead}" in notes[0] and "is not running" in notes[0]
    assert not (tmp_path / LOCK_NAME).exists()  # released: removed
    with BuildLock(tmp_path, notify=notes.append) as lock:  # a free folder: no notice
        assert lock.took_over is None
    assert len(notes) == 1


def test_lock_from_another_host_is_never_taken_over(tmp_path):
    (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": 1, "host": "other-host.example", "started": "y"}))
    with pytest.raises(BuildLockedError) as e:
        BuildLock(tmp_path).acquire()
    assert not e.value.live and "other-host.example" in str(e.value) and "cannot be checked" in str(e.value)


def test_forked_workers_of_a_killed_build_do_not_keep_the_lock(tmp_path):
    """The build dies by SIGKILL while a forked pool worker lives on: the lock is free anyway."""
    script = textwrap.dedent(
        """
        import multiprocessing, os, signal, sys, time
        from manualtune.lock import BuildLock

        def worker(started):
            started.set()  # the fork handlers have run in this child by now
            time.sleep(60)

        BuildLock(sys.argv[1]).acquire()
        ctx = multiprocessing.get_context("fork")
        started = ctx.Event()
        child = ctx.Process(target=worker, args=(started,))
        child.start()
        started.wait(60)  # on a loaded machine the child may not have run at all yet
        print(child.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    child = int(proc.stdout.readline())
    proc.wait()
    try:
        assert proc.returncode == -signal.SIGKILL and pid_alive(child)
        notes: list[str] = []
        with BuildLock(tmp_path, notify=notes.append) as lock:
            assert lock.took_over["pid"] == proc.pid
    finally:
        os.kill(child, signal.SIGKILL)
    deadline = time.time() + 5
    while pid_alive(child) and time.time() < deadline:  # reaped by init
        time.sleep(0.05)


def test_without_flock_the_pid_in_the_file_decides(tmp_path, monkeypatch):
    import errno
    import fcntl

    def no_flock(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": alive.pid, "host": socket.gethostname()}))
        with pytest.raises(BuildLockedError):
            BuildLock(tmp_path).acquire()
    finally:
        alive.kill()
        alive.wait()
    notes: list[str] = []
    with BuildLock(tmp_path, notify=notes.append) as lock:  # now dead: taken over
        assert lock.took_over["pid"] == alive.pid and len(notes) == 1


def test_a_forked_child_never_releases_the_parents_lock(tmp_path):
    lock = BuildLock(tmp_path).acquire()
    try:
        pid = os.fork()
        if pid == 0:  # what the parent's `with` exit does in a child that a library forked without exec
            try:
                lock.release()
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == os.getpid()
        with pytest.raises(BuildLockedError):
            BuildLock(tmp_path).acquire()
    finally:
        lock.release()
    assert not (tmp_path / LOCK_NAME).exists()
