"""Configuration of the generate stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GenerateConfig(BaseModel):
    """How records become instruction examples (questions, answers, citations, refusals)."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(default=0, description="seed of every random choice (refusal topics)")
    phrasings_per_fact: int = Field(default=4, ge=1, le=5, description="question templates per SPEC answer")
    phrasings_per_procedure: int = Field(default=3, ge=1, le=3)
    phrasings_per_block: int = Field(default=2, ge=1, le=2, description="EXPLANATION / WIRING / TROUBLESHOOTING")
    answer_units: Literal["printed", "canonical"] = Field(
        default="printed",
        description="'printed': value_printed + unit_printed (canonical unit when the print is not a "
        "clean unit spelling); 'canonical': value/value_max + canonical unit",
    )
    derived_in_answer: bool = Field(
        default=False,
        description="also state a computed conversion of the printed value ('50 bar (5000 kPa)'); off: an "
        "answer holds only numbers printed on its source page (a derived fact stays a record of its own)",
    )
    citation_template: str = Field(
        default="manual p. {label}", description="one source with a printed page label ({label}, {file}, {page})"
    )
    citation_file_template: str = Field(
        default="{file} p. {page}", description="one source without a page label ({file}, {page})"
    )
    citation_wrapper: str = Field(default="({citations})", description="all citations of an answer, '; '-joined")
    conflict_mode: Literal["state_both", "skip"] = Field(
        default="state_both", description="cross-page disagreements: state every value with its citation, or skip"
    )
    conflict_intro: str = Field(default="The manual gives different values for")
    refusal_share: float = Field(default=0.05, ge=0.0, lt=1.0, description="share of refusals in all examples")
    refusal_template: str = Field(default="The manual does not give a value for {topic}; I won't guess.")
    min_block_chars: int = Field(default=60, ge=1, description="shorter paragraph/wiring/troubleshooting blocks are skipped")
    max_answer_chars: int = Field(default=1500, ge=100, description="paragraphs of one topic are joined up to this")
    max_paraphrases: int = Field(default=2, ge=0, description="extra questions accepted from the paraphraser hook")
    withhold_tasks: list[Literal["SPEC", "PROCEDURE", "EXPLANATION", "WIRING", "TROUBLESHOOTING"]] = Field(
        default=["EXPLANATION", "WIRING", "TROUBLESHOOTING"],
        description="task types generated and validated but kept out of examples.jsonl, the splits and every "
        "export (written to dataset/withheld.jsonl), because a by-eye audit of real-manual examples found them "
        "not yet trustworthy (2026-12-01: WIRING 1 of 8, TROUBLESHOOTING 1 of 5, EXPLANATION 2 of 5 over two "
        "samples). Set to [] to ship every task.",
    )
