"""SPEC questions name the torque table's group when the row's part does not (00 - Torque Specs/12-07.jpg
as the build reads it: 'Pulley' under '12 31 Alternator with Drive and Mounting Parts')."""

from __future__ import annotations

from manualtune.generate import GenerateConfig, generate_examples
from manualtune.records import Block, Provenance, SpecFact, TableCell, TableRow

SRC = Provenance(file="00 - Torque Specs/12-07.jpg", page=1, page_id="12-07")
SEC = "12 31 Alternator with Drive and Mounting Parts"
BLOCK = Block(block_id="12-07/b002", page_id="12-07", kind="table", order=2, text="", source=SRC,
              rows=[TableRow(cells=[TableCell(text=t, col=i) for i, t in enumerate(r)])
                    for r in (["Pulley", "All", "", "45", "Nm"], ["Alternator to bracket", "All", "M8", "22", "Nm"])])


def _fact(component, value, section=SEC):
    return SpecFact(fact_id=component + value, component=component, quantity="torque", value=value, unit="Nm",
                    value_printed=value, unit_printed="Nm", text=f"{component} {value} Nm", section=section,
                    source=SRC, block_id=BLOCK.block_id)


def _questions(facts):
    return {e.question for e in generate_examples(facts, [], [BLOCK], GenerateConfig(refusal_share=0)) if e.phrasing == 0}


def test_a_part_the_row_does_not_place_is_asked_with_its_group():
    qs = _questions([_fact("Pulley", "45"), _fact("Alternator to bracket", "22")])
    assert any("pulley" in q and "alternator" in q.lower() for q in qs), qs
    # the second row names its group already: no qualifier
    assert any("alternator to bracket" in q and "(" not in q for q in qs), qs


def test_no_group_qualifier_without_a_group_heading():
    qs = _questions([_fact("Pulley", "45", section="Engine Electrical System")])
    assert qs and all("(" not in q for q in qs), qs


def test_a_heading_that_names_threads_and_a_standard_is_no_group():
    sec = "00 00 M14 and M14x1.5 - maximum tightening torques acc. to BMW N 600 02.0"
    qs = _questions([_fact("M14 thread", "130", section=sec)])
    assert qs and all("600" not in q and "02.0" not in q and "maximum" not in q for q in qs), qs


def test_a_shared_word_does_not_place_the_part_when_the_group_leads_with_another():
    # 00 - Torque Specs/61-06.jpg: 'Wiper arm to wiper shaft' (13 Nm) under '61 62 Tailgate Window Wiper';
    # the windshield wiper arms are 21-40 Nm, so the question must say tailgate
    qs = _questions([_fact("Wiper arm to wiper shaft", "13", section="61 62 Tailgate Window Wiper")])
    assert any("wiper arm to wiper shaft" in q and "(tailgate window wiper)" in q for q in qs), qs
    qs = _questions([_fact("Tailgate wiper motor", "8", section="61 62 Tailgate Window Wiper")])
    assert qs and all("(" not in q for q in qs), qs  # the name leads with the group's word already


def test_a_value_printed_in_a_job_step_is_asked_with_its_job():
    # 23 - Manual Transmission/23-170 as built: 'play between bearing inner race and circlip' in a step of
    # '23 11 013 REMOVING AND INSTALLING OR SEALING TRANSMISSION CASE FRONT SECTION' ("which bearing?",
    # 2026-12-04 mid audit); a value whose name holds the job's object gets no qualifier
    from manualtune.records import Procedure, ProcedureStep

    src = Provenance(file="23 - Manual Transmission/23-170.jpg", page=1, page_id="23-170")
    step = Block(block_id="23-170/b004", page_id="23-170", kind="procedure_step", order=4, source=src,
                 text="Adjust play between bearing inner race and circlip to 0 ... 0.09 mm.")

    def fact(component: str) -> SpecFact:
        return SpecFact(fact_id=component, component=component, quantity="clearance", value="0", value_max="0.09",
                        unit="mm", value_printed="0 ... 0.09", unit_printed="mm", text=step.text, source=src,
                        block_id=step.block_id)

    def job(title: str, f: SpecFact) -> Procedure:
        return Procedure(procedure_id="p", title=title, repair_code="23 11 013", source=src,
                         steps=[ProcedureStep(text=step.text, source=src, block_id=step.block_id, fact_ids=[f.fact_id])])

    f = fact("play between bearing inner race and circlip")
    exs = generate_examples([f], [job("REMOVING AND INSTALLING CASE FRONT SECTION – Transmission Removed –", f)], [step],
                            GenerateConfig(refusal_share=0))
    qs = {e.question for e in exs if e.task == "SPEC"}
    assert qs and all(q.endswith("(removing and installing case front section)?") for q in qs), qs
    f = fact("front section bearing play")
    exs = generate_examples([f], [job("REMOVING AND INSTALLING CASE FRONT SECTION", f)], [step], GenerateConfig(refusal_share=0))
    assert all("(" not in e.question for e in exs if e.task == "SPEC")


def test_a_condition_that_only_restates_the_printed_qualifier_is_not_repeated():
    # 51 - Body Equipment/51-312 as built: 'The air drying time for primer is at least 10 minutes.' was
    # answered 'min. 10 min; condition: minimum' (2026-12-04 mid audit)
    src = Provenance(file="51 - Body Equipment/51-312.jpg", page=1, page_id="51-312")
    text = "The air drying time for primer is at least 10 minutes."
    blk = Block(block_id="51-312/b003", page_id="51-312", kind="paragraph", order=3, source=src, text=text)
    f = SpecFact(fact_id="primer", component="air drying time for primer", quantity="other", value="10", unit="min",
                 value_printed="10", unit_printed="minutes", text=text, condition="minimum", source=src,
                 block_id=blk.block_id)
    answers = {e.answer for e in generate_examples([f], [], [blk], GenerateConfig(refusal_share=0)) if e.task == "SPEC"}
    assert answers and all("min. 10 min" in a and "condition" not in a for a in answers), answers
