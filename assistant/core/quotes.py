"""Finding a quote (a record's source line, a list item) in passage texts, spacing, hyphenation,
punctuation and bullets aside.

Texts are compared squashed (letters and digits only, folded: :func:`assistant.core.text.squash`).
Used by the composer to cite the passage holding a quote and by the ingest to give a curated
record the vector of the sentences it restates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.core.lexicon import lexicon
from assistant.core.text import squash

MIN_LETTERS = 12  # a shorter needle would match anywhere
CELL_JOIN = " … "  # how :func:`find_quote` joins the cells of a quote across table columns


def find_quote(passages: list[tuple[int, str]], quote: str) -> tuple[int, str] | None:
    """(key, the part of ``quote`` it holds) for the first of ``passages`` (key, squashed text)
    holding the quote.

    Cleaning may have dropped a bullet ("o Inzicht ...") or a passage may end inside the quoted
    line; then the quote without its bullet, or its longer half (whole words), is looked for. A
    quote spanning table cells is found in the row holding its cells in order; the part returned
    is then its cells joined by :data:`CELL_JOIN`.
    """
    trimmed = lexicon().pattern("item_mark").sub("", quote).strip()
    words = trimmed.split()
    middle = len(words) // 2
    halves = [" ".join(words[:middle + 1]), " ".join(words[middle:])] if len(words) >= 4 else []
    for needle in (quote, trimmed, *sorted(halves, key=len, reverse=True)):
        squashed = squash(needle)
        if len(squashed) < MIN_LETTERS:
            continue
        for key, text in passages:
            if squashed in text:
                return key, needle
    return _across_cells(quote, passages)


def _across_cells(quote: str, passages: list[tuple[int, str]]) -> tuple[int, str] | None:
    """A quote across table columns ("Platform Jeugd  Opschalingssystematiek"): the indexed row puts
    its column labels between the cells ("Wie: Platform Jeugd | Waarom: Opschalingssystematiek")."""
    raw_cells = [cell for cell in re.split(r"\s{2,}", quote.strip()) if squash(cell)]
    cells = [squash(cell) for cell in raw_cells]
    if len(cells) > 1 and sum(map(len, cells)) >= MIN_LETTERS:
        for key, text in passages:
            if _cells_at(text, cells) is not None:
                return key, CELL_JOIN.join(raw_cells)  # each cell as it stands in the row
    return None


def _cells_at(text: str, cells: list[str]) -> tuple[int, int] | None:
    """(start of the first, end of the last) of squashed ``cells`` found in order in ``text``."""
    at, first = 0, None
    for cell in cells:
        at = text.find(cell, at)
        if at < 0:
            return None
        first = at if first is None else first
        at += len(cell)
    return first, at


def quote_extent(squashed_text: str, part: str) -> tuple[int, int] | None:
    """(start, end) in ``squashed_text`` of ``part`` as :func:`find_quote` returned it."""
    cells = [squash(cell) for cell in part.split(CELL_JOIN)]
    cells = [c for c in cells if c]
    return _cells_at(squashed_text, cells) if cells else None


@lru_cache(maxsize=8192)
def squashed_positions(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` squashed character by character, and for each letter of the result the offset in
    ``text`` it comes from (cached: the composer locates quotes in the same passages again and again)."""
    parts: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        letters = _squashed_char(ch)
        if letters:
            parts.append(letters)
            positions.extend([i] * len(letters))
    return "".join(parts), tuple(positions)


@lru_cache(maxsize=None)
def _squashed_char(ch: str) -> str:
    return squash(ch)
