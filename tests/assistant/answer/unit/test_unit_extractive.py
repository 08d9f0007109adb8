"""Sentence scoring and assembly of the extractive composer (assistant.answer.extractive).

Hand-built analyses and hits on the tiny index, query vectors from the deterministic fake
embedder: which sentences are candidates, which lead, how many passages an answer cites, and
that its ``[n]`` markers and citations agree.
"""

from __future__ import annotations

import pytest

from answer_support import analysis, hits_of, hits_with, markers
from assistant.answer.extractive import ExtractiveComposer
from assistant.core.text import squash


def compose(composer, embedder, question, hits, **fields):
    asked = analysis(question, **fields)
    return composer.compose(asked, hits, embedder.embed_query_array(asked.dense_text))


def sentences(composition) -> list[str]:
    """The answer's lines without their "- " marks: the lead first, then the support and items."""
    return [line.strip().removeprefix("- ") for line in composition.answer.splitlines()]


@pytest.fixture(scope="module")
def composer(tiny_assistant):
    return tiny_assistant.composer


@pytest.fixture(scope="module")
def school_hits(tiny_index):
    """Six passages that each hold one near-identical sentence ("De scholen bespreken <x> ...")."""
    return hits_with(tiny_index, "De scholen bespreken")


# -- candidates and scores --------------------------------------------------------------------------
def test_a_title_or_heading_line_is_no_candidate(composer, tiny_index, embedder):
    # the question is the document's title and a section heading, word for word
    for question, fragment, heading in [("ondersteuningsplan noordwaard 2023-2026", "42 thuiszitters",
                                         "Ondersteuningsplan Noordwaard 2023-2026"),
                                        ("wachttijd jeugdhulp", "zes weken", "Wachttijd jeugdhulp")]:
        asked = analysis(question)
        texts = [c.text for c in composer.candidates(asked, hits_with(tiny_index, fragment),
                                                     embedder.embed_query_array(question))]
        assert texts and heading not in texts, texts


def test_a_records_source_line_is_no_candidate(composer, tiny_index, embedder):
    record = hits_of(tiny_index, "inv-list#nw-pijlers")
    question = "welke pijlers heeft het plan?"
    texts = [c.text for c in composer.candidates(analysis(question), record, embedder.embed_query_array(question))]
    assert texts and not any(t.startswith(("Brontekst:", "Ook genoemd:")) for t in texts)


def test_a_sentence_holding_the_asked_fact_beats_one_that_only_shares_words(composer, tiny_index, embedder):
    question = "hoeveel thuiszitters zijn er in het samenwerkingsverband?"
    asked = analysis(question)
    hits = hits_with(tiny_index, "42 thuiszitters")
    scores = {c.text: c.score for c in composer.candidates(asked, hits, embedder.embed_query_array(question))}
    fact = next(t for t in scores if "42 thuiszitters" in t)
    sharing = next(t for t in scores if "halveren" in t)
    assert scores[sharing] > scores[fact]  # by words and vector alone the other sentence wins ...
    composition = composer.compose(asked, hits, embedder.embed_query_array(question))
    assert composition.answer.startswith(f"{fact} [")  # ... but the sentence with the count leads


def test_vastgesteld_finds_the_decision_that_says_ingestemd(composer, tiny_index, embedder):
    # one concept, two spellings: the decision date answers "vastgesteld" though the words differ
    composition = compose(composer, embedder, "wanneer is het jeugdplan vastgesteld?",
                          hits_with(tiny_index, "14 maart 2022"))
    assert not composition.refused
    assert composition.answer.startswith("Het college van Nieuw Beukenstad heeft op 14 maart 2022 ingestemd")


def test_a_contact_line_scores_higher_for_a_contact_question(composer, tiny_index, embedder):
    hits = hits_with(tiny_index, "020-1234567")
    contact, plain = analysis("hoe kan ik het loket bereiken?"), analysis("wat doet het loket?")
    assert contact.intent.contact_details and not plain.intent.contact_details

    def score(asked):
        vector = embedder.embed_query_array(asked.question)
        return next(c.score for c in composer.candidates(asked, hits, vector) if "020-1234567" in c.text)

    assert score(contact) - score(plain) > 0.2


def test_support_is_the_share_of_the_questions_words_in_the_best_passages(composer, tiny_index):
    hits = hits_with(tiny_index, "zes weken")
    assert composer.support(analysis("wachttijd jeugdhulp"), hits) == 1.0
    assert composer.support(analysis("wachttijd kantine"), hits) == 0.5


# -- assembly -------------------------------------------------------------------------------------
def test_an_announcing_sentence_brings_the_list_items_after_it(composer, tiny_index, embedder):
    composition = compose(composer, embedder, "waar rust het plan op?",
                          hits_with(tiny_index, "drie pijlers"))
    lines = composition.answer.splitlines()
    assert lines[0] == "Het plan rust op drie pijlers: [1]"
    items = ["Vroegsignalering op school door de intern begeleider.", "Samenwerking met de wijkteams van de gemeenten.",
             "Een dekkend aanbod voor elke leerling in de regio."]
    assert lines[1:] == [f"- {item} [1]" for item in items]  # in the plan's order


def test_candidates_come_from_the_first_answer_passages_of_the_ranking(tiny_index, composer, embedder,
                                                                      tiny_assistant):
    question = "wat bespreken de scholen met de ouders en het wijkteam?"
    hits = hits_with(tiny_index, "De scholen bespreken")
    assert len(hits) == 6
    vector = embedder.embed_query_array(question)
    three = ExtractiveComposer(tiny_index, composer.facts, passages=3)
    read = {c.chunk_index for c in three.candidates(analysis(question), hits, vector)}
    assert read == {tiny_index.by_id[h.chunk.chunk_id] for h in hits[:3]}
    # the assistant's composer reads as many passages as the settings say (all six here)
    assert composer.passages == tiny_assistant.settings.answer_passages >= len(hits)
    assert len({c.chunk_index for c in composer.candidates(analysis(question), hits, vector)}) == 6


def test_an_answer_cites_at_most_max_citations_passages(tiny_index, composer, embedder):
    question = "hoe lang is de wachttijd, hoeveel thuiszitters, wat is het budget en het telefoonnummer?"
    hits = hits_with(tiny_index, "zes weken", "42 thuiszitters", "250.000 euro", "020-1234567")
    two = ExtractiveComposer(tiny_index, composer.facts, max_citations=2)
    assert len(compose(two, embedder, question, hits).citations) <= 2
    assert len(compose(composer, embedder, question, hits).citations) <= composer.max_citations == 4


def test_near_identical_sentences_are_shown_once(composer, embedder, school_hits):
    composition = compose(composer, embedder, "wat bespreken de scholen met de ouders en het wijkteam?", school_hits)
    assert len(sentences(composition)) == 1 and len(composition.citations) == 1


def test_citations_are_numbered_in_order_of_use_and_every_marker_exists(composer, embedder, school_hits):
    composition = compose(composer, embedder, "wat bespreken de scholen met de ouders en het wijkteam?", school_hits)
    numbers = [c.n for c in composition.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert markers(composition.answer) == set(numbers)
    # the passage ranked first is cited first, and each line's marker is the passage it comes from
    ranks = [next(r for r, h in enumerate(school_hits) if h.chunk.chunk_id == c.chunk_id)
             for c in composition.citations]
    assert ranks == sorted(ranks) and ranks[0] == 0
    for line, citation in zip(sentences(composition), composition.citations):
        assert line.endswith(f"[{citation.n}]")
        assert squash(line[:-len(f" [{citation.n}]")]) in squash(citation.text)
        assert squash(citation.quote) in squash(citation.text)


def test_the_answer_opens_with_a_source_sentence_not_a_generic_line(composer, embedder, school_hits):
    composition = compose(composer, embedder, "wat bespreken de scholen met de ouders?", school_hits,
                          regions=["Noordwaard"])
    lead = composition.answer.splitlines()[0]
    assert lead == "De scholen bespreken taal met de ouders en het wijkteam in de regio Noordwaard. [1]"
    assert composition.route == "extractive" and not composition.refused


def test_the_same_sentence_is_never_shown_twice(composer, tiny_index, embedder):
    # one passage at two ranks gives two candidates of the same sentence: the answer shows it once
    hits = hits_with(tiny_index, "020-1234567", "020-1234567")
    composition = compose(composer, embedder, "wat is het telefoonnummer van het loket?", hits)
    assert sum("020-1234567" in line for line in sentences(composition)) == 1
