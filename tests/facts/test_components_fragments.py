"""The fragment rules of facts/fragments.py: a running-text phrase that is a piece of an instruction or a
clause names no part; a real part name is no fragment."""

from __future__ import annotations

import pytest

from manualtune.facts import components, fragments
from manualtune.facts.fragments import fragment_problem


def test_fragment_rules_ride_on_the_components_table() -> None:
    names = [n for n, _, _ in fragments.RULES]
    assert len(names) == len(set(names))
    assert [r[0] for r in components.RULES[-len(names):]] == names
    for name in names:
        assert f"``{name}``" in (fragments.__doc__ or ""), f"fragments docstring does not list {name}"
        assert f"``{name}``" in (components.__doc__ or ""), f"components docstring does not point to {name}"


@pytest.mark.parametrize(("phrase", "problem"), [
    ("press on firmly", "instruction fragment"),
    ("carefully until they fit tight and then loosen", "instruction fragment"),
    ("increase the pressure", "instruction fragment"),
    ("size that mating surface overlaps by distance", "clause fragment"),
    ("switched off with a flap opening of <", "cut phrase"),
    ("continuous cracks with a length of more than", "cut phrase"),
    ("during the first 1,000 km", "cut phrase"),
    ("holes from a size", "cut phrase"),
    ("performed with engine power in fourth gear", "clause fragment"),
    ("with piston rods run out at room temperature", "clause fragment"),
    ("inert gas spot welding or, when not accessible", "clause fragment"),
])
def test_fragments_name_no_part(phrase: str, problem: str) -> None:
    assert fragment_problem(phrase) == problem
    assert components.component_problem(phrase) == problem


@pytest.mark.parametrize("phrase", [
    "conrod bolts", "pressure plate", "fill plug", "turn signal", "heated oxygen sensor", "threaded bolt",
    "piston rods", "tire pressure", "upper, lower control arm", "flap opening",
])
def test_part_names_are_no_fragments(phrase: str) -> None:
    assert fragment_problem(phrase) is None
