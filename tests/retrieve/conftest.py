from __future__ import annotations

import pytest
from sample_build import subset_build


@pytest.fixture(scope="session")
def sample_subset_build(tmp_path_factory):
    return subset_build(tmp_path_factory)


@pytest.fixture(scope="session")
def asker(sample_subset_build):
    from manualtune.retrieve.answer import Asker

    return Asker(sample_subset_build)
