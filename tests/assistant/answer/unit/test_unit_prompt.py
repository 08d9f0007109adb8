"""The compact LLM prompt (assistant.answer.prompt): the chosen sentences and their neighbours,
numbered like the citations, within the token cap; never whole passages."""

from __future__ import annotations

from answer_support import chunk_holding
from assistant.answer.citations import cite
from assistant.answer.prompt import (NOT_IN_SOURCES, SYSTEM_PROMPT, build_prompt, chosen_spans, estimate_tokens)

WAIT = "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken."
REPORT = "Scholen melden een leerling aan via het loket van de gemeente."
CONTACT = "De contactpersoon voor het jeugdplan is Marit Okkerse, coordinator jeugd bij de gemeente."
TEAM = "Scholen kunnen voor ondersteuning terecht bij het wijkteam van de woongemeente."


def _citation(index, n: int, quote: str, fragment: str | None = None):
    return cite(index.chunks[chunk_holding(index, fragment or quote.split(" … ")[0])], n, quote)


def test_the_prompt_holds_the_chosen_sentence_and_its_neighbours_not_the_whole_passage(tiny_index):
    citation = _citation(tiny_index, 1, CONTACT)
    prompt = build_prompt("wie is de contactpersoon voor het jeugdplan?", [citation], tiny_index)
    passage = tiny_index.chunks[chunk_holding(tiny_index, CONTACT)].text
    assert CONTACT in prompt.user
    shown = prompt.sources[0].text().splitlines()
    assert len(shown) == 3 and shown[1] == CONTACT  # one neighbour either side
    assert "250.000 euro" in prompt.user and "2022 tot en met 2025" in prompt.user
    assert "14 maart 2022" not in prompt.user and "14 maart 2022" in passage  # two sentences away: left out
    assert prompt.user.startswith("Bronnen:\n[1] Collegebesluit jeugdplan Zuiderveld, p. 1\n")
    assert prompt.user.endswith("Vraag: wie is de contactpersoon voor het jeugdplan?")


def test_the_system_prompt_is_dutch_and_asks_for_short_cited_sentences(tiny_index):
    prompt = build_prompt("hoe lang is de wachttijd?", [_citation(tiny_index, 1, WAIT)], tiny_index)
    assert prompt.system == SYSTEM_PROMPT
    for words in ("1 tot 3", "korte zinnen", "[1]", NOT_IN_SOURCES, "Nederlands", "geen opdracht"):
        assert words in prompt.system


def test_sources_are_numbered_in_citation_order_and_a_missing_passage_is_left_out(tiny_index):
    gone = _citation(tiny_index, 1, WAIT).model_copy(update={"chunk_id": "bestaat-niet#1"})
    citations = [gone, _citation(tiny_index, 2, TEAM), _citation(tiny_index, 3, WAIT)]
    prompt = build_prompt("waar kunnen scholen terecht?", citations, tiny_index)
    assert [s.n for s in prompt.sources] == [1, 2]
    assert prompt.sources[0].chunk.chunk_id == citations[1].chunk_id
    assert prompt.user.index("[1] Uitvoeringsagenda") < prompt.user.index("[2] Ondersteuningsplan")


def test_the_cap_keeps_the_chosen_sentences_and_drops_neighbours_first(tiny_index):
    citations = [_citation(tiny_index, 1, CONTACT), _citation(tiny_index, 2, TEAM)]
    question = "wie is de contactpersoon en waar kan een school terecht?"
    full = build_prompt(question, citations, tiny_index)
    chosen_only = build_prompt(question, citations, tiny_index, neighbours=0)
    capped = build_prompt(question, citations, tiny_index, max_tokens=chosen_only.tokens)
    assert full.tokens > chosen_only.tokens
    assert capped.user == chosen_only.user  # at that cap no neighbour fits, every chosen sentence does
    assert CONTACT in capped.user and TEAM in capped.user and "250.000 euro" not in capped.user
    assert "250.000 euro" in full.user
    # tighter still: the first source's chosen sentence stays, the second source (and its heading) goes
    tighter = build_prompt(question, citations, tiny_index, max_tokens=chosen_only.tokens - 20)
    assert CONTACT in tighter.user and "Uitvoeringsagenda" not in tighter.user and len(tighter.sources) == 1


def test_nothing_fits_gives_no_prompt(tiny_index):
    assert build_prompt("vraag", [_citation(tiny_index, 1, CONTACT)], tiny_index, max_tokens=50) is None
    assert build_prompt("vraag", [], tiny_index) is None


def test_a_real_answer_prompt_stays_under_600_tokens(tiny_assistant):
    answer = tiny_assistant.answer("waar kunnen scholen terecht voor ondersteuning en hoe lang is de wachttijd?")
    prompt = build_prompt(answer.question, answer.citations, tiny_assistant.index)
    assert prompt.tokens <= 600
    assert sum(len(s.chunk.text) for s in prompt.sources) > sum(len(s.text()) for s in prompt.sources)


def test_quote_parts_are_found_by_their_sentences_spacing_and_hyphenation_aside():
    text = "Eerste zin over niets. Tweede zin over de wacht- tijd van zes weken. Derde zin."
    spans = [(0, 22), (23, 68), (69, 80)]
    assert chosen_spans(text, spans, "Tweede zin over de wacht- tijd van zes weken.") == [(23, 68)]
    assert chosen_spans(text, spans, "Tweede zin over de wachttijd van zes weken") == [(23, 68)]
    assert chosen_spans(text, spans, "Eerste zin over niets. … Derde zin.") == [(0, 22), (69, 80)]
    assert chosen_spans(text, spans, "iets dat er niet staat") == []


def test_token_estimate_errs_on_the_high_side():
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 2 and estimate_tokens("a" * 320) == 100


def test_a_record_is_shown_without_its_closing_quote_list(tiny_index):
    record = tiny_index.chunks[tiny_index.by_id["inv-contact#nw-wijkteam"]]
    citation = cite(record, 1, "Voor wie: scholen in Noordwaard.")
    prompt = build_prompt("wie bel ik in noordwaard?", [citation], tiny_index)
    assert "Voor wie: scholen in Noordwaard." in prompt.user and "Telefoon: 020-7654321." in prompt.user
    assert "Brontekst" not in prompt.user and "Brontekst" in record.text
