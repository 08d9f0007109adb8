"""Typed data shared by ingest, retrieval, answering, the API and the evals.

Everything that crosses a module boundary is one of these pydantic models, never a dict with
string keys. The API's request and response schemas are these same types, so the OpenAPI docs
and the CLI's JSON output describe exactly what the code produces (see ../shared/CONTRACTS.md).
"""

from __future__ import annotations

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
    # fields read from the document itself (not from the manifest) -> where they came from
    derived: dict[str, str] = Field(default_factory=dict)


class RawDocument(BaseModel):
    """A loaded file before cleaning: its text split into pages as the format gives them.

    ``pages[i]`` is the raw text of page ``i + 1``; formats without pages give one page and
    ``has_pages`` False, so citations carry ``page: null`` for them.
    """

    meta: DocMeta
    pages: list[str]
    has_pages: bool = True
    content_hash: str
    # the file's own metadata where the format has it (PDF info, docx core properties):
    # "title", "author", "subject", "created" (ISO date); see ingest.loaders.file_metadata
    file_meta: dict[str, str] = Field(default_factory=dict)


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
    error: str | None = None
    id: str | None = None
