from __future__ import annotations

import pytest
from fixture_examples import make_examples

from manualtune.records import Example


@pytest.fixture
def examples() -> list[Example]:
    return make_examples()
