"""Access control and browser hardening for the Wegwijs app: one :func:`install_security` call.

- **API key** (``WEGWIJS_API_KEY``): when set, every ``/api/*`` request needs
  ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; otherwise a Dutch 401.
- **Web login** (``WEGWIJS_WEB_USERS``): :func:`web_auth` gives Gradio's login a checker.
- **CORS** closed by default: only origins in ``WEGWIJS_CORS_ORIGINS`` may call the API from a browser.
- **Security headers** on every response: a Content-Security-Policy with a fresh nonce per page
  (written into the page's own ``<script>`` tags, so an injected script or ``onerror`` handler does
  not run), no framing, ``nosniff``, no referrer, and ``no-store`` on the API (answers may be about pupils).
- **Rate limit** (``WEGWIJS_RATE_LIMIT_PER_MINUTE``): a token bucket per client address on the API,
  the chat's events and the login; a Dutch 429 with ``Retry-After``.

All pieces are plain ASGI middleware, so they also cover the Gradio app mounted at ``/``.
"""

from __future__ import annotations

import hmac
import json
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.core.settings import Settings

# Gradio evaluates its own templates and event js with Function(): 'unsafe-eval' is needed; inline
# scripts run only with the page's nonce ('strict-dynamic' lets those load the app's modules).
_CSP = ("default-src 'self'; script-src 'self' {nonce}'strict-dynamic' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' data: blob:; "
        "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'")
_HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
            "cross-origin-opener-policy": "same-origin",
            "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()"}
_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])(?![^>]*\bnonce=)")
_MAX_HTML_BYTES = 2 * 1024 * 1024


def content_security_policy(nonce: str | None) -> str:
    return _CSP.format(nonce=f"'nonce-{nonce}' " if nonce else "")


def with_nonce(html: bytes, nonce: str) -> bytes:
    """``html`` with ``nonce="..."`` on every ``<script>`` tag that has none."""
    return _SCRIPT_TAG.sub(b'<script nonce="' + nonce.encode() + b'"', html)


async def _send_json(send: Send, status: int, payload: dict, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response; HTML pages get a CSP nonce on their scripts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = _is_api(scope["path"])
        held: Message | None = None
        chunks: list[bytes] = []
        nonce = secrets.token_urlsafe(16)

        def headers_of(message: Message, csp_nonce: str | None) -> list[tuple[bytes, bytes]]:
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
            present = {k.lower() for k, _ in headers}
            extra = {**_HEADERS, "content-security-policy": content_security_policy(csp_nonce)}
            if api and b"cache-control" not in present:
                extra["cache-control"] = "no-store"
            return headers + [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present]

        async def guarded_send(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    held = message  # rewrite the page once its body is complete
                    return
                await send({**message, "headers": headers_of(message, None)})
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body") and sum(map(len, chunks)) < _MAX_HTML_BYTES:
                return
            body = with_nonce(b"".join(chunks), nonce)
            headers = [(k, v) for k, v in headers_of(held, nonce) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            more = bool(message.get("more_body"))
            if more:  # too big to hold: stream the rest unchanged (its scripts would lack the nonce)
                headers = [(k, v) for k, v in headers if k != b"content-length"]
            await send({**held, "headers": headers})
            held = None
            await send({"type": "http.response.body", "body": body, "more_body": more})

        await self.app(scope, receive, guarded_send)


class ApiKeyMiddleware:
    """Requires the API key on ``/api/*`` (bearer token or ``X-API-Key``); a Dutch 401 otherwise."""

    def __init__(self, app: ASGIApp, key: str) -> None:
        self.app = app
        self.key = key.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_api(scope["path"]) or scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send)
            return
        given = None
        for name, value in scope.get("headers", []):
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                given = value[7:].strip()
            elif name == b"x-api-key":
                given = value.strip()
        if given is not None and hmac.compare_digest(given, self.key):
            await self.app(scope, receive, send)
            return
        detail = ("Niet aangemeld: deze API vraagt een sleutel. Stuur de header 'Authorization: Bearer <sleutel>' "
                  "of 'X-API-Key: <sleutel>'." if given is None else "De API-sleutel klopt niet.")
        await _send_json(send, 401, {"detail": detail}, [(b"www-authenticate", b'Bearer realm="wegwijs"')])


@dataclass
class TokenBucket:
    """Per-client token buckets: ``capacity`` requests at once, refilled at ``per_minute`` a minute."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # client -> (tokens, last time)
    max_clients: int = 10_000

    def take(self, client: str) -> float:
        """Spend a token for ``client``: 0.0 when allowed, else the seconds until the next token."""
        now = self.clock()
        rate = self.per_minute / 60.0
        tokens, last = self.buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * rate)
        if tokens >= 1.0:
            self.buckets[client] = (tokens - 1.0, now)
            if len(self.buckets) > self.max_clients:
                self._forget_idle(now)
            return 0.0
        self.buckets[client] = (tokens, now)
        return (1.0 - tokens) / rate

    def _forget_idle(self, now: float) -> None:
        """Drop clients whose bucket has filled up again (they lose nothing by being forgotten)."""
        full_after = 60.0
        for client, (_, last) in list(self.buckets.items()):
            if now - last >= full_after:
                del self.buckets[client]


def _limited(scope: Scope) -> bool:
    """What costs work: API calls, the web chat's events (POSTs to Gradio's API) and login attempts."""
    path, method = scope["path"], scope.get("method", "GET")
    return _is_api(path) or method == "POST" and (path.startswith("/gradio_api/") or path == "/login")


class RateLimitMiddleware:
    """A Dutch 429 with ``Retry-After`` when a client address exceeds its requests per minute."""

    def __init__(self, app: ASGIApp, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.per_minute = per_minute
        self.bucket = TokenBucket(per_minute, clock=clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") == "OPTIONS" or not _limited(scope):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("onbekend", 0))[0]
        wait = self.bucket.take(client)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        await _send_json(send, 429, {"detail": f"Te veel verzoeken: maximaal {self.per_minute} per minuut. Probeer "
                                               f"het over {seconds} seconden opnieuw."},
                         [(b"retry-after", str(seconds).encode())])


def install_security(app, settings: Settings) -> None:
    """Add the middleware in the right order: headers outermost (so a 401/429 carries them too), then
    CORS (a preflight is answered before the key is asked), the rate limit, and the API key."""
    if settings.api_key is not None and settings.api_key.get_secret_value():
        app.add_middleware(ApiKeyMiddleware, key=settings.api_key.get_secret_value())
    if settings.rate_limit_per_minute > 0:
        app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key", "Accept"],
                           allow_credentials=False, max_age=600)
    app.add_middleware(SecurityHeadersMiddleware)


def web_users(settings: Settings) -> dict[str, str]:
    """The web chat's users from ``WEGWIJS_WEB_USERS`` ("naam:wachtwoord,naam2:wachtwoord2")."""
    if settings.web_users is None:
        return {}
    users = {}
    for entry in settings.web_users.get_secret_value().split(","):
        name, sep, password = entry.strip().partition(":")
        if sep and name.strip() and password:
            users[name.strip()] = password
    return users


def web_auth(settings: Settings) -> Callable[[str, str], bool] | None:
    """Gradio's ``auth`` checker for the configured users (constant-time compare); None without users."""
    users = {name: password.encode() for name, password in web_users(settings).items()}
    if not users:
        return None

    def check(username: str, password: str) -> bool:
        expected = users.get(username)
        # compare against something even for an unknown name, so timing does not reveal which names exist
        ok = hmac.compare_digest((password or "").encode(), expected or b"\0" * 16)
        return expected is not None and ok

    return check


def is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
