"""validate_examples: grounding, truncation, unit format, numbering, duplicates, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualtune.cache import short_id
from manualtune.generate import GenerateConfig, generate_examples
from manualtune.quality.validate import extract_numbers, truncation_problem, validate_examples
from manualtune.records import Example, Provenance, SpecFact

DEVDATA = Path(__file__).parents[3] / "shared" / "devdata"


def _validate(exs, records, **kw):
    facts, procs, blocks, conflicts = records
    return validate_examples(exs, facts, procs, blocks, conflicts=conflicts, **kw)


def _edit(ex: Example, answer: str | None = None, **update) -> Example:
    data = ex.model_dump()
    data.update(update)
    if answer is not None:
        data["answer"] = answer
    data["example_id"] = short_id(data["task"], data["question"], data["answer"])
    return Example.model_validate(data)


def _reasons(res) -> dict[str, str]:
    return {x.example_id: x.reason for x in res.excluded}


def test_mutated_number_is_excluded_as_ungrounded(records, examples):
    i = next(k for k, e in enumerate(examples) if e.task == "SPEC" and e.variant == "S38" and e.phrasing == 0)
    bad = _edit(examples[i], examples[i].answer.replace("30 Nm", "35 Nm"))
    res = _validate(examples[:i] + [bad] + examples[i + 1:], records)
    assert _reasons(res) == {bad.example_id: "ungrounded_number"}
    assert res.excluded[0].detail == "35"
    assert len(res.kept) == len(examples) - 1 and res.checks["excluded_ungrounded_number"] == 1
    assert res.checks["grounded_share"] < 1.0


def test_mutated_procedure_step_and_explanation_numbers(records, examples):
    proc = next(e for e in examples if e.task == "PROCEDURE")
    expl = next(e for e in examples if e.task == "EXPLANATION" and "0.064" in e.answer)
    bad_p = _edit(proc, proc.answer.replace("30 Nm", "40 Nm")) if "30 Nm" in proc.answer else \
        _edit(proc, proc.answer.replace("pipe (1)", "pipe (7)"))
    bad_e = _edit(expl, expl.answer.replace("0.064", "0.046"))
    res = _validate([bad_p, bad_e], records)
    assert {x.reason for x in res.excluded} == {"ungrounded_number"}


def test_page_labels_in_citations_are_not_values(records, examples):
    ex = next(e for e in examples if e.task == "SPEC" and not e.refusal and "(manual p. 11-19)" in e.answer)
    pool = " ".join(f.text + f.value for f in records[0] if f.fact_id in ex.fact_ids)
    assert "19" not in extract_numbers(pool)
    assert _validate([ex], records).excluded == []
    uncited = _edit(ex, ex.answer.replace("(manual p. 11-19)", "on page 11-19"))
    res = _validate([uncited], records)
    assert res.excluded[0].reason == "ungrounded_number" and "19" in res.excluded[0].detail


def test_derived_fact_exact_conversion_grounds_a_number():
    src = Provenance(file="manual/34-01.jpg", page=1)
    bar = SpecFact(fact_id="bar", component="brake line test pressure", quantity="pressure", value="50",
                   unit="bar", value_printed="50", unit_printed="bar", text="Test pressure 50 bar", source=src)
    psi = SpecFact(fact_id="psi", component="brake line test pressure", quantity="pressure", value="725",
                   unit="psi", value_printed="725", unit_printed="psi", text="Test pressure 50 bar", source=src,
                   derived=True, derived_from="bar")
    base = dict(task="SPEC", question="What is the brake line test pressure?", group_id="g", sources=[src])

    def ex(answer, ids):
        return Example(example_id=short_id(answer), answer=answer, fact_ids=ids, **base)

    good = ex("The brake line test pressure is 50 bar (725.2 psi) (manual/34-01.jpg p. 1).", ["bar", "psi"])
    off = ex("The brake line test pressure is 50 bar (726 psi) (manual/34-01.jpg p. 1).", ["bar", "psi"])
    not_derived = ex("The brake line test pressure is 50 bar (725.2 psi) (manual/34-01.jpg p. 1).", ["bar"])
    res = validate_examples([good], [bar, psi], [], [])
    assert res.excluded == []
    for e in (off, not_derived):
        assert [x.reason for x in validate_examples([e], [bar, psi], [], []).excluded] == ["ungrounded_number"]


def test_near_duplicate_paraphrase_pair_across_groups(records, examples):
    base = next(e for e in examples if e.task == "SPEC" and e.variant == "S38" and e.phrasing == 0)
    para = _edit(base, question="How tight do the S38 con-rod bolts have to be?", group_id="other-group")
    res = _validate(examples + [para], records)
    assert [(p.a, p.b) for p in res.near_duplicate_pairs] == [(base.example_id, para.example_id)]
    assert _reasons(res) == {para.example_id: "near_duplicate"}
    # the same paraphrase inside its own group is fine (phrasings share a group)
    same_group = _edit(base, question="How tight do the S38 con-rod bolts have to be?")
    assert _validate(examples + [same_group], records).near_duplicate_pairs == []
    # S14 vs S38 questions look alike but name different variants: not near duplicates
    assert _validate(examples, records).near_duplicate_pairs == []


def test_near_duplicates_found_with_minhash_above_threshold(records, examples, monkeypatch):
    import manualtune.quality.checks_duplicates as v

    monkeypatch.setattr(v, "LSH_ABOVE", 2)
    base = next(e for e in examples if e.task == "WIRING")
    para = _edit(base, question="Which wires does the charge circuit diagram list?", group_id="wiring-2")
    res = _validate(examples + [para], records)
    assert [(p.a, p.b) for p in res.near_duplicate_pairs] == [(base.example_id, para.example_id)]


def test_two_facts_same_question_different_answers_one_conflict(records):
    src_a, src_b = Provenance(file="torque/11-19.jpg", page=1), Provenance(file="manual/11-70.jpg", page=1)

    def fact(fid, value, src):
        return SpecFact(fact_id=fid, component="connecting rod bolts", quantity="torque", value=value, unit="Nm",
                        value_printed=value, unit_printed="Nm", variant="S14", text=f"S14 {value} Nm", source=src)

    a, b = fact("a", "55", src_a), fact("b", "52", src_b)
    cfg = GenerateConfig(phrasings_per_fact=1, refusal_share=0)
    exs = generate_examples([a], [], [], cfg) + generate_examples([b], [], [], cfg)
    assert exs[0].question == exs[1].question and exs[0].answer != exs[1].answer
    res = validate_examples(exs, [a, b], [], [])
    assert len(res.conflicting_questions) == 1
    assert set(res.conflicting_questions[0].example_ids) == {exs[0].example_id, exs[1].example_id}
    assert [x.reason for x in res.excluded] == ["conflicting_answer", "conflicting_answer"]
    # generated together, the two facts become one stated conflict that validation keeps
    together = generate_examples([a, b], [], [], cfg)
    assert len(together) == 1 and together[0].conflict_stated
    assert "55 Nm (torque/11-19.jpg p. 1)" in together[0].answer and "52 Nm (manual/11-70.jpg p. 1)" in together[0].answer
    res2 = validate_examples(together + exs[:1], [a, b], [], [])
    assert res2.conflicting_questions[0].stated and [e.conflict_stated for e in res2.kept] == [True]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("The torque is 30 Nm and (manual p. 11-19)", "truncated_answer"),
        ("The torque is: (manual p. 11-19)", "truncated_answer"),
        ("The torque (Stage 1 is 30 Nm (manual p. 11-19).", "truncated_answer"),
        ("Tighten the connec- (manual p. 11-19)", "truncated_answer"),
        ("(manual p. 11-19)", "empty_answer"),
        ("The torque is 30Nm (manual p. 11-19).", "unit_format"),
        ("The torque is 30 nm (manual p. 11-19).", "unit_format"),
        ("The torque is 30 Nm.", "missing_citation"),
    ],
)
def test_answer_form_checks(records, examples, answer, reason):
    base = next(e for e in examples if e.task == "SPEC" and e.variant == "S38" and e.phrasing == 0)
    res = _validate([_edit(base, answer)], records)
    assert [x.reason for x in res.excluded] == [reason]


def test_truncation_problem_accepts_normal_endings():
    for body in ("Tighten to 30 Nm.", "Alternator output 90 A", "Charge lamp on: check brushes – see 12 32 000.",
                 "Conrod bearing play 0.024 to 0.064 mm (0.0009 to 0.0025\")."):
        assert truncation_problem(body) is None, body


def test_procedure_numbering_must_be_continuous(records, examples):
    proc = next(e for e in examples if e.task == "PROCEDURE")
    gap = _edit(proc, proc.answer.replace("\n3. ", "\n4. "))
    none = _edit(proc, "\n".join(ln[3:] if ln[:1].isdigit() else ln for ln in proc.answer.splitlines()))
    res = _validate([gap, none], records)
    assert [x.reason for x in res.excluded] == ["numbering", "numbering"]
    assert "1,2,4" in res.excluded[0].detail


def test_schema_source_variant_refusal_and_duplicates(records, examples):
    base = next(e for e in examples if e.task == "SPEC" and e.variant == "S38" and e.phrasing == 0)
    refusal = next(e for e in examples if e.refusal)
    broken = base.model_dump()
    del broken["question"]
    no_source = _edit(base, fact_ids=["missing"], block_ids=[])
    no_variant = _edit(base, question="What is the tightening torque of the connecting rod bolts?")
    refusal_value = _edit(refusal, refusal.answer.replace("; I won't guess", " but try 40 Nm"))
    res = _validate([broken, no_source, no_variant, refusal_value, base, base, json.loads(base.model_dump_json())],
                    records)
    assert [x.reason for x in res.excluded] == [
        "schema", "missing_source", "question_missing_variant", "ungrounded_number", "duplicate_id",
        "duplicate_id",
    ]
    assert [e.example_id for e in res.kept] == [base.example_id]
    assert res.checks["examples_in"] == 7 and res.checks["excluded"] == 6


def test_exact_duplicate_with_new_id_is_excluded(records, examples):
    base = next(e for e in examples if e.task == "WIRING")
    copy = base.model_copy(update={"example_id": "copy-1"})
    res = _validate([base, copy], records)
    assert [(x.example_id, x.reason) for x in res.excluded] == [("copy-1", "duplicate")]


def test_devdata_truth_fact_numbers_are_extracted():
    truth = DEVDATA / "torque_11-19.truth.json"
    if not truth.exists():
        pytest.skip("devdata not available")
    data = json.loads(truth.read_text())
    for f in data["facts"]:
        assert f["value"] in extract_numbers(f["text"]), f["text"]
        assert "14" not in extract_numbers(f["text"]) and "38" not in extract_numbers(f["text"])


# --------------------------------------------------------------------------- question quantity

from manualtune.quality.validate import QUESTION_QUANTITIES, question_quantities  # noqa: E402


def _spec(unit: str, component: str = "engine", quantity: str = "other", condition: str | None = None) -> SpecFact:
    src = Provenance(file="p.jpg", page=1)
    return SpecFact(fact_id=f"f-{unit}", component=component, quantity=quantity, value="50", unit=unit,
                    value_printed="50", unit_printed=unit, condition=condition, text=f"{component} 50 {unit}",
                    source=src)


def _asking(question: str, fact: SpecFact) -> Example:
    answer = f"It is 50 {fact.unit} (p.jpg p. 1)."
    return Example(example_id=short_id(question, answer), task="SPEC", question=question, answer=answer,
                   group_id="g", fact_ids=[fact.fact_id], sources=[fact.source])


#: one row per QUESTION_QUANTITIES entry: (question word, a unit that answers it, a unit that does not)
QUANTITY_ROWS = {
    "torque": ("What is the tightening torque of the bolts?", "Nm", "mm"),
    "angle": ("What is the torque angle of the bolts?", "°", "Nm"),
    "pressure": ("What is the oil pressure of the engine?", "bar", "rpm"),
    "length": ("What is the valve clearance of the engine?", "mm", "bar"),
    "power": ("What is the power output of the engine?", "kW", "rpm"),
    "speed": ("What is the idle speed of the engine?", "rpm", "kW"),
    "voltage": ("What is the charging voltage of the engine?", "V", "A"),
    "current": ("What is the current draw of the engine?", "A", "V"),
    "resistance": ("What is the coil resistance of the engine?", "Ω", "V"),
    "volume": ("What is the oil capacity of the engine?", "l", "bar"),
    "temperature": ("What is the opening temperature of the engine?", "°C", "mm"),
    "time": ("What is the duration of the engine test?", "s", "V"),
    "mass": ("What is the weight of the engine?", "kg", "mm"),
}


@pytest.mark.parametrize("name", [n for n, _, _ in QUESTION_QUANTITIES])
def test_question_quantity_row(name: str) -> None:
    question, good, bad = QUANTITY_ROWS[name]
    assert name in question_quantities(question, ["engine"])
    ok, wrong = _spec(good), _spec(bad)
    res = validate_examples([_asking(question, ok)], [ok], [], [])
    assert res.excluded == []
    res = validate_examples([_asking(question, wrong)], [wrong], [], [])
    assert [(x.reason, x.detail) for x in res.excluded] == [("quantity_mismatch", f"{name} asked, {bad} answered")]


def test_every_question_quantity_has_a_row() -> None:
    assert {n for n, _, _ in QUESTION_QUANTITIES} == set(QUANTITY_ROWS)


def test_power_asked_rpm_answered_is_excluded() -> None:
    rpm = _spec("rpm", component="rated power", condition="for 141 kW")
    ex = _asking("What is the power output of the S14 engine (speed)?", rpm)
    res = validate_examples([ex], [rpm], [], [])
    assert res.excluded[0].reason == "quantity_mismatch" and res.checks["excluded_quantity_mismatch"] == 1


def test_quantity_words_inside_the_component_do_not_count() -> None:
    nm = _spec("Nm", component="oil pressure switch")
    ex = _asking("What is the tightening torque of the oil pressure switch?", nm)
    assert validate_examples([ex], [nm], [], []).excluded == []
    assert question_quantities("What is the torque of the oil pressure switch?", ["oil pressure switch"]) == ["torque"]


# --------------------------------------------------------------------------- subject checks (checks_subject)

from manualtune.quality.checks_subject import (  # noqa: E402
    PROSE_SUBJECT_RULES,
    prose_subject_problem,
)
from manualtune.records import Block, TableCell, TableRow  # noqa: E402

_PSRC = Provenance(file="realpages/page.jpg", page=1, page_id="pg")


def _prose_fact(component: str, text: str, value: str, unit: str = "mm", quantity: str = "length") -> SpecFact:
    return SpecFact(fact_id=short_id(component, value), component=component, quantity=quantity, value=value,
                    unit=unit, value_printed=value, unit_printed=unit, text=text, source=_PSRC, block_id="pg/b1")


# (rule, component, printed text, value) as the realpages build read them; each trips its rule first
PROSE_CASES = [
    ("split_word", "option- ally", "Use washers (2) for final adjustments (option- ally 0.5 mm/0.020” and 1.0 mm", "0.5"),
    ("spliced", "down Control Lever temperature", "switched on as from a coolant Air. down Control Lever temperature of "
     "97 ... 101° C", "97"),
    ("verb_head", "Heat case rear section", "Heat case rear section to approx. 80° C (175° F) with a hot", "80"),
    ("clause", "size that mating surface overlaps by distance", "Cut mating surface to size that mating surface "
     "overlaps by distance A = 10 mm", "10"),
    ("no_quantity", "starting interlock", "but in this case the starting interlock must only function 6 seconds after",
     "6"),
    ("spliced", "Down Control Lever temperature", "Air. Down Control Lever temperature of 97 ... 101° C", "97"),
    ("dangling_end", "Continuous cracks with a length of more than", "f) Continuous cracks with a length of more than "
     "100 mm (4\").", "100"),
    ("bare_quantity", "Preload", "Torque* holder in such a manner, that rubber ring is preloaded. Preload: 6 mm (0.236”).",
     "6"),
    ("not_named", "wheel speed", "must not exceed 60 seconds at a wheel speed of max. 7.5 km/h (4.5 mph).", "7.5"),
]


@pytest.mark.parametrize(("rule", "component", "text", "value"), PROSE_CASES)
def test_prose_subject_rules(rule, component, text, value):
    assert rule in {r for r, _, _ in PROSE_SUBJECT_RULES}
    problem = prose_subject_problem(_prose_fact(component, text, value))
    assert problem is not None and problem.startswith(rule + ":"), problem


@pytest.mark.parametrize(("component", "text", "value"), [
    ("Axial play", "Check layshaft axial play through bore for oil filler plug. Axial play = 0.13 to 0.23 mm", "0.13"),
    ("Conrod bearing play", "Conrod bearing play: 0.024 to 0.064 mm (0.0009 to 0.0025\").", "0.024"),
    ("towing speed", "Max. towing speed: 50 km/h (30 mph).", "50"),
    ("hardening time", "The minimum hardening time is 4 hours at 22° (72° F)", "4"),
])
def test_prose_values_named_by_their_quantity_are_asked(component, text, value):
    assert prose_subject_problem(_prose_fact(component, text, value)) is None


def _subject_records(fact: SpecFact, kind: str, rows: list[list[str]] | None = None):
    block = Block(block_id="pg/b1", page_id="pg", kind=kind, order=1, text=fact.text, source=_PSRC,
                  rows=[TableRow(cells=[TableCell(text=t, col=i) for i, t in enumerate(r)]) for r in rows or []])
    return [fact], [], [block], []


def _spec_example(fact: SpecFact, question: str, answer: str, **kw) -> Example:
    return Example(example_id=short_id(question, answer), task="SPEC", question=question,
                   answer=answer + " (realpages/page.jpg p. 1).", group_id="g", fact_ids=[fact.fact_id],
                   block_ids=["pg/b1"], sources=[_PSRC], **kw)


def test_prose_and_instruction_questions():
    heat = _prose_fact("Heat new bearing inner race", "Heat new bearing inner race to approx. 80° C (175° F) with a hot",
                       "80", "°C", "temperature")
    recs = _subject_records(heat, "paragraph")
    plain = _spec_example(heat, "What is the temperature of the heat new bearing inner race?",
                          "The temperature of the heat new bearing inner race is approx. 80 °C")
    asked = _spec_example(heat, "To what temperature should the new bearing inner race be heated?",
                          "The new bearing inner race should be heated to approx. 80 °C")
    res = _validate([plain, asked], recs)
    assert _reasons(res) == {plain.example_id: "prose_subject"}
    assert res.checks["excluded_prose_subject"] == 1


def test_wiring_values_only_as_one_fuse_rating():
    def fuse(component, value):
        return _prose_fact(component, f"{component}\n{value} AMP", value, "A", "current")
    ok, soup, odd = fuse("SWITCH FUSE 21 DISTRIBUTION", "7.5"), fuse("DISTRIBUTION 1 8 OISTRIBUTION", "7.5"), \
        fuse("FUSE 12 1 OISTRIBUTION", "7.6")
    exs = [_spec_example(f, f"What is the current of the {q}?", f"The current of the {q} is {f.value} A")
           for f, q in ((ok, "fuse 21"), (soup, "DISTRIBUTION 1 8 OISTRIBUTION"), (odd, "fuse 12"))]
    recs = ([ok, soup, odd], [], _subject_records(ok, "wiring")[2], [])
    res = _validate(exs, recs)
    assert _reasons(res) == {exs[1].example_id: "wiring_subject", exs[2].example_id: "wiring_subject"}
    assert "no fuse is made" in next(x.detail for x in res.excluded if x.example_id == exs[2].example_id)


def test_wire_endpoints_and_unit_column():
    wire = _prose_fact("wire 75 BR -> sau", "1.5 BR .75 BR sau", "1.5", "", "wire")
    res = _validate([_spec_example(wire, "What is the wire cross-section of the wire 75 BR -> sau?",
                                   "The wire cross-section of the wire 75 BR -> sau is 1.5")], _subject_records(wire, "table"))
    assert [x.reason for x in res.excluded] == ["wire_endpoints"]
    # 00 - Torque Specs/61-05.jpg: '40*' (retighten after 15 min) read as '40°' in a row printed in Nm
    arm = _prose_fact("driver's side", "driver's side E31  40° Nm (ft. Ibs.)", "40", "°", "angle")
    recs = _subject_records(arm, "table", [["driver's side", "E31", "", "40°", "Nm (ft. Ibs.)"]])
    res = _validate([_spec_example(arm, "What is the tightening angle of the driver's side?",
                                   "The tightening angle of the driver's side is 40°")], recs)
    assert [x.reason for x in res.excluded] == ["unit_column"]


def test_a_title_is_no_splice():
    staged = _prose_fact("Tightening Torque of Conrod Bolts", "Tightening Torque of Conrod Bolts:\nStep 3 60° + 2° "
                         "torque angle", "60", "°", "angle")
    staged = staged.model_copy(update={"condition": "step 3"})
    assert prose_subject_problem(staged) is None
    assert prose_subject_problem(_prose_fact("angle Conrod bearing play", "torque angle\nConrod bearing play: 0.024 "
                                             "to 0.064 mm", "0.024")).startswith("spliced:")


def test_an_equation_names_its_first_term():
    # 33 - Rear Axle/33-00_1.jpg
    total = _prose_fact("Total operation time", "Total operation time = warming up time + fest time = 40 seconds on "
                        "brake test stand", "40", "s", "time")
    assert prose_subject_problem(total) is None


@pytest.mark.parametrize(("component", "text", "value", "rule"), [
    ("Engine angle", "on the transmission suspension or center mount. Example: Engine angle 2° 16\" Propeller shaft",
     "2", "worked_example"),
    ("Holes from a size", "g) Holes from a size of 100 mm (1.5 In.2) on.", "100", "dangling_end"),
])
def test_worked_examples_and_the_values_own_words(component, text, value, rule):
    assert prose_subject_problem(_prose_fact(component, text, value)).startswith(rule)


def test_a_worked_example_in_the_sentence_before_does_not_count():
    # 51 - Body Equipment/51-312.jpg
    f = _prose_fact("hardening time", "temperature, e.g. sprinkling with water. The minimum hardening time is 4 hours "
                    "at 22° (72° F)", "4", "h", "time")
    assert prose_subject_problem(f) is None


def test_foreign_subjects_are_not_asked():
    from manualtune.quality.checks_subject import foreign_word

    assert foreign_word("Relé principole") == "relé"
    assert foreign_word("Segnale di carico misurctore quantita aria") == "segnale"
    assert foreign_word("Pour in 2 to 3 liters") is None and foreign_word("die-stamped label") is None
    relay = _prose_fact("Relé principole", "Relé principole 10...15 V", "10", "V", "voltage")
    res = _validate([_spec_example(relay, "What is the voltage of the relé principole?",
                                   "The voltage of the relé principole is 10 to 15 V")], _subject_records(relay, "table"))
    assert [x.reason for x in res.excluded] == ["foreign_subject"]


def test_a_table_row_from_a_text_layer_is_no_prose():
    from manualtune.quality.checks_subject import table_row_text

    # ../shared/devdata/BMW_Torque_Specs.pdf: the row name comes from the row, the text is its values
    row = _prose_fact("Connecting pipe to fuel tank", "E30 25 Nm (ft. lbs.)", "25", "Nm", "torque")
    assert table_row_text(row)
    res = _validate([_spec_example(row, "What is the tightening torque of the connecting pipe to fuel tank (E30)?",
                                   "The tightening torque of the connecting pipe to fuel tank is 25 Nm")],
                    _subject_records(row, "paragraph"))
    assert res.excluded == []
    assert not table_row_text(_prose_fact("starting interlock", "the starting interlock must only function 6 seconds",
                                          "6", "s", "time"))
    # 31 - Front Axle/31-35.jpg: a name put together from the sentence still may not dangle
    shim = _prose_fact("shim, whereby there", "New differential gears must be adjusted with shim (1), whereby there "
                       "must still be a play of 0.01 to 0.07 mm", "0.01")
    assert prose_subject_problem(shim).startswith("dangling_end")


def test_a_heading_glued_to_a_word_is_no_name():
    # 23 - Manual Transmission/23-169.jpg: 'Bolt (1) = 8 x 60 mm' named from the heading above it
    bolt = _prose_fact("REMOVING AND INSTALLING bolt", "Drive out cylindrical pins. Unscrew bolts. Installation: Check "
                       "length of bolts. Bolt (1) = 8x 60 mm.", "60")
    assert prose_subject_problem(bolt).startswith("spliced")


def test_quantity_words_in_the_closing_qualifiers_do_not_count() -> None:
    # 12-55 as built: a dimension asked in the job 'checking alternator and voltage regulator'
    mm = _spec("mm", component='distance "V" for new condition')
    ex = _asking('What is the dimension of the distance "V" for new condition (checking alternator and voltage regulator)?', mm)
    assert validate_examples([ex], [mm], [], []).excluded == []
    bad = _asking("What is the charging voltage of the engine (checking alternator)?", mm)  # asked outside the brackets
    assert validate_examples([bad], [mm], [], []).excluded[0].reason == "quantity_mismatch"
