"""Request and response models of the HTTP API that are not already in :mod:`assistant.types`.

Answers and citations travel as the assistant's own :class:`~assistant.core.types.Answer` and
:class:`~assistant.core.types.Citation`; the models here describe what only the API adds: requests
(strict: unknown fields are refused), search hits, source passages with highlight offsets,
feedback and health.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.types import Citation, Message


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HistoryMessage(Message):
    """One earlier turn of the conversation (unknown fields refused)."""

    model_config = ConfigDict(extra="forbid")


class ChatRequest(_Request):
    question: str = Field(description="De vraag, in gewoon Nederlands.", examples=["wie pakt in zk de 5a vrijstellingen op?"])
    history: list[HistoryMessage] = Field(default_factory=list, description="Eerdere beurten, oudste eerst.")
    region: str | None = Field(default=None, description="Beperk tot één regio van de index (zie /readyz).")


class SearchRequest(_Request):
    question: str
    region: str | None = None
    k: int | None = Field(default=None, description="Aantal passages (1 t/m 50).")


class SearchHit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    page: int | None
    section: str
    score: float
    text: str


class HighlightSpan(BaseModel):
    """Character offsets ``[start, end)`` of a used sentence inside ``SourceView.text``."""

    start: int
    end: int
    text: str


class SourcePassage(BaseModel):
    chunk_id: str
    page: int | None
    section: str
    text: str


class SourceView(BaseModel):
    """A passage as a citation panel shows it: with its neighbours and the used sentences marked."""

    chunk_id: str
    doc_id: str
    title: str
    region: str
    page: int | None
    page_end: int | None
    section: str
    section_path: list[str]
    text: str
    highlights: list[HighlightSpan]
    previous: SourcePassage | None = None
    next: SourcePassage | None = None
    original: SourceView | None = Field(default=None, description="Bij een inventarisregel: de documentpassage "
                                                                  "waar de regel op rust, met het citaat gemarkeerd.")


class FeedbackRequest(_Request):
    question: str = Field(max_length=5000)
    answer: str = Field(max_length=20000)
    citations: list[Citation] = Field(default_factory=list, max_length=20)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackCreated(BaseModel):
    id: int | None = Field(description="Het nummer van de opgeslagen feedback; leeg als feedback niet wordt bewaard.")
    stored: bool = True
    detail: str | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready", "starting", "unavailable"]
    detail: str
    chunks: int | None = None
    regions: list[str] = Field(default_factory=list)
    generation: str | None = Field(default=None, description="De indexgeneratie die in gebruik is.")
    worker: int | None = Field(default=None, description="Het serverproces dat antwoordde (bij meerdere workers).")
