"""Vectors of the enumeration records, taken from the sentences they restate.

An enumeration record (lists.yaml) restates a whole list of a plan: its quotes are the list's
lines. Dense search leaves it out (:func:`assistant.core.index.searched_densely`), so its vector
only serves the sentence scoring of the composer, and the normalised mean of the vectors of the
indexed document sentences that hold its quotes does that without an embedding pass (the lists
were 32k of the 70k tokens of the five plans' records). An enumeration record none of whose quotes
is found (its document failed to load, or cleaning changed the line beyond recognition) is
embedded by itself, through the vector cache, as every other record is: their own wording matters
to dense search (derived vectors for all records lowered calibration must_include 0.846 -> 0.802).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.core.index import passage_for_embedding
from assistant.core.quotes import find_quote, quote_extent
from assistant.core.records import Source, is_enumeration
from assistant.core.text import squash
from assistant.core.types import Chunk, DocState
from ingest.index_writer import DocPayload
from ingest.vector_cache import VectorCache, embed_texts


@dataclass
class _Sentences:
    """One document's passages squashed, with where each sentence lies in its passage's squashed text."""

    passages: list[tuple[int, str]]  # (chunk position, squashed text)
    pieces: list[list[tuple[int, int, int]]]  # per chunk: (start, end, sentence row) in its squashed text
    vectors: np.ndarray  # the payload's sentence vectors


def _sentences(payload: DocPayload) -> _Sentences:
    """The squashed passages of a document, each the concatenation of its squashed sentences and
    the gaps between them, so a quote found in it maps back to the sentences it overlaps."""
    passages, pieces, row = [], [], 0
    for i, (chunk, spans) in enumerate(zip(payload.chunks, payload.sentence_spans)):
        text, parts, squashed, length, done = chunk.text, [], [], 0, 0
        for a, b in spans:
            gap, sentence = squash(text[done:a]), squash(text[a:b])
            length += len(gap)
            parts.append((length, length + len(sentence), row))
            squashed += [gap, sentence]
            length += len(sentence)
            done, row = b, row + 1
        squashed.append(squash(text[done:]))
        passages.append((i, "".join(squashed)))
        pieces.append(parts)
    return _Sentences(passages, pieces, payload.sentence_vectors)


def _rows(doc: _Sentences, quote: str) -> list[int]:
    """Rows of the sentences that hold ``quote`` (empty when no passage holds it)."""
    found = find_quote(doc.passages, quote)
    if found is None:
        return []
    i, part = found
    extent = quote_extent(doc.passages[i][1], part)
    if extent is None:
        return []
    start, end = extent
    return [row for a, b, row in doc.pieces[i] if a < end and b > start]


def restated_vectors(chunks: list[Chunk], sources: dict[str, list[Source]],
                     documents: list[DocPayload]) -> list[np.ndarray | None]:
    """Per record chunk: the normalised mean vector of the sentences holding its quotes (each
    sentence once), or None when none is found."""
    by_file = {p.state.file: p for p in documents}
    docs: dict[str, _Sentences] = {}
    out: list[np.ndarray | None] = []
    for chunk in chunks:
        held: dict[tuple[str, int], None] = {}  # each sentence once, however many quotes it holds
        for source in sources.get(chunk.chunk_id, []):
            payload = by_file.get(source.doc)
            if payload is None:
                continue
            if source.doc not in docs:
                docs[source.doc] = _sentences(payload)
            doc = docs[source.doc]
            held.update(dict.fromkeys((source.doc, row) for row in _rows(doc, source.quote)))
        if not held:
            out.append(None)
            continue
        mean = np.mean([docs[name].vectors[row] for name, row in held], axis=0)
        out.append(mean / (np.linalg.norm(mean) or 1.0))
    return out


def record_payload(state: DocState, chunks: list[Chunk], spans: list[list[tuple[int, int]]],
                   sources: dict[str, list[Source]], documents: list[DocPayload], embedder,
                   cache: VectorCache | None, bar=None) -> DocPayload:
    """The inventory's payload: enumeration records' vectors from the sentences they restate, the
    other records embedded.

    ``spans`` are the records' sentence spans; a record's sentences share its vector (the lexical
    part of sentence scoring tells them apart).
    """
    lists = [i for i, c in enumerate(chunks) if is_enumeration(c.chunk_id)]
    vectors: list[np.ndarray | None] = [None] * len(chunks)
    for i, vector in zip(lists, restated_vectors([chunks[i] for i in lists], sources, documents)):
        vectors[i] = vector
    missing = [i for i, v in enumerate(vectors) if v is None]
    if missing:
        if bar is not None:
            bar.total += len(missing)
            bar.refresh()
        embedded = embed_texts([passage_for_embedding(chunks[i]) for i in missing], embedder, cache, bar)
        for i, vector in zip(missing, embedded):
            vectors[i] = vector
    dim = len(vectors[0]) if vectors else 0
    chunk_vecs = np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, dim), dtype=np.float32)
    rows = [np.repeat(chunk_vecs[i:i + 1], len(row), axis=0) for i, row in enumerate(spans)]
    sentence_vecs = np.vstack(rows) if rows else chunk_vecs
    return DocPayload(state, chunks, chunk_vecs, spans, sentence_vecs)
