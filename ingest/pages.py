"""Recover page breaks in text that was extracted from a PDF without form feeds.

Evidence from the corpus (see tests/ingest/test_pages.py):

* a PDF page starts on a line that begins with exactly one space and then a non-space
  (`` Visie op samenwerking``); the same shape also appears on hanging-indent continuation
  lines (`` voorzieningen;`` after ``b. Verdelen ... ondersteunings-``), which are rejected;
* running footers carry the printed page number glued to the title
  (``22Ondersteuningsplan 2019 | 2022``) and some documents print a lone page number (``6``);
  both end a page and calibrate the page numbers, so pages that the extraction lost (a cover,
  a page holding only a picture) do not shift every later citation.
"""

from __future__ import annotations

import re
from collections import Counter

_PAGE_START = re.compile(r"^ (?! )\S")
_SENTENCE_END = re.compile(r"[.!?:…”’\"')]\s*$")
_BULLET = re.compile(r"^\s*(?:[•▪◦·\-–*o]\s|\d{1,2}[.)]\s|[a-z][.)]\s|\.\s)")
_LONE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_GLUED_FOOTER = re.compile(r"^\s*(\d{1,3})(?=[A-Z])(\S.{4,70}?)\s*$")


def footer_key(line: str) -> str | None:
    """The running title of a footer line with a glued page number, else None."""
    match = _GLUED_FOOTER.match(line)
    return match.group(2).strip() if match else None


def running_footers(lines: list[str]) -> set[str]:
    """Titles that occur at least twice with a glued page number: the document's running footer."""
    counts = Counter(key for key in map(footer_key, lines) if key)
    return {key for key, n in counts.items() if n >= 2}


def is_footer_line(line: str, footers: set[str]) -> bool:
    key = footer_key(line)
    return key is not None and key in footers


def _is_page_start(lines: list[str], i: int, accepted: set[int]) -> bool:
    line = lines[i]
    if not _PAGE_START.match(line):
        return False
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0:
        return True
    prev = lines[j]
    body = line[1:]
    # a run of single-space-indented lines is a hanging indent, not a new page per line
    if j in accepted and _PAGE_START.match(prev):
        return False
    starts_low = body[:1].islower() or body[:1] in "(" or body[:1].isdigit() and not re.match(r"\d+(?:\.\d+)*\.?\s*[A-Z]", body)
    if starts_low and not _SENTENCE_END.search(prev) and not _LONE_NUMBER.match(prev):
        return False
    if body.startswith(". "):
        return False
    # an indented list item after a line announcing or continuing a list
    if _BULLET.match(body) and (prev.rstrip().endswith((":", ";")) or _BULLET.match(prev.lstrip())):
        return False
    return True


def split_pages(text: str) -> list[str]:
    """Split PDF-extracted text into pages: ``result[i]`` is the text of page ``i + 1``.

    Page numbers are calibrated on printed page numbers where the text has them; a page the
    extraction lost (cover, picture-only page) is an empty string.
    """
    lines = text.split("\n")
    footers = running_footers(lines)
    starts: list[int] = []
    accepted: set[int] = set()
    ends_after: set[int] = set()  # lines that end a page (footer or lone page number)
    anchors: dict[int, int] = {}  # line index -> printed page number of the page it ends
    lone: dict[int, int] = {}
    for i, line in enumerate(lines):
        if i and _is_page_start(lines, i, accepted):
            accepted.add(i)
            starts.append(i)
        if is_footer_line(line, footers):
            ends_after.add(i)
            anchors[i] = int(_GLUED_FOOTER.match(line).group(1))
        elif _LONE_NUMBER.match(line) and _isolated(lines, i):
            lone[i] = int(_LONE_NUMBER.match(line).group(1))
    # a lone number is a printed page number only where it fits the running page count
    for i, number in sorted(lone.items()):
        regions_before = 1 + sum(1 for s in starts if s <= i) + sum(1 for e in ends_after if e < i)
        known = [(k, v) for k, v in anchors.items() if k < i]
        base = max(known)[1] + regions_before - _regions_upto(starts, ends_after, max(known)[0]) if known else regions_before
        if base <= number <= base + 4:
            ends_after.add(i)
            anchors[i] = number
    cuts = sorted(set(starts) | {i + 1 for i in ends_after if i + 1 < len(lines)})
    bounds = [0, *[c for c in cuts if c > 0], len(lines)]
    pages: list[str] = []
    page_anchor: list[int | None] = []
    for a, b in zip(bounds, bounds[1:]):
        if a >= b:
            continue
        chunk = lines[a:b]
        pages.append("\n".join(chunk))
        found = [anchors[k] for k in range(a, b) if k in anchors]
        page_anchor.append(found[-1] if found else None)
    numbers = _calibrate(page_anchor)
    by_number: dict[int, list[str]] = {}
    for page, number in zip(pages, numbers):
        by_number.setdefault(number, []).append(page)
    if not by_number:
        return [text]
    last = max(by_number)
    # pages[i] is page i + 1; pages the extraction lost stay empty
    return ["\n".join(by_number.get(number, [])) for number in range(1, last + 1)]


def _regions_upto(starts: list[int], ends_after: set[int], i: int) -> int:
    return 1 + sum(1 for s in starts if s <= i) + sum(1 for e in ends_after if e < i)


def _isolated(lines: list[str], i: int) -> bool:
    """A lone number with blank lines (or the text edge) around it."""
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before and after


def _calibrate(anchors: list[int | None]) -> list[int]:
    """Number the regions 1..n, moved onto printed page numbers where they are plausible.

    A printed number is accepted when it is at least the running count and at most 15 pages
    ahead of it (extraction may lose pages, e.g. picture-only ones, never invent them); numbers
    between two
    accepted anchors are interpolated and never decrease (two regions may share a page when a
    hanging indent was taken for a page start).
    """
    n = len(anchors)
    numbers = list(range(1, n + 1))
    accepted: list[tuple[int, int]] = []
    expected = 1
    for idx, printed in enumerate(anchors):
        expected = (accepted[-1][1] + idx - accepted[-1][0]) if accepted else idx + 1
        if printed is not None and expected <= printed <= expected + 15:
            accepted.append((idx, printed))
    if not accepted:
        return numbers
    first_idx, first_num = accepted[0]
    for idx in range(n):
        prev = [(i, p) for i, p in accepted if i <= idx]
        nxt = [(i, p) for i, p in accepted if i > idx]
        if prev:
            i0, p0 = prev[-1]
            value = p0 + (idx - i0)
            if nxt:
                i1, p1 = nxt[0]
                value = min(value, p1 - (i1 - idx))
            numbers[idx] = value
        else:
            numbers[idx] = first_num - (first_idx - idx)
    numbers = [max(1, x) for x in numbers]
    for idx in range(1, n):
        numbers[idx] = max(numbers[idx], numbers[idx - 1])
    return numbers
