"""Shared fixtures: the bundled sample manual, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualtune.cache import read_jsonl
from manualtune.generate import GenerateConfig, generate_examples
from manualtune.records import Block, Conflict, Example, Procedure, SpecFact
from manualtune.sample import generate_sample_manual

RECORDS = Path(__file__).parent / "resources" / "records"


@pytest.fixture(scope="session")
def sample_manual(tmp_path_factory) -> Path:
    """The full Corvane 240 sample manual (seed 0): page JPGs, PDF, HTML sheet, truth, MANIFEST.json."""
    out = tmp_path_factory.mktemp("sample-manual")
    generate_sample_manual(out, seed=0)
    return out


@pytest.fixture(scope="module")
def records() -> tuple[list[SpecFact], list[Procedure], list[Block], list[Conflict]]:
    """Hand-checked record fixtures (tests/resources/records, written by make_records.py)."""
    return (
        read_jsonl(RECORDS / "facts.jsonl", SpecFact),
        read_jsonl(RECORDS / "procedures.jsonl", Procedure),
        read_jsonl(RECORDS / "blocks.jsonl", Block),
        read_jsonl(RECORDS / "conflicts.jsonl", Conflict),
    )


@pytest.fixture(scope="module")
def examples(records) -> list[Example]:
    facts, procs, blocks, conflicts = records
    return generate_examples(facts, procs, blocks, GenerateConfig(), conflicts=conflicts)
