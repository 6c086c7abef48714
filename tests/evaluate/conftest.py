from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "retrieve"))  # the shared sample build helper

from sample_build import subset_build  # noqa: E402


@pytest.fixture(scope="session")
def sample_subset_build(tmp_path_factory):
    return subset_build(tmp_path_factory)


@pytest.fixture(scope="session")
def subset_probes(sample_subset_build):
    from manualtune.evaluate.probes import make_probes

    return make_probes(sample_subset_build)
