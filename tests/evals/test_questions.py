"""The gold question set (evals/questions.jsonl): schema, coverage and quotes checked against corpus/.

Fast and model-free: it only reads the JSONL file, the corpus files and the manifest.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from gold_checks import (
    check_answer_has_must_include,
    check_history,
    check_quotes,
    check_schema,
    load_jsonl,
)

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "evals" / "questions.jsonl"
CORPUS = ROOT / "corpus"

MIN_PER_TYPE = {"fact": 14, "list": 12, "responsible_party": 14, "route": 10, "contact": 10, "comparison": 6,
                "numeric": 8, "unanswerable": 14, "followup": 10}
MIN_PER_DOC = 8
MIN_TOTAL = 100


ITEMS = load_jsonl(QUESTIONS)
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
    check_schema(item, r"q\d{3}", MIN_PER_TYPE)


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_history(item):
    check_history(item)


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_answerable_or_not(item):
    if _answerable(item):
        assert item["sources"], "an answerable question needs at least one source"
        assert item["must_include"], "an answerable question needs must_include"
    else:
        assert item["sources"] == [] and item["must_include"] == []


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_quotes_are_exact_single_line_text_of_their_document(item):
    check_quotes(item, TEXTS)


@pytest.mark.parametrize("item", ITEMS, ids=IDS)
def test_gold_answer_contains_must_include(item):
    check_answer_has_must_include(item)


@pytest.mark.parametrize("item", [i for i in ITEMS if i["region"] and _answerable(i)],
                         ids=[i["id"] for i in ITEMS if i["region"] and _answerable(i)])
def test_region_matches_a_source_document(item):
    regions = _doc_regions()
    assert item["region"] in {regions.get(s["doc"]) for s in item["sources"]}
