"""With an LLM configured, the API's event stream and the web chat show the extractive answer at
once and replace it with the verified LLM answer (SSE ``replace``; the same chat bubble); on a
fallback the extractive answer stays, and nothing unverified is ever sent or shown.

Runs on the real Haarlem decision indexed with the fake embedder and a FakeListChatModel.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.answer.engine import Assistant
from fakes import HashEmbedder
from ui.api import create_app
from ui.runtime import GENERATING, Runtime
from ui.web import LLM_NOTE, _respond, message_text

QUESTION = "wat heeft het college van haarlem besloten over het jeugdondersteuningsplan?"
UNVERIFIED = "De gemeente betaalt 75 procent van de reiskosten van alle ouders"


def _events(text: str) -> list[dict]:
    return [json.loads(line[len("data:"):]) for line in text.splitlines() if line.startswith("data:")]


def _assistant(settings, replies: list[str] | None, **overrides) -> Assistant:
    model = FakeListChatModel(responses=replies) if replies is not None else None
    return Assistant(settings.model_copy(update=overrides), embedder=HashEmbedder(), chat_model=model).warm_up()


@pytest.fixture(scope="module")
def extractive(hash_settings):
    answer = _assistant(hash_settings, None).answer(QUESTION)
    assert answer.route == "extractive" and not answer.refused and len(answer.citations) >= 2
    return answer


@pytest.fixture(scope="module")
def supported(extractive) -> str:
    """A reply the verification accepts: the second citation's sentence, cited as [2]."""
    return extractive.citations[1].quote.split(" … ")[0].rstrip(".") + " [2]."


def _stream(settings, bot: Assistant) -> list[dict]:
    with TestClient(create_app(settings, bot, web=False)) as client:
        response = client.post("/api/chat", json={"question": QUESTION}, headers={"Accept": "text/event-stream"})
    assert response.status_code == 200
    assert UNVERIFIED not in response.text
    return _events(response.text)


def test_sse_sends_the_extractive_answer_then_replace_then_done(hash_settings, extractive, supported):
    events = _stream(hash_settings, _assistant(hash_settings, [supported + " " + UNVERIFIED + " [1]."]))
    kinds = [e["type"] for e in events]
    first_replace = kinds.index("replace")
    assert kinds[0] == "status" and kinds[-1] == "done" and kinds.count("replace") == 1
    assert kinds.index("citations") < kinds.index("status", 1) < first_replace == len(kinds) - 2
    assert set(kinds[1:kinds.index("citations")]) == {"delta"}
    assert "".join(e["text"] for e in events if e["type"] == "delta") == extractive.answer
    assert events[kinds.index("status", 1)]["text"] == GENERATING
    replace, done = events[first_replace], events[-1]["answer"]
    assert replace["answer"] == done["answer"] and done["mode"] == "llm" and done["route"] == "llm"
    assert replace["answer"].endswith(". [1]") and "[2]" not in replace["answer"]  # renumbered to its one source
    assert [c["n"] for c in replace["citations"]] == [1] == [c["n"] for c in done["citations"]]
    assert replace["citations"][0]["chunk_id"] == extractive.citations[1].chunk_id
    assert done["timings_ms"]["llm"] > 0


@pytest.mark.parametrize("case", ["unsupported", "timeout", "error"])
def test_sse_without_a_verified_answer_keeps_the_extractive_one(hash_settings, extractive, supported, case):
    if case == "unsupported":
        bot = _assistant(hash_settings, [UNVERIFIED + " [1]."])
    elif case == "timeout":
        bot = _assistant(hash_settings, [supported * 5], llm_timeout_s=0.3)
        bot.llm.model.sleep = 0.05
    else:
        bot = _assistant(hash_settings, [supported])
        bot.llm.model.error_on_chunk_number = 4
    events = _stream(hash_settings, bot)
    kinds = [e["type"] for e in events]
    assert "replace" not in kinds and kinds[-1] == "done"
    assert events[-1]["answer"]["answer"] == extractive.answer and events[-1]["answer"]["mode"] == "extractive"
    assert GENERATING in [e.get("text") for e in events]


def test_sse_without_an_llm_is_unchanged(hash_settings, hash_assistant):
    kinds = [e["type"] for e in _stream(hash_settings, hash_assistant)]
    assert kinds[0] == "status" and kinds[-2:] == ["citations", "done"] and set(kinds[1:-2]) == {"delta"}


def test_json_chat_waits_for_the_verified_answer(hash_settings, supported):
    with TestClient(create_app(hash_settings, _assistant(hash_settings, [supported]), web=False)) as client:
        body = client.post("/api/chat", json={"question": QUESTION}).json()
    assert body["mode"] == "llm" and body["answer"].endswith(". [1]")


def test_the_web_chat_replaces_the_bubble_in_place(hash_settings, extractive, supported):
    runtime = Runtime(hash_settings, _assistant(hash_settings, [supported + " " + UNVERIFIED + " [1]."]))
    steps = list(_respond(runtime, QUESTION, [], [], "Alle regio's"))
    bubbles = [step[1][-1]["content"] for step in steps]
    assert all(len(step[1]) == 2 for step in steps[1:])  # one question, one answer bubble throughout
    waiting = next(i for i, b in enumerate(bubbles) if GENERATING in b)
    assert bubbles[waiting].startswith(message_text(extractive))  # the extractive answer, whole, at once
    _, chat, turns, citations = steps[-1]
    final = turns[-1]["answer"]
    assert final["mode"] == "llm" and chat[-1]["content"] == message_text(type(extractive).model_validate(final))
    assert LLM_NOTE in chat[-1]["content"] and GENERATING not in chat[-1]["content"]
    assert citations == final["citations"] and [c["n"] for c in citations] == [1]
    assert all(UNVERIFIED not in b for b in bubbles)
    assert len(turns) == 1


def test_the_web_chat_keeps_the_extractive_bubble_on_a_fallback(hash_settings, extractive):
    runtime = Runtime(hash_settings, _assistant(hash_settings, [UNVERIFIED + " [1]."]))
    steps = list(_respond(runtime, QUESTION, [], [], "Alle regio's"))
    _, chat, turns, _ = steps[-1]
    assert chat[-1]["content"] == message_text(extractive)
    assert turns[-1]["answer"]["mode"] == "extractive" and turns[-1]["answer"]["answer"] == extractive.answer
    assert all(UNVERIFIED not in step[1][-1]["content"] for step in steps)
