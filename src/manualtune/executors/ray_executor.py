"""The Ray executor: each item one Ray task, on a local Ray or an existing cluster.

``ray_address=None`` starts a local Ray with ``workers`` CPUs for the duration of the build (and
stops it); an address (``auto``, ``ray://head:10001``) joins a running cluster and leaves it up.
Every node needs the same manualtune installed and the source folder at the same path (shared
storage): a task reads its page from disk and returns the page's records to the driver through the
object store; the driver alone writes the build folder. ``OMP_THREAD_LIMIT=1`` is set in every
worker (``runtime_env``) so one task is one core, as with the local pool; a local Ray's workers
also get this process's ``sys.path`` (``PYTHONPATH``), so they import the same code.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from manualtune.exceptions import MissingExtraError
from manualtune.executors import ExecutorConfig, TaskFailed, describe_error, windowed

T = TypeVar("T")
R = TypeVar("R")


def _import_ray():
    try:
        import ray
    except ImportError as e:
        raise MissingExtraError("ray", "ray") from e
    return ray


class RayExecutor:
    name = "ray"

    def __init__(self, cfg: ExecutorConfig | None = None):
        self.cfg = cfg or ExecutorConfig(kind="ray")
        self._ray = _import_ray()
        self._started = False
        self._remote: dict[Callable, Any] = {}

    def _ensure_started(self) -> None:
        ray = self._ray
        if ray.is_initialized():
            return
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a local, short-lived Ray: no token file
        env = {"OMP_THREAD_LIMIT": "1"}
        if not self.cfg.ray_address:  # a local Ray: workers import what this process imports
            env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        kwargs: dict[str, Any] = {
            "runtime_env": {"env_vars": env},
            "log_to_driver": False,
            "logging_level": logging.WARNING,
            "configure_logging": True,
        }
        if self.cfg.ray_address:
            ray.init(address=self.cfg.ray_address, **kwargs)
        else:
            ray.init(num_cpus=self.cfg.workers, include_dashboard=False, **kwargs)
        self._started = True

    def _task(self, fn: Callable) -> Any:
        if fn not in self._remote:
            self._remote[fn] = self._ray.remote(num_cpus=1, max_retries=1)(fn)
        return self._remote[fn]

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R | TaskFailed]]:
        self._ensure_started()
        ray = self._ray
        remote = self._task(fn)
        for i, ref in windowed(items, self.cfg.in_flight(), remote.remote,
                               lambda refs: ray.wait(refs, num_returns=1)[0]):
            try:
                yield i, ray.get(ref)
            except ray.exceptions.RayTaskError as e:  # the task raised: it fails, not the build
                yield i, TaskFailed(describe_error(e.cause if e.cause is not None else e))
            except ray.exceptions.RayError as e:  # a worker or node died
                yield i, TaskFailed(f"worker failed: {describe_error(e)}")

    def close(self) -> None:
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
        self._started = False

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
