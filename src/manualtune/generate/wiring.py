"""WIRING examples: wires, circuit parts, fuse ratings and note boxes of a wiring page."""


from __future__ import annotations

from collections.abc import Sequence

from manualtune.generate.blocktasks import (
    FuseRating,
    circuit_components,
    colour_name,
    fuse_ratings,
    is_note_text,
    wire_lines,
    wire_rows,
)
from manualtune.generate.common import (
    GenerationStats,
    _block_topic,
    _dedupe_blocks,
    _emit,
    _page_blocks,
    _Pages,
    _questions,
    _sentence_case,
    looks_like_prose,
)
from manualtune.generate.config import GenerateConfig
from manualtune.generate.templates import (
    CIRCUIT_TEMPLATES,
    FUSE_TEMPLATES,
    WIRE_TEMPLATES,
    WIRING_NOTE_TEMPLATES,
)
from manualtune.generate.text import (
    extract_numbers,
    normalize_question,
)
from manualtune.records import Block, Example
from manualtune.stage_errors import stage_guard


def wiring_examples(blocks: Sequence[Block], pages: _Pages, cfg: GenerateConfig,
                    stats: GenerationStats | None = None) -> list[Example]:
    """WIRING examples of each wiring page (blocks with ``meta['circuit']`` or of kind ``wiring``):

    * one per wire of a wire list: "Which wire connects X to Y in the charging circuit?" ->
      label, colour name and cross-section;
    * the circuit's parts (wire ends + capital diagram labels), when at least three are read;
    * each fuse rating printed in the circuit text ("fuse F7 (10 A)");
    * a note box printed on the diagram.
    Every answer cites its page; the numbers come from the cited blocks.
    """
    stats = stats or GenerationStats()
    out: list[Example] = []
    n = cfg.phrasings_per_block
    for page in _page_blocks(blocks):
        wiring = [b for b in page if b.kind == "wiring" or b.meta.get("page_kind") == "wiring"
                  or b.meta.get("role") == "diagram_label"]
        if not wiring:
            continue
        stats.add("WIRING", "candidates")
        raw = next((b.meta["circuit"] for b in wiring if b.meta.get("circuit")), None) or next(
            (b.text for b in page if b.kind == "heading" and b.meta.get("role") != "diagram_label"), None)
        circuit = _block_topic("wiring", raw) if raw else None
        if not circuit:
            stats.skip("WIRING", "no_circuit_title")
            continue
        with stage_guard("generate.wiring", page[0].page_id):
            wires = [w for b in page if b.kind == "table" for w in wire_rows(b)]
            wires += [w for b in page if b.kind == "wiring" for w in wire_lines(b)]
            seen_q: set[str] = set()
            for w in wires:
                colour = colour_name(w.colour) or w.colour
                size = extract_numbers(w.size)[0] if extract_numbers(w.size) else w.size
                cite = pages.cite([(w.block.source, w.block.block_id)])
                answer = (f"{w.start[:1].upper()}{w.start[1:]} is connected to {w.end} by wire {w.label}: "
                          f"{colour}, {size} mm² cross-section {cite}")
                qs = _questions(WIRE_TEMPLATES, n, start=w.start, end=w.end, circuit=circuit)
                if normalize_question(qs[0]) in seen_q:
                    continue
                seen_q.add(normalize_question(qs[0]))
                _emit(out, "WIRING", qs, answer, [w.block])
            labels = [b for b in wiring if b.meta.get("role") == "diagram_label"]
            parts = circuit_components(wires, [b.text for b in labels])
            if len(parts) >= 3:
                used = _dedupe_blocks([w.block for w in wires] + labels)
                cite = pages.cite((b.source, b.block_id) for b in used)
                answer = f"According to the wiring diagram, {circuit} consists of: {', '.join(parts)} {cite}"
                _emit(out, "WIRING", _questions(CIRCUIT_TEMPLATES, n, circuit=circuit), answer, used)
            fuses: dict[str, FuseRating] = {}
            for b in wiring:
                if b.kind != "wiring" or b.meta.get("role") == "diagram_label":
                    continue
                for f in fuse_ratings(b):
                    fuses.setdefault(f.fuse, f)
            for fid in sorted(fuses):
                f = fuses[fid]
                cite = pages.cite([(f.block.source, f.block.block_id)])
                answer = f"{f.name[:1].upper()}{f.name[1:]} in {circuit} is rated {f.amps} A {cite}"
                _emit(out, "WIRING", _questions(FUSE_TEMPLATES, n, name=f.name, circuit=circuit), answer, [f.block])
            notes = [b for b in wiring if b.kind == "wiring" and not looks_like_prose(b.text) and is_note_text(b.text)]
            for b in notes[:1]:
                cite = pages.cite([(b.source, b.block_id)])
                answer = f"{_sentence_case(b.text)} {cite}"
                _emit(out, "WIRING", _questions(WIRING_NOTE_TEMPLATES, n, circuit=circuit), answer, [b])
    return out
