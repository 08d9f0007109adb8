"""What the API and the web chat share: the warm assistant, its readiness, input limits, streaming.

Example::

    runtime = Runtime(settings)
    runtime.start_warm_up()            # loads the index in the background
    bot = runtime.warm()               # blocks until ready; raises NotReady with a Dutch reason
    region = runtime.check_region("haaglanden")   # -> "Haaglanden"
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator

from assistant.answer.engine import Assistant
from assistant.core.settings import Settings
from assistant.core.index import IndexError_
from assistant.core.types import Answer, Hit, Message
from ui.feedback import FeedbackStore

log = logging.getLogger("wegwijs.ui")

ALL_REGIONS = "Alle regio's"


class NotReady(RuntimeError):
    """The assistant cannot answer yet (no index, still loading); the message is Dutch."""


class InputError(ValueError):
    """A question, history or filter outside the limits; ``status`` is the HTTP status to use."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class Runtime:
    """Owns the :class:`Assistant` for the app's lifetime and knows whether it is ready."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        self.settings = settings
        self.assistant = assistant if assistant is not None else Assistant(settings)
        self.feedback = FeedbackStore(settings.feedback_db)
        self.status = "starting"
        self.detail = "Wegwijs wordt opgestart: de index wordt geladen."
        self._thread: threading.Thread | None = None
        self._feedback_ready = False

    # -- readiness ---------------------------------------------------------------------------
    def warm(self) -> Assistant:
        """The warm assistant; loads the index on first call (or retries after a failure)."""
        try:
            self.assistant.warm_up()
        except IndexError_ as exc:
            self.status, self.detail = "unavailable", str(exc)
            raise NotReady(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - any start-up failure becomes a Dutch 503
            log.exception("Opstarten van de assistent mislukt")
            self.status = "unavailable"
            self.detail = f"De assistent kon niet starten ({type(exc).__name__}). Zie het serverlog."
            raise NotReady(self.detail) from exc
        self.status, self.detail = "ready", "Wegwijs is klaar."
        return self.assistant

    def start_warm_up(self) -> None:
        """Warm up in a background thread, so the process answers /healthz at once."""
        if self.status == "ready" or (self._thread is not None and self._thread.is_alive()):
            return

        def run() -> None:
            try:
                self.warm()
            except NotReady:
                pass

        self._thread = threading.Thread(target=run, name="wegwijs-warm-up", daemon=True)
        self._thread.start()

    # -- calls into the assistant ----------------------------------------------------------------
    def answer(self, question: str, history: list[Message] | None = None, region: str | None = None) -> Answer:
        return self.warm().answer(question, history=history, region=region)

    def search(self, question: str, region: str | None = None, k: int | None = None) -> list[Hit]:
        return self.warm().search(question, region=region, k=k)

    def feedback_store(self) -> FeedbackStore:
        if not self._feedback_ready:
            self.feedback.create()
            self._feedback_ready = True
        return self.feedback

    # -- input checks (same rules for API and web) --------------------------------------------
    def check_question(self, question: str) -> str:
        if not question or not question.strip():
            raise InputError("De vraag is leeg. Typ een vraag, bijvoorbeeld: wie pakt in zk de 5a vrijstellingen op?")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise InputError(f"De vraag is te lang ({len(question)} tekens; maximaal {limit}). "
                             "Maak de vraag korter.", status=413)
        return question.strip()

    def check_history(self, history: list[Message]) -> list[Message]:
        limit = self.settings.max_history_messages
        if len(history) > limit:
            raise InputError(f"De gespreksgeschiedenis is te lang ({len(history)} berichten; maximaal {limit}). "
                             "Begin een nieuw gesprek.", status=413)
        chars = sum(len(m.content) for m in history)
        if chars > self.settings.max_history_chars:
            raise InputError(f"De gespreksgeschiedenis is te lang ({chars} tekens; maximaal "
                             f"{self.settings.max_history_chars}). Begin een nieuw gesprek.", status=413)
        return [Message(role=m.role, content=m.content) for m in history]

    def check_region(self, region: str | None) -> str | None:
        """The canonical region name for ``region`` (any case), None for all regions."""
        if region is None or not region.strip() or region.strip() == ALL_REGIONS:
            return None
        regions = self.warm().regions
        for known in regions:
            if known.casefold() == region.strip().casefold():
                return known
        raise InputError(f"Onbekende regio '{region[:80]}'. Kies uit: {', '.join(regions)} (of laat leeg).")

    @staticmethod
    def check_k(k: int | None, default: int) -> int:
        if k is None:
            return default
        if not 1 <= k <= 50:
            raise InputError(f"k moet tussen 1 en 50 liggen (kreeg {k}).")
        return k

    # -- places --------------------------------------------------------------------------------
    def gemeenten(self) -> list[str]:
        """All gemeenten of the corpus regions: from the inventory when loaded, else the documents' metadata."""
        bot = self.warm()
        names: set[str] = set()
        for region in getattr(bot.inventory, "regions", None) or []:
            names.update(g.name for g in region.gemeenten)
        if not names:
            for meta in bot.index.state.metas:
                names.update(meta.gemeenten)
        return sorted(names, key=str.casefold)


_PIECE = re.compile(r"\S+\s*|\s+")


def answer_pieces(text: str, words: int = 3) -> Iterator[str]:
    """Split an answer into small pieces (a few words; line breaks kept) for progressive display."""
    tokens = _PIECE.findall(text)
    piece: list[str] = []
    for token in tokens:
        piece.append(token)
        if len(piece) >= words or "\n" in token:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)
