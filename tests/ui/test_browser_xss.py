"""Document text and questions are shown, never run: the web chat in a real headless Chromium.

A small corpus holds a plan whose text and title carry ``<script>`` and ``<img onerror>``; it is
ingested with the fake embedder and served on loopback. A coach asks a question that holds HTML
too. Nothing may run (the payloads set ``window.__xss`` and open a dialog), and the text must read
literally in the chat bubble, the citation chip and the source panel. A second server asks for a
login first. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import threading
import time

import pytest
import yaml
from pydantic import SecretStr

from fakes import HashEmbedder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCRIPT = "<script>window.__xss='script';alert(1)</script>"
IMG = "<img src=x onerror=\"window.__xss='img';alert(2)\">"
TITLE = "Plan <b>vet</b> & <script>window.__xss='titel'</script>"
QUESTION = "Wie belt de ouders van <b>thuiszitters</b>? <img src=x onerror=\"window.__xss='vraag';alert(3)\">"
PLAN = (f"Thuiszitters en het lokaal team\n\nVoor thuiszitters geldt dat het lokaal team de aanmelding oppakt {SCRIPT} "
        f"binnen twee weken.\nHet lokaal team belt de ouders van thuiszitters {IMG} en maakt een plan met de school.\n"
        "Daarna volgt een overleg met de leerplichtambtenaar over de thuiszitters en het aanbod.\n") * 3


def _serve(app):
    import socket

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="wegwijs-xss-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("de testserver startte niet")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def hostile_settings(tmp_path_factory):
    from assistant.core.settings import Settings
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("xss")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    manifest = {"documents": [{"doc_id": "plan", "file": "plan.txt", "title": TITLE, "region": "Testregio",
                               "gemeenten": ["Testdorp"], "year": "2024", "doc_type": "plan"}]}
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    settings = Settings(data_dir=root / "data", corpus_dir=corpus, rate_limit_per_minute=0)
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    return settings


@pytest.fixture(scope="module")
def server_for(hostile_settings):
    """Start the full app (API + web chat) for given extra settings; stopped at the end of the module."""
    from assistant.answer.engine import Assistant
    from ui.api import create_app

    assistant = Assistant(hostile_settings, embedder=HashEmbedder()).warm_up()
    running = []

    def start(**overrides) -> str:
        server, thread, url = _serve(create_app(hostile_settings.model_copy(update=overrides), assistant))
        running.append((server, thread))
        return url

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=15)


def _watched_page(browser, url: str):
    """A page that records dialogs, CSP violations and requests leaving the server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    seen = {"dialogs": [], "csp": [], "foreign": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: None if r.url.startswith((url, "data:", "blob:")) else seen["foreign"].append(r.url))
    return context, page, seen


def test_html_in_documents_and_questions_is_shown_not_run(browser, server_for, artifacts_dir):
    url = server_for()
    context, page, seen = _watched_page(browser, url)
    page.goto(url + "/")
    page.wait_for_selector("#wg-question textarea", timeout=60_000)
    page.wait_for_function("() => document.querySelector('#wg-region input')?.value === \"Alle regio's\"",
                           timeout=30_000)
    page.fill("#wg-question textarea", QUESTION)
    page.click("#wg-send")
    page.wait_for_selector("#wg-chips .wg-chip", timeout=60_000)
    page.wait_for_function("() => document.querySelector('#wg-chat').innerText.includes('Bronnen:')", timeout=30_000)
    chip = page.locator("#wg-chips .wg-chip").first
    chip_text = chip.inner_text()
    chip.click()
    page.wait_for_selector("#wg-source-panel mark", timeout=30_000)
    page.wait_for_timeout(500)  # give any injected handler (an image error) time to fire

    chat = page.inner_text("#wg-chat")
    panel = page.inner_text("#wg-source-panel")
    page.screenshot(path=str(artifacts_dir / "xss_literal.png"), full_page=True)
    assert page.evaluate("window.__xss") is None, "an injected script or handler ran"
    assert seen["dialogs"] == []
    # the question, the answer's quote and the title read as typed, tags and all
    assert "Wie belt de ouders van <b>thuiszitters</b>?" in chat and "onerror=\"window.__xss='vraag'" in chat
    assert IMG in chat and "Plan <b>vet</b> &" in chat
    assert chip_text.startswith("[1] Plan <b>vet</b> &")
    assert IMG in panel and SCRIPT in panel and TITLE in panel
    # nothing of it became an element
    for where in ("#wg-chat", "#wg-source-panel", "#wg-chips"):
        assert page.locator(f"{where} img[src='x'], {where} b, {where} script").count() == 0, where
    assert seen["csp"] == [], "the security policy blocked part of the page itself"
    assert seen["foreign"] == []
    context.close()


def test_the_web_chat_asks_for_a_login_when_set(browser, server_for, artifacts_dir):
    url = server_for(web_users=SecretStr("coach:geheim-wachtwoord"))
    context, page, seen = _watched_page(browser, url)
    page.goto(url + "/")
    page.wait_for_selector("input[type='password']", timeout=60_000)
    assert page.locator("#wg-question").count() == 0
    assert "Log in om Wegwijs te gebruiken." in page.inner_text("body")
    page.screenshot(path=str(artifacts_dir / "login.png"), full_page=True)
    page.get_by_label("Gebruikersnaam").fill("coach")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(artifacts_dir / "login_wrong.png"), full_page=True)
    assert page.locator("#wg-question").count() == 0 and "Onjuiste inloggegevens" in page.inner_text("body")
    page.get_by_label("Gebruikersnaam").fill("coach")  # the form starts empty again
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector("#wg-question textarea", timeout=60_000)
    assert seen["csp"] == [] and seen["foreign"] == []
    context.close()
