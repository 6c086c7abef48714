"""`ask`: answer a question from the build's own records, with citations, or abstain.

1. Search (:class:`~manualtune.retrieve.index.RetrievalIndex`): BM25 + MiniLM, fused by rank.
2. Pick the record: the question's intent (:data:`INTENTS`: a spec value, a procedure) prefers a
   fact or a procedure among the top hits; a variant the question names (``CR25T``, or a model
   name printed with it, ``240 Turbo``) drops facts of other variants.
3. Abstain ("The manual does not cover this.") when the question names an identifier the
   manual never prints, or when the confidence — mean of the question's word coverage by the
   record and the dense cosine — is below the threshold calibrated on the build's own train
   questions (answerable) and train refusals (not answerable) (:func:`calibrate`).
4. Compose the answer from the record: a fact with every fact of the same component, variant
   and quantity (stages, conflicting sources, exact conversions in brackets), value and unit
   as printed; a procedure with warnings first and steps numbered 1..n; a passage as printed.
   Every answer cites file, page and box of each record used.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from pathlib import Path

from bm25s.stopwords import STOPWORDS_EN_PLUS as _STOPWORDS_EN_PLUS
from pydantic import BaseModel, ConfigDict, Field

from manualtune.evaluate.matching import ABSTAIN_TEXT
from manualtune.facts.units import lookup_unit
from manualtune.generate.config import GenerateConfig
from manualtune.generate.text import format_citation, format_one_citation, identifier_tokens, join_value_unit
from manualtune.records import BBox, Provenance, SpecFact
from manualtune.retrieve.config import RetrieveConfig
from manualtune.retrieve.index import Hit, RetrievalIndex, tokens

ANSWER_VERSION = "11"  # bump when answer choice or confidence changes (re-calibrates)

#: (intent, pattern on the lower-cased question)
INTENTS: tuple[tuple[str, str], ...] = (
    ("troubleshooting", r"\bwhat (?:should|must|do i|to) (?:be )?check|\bsymptom|\btroubleshoot|\bdiagnos"
                        r"|\bwhat (?:does the manual say to|to) do when\b"),
    ("wire", r"\bwhich wire\b|\bcolou?r is the wire\b|\bwire cross.section\b"),
    ("wiring", r"\bwiring diagram\b|\bcircuit consist|\bmake up the \w+ circuit"),
    ("procedure", r"^(?:how (?:do|should|can|to)|what is the procedure|what are the steps|procedure|steps|describe how)\b"
                  r"|\bprocedure\b|\bsteps\b"),
    ("explanation", r"^(?:what does (?:the )?manual say about|explain|describe)\b|\bhow it works\b"),
    ("spec", r"\b(?:torque|pressure|clearance|gap|capacity|voltage|resistance|current|rating|thickness|diameter"
             r"|length|speed|temperature|angle|displacement|bore|stroke|power|ratio|how much|how tight)\b"),
)
_INTENT_RE = [(name, re.compile(p)) for name, p in INTENTS]
#: words that ask but do not name anything (not counted for coverage)
QUESTION_WORDS = frozenset(
    "what whats is are the of for on a an how do does i you we should can to in and with according manual say "
    "about tell me quick question give please which value specified specification spec specs must be it its "
    "this that by at as from there any per when much many "
    # verbs and adverbs a question uses without naming a part
    "need needs needed take takes hold holds get gets use used require requires required would could go goes "
    "put set want know find look correct right proper normally usually exactly approximately roughly "
    "recommended recommend allowed supposed tight tighten tightened".split()
) | frozenset(_STOPWORDS_EN_PLUS)


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    page: int
    bbox: BBox | None = None
    page_label: str | None = None


class AskAnswer(BaseModel):
    """What `manualtune ask --json` prints."""

    model_config = ConfigDict(extra="forbid")

    question: str
    answer: str
    value: str | None = None
    unit: str | None = None
    abstained: bool
    citations: list[Citation] = []
    score: float = Field(description="answer confidence 0-1 (coverage and cosine of the chosen record)")
    kind: str | None = Field(default=None, description="fact | procedure | block (None when abstained)")
    record_ids: list[str] = []
    reason: str | None = Field(default=None, description="why it abstained")
    seconds: float = 0.0


def _key(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def _family(quantity: str) -> str:
    return "tightening" if quantity in ("torque", "angle") else quantity


def intent(question: str) -> str | None:
    q = question.lower()
    for name, rx in _INTENT_RE:
        if rx.search(q):
            return name
    return None


class Asker:
    """Answers questions over one build (index and calibration loaded once)."""

    def __init__(self, build_dir: Path, cfg: RetrieveConfig | None = None, gen_cfg: GenerateConfig | None = None):
        self.cfg = cfg or RetrieveConfig()
        self.gen_cfg = gen_cfg or GenerateConfig()
        self.index = RetrievalIndex(build_dir, self.cfg)
        self.recs = self.index.records
        self.identifiers = self._identifiers()
        self.variant_names = self._variant_names()
        self.train_questions, self.train_refusals = self._train_questions()
        self.known_words = self._known_words()
        self.asking_words = self._asking_words()
        self.threshold = self.cfg.abstain_below if self.cfg.abstain_below is not None else self._calibrated()

    # ------------------------------------------------------------------ vocabulary

    def _identifiers(self) -> set[str]:
        texts = [b.text for b in self.recs.blocks.values()]
        texts += [c.text for b in self.recs.blocks.values() for r in b.rows for c in r.cells]
        texts += [f"{f.component} {f.text} {f.condition or ''} {f.variant or ''}" for f in self.recs.facts.values()]
        texts += [f"{p.title} {p.variant or ''}" for p in self.recs.procedures.values()]
        out: set[str] = set()
        for t in texts:
            out |= identifier_tokens(t)
        return out

    def _known_words(self) -> set[str]:
        """Every word of the records, plus the asking words of the build's own train questions."""
        words: set[str] = set(self.index.vocabulary())
        for b in self.recs.blocks.values():
            words |= set(tokens(b.text))
            for r in b.rows:
                for c in r.cells:
                    words |= set(tokens(c.text))
        for f in self.recs.facts.values():
            words |= set(tokens(f"{f.component} {f.text} {f.condition or ''} {f.section or ''}"))
        for q in self.train_questions:
            words |= set(tokens(q))
        return words | set(QUESTION_WORDS)

    def _asking_words(self, share: float = 0.03) -> frozenset[str]:
        """Words that ask rather than name: in >= ``share`` of the train questions, plus QUESTION_WORDS."""
        n = len(self.train_questions)
        df: dict[str, int] = {}
        for q in self.train_questions:
            for t in set(tokens(q)):
                df[t] = df.get(t, 0) + 1
        frequent = {t for t, c in df.items() if n and c / n >= share and not any(ch.isdigit() for ch in t)}
        return frozenset(QUESTION_WORDS | frequent)

    def unknown_words(self, question: str) -> list[str]:
        """Words of the question (4+ letters) that neither the manual nor its train questions use."""
        return sorted({t for t in tokens(question) if len(t) >= 4 and t.isalpha() and t not in self.known_words})

    def _variant_names(self) -> dict[str, str]:
        """Lower-case name a question may use -> variant ('cr25t' -> CR25T, '240 turbo' -> CR25T)."""
        out: dict[str, str] = {}
        for v in sorted({f.variant for f in self.recs.facts.values() if f.variant}):
            out[v.lower()] = v
            for alias in self.recs.aliases.get(v, []):
                out[alias.lower()] = v
        return out

    def named_variants(self, question: str) -> set[str]:
        q = f" {_key(question)} "
        return {v for name, v in self.variant_names.items() if f" {_key(name)} " in q}

    def unknown_identifiers(self, question: str) -> list[str]:
        return sorted(identifier_tokens(question) - self.identifiers)

    # ------------------------------------------------------------------ confidence

    def _record_tokens(self, hit: Hit, group: Sequence[SpecFact] = ()) -> set[str]:
        toks = set(tokens(hit.doc.text))
        for f in group:
            toks |= set(tokens(f"{f.component} {f.condition or ''} {f.section or ''} {f.text}"))
        return toks

    def confidence(self, question: str, hit: Hit, group: Sequence[SpecFact] = ()) -> float:
        content = [t for t in tokens(question) if t not in self.asking_words]
        if not content:  # the question is all common words ("What is the battery voltage?")
            content = [t for t in tokens(question) if t not in QUESTION_WORDS]
        if not content:
            return 0.0
        have = self._record_tokens(hit, group)
        coverage = sum(1 for t in content if t in have) / len(content)
        return round(0.5 * coverage + 0.5 * max(hit.cosine, 0.0), 4)

    def _calibrated(self) -> float:
        """Threshold from the build's train questions (answer) and train refusals (abstain), cached.

        Refusals that the vocabulary rules already catch (unknown identifier or word) are left
        out: the threshold decides only what the rules let through.
        """
        path = self.index.cache_dir / f"calibration-v{ANSWER_VERSION}.json"
        if path.is_file():
            return float(json.loads(path.read_text())["threshold"])
        step = max(1, len(self.train_questions) // self.cfg.calibration_questions)
        pos = self.train_questions[::step]
        neg = [q for q in self.train_refusals if self._rule_abstains(q) is None]
        pos_s = [self._best(q, h)[1] for q, h in zip(pos, self.index.search_many(pos), strict=True)]
        neg_s = [self._best(q, h)[1] for q, h in zip(neg, self.index.search_many(neg), strict=True)]
        threshold = calibrate(pos_s, neg_s)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"threshold": threshold, "positives": len(pos_s), "negatives": len(neg_s),
                                    "method": "max balanced accuracy; < 5 negatives: 0.85 x 2nd percentile of positives, at most 0.5"},
                                   sort_keys=True))
        return threshold

    def _train_questions(self) -> tuple[list[str], list[str]]:
        """(answerable, refusal) questions of the build's train split, sorted, distinct."""
        ds = self.index.build_dir / "dataset"
        if not (ds / "examples.jsonl").is_file() or not (ds / "splits.jsonl").is_file():
            return [], []
        train = set()
        for line in (ds / "splits.jsonl").read_text(encoding="utf-8").splitlines():
            a = json.loads(line)
            if a["split"] == "train":
                train.add(a["example_id"])
        pos: list[str] = []
        neg: list[str] = []
        for line in (ds / "examples.jsonl").read_text(encoding="utf-8").splitlines():
            ex = json.loads(line)
            if ex["example_id"] in train:
                (neg if ex.get("refusal") else pos).append(ex["question"])
        return sorted(set(pos)), sorted(set(neg))

    def _rule_abstains(self, question: str) -> str | None:
        if self.cfg.abstain_on_unknown_identifier:
            unknown = self.unknown_identifiers(question)
            if unknown:
                return f"the manual never prints {', '.join(unknown)}"
        if self.cfg.abstain_on_unknown_word:
            words = self.unknown_words(question)
            if words:
                return f"the manual never mentions {', '.join(words)}"
        return None

    # ------------------------------------------------------------------ choosing the record

    def _fits(self, hit: Hit, want: str | None) -> bool:
        """A troubleshooting / wiring question wants that kind of block; a wire question a wire fact."""
        if want == "wire" and hit.doc.kind == "fact":
            return self.recs.facts[hit.doc.record_id].quantity == "wire"
        if hit.doc.kind != "block" or want not in ("troubleshooting", "wiring", "explanation"):
            return True
        return self.recs.blocks[hit.doc.record_id].kind == ("paragraph" if want == "explanation" else want)

    def _record_name(self, hit: Hit) -> list[str]:
        if hit.doc.kind == "fact":
            return tokens(self.recs.facts[hit.doc.record_id].component)
        if hit.doc.kind == "procedure":
            return tokens(self.recs.procedures[hit.doc.record_id].title)
        m = _SYMPTOM.match(self.recs.blocks[hit.doc.record_id].text)
        return tokens(m.group(1)) if m else []

    def _names_component(self, question: str, hits: list[Hit]) -> Hit | None:
        """The hit whose name (fact component, procedure title, symptom) the question uses in full: every
        word of the name is in the question; the longest such name wins, then the better rank."""
        q = set(tokens(question))
        best: tuple[tuple[int, int], Hit] | None = None
        for h in hits:
            name = [t for t in self._record_name(h) if t not in QUESTION_WORDS]
            if len(name) >= 2 or (len(name) == 1 and len(name[0]) >= 5):
                if not set(name) <= q:
                    continue
                # equal names: the fact whose condition the question repeats ("... (below)")
                cond = set(tokens(self.recs.facts[h.doc.record_id].condition or "")) if h.doc.kind == "fact" else set()
                score = (len(set(name)), len((cond - QUESTION_WORDS) & q))
                if best is None or score > best[0]:
                    best = (score, h)
        return best[1] if best else None

    def _fact_group(self, f0: SpecFact, variants: set[str], any_quantity: bool = False) -> list[SpecFact]:
        """Facts answered together with ``f0``: same component and variant, same quantity family
        (every quantity when the question names none)."""
        comp, fam = _key(f0.component), _family(f0.quantity)
        linked = self.recs.conflict_partners.get(f0.fact_id, set())
        out = []
        for f in self.recs.facts.values():
            if f.derived or _key(f.component) != comp or (not any_quantity and _family(f.quantity) != fam):
                continue
            other_page = (f.source.file, f.source.page) != (f0.source.file, f0.source.page)
            if other_page and f.fact_id not in linked and (f.value, f.value_max, f.unit) != (f0.value, f0.value_max, f0.unit):
                continue  # another page, another context: only the same value or a recorded conflict
            if variants and f.variant and f.variant not in variants:
                continue
            if f0.variant and not variants and f.variant is None:
                continue
            out.append(f)
        return sorted(out, key=lambda f: (f.variant or "", f.source.file, f.source.page, f.stages[0].stage if f.stages else 0,
                                          _stage_no(f), f.fact_id))

    def _best(self, question: str, hits: list[Hit]) -> tuple[Hit | None, float, list[SpecFact]]:
        """The hit to answer from, its confidence, and (for facts) the fact group."""
        if not hits:
            return None, 0.0, []
        variants = self.named_variants(question)
        want = intent(question)
        cands = hits
        if variants:
            cands = [h for h in hits if h.doc.kind != "fact" or self.recs.facts[h.doc.record_id].variant in (None, *variants)]
            cands = cands or hits
        preferred = {"spec": "fact", "procedure": "procedure", "troubleshooting": "block", "wiring": "block",
                     "wire": "fact", "explanation": "block"}.get(want or "")
        if preferred:
            top_of_kind = [h for h in cands[:5] if h.doc.kind == preferred and self._fits(h, want)]
            if top_of_kind:
                cands = top_of_kind
        named = self._names_component(question, cands)
        hit = named or cands[0]
        group = (self._fact_group(self.recs.facts[hit.doc.record_id], variants, any_quantity=want not in ("spec", "wire"))
                 if hit.doc.kind == "fact" else [])
        return hit, self.confidence(question, hit, group), group

    # ------------------------------------------------------------------ answers

    def ask(self, question: str) -> AskAnswer:
        return self.ask_many([question])[0]

    def ask_many(self, questions: list[str]) -> list[AskAnswer]:
        t0 = time.perf_counter()
        all_hits = self.index.search_many(questions) if questions else []
        out = []
        for q, hits in zip(questions, all_hits, strict=True):
            out.append(self._answer(q, hits))
        per = (time.perf_counter() - t0) / max(1, len(questions))
        return [a.model_copy(update={"seconds": round(per, 4)}) for a in out]

    def _answer(self, question: str, hits: list[Hit]) -> AskAnswer:
        rule = self._rule_abstains(question)
        if rule:
            return AskAnswer(question=question, answer=ABSTAIN_TEXT, abstained=True, score=0.0, reason=rule)
        hit, conf, group = self._best(question, hits)
        if hit is None or conf < self.threshold:
            return AskAnswer(question=question, answer=ABSTAIN_TEXT, abstained=True, score=conf,
                             reason=f"confidence {conf:.2f} below {self.threshold:.2f}")
        if hit.doc.kind == "fact":
            return self._fact_answer(question, group, conf)
        if hit.doc.kind == "procedure":
            return self._procedure_answer(question, hit.doc.record_id, conf)
        return self._block_answer(question, hit.doc.record_id, conf)

    def _cite(self, provs: Sequence[Provenance]) -> tuple[str, list[Citation]]:
        items, cites = [], []
        for p in provs:
            label = self.recs.label(p.page_id)
            items.append(format_one_citation(label, p.file, p.page, self.gen_cfg))
            c = Citation(file=p.file, page=p.page, bbox=p.bbox, page_label=label)
            if c not in cites:
                cites.append(c)
        return format_citation(items, self.gen_cfg), cites

    def _fact_answer(self, question: str, group: list[SpecFact], conf: float) -> AskAnswer:
        derived_of: dict[str, list[SpecFact]] = {}
        for f in self.recs.facts.values():
            if f.derived and f.derived_from:
                derived_of.setdefault(f.derived_from, []).append(f)
        parts: list[str] = []
        seen: set[tuple] = set()
        for f in group:
            stages = tuple((s.stage, s.value, s.value_max, s.unit) for s in f.stages)
            same = (_key(f.component), f.variant, stages) if stages else (
                _key(f.component), f.variant, f.value, f.value_max, f.unit)
            if same in seen:
                continue  # the same value from a second source: cited, not repeated
            seen.add(same)
            text = render_value(f)
            conv = [render_value(d) for d in sorted(derived_of.get(f.fact_id, []), key=lambda d: d.fact_id)]
            if conv:
                text += f" ({', '.join(conv)})"
            label = f"{f.component}" + (f" ({f.variant})" if f.variant else "")
            cond = self._condition(f)
            if cond and not f.stages:
                text += f"; {cond}"
            parts.append(f"{label}: {text}")
        citation, cites = self._cite([f.source for f in group])
        main = group[0]
        return AskAnswer(
            question=question, answer="; ".join(parts) + (f" {citation}" if citation else ""),
            value=_value_text(main), unit=shown_unit(main) or None, abstained=False, citations=cites,
            score=conf, kind="fact", record_ids=[f.fact_id for f in group],
        )

    def _condition(self, f: SpecFact) -> str:
        """The fact's condition without the parts that only repeat its variant ('CR20', '240i (CR20)')."""
        names = {_key(f.variant)} | {_key(a) for a in self.recs.aliases.get(f.variant or "", [])}
        keep = []
        for part in (f.condition or "").split(";"):
            k = _key(part)
            if not k or k in names or (f.variant and k.replace(_key(f.variant), "").strip() in names):
                continue
            keep.append(part.strip())
        return "; ".join(keep)

    def _procedure_answer(self, question: str, pid: str, conf: float) -> AskAnswer:
        p = self.recs.procedures[pid]
        lines = [_boxed("WARNING", w) for w in p.warnings] + [_boxed("NOTE", n) for n in p.notes]
        for i, s in enumerate(p.steps, 1):
            lines += [_boxed("WARNING", w) for w in s.warnings]
            lines.append(f"{i}. {_STEP_NO.sub('', ' '.join(s.text.split()))}")
            lines += [_boxed("NOTE", n) for n in s.notes]
        citation, cites = self._cite([p.source, *[s.source for s in p.steps]])
        body = f"{p.title}:\n" + "\n".join(lines)
        return AskAnswer(question=question, answer=body + (f"\n{citation}" if citation else ""), abstained=False,
                         citations=cites, score=conf, kind="procedure", record_ids=[pid])

    def passage(self, bid: str, limit: int = 6) -> list:
        """A paragraph with the paragraphs next to it on its page under the same section, in reading order."""
        b = self.recs.blocks[bid]
        if b.kind != "paragraph":
            return [b]
        same = sorted((x for x in self.recs.blocks.values()
                       if x.page_id == b.page_id and x.kind == "paragraph" and x.section == b.section
                       and x.column == b.column), key=lambda x: x.order)
        i = next(k for k, x in enumerate(same) if x.block_id == bid)
        lo = i
        while lo > 0 and same[lo - 1].order == same[lo].order - 1 and i - lo < limit:
            lo -= 1
        hi = i
        while hi + 1 < len(same) and same[hi + 1].order == same[hi].order + 1 and hi - lo < limit:
            hi += 1
        return same[lo:hi + 1]

    def _block_answer(self, question: str, bid: str, conf: float) -> AskAnswer:
        blocks = self.passage(bid)
        citation, cites = self._cite([b.source for b in blocks])
        text = "\n".join(b.text.strip() for b in blocks)
        return AskAnswer(question=question, answer=text + (f" {citation}" if citation else ""),
                         abstained=False, citations=cites, score=conf, kind="block",
                         record_ids=[b.block_id for b in blocks])


_SYMPTOM = re.compile(r"^\s*Symptom:\s*(.+?)(?:\n\s*[-–•]|\Z)", re.S | re.I)
_STEP_NO = re.compile(r"^\s*\d{1,2}[.)]\s+")
_BOX_LABEL = re.compile(r"^\s*(WARNING|CAUTION|NOTE)\b[:!.]?\s*", re.IGNORECASE)


def _boxed(default: str, text: str) -> str:
    """'WARNING: text' — the box's own printed label (WARNING / CAUTION / NOTE) kept, never doubled."""
    t = " ".join(text.split())
    m = _BOX_LABEL.match(t)
    return f"{m.group(1).upper()}: {t[m.end():]}" if m else f"{default}: {t}"


def _stage_no(f: SpecFact) -> int:
    m = re.search(r"stage (\d+)", (f.condition or "").lower())
    return int(m.group(1)) if m else 0


def shown_unit(f: SpecFact) -> str:
    """The unit as printed when it is a clean spelling of the fact's unit, else the canonical symbol."""
    printed = (f.unit_printed or "").strip().rstrip(".").strip()
    info = lookup_unit(printed) if printed else None
    if info is not None and info.canonical == f.unit and printed.isprintable() and " " not in printed:
        return printed
    return f.unit


def _value_text(f: SpecFact) -> str:
    if f.value_max:
        return f"{f.value}-{f.value_max}"
    return f.value


def render_value(f: SpecFact) -> str:
    """'55 Nm', '0.20-0.30 mm', '850 ± 50 rpm', 'Stage 1: 30 Nm, Stage 2: 90°' from the fact record."""
    unit = shown_unit(f)
    if f.stages:
        return ", ".join(
            f"Stage {s.stage}: {join_value_unit(s.value + (f'-{s.value_max}' if s.value_max else ''), s.unit)}"
            for s in sorted(f.stages, key=lambda s: s.stage)
        )
    tol = re.sub(r"[±+/\s-]+", "", f.tolerance or "")
    value = _value_text(f) + (f" ± {tol}" if tol else "")
    return join_value_unit(value, unit)


def calibrate(positives: Sequence[float], negatives: Sequence[float], min_negatives: int = 5,
              margin: float = 0.85, cap: float = 0.5) -> float:
    """Abstention threshold: the cut maximising balanced accuracy (ties: the lowest cut).

    With fewer than ``min_negatives`` negatives: ``margin`` x the 2nd percentile of the
    positives (the build's own train questions are phrased like the generator's templates; a
    user's words cover a record less well), at most ``cap``. The vocabulary rules do most of
    the refusing; the threshold keeps off-topic questions from being answered.
    """
    pos = sorted(positives)
    if not pos:
        return cap
    if len(negatives) < min_negatives:
        return round(min(cap, margin * pos[int(0.02 * (len(pos) - 1))]), 4)
    neg = sorted(negatives)
    best, best_t = -1.0, pos[0]
    for t in sorted(set(pos) | set(neg) | {pos[0]}):
        tpr = sum(1 for s in pos if s >= t) / len(pos)
        tnr = sum(1 for s in neg if s < t) / len(neg)
        if tpr + tnr > best + 1e-12:
            best, best_t = tpr + tnr, t
    return round(best_t, 4)
