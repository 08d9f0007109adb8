"""The held-out gold set (evals/heldout.jsonl): schema, exact coverage and quotes checked against corpus/.

Same rules as tests/evals/test_questions.py (quotes verbatim on one line of their document, must_include in the
gold answer), plus: exact counts per type, every must_include string also in a cited document, and no question
shared with the tuning set evals/questions.jsonl. Fast and model-free.
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
HELDOUT = ROOT / "evals" / "heldout.jsonl"
TUNING = ROOT / "evals" / "questions.jsonl"
CORPUS = ROOT / "corpus"

KEYS = ["id", "type", "region", "question", "history", "answer", "must_include", "sources"]
REGIONS = {"Alkmaar", "Zuid-Kennemerland", "Noord-Kennemerland", "Haaglanden", None}
COUNT_PER_TYPE = {"fact": 8, "list": 8, "responsible_party": 8, "route": 6, "contact": 6, "comparison": 4,
                  "numeric": 6, "unanswerable": 8, "followup": 6}
TOTAL = sum(COUNT_PER_TYPE.values())
MIN_PER_DOC = 6
QUOTE_LEN = (20, 150)


def _load(path: Path) -> list[dict]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name} line {n} is empty"
        obj = json.loads(line)
        assert isinstance(obj, dict), f"{path.name} line {n} is not a JSON object"
        items.append(obj)
    return items


ITEMS = _load(HELDOUT)
IDS = [str(item.get("id")) for item in ITEMS]
ANSWERABLE = [item for item in ITEMS if item.get("type") != "unanswerable"]
DOC_REGIONS = {d["file"]: d["region"]
               for d in yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]}
TEXTS = {name: (CORPUS / name).read_text(encoding="utf-8") for name in DOC_REGIONS if (CORPUS / name).is_file()}


def _squash(text: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form (the rule test_questions.py uses)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


# -- file level ----------------------------------------------------------------------------------
def test_total_and_ids_in_order():
    assert len(ITEMS) == TOTAL
    assert IDS == [f"h{n:03d}" for n in range(1, TOTAL + 1)]


def test_exact_count_per_type():
    counts = Counter(item["type"] for item in ITEMS)
    assert dict(counts) == COUNT_PER_TYPE


def test_every_document_is_used_enough():
    used = Counter(doc for item in ITEMS for doc in {s["doc"] for s in item["sources"]})
    short = {d: used.get(d, 0) for d in DOC_REGIONS if used.get(d, 0) < MIN_PER_DOC}
    assert not short, f"documents used by fewer than {MIN_PER_DOC} held-out questions: {short}"


def test_no_overlap_with_tuning_set():
    tuning = _load(TUNING)
    assert not {item["id"] for item in tuning} & set(IDS)
    seen = {_squash(item["question"]) for item in tuning}
    shared = [item["id"] for item in ITEMS if _squash(item["question"]) in seen]
    assert not shared, f"questions also in questions.jsonl: {shared}"
    own = Counter(_squash(item["question"]) for item in ITEMS)
    assert all(c == 1 for c in own.values()), "a held-out question occurs twice"


# -- item level ----------------------------------------------------------------------------------
@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_schema(item):
    assert list(item) == KEYS, f"keys must be exactly {KEYS}"
    assert re.fullmatch(r"h\d{3}", item["id"])
    assert item["type"] in COUNT_PER_TYPE
    assert item["region"] in REGIONS
    for key in ("question", "answer"):
        assert isinstance(item[key], str) and item[key].strip(), f"{key} must be a non-empty string"
    assert isinstance(item["must_include"], list) and len(item["must_include"]) <= 10
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
    if item["type"] != "unanswerable":
        assert item["sources"], "an answerable question needs at least one source"
        assert 1 <= len(item["must_include"]) <= 10
    else:
        assert item["sources"] == [] and item["must_include"] == []
        assert item["region"] is None or item["region"] in REGIONS


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_quotes_are_exact_single_line_text_of_their_document(item):
    for source in item["sources"]:
        doc, quote = source["doc"], source["quote"]
        assert doc in TEXTS, f"{doc} is not a document of corpus/manifest.yaml"
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


@pytest.mark.parametrize("item", ANSWERABLE, ids=[i["id"] for i in ANSWERABLE])
def test_must_include_is_in_a_cited_document(item):
    cited = "".join(_squash(TEXTS[s["doc"]]) for s in item["sources"] if s["doc"] in TEXTS)
    missing = [m for m in item["must_include"] if _squash(m) not in cited]
    assert not missing, f"not in the cited documents: {missing}"


@pytest.mark.parametrize("item", [i for i in ANSWERABLE if i["region"]],
                         ids=[i["id"] for i in ANSWERABLE if i["region"]])
def test_region_matches_a_source_document(item):
    assert item["region"] in {DOC_REGIONS.get(s["doc"]) for s in item["sources"]}
