"""Synthetic validation set: rule-based paraphrases of held-out (val/test) questions only.

The earlier pipeline paraphrased *every* fact, so its "synthetic validation" set asked about
facts the model had trained on (100 % leakage). Here a paraphrase is only made from an example
whose group is held out and none of whose fact ids occurs in train, and a paraphrase is dropped
when its normalised form equals any question already in the dataset.

Rewrites are deterministic (no sampling): synonyms, reordering ("For the X, what is Y?"),
"Quick question:" prefixes, dropping articles, terse keyword forms, imperative forms and a
"according to the manual" suffix. The rule order per group is seeded. An optional
``paraphraser(example) -> list[str]`` hook (e.g. a model) is tried before the rules.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from manualtune.cache import short_id
from manualtune.records import Example, SplitAssignment
from manualtune.split.assign import example_group, normalise_question, unit_hash
from manualtune.split.config import SplitConfig
from manualtune.stage_errors import stage_guard

Paraphraser = Callable[[Example], Sequence[str] | str | None]

_SYNONYMS: dict[str, str] = {
    "what is": "what's",
    "what's": "what is",
    "tightening torque": "torque",
    "torque": "tightening torque",
    "specification": "spec",
    "specifications": "specs",
    "spec": "specification",
    "remove": "take out",
    "removal": "removing",
    "install": "fit",
    "installation": "fitting",
    "check": "inspect",
    "inspect": "check",
    "how do i": "how should I",
    "how do you": "how do I",
    "procedure": "steps",
    "clearance": "gap",
    "engine": "motor",
    "explain": "describe",
    "cause": "reason",
    "causes": "reasons",
    "wire": "lead",
    "color": "colour",
    "colour": "color",
    "adjust": "set",
}
_SYNONYM_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_SYNONYMS, key=lambda k: (-len(k), k))) + r")\b",
    re.IGNORECASE,
)
_ARTICLES = re.compile(r"\b(?:the|a|an)\b\s*", re.IGNORECASE)
_WH_HEAD = re.compile(r"^\s*(?:what is|what's|what are|which is|which are)\s+", re.IGNORECASE)
_REORDER = re.compile(
    r"^(?P<head>\S+(?:\s+\S+)+?)\s+(?P<prep>for|on|of|in|at)\s+(?P<tail>[^,?]{3,}?)\s*\?\s*$", re.IGNORECASE
)
_HOW = re.compile(r"^\s*how (?:do|should|can) (?:i|you|we)\s+(?P<rest>.+?)\s*\?\s*$", re.IGNORECASE)


def _decap(text: str) -> str:
    """Lower-case the first letter unless the first word looks like an acronym/code (BMW, M3)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first[1:].lower() != first[1:] or any(c.isdigit() for c in first)):
        return text
    return text[:1].lower() + text[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _question(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .?")
    return _cap(text) + "?"


def rule_quick_prefix(q: str) -> str | None:
    """'Quick question: what is …?'"""
    return "Quick question: " + _decap(q.strip())


def rule_synonyms(q: str) -> str | None:
    """Swap phrases for synonyms ('torque' <-> 'tightening torque', 'remove' -> 'take out', …)."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        repl = _SYNONYMS[word.lower()]
        return _cap(repl) if word[:1].isupper() else repl

    out = _SYNONYM_RE.sub(swap, q)
    return out if out != q else None


def rule_drop_articles(q: str) -> str | None:
    """Drop 'the', 'a', 'an'."""
    out = _cap(" ".join(_ARTICLES.sub("", q).split()))
    return out if out != q else None


def rule_reorder(q: str) -> str | None:
    """'What is the torque for the X?' -> 'For the X, what is the torque?'"""
    m = _REORDER.match(q.strip())
    if not m:
        return None
    return f"{m['prep'].capitalize()} {m['tail']}, {_decap(m['head'])}?"


def rule_terse(q: str) -> str | None:
    """Keyword form: 'What is the torque for the X?' -> 'Torque for X?'"""
    if not _WH_HEAD.match(q):
        return None
    rest = _ARTICLES.sub("", _WH_HEAD.sub("", q))
    return _question(rest) if rest.strip(" ?") else None


def rule_imperative(q: str) -> str | None:
    """'What is X?' -> 'Tell me X.'; 'How do I X?' -> 'Explain how to X.'"""
    m = _HOW.match(q)
    if m:
        return f"Explain how to {m['rest']}."
    if _WH_HEAD.match(q):
        rest = _WH_HEAD.sub("", q).strip().rstrip("?").strip()
        return f"Tell me {_decap(rest)}." if rest else None
    return None


def rule_manual_suffix(q: str) -> str | None:
    """'…, according to the service manual?'"""
    return q.strip().rstrip(" ?.") + ", according to the service manual?"


RULES: dict[str, Callable[[str], str | None]] = {
    "quick_prefix": rule_quick_prefix,
    "synonyms": rule_synonyms,
    "drop_articles": rule_drop_articles,
    "reorder": rule_reorder,
    "terse": rule_terse,
    "imperative": rule_imperative,
    "manual_suffix": rule_manual_suffix,
}


def paraphrase_candidates(question: str, order: Sequence[str]) -> list[tuple[str, str]]:
    """(rule name, rewrite) pairs: single rules in ``order``, then pairs of rules. Deterministic."""
    out: list[tuple[str, str]] = []
    singles: list[tuple[str, str]] = []
    for name in order:
        text = None
        with stage_guard(f"split.synthetic.{name}", question):  # a rule that trips on odd text is recorded
            text = RULES[name](question)
        if text:
            singles.append((name, text))
    out.extend(singles)
    for name, text in singles:
        for second in order:
            if second == name or second == "quick_prefix":
                continue
            both = None
            with stage_guard(f"split.synthetic.{second}", text):
                both = RULES[second](text)
            if both:
                out.append((f"{name}+{second}", both))
    return out


def _hook_candidates(paraphraser: Paraphraser | None, example: Example) -> list[tuple[str, str]]:
    if paraphraser is None:
        return []
    got = None
    with stage_guard("split.synthetic.paraphraser", example.example_id):  # recorded; the rules still apply
        got = paraphraser(example)
    if got is None:
        return []
    items = [got] if isinstance(got, str) else list(got)
    return [("hook", t.strip()) for t in items if isinstance(t, str) and t.strip()]


def synthetic_validation(
    examples: Sequence[Example],
    assignments: Sequence[SplitAssignment],
    cfg: SplitConfig | None = None,
    paraphraser: Paraphraser | None = None,
) -> list[Example]:
    """Paraphrased questions about held-out facts only; sorted by (group id, example id).

    An example is a source only when its split is in ``cfg.synthetic_from``, its group has no
    train example and none of its fact ids occurs in a train example. A paraphrase whose
    normalised form equals any existing question (any split) or an earlier paraphrase is dropped.
    """
    cfg = cfg or SplitConfig()
    split_of = {a.example_id: a.split for a in assignments}
    train_groups: set[str] = set()
    train_facts: set[str] = set()
    for ex in examples:
        if split_of.get(ex.example_id) == "train":
            train_groups.add(example_group(ex))
            train_facts.update(ex.fact_ids)
    seen = {normalise_question(ex.question) for ex in examples}
    by_group: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        if split_of.get(ex.example_id) not in cfg.synthetic_from:
            continue
        if example_group(ex) in train_groups or train_facts.intersection(ex.fact_ids):
            continue
        if ex.refusal and not cfg.synthetic_include_refusals:
            continue
        by_group[example_group(ex)].append(ex)

    out: list[Example] = []
    for group in sorted(by_group):
        bases = sorted(by_group[group], key=lambda e: (e.phrasing, e.example_id))
        order = sorted(RULES, key=lambda name: (unit_hash(cfg.seed, f"{group}\x00{name}"), name))
        made = 0
        per_base = [
            _hook_candidates(paraphraser, ex) + paraphrase_candidates(ex.question, order) for ex in bases
        ]
        # Round-robin over the base phrasings so paraphrases come from different originals.
        for rank in range(max((len(c) for c in per_base), default=0)):
            if made >= cfg.synthetic_per_group:
                break
            for base, cands in zip(bases, per_base, strict=True):
                if made >= cfg.synthetic_per_group or rank >= len(cands):
                    continue
                _rule, text = cands[rank]
                norm = normalise_question(text)
                if not norm or norm in seen:
                    continue
                seen.add(norm)
                made += 1
                out.append(
                    base.model_copy(
                        update={"example_id": f"syn-{short_id(base.example_id, text)}", "question": text}
                    )
                )
    out.sort(key=lambda e: (e.group_id, e.example_id))
    return out
