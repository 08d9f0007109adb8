"""Find the page furniture of a paged document: what a PDF prints around the text on every page.

Running headers and footers are found by **repetition**, not by a list of known phrases: a line
is furniture when the same line, digits masked (``Handleiding Werkwijze maart 2024`` ->
``handleiding werkwijze maart #``, ``12/46`` -> ``#/#``), stands at the top or bottom edge of
many pages. The thresholds were fitted by counting, for every masked edge line of the nine
development documents (five seeds, four external-dev PDFs) and two unrelated PDFs, on how many
pages it stands:

* furniture stands on 91-100 % of the pages (``handleiding werkwijze maart #`` 46 of 47, the
  page numbers of two reports 24 of 25 and 10 of 11) or on a run of consecutive pages
  (a chapter header: ``appendix a: copying information #`` on 7 pages in a row);
* the most repeated non-furniture edge line stands on 25 % of the pages of a short document
  (``wat niet hoeft.``, 2 of 8) and on at most 3 pages (``inleiding``, 3 of 47) and never on
  more than 2 consecutive pages (``bijlage #``, ``samenvatting deeltafel``).

Hence: at least :data:`MIN_PAGES` pages and :data:`MIN_SHARE` of them, or a run of
:data:`MIN_RUN` consecutive pages. A real heading that happens to stand at a page top twice
is kept. Without repetition (a one-page document) only unmistakable shapes go: a page counter
(``12/46``, ``pagina 3 van 20``) or a print timestamp (``22-12-2025 14:03``, ``Afgedrukt op
...``) at a page edge. Table header lines (``Actie  Wie  Waarom``) repeated on every page of
a long table are left to the table reader, which needs them.

Example::

    furniture = find_furniture(raw.pages)
    drop = furniture_lines(raw.pages[4], furniture)   # indices into pages[4].split("\\n")
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ingest.tables import header_columns
from ingest.textrules import normalize_unicode

EDGE_LINES = 3  # non-empty lines at the top and at the bottom of a page that count as its edge
MIN_PAGES = 3
MIN_SHARE = 0.30
MIN_RUN = 4
MAX_FURNITURE_CHARS = 160

# Generic words that announce a print timestamp; a data table, not phrases of one plan.
PRINT_WORDS = ("afgedrukt", "geprint", "gedrukt op", "printdatum", "datum afdruk", "printed")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep",
    "sept", "okt", "nov", "dec",
)

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_COUNTER = re.compile(
    r"^[-–(\[]?\s*(?:pagina|pag\.?|blz\.?|page|p\.)?\s*\d{1,3}\s*(?:(?:/|van|of|\|)\s*\d{1,3})?\s*[-–)\]]?$",
    re.IGNORECASE,
)
_NUMERIC_DATE = r"\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*uur)?"


@dataclass(frozen=True)
class Furniture:
    """Masked lines that are page furniture of one document, and why (for inspection)."""

    keys: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()
    evidence: dict[str, int] = field(default_factory=dict, compare=False)  # key -> pages it is on


def mask_line(line: str) -> str:
    """The line as repetition sees it: spaces collapsed, digits masked, lower case."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", normalize_unicode(line).strip())).lower()


def _nonempty(page: str) -> list[tuple[int, str]]:
    return [(i, line) for i, line in enumerate(page.split("\n")) if line.strip()]


def _edge(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    if len(lines) <= 2 * EDGE_LINES:
        return lines
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def _longest_run(pages: list[int]) -> int:
    best = run = 1 if pages else 0
    for a, b in zip(pages, pages[1:]):
        run = run + 1 if b == a + 1 else 1
        best = max(best, run)
    return best


def _candidate(line: str, key: str) -> bool:
    """A line that may be furniture at all: short, has letters or digits, no table header."""
    if not key or len(key) > MAX_FURNITURE_CHARS or not re.search(r"[\w#]", key):
        return False
    return header_columns(normalize_unicode(line)) is None


def is_repeated(pages_on: list[int], page_count: int) -> bool:
    """The repetition rule: enough pages, a large enough share of them, or a long run."""
    n = len(pages_on)
    if n >= MIN_PAGES and n >= math.ceil(MIN_SHARE * page_count):
        return True
    return n >= MIN_PAGES and _longest_run(pages_on) >= MIN_RUN


def find_furniture(pages: list[str]) -> Furniture:
    """The running headers, footers and repeated web addresses of a paged document.

    Args:
        pages: ``pages[i]`` is the raw text of page ``i + 1``; empty pages do not count.
    """
    ordinal = {}  # page index -> position among the non-empty pages, so runs skip empty pages
    edge_pages: dict[str, set[int]] = defaultdict(set)
    url_pages: dict[str, set[int]] = defaultdict(set)
    for index, page in enumerate(pages):
        lines = _nonempty(page)
        if not lines:
            continue
        ordinal[index] = len(ordinal)
        for _, line in _edge(lines):
            key = mask_line(line)
            if _candidate(line, key):
                edge_pages[key].add(ordinal[index])
        for _, line in lines:
            key = mask_line(line)
            if _URL.search(key) and _candidate(line, key):
                url_pages[key].add(ordinal[index])
    count = len(ordinal)
    keys = {k for k, on in edge_pages.items() if is_repeated(sorted(on), count)}
    urls = {k for k, on in url_pages.items() if is_repeated(sorted(on), count)}
    evidence = {k: len(edge_pages.get(k) or url_pages.get(k, ())) for k in keys | urls}
    return Furniture(keys=frozenset(keys), urls=frozenset(urls), evidence=evidence)


def is_page_counter(line: str) -> bool:
    """``12/46``, ``pagina 3 van 20``, ``- 7 -``, ``Blz. 4``, a lone ``12``."""
    text = normalize_unicode(line).strip()
    return bool(text) and bool(_COUNTER.match(text)) and any(c.isdigit() for c in text)


def is_print_timestamp(line: str) -> bool:
    """A line that only says when the page was printed: ``22-12-2025 14:03``, ``Afgedrukt op
    3 maart 2025``; a date alone (``1 maart 2024`` on a cover) is not one."""
    text = normalize_unicode(line).strip().lower()
    months = "|".join(MONTHS)
    word_date = rf"\d{{1,2}}\s+(?:{months})\.?\s+\d{{4}}"
    date = rf"(?:{_NUMERIC_DATE}|{word_date})"
    if re.fullmatch(rf"(?:\w+dag\s+)?{date},?\s+(?:om\s+)?{_TIME}", text):
        return True
    if re.fullmatch(rf"{_TIME},?\s+{date}", text):
        return True
    if any(text.startswith(word) for word in PRINT_WORDS) and re.search(rf"{date}|{_TIME}", text):
        return len(text) <= 60
    return False


def furniture_lines(page: str, furniture: Furniture) -> set[int]:
    """Indices into ``page.split("\\n")`` of the lines that are furniture on this page.

    Repeated keys and shapes are dropped only at the page edge, so the same words inside the
    text (a heading that repeats the running title) stay; repeated web addresses anywhere.
    """
    lines = _nonempty(page)
    drop: set[int] = set()
    for i, line in _edge(lines):
        key = mask_line(line)
        if key in furniture.keys or is_page_counter(line) or is_print_timestamp(line):
            drop.add(i)
    for i, line in lines:
        if mask_line(line) in furniture.urls:
            drop.add(i)
    return drop
