"""The answer shapes as a coach meets them in the web chat: one question per kind of answer, in a
real headless Chromium against the real server on loopback, with a screenshot of each
(tests/artifacts/answer_<kind>.png, git-ignored).

Each answer opens with the sentence that answers (the list's title and size, the team to call,
the party, the number, or in one sentence what the sources do not hold), shows no record labels
or dump lines, and cites its sources.
"""

from __future__ import annotations

import re

import pytest

from evals.readability import first_sentence, fragment
from browser_support import open_page as _open

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHAPES = [  # (kind, question, what the first sentence must say); the ui tests index two Zuid-Kennemerland plans
    ("list", "welke gewenste bewegingen noemt het plan in zuid-kennemerland?", re.compile(r"\(\d+\)")),
    ("contact", "leerling woont in heemstede en zit op school in haarlem, welk lokaal team?",
     re.compile(r"^Neem voor .+ contact op met .+")),
    ("responsible_party", "wie pakt in zk de 5a vrijstellingen op?", re.compile(r"Leerplein")),
    ("fact", "wanneer heeft het college van haarlem ingestemd met het jeugdondersteuningsplan?",
     re.compile(r"25 januari 2022")),
    ("refusal", "wat kost een schoolreisje in zuid-kennemerland?", re.compile(r"^De bronnen die Wegwijs kent ")),
]


def _last_answer(page, asked: int) -> str:
    """The text of the bot's last bubble once the ``asked``-th answer has its sources listed."""
    page.wait_for_function(
        """(n) => { const bots = document.querySelectorAll('#wg-chat .bot, #wg-chat [data-testid="bot"]');
                    return bots.length >= n && bots[bots.length - 1].innerText.includes('Bronnen:'); }""",
        arg=asked, timeout=90_000)
    bots = page.locator("#wg-chat .bot, #wg-chat [data-testid='bot']")
    return bots.nth(bots.count() - 1).inner_text()


@pytest.mark.parametrize("kind, question, lead", SHAPES, ids=[s[0] for s in SHAPES])
def test_each_kind_of_answer_leads_with_the_answer(browser, live_server, artifacts_dir, kind, question, lead):
    context, page, foreign = _open(browser, live_server, 1280, 900)
    page.fill("#wg-question textarea", question)
    page.click("#wg-send")
    shown = _last_answer(page, 1)
    body = shown.split("Bronnen:", 1)[0].strip()
    first = first_sentence(body)
    assert lead.search(first), f"{kind}: the first sentence does not answer: {first!r}"
    assert fragment(body) is None, f"{kind}: a machine fragment in {body!r}"
    assert not body.startswith(("Dit zeggen de bronnen", "Volgens ")), body
    assert re.search(r"\[\d+(?:, \d+)*\]", body), "every answer cites its sources"
    page.screenshot(path=str(artifacts_dir / f"answer_{kind}.png"), full_page=True)
    assert not foreign, foreign
    context.close()
