"""Thumbs up/down on answers, kept in SQLite (``settings.feedback_db``).

One short-lived connection per call keeps the store safe to use from the API's worker threads
and the web chat's callbacks at once; every statement is parameterised.

Example::

    store = FeedbackStore(settings.feedback_db).create()
    row_id = store.add(FeedbackRequest(question="...", answer="...", rating="up"))
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path

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
)
"""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def create(self) -> "FeedbackStore":
        """Create the folder and the table if they are not there yet."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            conn.execute(_SCHEMA)
        return self

    def add(self, item: FeedbackRequest, source: str = "api") -> int:
        citations = json.dumps([c.model_dump() for c in item.citations], ensure_ascii=False)
        with closing(self._connect()) as conn, conn:
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
