"""The LangChain face of every Wegwijs embedder, derived from its numpy methods.

Each embedder implements ``embed_passages(texts) -> np.ndarray`` and ``embed_query_array(text) ->
np.ndarray`` (what ingest and retrieval use); LangChain's ``embed_documents`` / ``embed_query``
are the same vectors as lists. Query vectors are kept in a small LRU cache (coaches and evaluation
runs repeat questions); ``_cache_size = 0`` turns it off (the latency benchmarks do).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from langchain_core.embeddings import Embeddings


class ArrayEmbeddings(Embeddings):
    """Base of the embedders: LangChain's list methods on top of the numpy ones, and the query cache."""

    def _init_query_cache(self, size: int) -> None:
        self._query_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = size

    def _cached_query(self, text: str, compute: Callable[[str], np.ndarray]) -> np.ndarray:
        """The query vector of ``text`` from the cache, else ``compute(text)``, kept for next time."""
        with self._query_lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
            vector = compute(text)
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return vector

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query_array(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()
