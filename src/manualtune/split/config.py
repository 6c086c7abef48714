"""Configuration of the split stage (part of :class:`manualtune.config.BuildConfig`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from manualtune.records import TaskType


class SplitFractions(BaseModel):
    """Share of source units (merged groups) that go to train / val / test. Normalised to sum 1."""

    model_config = ConfigDict(extra="forbid")

    train: float = Field(default=0.8, ge=0.0)
    val: float = Field(default=0.1, ge=0.0)
    test: float = Field(default=0.1, ge=0.0)

    @model_validator(mode="after")
    def _positive_total(self) -> SplitFractions:
        if self.train + self.val + self.test <= 0:
            raise ValueError("split fractions must not all be zero")
        return self

    def thresholds(self) -> tuple[float, float]:
        """Upper bounds of the train and val hash intervals in [0, 1)."""
        total = self.train + self.val + self.test
        return self.train / total, (self.train + self.val) / total


class SplitConfig(BaseModel):
    """How examples are split (by source unit, never by row) and how the synthetic val set is made."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["facts", "phrasings"] = Field(
        default="facts",
        description=(
            "facts: whole source units (every phrasing of a fact) are held out, val/test ask about facts never "
            "trained (measures generalisation / abstention); phrasings: every fact is trained except an "
            "`unseen_share` of units, and `held_out_phrasings` question phrasings of each trained unit go to val "
            "(measures whether the model learnt the manual's facts)"
        ),
    )
    held_out_phrasings: int = Field(
        default=1, ge=1, description="phrasings mode: phrasings per trained group moved to val (a group keeps >= 1 in train)"
    )
    unseen_share: float = Field(
        default=0.1, ge=0.0, lt=1.0, description="phrasings mode: share of source units held out entirely (test)"
    )
    seed: int = Field(default=13, description="salt of the hash that places each source unit")
    fractions: SplitFractions = Field(default_factory=SplitFractions)
    task_fractions: dict[TaskType, SplitFractions] = Field(
        default_factory=dict, description="per-task overrides, keyed by task name (SPEC, PROCEDURE, ...)"
    )
    min_groups_for_holdout: int = Field(
        default=3, ge=2, description="a task with at least this many units gets >= 1 unit in val and in test"
    )
    merge_on_fact_ids: bool = Field(default=True, description="groups that share a fact id split together")
    merge_on_questions: bool = Field(
        default=True, description="groups that share a normalised question split together"
    )
    synthetic_from: list[Literal["val", "test"]] = Field(
        default_factory=lambda: ["val", "test"], description="held-out splits the synthetic set paraphrases"
    )
    synthetic_per_group: int = Field(default=2, ge=0, description="paraphrases made per held-out group")
    synthetic_include_refusals: bool = False
