"""Vectors by content hash: a text is embedded once, however often it occurs or is asked for."""

from __future__ import annotations

import numpy as np

from fakes import HashEmbedder
from ingest.vector_cache import VectorCache, embed_texts


class Recording(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed_passages(self, texts):
        self.seen.extend(texts)
        return super().embed_passages(texts)


def test_a_repeated_text_is_embedded_once_and_every_position_gets_its_vector(tmp_path):
    texts = ["De school meldt het verzuim.", "Ouders worden gehoord.", "De school meldt het verzuim."]
    embedder = Recording()
    vectors = embed_texts(texts, embedder, VectorCache(tmp_path / "v.sqlite3", embedder.embedder_id))
    assert sorted(embedder.seen) == sorted(set(texts))
    assert vectors.shape == (3, embedder.dim)
    assert np.array_equal(vectors[0], vectors[2]) and not np.array_equal(vectors[0], vectors[1])
    assert np.allclose(vectors[1], HashEmbedder().embed_passages([texts[1]])[0])


def test_cached_texts_are_not_embedded_again(tmp_path):
    cache_file = tmp_path / "v.sqlite3"
    first = Recording()
    before = embed_texts(["Een.", "Twee zinnen hier."], first, VectorCache(cache_file, first.embedder_id))
    again = Recording()
    after = embed_texts(["Twee zinnen hier.", "Drie.", "Een."], again, VectorCache(cache_file, again.embedder_id))
    assert again.seen == ["Drie."]
    assert np.array_equal(after[0], before[1]) and np.array_equal(after[2], before[0])


def test_without_a_cache_every_distinct_text_is_embedded():
    embedder = Recording()
    vectors = embed_texts(["a b", "a b", "c d"], embedder)
    assert sorted(embedder.seen) == ["a b", "c d"] and vectors.shape[0] == 3
