"""Unanswerable probes, derived from the manual's own vocabulary.

Two families (each question checked against every word and identifier of the build):

* ``variant_swap`` — a real component and quantity of the manual asked for a variant the
  manual does not have: each variant identifier the manual uses (``CR25T``, ``240i``) gets
  siblings by shifting its leading number (``CR35T``, ``340i``), kept only when the manual never
  prints them;
* ``foreign_component`` — a component from :attr:`ProbeConfig.foreign_components` that the
  manual never names, asked with the manual's own quantity words (tightening torque, pressure…)
  or as a procedure.
"""

from __future__ import annotations

import re
from pathlib import Path

from manualtune.cache import read_jsonl
from manualtune.evaluate.config import ProbeConfig
from manualtune.evaluate.probes import Probe, probe_id
from manualtune.generate.text import identifier_tokens
from manualtune.records import Block, SpecFact
from manualtune.split.assign import normalise_question, unit_hash

#: fact quantity -> how a question names it
QUANTITY_WORDS: dict[str, str] = {
    "torque": "tightening torque", "clearance": "clearance", "pressure": "pressure", "volume": "capacity",
    "length": "specified length", "voltage": "voltage", "resistance": "resistance", "current": "current rating",
    "speed": "speed", "temperature": "temperature", "angle": "angle", "time": "time",
}
_FOREIGN_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("SPEC", "What is the tightening torque of the {comp} mounting bolts?"),
    ("SPEC", "What is the specified {qty} of the {comp}?"),
    ("PROCEDURE", "How do I remove and install the {comp}?"),
)
_WORD = re.compile(r"[a-zäöüß]+")


def manual_vocabulary(facts: list[SpecFact], blocks: list[Block]) -> tuple[set[str], set[str]]:
    """(lower-case words, upper-case identifiers) printed anywhere in the build's records."""
    texts = [b.text for b in blocks] + [c.text for b in blocks for r in b.rows for c in r.cells]
    texts += [f"{f.component} {f.text} {f.condition or ''} {f.variant or ''} {f.section or ''}" for f in facts]
    words: set[str] = set()
    idents: set[str] = set()
    for t in texts:
        words |= set(_WORD.findall(t.lower()))
        idents |= identifier_tokens(t)
    return words, idents


def variant_siblings(variant: str, idents: set[str], n: int = 2) -> list[str]:
    """Identifiers like ``variant`` with its leading number shifted, that the manual never prints."""
    m = re.search(r"\d+", variant)
    if not m:
        return []
    num = m.group(0)
    step = 10 ** (len(num) - 1) if len(num) > 1 else 1
    out: list[str] = []
    for k in range(1, 10):
        cand = f"{variant[:m.start()]}{int(num) + k * step}{variant[m.end():]}"
        if cand.upper() not in idents and cand not in out:
            out.append(cand)
        if len(out) >= n:
            break
    return out


def _component_phrase(f: SpecFact) -> str | None:
    comp = re.sub(r"\s+", " ", f.component).strip().lower()
    if len(comp.split()) < 2 or not re.fullmatch(r"[a-z ,\-]+", comp):
        return None  # fragments of the text path ("valve", "pump") make no clear question
    return comp


def unanswerable_probes(build_dir: Path, cfg: ProbeConfig, known_questions: set[str] | None = None) -> list[Probe]:
    """``cfg.unanswerable`` probes about things the manual does not cover. Deterministic."""
    if cfg.unanswerable <= 0:
        return []
    facts = read_jsonl(build_dir / "records" / "facts.jsonl", SpecFact)
    blocks_path = build_dir / "records" / "blocks.jsonl"
    blocks = read_jsonl(blocks_path, Block) if blocks_path.is_file() else []
    words, idents = manual_vocabulary(facts, blocks)
    known = set(known_questions or ())

    variants = sorted({f.variant for f in facts if f.variant} | {
        t for f in facts for t in re.findall(r"\b\d{3}[a-z]\b|\b[A-Z]{1,3}\d{2,3}[A-Z]?\b", f.condition or "")})
    candidates: list[tuple[str, str, str, str]] = []  # (family, task, question, origin)
    for f in sorted(facts, key=lambda f: f.fact_id):
        comp = _component_phrase(f)
        qty = QUANTITY_WORDS.get(f.quantity)
        if comp is None or qty is None or f.derived:
            continue
        for v in variants:
            for fake in variant_siblings(v, idents):
                candidates.append(("variant_swap", "SPEC", f"What is the {qty} of the {comp} on the {fake}?",
                                   f"variant {v} -> {fake}"))
    qty_words = sorted({QUANTITY_WORDS[f.quantity] for f in facts if f.quantity in QUANTITY_WORDS})
    for comp in cfg.foreign_components:
        head = [w for w in _WORD.findall(comp.lower()) if len(w) > 3]
        if comp.lower() in " ".join(sorted(words)) or (head and head[0] in words):
            continue  # the manual names it: not unanswerable
        for task, template in _FOREIGN_TEMPLATES:
            for qty in (qty_words if "{qty}" in template else [""]):
                candidates.append(("foreign_component", task, template.format(comp=comp, qty=qty),
                                   f"foreign component {comp!r}"))

    by_family: dict[str, list[tuple[float, str, str, str]]] = {}
    for family, task, question, origin in candidates:
        norm = normalise_question(question)
        if norm in known:
            continue
        known.add(norm)
        by_family.setdefault(family, []).append((unit_hash(cfg.seed, question), task, question, origin))
    families = sorted(by_family)
    for fam in families:
        by_family[fam].sort()
    out: list[Probe] = []
    i = 0
    while len(out) < cfg.unanswerable and any(by_family.values()):
        fam = families[i % len(families)]
        i += 1
        if not by_family[fam]:
            continue
        _, task, question, origin = by_family[fam].pop(0)
        out.append(Probe(id=probe_id("unanswerable", question), kind="unanswerable", task=task,  # type: ignore[arg-type]
                         question=question, origin=f"{fam}: {origin}"))
    return out
