"""Near-duplicate detection of dataset validation (rapidfuzz; MinHash LSH above :data:`LSH_ABOVE`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from manualtune.generate.text import identifier_tokens, normalize_question, number_keys
from manualtune.records import Example

#: near-duplicate thresholds (rapidfuzz 0-100): answer alone, or answer + question together
NEAR_DUP_ANSWER = 95.0
NEAR_DUP_ANSWER_WITH_QUESTION = 90.0
NEAR_DUP_QUESTION = 90.0
#: above this many distinct answers, candidate pairs come from MinHash LSH instead of all pairs
LSH_ABOVE = 2000


class NearDuplicatePair(BaseModel):
    """Two examples of different groups whose answers (and questions) are nearly the same."""

    model_config = ConfigDict(extra="forbid")
    a: str
    b: str
    answer_score: float
    question_score: float


def _candidate_pairs(texts: list[str], cutoff: float) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of ``texts`` whose rapidfuzz ratio may reach ``cutoff``."""
    n = len(texts)
    if n < 2:
        return []
    if n <= LSH_ABOVE:
        from rapidfuzz import process

        mat = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, dtype="uint8", workers=1)
        ii, jj = (mat >= cutoff).nonzero()
        return sorted((int(i), int(j)) for i, j in zip(ii, jj, strict=True) if i < j)
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.6, num_perm=64)
    hashes = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=64, seed=1)
        words = t.split()
        shingles = {" ".join(words[k: k + 3]) for k in range(max(1, len(words) - 2))}
        for s in sorted(shingles):
            m.update(s.encode("utf-8"))
        lsh.insert(str(i), m)
        hashes.append(m)
    pairs = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            j = int(j)
            if i < j:
                pairs.add((i, j))
    return sorted(pairs)


def _near_duplicates(items: list[Example], bodies: list[str]) -> list[NearDuplicatePair]:
    """Pairs of examples from different groups with near-identical answers (same numbers/identifiers)."""
    norm_a = [normalize_question(b) for b in bodies]
    norm_q = [normalize_question(e.question) for e in items]
    sig = [
        (tuple(sorted(number_keys(b))), frozenset(identifier_tokens(e.question + " " + e.answer)))
        for e, b in zip(items, bodies, strict=True)
    ]
    by_answer: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(norm_a):
        by_answer[a].append(i)
    uniq = sorted(by_answer)
    pairs: dict[tuple[int, int], tuple[float, float]] = {}

    def consider(i: int, j: int, a_score: float) -> None:
        if i == j or items[i].group_id == items[j].group_id or sig[i] != sig[j]:
            return
        vi, vj = items[i].variant, items[j].variant
        if vi and vj and vi != vj:
            return
        if items[i].refusal or items[j].refusal:
            return  # refusals share one template by design; exact copies are caught as duplicates
        q_score = fuzz.token_set_ratio(norm_q[i], norm_q[j])
        if a_score >= NEAR_DUP_ANSWER or (a_score >= NEAR_DUP_ANSWER_WITH_QUESTION and q_score >= NEAR_DUP_QUESTION):
            key = (min(i, j), max(i, j))
            if key not in pairs:
                pairs[key] = (a_score, q_score)

    for a in uniq:
        idx = by_answer[a]
        if len({items[i].group_id for i in idx}) > 1:
            for x in range(len(idx)):
                for y in range(x + 1, len(idx)):
                    consider(idx[x], idx[y], 100.0)
    for ui, uj in _candidate_pairs(uniq, NEAR_DUP_ANSWER_WITH_QUESTION):
        score = fuzz.ratio(uniq[ui], uniq[uj])
        if score < NEAR_DUP_ANSWER_WITH_QUESTION:
            continue
        for i in by_answer[uniq[ui]]:
            for j in by_answer[uniq[uj]]:
                consider(i, j, score)
    out = []
    for (i, j), (a_s, q_s) in sorted(pairs.items()):
        out.append(NearDuplicatePair(a=items[i].example_id, b=items[j].example_id,
                                     answer_score=round(a_s, 2), question_score=round(q_s, 2)))
    return out
