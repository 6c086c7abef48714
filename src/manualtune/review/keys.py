"""Stable keys of reviewable records: source path + page + bbox + original text (never a row number).

A key is readable in a decisions file and survives rebuilds as long as the record is extracted
from the same place with the same text::

    fact:00 - Torque Specs/11-19.jpg#p1@105,587,1708,676:3f9a1c2b4d5e
    example:11 - Engine/11-44.jpg#p1@1428,960,2560,1112:0c1d2e3f4a5b
    conflict:connecting rod bolt|torque|cr25t|

The trailing hash covers the record's original text (fact: printed line, value and unit as printed,
variant; example: question + answer), so two facts read from one line get two keys.
"""

from __future__ import annotations

from typing import Literal

from manualtune.cache import short_id
from manualtune.records import Conflict, Example, Provenance, SpecFact

KeyKind = Literal["fact", "example", "conflict"]
KINDS: tuple[KeyKind, ...] = ("fact", "example", "conflict")


def _place(src: Provenance | None) -> str:
    if src is None:
        return "-"
    box = "-" if src.bbox is None else f"{src.bbox.x0},{src.bbox.y0},{src.bbox.x1},{src.bbox.y1}"
    return f"{src.file}#p{src.page}@{box}"


def fact_key(fact: SpecFact) -> str:
    digest = short_id(fact.text, fact.value_printed, fact.unit_printed, fact.variant or "", n=12)
    return f"fact:{_place(fact.source)}:{digest}"


def example_key(example: Example) -> str:
    src = example.sources[0] if example.sources else None
    return f"example:{_place(src)}:{short_id(example.question, example.answer, n=12)}"


def conflict_key_of(conflict: Conflict) -> str:
    return f"conflict:{conflict.key}"


def key_kind(key: str) -> KeyKind | None:
    """The kind a key names ('fact:…' -> 'fact'), or None for a malformed key."""
    head, sep, rest = key.partition(":")
    return head if sep and rest and head in KINDS else None  # type: ignore[return-value]
