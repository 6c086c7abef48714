from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from manualtune.records import Example, SplitAssignment
from manualtune.split import SplitConfig, split_examples, synthetic_validation

_spec = importlib.util.spec_from_file_location(
    "split_fixture_examples", Path(__file__).parent.parent / "split" / "fixture_examples.py"
)
fixture_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture_examples)


@pytest.fixture
def examples() -> list[Example]:
    return fixture_examples.make_examples()


@pytest.fixture
def split_inputs(examples) -> tuple[list[Example], list[SplitAssignment], list[Example]]:
    assignments = split_examples(examples, SplitConfig())
    return examples, assignments, synthetic_validation(examples, assignments, SplitConfig())
