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

from assistant.core.index import Index
from assistant.core.quotes import find_quote
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
    """(passage, the part of ``quote`` it holds) for the first document passage holding the quote
    (:func:`assistant.core.quotes.find_quote`), in ``doc_id`` when given."""
    passages = [(i, text) for i, text in index.squashed_passages
                if doc_id is None or index.chunks[i].doc_id == doc_id]
    return find_quote(passages, quote)
