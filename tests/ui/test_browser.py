"""The web chat in a real headless Chromium against the real server on loopback.

Drives the page as a coach would: asks a question, watches the answer stream in, opens a citation
and reads the marked passage, uses "Wie moet ik inschakelen?", gives a thumbs up, and does the same
at phone width. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from browser_support import open_page as _open

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "wie pakt in zk de 5a vrijstellingen op?"
CHIP = re.compile(r"^\[1\] .+, p\. \d+")

# Records every text length the chat shows, so the test can see the answer grow (streaming).
_WATCH_CHAT = """() => {
  window.__wgLengths = [];
  const target = document.querySelector('#wg-chat');
  new MutationObserver(() => {
    const bots = target.querySelectorAll('.bot, [data-testid="bot"]');
    const last = bots.length ? bots[bots.length - 1].innerText : '';
    window.__wgLengths.push(last.length);
  }).observe(target, {subtree: true, childList: true, characterData: true});
}"""


def _ask(page, question: str) -> None:
    page.evaluate(_WATCH_CHAT)
    page.fill("#wg-question textarea", question)
    page.click("#wg-send")
    page.wait_for_selector("#wg-chips .wg-chip", timeout=60_000)


def _open_first_chip(page) -> str:
    chip = page.locator("#wg-chips .wg-chip").first
    label = chip.inner_text().strip()
    chip.click()
    page.wait_for_selector("#wg-source-panel mark", timeout=30_000)
    return label


def test_chat_streams_an_answer_with_a_citation_that_opens(browser, live_server, artifacts_dir, ui_settings):
    context, page, foreign = _open(browser, live_server, 1280, 900)
    assert page.title().startswith("Wegwijs")
    assert page.evaluate("document.documentElement.lang") == "nl"
    _ask(page, QUESTION)

    lengths = page.evaluate("window.__wgLengths")
    growing = sorted(set(lengths))
    assert len(growing) >= 4, f"the answer should appear in pieces, saw lengths {growing}"
    chat = page.inner_text("#wg-chat")
    assert QUESTION in chat and "[1]" in chat and "Bronnen:" in chat

    label = _open_first_chip(page)
    assert CHIP.match(label), label
    panel = page.inner_text("#wg-source-panel")
    title = label.split("] ", 1)[1].rsplit(",", 1)[0].rstrip("…")
    assert title in panel
    page_no = re.search(r"p\. (\d+)$", label).group(1)
    assert f"p. {page_no}" in panel and "Sectie:" in panel
    marked = page.locator("#wg-source-panel mark").first.inner_text()
    assert len(marked) > 20 and marked in page.locator("#wg-source-panel .wg-passage").first.inner_text()
    if "inventaris" in panel:  # a cited inventory record also shows the document text it rests on
        assert page.locator("#wg-source-panel .wg-source .wg-source mark").count() >= 1
    page.screenshot(path=str(artifacts_dir / "chat_citation.png"), full_page=True)

    # thumbs up on the answer is stored as feedback from the web
    with sqlite3.connect(ui_settings.feedback_db) as conn:
        before = conn.execute("SELECT COUNT(*) FROM feedback WHERE source = 'web'").fetchone()[0]
    page.locator("#wg-chat").get_by_role("button", name="Vind ik leuk", exact=True).last.click()
    page.wait_for_timeout(1500)
    with sqlite3.connect(ui_settings.feedback_db) as conn:
        rows = conn.execute("SELECT question, rating FROM feedback WHERE source = 'web' ORDER BY id").fetchall()
    assert len(rows) == before + 1 and rows[-1][0] == QUESTION and rows[-1][1] in ("up", "down")

    # a follow-up goes through with the history
    _ask(page, "en wanneer gebeurt dat?")
    assert page.locator("#wg-chat .bot, #wg-chat [data-testid='bot']").count() >= 2
    assert not foreign, f"the page loaded something from outside the server: {foreign}"
    context.close()


def _choose(page, field: str, value: str) -> None:
    box = page.locator(f"#{field} input")
    box.click()
    listbox = page.locator("#" + box.get_attribute("aria-controls"))  # this dropdown's own option list
    listbox.get_by_role("option", name=value, exact=True).click()
    page.wait_for_function(f"() => document.querySelector('#{field} input').value === {value!r}")


def test_contact_view_shows_a_route_with_its_source(browser, live_server, artifacts_dir):
    context, page, foreign = _open(browser, live_server, 1280, 900)
    page.get_by_role("tab", name="Wie moet ik inschakelen?").click()
    _choose(page, "wg-woon", "Haarlem")
    _choose(page, "wg-school", "Heemstede")
    page.click("#wg-route-btn")
    page.wait_for_selector("#wg-route .wg-route-first", timeout=30_000)
    route = page.inner_text("#wg-route")
    assert "woont in Haarlem" in route and "school in Heemstede" in route
    assert "eerste stap" in route.lower() and page.locator("#wg-route .wg-route-first .wg-route-party").count() == 1
    # the other routes are folded away until the school opens them
    more = page.locator("#wg-route details.wg-route-more")
    assert more.count() == 1 and not page.locator("#wg-route .wg-route-list li").first.is_visible()
    page.screenshot(path=str(artifacts_dir / "contact_first_step.png"), full_page=True)
    more.locator("summary").click()
    assert page.locator("#wg-route .wg-route-list li").first.is_visible()
    assert "woongemeente (Haarlem)" in page.inner_text("#wg-route")
    assert "Bronnen" in route and "Jeugdondersteuningsplan Zuid-Kennemerland" in route

    chip = page.locator("#wg-route-chips .wg-chip").first
    assert CHIP.match(chip.inner_text().strip())
    chip.click()
    page.wait_for_selector("#wg-route-panel mark", timeout=30_000)
    assert "Jeugdondersteuningsplan Zuid-Kennemerland" in page.inner_text("#wg-route-panel")
    page.screenshot(path=str(artifacts_dir / "contact_route.png"), full_page=True)
    assert not foreign, foreign
    context.close()


def test_phone_width(browser, live_server, artifacts_dir):
    context, page, foreign = _open(browser, live_server, 390, 844)
    _ask(page, QUESTION)
    _open_first_chip(page)
    assert page.locator("#wg-source-panel mark").first.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 392, f"the page scrolls sideways at phone width ({overflow}px)"
    assert page.get_by_role("tab", name="Wie moet ik inschakelen?").is_visible()
    page.screenshot(path=str(artifacts_dir / "phone_chat.png"), full_page=True)
    assert not foreign, foreign
    context.close()
