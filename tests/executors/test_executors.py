"""The executors: results by index whatever the finishing order, failures as values, lazy intake."""

from __future__ import annotations

import os
import time

import pytest

from manualtune.executors import ExecutorConfig, TaskFailed, make_executor


def square_slowly(x: int) -> tuple[int, int]:
    time.sleep(0.05 * (3 - x % 3))  # later items finish first
    if x == 4:
        raise ValueError("four is bad")
    return x * x, os.getpid()


def omp_limit(_x: int) -> str | None:
    return os.environ.get("OMP_THREAD_LIMIT")


def _run(cfg: ExecutorConfig, fn, items) -> dict[int, object]:
    with make_executor(cfg) as ex:
        return dict(ex.map(fn, items))


@pytest.mark.parametrize("workers", [1, 2])
def test_local_results_by_index_and_failures_as_values(workers: int) -> None:
    got = _run(ExecutorConfig(workers=workers), square_slowly, range(6))
    assert sorted(got) == [0, 1, 2, 3, 4, 5]
    assert {i: v[0] for i, v in got.items() if not isinstance(v, TaskFailed)} == {0: 0, 1: 1, 2: 4, 3: 9, 5: 25}
    assert got[4] == TaskFailed("ValueError: four is bad")
    pids = {v[1] for v in got.values() if not isinstance(v, TaskFailed)}
    assert (pids == {os.getpid()}) == (workers == 1)  # one worker runs inline, two in child processes


def test_local_pool_workers_run_one_tesseract_thread() -> None:
    assert set(_run(ExecutorConfig(workers=2), omp_limit, range(3)).values()) == {"1"}


def test_intake_is_lazy_at_most_window_ahead() -> None:
    taken: list[int] = []

    def items():
        for i in range(20):
            taken.append(i)
            yield i

    with make_executor(ExecutorConfig(workers=2, window=3)) as ex:
        stream = ex.map(square_slowly, items())
        next(stream)
        assert len(taken) <= 3 + 1  # the window, plus at most one refill after the first result
        rest = list(stream)
    assert len(rest) == 19 and len(taken) == 20


def test_window_defaults_to_twice_the_workers_plus_two() -> None:
    assert ExecutorConfig(workers=3).in_flight() == 8 and ExecutorConfig(workers=3, window=1).in_flight() == 1


def test_ray_executor_same_results_as_local() -> None:
    pytest.importorskip("ray")
    cfg = ExecutorConfig(kind="ray", workers=2)
    got = _run(cfg, square_slowly, range(6))
    local = _run(ExecutorConfig(workers=2), square_slowly, range(6))
    assert {i: getattr(v, "error", None) or v[0] for i, v in got.items()} == {
        i: getattr(v, "error", None) or v[0] for i, v in local.items()
    }
    assert isinstance(got[4], TaskFailed) and "four is bad" in got[4].error


def test_ray_missing_is_a_clear_error(monkeypatch) -> None:
    import builtins

    from manualtune.exceptions import MissingExtraError

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray":
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(MissingExtraError, match="ray"):
        make_executor(ExecutorConfig(kind="ray"))
