"""Enumerations (lists.yaml): asked by their title, every item comes back, each cited with the
document passage that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.inventories import load_inventories
from assistant.core.text import squash

ROOT = Path(__file__).resolve().parents[3]
LISTS = load_inventories(ROOT / "corpus" / "inventories").lists
REGION_WORDS = {"Alkmaar": "in regio alkmaar", "Noord-Kennemerland": "bij swv vo nk",
                "Zuid-Kennemerland": "in zuid-kennemerland", "Haaglanden": "in haaglanden"}


def test_there_are_lists_of_every_region():
    assert {record.region for record in LISTS} == set(REGION_WORDS)


def test_every_item_quote_names_its_item():
    """The quote of an item lies on the line naming it: it holds the item's first word."""
    problems = [f"{r.id}: {i.text!r} / {i.source.quote!r}" for r in LISTS for i in r.items
                if squash(i.text.split()[0]) not in squash(i.source.quote)]
    assert len(problems) <= len([i for r in LISTS for i in r.items]) // 10, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("record", LISTS, ids=[r.id for r in LISTS])
def test_asking_for_a_list_by_its_title_returns_every_item_cited(real_assistant, record):
    answer = real_assistant.answer(f"welke {record.title.lower()} noemt het plan {REGION_WORDS[record.region]}?")
    assert answer.mode == "inventory" and not answer.refused, answer.answer
    lines = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert len(lines) >= len(record.items), answer.answer
    by_n = {c.n: c for c in answer.citations}
    for item in record.items:
        line = next((line for line in lines if line.startswith(f"- {item.text}")), None)
        assert line is not None, (item.text, answer.answer)
        citation = by_n[int(line.rsplit("[", 1)[1].rstrip("]"))]
        # the citation marks, inside the cited passage, the item's own line (or the part of it the
        # passage holds when cleaning dropped a bullet or the passage ends inside the line)
        parts = [p for p in citation.quote.split(" … ") if squash(p) in squash(citation.text)]
        assert parts and all(len(squash(p)) >= 12 or p == item.text for p in parts), (item.text, citation.quote)
        assert any(squash(p) in squash(item.source.quote) or p == item.text for p in parts), (item.text, parts)


@pytest.mark.slow
@pytest.mark.parametrize("question", ["wat is oogo?", "wat is het samenwerkingsverband?", "wat is een thuiszitter?",
                                      "tot welke leeftijd loopt het jeugdondersteuningsplan zk?",
                                      "wat zijn de contactgegevens van het samenwerkingsverband vo noord-kennemerland"])
def test_a_term_or_a_single_fact_is_not_answered_with_a_list(real_assistant, question):
    """'wat is oogo?' asks what OOGO is, not who sits in it; 'contactgegevens' is not 'contact'."""
    answer = real_assistant.answer(question)
    assert not answer.answer.startswith("Volgens") or "(" not in answer.answer.splitlines()[0], answer.answer
    assert not any(c.chunk_id.startswith("inv-list#") for c in answer.citations[:1])


@pytest.mark.slow
def test_equally_matching_lists_are_both_given(real_assistant):
    answer = real_assistant.answer("welke sleutelprincipes heeft het swv nk?")
    wanted = [r for r in LISTS if "sleutelprincipes" in r.title.lower() and r.region == "Noord-Kennemerland"]
    assert len(wanted) == 2
    for record in wanted:
        assert record.title in answer.answer
        assert all(f"- {item.text}" in answer.answer for item in record.items)
    assert sorted(c.n for c in answer.citations) == list(range(1, len(answer.citations) + 1))
