"""SPEC questions on rows of 00 - Torque Specs/16-01.jpg: a row without a condition is not asked
when the same part is printed again with one (also when that row waits for review)."""

from __future__ import annotations

from manualtune.generate import GenerateConfig, GenerationStats, generate_examples
from manualtune.records import Block, Provenance, SpecFact, TableCell, TableRow

SRC = Provenance(file="00 - Torque Specs/16-01.jpg", page=1, page_id="16-01")
ROWS = [["1AZ Fuel tank to body Screw", "All", "Ms", "23", "Nm (ft. Ibs.)"],
        ["Retaining strap", "", "", "8", "Nm (ft. Ibs.)"],
        ["Retaining strap", "E39", "Ms", "23", "Nm (ft. Ibs.)"],
        ["2AZ Connecting pipe to fuel tank", "E30", "", "25", "Nm (ft. Ibs.)"]]
BLOCK = Block(block_id="16-01/b002", page_id="16-01", kind="table", order=2, text="", source=SRC,
              rows=[TableRow(cells=[TableCell(text=t, col=i) for i, t in enumerate(r)]) for r in ROWS])


def _fact(component, value, condition=None, review=False):
    return SpecFact(fact_id=component + value, component=component, quantity="torque", value=value, unit="Nm",
                    value_printed=value, unit_printed="Nm", condition=condition, text=f"{component} {value} Nm",
                    source=SRC, block_id=BLOCK.block_id, needs_review=review)


def test_row_without_condition_beside_a_conditioned_row_is_not_asked():
    facts = [_fact("Retaining strap", "8"), _fact("Retaining strap", "23", "E39; Ms", review=True),
             _fact("Connecting pipe to fuel tank", "25", "E30")]
    stats = GenerationStats()
    exs = generate_examples(facts, [], [BLOCK], GenerateConfig(refusal_share=0), stats=stats)
    assert {e.question for e in exs if e.phrasing == 0} == {"What is the tightening torque of the connecting pipe to fuel tank?"}
    assert stats.as_dict()["SPEC"]["skipped:unqualified_sibling"] == 1


def test_a_variant_among_a_list_is_asked_with_the_list():
    # 11 - Engine/11-25 (VANOS): the row prints 'M52/S52/S50 US/M50 VANOS', the facts stage names S50
    f = SpecFact(fact_id="vanos", component="Hydr. line for VANOS on oil filter aggregate carrier", quantity="torque",
                 value="32", unit="Nm", value_printed="32", unit_printed="Nm", variant="S50",
                 condition="M52/S52/S50 US/M50 VANOS", text="SAZ Hydr. line for VANOS on oil filter aggregate carrier "
                 "M52/S52/S50 US/M50 VANOS 32 Nm", source=SRC, block_id=BLOCK.block_id)
    exs = generate_examples([f], [], [BLOCK], GenerateConfig(refusal_share=0))
    assert exs[0].question == ("What is the tightening torque of the hydr. line for VANOS on oil filter aggregate "
                               "carrier (M52/S52/S50 US/M50 VANOS)?")
    assert exs[0].answer.startswith("The tightening torque of the hydr. line for VANOS on oil filter aggregate "
                                    "carrier is 32 Nm; condition: M52/S52/S50 US/M50 VANOS")
