"""Helpers of the browser tests: headless Debian Chromium, and a page of the web chat opened and wired.

The ``browser`` fixture itself lives in ``tests/ui/conftest.py``.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def open_page(browser, url: str, width: int, height: int):
    """A new page on the web chat at ``url``, once the region list is filled; returns (context, page,
    the list of requests the page made to anywhere but the server)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL",
                                  device_scale_factor=1)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((url, "data:", "blob:")) else foreign.append(r.url))
    page.goto(url + "/")
    page.wait_for_selector("#wg-question textarea", timeout=60_000)
    # the region list is filled on load: wait for it, so the page is fully wired
    page.wait_for_function("() => document.querySelector('#wg-region input')?.value === \"Alle regio's\"",
                           timeout=30_000)
    return context, page, foreign
