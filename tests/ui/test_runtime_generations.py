"""A running server follows the index: a new generation is swapped in when warm, a broken one is not."""

from __future__ import annotations

import shutil
import time

import pytest
from fastapi.testclient import TestClient

from assistant.answer.engine import Assistant
from assistant.core.index import current_name
from fakes import HashEmbedder
from ingest.pipeline import run_ingest
from support import small_corpus
from ui.runtime import Runtime

DOC = "haarlem-collegebesluit-jop-2022.md"
QUESTION = "wanneer is het plan vastgesteld?"
pytestmark = pytest.mark.slow  # two ingests and three warm-ups (fake embedder): seconds, not minutes


def _settle(runtime: Runtime) -> None:
    """Let the runtime look at CURRENT and finish loading what it found."""
    time.sleep(0.03)
    runtime.warm()
    if runtime._loader is not None:
        runtime._loader.join(timeout=60)


def test_new_generation_is_swapped_in_and_a_broken_one_is_not(tmp_path, corpus_dir, monkeypatch):
    from assistant.core.settings import Settings
    from ui import runtime as runtime_module
    from ui.api import create_app

    monkeypatch.setattr(runtime_module, "_RETIRE_AFTER_S", 0.5)
    corpus = small_corpus(corpus_dir, tmp_path / "corpus", [DOC])
    # dense search through Chroma, so there is a vector store client to release after the swap
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, index_check_interval_s=0.01,
                        rate_limit_per_minute=0, dense_search="chroma")
    first = run_ingest(settings, embedder=HashEmbedder(), progress=False).generation
    runtime = Runtime(settings, Assistant(settings, embedder=HashEmbedder()))
    old = runtime.warm()
    assert old.index.state.generation == first

    # an ingest changes the corpus: the server loads the new generation beside the old one and swaps
    (corpus / DOC).write_text((corpus / DOC).read_text(encoding="utf-8") + "\n\nDe wachttijd is zes weken.\n",
                              encoding="utf-8")
    second = run_ingest(settings, embedder=HashEmbedder(), progress=False).generation
    _settle(runtime)
    fresh = runtime.warm()
    assert fresh is not old and fresh.index.state.generation == second and fresh.embedder is old.embedder
    assert any("zes weken" in c.text for c in fresh.index.chunks)
    assert old.answer(QUESTION).citations  # a request still holding the old assistant finishes on it
    time.sleep(1.0)
    assert old.index._client is None and fresh.index._client is not None  # the old one is released afterwards
    assert runtime.answer(QUESTION).citations and runtime.detail == "Wegwijs is klaar."

    # a generation left broken: CURRENT names it, but the one in use stays, and the health check says why
    broken = "gen-99990101-000000-1-00000"
    shutil.copytree(settings.index_dir / second, settings.index_dir / broken)
    (settings.index_dir / broken / "chunks.jsonl").write_text('{"chunk_id": "half', encoding="utf-8")
    (settings.index_dir / "CURRENT").write_text(broken, encoding="utf-8")
    assert current_name(settings) == broken
    _settle(runtime)
    assert runtime.warm() is fresh
    with TestClient(create_app(settings, runtime.assistant, web=False)) as client:
        app_runtime = client.app.state.runtime
        _settle(app_runtime)
        ready = client.get("/readyz").json()
        answer = client.post("/api/chat", json={"question": QUESTION})
    assert ready["status"] == "ready" and broken in ready["detail"] and f"'{second}' blijft in gebruik" in ready["detail"]
    assert answer.status_code == 200 and answer.json()["citations"]
