"""split.mode: phrasings — every fact trained, held-out phrasings in val, no probe question in training."""

from __future__ import annotations

from collections import defaultdict

from manualtune.split import SplitConfig, leakage_report, normalise_question, split_examples


def _by_split(examples, assignments):
    split_of = {a.example_id: a.split for a in assignments}
    out = defaultdict(list)
    for ex in examples:
        out[split_of[ex.example_id]].append(ex)
    return out


def test_phrasings_mode_trains_every_fact_and_holds_out_questions(examples):
    cfg = SplitConfig(mode="phrasings", unseen_share=0.0)
    parts = _by_split(examples, split_examples(examples, cfg))
    train_facts = {f for ex in parts["train"] for f in ex.fact_ids}
    assert train_facts == {f for ex in examples for f in ex.fact_ids}  # every fact is trained
    assert parts["test"] == []
    train_q = {normalise_question(ex.question) for ex in parts["train"]}
    held = parts["val"]
    assert len(held) >= 15  # one phrasing of (nearly) every multi-phrasing group
    assert not any(normalise_question(ex.question) in train_q for ex in held)
    train_groups = {ex.group_id for ex in parts["train"]}
    assert {ex.group_id for ex in held} <= train_groups  # a group never loses its last phrasing


def test_phrasings_mode_unseen_units_are_held_out_whole(examples):
    cfg = SplitConfig(mode="phrasings", unseen_share=0.2, min_groups_for_holdout=3)
    assignments = split_examples(examples, cfg)
    parts = _by_split(examples, assignments)
    assert parts["test"], "some units are held out for the unseen probes"
    train_facts = {f for ex in parts["train"] for f in ex.fact_ids}
    train_groups = {ex.group_id for ex in parts["train"]}
    assert not any(set(ex.fact_ids) & train_facts for ex in parts["test"])
    assert not any(ex.group_id in train_groups for ex in parts["test"])
    rep = leakage_report(examples, assignments, mode="phrasings")
    assert rep["mode"] == "phrasings"
    assert rep["held_out_questions_in_train"] == 0 and rep["shared_questions"] == 0
    assert rep["held_out_facts_in_train"] == 0  # test facts
    assert rep["val_facts_not_trained"] == 0
    assert rep["shared_fact_ids"] > 0  # val phrasings ask about trained facts, by design


def test_phrasings_mode_is_deterministic_and_facts_mode_unchanged(examples):
    cfg = SplitConfig(mode="phrasings")
    assert split_examples(examples, cfg) == split_examples(list(reversed(examples)), cfg)
    facts_mode = split_examples(examples, SplitConfig())
    rep = leakage_report(examples, facts_mode)
    assert rep["mode"] == "facts" and rep["shared_fact_ids"] == 0 and rep["held_out_facts_in_train"] == 0
