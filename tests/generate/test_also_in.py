"""One fact printed in several documents: the answer cites each of them, and still validates."""

from __future__ import annotations

from manualtune.generate import GenerateConfig, generate_examples
from manualtune.quality.validate import validate_examples
from manualtune.records import Provenance, SpecFact


def test_spec_answer_cites_every_document_printing_the_fact():
    pdf = Provenance(file="BMW_Torque_Specs.pdf", page=12, page_id="BMW_Torque_Specs.pdf#p12@x")
    scan = Provenance(file="00 - Torque Specs/11-25.jpg", page=1, page_id="00 - Torque Specs/11-25.jpg#p1@y")
    fact = SpecFact(fact_id="f1", component="oil pan screws", quantity="torque", value="9", unit="Nm",
                    value_printed="9", unit_printed="Nm", text="Oil pan screws 9 Nm", source=pdf, also_in=[scan])
    cfg = GenerateConfig(refusal_share=0)
    spec = [e for e in generate_examples([fact], [], [], cfg) if e.task == "SPEC"]
    assert spec and all(e.sources == [pdf, scan] for e in spec)
    assert "(BMW_Torque_Specs.pdf p. 12; 00 - Torque Specs/11-25.jpg p. 1)" in spec[0].answer
    checked = validate_examples(spec, [fact], [], [], cfg=cfg)
    assert [e.example_id for e in checked.kept] == [e.example_id for e in spec], checked.excluded
