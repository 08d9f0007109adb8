"""What the API and the web chat share: the warm assistant, its readiness, input limits, streaming.

Example::

    runtime = Runtime(settings)
    runtime.start_warm_up()            # loads the index in the background
    bot = runtime.warm()               # blocks until ready; raises NotReady with a Dutch reason
    region = runtime.check_region("regio noord")  # -> the index's spelling, "Regio Noord"
    runtime.record_feedback(item, source="api")   # scrubbed of pupil data, then stored (if enabled)

A running server follows the index: when ``CURRENT`` names a new generation (an ingest ran), a
fresh assistant is loaded beside the one in use and swapped in when warm; requests in flight finish
on the old one. A new generation that turns out broken is not swapped in (see ``Index.open``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator

from assistant.answer.engine import Assistant
from assistant.answer.llm import Generation, Progress
from assistant.answer.streaming import generation
from assistant.core.index import IndexError_, current_name
from assistant.core.places import load_gazetteer
from assistant.core.settings import Settings
from assistant.core.types import Answer, Hit, Message
from ui.feedback import FeedbackStore
from ui.privacy import Scrubber, places_checker, vocabulary_of
from ui.schemas import FeedbackRequest

log = logging.getLogger("wegwijs.ui")

ALL_REGIONS = "Alle regio's"
GENERATING = "Wegwijs maakt een korter antwoord en controleert elke zin tegen de bronnen…"
_RETIRE_AFTER_S = 120.0  # an answer in flight on the previous generation has long finished by then


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
        self.feedback = FeedbackStore(settings.feedback_db, retention_days=settings.feedback_retention_days)
        self.status = "starting"
        self.detail = "Wegwijs wordt opgestart: de index wordt geladen."
        self._thread: threading.Thread | None = None
        self._feedback_ready = False
        self._scrubber: tuple[Assistant, Scrubber] | None = None
        self._checked_at = 0.0  # last look at CURRENT (monotonic seconds)
        self._seen_generation: str | None = None
        self._generation_note: str | None = None  # why a newer generation is not in use (Dutch)
        self._loader: threading.Thread | None = None
        self._watch_lock = threading.Lock()

    # -- readiness ---------------------------------------------------------------------------
    def warm(self) -> Assistant:
        """The warm assistant; loads the index on first call (or retries after a failure)."""
        bot = self.assistant
        try:
            bot.warm_up()
        except IndexError_ as exc:
            self.status, self.detail = "unavailable", str(exc)
            raise NotReady(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - any start-up failure becomes a Dutch 503
            log.exception("Opstarten van de assistent mislukt")
            self.status = "unavailable"
            self.detail = f"De assistent kon niet starten ({type(exc).__name__}). Zie het serverlog."
            raise NotReady(self.detail) from exc
        self.status, self.detail = "ready", self._ready_detail(bot)
        self._watch_generation(bot)
        return bot

    def _ready_detail(self, bot: Assistant) -> str:
        note = self._generation_note or bot.index.problem
        return "Wegwijs is klaar." + (f" Let op: {note}" if note else "")

    # -- following the index ---------------------------------------------------------------------
    def _watch_generation(self, bot: Assistant) -> None:
        """Start loading the generation ``CURRENT`` names when it is not the one in use (looked at every
        ``index_check_interval_s`` seconds at most, so a busy server does not stat the disk per request)."""
        interval = self.settings.index_check_interval_s
        if interval <= 0 or time.monotonic() - self._checked_at < interval:
            return
        if not self._watch_lock.acquire(blocking=False):  # another request is looking already
            return
        try:
            self._checked_at = time.monotonic()
            name = current_name(self.settings)
            if name is None or name in (self._seen_generation, bot.index.state.generation):
                return
            if self._loader is not None and self._loader.is_alive():
                return
            self._seen_generation = name
            self._loader = threading.Thread(target=self._load_generation, args=(bot, name), name="wegwijs-reload",
                                            daemon=True)
            self._loader.start()
        finally:
            self._watch_lock.release()

    def _load_generation(self, old: Assistant, name: str) -> None:
        try:
            fresh = Assistant(self.settings, embedder=old.embedder,
                              chat_model=getattr(old, "_chat_model", None)).warm_up()
        except Exception as exc:  # noqa: BLE001 - the generation in use keeps serving
            self._generation_note = (f"de nieuwe index '{name}' kon niet worden geladen ({type(exc).__name__}); "
                                     f"'{old.index.state.generation}' blijft in gebruik.")
            log.warning(self._generation_note)
            self.detail = self._ready_detail(old)
            return
        self._generation_note = fresh.index.problem  # set when CURRENT is broken and Index.open fell back
        if fresh.index.state.generation == old.index.state.generation:
            self.detail = self._ready_detail(old)  # the fallback is the one already in use: keep it
            return
        self.assistant = fresh
        self.detail = self._ready_detail(fresh)
        # requests still holding the old assistant finish first; then its vector store client is released
        retire = threading.Timer(_RETIRE_AFTER_S, old.index.close)
        retire.daemon = True
        retire.start()
        log.info("Indexgeneratie '%s' is in gebruik genomen.", fresh.index.state.generation)

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
    def answer(self, question: str, history: list[Message] | None = None, region: str | None = None,
               generate: bool = True) -> Answer:
        """The answer; ``generate=False`` gives the extractive one at once (then see :meth:`generation`)."""
        answer = self.warm().answer(question, history=history, region=region, generate=generate)
        self._log_answer(question, answer)
        return answer

    def generation(self, answer: Answer) -> Iterator[Progress | Generation]:
        """The LLM's verified rewrite of ``answer`` as it is written; empty without an LLM."""
        return generation(self.warm(), answer)

    def _log_answer(self, question: str, answer: Answer) -> None:
        """One log line per answer; the question itself only when ``log_questions`` is on, and scrubbed."""
        if not log.isEnabledFor(logging.INFO):
            return
        text = f": {self.scrubber().scrub(question)!r}" if self.settings.log_questions else ""
        log.info("Vraag beantwoord (%s, %s, %.0f ms, %d tekens)%s", answer.mode,
                 "geweigerd" if answer.refused else "met bronnen", answer.timings_ms.get("total", 0.0),
                 len(question), text)

    def search(self, question: str, region: str | None = None, k: int | None = None) -> list[Hit]:
        return self.warm().search(question, region=region, k=k)

    def feedback_store(self) -> FeedbackStore:
        if not self._feedback_ready:
            self.feedback.create()
            self._feedback_ready = True
        return self.feedback

    # -- privacy ---------------------------------------------------------------------------------
    def scrubber(self) -> Scrubber:
        """The scrubber for what is stored or logged, knowing the loaded index's words and places.

        Without a loaded index it knows no corpus words, so it scrubs more, never less.
        """
        try:
            bot = self.warm()
        except NotReady:
            return Scrubber(known_words=set(), is_place=places_checker([]))
        cached = self._scrubber
        if cached is not None and cached[0] is bot:
            return cached[1]
        texts = (t for c in bot.index.chunks for t in (c.text, c.title, c.section))
        corpus_places = places_checker(bot.analyzer.places)
        gazetteer = load_gazetteer()
        scrubber = Scrubber(known_words=vocabulary_of(texts),
                            is_place=lambda name: corpus_places(name) or gazetteer.is_place(name))
        self._scrubber = (bot, scrubber)
        return scrubber

    def record_feedback(self, item: FeedbackRequest, source: str) -> int | None:
        """Store feedback scrubbed of pupil data; None when this installation stores no feedback."""
        if not self.settings.store_feedback:
            return None
        return self.feedback_store().add(item, source, scrubber=self.scrubber())

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
