"""``wegwijs feedback export | purge``: what a privacy officer runs, with Dutch output."""

from __future__ import annotations

import json
import sqlite3
import stat
import time

import pytest

from assistant import cli
from assistant.core.settings import Settings
from ui.feedback import FeedbackStore
from ui.privacy import Scrubber, places_checker
from ui.schemas import FeedbackRequest


@pytest.fixture()
def settings(tmp_path, monkeypatch) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", feedback_retention_days=30)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    store = FeedbackStore(settings.feedback_db, retention_days=30).create()
    scrubber = Scrubber(known_words={"wie", "pakt", "de", "op", "leerplein"}, is_place=places_checker([]))
    for n, age_days in enumerate([40, 10, 1]):  # the first is past the retention period already
        row = store.add(FeedbackRequest(question=f"Wie pakt de 5a op voor Mohammed? ({n})", answer="Leerplein.",
                                        rating="up"), source="web", scrubber=scrubber)
        with sqlite3.connect(settings.feedback_db) as conn:
            conn.execute("UPDATE feedback SET created_at = ? WHERE id = ?", (time.time() - age_days * 86400, row))
    return settings


def test_export_to_a_file_as_json_lines(settings, tmp_path, capsys):
    out = tmp_path / "export" / "feedback.jsonl"
    assert cli.main(["feedback", "export", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in rows] == ["Wie pakt de 5a op voor [naam]? (1)", "Wie pakt de 5a op voor [naam]? (2)"]
    assert {"id", "created_at", "answer", "citations", "rating", "comment", "source"} <= set(rows[0])
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "2 feedbackregels geëxporteerd naar" in capsys.readouterr().err


def test_export_to_stdout(settings, capsys):
    assert cli.main(["feedback", "export"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2 and all(json.loads(line) for line in captured.out.splitlines())
    assert "2 feedbackregels geëxporteerd (bewaartermijn 30 dagen" in captured.err


def test_purge_older_than_and_all(settings, capsys):
    assert cli.main(["feedback", "purge", "--older-than-days", "5"]) == 0
    assert capsys.readouterr().out.strip() == "1 feedbackregel ouder dan 5 dagen verwijderd; 1 over."
    assert cli.main(["feedback", "purge", "--all"]) == 0
    assert capsys.readouterr().out.strip() == "Alle feedback verwijderd (1 regel)."
    assert FeedbackStore(settings.feedback_db).count() == 0


def test_purge_without_options_follows_the_retention_setting(settings, capsys):
    assert cli.main(["feedback", "purge"]) == 0
    assert capsys.readouterr().out.strip() == "0 feedbackregels ouder dan 30 dagen verwijderd; 2 over."


def test_purge_refuses_a_negative_age(settings, capsys):
    assert cli.main(["feedback", "purge", "--older-than-days", "-1"]) == 2
    assert "moet 0 of meer zijn" in capsys.readouterr().err
