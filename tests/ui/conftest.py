"""Fixtures for the API and browser tests: one real index on a small real corpus, built per session.

The corpus is a copy of two real documents (the Zuid-Kennemerland plan and the Haarlem decision)
with their manifest entries and the real inventories, indexed with the real bundled embedder in
a temporary folder. Nothing of our own core is mocked.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from support import small_corpus

SUBSET = ["zk-jeugdondersteuningsplan.txt", "haarlem-collegebesluit-jop-2022.md"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory, corpus_dir):
    """Settings with a freshly built index of the subset corpus (a few minutes, once per session)."""
    from assistant.core.settings import Settings
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("wegwijs-ui")
    settings = Settings(data_dir=root / "data", corpus_dir=small_corpus(corpus_dir, root / "corpus", SUBSET, inventories=True),
                        rate_limit_per_minute=0)  # many requests from one test client; the limit has its own tests
    report = run_ingest(settings, progress=False)
    assert report.documents == len(SUBSET), report.summary()
    return settings


@pytest.fixture(scope="session")
def hash_settings(tmp_path_factory, corpus_dir):
    """A real index of one real document built with the fake :class:`HashEmbedder` (seconds, not minutes),
    for tests of the plumbing around the assistant (access, feedback, logs, index swaps)."""
    from fakes import HashEmbedder

    from assistant.core.settings import Settings
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("wegwijs-hash")
    settings = Settings(data_dir=root / "data", corpus_dir=small_corpus(corpus_dir, root / "corpus", [SUBSET[1]]),
                        rate_limit_per_minute=0, index_check_interval_s=0)
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    return settings


@pytest.fixture(scope="session")
def hash_assistant(hash_settings):
    from fakes import HashEmbedder

    from assistant.answer.engine import Assistant

    return Assistant(hash_settings, embedder=HashEmbedder()).warm_up()


@pytest.fixture(scope="session")
def ui_assistant(ui_settings):
    from assistant.answer.engine import Assistant

    return Assistant(ui_settings).warm_up()


@pytest.fixture(scope="session")
def api_app(ui_settings, ui_assistant):
    """The full app (API + web chat) around the session's warm assistant."""
    from ui.api import create_app

    return create_app(ui_settings, ui_assistant)


@pytest.fixture()
def client(api_app):
    from fastapi.testclient import TestClient

    with TestClient(api_app, raise_server_exceptions=False) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def loopback_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def live_server(api_app):
    """The real app served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(api_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="wegwijs-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("de testserver startte niet")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright (browser tests only)."""
    from playwright.sync_api import sync_playwright

    from browser_support import ARGS, CHROMIUM

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()
