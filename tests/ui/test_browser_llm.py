"""The web chat with an LLM configured, in headless Chromium: the extractive answer shows at once,
then the verified LLM answer replaces it in the same bubble; the unverified part of the model's
reply never reaches the page.

The LLM is a fake OpenAI-compatible server on loopback that streams its reply slowly (a few
seconds, like a CPU server), reached through the real ChatOpenAI client. Screenshots of both
states go to tests/artifacts/.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from fake_llm_server import FakeChatServer
from ui.runtime import GENERATING
from ui.web import LLM_NOTE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "wat heeft het college van haarlem besloten over het jeugdondersteuningsplan?"
UNVERIFIED = "De gemeente betaalt 75 procent van de reiskosten van alle ouders"

# every text the last answer bubble has shown, to check nothing unverified ever appeared
_WATCH = """() => {
  window.__wgTexts = [];
  const target = document.querySelector('#wg-chat');
  new MutationObserver(() => {
    const bots = target.querySelectorAll('.bot, [data-testid="bot"]');
    window.__wgTexts.push(bots.length ? bots[bots.length - 1].innerText : '');
  }).observe(target, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def llm_site(hash_settings):
    """The app with an assistant whose LLM is a slow fake server; yields (base URL, reply sentence)."""
    import uvicorn
    from fakes import HashEmbedder

    from assistant.answer.engine import Assistant
    from ui.api import create_app

    plain = Assistant(hash_settings, embedder=HashEmbedder()).warm_up().answer(QUESTION)
    sentence = plain.citations[1].quote.split(" … ")[0].rstrip(".")
    with FakeChatServer(reply=f"{sentence} [2]. {UNVERIFIED} [1].", chunk_delay=0.12) as llm:
        settings = hash_settings.model_copy(update={"llm_base_url": llm.url, "llm_timeout_s": 60.0})
        app = create_app(settings, Assistant(settings, embedder=HashEmbedder()))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "de testserver startte niet"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", sentence
        server.should_exit = True
        thread.join(timeout=15)


def test_the_llm_answer_replaces_the_extractive_one_in_the_same_bubble(browser, llm_site, artifacts_dir):
    url, sentence = llm_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_selector("#wg-question textarea", timeout=60_000)
    page.wait_for_function("() => document.querySelector('#wg-region input')?.value === \"Alle regio's\"",
                           timeout=60_000)
    page.evaluate(_WATCH)
    page.fill("#wg-question textarea", QUESTION)
    page.click("#wg-send")
    bots = page.locator("#wg-chat .bot, #wg-chat [data-testid='bot']")

    # at once: the extractive answer, whole, with its chips, and the note that a shorter one is coming
    page.wait_for_function(f"() => document.querySelector('#wg-chat').innerText.includes({GENERATING[:40]!r})",
                           timeout=30_000)
    pending, bubbles = bots.last.inner_text(), bots.count()
    assert "Bronnen:" in pending and "[3]" in pending and LLM_NOTE not in pending
    page.wait_for_selector("#wg-chips .wg-chip", timeout=30_000)
    chips_before = page.locator("#wg-chips .wg-chip").count()
    assert chips_before >= 3
    page.screenshot(path=str(artifacts_dir / "chat_llm_pending.png"), full_page=True)

    # then: the verified LLM answer in the same bubble, its one source as the only chip
    page.wait_for_function(f"() => document.querySelector('#wg-chat').innerText.includes({LLM_NOTE[:40]!r})",
                           timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('#wg-chips .wg-chip').length === 1", timeout=30_000)
    assert bots.count() == bubbles  # no new bubble: the same one now holds the LLM answer
    final = bots.last.inner_text()
    assert sentence[:60] in final and "[1]" in final and "[2]" not in final and GENERATING not in final
    assert page.locator("#wg-chips .wg-chip").first.inner_text().startswith("[1] ")
    texts = page.evaluate("window.__wgTexts")
    assert texts and not any(UNVERIFIED[:40] in t for t in texts), "unverified text reached the page"
    page.screenshot(path=str(artifacts_dir / "chat_llm_replaced.png"), full_page=True)
    context.close()
