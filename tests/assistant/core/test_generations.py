"""A generation left broken on disk is detected when the index is opened; the previous one stays in use."""

from __future__ import annotations

import logging
import shutil

import pytest

from assistant.core.generations import generation_problem
from assistant.core.settings import Settings
from assistant.core.index import Index, IndexError_, current_generation, current_name, read_state
from fakes import HashEmbedder
from ingest.pipeline import run_ingest
from support import small_corpus

DOC = "haarlem-collegebesluit-jop-2022.md"


@pytest.fixture(scope="module")
def two_generations(tmp_path_factory, corpus_dir):
    """An index with two generations: the first ingest, then one after a document changed."""
    root = tmp_path_factory.mktemp("generations")
    corpus = small_corpus(corpus_dir, root / "corpus", [DOC])
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    first = run_ingest(settings, embedder=HashEmbedder(), progress=False).generation
    (corpus / DOC).write_text((corpus / DOC).read_text(encoding="utf-8") + "\n\nEen nieuwe alinea.\n", encoding="utf-8")
    second = run_ingest(settings, embedder=HashEmbedder(), progress=False).generation
    return settings, first, second


@pytest.fixture()
def index(two_generations, tmp_path):
    """A private copy of the two-generation index and its corpus, safe to damage."""
    settings, first, second = two_generations
    shutil.copytree(settings.data_dir, tmp_path / "data")
    shutil.copytree(settings.corpus_dir, tmp_path / "corpus")
    return settings.model_copy(update={"data_dir": tmp_path / "data", "corpus_dir": tmp_path / "corpus"}), first, second


def _open(settings):
    return Index.open(settings, HashEmbedder.embedder_id)


def test_a_new_generation_keeps_the_previous_one_beside_it(index):
    settings, first, second = index
    assert current_name(settings) == second
    assert sorted(p.name for p in settings.index_dir.iterdir() if p.is_dir()) == sorted([first, second])
    assert generation_problem(settings.index_dir / first) is None
    assert generation_problem(settings.index_dir / second) is None
    opened = _open(settings)
    assert opened.state.generation == second and opened.problem is None
    assert read_state(settings).chunks == len(opened.chunks)


def test_a_third_run_removes_the_oldest(index):
    settings, first, second = index
    corpus = settings.corpus_dir
    (corpus / DOC).write_text((corpus / DOC).read_text(encoding="utf-8") + "\nNog een alinea.\n", encoding="utf-8")
    third = run_ingest(settings, embedder=HashEmbedder(), progress=False).generation
    assert sorted(p.name for p in settings.index_dir.iterdir() if p.is_dir()) == sorted([second, third])


def _truncate_chunks(gen):
    data = (gen / "chunks.jsonl").read_bytes()
    (gen / "chunks.jsonl").write_bytes(data[: len(data) * 2 // 3])


@pytest.mark.parametrize("damage", [
    pytest.param(_truncate_chunks, id="truncated-chunks"),
    pytest.param(lambda gen: shutil.rmtree(gen / "bm25"), id="missing-bm25"),
    pytest.param(lambda gen: (gen / "sentence_vectors.npy").unlink(), id="missing-vectors"),
    pytest.param(lambda gen: shutil.rmtree(gen), id="missing-folder"),
])
def test_a_broken_current_generation_falls_back_to_the_previous(index, damage, caplog):
    settings, first, second = index
    damage(settings.index_dir / second)
    with caplog.at_level(logging.WARNING, logger="assistant.core.index"):
        opened = _open(settings)
    assert opened.state.generation == first
    assert opened.problem.startswith("De nieuwste index is onbruikbaar") and second in opened.problem
    assert f"'{first}' blijft in gebruik" in opened.problem
    assert any(opened.problem == r.getMessage() for r in caplog.records)
    assert len(opened.chunks) > 0 and opened.bm25_scores(["leerplein"]).max() > 0


def test_a_bad_line_in_the_middle_is_caught_when_reading(index):
    settings, first, second = index
    path = settings.index_dir / second / "chunks.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:40]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _open(settings).state.generation == first


def test_broken_without_a_previous_generation_is_a_dutch_error(index):
    settings, first, second = index
    shutil.rmtree(settings.index_dir / first)
    (settings.index_dir / second / "chunk_vectors.npy").write_bytes(b"kapot")
    with pytest.raises(IndexError_, match="De index is onbruikbaar: generatie .* geen eerdere generatie"):
        _open(settings)


def test_the_next_ingest_repairs_a_broken_generation(index):
    settings, first, second = index
    _truncate_chunks(settings.index_dir / second)
    report = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert report.generation not in (first, second)  # rebuilt, not "nothing changed"
    assert generation_problem(current_generation(settings)) is None
    assert _open(settings).problem is None


def test_fallback_prefers_the_generation_written_last_even_within_one_second(tmp_path):
    """Generation names carry the second they were made in; two made within one second sort by the
    time in their state, not by the random tail of their names."""
    import json

    from assistant.core.generations import fallback_generations

    for name, created in (("gen-20260101-000000-1-99999", 100.0), ("gen-20260101-000000-1-00001", 200.0)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "state.json").write_text(json.dumps({"created_at": created}), encoding="utf-8")
    assert [p.name for p in fallback_generations(tmp_path, skip=None)] == ["gen-20260101-000000-1-00001",
                                                                           "gen-20260101-000000-1-99999"]
