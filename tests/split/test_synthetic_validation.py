"""synthetic_validation: paraphrases of held-out facts only, deterministic, never a copy of a question."""

from __future__ import annotations

from fixture_examples import extra_groups, make_examples

from manualtune.records import SplitAssignment
from manualtune.split import (
    RULES,
    SplitConfig,
    normalise_question,
    paraphrase_candidates,
    split_examples,
    synthetic_validation,
)
from manualtune.stage_errors import collect_stage_errors


def _train_sets(examples, assignments):
    split_of = {a.example_id: a.split for a in assignments}
    train = [e for e in examples if split_of[e.example_id] == "train"]
    return {e.group_id for e in train}, {f for e in train for f in e.fact_ids}, split_of


def test_synthetic_mentions_no_train_fact_or_group(examples):
    examples = examples + make_examples(extra_groups(60))
    assignments = split_examples(examples, SplitConfig())
    synthetic = synthetic_validation(examples, assignments, SplitConfig())
    train_groups, train_facts, split_of = _train_sets(examples, assignments)
    held_out_groups = {e.group_id for e in examples if split_of[e.example_id] != "train"}
    assert len(synthetic) >= len(held_out_groups)  # up to 2 per held-out group, at least 1 each here
    for s in synthetic:
        assert s.group_id not in train_groups
        assert not train_facts.intersection(s.fact_ids)
        assert s.group_id in held_out_groups


def test_synthetic_questions_are_new_and_keep_answers(examples):
    assignments = split_examples(examples, SplitConfig())
    synthetic = synthetic_validation(examples, assignments, SplitConfig())
    existing = {normalise_question(e.question) for e in examples}
    by_group = {e.group_id: e for e in examples}
    norms = [normalise_question(s.question) for s in synthetic]
    assert synthetic
    assert len(set(norms)) == len(norms)
    assert not existing.intersection(norms)
    for s in synthetic:
        assert s.answer == by_group[s.group_id].answer
        assert s.task == by_group[s.group_id].task
        assert s.example_id.startswith("syn-")


def test_synthetic_is_deterministic_and_respects_per_group_limit(examples):
    assignments = split_examples(examples, SplitConfig())
    a = synthetic_validation(examples, assignments, SplitConfig(synthetic_per_group=1))
    b = synthetic_validation(list(reversed(examples)), assignments, SplitConfig(synthetic_per_group=1))
    assert a == b
    groups = [s.group_id for s in a]
    assert len(groups) == len(set(groups))


def test_naive_assignment_would_leak_but_filter_blocks_it(examples):
    # a row-level assignment puts phrasings of one group on both sides: those groups must be skipped
    assignments = [
        SplitAssignment(example_id=e.example_id, group_id=e.group_id, split="train" if e.phrasing == 0 else "val")
        for e in examples
    ]
    assert synthetic_validation(examples, assignments, SplitConfig()) == []


def test_val_only_option(examples):
    assignments = split_examples(examples, SplitConfig())
    split_of = {a.group_id: a.split for a in assignments}
    synthetic = synthetic_validation(examples, assignments, SplitConfig(synthetic_from=["val"]))
    assert synthetic and {split_of[s.group_id] for s in synthetic} == {"val"}


def test_paraphraser_hook_used_first_and_failures_fall_back(examples):
    assignments = split_examples(examples, SplitConfig())
    hooked = synthetic_validation(
        examples, assignments, SplitConfig(synthetic_per_group=1), paraphraser=lambda e: [f"In short: {e.question}"]
    )
    assert hooked and all(s.question.startswith("In short: ") for s in hooked)

    def broken(_):
        raise RuntimeError("model offline")

    with collect_stage_errors() as errors:  # inside a build: recorded, and the rules still apply
        fallback = synthetic_validation(examples, assignments, SplitConfig(), paraphraser=broken)
    assert fallback == synthetic_validation(examples, assignments, SplitConfig())
    assert errors and {(e.stage, e.message) for e in errors} == {("split.synthetic.paraphraser", "model offline")}


def test_rules_rewrite_realistically():
    q = "What is the tightening torque for the cylinder head bolts?"
    got = dict(paraphrase_candidates(q, list(RULES)))
    assert got["quick_prefix"] == "Quick question: what is the tightening torque for the cylinder head bolts?"
    assert got["reorder"] == "For the cylinder head bolts, what is the tightening torque?"
    assert got["drop_articles"] == "What is tightening torque for cylinder head bolts?"
    assert got["synonyms"] == "What's the torque for the cylinder head bolts?"
    assert got["terse"] == "Tightening torque for cylinder head bolts?"
    # acronyms keep their case after a prefix
    assert dict(paraphrase_candidates("BMW M3 oil capacity?", ["quick_prefix"]))["quick_prefix"] == (
        "Quick question: BMW M3 oil capacity?"
    )
