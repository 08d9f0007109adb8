"""Dense search over a generation: exact cosine over the chunk vectors agrees with Chroma's index."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "assistant" / "answer"))

QUESTIONS = ["wie betaalt de leerlingbegeleiding?", "hoe vraag ik een toelaatbaarheidsverklaring aan?",
             "wat doet het samenwerkingsverband bij thuiszitters?", "contact met het wijkteam"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    from answer_support import build_settings
    from fakes import HashEmbedder

    from assistant.core.index import Index

    settings = build_settings(tmp_path_factory.mktemp("dense"))
    exact = Index.open(settings, HashEmbedder.embedder_id)
    chroma = Index.open(settings.model_copy(update={"dense_search": "chroma"}), HashEmbedder.embedder_id)
    yield exact, chroma, HashEmbedder()
    exact.close()
    chroma.close()


def test_exact_search_needs_no_vector_store(both):
    exact, chroma, _ = both
    assert exact.chunk_vectors is not None and exact._collection is None
    assert chroma.chunk_vectors is None and chroma._collection is not None


@pytest.mark.parametrize("question", QUESTIONS)
def test_exact_search_finds_what_chroma_finds_with_and_without_filters(both, question):
    exact, chroma, embedder = both
    vector = embedder.embed_query_array(question)
    regions = sorted({c.region for c in exact.chunks if c.region})
    doc = exact.chunks[0].doc_id
    for filters in ({}, {"regions": regions[:1]}, {"doc_ids": [doc]}, {"regions": regions, "doc_ids": [doc]}):
        got, want = exact.dense(vector, 8, **filters), chroma.dense(vector, 8, **filters)
        assert [i for i, _ in got] == [i for i, _ in want] or (
            # equal scores may come in another order; the scores themselves agree
            sorted(round(s, 5) for _, s in got) == sorted(round(s, 5) for _, s in want)), filters
        assert all(abs(a - b) < 1e-5 for (_, a), (_, b) in zip(got, want))
        if "regions" in filters:
            assert all(exact.chunks[i].region in filters["regions"] for i, _ in got)
        if "doc_ids" in filters:
            assert all(exact.chunks[i].doc_id == doc for i, _ in got)


def test_exact_search_returns_at_most_the_allowed_chunks(both):
    from assistant.core.index import searched_densely

    exact, chroma, embedder = both
    vector = embedder.embed_query_array(QUESTIONS[0])
    searched = {i for i, c in enumerate(exact.chunks) if searched_densely(c)}
    assert len(searched) < len(exact.chunks)  # the tiny corpus has an enumeration record
    # both searches leave the enumeration records out: the collection does not hold them
    assert {i for i, _ in exact.dense(vector, 10_000)} == searched == {i for i, _ in chroma.dense(vector, 10_000)}
    assert exact.dense(vector, 5, regions=["een regio die er niet is"]) == []
