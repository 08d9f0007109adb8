"""The held-out gold set (evals/heldout.jsonl): schema, exact coverage and quotes checked against corpus/.

Same rules as tests/evals/test_questions.py (quotes verbatim on one line of their document, must_include in the
gold answer), plus: exact counts per type, every must_include string also in a cited document, and no question
shared with the tuning set evals/questions.jsonl. Fast and model-free.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from gold_checks import (
    REGIONS,
    check_answer_has_must_include,
    check_history,
    check_quotes,
    check_schema,
    load_jsonl,
    squash,
)

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "evals" / "heldout.jsonl"
TUNING = ROOT / "evals" / "questions.jsonl"
CORPUS = ROOT / "corpus"

COUNT_PER_TYPE = {"fact": 8, "list": 8, "responsible_party": 8, "route": 6, "contact": 6, "comparison": 4,
                  "numeric": 6, "unanswerable": 8, "followup": 6}
TOTAL = sum(COUNT_PER_TYPE.values())
MIN_PER_DOC = 6



ITEMS = load_jsonl(HELDOUT)
IDS = [str(item.get("id")) for item in ITEMS]
ANSWERABLE = [item for item in ITEMS if item.get("type") != "unanswerable"]
DOC_REGIONS = {d["file"]: d["region"]
               for d in yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]}
TEXTS = {name: (CORPUS / name).read_text(encoding="utf-8") for name in DOC_REGIONS if (CORPUS / name).is_file()}



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
    tuning = load_jsonl(TUNING)
    assert not {item["id"] for item in tuning} & set(IDS)
    seen = {squash(item["question"]) for item in tuning}
    shared = [item["id"] for item in ITEMS if squash(item["question"]) in seen]
    assert not shared, f"questions also in questions.jsonl: {shared}"
    own = Counter(squash(item["question"]) for item in ITEMS)
    assert all(c == 1 for c in own.values()), "a held-out question occurs twice"


# -- item level ----------------------------------------------------------------------------------
@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_schema(item):
    check_schema(item, r"h\d{3}", COUNT_PER_TYPE)
    assert len(item["must_include"]) <= 10


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_history(item):
    check_history(item)


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
    check_quotes(item, TEXTS)


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_gold_answer_contains_must_include(item):
    check_answer_has_must_include(item)


@pytest.mark.parametrize("item", ANSWERABLE, ids=[i["id"] for i in ANSWERABLE])
def test_must_include_is_in_a_cited_document(item):
    cited = "".join(squash(TEXTS[s["doc"]]) for s in item["sources"] if s["doc"] in TEXTS)
    missing = [m for m in item["must_include"] if squash(m) not in cited]
    assert not missing, f"not in the cited documents: {missing}"


@pytest.mark.parametrize("item", [i for i in ANSWERABLE if i["region"]],
                         ids=[i["id"] for i in ANSWERABLE if i["region"]])
def test_region_matches_a_source_document(item):
    assert item["region"] in {DOC_REGIONS.get(s["doc"]) for s in item["sources"]}
