"""The LangChain face of every Wegwijs embedder, derived from its numpy methods.

Each embedder implements ``embed_passages(texts) -> np.ndarray`` and ``embed_query_array(text) ->
np.ndarray`` (what ingest and retrieval use); LangChain's ``embed_documents`` / ``embed_query``
are the same vectors as lists.
"""

from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings


class ArrayEmbeddings(Embeddings):
    """Base of the embedders: LangChain's list methods on top of the numpy ones."""

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query_array(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()
