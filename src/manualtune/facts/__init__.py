"""manualtune.facts stage family: OCR cleanup, spec facts, HTML tech specs, conflicts."""

from manualtune.facts.cleanup import cleanup_page
from manualtune.facts.conflicts import find_conflicts
from manualtune.facts.html_specs import parse_techspec_html
from manualtune.facts.specs import ParsedValue, extract_facts, parse_spec_text

__all__ = [
    "ParsedValue",
    "cleanup_page",
    "extract_facts",
    "find_conflicts",
    "parse_spec_text",
    "parse_techspec_html",
]
