"""Configuration of probes and evaluation (sections ``probes`` / ``eval`` of an eval config)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: components no workshop manual of a passenger car is likely to cover *and* this one does not
#: mention: a generic list (not tied to any make), filtered against the manual's own vocabulary
DEFAULT_FOREIGN_COMPONENTS: tuple[str, ...] = (
    "sunroof motor", "rear wiper motor", "headlamp levelling motor", "tyre pressure sensor",
    "parking sensor", "seat heating element", "navigation unit", "air suspension compressor",
    "hybrid battery", "adblue injector", "particulate filter", "electric window regulator",
    "xenon ballast", "trailer hitch", "roof rack",
)


class ProbeConfig(BaseModel):
    """How :func:`manualtune.evaluate.probes.make_probes` writes probes from a build."""

    model_config = ConfigDict(extra="forbid")

    include_held_out_phrasings: bool = Field(
        default=True, description="held-out phrasings of trained units become paraphrase probes (phrasings mode)"
    )
    rule_paraphrases_per_group: int = Field(
        default=1, ge=0, description="rule rewrites of one train question per group, as paraphrase probes"
    )
    unanswerable: int = Field(default=40, ge=0, description="number of unanswerable probes")
    foreign_components: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FOREIGN_COMPONENTS),
        description="components asked about that the manual does not cover (dropped when the manual names them)",
    )
    max_per_kind: int = Field(default=0, ge=0, description="cap per probe kind (0: no cap)")
    seed: int = Field(default=0, description="seed of the (hash-based) choice of unanswerable probes")
