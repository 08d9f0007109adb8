"""Typed data shared by ingest, retrieval, answering, the API and the evals.

Everything that crosses a module boundary is one of these pydantic models, never a dict with
string keys. The API's request and response schemas are these same types, so the OpenAPI docs
and the CLI's JSON output describe exactly what the code produces (see ../shared/CONTRACTS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "record"]


class DocMeta(BaseModel):
    """One document of the corpus, as described by corpus/manifest.yaml."""

    doc_id: str
    file: str
    title: str
    organisation: str = ""
    region: str = "onbekend"
    gemeenten: list[str] = Field(default_factory=list)
    year: str = ""
    doc_type: str = ""
    original_file: str = ""


class RawDocument(BaseModel):
    """A loaded file before cleaning: its text split into pages as the format gives them.

    ``pages[i]`` is the raw text of page ``i + 1``; formats without pages give one page and
    ``has_pages`` False, so citations carry ``page: null`` for them.
    """

    meta: DocMeta
    pages: list[str]
    has_pages: bool = True
    content_hash: str


class Block(BaseModel):
    """A structural unit of a cleaned document: a heading, paragraph, list item or table row.

    ``start``/``end`` are character offsets into ``CleanDocument.text``; ``section_path`` is the
    chain of headings above the block, outermost first.
    """

    kind: BlockKind
    text: str
    page: int | None
    section_path: list[str] = Field(default_factory=list)
    start: int
    end: int


class CleanDocument(BaseModel):
    """A document after cleaning: readable text plus the blocks that tile it."""

    meta: DocMeta
    text: str
    blocks: list[Block]
    page_count: int | None
    content_hash: str


class Chunk(BaseModel):
    """A retrievable passage: never spans two documents, carries its source and position."""

    chunk_id: str
    doc_id: str
    title: str
    region: str
    seq: int
    text: str
    page_start: int | None
    page_end: int | None
    section: str = ""
    section_path: list[str] = Field(default_factory=list)
    char_start: int
    char_end: int
    kind: BlockKind = "paragraph"

    @property
    def page(self) -> int | None:
        return self.page_start


class Hit(BaseModel):
    """One retrieved chunk with its fused score (higher is better) and per-retriever ranks."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    rerank_score: float | None = None


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Citation(BaseModel):
    n: int
    chunk_id: str
    doc_id: str
    title: str
    page: int | None
    section: str = ""
    text: str
    quote: str


class RetrievedItem(BaseModel):
    chunk_id: str
    doc_id: str
    page: int | None
    score: float
    text: str


# How an answer was made: the route the router chose (recorded in every Answer).
AnswerRoute = Literal["contact", "list", "extractive", "llm"]


class Answer(BaseModel):
    """The answer contract of the CLI and the HTTP API (../shared/CONTRACTS.md)."""

    question: str
    answer: str
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[RetrievedItem] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    rewritten_question: str | None = None
    region: str | None = None
    mode: Literal["extractive", "llm", "inventory"] = "extractive"
    route: AnswerRoute | None = None
    refusal_reason: str | None = None
    error: str | None = None
    id: str | None = None


# -- the index generation ---------------------------------------------------------------------
class DocState(BaseModel):
    """What a generation records of one indexed document (or of the inventory records)."""

    doc_id: str
    file: str
    title: str
    region: str
    fingerprint: str
    pages: int | None
    chunks: int
    meta: DocMeta | None = None


class IndexState(BaseModel):
    """``state.json`` of a generation: which embedder built it and what it holds."""

    generation: str
    embedder_id: str
    collection: str
    chroma_mode: str
    created_at: float
    docs: dict[str, DocState]
    # last ingest run that found nothing to change (the generation stayed): the index is current as of then
    checked_at: float | None = None

    @property
    def current_as_of(self) -> float:
        return max(self.created_at, self.checked_at or 0.0)

    @property
    def metas(self) -> list[DocMeta]:
        """The documents' metadata (title, region, gemeenten ...) as the ingest recorded it."""
        return [d.meta for d in self.docs.values() if d.meta is not None]


# -- a question, understood -------------------------------------------------------------------
@dataclass
class QueryAnalysis:
    """Everything retrieval and answering need to know about one question, decided once."""

    question: str
    rewritten: str
    regions: list[str]
    levels: list[str]
    unknown_places: list[str]
    answer_type: str | None
    evidence: re.Pattern | None
    bm25_tokens: list[str]
    dense_text: str
    place_terms: set[str] = field(default_factory=set)
    asks_definition: bool = False
    # surface words the index never saw, with what they were repaired to (typo fix or compound split)
    repairs: dict[str, list[str]] = field(default_factory=dict)


# -- an answer, composed ----------------------------------------------------------------------
@dataclass
class Composition:
    """A composed answer before it becomes an :class:`Answer`: text, citations, and on a refusal
    the rule that refused (``reason``, a Dutch sentence)."""

    answer: str
    citations: list[Citation]
    refused: bool
    support: float
    reason: str = ""
