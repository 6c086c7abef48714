"""manualtune.generate: typed records -> grounded instruction examples (+ refusals)."""

from manualtune.generate.common import GenerationStats, Paraphraser
from manualtune.generate.config import GenerateConfig
from manualtune.generate.examples import generate_examples
from manualtune.generate.refusal import refusal_count
from manualtune.generate.spec import render_fact_value, spec_questions
from manualtune.generate.text import extract_numbers, format_citation, strip_citations

VERSION = "18"  # 18: "6 Cylinder M 20:" is a version label; 17: a job printed for one version names it in the question; 16: a condition that only restates the value qualifier is not repeated; 15: a value printed in a job step is asked with its job when its name does not say its part (job_qualifier); 14: a job whose numbered parts list skips a number is not answered (legend_gap); 13: a status line with its opening dash lost is a note and names its part in the question, a bare thread size in a condition named as a thread; 2: section limit qualifier (max.), procedures with an unconfirmed value skipped; 3: table group part;
# 4: group unless the name has its leading word; 5: misread footnote marks in procedure steps; 6: pound_unit prose rule;; 12: a step's warning its step prints (footnote marks resolved alike) not repeated; a lone stage asked by its stage; signal words capitalised; 'BMW 318 |' -> 'BMW 318 i', inch marks read as degrees after a length
# 7: debris confusions l/j, a/n; 8: refusal variants are engine codes only; 9: a parent row's own fastener dropped for
# its fastener sub-rows; 10: no variant refusal for a part with an All / All others row; 11: keyed legends dropped,
# marks after a quote / stars read as ’, a step's warning after its step, a slash at a title's line end

__all__ = [
    "VERSION",
    "GenerateConfig",
    "GenerationStats",
    "Paraphraser",
    "extract_numbers",
    "format_citation",
    "generate_examples",
    "refusal_count",
    "render_fact_value",
    "spec_questions",
    "strip_citations",
]
