"""Searchable documents made from a build's records: one per fact, procedure and prose block.

A document keeps the id of the record it came from; answers are always composed from the
record itself (value and unit as printed, steps in order, the record's provenance), never from
the search text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from manualtune.cache import read_jsonl
from manualtune.records import Block, Conflict, Procedure, SpecFact

DocKind = Literal["fact", "procedure", "block"]

#: fact quantity -> the words a question uses for it (searched with the fact)
QUANTITY_TERMS: dict[str, str] = {
    "torque": "tightening torque", "angle": "tightening torque angle", "clearance": "clearance gap",
    "pressure": "pressure", "volume": "capacity volume quantity", "length": "length thickness distance",
    "voltage": "voltage", "resistance": "resistance", "current": "current rating", "speed": "speed",
    "power": "power output", "temperature": "temperature", "time": "time", "mass": "weight mass",
    "ratio": "ratio", "wire": "wire cross-section",
}


#: block kind -> the words a question uses for it
BLOCK_TERMS: dict[str, str] = {
    "note": "note", "warning": "warning", "caution": "caution", "wiring": "wiring diagram circuit",
    "troubleshooting": "troubleshooting symptom check remedy", "paragraph": "description",
}


#: block roles that are labels, not passages (never an answer)
SKIP_ROLES = frozenset({"diagram_label"})
#: block meta keys whose values are searched with the block (the circuit of a wiring note)
META_TERMS = frozenset({"circuit"})


@dataclass
class Records:
    """The records of one build, by id, plus each page's printed label."""

    facts: dict[str, SpecFact]
    procedures: dict[str, Procedure]
    blocks: dict[str, Block]
    page_labels: dict[str, str] = field(default_factory=dict)  # page_id -> printed label
    aliases: dict[str, list[str]] = field(default_factory=dict)  # variant -> model names printed with it
    conflict_partners: dict[str, set[str]] = field(default_factory=dict)  # fact id -> facts of the same Conflict

    def label(self, page_id: str | None) -> str | None:
        return self.page_labels.get(page_id or "")


RECORD_FILES = ("facts.jsonl", "procedures.jsonl", "blocks.jsonl")


def records_hash(build_dir: Path) -> str:
    """Content hash of the records an index is built from (the index cache key)."""
    h = hashlib.sha256()
    for name in RECORD_FILES:
        p = build_dir / "records" / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.is_file() else b"")
    return h.hexdigest()[:16]


_ALIAS = re.compile(r"(\b\d{3}\s?\w*|\b[A-Z][\w ]{1,20}?)\s*\((?P<v>[A-Z]{1,4}\d{1,3}[A-Z]?)\)")


def load_records(build_dir: Path) -> Records:
    rec = build_dir / "records"
    facts = {f.fact_id: f for f in read_jsonl(rec / "facts.jsonl", SpecFact)} if (rec / "facts.jsonl").is_file() else {}
    procs = (
        {p.procedure_id: p for p in read_jsonl(rec / "procedures.jsonl", Procedure)}
        if (rec / "procedures.jsonl").is_file() else {}
    )
    blocks = {b.block_id: b for b in read_jsonl(rec / "blocks.jsonl", Block)} if (rec / "blocks.jsonl").is_file() else {}
    labels: dict[str, str] = {}
    aliases: dict[str, set[str]] = {}
    for b in blocks.values():
        if b.page_label and b.page_id not in labels:
            labels[b.page_id] = b.page_label
        for m in _ALIAS.finditer(b.text):
            aliases.setdefault(m.group("v"), set()).add(m.group(1).strip())
    for f in facts.values():
        for m in _ALIAS.finditer(f.condition or ""):
            aliases.setdefault(m.group("v"), set()).add(m.group(1).strip())
    partners: dict[str, set[str]] = {}
    if (rec / "conflicts.jsonl").is_file():
        for c in read_jsonl(rec / "conflicts.jsonl", Conflict):
            for fid in c.fact_ids:
                partners.setdefault(fid, set()).update(x for x in c.fact_ids if x != fid)
    return Records(facts, procs, blocks, labels, {k: sorted(v) for k, v in sorted(aliases.items())}, partners)


@dataclass(frozen=True)
class Doc:
    doc_id: str
    kind: DocKind
    record_id: str
    text: str


def _fact_text(f: SpecFact, recs: Records) -> str:
    parts = [f.component, QUANTITY_TERMS.get(f.quantity, f.quantity), f.variant or "",
             " ".join(recs.aliases.get(f.variant or "", [])), f.condition or "", f.section or "", f.text]
    return " ".join(p for p in parts if p)


def _procedure_text(p: Procedure) -> str:
    steps = " ".join(s.text for s in p.steps)
    return " ".join(x for x in (p.title, p.title, p.section or "", p.variant or "", p.repair_code or "",
                                "procedure steps", " ".join(p.warnings), steps) if x)


def build_documents(recs: Records, block_kinds: list[str]) -> list[Doc]:
    """Documents in a stable order: facts, procedures, blocks, each sorted by record id."""
    docs: list[Doc] = []
    for fid in sorted(recs.facts):
        f = recs.facts[fid]
        if f.derived:
            continue  # conversions are shown with the fact they were derived from
        docs.append(Doc(f"fact:{fid}", "fact", fid, _fact_text(f, recs)))
    for pid in sorted(recs.procedures):
        docs.append(Doc(f"procedure:{pid}", "procedure", pid, _procedure_text(recs.procedures[pid])))
    kinds = set(block_kinds)
    for bid in sorted(recs.blocks):
        b = recs.blocks[bid]
        if b.kind in kinds and len(b.text.split()) >= 3 and b.meta.get("role") not in SKIP_ROLES:
            kind_words = BLOCK_TERMS.get(b.kind, b.kind)
            meta = " ".join(v for k, v in sorted(b.meta.items()) if k in META_TERMS)
            docs.append(Doc(f"block:{bid}", "block", bid,
                            " ".join(x for x in (b.section or "", kind_words, meta, b.text) if x)))
    return docs
