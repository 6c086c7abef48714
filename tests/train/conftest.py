"""Fixtures of the training tests: a small real dataset export (26 train / 8 val rows copied from the
sample-manual build) and runs of the ``tiny-cpu`` preset (random small Llama, tokenizer trained on the
fly: no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

BUILD = Path(__file__).parent / "resources" / "build"
# Fast settings for every tiny test run (a few steps, short samples).
FAST = ["data.n_samples=2", "data.sample_max_new_tokens=8", "data.max_val_examples=4", "training.save_steps=2"]


@pytest.fixture(scope="session", autouse=True)
def _offline():
    """No test may reach the network (a Hub id must fail as 'not found offline')."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    yield
    mp.undo()


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread():
    """The tiny model is too small to gain from threads; on a shared 2-core box they only contend."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def build_dir() -> Path:
    return BUILD


def make_tiny_config(*sets: str, max_steps: int = 4, task: str | None = None):
    from manualtune.train.config import resolve_config

    return resolve_config("tiny-cpu", sets=[*FAST, *sets], max_steps=max_steps, task=task)


@pytest.fixture(scope="session")
def fast_sets() -> list[str]:
    """The fast settings as CLI arguments (``--set k=v`` pairs)."""
    return [a for s in FAST for a in ("--set", s)]


@pytest.fixture(scope="session")
def tiny_config():
    """Factory: the tiny-cpu preset with the fast test settings and extra ``key=value`` overrides."""
    return make_tiny_config


@pytest.fixture(scope="session")
def runs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="session")
def trained_run(runs_dir, build_dir):
    """One finished 4-step tiny run (shared by the registry, table, inference and export tests)."""
    from manualtune.train.loop import train_run

    return train_run(make_tiny_config(), build_dir, runs_dir, hypothesis="tiny baseline", log=lambda m: None,
                     progress=False)
