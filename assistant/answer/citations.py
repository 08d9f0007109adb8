"""Citations: the one citation builder and the one quote locator of Wegwijs.

Every answer cites the passages it stands on with ``[n]``. :class:`Citations` numbers them in the
order of first use, one citation per passage (a second quote from the same passage joins the
first); :func:`locate_quote` finds the document passage that holds a quote (a record's source
line, a list item), spacing, hyphenation and bullets aside.

Example::

    citations = Citations()
    n = citations.add(chunk, "de zin waarop het antwoord steunt")
    answer = f"... [{n}]"; list(citations)
"""

from __future__ import annotations

import re

from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.text import squash
from assistant.core.types import Chunk, Citation



def cite(chunk: Chunk, n: int, quote: str) -> Citation:
    """The citation of ``chunk`` as number ``n``, resting on ``quote`` (text the passage holds)."""
    return Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title, page=chunk.page_start,
                    section=chunk.section, text=chunk.text, quote=quote)


class Citations:
    """The citations of one answer, numbered 1, 2, ... in order of first use, one per passage."""

    def __init__(self, existing: list[Citation] | None = None) -> None:
        self._items: list[Citation] = [c.model_copy() for c in existing or []]

    def add(self, chunk: Chunk, quote: str, merge: bool = False) -> int:
        """The number citing ``chunk``; a passage cited before keeps its number (with ``merge``, a
        quote that is not one of its quoted parts yet is added, so each part marks its own line)."""
        for citation in self._items:
            if citation.chunk_id == chunk.chunk_id:
                if merge and quote not in citation.quote.split(" … "):
                    citation.quote = f"{citation.quote} … {quote}"
                return citation.n
        self._items.append(cite(chunk, len(self._items) + 1, quote))
        return len(self._items)

    def merge(self, citation: Citation) -> int:
        """The number ``citation`` (of another answer) gets here: its passage's number if that is
        cited already (its quote joins), else the next one."""
        for own in self._items:
            if own.chunk_id == citation.chunk_id:
                if citation.quote not in own.quote:
                    own.quote = f"{own.quote} … {citation.quote}"
                return own.n
        self._items.append(citation.model_copy(update={"n": len(self._items) + 1}))
        return len(self._items)

    def quote(self, n: int, quote: str) -> None:
        """Set the quote of citation ``n`` (the sentences an answer took from it, in order)."""
        self._items[n - 1].quote = quote

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


# -- finding a quote ------------------------------------------------------------------------------
def locate_quote(index: Index, quote: str, doc_id: str | None = None) -> tuple[int, str] | None:
    """(passage, the part of ``quote`` it holds) for the first document passage holding the quote.

    Cleaning may have dropped a bullet ("o Inzicht ...") or a passage may end inside the quoted
    line; then the quote without its bullet, or its longer half (whole words), is looked for. A
    quote spanning table cells is found in the row holding its cells in order.
    """
    passages = [(i, text) for i, text in index.squashed_passages
                if doc_id is None or index.chunks[i].doc_id == doc_id]
    trimmed = lexicon().pattern("item_mark").sub("", quote).strip()
    words = trimmed.split()
    middle = len(words) // 2
    halves = [" ".join(words[:middle + 1]), " ".join(words[middle:])] if len(words) >= 4 else []
    for needle in (quote, trimmed, *sorted(halves, key=len, reverse=True)):
        squashed = squash(needle)
        if len(squashed) < 12:
            continue
        for i, text in passages:
            if squashed in text:
                return i, needle
    return _across_cells(quote, passages)


def _across_cells(quote: str, passages: list[tuple[int, str]]) -> tuple[int, str] | None:
    """A quote across table columns ("Platform Jeugd  Opschalingssystematiek"): the indexed row puts
    its column labels between the cells ("Wie: Platform Jeugd | Waarom: Opschalingssystematiek")."""
    raw_cells = [cell for cell in re.split(r"\s{2,}", quote.strip()) if squash(cell)]
    cells = [squash(cell) for cell in raw_cells]
    if len(cells) > 1 and sum(map(len, cells)) >= 12:
        for i, text in passages:
            at = 0
            for cell in cells:
                at = text.find(cell, at)
                if at < 0:
                    break
                at += len(cell)
            else:
                return i, " … ".join(raw_cells)  # each cell as it stands in the row
    return None
