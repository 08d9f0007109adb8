"""Deterministic fake embedders for plumbing tests (ranking quality uses the real one)."""

from __future__ import annotations

import hashlib

import numpy as np

from assistant.core.text import analyze


class HashEmbedder:
    """Bag of stemmed words hashed into 256 dimensions, L2-normalised: fast, offline, stable.

    Texts sharing words get similar vectors, so it also works where a little ranking matters.
    """

    embedder_id = "fake-hash"
    dim = 256

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for token in analyze(text) or ["§leeg"]:
            h = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little")
            vec[h % self.dim] += 1.0
        return vec / (np.linalg.norm(vec) or 1.0)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._vector(t) for t in texts])

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._vector(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()


class ExplodingEmbedder(HashEmbedder):
    """Fails after ``after`` embedding calls: simulates a crash half-way through an ingest."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if self.calls >= self.after:
            raise RuntimeError("simulated crash during embedding")
        return super().embed_passages(texts)
