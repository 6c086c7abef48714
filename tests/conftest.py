"""Shared fixtures: the bundled sample manual, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualtune.sample import generate_sample_manual


@pytest.fixture(scope="session")
def sample_manual(tmp_path_factory) -> Path:
    """The full Corvane 240 sample manual (seed 0): page JPGs, PDF, HTML sheet, truth, MANIFEST.json."""
    out = tmp_path_factory.mktemp("sample-manual")
    generate_sample_manual(out, seed=0)
    return out
