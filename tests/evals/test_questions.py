"""The gold question set (evals/questions.jsonl): schema, coverage and quotes checked against corpus/.

Fast and model-free: it only reads the JSONL file, the corpus files and the manifest.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from evals.scoring import GoldItem

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "evals" / "questions.jsonl"
CORPUS = ROOT / "corpus"

KEYS = ["id", "type", "region", "question", "history", "answer", "must_include", "sources"]
REGIONS = {"Alkmaar", "Zuid-Kennemerland", "Noord-Kennemerland", "Haaglanden", None}
MIN_PER_TYPE = {"fact": 14, "list": 12, "responsible_party": 14, "route": 10, "contact": 10, "comparison": 6,
                "numeric": 8, "unanswerable": 14, "followup": 10}
MIN_PER_DOC = 8
MIN_TOTAL = 100
QUOTE_LEN = (20, 150)


def _load() -> list[dict]:
    items = []
    for n, line in enumerate(QUESTIONS.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {n} is empty"
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {n} is not a JSON object"
        items.append(obj)
    return items


ITEMS = _load()
IDS = [str(item.get("id")) for item in ITEMS]


def _corpus_texts() -> dict[str, str]:
    """Text of every corpus file a question cites (other files, e.g. binary ones, are not read)."""
    cited = {s["doc"] for item in ITEMS for s in item.get("sources", []) if isinstance(s, dict)}
    return {name: (CORPUS / name).read_text(encoding="utf-8") for name in cited
            if isinstance(name, str) and (CORPUS / name).is_file()}


TEXTS = _corpus_texts()


def _doc_regions() -> dict[str, str]:
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return {d["file"]: d["region"] for d in manifest["documents"]}


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def _answerable(item: dict) -> bool:
    return item["type"] != "unanswerable"


# -- file level ----------------------------------------------------------------------------------
def test_enough_questions():
    assert len(ITEMS) >= MIN_TOTAL


def test_ids_unique_and_in_order():
    assert len(set(IDS)) == len(IDS), [i for i, c in Counter(IDS).items() if c > 1]
    assert IDS == [f"q{n:03d}" for n in range(1, len(IDS) + 1)]


def test_minimum_count_per_type():
    counts = Counter(item["type"] for item in ITEMS)
    short = {t: (counts.get(t, 0), need) for t, need in MIN_PER_TYPE.items() if counts.get(t, 0) < need}
    assert not short, f"too few questions (have, need): {short}"


def test_every_document_is_used_enough():
    used = Counter()
    for item in ITEMS:
        for doc in {s["doc"] for s in item["sources"]}:
            used[doc] += 1
    documents = set(_doc_regions())
    assert documents, "manifest lists no documents"
    short = {d: used.get(d, 0) for d in documents if used.get(d, 0) < MIN_PER_DOC}
    assert not short, f"documents used by fewer than {MIN_PER_DOC} questions: {short}"


# -- item level ----------------------------------------------------------------------------------
@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_schema(item):
    assert list(item) == KEYS, f"keys must be exactly {KEYS}"
    assert re.fullmatch(r"q\d{3}", item["id"])
    assert item["type"] in MIN_PER_TYPE
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


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_history(item):
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
        assert all(a != b for a, b in zip(roles, roles[1:])), "roles must alternate"
    else:
        assert history == [], "only followup questions carry a history"


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_answerable_or_not(item):
    if _answerable(item):
        assert item["sources"], "an answerable question needs at least one source"
        assert item["must_include"], "an answerable question needs must_include"
    else:
        assert item["sources"] == [] and item["must_include"] == []


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_quotes_are_exact_single_line_text_of_their_document(item):
    for source in item["sources"]:
        doc, quote = source["doc"], source["quote"]
        assert doc in TEXTS, f"{doc} is not a file in corpus/"
        assert "\n" not in quote and "\r" not in quote, f"quote spans lines: {quote!r}"
        assert QUOTE_LEN[0] <= len(quote) <= QUOTE_LEN[1], f"quote length {len(quote)}: {quote!r}"
        assert quote in TEXTS[doc], f"quote not found verbatim in {doc}: {quote!r}"
        assert not quote.rstrip().endswith("-"), f"quote ends in a line-end hyphen: {quote!r}"
    pairs = [(s["doc"], s["quote"]) for s in item["sources"]]
    assert len(pairs) == len(set(pairs)), "the same source is listed twice"


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_gold_answer_contains_must_include(item):
    missing = [m for m in item["must_include"] if _squash(m) not in _squash(item["answer"])]
    assert not missing, f"gold answer lacks {missing}"


@pytest.mark.parametrize("item", [i for i in ITEMS if i["region"] and _answerable(i)],
                         ids=[i["id"] for i in ITEMS if i["region"] and _answerable(i)])
def test_region_matches_a_source_document(item):
    regions = _doc_regions()
    assert item["region"] in {regions.get(s["doc"]) for s in item["sources"]}
