"""The HTTP API (FastAPI): thin routes over the assistant; the web chat is mounted at ``/``.

Routes only validate, call the assistant and return its typed result. Every dependency is an
``Annotated[..., Depends()]`` alias, so tests can swap one with ``app.dependency_overrides``.
Client mistakes get a Dutch ``{"detail": ...}`` with a 4xx (see ui/errors.py).

Example::

    app = create_app(get_settings())      # API under /api, web chat at /
    uvicorn.run(app, host="127.0.0.1", port=8000)

Several worker processes (``wegwijs serve --workers 2``, or the same by hand)::

    WEGWIJS_DATA_DIR=/srv/wegwijs uvicorn ui.api:app_from_env --factory --workers 2 --host 127.0.0.1

Every worker opens the generation ``CURRENT`` names (read-only, the same files) and follows a new
one on its own (:class:`ui.runtime.Runtime`), so an ingest swaps all of them without a restart.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.routing import APIRoute

from assistant.answer.engine import Assistant
from assistant.answer.llm import Progress
from assistant.answer.streaming import replaced
from assistant.core.records import Inventory
from assistant.inventory.lookup import lookup
from assistant.inventory.regions import parse_levels
from assistant.inventory.resolve import resolve_contact
from assistant.core.settings import Settings
from assistant.core.types import Answer
from ui.errors import BodyLimitMiddleware, install_error_handlers
from ui.runtime import GENERATING, InputError, NotReady, Runtime, answer_pieces
from ui.schemas import (ChatRequest, FeedbackCreated, FeedbackRequest, Health, Readiness, SearchHit,
                        SearchRequest, SourceView)
from ui.security import install_security
from ui.sources import source_view, valid_chunk_id

log = logging.getLogger("wegwijs.api")

MAX_BODY_BYTES = 256 * 1024
_PROGRESS_EVERY_S = 1.0
_STATIC = Path(__file__).parent / "static"
_KINDS = {"arrangement": "arrangement", "arrangements": "arrangement", "action": "action", "actions": "action",
          "contacts": "contact", "region": "region", "regions": "region", "glossary": "glossary", "list": "list",
          "lists": "list"}


# -- dependencies -----------------------------------------------------------------------------
def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_assistant(runtime: RuntimeDep) -> Assistant:
    try:
        return runtime.warm()
    except NotReady as exc:
        raise HTTPException(503, str(exc)) from exc


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def _checked(fn, *args):
    try:
        return fn(*args)
    except InputError as exc:
        raise HTTPException(exc.status, str(exc)) from exc


def valid_chat(body: ChatRequest, runtime: RuntimeDep, assistant: AssistantDep) -> ChatRequest:
    """The chat request within the limits of the settings, with the region in canonical form."""
    question = _checked(runtime.check_question, body.question)
    history = _checked(runtime.check_history, body.history)
    region = _checked(runtime.check_region, body.region)
    return ChatRequest.model_construct(question=question, history=history, region=region)


ValidChat = Annotated[ChatRequest, Depends(valid_chat)]


def _check_level(level: str | None) -> str | None:
    if level and not parse_levels(level):
        raise HTTPException(422, f"Onbekend onderwijsniveau '{level[:20]}'. Bijvoorbeeld: PO, VO, SO, VSO, SBO, PrO, "
                                 "MBO.")
    return level or None


def get_inventory(assistant: AssistantDep) -> Inventory:
    """The loaded inventory, or a Dutch 503 while it is missing."""
    if getattr(assistant, "inventory", None) is None:
        raise HTTPException(503, "De regionale inventaris is niet geladen (map corpus/inventories ontbreekt of "
                                 "is ongeldig).")
    return assistant.inventory


InventoryDep = Annotated[Inventory, Depends(get_inventory)]


# -- routes -------------------------------------------------------------------------------------
router = APIRouter(prefix="/api")


@router.post("/chat", response_model=Answer, summary="Stel een vraag; antwoord met bronnen",
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "Answer als JSON, of met `Accept: text/event-stream` als SSE: "
                                             "status, delta's, citations, met een taalmodel daarna "
                                             "status, progress en replace (het gecontroleerde antwoord), "
                                             "done (of error)."}})
def chat(request: Request, body: ValidChat, runtime: RuntimeDep):
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(_sse_answer(runtime, body), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    return runtime.answer(body.question, history=body.history, region=body.region)


def _event(payload: dict) -> str:
    return "data: " + json.dumps(payload, ensure_ascii=False) + "\n\n"


async def _sse_answer(runtime: Runtime, body: ChatRequest) -> AsyncIterator[str]:
    """status, delta's and citations of the extractive answer at once; with an LLM then a status,
    progress while it writes and, once its answer is verified, ``replace`` (answer and citations);
    ``done`` with the final answer last. Nothing unverified is sent."""
    yield _event({"type": "status", "text": "Wegwijs zoekt in de bronnen…"})
    try:
        answer = await anyio.to_thread.run_sync(
            partial(runtime.answer, body.question, history=body.history, region=body.region, generate=False))
    except NotReady as exc:
        yield _event({"type": "error", "message": str(exc)})
        return
    except Exception:  # noqa: BLE001 - the stream has started; report in-band
        log.exception("Antwoorden mislukt")
        yield _event({"type": "error", "message": "Er ging iets mis bij het maken van het antwoord. "
                                                  "Probeer het opnieuw."})
        return
    for piece in answer_pieces(answer.answer):
        yield _event({"type": "delta", "text": piece})
    yield _event({"type": "citations", "citations": [c.model_dump() for c in answer.citations]})
    async for event, final in _sse_replacement(runtime, answer):
        answer = final or answer
        yield _event(event)
    yield _event({"type": "done", "answer": answer.model_dump()})


async def _sse_replacement(runtime: Runtime, answer: Answer) -> AsyncIterator[tuple[dict, Answer | None]]:
    """The LLM's part of the stream (nothing without an LLM): a status, progress (at most every
    ``_PROGRESS_EVERY_S``), and ``replace`` with the verified answer, each with the answer that
    replaces ``answer`` (None but on ``replace``); on a fallback no replace."""
    items = runtime.generation(answer)
    end = object()
    announced, last_progress = False, 0.0
    try:
        while (item := await anyio.to_thread.run_sync(next, items, end)) is not end:
            if not announced:
                announced = True
                yield {"type": "status", "text": GENERATING}, None
            if isinstance(item, Progress):
                if item.seconds - last_progress >= _PROGRESS_EVERY_S:
                    last_progress = item.seconds
                    yield {"type": "progress", "tokens": item.tokens, "seconds": round(item.seconds, 1)}, None
            elif (final := replaced(answer, item)) is not None:
                yield {"type": "replace", "answer": final.answer,
                       "citations": [c.model_dump() for c in final.citations]}, final
    except Exception:  # noqa: BLE001 - the extractive answer has been sent; it stays
        log.exception("Het taalmodel-antwoord mislukte; het extractieve antwoord blijft")
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


@router.post("/search", response_model=list[SearchHit], summary="Zoek passages (zonder antwoord)")
def search(body: SearchRequest, runtime: RuntimeDep, assistant: AssistantDep) -> list[SearchHit]:
    question = _checked(runtime.check_question, body.question)
    region = _checked(runtime.check_region, body.region)
    k = _checked(runtime.check_k, body.k, runtime.settings.top_k)
    hits = runtime.search(question, region=region, k=k)
    return [SearchHit(chunk_id=h.chunk.chunk_id, doc_id=h.chunk.doc_id, title=h.chunk.title, page=h.chunk.page,
                      section=h.chunk.section, score=round(h.score, 5), text=h.chunk.text) for h in hits]


@router.get("/sources/{chunk_id}", response_model=SourceView, summary="Een bronpassage met buren en markering")
def source(assistant: AssistantDep,
           chunk_id: Annotated[str, PathParam(max_length=250, description="bv. zk-jop#c12 (# als %23)")],
           highlight: Annotated[str | None, Query(max_length=5000, description="te markeren zin(nen)")] = None):
    view = source_view(assistant.index, chunk_id, highlight, getattr(assistant, "inventory", None)) if valid_chunk_id(chunk_id) else None
    if view is None:
        raise HTTPException(404, f"Onbekende passage '{chunk_id[:120]}'. Gebruik een chunk_id uit een antwoord.")
    return view


@router.get("/inventory/contact", summary="Wie moet ik inschakelen? (route voor een leerling)")
def inventory_contact(inventory: InventoryDep,
                      woongemeente: Annotated[str, Query(min_length=1, max_length=80)],
                      schoolgemeente: Annotated[str | None, Query(max_length=80)] = None,
                      need: Annotated[str | None, Query(max_length=200)] = None,
                      level: Annotated[str | None, Query(max_length=20)] = None):
    level = _check_level(level)
    try:
        return resolve_contact(inventory, woongemeente, schoolgemeente=schoolgemeente or None,
                                      need=need or None, level=level)
    except (KeyError, LookupError) as exc:
        raise HTTPException(404, str(exc).strip("'\"") or "Onbekende gemeente.") from exc


@router.get("/inventory/{kind}", summary="Zoek in de regionale inventaris")
def inventory_lookup(inventory: InventoryDep,
                     kind: Annotated[str, PathParam(max_length=40)],
                     region: Annotated[str | None, Query(max_length=80)] = None,
                     gemeente: Annotated[str | None, Query(max_length=80)] = None,
                     level: Annotated[str | None, Query(max_length=20)] = None,
                     q: Annotated[str | None, Query(max_length=500)] = None):
    if kind not in _KINDS:
        raise HTTPException(404, f"Onbekende soort '{kind[:40]}'. Kies uit: arrangements, actions, contacts, "
                                 "regions, glossary, lists (of /api/inventory/contact voor een route).")
    return lookup(inventory, kind=_KINDS[kind], region=region or None, gemeente=gemeente or None,
                  level=_check_level(level), text=q or None)


@router.post("/feedback", response_model=FeedbackCreated, status_code=201, summary="Duim omhoog of omlaag",
             responses={202: {"model": FeedbackCreated, "description": "Ontvangen maar niet bewaard "
                                                                      "(WEGWIJS_STORE_FEEDBACK=false)."}})
def feedback(body: FeedbackRequest, runtime: RuntimeDep):
    row_id = runtime.record_feedback(body, source="api")
    if row_id is None:
        return JSONResponse(FeedbackCreated(id=None, stored=False, detail="Bedankt. Deze installatie bewaart geen "
                                            "feedback.").model_dump(), status_code=202)
    return FeedbackCreated(id=row_id)


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unknown_api_path(request: Request, rest: str):
    allowed = sorted({m for route in router.routes if isinstance(route, APIRoute) and route.name != "unknown_api_path"
                      and route.path_regex.match(request.url.path) for m in route.methods})
    if allowed:
        raise HTTPException(405, f"Methode {request.method} is niet toegestaan op {request.url.path}; gebruik "
                                 f"{' of '.join(allowed)}.", headers={"Allow": ", ".join(allowed)})
    raise HTTPException(404, f"Onbekend API-pad '/api/{rest[:80]}'. Zie /docs voor de beschikbare routes.")


def _health_routes(app: FastAPI) -> None:
    @app.get("/healthz", response_model=Health, summary="Het proces leeft")
    def healthz() -> Health:
        return Health()

    @app.get("/readyz", response_model=Readiness, summary="Index geladen en assistent warm",
             responses={503: {"model": Readiness}})
    def readyz(runtime: RuntimeDep):
        if runtime.status != "ready":
            runtime.start_warm_up()
            return JSONResponse(Readiness(status=runtime.status, detail=runtime.detail).model_dump(),
                                status_code=503)
        bot = runtime.warm()  # also lets an idle server notice a new index generation
        return Readiness(status="ready", detail=runtime.detail, chunks=len(bot.index.chunks), regions=bot.regions,
                         generation=bot.index.state.generation, worker=os.getpid())

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        # FastAPI's Swagger page loads its scripts from a CDN; this one works offline.
        return HTMLResponse((_STATIC / "docs.html").read_text(encoding="utf-8"))


def create_app(settings: Settings, assistant: Assistant | None = None, *, web: bool = True) -> FastAPI:
    """The Wegwijs app: API under ``/api``, ``/healthz``, ``/readyz``, ``/docs`` and the web chat at ``/``.

    Args:
        settings: the one settings object.
        assistant: an existing assistant (warm or not); a new one is made from ``settings`` if None.
        web: mount the Gradio chat at ``/`` (False gives the bare API).
    """
    runtime = Runtime(settings, assistant)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        runtime.feedback_store()
        runtime.start_warm_up()
        yield

    app = FastAPI(title="Wegwijs API", version="1.0",
                  description="Antwoorden met bronnen over onderwijs-jeugdhulparrangementen. Antwoorden volgen "
                              "CONTRACTS.md; foutmeldingen zijn Nederlands in `detail`.",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.runtime = runtime
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    install_security(app, settings)  # API key, rate limit, CORS, security headers (ui/security.py)
    _health_routes(app)
    app.include_router(router)
    if web:
        from ui.web import mount_web

        mount_web(app, runtime)
    return app


def app_from_env() -> FastAPI:
    """The app with the settings of the environment: uvicorn's factory for worker processes
    (``uvicorn ui.api:app_from_env --factory --workers N``), each of which warms up on its own."""
    from assistant.core.settings import get_settings as settings_from_env

    return create_app(settings_from_env())
