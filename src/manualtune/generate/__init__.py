"""manualtune.generate: typed records -> grounded instruction examples (+ refusals)."""

from manualtune.generate.config import GenerateConfig
from manualtune.generate.examples import (
    Paraphraser,
    generate_examples,
    refusal_count,
    render_fact_value,
    spec_questions,
)
from manualtune.generate.text import extract_numbers, format_citation, strip_citations

VERSION = "1"

__all__ = [
    "VERSION",
    "GenerateConfig",
    "Paraphraser",
    "extract_numbers",
    "format_citation",
    "generate_examples",
    "refusal_count",
    "render_fact_value",
    "spec_questions",
    "strip_citations",
]
