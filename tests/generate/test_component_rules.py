"""Component gate of question generation: one test per COMPONENT_REJECTS row, item numbers stripped,
ambiguous same-page values never asked."""

from __future__ import annotations

import pytest

from manualtune.generate import GenerateConfig, GenerationStats, generate_examples
from manualtune.generate.common import (
    COMPONENT_REJECTS,
    component_phrase,
    component_reject_reason,
    usable_component,
)
from manualtune.records import Block, Provenance, SpecFact

REJECTED = {  # rule -> components (read from real-page facts) it must reject
    "adverb_head": ["the approx", "approx", "about", "than the side panel at front", "again when coolant pressure"],
    "exclamation": ["important! Total operation time"],
    "generic_only": ["installation", "the wire", "replacing window"],
    "dangling_dash": ["front and rear between lid and roof —"],
}
KEPT = ["connecting rod bolts", "oil pan", "plastic sealing ring, 26.5 mm high", "wiper shaft nut to body",
        "screws for speedometer sender", "maximum runout of brake disc"]


def test_every_rule_has_cases():
    assert {name for name, _p, _w in COMPONENT_REJECTS} == set(REJECTED)


@pytest.mark.parametrize(("rule", "component"), [(r, c) for r, cs in REJECTED.items() for c in cs])
def test_rejected(rule, component):
    assert component_reject_reason(component) == rule
    assert not usable_component(component)


@pytest.mark.parametrize("component", KEPT)
def test_kept(component):
    assert component_reject_reason(component) is None and usable_component(component)


@pytest.mark.parametrize(
    ("printed", "phrase"),
    [("5AZ Wiper shaft nut to body", "Wiper shaft nut to body"), ("SAZ Hydr. line for VANOS", "Hydr. line for VANOS"),
     ("TAZ Plug for chain tensioner", "Plug for chain tensioner"), ("1AZ Oil filter", "Oil filter"),
     ("AZ fitting", "AZ fitting"), ("Sazerac bolt", "Sazerac bolt")],
)
def test_item_number_stripped(printed, phrase):
    assert component_phrase(printed) == phrase


def _fact(fid: str, value: str, unit: str, page: int = 1, component: str = "wire (wire colour GN/RD)") -> SpecFact:
    src = Provenance(file="etm/6100-02.jpg", page=page, page_id=f"etm/6100-02.jpg#p{page}@x")
    return SpecFact(fact_id=fid, component=component, quantity="length" if unit == "mm" else "other", value=value,
                    unit=unit, value_printed=value, unit_printed=unit, text=f"{value} GN/RD", source=src)


def test_same_page_different_values_are_not_asked():
    facts = [_fact("a", "1", "mm"), _fact("b", "0.5", "mm")]
    blocks: list[Block] = []
    stats = GenerationStats()
    out = generate_examples(facts, [], blocks, GenerateConfig(refusal_share=0), stats=stats)
    assert not [e for e in out if e.task == "SPEC"]
    assert stats.as_dict()["SPEC"]["skipped:ambiguous_on_page"] == 1
    one = generate_examples([_fact("a", "1", "mm")], [], blocks, GenerateConfig(refusal_share=0))
    assert [e for e in one if e.task == "SPEC"]


@pytest.mark.parametrize(
    ("heading", "topic"),
    [
        ("11 24 521 REPLACING CONNECTING RODS – Pistons Removed –", "replacing connecting rods (pistons removed)"),
        ("/ removing and installing 480 grab handle", "removing and installing grab handle"),
        ("51 16 480 Removing and installing grab handle", "removing and installing grab handle"),
        ("Checking E30 325i brake pads", "checking E30 325i brake pads"),
        ("REMOVING AND INSTALLING/’ REPLACING CLUTCH RELEASE", "removing and installing/replacing clutch release"),
    ],
)
def test_clean_topic(heading, topic):
    from manualtune.generate.common import clean_topic

    assert clean_topic(heading) == topic
