"""Malformed and oversized requests: always a 4xx with one Dutch sentence, never a 5xx."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

ENGLISH = ("Field required", "Input should", "Not Found", "Method Not Allowed", "value is not", "Unprocessable",
           "There was an error", "Request Entity")


def assert_dutch_4xx(response, status: int | None = None) -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert not any(word in detail for word in ENGLISH), detail
    return detail


@pytest.mark.parametrize("body, status, words", [
    (b"{", 400, "geen geldige JSON"),
    (b"", 422, "body ontbreekt"),
    (b"null", 422, "object"),
    (b"[]", 422, "object"),
    (b'"vraag"', 422, "object"),
    (b"{}", 422, "'vraag' dit veld is verplicht"),
    (b'{"question": 5}', 422, "'vraag' moet tekst zijn"),
    (b'{"question": ["a"]}', 422, "'vraag' moet tekst zijn"),
    (b'{"question": ""}', 422, "De vraag is leeg"),
    (b'{"question": "   \\n "}', 422, "De vraag is leeg"),
    (b'{"question": "tlv", "foo": 1}', 422, "'foo' dit veld is onbekend"),
    (b'{"question": "tlv", "region": "Mars"}', 422, "Onbekende regio 'Mars'"),
    (b'{"question": "tlv", "region": 7}', 422, "'regio' moet tekst zijn"),
    (b'{"question": "tlv", "history": "eerder"}', 422, "'geschiedenis' moet een lijst zijn"),
    (b'{"question": "tlv", "history": [{"role": "bot", "content": "x"}]}', 422, "rol' heeft een ongeldige waarde"),
    (b'{"question": "tlv", "history": [{"role": "user"}]}', 422, "inhoud' dit veld is verplicht"),
    (b'{"question": "tlv", "history": [{"role": "user", "content": "x", "extra": 1}]}', 422, "onbekend"),
    (b'{"question": "\xff\xfe"}', 400, "UTF-8"),
])
def test_malformed_chat_requests(client, body, status, words):
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert words in assert_dutch_4xx(response, status)


def test_non_json_content_type_is_415(client):
    response = client.post("/api/chat", content=b"question=tlv",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "JSON" in assert_dutch_4xx(response, 415)


def test_question_longer_than_the_limit_is_413(client, ui_settings):
    response = client.post("/api/chat", json={"question": "tlv " * (ui_settings.max_question_chars // 4 + 1)})
    assert "te lang" in assert_dutch_4xx(response, 413)


def test_too_many_history_messages_is_413(client, ui_settings):
    history = [{"role": "user", "content": "x"}] * (ui_settings.max_history_messages + 1)
    response = client.post("/api/chat", json={"question": "tlv", "history": history})
    assert "geschiedenis is te lang" in assert_dutch_4xx(response, 413)


def test_too_much_history_text_is_413(client, ui_settings):
    history = [{"role": "user", "content": "a" * (ui_settings.max_history_chars // 2 + 1)}] * 2
    response = client.post("/api/chat", json={"question": "tlv", "history": history})
    assert "tekens" in assert_dutch_4xx(response, 413)


def test_huge_body_is_413_before_it_is_read(client):
    response = client.post("/api/chat", content=b'{"question": "' + b"a" * 2_000_000 + b'"}',
                           headers={"Content-Type": "application/json"})
    assert "te groot" in assert_dutch_4xx(response, 413)


def test_huge_chunked_body_is_413(client):
    def chunks():
        yield b'{"question": "'
        for _ in range(40):
            yield b"a" * 10_000
        yield b'"}'

    response = client.post("/api/chat", content=chunks(), headers={"Content-Type": "application/json"})
    assert "te groot" in assert_dutch_4xx(response, 413)


def test_limits_follow_the_settings(api_app, ui_assistant, ui_settings):
    """The limits come from Settings: override the runtime dependency with a stricter one."""
    from fastapi.testclient import TestClient

    from ui.api import get_runtime
    from ui.runtime import Runtime

    strict = Runtime(ui_settings.model_copy(update={"max_question_chars": 10}), ui_assistant)
    api_app.dependency_overrides[get_runtime] = lambda: strict
    try:
        with TestClient(api_app) as client:
            response = client.post("/api/chat", json={"question": "wie pakt de 5a op?"})
    finally:
        api_app.dependency_overrides.clear()
    assert "maximaal 10" in assert_dutch_4xx(response, 413)


@pytest.mark.parametrize("method, url, status", [
    ("GET", "/api/chat", 405), ("DELETE", "/api/feedback", 405), ("GET", "/api/bestaat-niet", 404),
    ("POST", "/api/sources/zk-jop%23abc", 405),
])
def test_wrong_method_or_path(client, method, url, status):
    assert_dutch_4xx(client.request(method, url), status)


@pytest.mark.parametrize("payload, words", [
    ({"question": "q", "answer": "a", "rating": "meh"}, "beoordeling' heeft een ongeldige waarde"),
    ({"question": "q", "answer": "a"}, "beoordeling' dit veld is verplicht"),
    ({"question": "q", "answer": "a", "rating": "up", "comment": "x" * 3000}, "opmerking' is te lang"),
    ({"question": "q", "answer": "a", "rating": "up", "citations": [{"n": 1}]}, "dit veld is verplicht"),
    ({"question": "q", "answer": "a", "rating": "up", "user": "x"}, "'user' dit veld is onbekend"),
])
def test_malformed_feedback(client, payload, words):
    assert words in assert_dutch_4xx(client.post("/api/feedback", json=payload), 422)


@pytest.mark.parametrize("payload", [{"question": ""}, {"question": "tlv", "k": "veel"}, {"question": "tlv", "x": 1},
                                     {"question": "tlv", "region": "Atlantis"}, {"k": 3}])
def test_malformed_search(client, payload):
    assert_dutch_4xx(client.post("/api/search", json=payload), 422)


def test_a_failure_inside_the_assistant_is_a_dutch_500_or_an_sse_error(api_app, ui_assistant, ui_settings):
    """Not the client's fault, so not a 4xx: a Dutch 500 without a traceback, or an in-band SSE error."""
    from fastapi.testclient import TestClient

    from ui.api import get_runtime
    from ui.runtime import Runtime

    class Broken(Runtime):
        def answer(self, *args, **kwargs):
            raise ValueError("min() arg is an empty sequence")

    api_app.dependency_overrides[get_runtime] = lambda: Broken(ui_settings, ui_assistant)
    try:
        with TestClient(api_app, raise_server_exceptions=False) as client:
            plain = client.post("/api/chat", json={"question": "wie pakt de 5a op?"})
            stream = client.post("/api/chat", json={"question": "wie pakt de 5a op?"},
                                 headers={"Accept": "text/event-stream"})
    finally:
        api_app.dependency_overrides.clear()
    assert plain.status_code == 500
    assert plain.json()["detail"].startswith("Er ging iets mis in Wegwijs") and "min()" not in plain.text
    events = [line for line in stream.text.splitlines() if line.startswith("data:")]
    assert '"type": "status"' in events[0] and '"type": "error"' in events[-1]
    assert "Er ging iets mis" in events[-1] and "min()" not in stream.text
