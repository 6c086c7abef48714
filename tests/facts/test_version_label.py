"""A version label printed on a line of its own ('Cars with Automatic Transmission:' on 00 - Maintenance
0-3, read by eye) is the condition of the facts under it, until a heading or a short title line."""

from __future__ import annotations

from manualtune.facts import extract_facts
from manualtune.facts.context import ends_version, version_label
from manualtune.records import Block, Provenance

PAGE = "00 - Maintenance/00-00-intro-03.jpg"


def _b(order: int, text: str, kind: str = "paragraph") -> Block:
    pid = f"{PAGE}#p1@0"
    return Block(block_id=f"{pid}/b{order:03d}", page_id=pid, kind=kind, order=order, text=text,
                 source=Provenance(file=PAGE, page=1, page_id=pid))


def test_version_label_and_its_end():
    assert version_label("Cars with Automatic Transmission:") == "Cars with Automatic Transmission"
    assert version_label("Since 1988 Models:") == "Since 1988 Models"
    assert version_label("Installation:") is None and version_label("Note:") is None
    assert version_label("Max. towing speed: 50 km/h (30 mph).") is None
    assert ends_version("Front Towing Eyes") and not ends_version("Selector lever in “N”.")
    assert ends_version("Cars with Manual Transmission: Max. towing speed 70 km/h.")


def test_facts_under_a_version_label_take_it_as_condition():
    facts = extract_facts([
        _b(1, "The towing cable should be elastic. Max. towing speed without it: 30 km/h."),
        _b(2, "Cars with Automatic Transmission:"),
        _b(3, "Selector lever in “N”."),
        _b(4, "Max. towing speed: 50 km/h (30 mph)."),
        _b(5, "Front Towing Eyes"),
        _b(6, "Max. load on the towing eye: 500 kg."),
    ])
    cond = {f.value: f.condition for f in facts if not f.derived}
    assert cond["50"] == "Cars with Automatic Transmission"
    assert not cond.get("30") and not cond.get("500")
