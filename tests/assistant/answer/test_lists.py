"""Enumerations (lists.yaml): asked by their title, every item comes back, each cited with the
document passage that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

import re

from ingest.inventories import load_inventories
from assistant.core.text import squash

ROOT = Path(__file__).resolve().parents[3]
LISTS = load_inventories(ROOT / "corpus" / "inventories").lists
REGION_WORDS = {"Alkmaar": "in regio alkmaar", "Noord-Kennemerland": "bij swv vo nk",
                "Zuid-Kennemerland": "in zuid-kennemerland", "Haaglanden": "in haaglanden"}


def listed(answer: str) -> list[tuple[str, int]]:
    """(item line, citation number) of every item a list answer shows: bullets ("- item: detail [n]")
    or, for a short list, inline in its lead ("Title (3): a [1], b [2] en c [3].")."""
    out = []
    for line in answer.splitlines():
        bullet = re.match(r"^\s*- (.+?) \[(\d+)(?:, \d+)*\]$", line)
        if bullet:
            out.append((bullet.group(1), int(bullet.group(2))))
        elif re.search(r"\(\d+\): ", line):
            inline = line.split("): ", 1)[1]
            out += [(m.group(1), int(m.group(2))) for m in
                    re.finditer(r"(?:^|, | en )(.+?) \[(\d+)(?:, \d+)*\]", inline)]
    return out


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
    items = listed(answer.answer)
    assert len(items) >= len(record.items), answer.answer
    by_n = {c.n: c for c in answer.citations}
    for item in record.items:
        shown = next((n for text, n in items if text.startswith(item.text)), None)
        assert shown is not None, (item.text, answer.answer)
        citation = by_n[shown]
        # the citation marks, inside the cited passage, the item's own line (or the part of it the
        # passage holds when cleaning dropped a bullet or the passage ends inside the line)
        parts = [p for p in citation.quote.split(" … ") if squash(p) in squash(citation.text)]
        assert parts and all(len(squash(p)) >= 12 or p == item.text for p in parts), (item.text, citation.quote)
        # ... the cited line holds the item's quote, or the quote the line
        quote = squash(item.source.quote)
        assert any(squash(p) in quote or quote in squash(p) or p == item.text for p in parts), (item.text, parts)


@pytest.mark.slow
@pytest.mark.parametrize("question", ["wat is oogo?", "wat is het samenwerkingsverband?", "wat is een thuiszitter?",
                                      "tot welke leeftijd loopt het jeugdondersteuningsplan zk?",
                                      "wat zijn de contactgegevens van het samenwerkingsverband vo noord-kennemerland"])
def test_a_term_or_a_single_fact_is_not_answered_with_a_list(real_assistant, question):
    """'wat is oogo?' asks what OOGO is, not who sits in it; 'contactgegevens' is not 'contact'."""
    answer = real_assistant.answer(question)
    assert not re.search(r"\(\d+\):", answer.answer.splitlines()[0]), answer.answer  # no list title and size
    assert not any(c.chunk_id.startswith("inv-list#") for c in answer.citations[:1])


@pytest.mark.slow
def test_equally_matching_lists_are_both_given(real_assistant):
    answer = real_assistant.answer("welke sleutelprincipes heeft het swv nk?")
    wanted = [r for r in LISTS if "sleutelprincipes" in r.title.lower() and r.region == "Noord-Kennemerland"]
    assert len(wanted) == 2
    for record in wanted:
        assert record.title in answer.answer
        shown = [text for text, _ in listed(answer.answer)]
        assert all(any(text.startswith(item.text) for text in shown) for item in record.items), answer.answer
    assert sorted(c.n for c in answer.citations) == list(range(1, len(answer.citations) + 1))
