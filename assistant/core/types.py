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
    chunks: int | None = None  # passages written; checked when the generation is opened (None: older index)

    @property
    def current_as_of(self) -> float:
        return max(self.created_at, self.checked_at or 0.0)

    @property
    def metas(self) -> list[DocMeta]:
        """The documents' metadata (title, region, gemeenten ...) as the ingest recorded it."""
        return [d.meta for d in self.docs.values() if d.meta is not None]


# -- a question, understood -------------------------------------------------------------------
@dataclass(frozen=True)
class Intent:
    """The kinds of question one question is, each decided once.

    Several flags look alike but answer different questions:
    ``listing`` (the answer may be several items: the composer adds list continuations),
    ``list_ask`` (asks for the records of one kind: arrangements, actions, gemeenten),
    ``enumeration`` / ``enumeration_what`` (asks for the items of a list a document gives, or
    "wat is X" where X may be such a list), ``whom_to_contact`` (which team or party to turn to)
    and ``contact_details`` (the address, e-mail or phone of someone named).
    """

    answer_type: str | None = None  # the kind of fact asked for: phone, email, date, count ...
    evidence: re.Pattern | None = None  # what a passage must hold to answer it
    definition: bool = False  # what a term means ("wat betekent oogo")
    definition_broad: bool = False  # any "wat is/zijn ...": an abbreviation's expansion may answer it
    listing: bool = False
    list_ask: bool = False
    enumeration: bool = False
    enumeration_what: bool = False
    whom_to_contact: bool = False
    contact_details: bool = False
    who: bool = False  # who is responsible, which party
    directive: bool = False  # a request to assert something or to drop the rules
    followup: bool = False  # the question leans on the previous turn
    several: bool = False  # more than one item is asked for ("noem alle ...", "welke eisen ...")

    @property
    def specific_fact(self) -> bool:
        """One specific fact is asked (a phone number, a name, a date ...): not a list or a route."""
        return self.answer_type in SPECIFIC_FACTS


# the answer types that ask for one fact, which the sources hold or not
SPECIFIC_FACTS = frozenset({"phone", "email", "address", "person", "money", "duration", "period", "date"})


@dataclass
class QueryAnalysis:
    """Everything retrieval and answering need to know about one question, decided once."""

    question: str
    rewritten: str
    regions: list[str]
    levels: list[str]
    unknown_places: list[str]
    intent: Intent
    bm25_tokens: list[str]
    dense_text: str
    place_terms: set[str] = field(default_factory=set)
    # surface words the index never saw, with what they were repaired to (typo fix or compound split)
    repairs: dict[str, list[str]] = field(default_factory=dict)
    # abbreviations in the question with what they stand for (the lexicon's and the corpus's own)
    expansions: dict[str, str] = field(default_factory=dict)

    @property
    def answer_type(self) -> str | None:
        """The kind of fact asked for (phone, date, count ...), from the intent."""
        return self.intent.answer_type

    @property
    def evidence(self) -> re.Pattern | None:
        """What a passage must hold to answer the asked kind of fact."""
        return self.intent.evidence

    @property
    def asks_definition(self) -> bool:
        return self.intent.definition


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
    refusal_rule: str = ""  # on a refusal: the rule that refused (assistant.answer.refusal)
    route: AnswerRoute | None = None  # the route that made it
