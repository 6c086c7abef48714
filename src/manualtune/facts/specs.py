"""Spec facts of a page: the facts stage entry point (:func:`extract_facts`).

The rules live in one module per family; this module orders them and keeps the public names
importable from ``manualtune.facts.specs``:

- :mod:`~manualtune.facts.grammar`: number / unit / sentence grammar shared by all families
- :mod:`~manualtune.facts.values`: values, ranges, tolerances, imperial alternatives, stages
- :mod:`~manualtune.facts.glyphs`: OCR-glyph number checks (confusable digits, unit glyphs, audit)
- :mod:`~manualtune.facts.components`: component names (noun phrases, pronouns, verb phrases)
- :mod:`~manualtune.facts.variants`: engine / model variants
- :mod:`~manualtune.facts.tables`: table rows and variant-column tables
- :mod:`~manualtune.facts.nominal`: test-value tables (nominal values with units in a row's last cell)
- :mod:`~manualtune.facts.text`: running text (sentences, qualifiers, chart scales)
- :mod:`~manualtune.facts.wiring`: wire labels and wire lists
- :mod:`~manualtune.facts.fact_records`: the :class:`SpecFact` record of a parsed value
- :mod:`~manualtune.facts.sources`: one fact, many sources (a PDF text layer and its scans)

Precision first: a number is a fact only when its unit is printed next to it (or in the row's
unit column), units are taken exactly as printed (:mod:`manualtune.facts.units`), and anything
ambiguous is skipped. Section, variant and component come from the row/block they were printed
in, never from page order.
"""

from __future__ import annotations

from manualtune.cache import short_id
from manualtune.facts.components import (
    COMPONENT_REVIEW,
    GENERIC_COMPONENTS,
    component_after,
    component_before,
    component_problem,
    heading_title,
    name_component,
    possessive_owner,
    pronoun_antecedent,
    split_label,
    subject_of_verb_phrase,
    tidy_component_name,
)
from manualtune.facts.config import FactsConfig
from manualtune.facts.context import PageContext, ends_version, page_words, version_label
from manualtune.facts.fact_records import _fact_id, _join
from manualtune.facts.glyphs import _flag_from_audit, fix_unit_cell, repair_ocr_units, superscript_unit
from manualtune.facts.grammar import ParsedValue, sentence_spans
from manualtune.facts.nominal import is_test_value_table, nominal_table_facts
from manualtune.facts.sources import merge_sources
from manualtune.facts.tables import _header_roles, _table_facts, infer_value_unit_columns, left_column_label
from manualtune.facts.text import _text_facts, parse_scale_line
from manualtune.facts.units import convert_exact
from manualtune.facts.values import parse_spec_text
from manualtune.facts.variants import (
    apply_default_variant,
    find_variants,
    fix_variant_ocr,
    flag_garbled_codes,
    nearest_variant,
    variant_mentions,
)
from manualtune.facts.wiring import (
    _next_wire_label,
    diagram_label_fact,
    diagram_table_columns,
    diagram_text_fact,
    fuse_rating_fact,
    is_diagram_table,
    label_words_elsewhere,
    wire_table_facts,
)
from manualtune.records import Block, CleanupChange, SpecFact
from manualtune.stage_errors import stage_guard

__all__ = [
    "COMPONENT_REVIEW", "GENERIC_COMPONENTS", "PageContext", "ParsedValue", "_header_roles",
    "apply_default_variant", "component_after", "component_before", "component_problem", "extract_facts",
    "find_variants", "fix_unit_cell", "fix_variant_ocr", "heading_title", "infer_value_unit_columns",
    "name_component", "nearest_variant", "parse_scale_line", "parse_spec_text", "possessive_owner",
    "pronoun_antecedent", "repair_ocr_units", "sentence_spans", "split_label", "subject_of_verb_phrase",
    "superscript_unit", "tidy_component_name", "variant_mentions", "wire_table_facts",
]

_TEXT_KINDS = {"paragraph", "procedure_step", "note", "warning", "caution", "troubleshooting", "wiring",
               "figure_caption"}


def _with_left_label(facts: list[SpecFact], block: Block, page: list[Block], cfg: FactsConfig) -> list[SpecFact]:
    """Facts of a one-line block whose component is unclear ('All M8') take the label printed left of
    them (:func:`~manualtune.facts.tables.left_column_label`); their own words become the condition."""
    if not facts or "\n" in block.text.strip():
        return facts
    if not all((f.review_reason or "").startswith(COMPONENT_REVIEW) for f in facts if f.quantity != "wire"):
        return facts
    found = left_column_label(block, page, cfg.variants)
    if found is None:
        return facts
    comp, note = found
    out = []
    for f in facts:
        if f.quantity == "wire":
            out.append(f)
            continue
        reasons = [r for r in (f.review_reason or "").split("; ") if r and not r.startswith(COMPONENT_REVIEW)]
        own = f.component if f.component.lower() not in GENERIC_COMPONENTS and f.component != block.section else None
        condition = _join(own, f.condition, note)
        value = f.value if f.value_max is None else f"{f.value}-{f.value_max}"
        out.append(f.model_copy(update={
            "component": comp, "condition": condition, "needs_review": bool(reasons) and f.needs_review,
            "review_reason": "; ".join(reasons) or None,
            "fact_id": _fact_id(block.page_id, comp, value, f.unit, condition, f.variant),
        }))
    return out


def _same_row(a, b) -> bool:
    """A fact's box on a table row: the row box itself or a cell box overlapping it vertically."""
    if a is None or b is None:
        return a is b
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0


def _derived(fact: SpecFact) -> SpecFact | None:
    target = {"bar": "kPa", "kPa": "bar"}.get(fact.unit)
    if target is None:
        return None
    value = convert_exact(fact.value, fact.unit, target)
    vmax = convert_exact(fact.value_max, fact.unit, target) if fact.value_max else None
    if value is None or (fact.value_max and vmax is None):
        return None
    return fact.model_copy(update={
        "fact_id": short_id(fact.fact_id, "derived", target),
        "value": value, "value_max": vmax, "unit": target, "tolerance": None, "stages": [],
        "derived": True, "derived_from": fact.fact_id,
    })


def extract_facts(
    blocks: list[Block], cfg: FactsConfig | None = None, audit: list[CleanupChange] | None = None
) -> list[SpecFact]:
    """Spec facts from table rows and text blocks, deduplicated by ``fact_id``, in block order.

    ``audit`` (optional, the cleanup stage's changes) marks facts read over an unverified
    value-changing OCR edit as ``needs_review``.
    """
    cfg = cfg or FactsConfig()
    facts: list[SpecFact] = []
    seen: set[str] = set()
    context = PageContext()
    by_page: dict[str, list[Block]] = {}
    for b in blocks:
        by_page.setdefault(b.page_id, []).append(b)
    for block in sorted(blocks, key=lambda b: (b.page_id, b.order, b.block_id)):
        if block.page_id != context.page_id:
            page = by_page[block.page_id]
            context = PageContext(
                page_id=block.page_id, words=page_words([b.text for b in page]),
                labels=tuple((b.block_id, b.text or "") for b in page if b.kind == "wiring"),
            )
        if block.kind == "heading":
            context = PageContext(page_id=block.page_id, title=heading_title(block.text) or context.title,
                                  words=context.words, labels=context.labels)
        got: list[SpecFact] = []
        with stage_guard("facts", block.block_id):  # one odd block never stops the build, nor vanishes
            if block.kind == "table" and is_diagram_table(block):  # diagram labels side by side
                elsewhere = label_words_elsewhere(context.labels, block.block_id)
                got = [fuse_rating_fact(g, col.text, elsewhere) for col in diagram_table_columns(block) for f in _text_facts(col, cfg)
                       if (g := diagram_label_fact(f, col.text)) is not None]
            elif block.kind == "table" and block.rows:
                wires = wire_table_facts(block, cfg)
                got = wires if wires is not None else _table_facts(block, cfg)
                if wires is None and is_test_value_table(block):  # captioned test-value table: its rule first
                    nominal = nominal_table_facts(block, cfg)
                    read = [r.bbox for i, r in enumerate(block.rows) if any(_same_row(f.source.bbox, r.bbox) for f in nominal)]
                    got = nominal + [f for f in got if not any(_same_row(f.source.bbox, b) for b in read)]
                elif wires is None:  # test-value rows: values with units in the row's last cell
                    read = {i for i, r in enumerate(block.rows) if any(_same_row(f.source.bbox, r.bbox) for f in got)}
                    got = got + nominal_table_facts(block, cfg, skip=read)
            elif block.kind in _TEXT_KINDS and block.kind != "wiring" and (label := version_label(block.text)):
                context.version = label  # 'Cars with Automatic Transmission:': the facts below hold for it
            elif block.kind in _TEXT_KINDS:
                if ends_version(block.text):
                    context.version = ""
                got = _with_left_label(_text_facts(block, cfg, context), block, by_page[block.page_id], cfg)
                if context.version:
                    got = [f.model_copy(update={"condition": "; ".join(filter(None, [context.version, f.condition]))})
                           for f in got]
                if block.kind == "wiring":  # a fuse label's current: its own fuse number names it
                    elsewhere = label_words_elsewhere(context.labels, block.block_id)
                    got = [diagram_text_fact(f, block.text or "", elsewhere) for f in got]
                context.previous = [f for f in got if f.quantity != "wire"] or context.previous
            elif block.kind == "heading":  # wiring diagrams: labels next to the wires read as headings
                got = [f for f in _text_facts(block, cfg) if f.quantity == "wire"]
            else:
                got = []
        for f in got:
            if f.fact_id in seen and f.quantity == "wire":
                f = _next_wire_label(f, seen)  # a diagram prints the same label on several wires
            if f.fact_id in seen:
                continue
            seen.add(f.fact_id)
            facts.append(f)
            if cfg.derive_conversions:
                d = _derived(f)
                if d is not None and d.fact_id not in seen:
                    seen.add(d.fact_id)
                    facts.append(d)
    if audit:
        facts = _flag_from_audit(facts, audit)
    facts = merge_sources(facts, blocks)  # one table printed in several documents is one fact
    facts = flag_garbled_codes(facts)
    if cfg.default_variants:
        facts = [apply_default_variant(f, cfg.default_variants) for f in facts]
    return facts


