"""The local executor: a process pool on this machine, or inline for one worker."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from manualtune.executors import ExecutorConfig, TaskFailed, describe_error, windowed

T = TypeVar("T")
R = TypeVar("R")


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one tesseract thread per process: the pool is the parallelism


def release_freed_memory() -> None:
    """Give the heap's free pages back to the OS (glibc ``malloc_trim``; a no-op elsewhere).

    A worker reads hundreds of page images of different sizes: without this its resident memory
    only grows (freed blocks stay mapped), so the build's peak would grow with the page count."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def call_and_release(fn: Callable[[T], R], item: T) -> R:
    """Run one task in a worker, then release the memory it freed."""
    try:
        return fn(item)
    finally:
        release_freed_memory()


class LocalExecutor:
    """``workers`` processes (fork where the platform has it, else spawn); inline when ``workers <= 1``."""

    name = "local"

    def __init__(self, cfg: ExecutorConfig | None = None):
        self.cfg = cfg or ExecutorConfig()
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(self.cfg.workers, mp_context=ctx, initializer=_init_worker)
        return self._pool

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R | TaskFailed]]:
        if self.cfg.workers <= 1:
            for i, item in enumerate(items):
                try:
                    yield i, fn(item)
                except Exception as e:  # noqa: BLE001 - the caller turns it into a quarantine entry
                    yield i, TaskFailed(describe_error(e))
            return
        pool = self._get_pool()

        def done_first(futures: list[Future]) -> list[Future]:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            return list(done)

        for i, fut in windowed(items, self.cfg.in_flight(), lambda item: pool.submit(call_and_release, fn, item),
                               done_first):
            try:
                yield i, fut.result()
            except BrokenProcessPool as e:  # a worker died (killed, out of memory): its tasks fail
                yield i, TaskFailed(f"worker failed: {describe_error(e)}")
            except Exception as e:  # noqa: BLE001 - the task raised: it fails, not the build
                yield i, TaskFailed(describe_error(e))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
