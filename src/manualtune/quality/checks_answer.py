"""Answer-text checks of dataset validation: the answer body, truncation, procedure numbering."""

from __future__ import annotations

import re

from manualtune.generate.config import GenerateConfig
from manualtune.generate.text import strip_citations
from manualtune.records import Example

_TRAILING_STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "with", "for", "from", "into", "than", "then", "is", "are",
    "be", "if", "as", "see",
}


def answer_body(example: Example, cfg: GenerateConfig | None = None) -> str:
    """The answer without citations, procedure step numbers ('1. ') and stage labels ('Stage 2:')."""
    body = strip_citations(example.answer, cfg)
    body = re.sub(r"(?m)^\s*\d+\.\s+", "", body)
    body = re.sub(r"\bStage\s+\d+:\s*", "", body)
    return body


def truncation_problem(body: str) -> str | None:
    """Why an answer body looks cut off, or None: dangling ':' / ',' / '-', a final stopword,
    a hyphenated word break, or unbalanced brackets."""
    t = body.rstrip()
    if not t:
        return "empty"
    if t.count("(") != t.count(")") or t.count("[") != t.count("]"):
        return "unbalanced parentheses"
    if t[-1] in ":,;-–—/(&+":
        return f"ends with {t[-1]!r}"
    last = re.findall(r"[A-Za-z]+", t.split()[-1])
    if last and last[-1] in _TRAILING_STOPWORDS:  # case-sensitive: "90 A" is a unit
        return f"ends with {last[-1]!r}"
    if re.search(r"[A-Za-z]-$", t):
        return "ends mid-word"
    return None


def _numbering_problem(answer_text: str) -> str | None:
    nums = [int(m.group(1)) for m in re.finditer(r"(?m)^\s*(\d+)\.\s", answer_text)]
    if not nums:
        return "no numbered steps"
    if nums != list(range(1, len(nums) + 1)):
        return "steps numbered " + ",".join(map(str, nums[:12]))
    return None
