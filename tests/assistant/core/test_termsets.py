"""The term table: term sets computed at ingest give exactly what analysing at question time gives."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.core import termsets
from assistant.core.termsets import TermTable, known_terms, remember
from assistant.core.text import match_terms

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "assistant" / "answer"))

TEXTS = ["Het samenwerkingsverband regelt de toelaatbaarheidsverklaring (TLV).",
         "De OZA-pilot loopt tot 2025; thuiszitters krijgen binnen drie maanden een aanbod.",
         "Jeugd- en gezinscoaches werken op school."]


def test_table_returns_the_analysed_terms_and_survives_saving(tmp_path):
    table = TermTable.build(TEXTS)
    for text in TEXTS:
        assert table.get(text) == frozenset(match_terms(text))
    assert table.get("Een tekst die de ingest niet zag.") is None
    table.save(tmp_path / "terms.npz")
    loaded = TermTable.load(tmp_path / "terms.npz")
    assert [loaded.get(t) for t in TEXTS] == [table.get(t) for t in TEXTS]
    assert loaded.version == table.version


def test_document_frequencies_count_each_text_given():
    table = TermTable.build(TEXTS)
    counts = table.document_frequencies([TEXTS[0], TEXTS[0], TEXTS[1]])
    some = sorted(match_terms(TEXTS[0]) - match_terms(TEXTS[1]))[0]
    assert counts[table.term_id(some)] == 2
    assert table.document_frequencies(["onbekend"]) is None


def test_build_reuses_the_previous_table_and_analyses_only_new_texts():
    previous = TermTable.build(TEXTS[:2])
    analysed: list[str] = []

    def counting(text: str) -> set[str]:
        analysed.append(text)
        return match_terms(text)

    table = TermTable.build(TEXTS, previous=previous, analyze=counting)
    assert analysed == [TEXTS[2]]
    assert table.get(TEXTS[0]) == previous.get(TEXTS[0])


def test_a_table_of_another_analysis_is_not_used():
    table = TermTable.build(["Een zin over passend onderwijs."])
    table.version = "ouder"
    assert remember(table) is False
    assert known_terms("Een zin over passend onderwijs.") is None


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory):
    from answer_support import build_settings
    from fakes import HashEmbedder

    from assistant.core.index import Index

    settings = build_settings(tmp_path_factory.mktemp("terms"))
    return Index.open(settings, HashEmbedder.embedder_id)


def test_every_passage_and_sentence_is_looked_up_with_its_exact_terms(tiny_index):
    from assistant.core.index import term_texts

    assert tiny_index.terms is not None
    texts = term_texts(tiny_index.chunks, tiny_index.sentence_spans)
    assert len(texts) > 3 * len(tiny_index.chunks)
    for text in texts:
        assert known_terms(text) == frozenset(match_terms(text)), text


def test_idf_from_the_table_equals_idf_analysed_now(tiny_index):
    from dataclasses import replace

    slow = replace(tiny_index, terms=None)
    for attr in ("_df", "_df_n"):
        slow.__dict__.pop(attr, None)
    words = {t for c in tiny_index.chunks for t in match_terms(c.text)}
    assert words
    assert all(np.isclose(tiny_index.idf(t), slow.idf(t)) for t in words)
    assert tiny_index.max_idf() == slow.max_idf()


def test_tables_leave_with_their_index():
    table = TermTable.build(["Een zin die alleen deze tabel kent."])
    assert remember(table)
    assert known_terms("Een zin die alleen deze tabel kent.") is not None
    del table
    import gc

    gc.collect()
    assert all(t.get("Een zin die alleen deze tabel kent.") is None for t in list(termsets._tables))


def test_word_counts_are_stored_with_the_index(tiny_index):
    from assistant.core.termsets import word_counts

    stored = tiny_index.word_counts()
    assert stored == word_counts(c.text for c in tiny_index.chunks)
    assert sum(stored.values()) > 0


def test_word_counts_of_another_analysis_are_not_read(tmp_path):
    import json

    from assistant.core.termsets import load_word_counts, save_word_counts

    save_word_counts(tmp_path / "words.json", __import__("collections").Counter({"jeugdhulp": 3}))
    assert load_word_counts(tmp_path / "words.json") == {"jeugdhulp": 3}
    data = json.loads((tmp_path / "words.json").read_text(encoding="utf-8"))
    data["version"] = "ouder"
    (tmp_path / "words.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_word_counts(tmp_path / "words.json") is None
    assert load_word_counts(tmp_path / "ontbreekt.json") is None


def test_stored_lemma_stems_are_the_computed_ones_and_know_their_version(tmp_path, monkeypatch):
    from assistant.core.text import lemma_stems_of

    path = tmp_path / termsets.LEMMAS_FILE
    vocabulary = ["vastgesteld", "organiseert", "thuiszitters", "samenwerkingsverband"]
    termsets.save_lemma_stems(path, vocabulary)
    stems = termsets.load_lemma_stems(path)
    assert {w: stems[w] for w in vocabulary} == lemma_stems_of(vocabulary)
    assert stems["vastgesteld"] == lemma_stems_of(["vaststellen"])["vaststellen"]  # participle and infinitive meet
    assert termsets.lexicon_words() <= stems.keys()  # the lexicon's word sets are stemmed at question time too
    monkeypatch.setattr(termsets, "lemma_analysis_version", lambda: "another analysis")
    assert termsets.load_lemma_stems(path) is None  # made by another analysis or simplemma: not used
    assert termsets.load_lemma_stems(tmp_path / "missing.json") is None


@pytest.mark.slow  # a fresh interpreter opening a real index
def test_answering_with_known_words_never_loads_simplemma(tmp_path):
    import subprocess

    from fakes import HashEmbedder

    from assistant.core.settings import Settings
    from ingest.pipeline import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.md").write_text("# Plan 2025\n\nHet wijkteam organiseert de zorg. De gemeente heeft het plan "
                                    "vastgesteld.\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, llm_base_url=None)
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    root = Path(__file__).resolve().parents[3]
    code = ("import sys; from assistant.core.settings import Settings; from assistant.core.index import Index; "
            "from assistant.core.text import lemma_terms; from assistant.answer.matching import word_terms; "
            f"s = Settings(data_dir={str(tmp_path / 'data')!r}, corpus_dir={str(corpus)!r}); "
            f"Index.open(s, {HashEmbedder.embedder_id!r}); "
            "terms = lemma_terms('wie organiseert de zorg, is het plan vastgesteld?'); word_terms('generic'); "
            "print(' '.join(terms), 'simplemma' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": f"{root}:{root / 'tests'}", "PATH": "/usr/bin:/bin"}).stdout.split()
    assert out[-1] == "False", out
    assert "vaststell" in out and "organiser" in out
