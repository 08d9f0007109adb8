"""The one citation builder and the one quote locator (assistant.answer.citations).

``Citations`` numbers passages in order of first use and merges quotes; ``locate_quote`` finds the
document passage holding a quote across hyphenation, bullets, a cut-off line and table cells.
"""

from __future__ import annotations

import pytest

from answer_support import chunk_holding
from assistant.answer.citations import Citations, cite, locate_quote
from assistant.answer.evidence import Candidate
from assistant.answer.shape import plan_origins
from assistant.core.types import Chunk, Composition


def chunk(n: int, text: str = "Een passage met genoeg tekst om te citeren.", page: int | None = 3) -> Chunk:
    return Chunk(chunk_id=f"doc#{n}", doc_id="doc", title="Plan", region="Noordwaard", seq=n, text=text,
                 page_start=page, page_end=page, section="H", char_start=0, char_end=len(text))


# -- Citations --------------------------------------------------------------------------------------
def test_citations_are_numbered_in_order_of_first_use_one_per_passage():
    citations = Citations()
    assert citations.add(chunk(7), "a") == 1
    assert citations.add(chunk(2), "b") == 2
    assert citations.add(chunk(7), "c") == 1  # cited before: keeps its number, quote unchanged
    assert [(c.n, c.chunk_id, c.quote) for c in citations] == [(1, "doc#7", "a"), (2, "doc#2", "b")]
    assert len(citations) == 2


def test_with_merge_each_new_quote_of_a_passage_joins_once():
    citations = Citations()
    citations.add(chunk(1), "eerste regel")
    citations.add(chunk(1), "tweede regel", merge=True)
    citations.add(chunk(1), "eerste regel", merge=True)
    assert [c.quote for c in citations] == ["eerste regel … tweede regel"]


def test_a_citation_carries_its_passage_and_page():
    citation = cite(chunk(4, page=9), 5, "genoeg tekst")
    assert (citation.n, citation.doc_id, citation.title, citation.page, citation.section) == (5, "doc", "Plan", 9, "H")
    assert citation.text == chunk(4).text and citation.quote == "genoeg tekst"


def test_merging_another_answers_citations_renumbers_and_joins_quotes():
    own = Citations()
    own.add(chunk(1), "a")
    other = Citations()
    other.add(chunk(2), "b")
    other.add(chunk(1), "c")
    foreign = list(other)
    assert [own.merge(c) for c in foreign] == [2, 1]
    assert [(c.n, c.chunk_id, c.quote) for c in own] == [(1, "doc#1", "a … c"), (2, "doc#2", "b")]
    assert [c.n for c in foreign] == [1, 2]  # the other answer's citations are not changed


def test_citations_built_from_existing_ones_are_copies():
    first = Citations()
    first.add(chunk(1), "a")
    existing = list(first)
    grown = Citations(existing)
    grown.quote(1, "nieuw citaat")
    assert grown.add(chunk(3), "d") == 2
    assert existing[0].quote == "a" and len(existing) == 1


# -- locate_quote -----------------------------------------------------------------------------------
def test_an_exact_quote_is_found_in_its_passage(tiny_index):
    quote = "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken."
    assert locate_quote(tiny_index, quote) == (chunk_holding(tiny_index, "zes weken"), quote)


def test_a_quote_is_found_across_hyphenation_spacing_and_case(tiny_index):
    quote = "het loket passend onder-\nwijs is   bereikbaar via telefoon"
    assert locate_quote(tiny_index, quote) == (chunk_holding(tiny_index, "020-1234567"), quote)


@pytest.mark.parametrize("mark", ["o", "2.", "b)", "12)"])
def test_a_bullet_the_cleaning_dropped_or_changed_is_ignored(tiny_index, mark):
    # letters and digits of a mark ("o", "2.") would break the match; other marks are punctuation anyway
    line = "Samenwerking met de wijkteams van de gemeenten."
    assert locate_quote(tiny_index, f"{mark} {line}") == (chunk_holding(tiny_index, "drie pijlers"), line)


def test_a_dash_bullet_is_punctuation_and_the_quote_is_found_as_it_is(tiny_index):
    quote = "- Samenwerking met de wijkteams van de gemeenten."
    assert locate_quote(tiny_index, quote) == (chunk_holding(tiny_index, "drie pijlers"), quote)


def test_a_passage_ending_inside_the_quote_is_found_by_the_longer_half(tiny_index):
    quote = "Het samenwerkingsverband wil het aantal thuiszitters in vier jaar halveren en daarna verder dalen"
    found = locate_quote(tiny_index, quote)
    assert found is not None
    ci, part = found
    assert ci == chunk_holding(tiny_index, "halveren") and quote.startswith(part) and len(part) > len(quote) / 2


def test_a_quote_across_table_cells_is_found_in_its_row(tiny_index):
    quote = "Training vroegsignalering voor mentoren  Het wijkteam  Schooljaar 2024"
    ci, part = locate_quote(tiny_index, quote)
    assert tiny_index.chunks[ci].kind == "table_row" and "Training vroegsignalering" in tiny_index.chunks[ci].text
    assert part == "Training vroegsignalering voor mentoren … Het wijkteam … Schooljaar 2024"


def test_a_quote_is_looked_for_in_the_given_document_only(tiny_index):
    quote = "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken."
    assert locate_quote(tiny_index, quote, doc_id="zv-besluit") is None
    assert locate_quote(tiny_index, quote, doc_id="nw-plan") is not None


def test_records_and_too_short_quotes_are_not_located(tiny_index):
    assert locate_quote(tiny_index, "Opsomming in Noordwaard: Pijlers van het ondersteuningsplan") is None
    assert locate_quote(tiny_index, "zes weken") is None  # under 12 letters: would match anywhere
    assert locate_quote(tiny_index, "Deze zin staat in geen enkel document van het corpus.") is None


# -- a record's origin ------------------------------------------------------------------------------
def test_a_records_sentence_leads_to_the_plan_sentence_it_restates(tiny_index):
    ci = tiny_index.by_id["inv-contact#nw-wijkteam"]
    record = tiny_index.chunks[ci]
    head = Candidate(0, ci, 0, 40, record.text[:40], 0.7, 0.7, 0.0)
    origin = plan_origins(tiny_index, head)[0]
    plan = chunk_holding(tiny_index, "terecht bij het wijkteam van de woongemeente")
    assert origin.chunk_index == plan and origin.score == head.score
    assert origin.text == "Scholen kunnen voor ondersteuning terecht bij het wijkteam van de woongemeente."
    assert tiny_index.chunks[plan].text[origin.start:origin.end].strip() == origin.text


def test_a_document_sentence_or_a_record_without_a_found_quote_has_no_origin(tiny_index):
    fact = tiny_index.chunks[chunk_holding(tiny_index, "zes weken")]
    ci = chunk_holding(tiny_index, "zes weken")
    assert plan_origins(tiny_index, Candidate(0, ci, 0, 20, fact.text[:20], 0.5, 0.5, 0.0)) == []
