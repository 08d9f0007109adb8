"""Web chat callbacks without a browser: Dutch messages when there is no index, history limits, feedback."""

from __future__ import annotations

import sqlite3

import gradio as gr
import pytest

from assistant.core.types import Answer, Citation
from ui.runtime import Runtime
from ui.web import _like, _on_load, _respond, _route, history_of


@pytest.fixture(scope="module")
def no_index_runtime(tmp_path_factory, ui_settings):
    from assistant.core.settings import Settings

    empty = Settings(data_dir=tmp_path_factory.mktemp("leeg"), corpus_dir=ui_settings.corpus_dir)
    return Runtime(empty)


def test_chat_without_index_says_so_in_dutch(no_index_runtime):
    steps = list(_respond(no_index_runtime, "wie pakt de 5a op?", [], [], "Alle regio's"))
    _, chat, turns, _ = steps[-1]
    assert chat[0] == {"role": "user", "content": "wie pakt de 5a op?"}
    assert chat[-1]["content"].startswith("⚠️") and "index" in chat[-1]["content"]
    assert turns == [{"question": "wie pakt de 5a op?", "answer": None}]


def test_page_load_and_contact_view_without_index(no_index_runtime):
    region, _, _, status, header = _on_load(no_index_runtime)
    assert region["choices"] == [("Alle regio's", "Alle regio's")] or region["choices"] == ["Alle regio's"]
    assert status["visible"] is True and "nog niet klaar" in status["value"]
    assert "value" not in header  # the header keeps its text until the index names the regions
    html, sources = _route(no_index_runtime, "Haarlem", "", "", "")
    assert "index" in html and sources == []


def test_chat_streams_and_keeps_turns(ui_settings, ui_assistant):
    runtime = Runtime(ui_settings, ui_assistant)
    steps = list(_respond(runtime, "wie pakt in zk de 5a vrijstellingen op?", [], [], "Alle regio's"))
    bubbles = [step[1][-1]["content"] for step in steps]
    assert len(bubbles) > 4 and len(set(bubbles)) > 4, "the bubble fills in several steps"
    _, chat, turns, citations = steps[-1]
    assert "Bronnen:" in chat[-1]["content"] and citations and citations[0]["n"] == 1
    assert turns[0]["answer"]["citations"] == citations


def test_empty_question_is_a_warning_not_a_turn(ui_settings, ui_assistant):
    runtime = Runtime(ui_settings, ui_assistant)
    with pytest.warns(UserWarning, match="De vraag is leeg"):
        steps = list(_respond(runtime, "   ", [], [], "Alle regio's"))
    assert steps[-1][1] == [] and steps[-1][2] == []


def test_history_is_trimmed_to_the_limits(ui_settings, ui_assistant):
    runtime = Runtime(ui_settings.model_copy(update={"max_history_messages": 4, "max_history_chars": 100}),
                      ui_assistant)
    answer = {"answer": "a" * 30}
    turns = [{"question": f"vraag {i}", "answer": answer} for i in range(5)] + [{"question": "fout", "answer": None}]
    history = history_of(turns, runtime)
    assert [m.content for m in history if m.role == "user"] == ["vraag 3", "vraag 4"]
    assert sum(len(m.content) for m in history) <= 100


def test_thumbs_up_in_the_chat_is_stored(ui_settings, ui_assistant):
    runtime = Runtime(ui_settings, ui_assistant)
    answer = Answer(question="wie doet wat?", answer="Leerplein [1]", citations=[Citation(
        n=1, chunk_id="zk-jop#x", doc_id="zk-jop", title="Plan", page=5, text="t", quote="q")])
    turns = [{"question": "wie doet wat?", "answer": answer.model_dump()}]
    _like(runtime, turns, gr.LikeData(None, {"index": 1, "value": "Leerplein [1]", "liked": False}))
    with sqlite3.connect(ui_settings.feedback_db) as conn:
        row = conn.execute("SELECT question, rating, source FROM feedback ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("wie doet wat?", "down", "web")


def test_header_names_the_regions_of_the_index():
    from ui.web import header_text

    assert header_text(["Haaglanden", "Regio Alkmaar", "Zuid-Kennemerland"]).endswith(
        "in Haaglanden, Regio Alkmaar en Zuid-Kennemerland.")
    assert header_text(["Twente"]).endswith("in Twente.")
    assert header_text([]).endswith("jeugdhulp.")
