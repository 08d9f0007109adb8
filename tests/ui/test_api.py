"""The HTTP API against the real assistant on a real (small) index: every endpoint, streaming, feedback."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow

QUESTION = "wie pakt in zk de 5a vrijstellingen op?"


def _sse_events(text: str) -> list[dict]:
    """Parse a text/event-stream body into its JSON ``data:`` payloads, in order."""
    events = []
    for block in text.split("\n\n"):
        data = [line[len("data:"):].strip() for line in block.splitlines() if line.startswith("data:")]
        if data:
            events.append(json.loads("\n".join(data)))
    return events


def _path(chunk_id: str) -> str:
    return "/api/sources/" + quote(chunk_id, safe="")


@pytest.fixture(scope="module")
def answer(api_app) -> dict:
    from fastapi.testclient import TestClient

    with TestClient(api_app) as client:
        response = client.post("/api/chat", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    return response.json()


# -- health ---------------------------------------------------------------------------------------
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_the_loaded_index(client, ui_assistant):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["chunks"] == len(ui_assistant.index.chunks) > 0
    assert "Zuid-Kennemerland" in body["regions"]
    assert body["worker"] == os.getpid()  # the test client serves in this process


def test_without_index_readyz_and_chat_give_dutch_503(tmp_path, ui_settings):
    from fastapi.testclient import TestClient

    from assistant.core.settings import Settings
    from ui.api import create_app

    empty = Settings(data_dir=tmp_path / "leeg", corpus_dir=ui_settings.corpus_dir)
    with TestClient(create_app(empty, web=False)) as client:
        chat = client.post("/api/chat", json={"question": QUESTION})
        ready = client.get("/readyz")
        assert client.get("/healthz").status_code == 200
    assert chat.status_code == 503 and "index" in chat.json()["detail"]
    assert ready.status_code == 503
    assert ready.json()["status"] in ("starting", "unavailable") and ready.json()["detail"]


# -- chat ---------------------------------------------------------------------------------------------
def test_chat_returns_the_answer_contract(answer):
    assert answer["question"] == QUESTION
    assert answer["refused"] is False
    assert "5a" in answer["answer"] or "vrijstelling" in answer["answer"].lower()
    assert answer["citations"], "an answer cites its sources"
    numbers = {c["n"] for c in answer["citations"]}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])} <= numbers
    for citation in answer["citations"]:
        assert citation["doc_id"] == "zk-jop" and citation["title"] and citation["quote"]
        assert isinstance(citation["page"], int) and citation["page"] >= 1
    assert len(answer["retrieved"]) >= 10
    assert set(answer["timings_ms"]) >= {"retrieve", "answer", "total"}


def test_chat_streams_server_sent_events(client):
    response = client.post("/api/chat", json={"question": QUESTION}, headers={"Accept": "text/event-stream"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _sse_events(response.text)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "status" and kinds[-2:] == ["citations", "done"]
    deltas = [e["text"] for e in events if e["type"] == "delta"]
    assert len(deltas) > 3, "the answer arrives in pieces"
    done = events[-1]["answer"]
    assert "".join(deltas) == done["answer"]
    assert events[-2]["citations"] == done["citations"] and done["citations"]
    assert "error" not in kinds


def test_chat_follow_up_uses_history(client, answer):
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": answer["answer"]}]
    response = client.post("/api/chat", json={"question": "en wanneer gebeurt dat?", "history": history})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rewritten_question"], "the follow-up is read against the earlier question"
    assert "5a" in body["rewritten_question"] or "vrijstelling" in body["rewritten_question"]


def test_chat_region_is_matched_case_insensitively(client):
    response = client.post("/api/chat", json={"question": "wat doet het kernteam?", "region": "zuid-kennemerland"})
    assert response.status_code == 200, response.text
    assert response.json()["region"] == "Zuid-Kennemerland"


# -- search ---------------------------------------------------------------------------------------
def test_search_returns_k_hits(client):
    response = client.post("/api/search", json={"question": "5a vrijstelling leerplein", "k": 3})
    assert response.status_code == 200, response.text
    hits = response.json()
    assert len(hits) == 3
    assert set(hits[0]) == {"chunk_id", "doc_id", "title", "page", "section", "score", "text"}
    assert hits[0]["score"] >= hits[-1]["score"]
    assert any("5a" in h["text"] for h in hits)


@pytest.mark.parametrize("k", [0, -1, 51, 10_000])
def test_search_k_out_of_bounds_is_422(client, k):
    response = client.post("/api/search", json={"question": "tlv", "k": k})
    assert response.status_code == 422
    assert "k moet tussen 1 en 50" in response.json()["detail"]


# -- sources ----------------------------------------------------------------------------------------
def test_source_marks_the_quoted_sentences(client, answer):
    citation = answer["citations"][0]
    response = client.get(_path(citation["chunk_id"]), params={"highlight": citation["quote"]})
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["chunk_id"] == citation["chunk_id"]
    assert view["title"] == citation["title"] and view["page"] == citation["page"]
    assert view["text"] == citation["text"]
    assert view["highlights"], "the used sentences are marked"
    for span in view["highlights"]:
        assert view["text"][span["start"]:span["end"]] == span["text"]
        assert span["text"] in citation["quote"]


def test_source_has_its_neighbours(client, ui_assistant):
    chunks = [c for c in ui_assistant.index.chunks if c.doc_id == "zk-jop" and c.kind != "record"]
    middle = sorted(chunks, key=lambda c: c.seq)[len(chunks) // 2]
    view = client.get(_path(middle.chunk_id)).json()
    by_id = {c.chunk_id: c for c in chunks}
    assert by_id[view["previous"]["chunk_id"]].seq == middle.seq - 1
    assert by_id[view["next"]["chunk_id"]].seq == middle.seq + 1
    assert view["highlights"] == []


@pytest.mark.parametrize("chunk_id", ["zk-jop#0000000000", "onbekend#c1", "..%2F..%2Fetc%2Fpasswd",
                                      "zk-jop%23..%2F..%2Fsecret", "%2Fetc%2Fpasswd", "a b#c"])
def test_unknown_or_malformed_source_is_dutch_404(client, chunk_id):
    response = client.get("/api/sources/" + chunk_id)
    assert response.status_code == 404
    assert response.json()["detail"].startswith(("Onbekende passage", "Onbekend API-pad"))


def test_overlong_source_id_is_422(client):
    response = client.get(_path("zk-jop#" + "a" * 400))
    assert response.status_code == 422
    assert "te lang" in response.json()["detail"]


# -- inventory --------------------------------------------------------------------------------------
def test_inventory_lookup(client):
    response = client.get("/api/inventory/arrangements", params={"region": "Zuid-Kennemerland"})
    assert response.status_code == 200, response.text
    records = response.json()
    assert records and all(r["region"] == "Zuid-Kennemerland" for r in records)
    assert all(r["source"]["doc"] and r["source"]["quote"] for r in records)


def test_inventory_contact_route_for_a_pupil(client):
    response = client.get("/api/inventory/contact", params={"woongemeente": "Haarlem", "schoolgemeente": "Heemstede"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["known"] is True and body["routes"]
    assert body["woonregio"] == ["Zuid-Kennemerland"]
    assert any(r["based_on"] == "woongemeente" and r["gemeente"] == "Haarlem" for r in body["routes"])
    assert all(r["source"]["doc"] == "zk-jeugdondersteuningsplan.txt" for r in body["routes"])


def test_inventory_contact_for_unknown_gemeente_names_no_party(client):
    body = client.get("/api/inventory/contact", params={"woongemeente": "Amsterdam"}).json()
    assert body["known"] is False and body["routes"] == [] and "Amsterdam" in body["message"]


@pytest.mark.parametrize("url, status, words", [
    ("/api/inventory/contact", 422, "woongemeente"),
    ("/api/inventory/contact?woongemeente=Haarlem&level=XYZ", 422, "onderwijsniveau"),
    ("/api/inventory/arrangements?level=XYZ", 422, "onderwijsniveau"),
    ("/api/inventory/zaken", 404, "Onbekende soort"),
])
def test_inventory_bad_requests(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert words in response.json()["detail"]


# -- feedback ---------------------------------------------------------------------------------------
def test_feedback_is_stored_in_sqlite(client, answer, ui_settings):
    payload = {"question": answer["question"], "answer": answer["answer"], "citations": answer["citations"],
               "rating": "down", "comment": "bron [2] klopt niet; ' OR 1=1 --"}
    response = client.post("/api/feedback", json=payload)
    assert response.status_code == 201, response.text
    row_id = response.json()["id"]
    with sqlite3.connect(ui_settings.feedback_db) as conn:
        row = conn.execute("SELECT question, rating, comment, citations, source FROM feedback WHERE id = ?",
                           (row_id,)).fetchone()
    assert row[0] == QUESTION and row[1] == "down" and row[2] == payload["comment"] and row[4] == "api"
    assert [c["chunk_id"] for c in json.loads(row[3])] == [c["chunk_id"] for c in answer["citations"]]


# -- docs -------------------------------------------------------------------------------------------
def test_openapi_is_valid_and_docs_work_offline(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ["/api/chat", "/api/search", "/api/sources/{chunk_id}", "/api/inventory/contact",
                 "/api/inventory/{kind}", "/api/feedback", "/healthz", "/readyz"]:
        assert path in spec["paths"], path
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert refs and refs <= set(spec["components"]["schemas"])
    assert "Answer" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert not re.search(r'(src|href)="(https?:)?//', docs.text), "the docs page loads nothing from elsewhere"


def test_inventory_record_source_shows_the_document_passage(client, ui_assistant):
    records = [c for c in ui_assistant.index.chunks if c.kind == "record" and c.doc_id == "zk-jop"]
    assert records, "the subset index holds inventory records of the ZK plan"
    with_origin = 0
    for record in records[:15]:
        view = client.get(_path(record.chunk_id)).json()
        assert view["previous"] is None and view["next"] is None
        original = view["original"]
        if original is None:
            continue
        with_origin += 1
        assert original["doc_id"] == "zk-jop" and original["highlights"]
        for span in original["highlights"]:
            assert original["text"][span["start"]:span["end"]] == span["text"]
    assert with_origin >= len(records[:15]) // 2
