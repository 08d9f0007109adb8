"""Fact checks (assistant.answer.evidence.FactChecker) on sentences of the tiny index.

A fact question is answered only by a sentence holding a fact of the asked kind, about the
subject asked about. Each test takes real indexed sentences and shows one rule deciding.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from answer_support import analysis, candidate, chunk_holding
from assistant.answer.evidence import FactChecker, counted_noun, evidence_strength
from assistant.core.lexicon import lexicon


@pytest.fixture(scope="module")
def facts(tiny_assistant):
    """The checker as the engine builds it: the manifest's regions and gemeenten are places."""
    return tiny_assistant.composer.facts


def holds(facts, question: str, cand, **fields) -> bool:
    asked = analysis(question, **fields)
    return facts.holds(cand, asked, facts.asked(asked))


# -- topicality -------------------------------------------------------------------------------------
def test_a_phone_number_answers_a_question_about_its_own_passage(facts, tiny_index):
    phone = candidate(tiny_index, "020-1234567")
    assert holds(facts, "wat is het telefoonnummer van het loket?", phone)


def test_a_word_the_index_never_saw_keeps_a_fact_about_something_else_out(facts, tiny_index):
    # "jeugdhulpcontractteam" occurs nowhere: the loket's number is not that team's number, and a
    # prefix match on 'jeugdhulp' must not make the passage look on topic
    phone = candidate(tiny_index, "020-1234567")
    question = "wat is het telefoonnummer van het jeugdhulpcontractteam?"
    asked = analysis(question)
    subject = facts.subject(asked)
    assert "jeugdhulpcontractteam" in subject
    assert facts.topicality(subject, phone.chunk_index, alone=True) < 0.5
    assert not holds(facts, question, phone)


def test_an_unknown_word_repaired_by_the_analyzer_counts_as_its_repair(facts, tiny_index):
    phone = candidate(tiny_index, "020-1234567")
    question = "wat is het telefoonnummer van het lokett?"
    assert not holds(facts, question, phone)  # unrepaired, 'lokett' is a word the sources never use
    assert holds(facts, question, phone, repairs={"lokett": ["loket"]})


def test_topicality_weighs_rare_words_more_and_reads_the_neighbouring_passages(facts, tiny_index):
    wait = chunk_holding(tiny_index, "zes weken")
    contact = chunk_holding(tiny_index, "020-1234567")
    assert facts.topicality(["wachttijd", "jeugdhulp"], wait) == 1.0
    # the neighbour of the contact passage holds 'wachttijd'; alone the contact passage does not
    assert facts.topicality(["wachttijd"], contact) == 1.0
    assert facts.topicality(["wachttijd"], contact, alone=True) == 0.0
    assert facts.topicality([], contact) == 1.0


def test_the_subject_leaves_out_the_words_naming_the_kind_of_fact_and_the_places(facts):
    asked = analysis("wat is het telefoonnummer van het loket in lindehaven?",
                     place_terms={"lindehaven"}, regions=["Noordwaard"])
    subject = facts.subject(asked)
    assert "loket" in subject
    assert not {"telefoonnummer", "lindehaven", "nummer"} & set(subject)


# -- years and counts -------------------------------------------------------------------------------
def test_a_year_named_in_the_question_must_be_in_the_passage(facts, tiny_index):
    count = candidate(tiny_index, "42 thuiszitters")
    assert holds(facts, "hoeveel thuiszitters waren er in 2022?", count)  # "schooljaar 2022-2023"
    assert not holds(facts, "hoeveel thuiszitters waren er in 2015?", count)


def test_hoeveel_x_needs_the_number_next_to_x(facts, tiny_index):
    signed = candidate(tiny_index, "17 gemeenten")  # "17 gemeenten ... daarnaast doen de scholen ... mee"
    assert holds(facts, "hoeveel convenanten over vroegsignalering zijn er ondertekend?", signed)
    question = "hoeveel scholen doen mee aan de training?"
    assert not holds(facts, question, signed)
    # it is the "next to X" rule that decides: without the counted noun the same sentence would pass
    asked = analysis(question)
    assert facts.holds(signed, asked, replace(facts.asked(asked), counted=None))


def test_an_item_number_is_no_count(facts, tiny_index):
    item = candidate(tiny_index, "3. Thuiszitten is geen optie")
    question = "hoeveel thuiszitters zijn er in noordwaard?"
    asked = analysis(question)
    # the sentence starts with a number next to the counted word, so only the item-number rule refuses it
    assert asked.evidence.match(item.text) and lexicon().pattern("item_number").match(item.text)
    assert not holds(facts, question, item)
    assert holds(facts, question, candidate(tiny_index, "42 thuiszitters"))


def test_a_span_of_time_is_no_count(facts, tiny_index):
    halving = candidate(tiny_index, "in vier jaar halveren")
    assert not holds(facts, "hoeveel thuiszitters wil het samenwerkingsverband halveren?", halving)


def test_counted_noun_skips_school_levels_and_units():
    assert counted_noun(analysis("hoeveel vo leerlingen zitten thuis?"))[0] == "leerling"
    assert counted_noun(analysis("hoeveel thuiszitters zijn er?"))[0].startswith("thuiszit")
    assert counted_noun(analysis("wat is het aantal thuiszitters?")) is None  # no "hoeveel"


# -- names ------------------------------------------------------------------------------------------
def test_a_place_name_is_never_a_persons_name(facts, tiny_index):
    assert facts.looks_like_name("Marit Okkerse")
    assert not facts.looks_like_name("Nieuw Beukenstad")
    assert not facts.looks_like_name("Lindehaven Noord")  # one word a place is enough
    # the same two capitalised words would pass for a name without the gazetteer of the manifest
    assert FactChecker(tiny_index, places=set()).looks_like_name("Nieuw Beukenstad")


def test_capitalised_words_the_corpus_writes_lowercase_are_no_name(facts):
    assert not facts.looks_like_name("Het Loket")  # 'loket' occurs lowercase ("via het loket")
    assert not facts.looks_like_name("Okkerse")  # one word is no full name


def test_who_is_the_contact_person_is_answered_by_a_name_not_by_a_place(facts, tiny_index):
    named = candidate(tiny_index, "Marit Okkerse")
    placed = candidate(tiny_index, "Het college van Nieuw Beukenstad")
    question = "wie is de contactpersoon voor het jeugdplan?"
    assert holds(facts, question, named)
    assert not holds(facts, question, placed)


def test_a_role_asked_for_must_stand_with_the_name(facts, tiny_index):
    named = candidate(tiny_index, "Marit Okkerse")
    assert holds(facts, "wie is de coordinator van het jeugdplan?", named)
    assert not holds(facts, "wie is de wethouder van het jeugdplan?", named)


def test_a_match_that_repeats_the_question_is_no_answer(facts, tiny_index):
    dated = candidate(tiny_index, "14 maart 2022")
    assert holds(facts, "wanneer heeft het college ingestemd met het jeugdplan?", dated)
    # "maart" and "2022" are the sentence's only dates, and the question names both already
    assert not holds(facts, "wanneer in maart 2022 heeft het college ingestemd met het jeugdplan?", dated)


def test_a_full_date_is_stronger_evidence_than_a_bare_year():
    asked = analysis("wanneer heeft het college ingestemd?")
    assert evidence_strength("op 14 maart 2022 ingestemd", asked) == 2
    assert evidence_strength("het jeugdplan 2022", asked) == 1
    assert evidence_strength("op 14 maart 2022", analysis("hoeveel thuiszitters zijn er?")) == 1


def test_a_number_that_points_to_a_step_or_article_is_no_count(facts, tiny_index):
    count = candidate(tiny_index, "42 thuiszitters")
    question = "hoeveel thuiszitters waren er in noordwaard?"
    assert holds(facts, question, count)
    for reference in ("de in punt 4 beschreven", "volgens stap 2 de", "zoals artikel 12 zegt, de"):
        pointing = replace(count, text=f"In het schooljaar zijn {reference} thuiszitters in de regio Noordwaard geteld.")
        assert analysis(question).evidence.search(pointing.text)  # a number next to the counted word ...
        assert not holds(facts, question, pointing)  # ... that the reference rule alone refuses
