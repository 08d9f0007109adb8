"""Access and hardening of the app (ui/security.py): API key, web login, CORS, headers, rate limit.

Most tests need no index at all: the middleware answers before the assistant is asked, and an
endpoint that needs the index answers a Dutch 503 once it is let through.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ui.security import TokenBucket, content_security_policy, web_auth, with_nonce

FEEDBACK = {"question": "wie pakt de 5a op?", "answer": "Leerplein.", "rating": "up"}


def _settings(tmp_path, **kw):
    from assistant.core.settings import Settings

    return Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "geen-corpus", **kw)


def _client(tmp_path, web: bool = False, client=("203.0.113.7", 50000), **kw) -> TestClient:
    from ui.api import create_app

    return TestClient(create_app(_settings(tmp_path, **kw), web=web), raise_server_exceptions=False, client=client)


@pytest.fixture(scope="module")
def guarded_app(tmp_path_factory):
    """The full app (web chat included, built once: Gradio takes seconds) with an API key and a web login."""
    from ui.api import create_app

    return create_app(_settings(tmp_path_factory.mktemp("guarded"), api_key="k", web_users="coach:geheim"), web=True)


# -- API key --------------------------------------------------------------------------------------
def test_without_a_key_setting_the_api_is_open(tmp_path):
    with _client(tmp_path) as client:
        assert client.post("/api/feedback", json=FEEDBACK).status_code == 201


def test_with_a_key_every_api_path_needs_it(tmp_path):
    with _client(tmp_path, api_key="s3cret-sleutel") as client:
        missing = client.post("/api/feedback", json=FEEDBACK)
        wrong = client.post("/api/feedback", json=FEEDBACK, headers={"Authorization": "Bearer fout"})
        unknown_path = client.get("/api/bestaat-niet")
        bearer = client.post("/api/feedback", json=FEEDBACK, headers={"Authorization": "Bearer s3cret-sleutel"})
        header = client.post("/api/feedback", json=FEEDBACK, headers={"X-API-Key": "s3cret-sleutel"})
        chat = client.post("/api/chat", json={"question": "wie?"}, headers={"X-API-Key": "s3cret-sleutel"})
        health = client.get("/healthz")
    assert missing.status_code == 401 and "Authorization: Bearer" in missing.json()["detail"]
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert wrong.status_code == 401 and wrong.json() == {"detail": "De API-sleutel klopt niet."}
    assert unknown_path.status_code == 401  # nothing about the API is told without the key
    assert bearer.status_code == 201 and header.status_code == 201
    assert chat.status_code == 503 and "index" in chat.json()["detail"]  # let through; no index here
    assert health.status_code == 200


# -- web login ------------------------------------------------------------------------------------------
def test_web_auth_checks_the_configured_users(tmp_path):
    check = web_auth(_settings(tmp_path, web_users="coach:geheim, ib:ander:wachtwoord"))
    assert check("coach", "geheim") and check("ib", "ander:wachtwoord")
    assert not check("coach", "fout") and not check("onbekend", "geheim") and not check("coach", "")
    assert web_auth(_settings(tmp_path)) is None


def test_web_login_guards_the_chat_but_not_the_api(guarded_app):
    with TestClient(guarded_app) as client:
        page = client.get("/")
        assert page.status_code == 200 and '"auth_required":true' in page.text
        assert client.get("/config").status_code == 401
        assert client.post("/gradio_api/queue/join", json={}).status_code == 401
        assert client.post("/login", data={"username": "coach", "password": "fout"}).status_code == 400
        assert client.post("/login", data={"username": "coach", "password": "geheim"}).status_code == 200
        assert client.get("/config").status_code == 200
        # the API has its own key: a web session does not open it
        assert client.post("/api/feedback", json=FEEDBACK).status_code == 401
        assert client.post("/api/feedback", json=FEEDBACK, headers={"X-API-Key": "k"}).status_code == 201


# -- CORS ------------------------------------------------------------------------------------------------
def _preflight(client, origin):
    return client.options("/api/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "content-type"})


def test_cors_is_closed_by_default(tmp_path):
    with _client(tmp_path) as client:
        simple = client.post("/api/feedback", json=FEEDBACK, headers={"Origin": "https://elders.example"})
        preflight = _preflight(client, "https://elders.example")
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in preflight.headers and preflight.status_code >= 400


def test_cors_allows_only_the_configured_origins(tmp_path):
    with _client(tmp_path, cors_origins="https://intranet.gemeente.example") as client:
        allowed = _preflight(client, "https://intranet.gemeente.example")
        other = _preflight(client, "https://elders.example")
        call = client.post("/api/feedback", json=FEEDBACK, headers={"Origin": "https://intranet.gemeente.example"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://intranet.gemeente.example"
    assert "access-control-allow-origin" not in other.headers
    assert call.headers["access-control-allow-origin"] == "https://intranet.gemeente.example"


# -- headers ---------------------------------------------------------------------------------------------
def _check_headers(response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]


def test_security_headers_on_every_kind_of_response(guarded_app, tmp_path):
    with TestClient(guarded_app) as client:
        responses = [client.get("/"), client.get("/healthz"), client.get("/docs"), client.get("/openapi.json"),
                     client.post("/api/feedback", json=FEEDBACK), client.get("/bestaat-niet"), client.get("/config")]
    with _client(tmp_path, rate_limit_per_minute=1) as client:
        responses += [client.get("/api/x") for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 401, 404, 401, 404, 429]
    for response in responses:
        _check_headers(response)
    assert responses[4].headers["cache-control"] == "no-store"  # API answers may be about pupils


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_every_script_on_a_page_carries_the_nonce_of_its_policy(guarded_app, path):
    with TestClient(guarded_app) as client:
        first, second = client.get(path), client.get(path)
    nonce = re.search(r"'nonce-([^']+)'", first.headers["content-security-policy"]).group(1)
    tags = re.findall(r"<script\b[^>]*>", first.text)
    assert tags and all(f'nonce="{nonce}"' in tag for tag in tags)
    assert int(first.headers["content-length"]) == len(first.content)
    assert nonce not in second.headers["content-security-policy"]  # a fresh nonce per page


def test_with_nonce_leaves_tagged_scripts_alone():
    html = b'<script>a()</script><script nonce="x">b()</script><scripts>'
    assert with_nonce(html, "n") == b'<script nonce="n">a()</script><script nonce="x">b()</script><scripts>'
    assert "'nonce-n'" in content_security_policy("n") and "nonce" not in content_security_policy(None)


# -- rate limit ------------------------------------------------------------------------------------------
def test_rate_limit_gives_a_dutch_429_with_retry_after(tmp_path):
    from ui.api import create_app

    app = create_app(_settings(tmp_path, rate_limit_per_minute=3), web=False)
    with TestClient(app, client=("198.51.100.1", 1)) as one, TestClient(app, client=("198.51.100.2", 1)) as other:
        statuses = [one.post("/api/feedback", json=FEEDBACK).status_code for _ in range(4)]
        limited = one.get("/api/bestaat-niet")
        health = one.get("/healthz")
        elsewhere = other.post("/api/feedback", json=FEEDBACK)
    assert statuses == [201, 201, 201, 429]
    assert limited.status_code == 429 and "maximaal 3 per minuut" in limited.json()["detail"]
    assert 1 <= int(limited.headers["retry-after"]) <= 20
    assert health.status_code == 200 and elsewhere.status_code == 201  # probes and other clients go on


def test_token_bucket_refills_over_time():
    now = [100.0]
    bucket = TokenBucket(per_minute=2, clock=lambda: now[0])
    assert bucket.take("a") == 0 and bucket.take("a") == 0
    wait = bucket.take("a")
    assert 29 < wait <= 30  # one token every 30 s
    now[0] += 30
    assert bucket.take("a") == 0 and bucket.take("b") == 0


def test_token_bucket_forgets_idle_clients():
    now = [0.0]
    bucket = TokenBucket(per_minute=10, clock=lambda: now[0], max_clients=3)
    for client in "abc":
        bucket.take(client)
    now[0] += 61
    bucket.take("d")
    assert set(bucket.buckets) == {"d"}
