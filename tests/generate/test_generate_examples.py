"""generate_examples on the hand-made record fixtures in tests/resources/records."""

from __future__ import annotations

import random
import re

from manualtune.generate import GenerateConfig, extract_numbers, generate_examples, refusal_count
from manualtune.generate.templates import REFUSAL_COMPONENTS
from manualtune.quality.validate import validate_examples
from manualtune.records import Block, Example, Procedure, Provenance, SpecFact
from manualtune.stage_errors import collect_stage_errors


def _fact(records, component: str, variant: str | None = None, **match) -> SpecFact:
    found = [
        f for f in records[0]
        if f.component == component and f.variant == variant and all(getattr(f, k) == v for k, v in match.items())
    ]
    assert len(found) == 1, (component, variant, match)
    return found[0]


def _answering(examples: list[Example], fact: SpecFact) -> list[Example]:
    return [e for e in examples if fact.fact_id in e.fact_ids]


def test_every_generated_example_is_grounded_and_kept(records, examples):
    facts, procs, blocks, conflicts = records
    assert {e.task for e in examples} == {"SPEC", "PROCEDURE", "EXPLANATION", "WIRING", "TROUBLESHOOTING"}
    res = validate_examples(examples, facts, procs, blocks, conflicts=conflicts)
    assert res.excluded == [], res.excluded
    assert res.checks["grounded_share"] == 1.0
    assert res.checks["numbers_checked"] > 50
    assert res.conflicting_questions == [] and res.near_duplicate_pairs == []


def test_questions_name_the_variant_never_the_section(records, examples):
    for variant in ("S14", "S38", "CR20", "CR25T"):
        facts = [f for f in records[0] if f.variant == variant and not f.needs_review]
        assert facts
        for f in facts:
            qs = [e.question for e in _answering(examples, f)]
            assert qs, f.component
            for q in qs:
                assert re.search(rf"\b{variant}\b", q), q
                assert f.component.split()[0] in q.lower() or "conrod" in q.lower(), q
    assert not any(re.search(r"(?<![-\w])section\b", e.question.lower()) for e in examples)
    s14 = _answering(examples, _fact(records, "connecting rod bolts", "S14", value="55"))[0]
    assert s14.question == "What is the tightening torque of the S14 connecting rod bolts?"


def test_phrasings_per_fact_share_group_and_answer(records):
    facts, procs, blocks, conflicts = records
    for n in (3, 5):
        exs = generate_examples(facts, procs, blocks, GenerateConfig(phrasings_per_fact=n, refusal_share=0),
                                conflicts=conflicts)
        play = _answering(exs, _fact(records, "conrod bearing play", "S14"))
        assert sorted(e.phrasing for e in play) == list(range(n))
        assert len({e.question for e in play}) == n
        assert len({e.answer for e in play}) == 1 and len({e.group_id for e in play}) == 1


def test_needs_review_facts_make_no_examples(records, examples):
    doubtful = [f for f in records[0] if f.needs_review]
    assert doubtful
    for f in doubtful:
        assert _answering(examples, f) == []
        assert not any(f.component in e.question for e in examples if not e.refusal)


def test_stages_complete_and_cross_page_conflict_stated_with_both_citations(records, examples):
    s38 = _answering(examples, _fact(records, "connecting rod bolts", "S38", value="30"))
    assert s38 and all("Stage 1: 5 Nm, Stage 2: 30 Nm, Stage 3: 60°" in e.answer for e in s38)
    assert all(e.answer.endswith("(manual p. 11-19).") for e in s38)
    s14 = _answering(examples, _fact(records, "connecting rod bolts", "S14", value="55"))
    assert len(s14) == 4 and all(e.conflict_stated for e in s14)
    ans = s14[0].answer
    assert "Stage 1: 10 Nm, Stage 2: 30 Nm, Stage 3: 60° + 2° (manual p. 11-64)" in ans
    assert "55 Nm, condition: replace, wash and oil conrod bolts (manual p. 11-19)" in ans
    # the staged S14 fact answers the same question in the same example: never two answers
    staged = _fact(records, "connecting rod bolts", "S14", value="10")
    spec = [e for e in _answering(examples, staged) if e.task == "SPEC"]
    assert {e.example_id for e in spec} == {e.example_id for e in s14}


def test_conflict_skip_mode_drops_the_question(records):
    facts, procs, blocks, conflicts = records
    exs = generate_examples(facts, procs, blocks, GenerateConfig(conflict_mode="skip"), conflicts=conflicts)
    assert _answering(exs, _fact(records, "connecting rod bolts", "S14", value="55")) == []
    assert not any(e.conflict_stated for e in exs)
    assert _answering(exs, _fact(records, "connecting rod bolts", "S38", value="30"))


def test_range_condition_and_same_key_conditions_disambiguated(records, examples):
    play = _answering(examples, _fact(records, "conrod bearing play", "S14"))[0]
    assert "0.024 to 0.064 mm" in play.answer and "condition: measured with Plastigage PG-1" in play.answer
    slave = [e for e in examples if "clutch slave cylinder diameter" in e.question]
    answers_by_q: dict[str, set[str]] = {}
    for e in slave:
        answers_by_q.setdefault(e.question, set()).add(e.answer)
    assert len(answers_by_q) == 8 and all(len(a) == 1 for a in answers_by_q.values())
    assert {"22.2 mm" in a for a in set().union(*answers_by_q.values())} == {True, False}
    all_q: dict[str, set[str]] = {}
    for e in examples:
        all_q.setdefault(e.question, set()).add(e.answer)
    assert all(len(a) == 1 for a in all_q.values())


def test_citation_uses_page_label_else_file_and_page(records, examples):
    cr = _answering(examples, _fact(records, "spark plug gap", "CR25T"))[0]
    assert cr.answer == "The CR25T spark plug gap is 0.7 mm (corvane/section-11.png p. 1)."
    custom = GenerateConfig(citation_template="BMW manual page {label}", citation_wrapper="[{citations}]")
    exs = generate_examples(*records[:3], custom, conflicts=records[3])
    play = _answering(exs, _fact(records, "conrod bearing play", "S14"))[0]
    assert play.answer.endswith("[BMW manual page 11-64].")
    assert validate_examples(exs, *records[:3], cfg=custom).excluded == []


def test_derived_conversion_is_attached_to_its_printed_value(records, examples):
    brake = _fact(records, "brake line test pressure", None, derived=False)
    derived = _fact(records, "brake line test pressure", None, derived=True)
    exs = _answering(examples, brake)
    assert exs and all(derived.fact_id in e.fact_ids for e in exs)
    # by default an answer states only what the page prints: the computed 5000 kPa is no number of it
    assert exs[0].answer == "The brake line test pressure is 50 bar (manual p. 34-1)."
    assert len({e.question for e in examples if "brake line test pressure" in e.question}) == 4
    facts, procs, blocks, conflicts = records
    opted = _answering(generate_examples(facts, procs, blocks, GenerateConfig(derived_in_answer=True),
                                         conflicts=conflicts), brake)
    assert opted[0].answer == "The brake line test pressure is 50 bar (5000 kPa) (manual p. 34-1)."


def test_answer_units_printed_or_canonical():
    src = Provenance(file="manual/11-54.jpg", page=1)
    fact = SpecFact(fact_id="f1", component="valve guide protrusion", quantity="length", value="0.75",
                    unit="mm", value_printed=".75", unit_printed="mm", text="protrusion .75 mm", source=src,
                    variant="S14")
    amp = SpecFact(fact_id="f2", component="alternator output", quantity="current", value="90", unit="A",
                   value_printed="90", unit_printed="AMP", text="90 AMP", source=src)
    printed = generate_examples([fact, amp], [], [], GenerateConfig(refusal_share=0))
    canonical = generate_examples([fact, amp], [], [], GenerateConfig(answer_units="canonical", refusal_share=0))
    by_fact = {e.fact_ids[0]: e.answer for e in printed}
    assert "is .75 mm (" in by_fact["f1"] and "is 90 A (" in by_fact["f2"]  # 'AMP' is not a clean unit
    assert "is 0.75 mm (" in {e.fact_ids[0]: e.answer for e in canonical}["f1"]
    for exs in (printed, canonical):
        assert validate_examples(exs, [fact, amp], [], []).excluded == []


def test_procedure_answer_warnings_numbered_steps_whole(records, examples):
    proc = next(p for p in records[1] if p.variant == "S14")
    exs = [e for e in examples if e.procedure_id == proc.procedure_id]
    assert len(exs) == 3 and len({e.group_id for e in exs}) == 1 and exs[0].group_id == proc.procedure_id
    assert any(e.question == "How do I replace connecting rods (pistons removed) on the S14?" for e in exs)
    lines = exs[0].answer.splitlines()
    assert lines[0] == "WARNING: Only use connecting rods of the same weight class."
    numbered = [ln for ln in lines if re.match(r"\d+\. ", ln)]
    assert [int(ln.split(".")[0]) for ln in numbered] == [1, 2, 3]
    assert lines.index(numbered[0]) == 1
    # a step's own warning stays with its step, on the line after it
    assert lines[lines.index(numbered[1]) + 1] == "WARNING: Replace conrod bolts after measuring."
    assert f"2. {proc.steps[1].text}" in lines  # multi-sentence step kept whole
    assert lines[-1] == "(manual p. 11-64)"
    other = [e for e in examples if e.task == "PROCEDURE" and e.procedure_id != proc.procedure_id][0]
    assert "WARNING: Brake fluid is poisonous and attacks paint." in other.answer  # no doubled prefix
    assert "NOTE: Bleed the clutch after installation." in other.answer


def test_block_tasks_use_heading_as_topic(examples):
    by_task = {t: [e for e in examples if e.task == t] for t in ("EXPLANATION", "WIRING", "TROUBLESHOOTING")}
    assert "What does the wiring diagram for the charge circuit show?" in {e.question for e in by_task["WIRING"]}
    assert "How do I troubleshoot the alternator?" in {e.question for e in by_task["TROUBLESHOOTING"]}
    expl = {e.question for e in by_task["EXPLANATION"]}
    assert "What does the manual say about replacing conrod bearing shells (engine disassembled)?" in expl
    for exs in by_task.values():
        assert exs and all(e.group_id == e.block_ids[0] for e in exs)
        assert all(re.search(r"\(manual p\. [\d-]+\)$", e.answer) for e in exs)


def test_refusals_share_and_topics_absent_from_facts(records):
    facts, procs, blocks, conflicts = records
    comps = {c for c, _ in REFUSAL_COMPONENTS}
    fact_text = " ".join(f"{f.component} {f.variant} {f.condition} {f.text}" for f in facts).lower()
    for share in (0.05, 0.2):
        exs = generate_examples(facts, procs, blocks, GenerateConfig(refusal_share=share), conflicts=conflicts)
        refusals = [e for e in exs if e.refusal]
        assert refusals
        assert len(refusals) == refusal_count(len(exs) - len(refusals), share)
        assert abs(len(refusals) / len(exs) - share) < 0.02
        for e in refusals:
            assert e.answer.startswith("The manual does not give a value for ") and e.answer.endswith("I won't guess.")
            assert extract_numbers(e.answer) == [] and e.fact_ids == [] and e.task == "SPEC"
            if e.variant:
                assert e.variant.lower() not in fact_text and e.variant in e.question
            else:
                named = [c for c in comps if c in e.question]
                assert len(named) == 1 and named[0].lower() not in fact_text
        assert any(e.variant for e in refusals) or share < 0.1
        # engine codes only: a car model ('E36 M3') is named nowhere while its engines are
        assert all(" " not in (e.variant or "") for e in refusals)
    none = generate_examples(facts, procs, blocks, GenerateConfig(refusal_share=0), conflicts=conflicts)
    assert not any(e.refusal for e in none)
    custom = generate_examples(facts, procs, blocks, GenerateConfig(refusal_template="No data for {topic}."))
    assert all(e.answer.startswith("No data for the ") for e in custom if e.refusal)


def test_deterministic_and_independent_of_input_order(records, examples):
    facts, procs, blocks, conflicts = records
    again = generate_examples(facts, procs, blocks, GenerateConfig(), conflicts=conflicts)
    assert [e.model_dump() for e in again] == [e.model_dump() for e in examples]
    rng = random.Random(7)
    f2, p2, b2 = facts[:], procs[:], blocks[:]
    rng.shuffle(f2)
    rng.shuffle(p2)
    rng.shuffle(b2)
    shuffled = generate_examples(f2, p2, b2, GenerateConfig(), conflicts=conflicts)
    assert [e.model_dump() for e in shuffled] == [e.model_dump() for e in examples]
    assert len({e.example_id for e in examples}) == len(examples)


def test_paraphraser_hook_adds_checked_questions(records):
    facts, procs, blocks, conflicts = records
    calls: list[str] = []

    def paraphraser(q: str) -> list[str]:
        calls.append(q)
        if "S38" in q:
            return ["How many Nm do the S38 connecting rod bolts get?",  # accepted
                    "What torque for connecting rod bolts?",  # drops the variant: rejected
                    "What is the tightening torque of the S38 connecting rod bolts?"]  # duplicate
        raise RuntimeError("model unavailable")

    cfg = GenerateConfig(refusal_share=0)
    with collect_stage_errors() as errors:
        exs = generate_examples(facts, procs, blocks, cfg, conflicts=conflicts, paraphraser=paraphraser)
    assert calls
    # the failing calls are recorded, one per question asked, never swallowed
    assert errors and {e.stage for e in errors} == {"generate.paraphrase"}
    assert {e.message for e in errors} == {"model unavailable"} and len(errors) == len(calls) - 1
    s38 = [e for e in exs if e.variant == "S38"]
    assert [e.phrasing for e in s38] == [0, 1, 2, 3, 4]
    assert s38[-1].question == "How many Nm do the S38 connecting rod bolts get?"
    plain = generate_examples(facts, procs, blocks, cfg, conflicts=conflicts)
    assert len(exs) == len(plain) + 1


def test_bad_records_never_raise():
    src = Provenance(file="x.jpg", page=1)
    facts = [
        SpecFact(fact_id="a", component="", quantity="torque", value="", unit="Nm", value_printed="",
                 unit_printed="", text="", source=src),
        SpecFact(fact_id="b", component="bolt", quantity="other", value="12", unit="zz", value_printed="12 (?",
                 unit_printed="((", text="bolt 12", source=src, tolerance="about", derived=True, derived_from="a"),
    ]
    procs = [Procedure(procedure_id="p", title="", steps=[], source=src)]
    blocks = [Block(block_id="x#b0", page_id="x", kind="paragraph", order=0, text="", source=src)]
    out = generate_examples(facts, procs, blocks, GenerateConfig())
    assert all(isinstance(e, Example) for e in out)
    assert generate_examples([], [], [], GenerateConfig()) == []


def test_same_name_in_two_sections_and_self_describing_quantities_stay_distinct():
    def fact(fid, comp, quantity, value, unit, section, page):
        return SpecFact(fact_id=fid, component=comp, quantity=quantity, value=value, unit=unit, value_printed=value,
                        unit_printed=unit, text=f"{comp} {value} {unit}", section=section, variant="240i",
                        source=Provenance(file=f"m/{page}.jpg", page=1))

    facts = [
        fact("a", "mounting bolts", "torque", "47", "Nm", "12 31 Alternator", 1),
        fact("b", "mounting bolts", "torque", "22", "Nm", "34 11 Brake Caliper", 2),
        fact("c", "Engine Power Output", "power", "95", "kW", "Performance", 3),
        fact("d", "Engine Power Output", "speed", "5800", "rpm", "Performance", 3),
        fact("e", "on the CR20 and every", "length", "60000", "km", "Service", 4),  # not a component
    ]
    exs = generate_examples(facts, [], [], GenerateConfig(refusal_share=0))
    first = {e.fact_ids[0]: e.question for e in exs if e.phrasing == 0}
    assert first["a"] == "What is the tightening torque of the 240i mounting bolts (alternator)?"
    assert first["b"] == "What is the tightening torque of the 240i mounting bolts (brake caliper)?"
    assert first["c"] == "What is the 240i engine power output?"
    assert first["d"] == "What is the 240i engine power output (speed)?"
    assert "e" not in first and not any(e.conflict_stated for e in exs)
    assert validate_examples(exs, facts, [], []).excluded == []


def test_printed_step_numbers_are_not_repeated(records):
    proc = next(p for p in records[1] if p.variant == "S14")
    printed = proc.model_copy(
        update={"steps": [s.model_copy(update={"number": str(i), "text": f"{i}. {s.text}"})
                          for i, s in enumerate(proc.steps, start=1)]}
    )
    ex = next(e for e in generate_examples([], [printed], [], GenerateConfig()) if e.task == "PROCEDURE")
    numbered = [ln for ln in ex.answer.splitlines() if re.match(r"\d+\. ", ln)]
    assert numbered and not any(re.match(r"\d+\. \d+\. ", ln) for ln in numbered)
    assert numbered[1] == f"2. {proc.steps[1].text}"


def test_no_variant_refusal_for_a_part_with_an_all_others_row():
    # 00 - Torque Specs/11-22.jpg (by eye): 'Cylinder for chain tensioner plunger' M50/M52/S52/S50 US 70 Nm,
    # 'All others' 50 Nm: the manual gives a value for any engine, so 'the S65 ...' is no refusal
    from manualtune.generate.refusal import refusal_examples

    src = Provenance(file="00 - Torque Specs/11-22.jpg", page=1, page_id="p11-22")

    def fact(comp: str, value: str, condition: str, variant: str | None) -> SpecFact:
        return SpecFact(fact_id=comp + value, component=comp, quantity="torque", value=value, unit="Nm",
                        value_printed=value, unit_printed="Nm", text=f"{comp} {condition} {value} Nm",
                        condition=condition, variant=variant, source=src)

    facts = [fact("Cylinder for chain tensioner plunger", "70", "M50/M52/S52/S50 US", "M50"),
             fact("Cylinder for chain tensioner plunger", "50", "All others", None),
             fact("Oil drain plug", "25", "M50", "M50")]
    got = refusal_examples(facts, [], [], 40, GenerateConfig())
    variant_refusals = [e for e in got if e.variant]
    assert variant_refusals and all("chain tensioner" not in e.question for e in variant_refusals)
    assert any("oil drain plug" in e.question.lower() for e in variant_refusals)


def test_one_stage_of_a_tightening_sequence_is_asked_by_its_stage():
    # 11-61a as read: 'Step1 10 Nm ... 30 Nm ... Step 3 60°'; the 30 Nm lost its stage label (review), the
    # step 1 torque is left alone: a question for 'the tightening torque' would get one stage of three
    src = Provenance(file="11 - Engine/11-61a.jpg", page=1)
    step1 = SpecFact(fact_id="s1", component="conrod bolts", quantity="torque", value="10", unit="Nm",
                     value_printed="10", unit_printed="Nm", condition="step 1", text="Step1 10 Nm", source=src)
    exs = [e for e in generate_examples([step1], [], [], GenerateConfig(refusal_share=0)) if e.task == "SPEC"]
    assert exs and all("step 1" in e.question for e in exs)
    assert "10 Nm" in exs[0].answer
