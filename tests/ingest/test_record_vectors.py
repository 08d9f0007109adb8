"""Enumeration records take their vectors from the document sentences they restate, not from an
embedding pass of their own, and dense search leaves them out; the other records are embedded."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.index import Index, passage_for_embedding
from assistant.core.records import Source
from assistant.core.settings import Settings
from assistant.core.text import squash
from assistant.core.types import Chunk, DocState
from ingest.index_writer import DocPayload
from ingest.pipeline import run_ingest
from ingest.record_vectors import record_payload, restated_vectors
from fakes import HashEmbedder
from support import small_corpus

LIST_ID = "inv-list#zk-gewenste-bewegingen"  # the six "gewenste bewegingen" of the Zuid-Kennemerland plan


class Recording(HashEmbedder):
    """The hash embedder, keeping the texts it embedded."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return super().embed_passages(texts)


@pytest.fixture()
def built(tmp_path, corpus_dir):
    corpus = small_corpus(corpus_dir, tmp_path / "corpus", inventories=True)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    embedder = Recording()
    report = run_ingest(settings, embedder=embedder, progress=False)
    return settings, corpus, embedder, report


def _sentences_holding(index: Index, needle: str) -> list[int]:
    rows, row = [], 0
    for chunk, spans in zip(index.chunks, index.sentence_spans):
        for a, b in spans:
            if chunk.kind != "record" and squash(needle) in squash(chunk.text[a:b]):
                rows.append(row)
            row += 1
    return rows


def _expected(index: Index, needles: list[str]) -> np.ndarray:
    """The mean of the first sentence holding each needle (a quote is taken where it first stands)."""
    rows = sorted({_sentences_holding(index, needle)[0] for needle in needles})
    assert rows, needles
    mean = np.mean(index.sentence_vectors[rows], axis=0)
    return mean / np.linalg.norm(mean)


BEWEGINGEN = ["1. Er is voor iedere jeugdige een passende plek", "2. Verantwoordelijke partijen zorgen ervoor",
              "3. We willen dat leden van het kernteam", "4. We willen professionals de ruimte geven",
              "5. We willen dat meer kinderen binnen het regulier", "6. We willen de kansengelijkheid",
              "We zetten daarbij in op de volgende bewegingen:",
              # the list's own quote begins at the end of the sentence before: that sentence counts too
              "Om de vertaling van visie naar praktijk te maken"]


def test_enumeration_records_are_not_embedded_and_not_searched_densely(built):
    settings, _, embedder, report = built
    index = Index.open(settings, embedder.embedder_id)
    records = {c.chunk_id: i for i, c in enumerate(index.chunks) if c.kind == "record"}
    lists = [cid for cid in records if cid.startswith("inv-list#")]
    assert report.records == len(records) and len(lists) >= 3 and len(records) > len(lists)
    embedded = {cid for cid, i in records.items() if passage_for_embedding(index.chunks[i]) in set(embedder.seen)}
    assert embedded == set(records) - set(lists)  # every other record is embedded
    # the list's vector is the mean of the sentences holding its lines (each sentence once)
    assert np.allclose(index.chunk_vectors[records[LIST_ID]], _expected(index, BEWEGINGEN), atol=1e-6)
    # dense search never returns a list record, even for the list's own words
    vector = embedder.embed_query_array(index.chunks[records[LIST_ID]].text)
    found = [index.chunks[j].chunk_id for j, _ in index.dense(vector, k=len(index.chunks))]
    assert len(found) == len(index.chunks) - len(lists) and not any(c.startswith("inv-list#") for c in found)


def test_a_list_vector_follows_a_changed_document_without_the_inventory_changing(built):
    settings, corpus, embedder, _ = built
    path = corpus / "zk-jeugdondersteuningsplan.txt"
    text = path.read_text(encoding="utf-8")
    line = "6. We willen de kansengelijkheid van kinderen vergroten door gezamenlijk te besluiten over en bij"
    assert text.count(line) == 1
    path.write_text(text.replace(line, line + " Zeppelinhaven"), encoding="utf-8")
    again = Recording()
    report = run_ingest(settings, embedder=again, progress=False)
    assert "inventory" in report.unchanged and "zk-jop" in report.rebuilt
    index = Index.open(settings, embedder.embedder_id)
    i = index.by_id[LIST_ID]
    assert any("Zeppelinhaven" in index.chunks[j].text for j in range(len(index.chunks)))
    assert np.allclose(index.chunk_vectors[i], _expected(index, BEWEGINGEN), atol=1e-6)


def _payload(text: str) -> DocPayload:
    chunk = Chunk(chunk_id="d#0", doc_id="d", title="Plan", region="R", seq=0, text=text, page_start=1,
                  page_end=1, section="", section_path=[], char_start=0, char_end=len(text))
    spans = [(0, text.index(".") + 1), (text.index(".") + 2, len(text))]
    vectors = np.eye(HashEmbedder.dim, dtype=np.float32)[:2]
    return DocPayload(DocState(doc_id="d", file="plan.txt", title="Plan", region="R", fingerprint="f", pages=1,
                               chunks=1), [chunk], vectors[:1], [spans], vectors)


def _record(chunk_id: str, text: str) -> Chunk:
    return Chunk(chunk_id=chunk_id, doc_id="d", title="Plan", region="R", seq=0, text=text, page_start=1,
                 page_end=1, section="Inventaris", section_path=["Inventaris"], char_start=0, char_end=len(text),
                 kind="record")


def test_a_list_takes_the_sentences_holding_its_quotes_and_others_are_embedded():
    doc = _payload("Het Leerplein regelt de leerplicht. Het Jeugdteam helpt gezinnen thuis.")
    records = [_record("inv-list#a", "Opsomming: Jeugdteam."), _record("inv-list#b", "Opsomming: Zeppelinhaven."),
               _record("inv-contact#c", "Contact: Jeugdteam.")]
    quote = Source(doc="plan.txt", quote="Het Jeugdteam helpt gezinnen")
    sources = {"inv-list#a": [quote], "inv-list#b": [Source(doc="plan.txt", quote="Zeppelinhaven ligt nergens")],
               "inv-contact#c": [quote]}
    vectors = restated_vectors(records, sources, [doc])
    assert np.allclose(vectors[0], np.eye(HashEmbedder.dim)[1]) and vectors[1] is None
    embedder = Recording()
    state = DocState(doc_id="inventory", file="inventories/", title="Regionale inventaris", region="",
                     fingerprint="g", pages=None, chunks=3)
    payload = record_payload(state, records, [[(0, 21)], [(0, 25)], [(0, 19)]], sources, [doc], embedder, None)
    # the list found nowhere and the contact are embedded; the list whose line was found is not
    assert sorted(t.splitlines()[-1] for t in embedder.seen) == ["Contact: Jeugdteam.", "Opsomming: Zeppelinhaven."]
    assert np.allclose(payload.chunk_vectors[0], np.eye(HashEmbedder.dim)[1])
    assert payload.chunk_vectors.shape == payload.sentence_vectors.shape == (3, HashEmbedder.dim)
