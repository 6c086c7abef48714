"""Probes made from a sample build: kinds, determinism, the file format, phrasings mode."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from manualtune.cache import read_jsonl, write_jsonl
from manualtune.evaluate.probes import ProbeError, load_probes, make_probes, probe_set_hash, write_probes
from manualtune.evaluate.unanswerable import manual_vocabulary, variant_siblings
from manualtune.records import Block, Example, SpecFact
from manualtune.split import SplitConfig, normalise_question, split_examples


def test_three_kinds_with_targets_from_the_fact_records(subset_probes, sample_subset_build):
    kinds = Counter(p.kind for p in subset_probes)
    assert kinds["paraphrase"] >= 10 and kinds["unseen"] >= 5 and kinds["unanswerable"] >= 10
    facts = {f.fact_id: f for f in read_jsonl(sample_subset_build / "records" / "facts.jsonl", SpecFact)}
    spec = [p for p in subset_probes if p.kind != "unanswerable" and p.task == "SPEC"]
    assert spec and all(p.value is not None and p.source is not None for p in spec)
    for p in spec:
        printed = {(f.value, f.unit) for fid in p.fact_ids if (f := facts.get(fid)) and not f.derived}
        printed |= {(s.value, s.unit) for fid in p.fact_ids if (f := facts.get(fid)) for s in f.stages}
        assert (p.value, p.unit or "") in {(v, u or "") for v, u in printed}, p


def test_unanswerable_probes_name_what_the_manual_does_not_print(subset_probes, sample_subset_build):
    facts = read_jsonl(sample_subset_build / "records" / "facts.jsonl", SpecFact)
    blocks = read_jsonl(sample_subset_build / "records" / "blocks.jsonl", Block)
    words, idents = manual_vocabulary(facts, blocks)
    una = [p for p in subset_probes if p.kind == "unanswerable"]
    families = Counter(p.origin.split(":")[0] for p in una)
    assert families["variant_swap"] and families["foreign_component"]
    for p in una:
        assert p.answer == "" and p.value is None
        if p.origin.startswith("variant_swap"):
            fake = p.origin.rsplit("-> ", 1)[1]
            assert fake.upper() not in idents and fake in p.question


def test_variant_siblings_skip_printed_identifiers():
    assert variant_siblings("CR25T", {"CR25T", "CR35T"}) == ["CR45T", "CR55T"]
    assert variant_siblings("240i", set()) == ["340i", "440i"]
    assert variant_siblings("turbo", set()) == []


def test_deterministic_and_file_round_trip(subset_probes, sample_subset_build, tmp_path):
    again = make_probes(sample_subset_build)
    assert [p.id for p in again] == [p.id for p in subset_probes]
    assert probe_set_hash(again) == probe_set_hash(subset_probes)
    path = tmp_path / "probes.jsonl"
    write_probes(subset_probes, path)
    assert load_probes(path) == subset_probes
    first = json.loads(path.read_text().splitlines()[0])
    assert {"id", "kind", "task", "question", "answer", "value", "value_max", "unit", "fact_ids", "source"} <= set(first)


def test_user_probe_file_errors_name_the_line(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"kind": "unseen", "task": "SPEC", "question": "q?", "value": "5", "unit": "Nm"}\n{"kind": "x"}\n')
    with pytest.raises(ProbeError, match=r"mine.jsonl:2: not a probe"):
        load_probes(path)
    with pytest.raises(ProbeError, match="not found"):
        load_probes(tmp_path / "missing.jsonl")
    path.write_text('{"kind": "unseen", "task": "SPEC", "question": "q?", "value": "5", "unit": "Nm"}\n')
    assert load_probes(path)[0].id  # the id is made when a user file leaves it out


def test_phrasings_mode_build_gives_paraphrase_probes_never_in_training(sample_subset_build, tmp_path):
    build = tmp_path / "build"
    for sub in ("records", "dataset"):
        shutil.copytree(sample_subset_build / sub, build / sub)
    examples = read_jsonl(build / "dataset" / "examples.jsonl", Example)
    splits = split_examples(examples, SplitConfig(mode="phrasings", unseen_share=0.1))
    write_jsonl(build / "dataset" / "splits.jsonl", splits)
    probes = make_probes(build)
    split_of = {a.example_id: a.split for a in splits}
    train_q = {normalise_question(e.question) for e in examples if split_of[e.example_id] == "train"}
    train_facts = {f for e in examples if split_of[e.example_id] == "train" for f in e.fact_ids}
    held = [p for p in probes if p.origin.startswith("held-out val")]
    assert len(held) >= 10 and all(p.kind == "paraphrase" for p in held)
    assert not any(normalise_question(p.question) in train_q for p in probes)
    assert all(set(p.fact_ids) <= train_facts for p in held)
    unseen = [p for p in probes if p.kind == "unseen"]
    assert all(not (set(p.fact_ids) & train_facts) for p in unseen if p.fact_ids)
