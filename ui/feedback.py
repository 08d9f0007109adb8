"""Thumbs up/down on answers, kept in SQLite (``settings.feedback_db``), minimised and for a limited time.

What is stored is scrubbed first (:func:`minimised`): the question and the comment lose every personal
detail (names, BSN, phone, e-mail, address, date of birth; see ui/privacy.py); the answer and its
citations are the sources' own text and stay, except where they repeat a detail of the question.
Rows older than the retention period are deleted whenever the store is opened or written to, and
deleted rows are overwritten on disk (``secure_delete``). One short-lived connection per call keeps the
store safe to use from the API's worker threads and the web chat's callbacks at once; every
statement is parameterised.

Example::

    store = FeedbackStore(settings.feedback_db, retention_days=90).create()
    row_id = store.add(FeedbackRequest(question="...", answer="...", rating="up"), scrubber=scrubber)
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from ui.privacy import Scrubber, redact_values
from ui.schemas import FeedbackRequest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    source TEXT NOT NULL DEFAULT 'api'
);
CREATE INDEX IF NOT EXISTS feedback_created_at ON feedback (created_at);
"""
_DAY_S = 86_400


def minimised(item: FeedbackRequest, scrubber: Scrubber) -> FeedbackRequest:
    """The feedback as it may be stored: question and comment scrubbed; in the answer and the citations
    only the details found in the question or comment are replaced (an organisation's phone number
    quoted from a plan stays)."""
    found = scrubber.findings(item.question) + (scrubber.findings(item.comment) if item.comment else [])
    citations = [c.model_copy(update={"quote": redact_values(c.quote, found)}) for c in item.citations]
    return item.model_copy(update={"question": scrubber.scrub(item.question),
                                   "comment": scrubber.scrub(item.comment) if item.comment else item.comment,
                                   "answer": redact_values(item.answer, found), "citations": citations})


class FeedbackStore:
    """The feedback table. ``retention_days`` None keeps rows until they are purged by hand."""

    def __init__(self, path: Path, retention_days: int | None = None) -> None:
        self.path = Path(path)
        self.retention_days = retention_days

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.execute("PRAGMA secure_delete = ON")  # deleted feedback is overwritten, not left in free pages
        return conn

    def create(self) -> "FeedbackStore":
        """Create the folder and the table if they are not there yet, and drop expired rows."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            conn.executescript(_SCHEMA)
        self.purge_expired()
        return self

    def add(self, item: FeedbackRequest, source: str = "api", *, scrubber: Scrubber) -> int:
        """Store ``item`` minimised (see :func:`minimised`); expired rows go in the same call."""
        item = minimised(item, scrubber)
        citations = json.dumps([c.model_dump() for c in item.citations], ensure_ascii=False)
        with closing(self._connect()) as conn, conn:
            self._delete_before(conn, self._cutoff())
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, question, answer, citations, rating, comment, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.time(), item.question, item.answer, citations, item.rating, item.comment, source))
            return int(cursor.lastrowid)

    def get(self, row_id: int) -> dict | None:
        with closing(self._connect()) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM feedback WHERE id = ?", (row_id,)).fetchone()
        return dict(row) if row is not None else None

    def count(self) -> int:
        with closing(self._connect()) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    # -- retention, export, purge ---------------------------------------------------------------
    def _cutoff(self) -> float | None:
        return None if self.retention_days is None else time.time() - self.retention_days * _DAY_S

    @staticmethod
    def _delete_before(conn: sqlite3.Connection, cutoff: float | None) -> int:
        if cutoff is None:
            return 0
        return conn.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,)).rowcount

    def purge_expired(self) -> int:
        """Delete the rows older than the retention period; returns how many."""
        with closing(self._connect()) as conn, conn:
            return self._delete_before(conn, self._cutoff())

    def purge(self, older_than_days: float | None = None) -> int:
        """Delete rows older than ``older_than_days`` (None: all rows) and compact the file."""
        cutoff = time.time() - older_than_days * _DAY_S if older_than_days is not None else float("inf")
        with closing(self._connect()) as conn:
            with conn:
                removed = self._delete_before(conn, cutoff)
            conn.execute("VACUUM")
        return removed

    def export(self) -> Iterator[dict]:
        """Every row still within the retention period, oldest first, as JSON-ready dicts."""
        self.purge_expired()
        with closing(self._connect()) as conn:
            conn.row_factory = sqlite3.Row
            for row in conn.execute("SELECT * FROM feedback ORDER BY id"):
                data = dict(row)
                data["created_at"] = datetime.fromtimestamp(data["created_at"], tz=timezone.utc).isoformat(
                    timespec="seconds")
                data["citations"] = json.loads(data["citations"])
                yield data
