"""prose_text: EXPLANATION blocks as read from the realpages scans 64-04 / 91-110 / 13-855, reflowed and repaired."""

from __future__ import annotations

from manualtune.generate import GenerateConfig, GenerationStats
from manualtune.generate.common import _Pages
from manualtune.generate.debris import Speller
from manualtune.generate.explanation import block_examples, prose_text
from manualtune.records import Block, Provenance


def test_lines_that_go_on_are_joined_and_lists_kept():
    text = ("The liquid refrigerant expands in evaporator (8). This change in state pro-\n"
            "duces strong cooling off of the refrigerant.\n"
            "=\n"
            "Sensor plate must move easily over\n"
            "entire range.\n"
            "a) Damage on body mounting points.\n"
            "b) Damage in Immediate vicinity of body mounting points.\n"
            "f) Continuous cracks with a length of more than 100 mm (4\").")
    assert prose_text(text, Speller([""])).splitlines() == [
        "The liquid refrigerant expands in evaporator (8). This change in state produces strong cooling off of "
        "the refrigerant.",
        "Sensor plate must move easily over entire range.",
        "a) Damage on body mounting points.",
        "b) Damage in immediate vicinity of body mounting points.",
        "f) Continuous cracks with a length of more than 100 mm (4\").",
    ]


def test_explanation_answers_are_repaired():
    src = Provenance(file="91 - x/91-110.jpg", page=1, page_id="91-110")
    blocks = [
        Block(block_id="b0", page_id="91-110", kind="heading", order=0, text="INFORMATION FOR REPAIRING PLASTIC BUMPERS",
              source=src),
        Block(block_id="b1", page_id="91-110", kind="paragraph", order=1, source=src,
              text="This repalr manual is provided for qualified workers. Only general working procedures\n"
                   "are described in these Instructlons and the repair manual. Read all instructions."),
    ]
    exs = block_examples(blocks, _Pages(blocks, GenerateConfig()), GenerateConfig(), GenerationStats())
    assert exs and exs[0].answer.startswith(
        "This repair manual is provided for qualified workers. Only general working procedures are described in "
        "these Instructions and the repair manual. Read all instructions.")
