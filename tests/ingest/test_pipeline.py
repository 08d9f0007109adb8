"""The ingest run end to end on real corpus files: idempotence, swaps, failures, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.core.settings import Settings
from assistant.core.index import Index, current_generation, read_state
from ingest.pipeline import IngestError, run_ingest
from fakes import ExplodingEmbedder, HashEmbedder
from support import SMALL, small_corpus



@pytest.fixture()
def setup(tmp_path, corpus_dir):
    corpus = small_corpus(corpus_dir, tmp_path / "corpus")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    return settings, corpus


def _texts(settings: Settings, embedder) -> list[str]:
    return [c.text for c in Index.open(settings, embedder.embedder_id).chunks]


def test_ingest_builds_both_indexes_with_traceable_chunks(setup):
    settings, _ = setup
    embedder = HashEmbedder()
    report = run_ingest(settings, embedder=embedder, progress=False)
    assert report.documents == 2 and report.chunks > 10 and report.pages >= 8
    index = Index.open(settings, embedder.embedder_id)
    assert index.state.embedder_id == "fake-hash" and "fake-hash" in index.state.collection
    assert {c.doc_id for c in index.chunks} == {"zk-jop", "haarlem-besluit"}
    # both the BM25 and the dense index answer, each for every chunk
    hits = index.dense(embedder.embed_query_array("vrijstellingen 5a Leerplein"), k=5)
    assert len(hits) == 5
    scores = index.bm25_scores(["leerplein"])
    assert scores.max() > 0 and len(scores) == len(index.chunks)
    assert all(c.page_start is not None for c in index.chunks if c.doc_id == "zk-jop")


def test_rerun_unchanged_embeds_nothing_and_keeps_ids(setup):
    settings, _ = setup
    first = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    ids_before = [c.chunk_id for c in Index.open(settings, "fake-hash").chunks]
    embedder = HashEmbedder()
    second = run_ingest(settings, embedder=embedder, progress=False)
    assert embedder.texts_embedded == 0
    assert sorted(second.unchanged) == ["haarlem-besluit", "zk-jop"] and second.rebuilt == []
    assert second.chunks == first.chunks
    assert [c.chunk_id for c in Index.open(settings, "fake-hash").chunks] == ids_before
    # nothing changed: the generation in use stays, so a server or test holding it open is not cut off
    assert second.generation == first.generation == read_state(settings).generation
    # ... and is recorded as checked, so "is the index older than the code?" compares with this run
    state = read_state(settings)
    assert state.checked_at is not None and state.current_as_of >= state.created_at


def test_changed_document_is_replaced_and_removed_document_deleted(setup):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    md = corpus / "haarlem-collegebesluit-jop-2022.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\nNieuwe alinea over de Wegwijs-testzin Zeppelinhaven.\n",
                  encoding="utf-8")
    embedder = HashEmbedder()
    report = run_ingest(settings, embedder=embedder, progress=False)
    assert report.rebuilt == ["haarlem-besluit"] and report.unchanged == ["zk-jop"]
    assert any("Zeppelinhaven" in t for t in _texts(settings, embedder))

    (corpus / "zk-jeugdondersteuningsplan.txt").unlink()
    report = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert report.removed == ["zk-jop"]
    index = Index.open(settings, "fake-hash")
    assert {c.doc_id for c in index.chunks} == {"haarlem-besluit"}
    assert index.bm25_scores(["leerplein"]).shape[0] == len(index.chunks)
    dense_ids = [index.chunks[i].doc_id for i, _ in index.dense(HashEmbedder().embed_query_array("Leerplein"), k=50)]
    assert set(dense_ids) == {"haarlem-besluit"}


def test_failure_half_way_leaves_previous_index_in_use(setup):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    before = read_state(settings)
    texts_before = _texts(settings, HashEmbedder())
    md = corpus / "haarlem-collegebesluit-jop-2022.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\nGewijzigd.\n", encoding="utf-8")
    # distinct sentences: none of them is in the vector cache, so embedding takes several calls
    extra = "\n\n".join(f"Een extra document over thuiszitters, nummer {i}." for i in range(120))
    (corpus / "extra.txt").write_text(extra + "\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_ingest(settings, embedder=ExplodingEmbedder(after=1), progress=False)
    assert read_state(settings).generation == before.generation
    assert _texts(settings, HashEmbedder()) == texts_before
    # the next good run completes and cleans up the half-built generation; the one it replaced stays as
    # the fallback (a server may still read it, and Index.open turns to it if the new one breaks)
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    leftovers = {p.name for p in settings.index_dir.iterdir() if p.is_dir()}
    assert leftovers == {current_generation(settings).name, before.generation}


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("geheim")
    with open(path, "wb") as fh:
        writer.write(fh)


def test_bad_inputs_are_named_and_skipped_without_losing_anything(setup):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    (corpus / "leeg.txt").write_bytes(b"")
    (corpus / "rommel.txt").write_bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    _encrypted_pdf(corpus / "versleuteld.pdf")
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n")
    (corpus / "plaatje.xyz").write_bytes(b"\x89PNG\r\n\x1a\n")
    (corpus / "kapot.docx").write_bytes(b"PK\x03\x04 not really a zip")
    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"].append({"doc_id": "weg", "file": "bestaat-niet.txt", "title": "Weg"})
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")

    report = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    joined = "\n".join(report.problems)
    for name in ["leeg.txt", "rommel.txt", "versleuteld.pdf", "kapot.pdf", "plaatje.xyz", "kapot.docx",
                 "bestaat-niet.txt"]:
        assert name in joined, f"no message names {name}:\n{joined}"
    assert report.documents == 2
    assert {c.doc_id for c in Index.open(settings, "fake-hash").chunks} == {"zk-jop", "haarlem-besluit"}


def test_previously_indexed_document_survives_when_its_file_breaks(setup):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    (corpus / "zk-jeugdondersteuningsplan.txt").write_bytes(b"")
    report = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert report.kept_previous == ["zk-jop"]
    assert "zk-jop" in {c.doc_id for c in Index.open(settings, "fake-hash").chunks}


def test_nothing_usable_fails_and_keeps_the_old_index(setup, tmp_path):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    generation = read_state(settings).generation
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "a.txt").write_bytes(b"")
    with pytest.raises(IngestError, match="a.txt"):
        run_ingest(settings.model_copy(update={"corpus_dir": empty}), embedder=HashEmbedder(), progress=False)
    assert read_state(settings).generation == generation


def test_broken_manifest_stops_the_run_with_a_clear_message(setup):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    generation = read_state(settings).generation
    (corpus / "manifest.yaml").write_text("documents: [\n  - doc_id: x\n  file: : :\n", encoding="utf-8")
    with pytest.raises(IngestError, match="manifest.yaml"):
        run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert read_state(settings).generation == generation


def test_record_fingerprint_follows_the_yaml_and_the_code_rendering_it(tmp_path, monkeypatch):
    """A change in how records are rendered must re-embed them, as a change in the YAML does."""
    from ingest import pipeline
    from ingest.pipeline import inventory_fingerprint

    covered = {path.name for path in pipeline.code_files()}
    assert {"records.py", "inventories.py", "clean.py"} <= covered  # ingest/records.py renders the records
    assert any(path.parent.name == "core" and path.name == "records.py" for path in pipeline.code_files())
    folder = tmp_path / "inventories"
    folder.mkdir()
    (folder / "contacts.yaml").write_text("contacts: []\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path)
    first = inventory_fingerprint(folder, settings, "fake-hash")
    assert inventory_fingerprint(folder, settings, "fake-hash") == first
    monkeypatch.setattr(pipeline, "_code_version", lambda: "other-code")
    after_code = inventory_fingerprint(folder, settings, "fake-hash")
    assert after_code != first
    (folder / "contacts.yaml").write_text("contacts: [] # edited\n", encoding="utf-8")
    assert inventory_fingerprint(folder, settings, "fake-hash") not in {first, after_code}


def test_bm25_follows_a_change_in_the_text_analysis(setup):
    """An index built before the analysis changed (new concept tags ...) is not searched with stale
    tokens: on opening, the BM25 part is rebuilt from the stored passages."""
    from assistant.core.index import ANALYZER_FILE, analyzer_version, current_generation, read_state, region_tags

    settings, _ = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    stamp = current_generation(settings) / "bm25" / ANALYZER_FILE
    places = region_tags(read_state(settings).metas, None)
    assert stamp.read_text(encoding="utf-8") == analyzer_version(places)
    fresh = Index.open(settings, "fake-hash").bm25_scores(["leerplein", "§vrijstelling5a"])
    # simulate an index from before the change: other analysis, and BM25 data that no longer fits it
    stamp.write_text("older-analysis", encoding="utf-8")
    for path in stamp.parent.glob("*.json"):
        if "vocab" in path.name:
            path.write_text("{}", encoding="utf-8")
    reopened = Index.open(settings, "fake-hash").bm25_scores(["leerplein", "§vrijstelling5a"])
    assert fresh.max() > 0
    np.testing.assert_allclose(reopened, fresh, rtol=1e-5)


def test_staleness_warning_follows_the_last_check(setup):
    """The evaluation warns when corpus or ingest files are newer than the index; an ingest run that
    finds the content unchanged clears the warning without writing a new generation."""
    import os
    import time

    from evals.run import index_staleness

    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert index_staleness(settings) is None
    touched = next(corpus.glob("*.txt"))
    later = time.time() + 5
    os.utime(touched, (later, later))
    assert touched.name in (index_staleness(settings) or "")
    state = read_state(settings)
    saved = state.created_at + 0.5  # same content, saved again after the index was built
    os.utime(touched, (saved, saved))
    assert touched.name in (index_staleness(settings) or "")
    time.sleep(max(0.0, saved - time.time()) + 0.1)
    generation = state.generation
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert read_state(settings).generation == generation
    assert index_staleness(settings) is None


class RecordingEmbedder(HashEmbedder):
    """Remembers every text it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed_passages(texts)


def test_adding_one_plan_embeds_only_that_plan(setup, corpus_dir):
    settings, corpus = setup
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    before = Index.open(settings, "fake-hash")
    old_ids = [c.chunk_id for c in before.chunks]
    before.close()
    added = "haaglanden-onderwijs-jeugdhulp.txt"
    small_corpus(corpus_dir, corpus, files=[*SMALL, added])
    embedder = RecordingEmbedder()
    report = run_ingest(settings, embedder=embedder, progress=False)
    index = Index.open(settings, "fake-hash")
    new_doc = {c.doc_id for c in index.chunks} - {c.doc_id for c in before.chunks}
    assert report.rebuilt == sorted(new_doc) and sorted(report.unchanged) == ["haarlem-besluit", "zk-jop"]
    assert [c.chunk_id for c in index.chunks if c.chunk_id in set(old_ids)] == old_ids
    new_texts = {c.text for c in index.chunks if c.doc_id in new_doc}
    assert embedder.seen and all(any(t in n or n in t for n in new_texts) for t in embedder.seen)
    index.close()


class SpanHashEmbedder(RecordingEmbedder):
    """A fake with the e5-blas span interface: a span's vector is the hash vector of its text."""

    def embed_passages_with_spans(self, texts, spans):
        self.seen.extend(texts)
        return (HashEmbedder.embed_passages(self, texts),
                [np.vstack([self._vector(t[a:b]) for a, b in row]) if row else np.zeros((0, self.dim), np.float32)
                 for t, row in zip(texts, spans)])


def test_pooled_sentence_vectors_cost_no_pass_of_their_own(setup):
    settings, _ = setup
    settings = settings.model_copy(update={"sentence_vectors": "pooled"})
    embedder = SpanHashEmbedder()
    run_ingest(settings, embedder=embedder, progress=False)
    index = Index.open(settings, "fake-hash")
    passages = {c.chunk_id for c in index.chunks}
    assert len(embedder.seen) == len(passages)  # one text per passage: no sentence embedded alone
    for i, chunk in enumerate(index.chunks[:40]):
        spans, vectors = index.sentences_of(i)
        if chunk.kind == "record" or len(spans) < 2:
            continue
        a, b = spans[0]
        assert np.allclose(vectors[0], embedder._vector(chunk.text[a:b]), atol=1e-6)
    index.close()
    again = SpanHashEmbedder()
    assert run_ingest(settings, embedder=again, progress=False).rebuilt == [] and again.seen == []


def test_pooled_sentence_vectors_need_an_embedder_that_pools(setup):
    settings, _ = setup
    settings = settings.model_copy(update={"sentence_vectors": "pooled"})
    with pytest.raises(IngestError, match="WEGWIJS_SENTENCE_VECTORS=pooled"):
        run_ingest(settings, embedder=HashEmbedder(), progress=False)
