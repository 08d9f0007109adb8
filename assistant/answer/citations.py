"""Citations: the one citation builder and the one quote locator of Wegwijs.

Every answer cites the passages it stands on with ``[n]``. :class:`Citations` numbers them in the
order of first use, one citation per passage (a second quote from the same passage joins the
first); :func:`locate_quote` finds the document passage that holds a quote (a record's source
line, a list item), spacing, hyphenation and bullets aside; :func:`with_origins` adds, for a cited
inventory record, the plan passage it restates.

Example::

    citations = Citations()
    n = citations.add(chunk, "de zin waarop het antwoord steunt")
    answer = f"... [{n}]"; list(citations)
"""

from __future__ import annotations

import re

import numpy as np

from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.text import squash
from assistant.core.types import Chunk, Citation, Composition

MAX_ORIGINS = 3  # cited records that bring their plan passage along
_BRONTEKST = re.compile(r"Brontekst: (.+)$", re.S)


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


# -- a record's origin ------------------------------------------------------------------------------
def with_origins(composition: Composition, index: Index, query_vector: np.ndarray | None = None) -> Composition:
    """Each cited inventory record brings the document passage it rests on as a citation of its own.

    A record restates lines of a plan; the coach should read the line in the plan itself. For at
    most ``MAX_ORIGINS`` cited records the answer gains "In het document: “quote” [m]", citing the
    document passage that holds one of the record's source quotes: with the query vector, the
    quote whose passage has the sentence closest to the question; without, the first. A passage is
    cited once, even if several records share it.
    """
    if composition.refused:
        return composition
    records = [c for c in composition.citations if c.chunk_id.startswith("inv-")]
    if not records or len(records) > MAX_ORIGINS:
        return composition
    citations = Citations(composition.citations)
    cited = {c.chunk_id for c in composition.citations}
    lines = []
    for record in records:
        quotes = re.findall(r"“([^”]+)”", (_BRONTEKST.search(record.text) or [None, ""])[1])
        # (passage, the part of the quote it holds: what is shown must stand in the cited passage)
        located = [found for quote in quotes if (found := locate_quote(index, quote)) is not None]
        if query_vector is not None and len(located) > 1:
            located.sort(key=lambda item: -closeness(index, item[0], query_vector))
        for ci, quote in located[:1]:
            chunk = index.chunks[ci]
            if chunk.chunk_id in cited:
                continue
            n = citations.add(chunk, quote)
            cited.add(chunk.chunk_id)
            lines.append(f"- In het document ({page_text(chunk)}): “{quote}” [{n}]")
    if not lines:
        return composition
    return Composition("\n".join([composition.answer, *lines]), list(citations), composition.refused,
                       composition.support, composition.reason, composition.refusal_rule, composition.route)


def closeness(index: Index, chunk_index: int, query_vector: np.ndarray) -> float:
    """Cosine of the question with the passage's closest sentence (vectors precomputed at ingest)."""
    _, vectors = index.sentences_of(chunk_index)
    return float((vectors @ query_vector).max()) if len(vectors) else 0.0


def page_text(chunk: Chunk) -> str:
    return f"{chunk.title}, p. {chunk.page_start}" if chunk.page_start else chunk.title
