"""manualtune.split: leakage-safe train/val/test split, leakage report, synthetic validation set."""

from manualtune.split.assign import (
    VERSION,
    leakage_report,
    normalise_question,
    source_units,
    split_examples,
)
from manualtune.split.config import SplitConfig, SplitFractions
from manualtune.split.synthetic import RULES, paraphrase_candidates, synthetic_validation

__all__ = [
    "RULES",
    "VERSION",
    "SplitConfig",
    "SplitFractions",
    "leakage_report",
    "normalise_question",
    "paraphrase_candidates",
    "source_units",
    "split_examples",
    "synthetic_validation",
]
