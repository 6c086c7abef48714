"""manualtune.preprocess stage family: deskew, denoise, ruling removal and binarisation."""

from manualtune.preprocess.config import PreprocessConfig
from manualtune.preprocess.core import (
    VERSION,
    Preprocessed,
    TableGrid,
    estimate_skew,
    find_rulings,
    preprocess,
    rotate_page,
    table_grid,
)

__all__ = [
    "VERSION",
    "PreprocessConfig",
    "Preprocessed",
    "TableGrid",
    "estimate_skew",
    "find_rulings",
    "preprocess",
    "rotate_page",
    "table_grid",
]
