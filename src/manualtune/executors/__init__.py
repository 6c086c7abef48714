"""Executors: where the page tasks run. One small interface, two implementations.

    executor = make_executor(ExecutorConfig(kind="local", workers=2))
    with executor:
        for index, outcome in executor.map(run_page_task, tasks):   # as they finish
            ...                                                      # outcome: result or TaskFailed

* ``local`` (default): a process pool on this machine (fork where available); ``workers <= 1`` runs
  the tasks inline in this process, in order.
* ``ray``: each item a Ray task (``manualtune build --executor ray [--ray-address ADDR]``, extra
  ``ray``); a local Ray is started (and stopped) when no address is given.

Both keep at most ``window`` tasks in flight and take items lazily from the iterable, so the
driver never holds every task (or every result) at once. The task function must be a module-level
function and items/results picklable; the same function gives the same result wherever it runs, so
the build is byte-identical on every executor. A task that raises, or whose worker dies, comes
back as :class:`TaskFailed` with the error text: one bad page never stops the build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
R = TypeVar("R")


class ExecutorConfig(BaseModel):
    """How page tasks are run. Not part of the build key: every executor gives the same outputs."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["local", "ray"] = "local"
    workers: int = Field(1, ge=1, description="processes (local) or CPUs of a locally started Ray")
    ray_address: str | None = Field(None, description="address of a running Ray cluster ('auto', 'ray://host:10001')")
    window: int | None = Field(None, ge=1, description="tasks in flight at once (default 2 x workers + 2)")

    def in_flight(self) -> int:
        return self.window or 2 * self.workers + 2


@dataclass(frozen=True)
class TaskFailed:
    """A task that raised or whose worker died: the error as text (``Type: message``)."""

    error: str


class Executor(Protocol):
    name: str

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[int, R | TaskFailed]]:
        """Run ``fn`` on every item; yield ``(index in items, result or TaskFailed)`` as tasks finish."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: Any) -> None: ...


def describe_error(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"


H = TypeVar("H")


def windowed(
    items: Iterable[T], window: int, submit: Callable[[T], H], wait_any: Callable[[list[H]], Iterable[H]]
) -> Iterator[tuple[int, H]]:
    """Keep at most ``window`` submitted items in flight, taking items lazily; yield ``(index, handle)``
    of each finished one (``wait_any`` blocks until at least one of the handles is done and returns
    the done ones). The executors share it; a handle is a future (local) or an object ref (Ray)."""
    pending: dict[H, int] = {}
    source = enumerate(items)
    exhausted = False
    while pending or not exhausted:
        while not exhausted and len(pending) < window:
            nxt = next(source, None)
            if nxt is None:
                exhausted = True
                break
            pending[submit(nxt[1])] = nxt[0]
        if not pending:
            break
        for handle in wait_any(list(pending)):
            yield pending.pop(handle), handle


def make_executor(cfg: ExecutorConfig | None = None) -> Executor:
    """The executor ``cfg.kind`` names (``ray`` needs the ``ray`` extra: ``make ray-deps``)."""
    cfg = cfg or ExecutorConfig()
    if cfg.kind == "ray":
        from manualtune.executors.ray_executor import RayExecutor

        return RayExecutor(cfg)
    from manualtune.executors.local import LocalExecutor

    return LocalExecutor(cfg)


__all__ = ["Executor", "ExecutorConfig", "TaskFailed", "describe_error", "make_executor", "windowed"]
