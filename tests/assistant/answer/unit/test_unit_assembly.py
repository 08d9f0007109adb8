"""Assembling an answer (assistant.answer.assembly, assistant.answer.shape) on real sentences of the
tiny index: the lead and the sentences that add to it, a record shown in its own words or as the
plan states it, a table row and a list item as a reader sees them, and the items a sentence announces.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from answer_support import analysis, candidate, chunk_holding, hits_of
from assistant.answer.assembly import (MAX_ITEMS, MAX_SUPPORT, Shown, _following, choose_shown, compose_shown, in_context,
                                      readable)
from assistant.answer.evidence import Candidate
from assistant.answer.shape import plain, record_text
from evals.readability import readability


def sentences_of(index, ci: int, score: float = 0.0) -> list[Candidate]:
    """Every sentence of passage ``ci`` as a candidate of the composer, in order."""
    text = index.chunks[ci].text
    spans, _ = index.sentences_of(ci)
    return [Candidate(0, ci, a, b, text[a:b].strip(), score, score, 0.0) for a, b in spans]


@pytest.fixture(scope="module")
def pillars(tiny_index):
    return sentences_of(tiny_index, chunk_holding(tiny_index, "drie pijlers"))


# -- what a sentence brings along ------------------------------------------------------------------
def test_a_sentence_ending_in_a_colon_brings_the_items_after_it(pillars, tiny_index):
    announcing = next(c for c in pillars if c.text.endswith("pijlers:"))
    assert [plain(c.text) for c in _following(tiny_index, announcing, listing=False)] == [
        "Vroegsignalering op school door de intern begeleider.",
        "Samenwerking met de wijkteams van de gemeenten.",
        "Een dekkend aanbod voor elke leerling in de regio."]


def test_a_sentence_that_announces_nothing_brings_nothing(tiny_index):
    fact = candidate(tiny_index, "42 thuiszitters")
    assert _following(tiny_index, fact, listing=False) == []


def test_for_a_list_question_the_lead_brings_only_the_marked_items_after_it(pillars, tiny_index):
    heading = pillars[0]  # "Pijlers" announces nothing; as a list question's lead it brings the bullets
    assert not heading.text.endswith(":")
    items = _following(tiny_index, heading, listing=True)
    assert [c.text for c in items] == [c.text for c in pillars if c.text.startswith(("-", "•"))]
    assert _following(tiny_index, heading, listing=False) == []


def test_an_announcing_sentence_brings_at_most_max_items(tiny_index):
    ci = chunk_holding(tiny_index, "Onderwerp taal")
    sentences = sentences_of(tiny_index, ci)
    announcing = replace(sentences[0], text="De onderwerpen zijn:")  # the pass reads text and position only
    assert len(_following(tiny_index, announcing, listing=False)) <= MAX_ITEMS


def test_a_sentence_opening_with_dan_is_shown_with_the_question_it_answers(tiny_index):
    """"Is X? Dan Y." is one rule: either half brings the other."""
    then = candidate(tiny_index, "Dan tekent de ouder")
    question = candidate(tiny_index, "Is de leerling jonger")
    both = "Is de leerling jonger dan 16 jaar? Dan tekent de ouder met gezag het plan ook."
    assert in_context(tiny_index, then).text == both
    assert in_context(tiny_index, question).text == both


def test_a_sentence_with_a_pronominal_adverb_after_its_verb_is_shown_with_the_one_it_points_to(tiny_index):
    """"Vraag er hiervoor een aan": Dutch puts "hiervoor" after the verb; it still points back."""
    need = candidate(tiny_index, "een account nodig")
    assert in_context(tiny_index, need).text == ("Voor het jeugdplan hebben scholen een account nodig. "
                                                 "Vraag er hiervoor een aan bij de gemeente.")


def test_a_label_whose_completing_sentence_is_shown_is_left_out(tiny_index):
    """A label ("Wachttijd:") completed by a sentence the answer already shows adds only the label."""
    fact = candidate(tiny_index, "De wachttijd voor jeugdhulp bedraagt")
    label = replace(fact, start=fact.start - 1, end=fact.start - 1, text="Wachttijd:")
    answer = compose_shown(tiny_index, [Shown(fact, plain(fact.text)), Shown(label, "Wachttijd:", items=[fact])],
                           analysis("hoe lang is de wachttijd?"), 1.0)
    assert answer.answer.count("zes weken") == 1 and "Wachttijd:" not in answer.answer
    alone = compose_shown(tiny_index, [Shown(label, "Wachttijd:", items=[fact])], analysis("hoe lang is de wachttijd?"), 1.0)
    assert alone.answer.startswith("Wachttijd: De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken.")


def test_a_sentence_shown_as_an_item_of_another_line_is_not_repeated(pillars, tiny_index):
    announcing = next(c for c in pillars if c.text.endswith("pijlers:"))
    items = _following(tiny_index, announcing, listing=False)
    answer = compose_shown(tiny_index, [Shown(announcing, plain(announcing.text), items=items),
                                        Shown(items[1], plain(items[1].text))], analysis("welke pijlers?"), 1.0)
    assert answer.answer.count("Samenwerking met de wijkteams") == 1
    assert len(answer.answer.splitlines()) == 1 + len(items)


# -- a sentence as the reader sees it --------------------------------------------------------------
def test_a_table_row_reads_as_a_sentence_without_column_names():
    assert plain("Actie: Training vroegsignalering voor mentoren | Wie: Het wijkteam | Wanneer: Schooljaar 2024") == \
        "Training vroegsignalering voor mentoren, door het wijkteam, in de periode Schooljaar 2024."
    assert plain("Naam: Loket | Telefoon: 020-1234567") == "Loket — 020-1234567"
    assert plain("- Een dekkend aanbod.") == "Een dekkend aanbod."
    assert plain("Datum: ________ Handtekening ouder: ........ [x]") == "Datum: Handtekening ouder: [x]"  # form blanks


def test_a_record_loses_its_labels_and_keeps_its_content():
    contact = ("Contact en route in Noordwaard: voor jeugdhulp voor een leerling → het wijkteam van de woongemeente. "
               "Voor wie: scholen in Noordwaard. Brontekst: “Scholen kunnen voor ondersteuning terecht.”")
    assert record_text([contact]) == ("Voor jeugdhulp voor een leerling: het wijkteam van de woongemeente, "
                                      "voor scholen in Noordwaard.")
    assert record_text(["Regel: alle scholen melden verzuim."]) == "Alle scholen melden verzuim."
    assert record_text(["Wie: Het wijkteam."], subject="training vroegsignalering") == \
        "Training vroegsignalering, door het wijkteam."
    assert record_text(["Wie: Het wijkteam."]) is None  # a bare value means nothing on its own
    assert record_text(["Genoemd in: Bijlage 3."]) is None
    assert record_text(["Actie in Noordwaard: Training voor mentoren.", "Wie: niet vermeld in de bron."]) == \
        "Training voor mentoren."  # a field the source leaves empty is not shown


def test_a_plan_sentence_is_shown_as_it_stands(tiny_index):
    fact = candidate(tiny_index, "zes weken")
    view = readable(tiny_index, fact, analysis("hoe lang is de wachttijd?"), {"wachttijd"})
    assert view.cited is fact and view.text == fact.text and view.origin is None


def test_a_records_phone_line_is_shown_with_whose_it_is_and_cites_the_record(tiny_index):
    record = sentences_of(tiny_index, tiny_index.by_id["inv-contact#nw-wijkteam"])
    phone = next(c for c in record if c.text.startswith("Telefoon:"))
    view = readable(tiny_index, phone, analysis("wat is het telefoonnummer van het wijkteam?"), {"telefoonnummer"},
                    lead=True)
    assert view.cited is phone
    assert view.text.startswith("Voor jeugdhulp voor een leerling: het wijkteam") and "020-7654321" in view.text
    assert readability(view.text, ["020-7654321"]).fragment is None


# -- choosing and composing ------------------------------------------------------------------------
def test_support_joins_only_when_it_adds_to_the_answer(tiny_index):
    wait = candidate(tiny_index, "zes weken", score=0.9)
    report = candidate(tiny_index, "melden een leerling aan", score=0.85)
    again = replace(candidate(tiny_index, "42 thuiszitters", score=0.84), text=report.text)  # says it again
    asked = analysis("hoe lang wachten op jeugdhulp en hoe meld je een leerling aan?")
    shown = choose_shown(tiny_index, [again, report, wait], {"wacht", "jeugdhulp", "meld", "leerling"}, asked,
                         spread=0.2, max_passages=4)
    assert [v.cited for v in shown] == [wait, report]
    many = [candidate(tiny_index, fragment, score=0.8 - k / 100) for k, fragment in
            enumerate(["42 thuiszitters", "250.000 euro", "Marit Okkerse", "elke maand", "020-7654321"])]
    shown = choose_shown(tiny_index, [wait, *many], {"wacht"}, asked, spread=0.5, max_passages=4)
    assert len(shown) == 1 + MAX_SUPPORT  # new words, but never more than the lead and MAX_SUPPORT


def test_a_candidate_outside_the_spread_is_not_shown(tiny_index):
    wait = candidate(tiny_index, "zes weken", score=0.9)
    report = candidate(tiny_index, "melden een leerling aan", score=0.5)
    shown = choose_shown(tiny_index, [wait, report], {"wacht", "meld"}, analysis("wachttijd en aanmelden?"),
                         spread=0.1, max_passages=4)
    assert [v.cited for v in shown] == [wait]


def test_the_answer_is_the_lead_line_then_cited_support_lines(tiny_index):
    wait = candidate(tiny_index, "zes weken")
    report = candidate(tiny_index, "melden een leerling aan")
    composition = compose_shown(tiny_index, [Shown(wait, wait.text), Shown(report, report.text)],
                                analysis("wachttijd?"), support=0.7)
    assert composition.answer.splitlines() == [f"{wait.text} [1]", f"- {report.text} [1]"]
    assert composition.citations[0].quote.split(" … ") == [wait.text, report.text]
    assert not composition.refused and composition.route == "extractive"


def test_an_announcing_lead_lists_its_items_under_it(pillars, tiny_index):
    announcing = next(c for c in pillars if c.text.endswith("pijlers:"))
    view = Shown(announcing, announcing.text, items=_following(tiny_index, announcing, listing=False))
    lines = compose_shown(tiny_index, [view], analysis("waar rust het plan op?"), support=0.7).answer.splitlines()
    assert lines[0] == "Het plan rust op drie pijlers: [1]"
    assert lines[1:] == ["- Vroegsignalering op school door de intern begeleider. [1]",
                         "- Samenwerking met de wijkteams van de gemeenten. [1]",
                         "- Een dekkend aanbod voor elke leerling in de regio. [1]"]


def test_a_contact_details_question_is_answered_without_record_labels(tiny_assistant, tiny_index, embedder):
    question = "hoe kan ik het wijkteam bereiken?"
    composition = tiny_assistant.composer.compose(analysis(question), hits_of(tiny_index, "inv-contact#nw-wijkteam"),
                                                  embedder.embed_query_array(question))
    assert not composition.refused
    first = composition.answer.splitlines()[0]
    assert "020-7654321" in first and "het wijkteam" in first
    assert readability(composition.answer, ["020-7654321"]).fragment is None


def test_a_comparison_answers_for_each_region_it_names(tiny_index):
    north = [candidate(tiny_index, fragment, score=0.9 - k / 100)
             for k, fragment in enumerate(["zes weken", "42 thuiszitters", "020-1234567"])]
    south = candidate(tiny_index, "250.000 euro", score=0.3)  # far outside the spread
    asked = analysis("hoe zit het budget in noordwaard vergeleken met zuiderveld?", regions=["Noordwaard", "Zuiderveld"])
    shown = choose_shown(tiny_index, [*north, south], {"budget"}, asked, spread=0.1, max_passages=4)
    assert shown[0].cited is north[0] and shown[-1].cited is south
    alone = analysis("hoe zit het budget in noordwaard?", regions=["Noordwaard"])
    assert south not in [v.cited for v in choose_shown(tiny_index, [*north, south], {"budget"}, alone,
                                                         spread=0.1, max_passages=4)]
