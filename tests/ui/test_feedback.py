"""Feedback is stored minimised, for a limited time, only when the installation wants it; logs hold no question.

The scrubber comes from a real (small) index built with the fake embedder, so the corpus
vocabulary is real: "Leerplein" is a known word there, "Mohammed" is not.
"""

from __future__ import annotations

import logging
import sqlite3
import time

import pytest
from fastapi.testclient import TestClient

from assistant.core.types import Citation
from ui.feedback import FeedbackStore, minimised
from ui.privacy import Scrubber
from ui.runtime import Runtime
from ui.schemas import FeedbackRequest

QUESTION = "Mohammed (BSN 111222333, 06-12345678) zit thuis; kan Leerplein helpen?"
ANSWER = "Leerplein pakt dit op; bel 023-5115000. Mohammed kan daar terecht."


def _item(**kw) -> FeedbackRequest:
    citation = Citation(n=1, chunk_id="c1", doc_id="d", title="Plan", page=3, text="Leerplein: 023-5115000.",
                        quote="Leerplein: 023-5115000.")
    return FeedbackRequest(**{"question": QUESTION, "answer": ANSWER, "citations": [citation], "rating": "down",
                              "comment": "Mail mij op j.devries@school.nl", **kw})


@pytest.fixture(scope="module")
def runtime(hash_settings, hash_assistant) -> Runtime:
    return Runtime(hash_settings, hash_assistant)


@pytest.fixture()
def store(tmp_path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "feedback.sqlite3", retention_days=30).create()


def _age(store: FeedbackStore, row_id: int, days: float) -> None:
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE feedback SET created_at = ? WHERE id = ?", (time.time() - days * 86400, row_id))


# -- minimising ------------------------------------------------------------------------------------
def test_what_is_stored_is_scrubbed_and_the_sources_stay(runtime):
    kept = minimised(_item(), runtime.scrubber())
    assert kept.question == "[naam] (BSN [bsn], [telefoon]) zit thuis; kan Leerplein helpen?"
    assert kept.comment == "Mail mij op [e-mail]"
    # the organisation's number quoted from the plan stays; the pupil's name the answer repeats goes
    assert kept.answer == "Leerplein pakt dit op; bel 023-5115000. [naam] kan daar terecht."
    assert kept.citations[0].quote == "Leerplein: 023-5115000."


def test_the_api_and_the_web_store_only_the_scrubbed_question(runtime, hash_settings):
    from ui.api import create_app

    with TestClient(create_app(hash_settings, runtime.assistant, web=False)) as client:
        response = client.post("/api/feedback", json=_item().model_dump())
    assert response.status_code == 201 and response.json()["stored"] is True
    row = runtime.feedback_store().get(response.json()["id"])
    assert "Mohammed" not in str(row) and "111222333" not in str(row) and "06-12345678" not in str(row)
    assert row["question"].startswith("[naam] (BSN [bsn]") and "023-5115000" in row["answer"]


def test_an_installation_can_store_no_feedback(hash_settings, hash_assistant):
    from ui.api import create_app

    settings = hash_settings.model_copy(update={"store_feedback": False})
    runtime = Runtime(settings, hash_assistant)
    before = runtime.feedback_store().count()
    assert runtime.record_feedback(_item(), source="web") is None
    with TestClient(create_app(settings, hash_assistant, web=False)) as client:
        response = client.post("/api/feedback", json=_item().model_dump())
    assert response.status_code == 202
    assert response.json() == {"id": None, "stored": False, "detail": "Bedankt. Deze installatie bewaart geen feedback."}
    assert runtime.feedback_store().count() == before


def test_without_an_index_the_scrubber_knows_no_words_and_scrubs_more(tmp_path, hash_settings):
    empty = Runtime(hash_settings.model_copy(update={"data_dir": tmp_path / "leeg"}))
    scrubber = empty.scrubber()
    assert isinstance(scrubber, Scrubber) and scrubber.known_words == set()
    assert "Mohammed" not in scrubber.scrub(QUESTION)


# -- retention, purge, export ------------------------------------------------------------------------
def test_expired_feedback_is_purged_on_start_and_on_each_write(store, runtime):
    scrubber = runtime.scrubber()
    old, recent = store.add(_item(), scrubber=scrubber), store.add(_item(), scrubber=scrubber)
    _age(store, old, 31)
    _age(store, recent, 29)
    FeedbackStore(store.path, retention_days=30).create()  # a (re)start
    assert store.get(old) is None and store.get(recent) is not None
    _age(store, recent, 40)
    newest = store.add(_item(rating="up"), scrubber=scrubber)  # a write
    assert store.get(recent) is None and store.count() == 1 and store.get(newest)["rating"] == "up"


def test_purge_by_age_and_all(store, runtime):
    ids = [store.add(_item(), scrubber=runtime.scrubber()) for _ in range(3)]
    _age(store, ids[0], 10)
    assert store.purge(7) == 1 and store.count() == 2
    assert store.purge(None) == 2 and store.count() == 0


def test_deleted_feedback_does_not_linger_in_the_file(store, runtime):
    row = store.add(_item(question="Kwinten Aardewerk zit thuis"), scrubber=Scrubber(set(), lambda _: False))
    store.add(_item(comment="herkenbaar-restant-xyz"), scrubber=runtime.scrubber())
    store.purge(None)
    assert store.get(row) is None and b"herkenbaar-restant-xyz" not in store.path.read_bytes()


def test_export_gives_json_ready_rows_within_retention(store, runtime):
    first = store.add(_item(), scrubber=runtime.scrubber())
    store.add(_item(rating="up", comment=None), source="web", scrubber=runtime.scrubber())
    _age(store, first, 31)
    rows = list(store.export())
    assert len(rows) == 1 and rows[0]["source"] == "web" and rows[0]["rating"] == "up"
    assert rows[0]["citations"][0]["chunk_id"] == "c1" and rows[0]["created_at"].endswith("+00:00")


# -- logs ------------------------------------------------------------------------------------------------
def test_logs_hold_no_question_text_by_default(runtime, caplog):
    question = "Mohammed zit thuis, wanneer is het plan vastgesteld?"
    with caplog.at_level(logging.INFO, logger="wegwijs.ui"):
        runtime.answer(question)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Vraag beantwoord" in logged
    assert "Mohammed" not in logged and "vastgesteld" not in logged


def test_logged_questions_are_scrubbed_when_switched_on(hash_settings, hash_assistant, caplog):
    runtime = Runtime(hash_settings.model_copy(update={"log_questions": True}), hash_assistant)
    with caplog.at_level(logging.INFO, logger="wegwijs.ui"):
        runtime.answer("Mohammed (06-12345678) zit thuis, wanneer is het plan vastgesteld?")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "[naam] ([telefoon]) zit thuis, wanneer is het plan vastgesteld?" in logged
    assert "Mohammed" not in logged and "06-12345678" not in logged
