"""Checks shared by the gold question sets (evals/questions.jsonl and evals/heldout.jsonl).

Each takes one JSONL item (a dict) and asserts; the test modules parametrize them per item.
"""

from __future__ import annotations

import json
import re
import unicodedata
from itertools import pairwise
from pathlib import Path

from evals.scoring import GoldItem

KEYS = ["id", "type", "region", "question", "history", "answer", "must_include", "sources"]
REGIONS = {"Alkmaar", "Zuid-Kennemerland", "Noord-Kennemerland", "Haaglanden", None}
QUOTE_LEN = (20, 150)


def load_jsonl(path: Path) -> list[dict]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name} line {n} is empty"
        obj = json.loads(line)
        assert isinstance(obj, dict), f"{path.name} line {n} is not a JSON object"
        items.append(obj)
    return items


def squash(text: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form of a text."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def check_schema(item: dict, id_pattern: str, types) -> None:
    assert list(item) == KEYS, f"keys must be exactly {KEYS}"
    assert re.fullmatch(id_pattern, item["id"])
    assert item["type"] in types
    assert item["region"] in REGIONS
    for key in ("question", "answer"):
        assert isinstance(item[key], str) and item[key].strip(), f"{key} must be a non-empty string"
    assert isinstance(item["must_include"], list)
    assert all(isinstance(m, str) and m.strip() for m in item["must_include"])
    assert isinstance(item["sources"], list)
    for source in item["sources"]:
        assert isinstance(source, dict) and set(source) == {"doc", "quote"}
        assert isinstance(source["doc"], str) and isinstance(source["quote"], str)
    GoldItem.model_validate(item)  # the evaluation runner reads it with this model


def check_history(item: dict) -> None:
    history = item["history"]
    assert isinstance(history, list)
    for message in history:
        assert isinstance(message, dict) and set(message) == {"role", "content"}
        assert message["role"] in ("user", "assistant")
        assert isinstance(message["content"], str) and message["content"].strip()
    if item["type"] == "followup":
        assert len(history) >= 2, "a followup needs a prior exchange"
        assert history[0]["role"] == "user" and history[-1]["role"] == "assistant"
        roles = [m["role"] for m in history]
        assert all(a != b for a, b in pairwise(roles)), "roles must alternate"
    else:
        assert history == [], "only followup questions carry a history"


def check_quotes(item: dict, texts: dict[str, str]) -> None:
    """Every quote is verbatim text of one line of its document, 20-150 characters."""
    for source in item["sources"]:
        doc, quote = source["doc"], source["quote"]
        assert doc in texts, f"{doc} is not a file in corpus/"
        assert "\n" not in quote and "\r" not in quote, f"quote spans lines: {quote!r}"
        assert QUOTE_LEN[0] <= len(quote) <= QUOTE_LEN[1], f"quote length {len(quote)}: {quote!r}"
        assert quote in texts[doc], f"quote not found verbatim in {doc}: {quote!r}"
        assert not quote.rstrip().endswith("-"), f"quote ends in a line-end hyphen: {quote!r}"
    pairs = [(s["doc"], s["quote"]) for s in item["sources"]]
    assert len(pairs) == len(set(pairs)), "the same source is listed twice"


def check_answer_has_must_include(item: dict) -> None:
    missing = [m for m in item["must_include"] if squash(m) not in squash(item["answer"])]
    assert not missing, f"gold answer lacks {missing}"
