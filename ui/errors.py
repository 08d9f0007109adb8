"""Dutch error responses for the HTTP API: every client mistake is a clear 4xx, never a 5xx.

FastAPI answers a bad request with English, machine-shaped validation errors; coaches and the
tools that call the API get one Dutch sentence in ``{"detail": "..."}`` instead. Three pieces:

- :func:`dutch_validation_errors` turns pydantic's error list into that sentence;
- :func:`install_error_handlers` replaces FastAPI's handlers (validation, HTTP errors, and a
  last-resort 500 that never leaks a traceback: an error inside the assistant is ours, not the
  client's);
- :class:`BodyLimitMiddleware` refuses an ``/api`` body above a byte limit before it is read whole.
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("wegwijs.api")

_FIELD_NAMES = {"question": "vraag", "history": "geschiedenis", "region": "regio", "k": "k", "role": "rol",
                "content": "inhoud", "rating": "beoordeling", "comment": "opmerking", "answer": "antwoord",
                "citations": "bronnen", "highlight": "highlight", "woongemeente": "woongemeente",
                "schoolgemeente": "schoolgemeente", "need": "behoefte", "level": "onderwijsniveau"}

_TYPE_TEXT = {
    "missing": "dit veld is verplicht",
    "extra_forbidden": "dit veld is onbekend",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "string_too_short": "is te kort",
    "string_too_long": "is te lang",
    "too_short": "heeft te weinig elementen",
    "too_long": "heeft te veel elementen",
    "greater_than_equal": "is te klein",
    "less_than_equal": "is te groot",
    "greater_than": "is te klein",
    "less_than": "is te groot",
    "string_pattern_mismatch": "heeft een ongeldige vorm",
    "enum": "heeft een ongeldige waarde",
    "literal_error": "heeft een ongeldige waarde",
    "union_tag_invalid": "heeft een ongeldige waarde",
    "string_unicode": "moet geldige UTF-8-tekst zijn",
}

_STATUS_TEXT = {400: "Ongeldig verzoek.", 401: "Niet aangemeld.", 403: "Geen toegang.",
                404: "Niet gevonden.", 405: "Deze methode is hier niet toegestaan.",
                406: "Dit antwoordformaat wordt niet ondersteund.", 413: "Het verzoek is te groot.",
                415: "Dit inhoudstype wordt niet ondersteund; stuur JSON.", 422: "Het verzoek is ongeldig.",
                429: "Te veel verzoeken; probeer het zo opnieuw.", 500: "Er ging iets mis in Wegwijs.",
                503: "Wegwijs is nog niet klaar; probeer het zo opnieuw."}


def _where(loc: tuple | list) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    if not parts:
        return "het verzoek"
    named = []
    for part in parts:
        if isinstance(part, int):
            named.append(f"[{part + 1}]")
        else:
            named.append(("." if named else "") + _FIELD_NAMES.get(str(part), str(part)))
    return "'" + "".join(named) + "'"


def dutch_validation_errors(errors: list[dict]) -> tuple[int, str]:
    """One Dutch sentence for a list of pydantic/FastAPI validation errors, with its status code.

    Unparseable JSON is a 400 (the request is broken); everything else is a 422.
    """
    for err in errors:
        if err.get("type") == "json_invalid":
            return 400, "De body is geen geldige JSON. Stuur een JSON-object, bijvoorbeeld {\"question\": \"...\"}."
    parts = []
    for err in errors[:5]:
        etype = err.get("type", "")
        text = _TYPE_TEXT.get(etype, "is ongeldig")
        ctx = err.get("ctx") or {}
        if etype == "missing" and list(err.get("loc", ())) == ["body"]:
            parts.append("de body ontbreekt; stuur een JSON-object")
            continue
        if etype in ("string_too_long", "too_long") and "max_length" in ctx:
            text += f" (maximaal {ctx['max_length']})"
        elif etype in ("string_too_short", "too_short") and "min_length" in ctx:
            text += f" (minimaal {ctx['min_length']})"
        elif etype in ("greater_than_equal", "less_than_equal") and ctx:
            bound = ctx.get("ge", ctx.get("le"))
            text += f" (grens: {bound})"
        elif etype in ("literal_error", "enum") and "expected" in ctx:
            text += f" (toegestaan: {ctx['expected']})".replace(" or ", " of ")
        parts.append(f"{_where(err.get('loc', ()))} {text}")
    more = f" (en nog {len(errors) - 5} fouten)" if len(errors) > 5 else ""
    return 422, "Ongeldig verzoek: " + "; ".join(parts) + more + "."


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    content_type = request.headers.get("content-type", "")
    if request.method == "POST" and "json" not in content_type and any(
            tuple(e.get("loc", ())) == ("body",) and e.get("type") != "missing" for e in errors):
        return JSONResponse({"detail": "Stuur de body als JSON-object met de header "
                                       "'Content-Type: application/json'."}, status_code=415)
    status, detail = dutch_validation_errors(errors)
    return JSONResponse({"detail": detail}, status_code=status)


# English details that FastAPI/Starlette produce themselves
_KNOWN_ENGLISH = {"There was an error parsing the body": "De body kon niet worden gelezen; stuur geldige JSON in UTF-8."}


async def _http_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if isinstance(detail, str) and detail in _KNOWN_ENGLISH:
        detail = _KNOWN_ENGLISH[detail]
    elif not isinstance(detail, str) or detail.isascii() and detail in _english_defaults():
        detail = _STATUS_TEXT.get(exc.status_code, "Het verzoek kon niet worden verwerkt.")
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _english_defaults() -> set[str]:
    from http import HTTPStatus

    return {s.phrase for s in HTTPStatus}


async def _unexpected_handler(request: Request, exc: Exception) -> JSONResponse:
    log.exception("Onverwachte fout bij %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "Er ging iets mis in Wegwijs. De fout is gelogd; probeer het opnieuw."},
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(Exception, _unexpected_handler)


class BodyLimitMiddleware:
    """Refuse request bodies above ``max_bytes`` on paths under ``prefix`` with a Dutch 413.

    Checks ``Content-Length`` first and counts the bytes of chunked bodies as they arrive, so a
    huge body is never buffered whole.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, prefix: str = "/api") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        detail = f"Het verzoek is te groot (maximaal {self.max_bytes // 1024} kB)."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await _send_json(send, 413, {"detail": detail})
                    return
        received = 0
        responded = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI re-raises an HTTPException from body reading as is -> Dutch 413
                    raise StarletteHTTPException(413, detail)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except StarletteHTTPException as exc:
            if responded or exc.status_code != 413:
                raise
            await _send_json(send, 413, {"detail": detail})


async def _send_json(send: Send, status: int, payload: dict) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
