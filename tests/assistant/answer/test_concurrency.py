"""The engine answers from several threads at once (the API serves concurrent requests)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from assistant.answer.engine import Assistant
from assistant.core.settings import Settings
from fakes import HashEmbedder
from ingest.pipeline import run_ingest
from support import small_corpus

QUESTIONS = ["wie pakt de 5a vrijstellingen op in zuid-kennemerland?", "wat doet het platform jeugd?",
             "wie bekostigt de procesbegeleider van de kernteams?", "wat is de kansencirkel?"]


def test_parallel_answers_equal_serial_answers(tmp_path, corpus_dir):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus(corpus_dir, tmp_path / "corpus"))
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    bot = Assistant(settings, embedder=HashEmbedder()).warm_up()
    serial = [bot.answer(q).answer for q in QUESTIONS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda q: bot.answer(q).answer, QUESTIONS * 10))
    assert parallel == serial * 10
