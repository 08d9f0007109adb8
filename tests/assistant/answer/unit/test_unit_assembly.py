"""The passes that grow a chosen set of sentences (assistant.answer.assembly), on real candidates of
the tiny index: list continuation, a record's headline, and a record's fact shown as the plan states it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from answer_support import analysis, candidate, chunk_holding, hits_of
from assistant.answer.assembly import MAX_ITEMS, with_document_twin, with_list_continuation, with_record_headline
from assistant.answer.evidence import Candidate


def sentences_of(index, ci: int) -> list[Candidate]:
    """Every sentence of passage ``ci`` as an (unscored) candidate, in order."""
    text = index.chunks[ci].text
    spans, _ = index.sentences_of(ci)
    return [Candidate(0, ci, a, b, text[a:b].strip(), 0.0, 0.0, 0.0) for a, b in spans]


@pytest.fixture(scope="module")
def pillars(tiny_index):
    return sentences_of(tiny_index, chunk_holding(tiny_index, "drie pijlers"))


# -- list continuation ------------------------------------------------------------------------------
def test_a_sentence_ending_in_a_colon_brings_the_items_after_it(pillars):
    announcing = next(c for c in pillars if c.text.endswith("pijlers:"))
    grown = with_list_continuation([announcing], pillars)
    assert [c.text for c in grown] == ["Het plan rust op drie pijlers:",
                                       "• Vroegsignalering op school door de intern begeleider.",
                                       "• Samenwerking met de wijkteams van de gemeenten.",
                                       "• Een dekkend aanbod voor elke leerling in de regio."]


def test_a_sentence_that_announces_nothing_brings_nothing(tiny_index):
    counts = sentences_of(tiny_index, chunk_holding(tiny_index, "42 thuiszitters"))
    fact = next(c for c in counts if "42 thuiszitters" in c.text)
    assert with_list_continuation([fact], counts) == [fact]


def test_for_a_list_question_the_best_sentence_brings_only_marked_items(pillars, tiny_index):
    # a plain sentence before the items (the text is made up; the pass reads only text and position)
    plain = replace(pillars[1], text="De pijlers staan hieronder.")
    closing = replace(pillars[-1], text="Een slotzin zonder opsommingsteken.", start=pillars[-1].start + 1)
    grown = with_list_continuation([plain], [*pillars, closing], listing=True)
    assert [c.text for c in grown[1:]] == [c.text for c in pillars if c.text.startswith("•")]
    assert with_list_continuation([plain], [*pillars, closing], listing=False) == [plain]
    # only the best sentence does so: chosen second, the same sentence brings nothing
    best = candidate(tiny_index, "zes weken")
    assert with_list_continuation([best, plain], [*pillars, closing], listing=True) == [best, plain]


def test_an_opening_numbered_list_announces_too(pillars):
    opening = replace(pillars[1], text="De stappen zijn 1.")  # the list's first number ends the sentence
    assert with_list_continuation([opening], pillars) == [opening, *pillars[2:]]


def test_list_continuation_takes_at_most_max_items_and_only_from_the_same_passage(pillars, tiny_index):
    announcing = next(c for c in pillars if c.text.endswith("pijlers:"))
    many = [replace(announcing, start=announcing.start + 1 + k, text=f"• item {k}") for k in range(MAX_ITEMS + 3)]
    elsewhere = replace(many[0], chunk_index=announcing.chunk_index + 1, text="• uit een andere passage")
    grown = with_list_continuation([announcing], [*many, elsewhere])
    assert len(grown) == 1 + MAX_ITEMS and elsewhere not in grown


# -- records -------------------------------------------------------------------------------------------
def test_a_records_phone_line_brings_the_line_naming_whose_it_is(tiny_index):
    record = sentences_of(tiny_index, tiny_index.by_id["inv-contact#nw-wijkteam"])
    phone = next(c for c in record if c.text.startswith("Telefoon:"))
    grown = with_record_headline([phone], record, tiny_index)
    assert grown[1].text.startswith("Contact en route in Noordwaard:") and len(grown) == 2


def test_a_document_sentence_brings_no_headline(tiny_index):
    plan_phone = candidate(tiny_index, "020-1234567")
    assert with_record_headline([plan_phone], [plan_phone], tiny_index) == [plan_phone]


def test_a_fact_from_a_record_is_also_shown_as_the_plan_states_it(tiny_index):
    record = sentences_of(tiny_index, tiny_index.by_id["inv-contact#nw-wijkteam"])
    phone = next(c for c in record if c.text.startswith("Telefoon:"))
    plan = candidate(tiny_index, "bereikbaar op 020-7654321")
    other = candidate(tiny_index, "020-1234567")  # another number: no twin
    asked = analysis("wat is het telefoonnummer van het wijkteam?")
    used = [phone.chunk_index]
    grown = with_document_twin([phone], [phone, other, plan], asked, used, tiny_index)
    assert grown == [phone, plan] and used == [phone.chunk_index, plan.chunk_index]


def test_no_twin_without_an_asked_kind_of_fact(tiny_index):
    record = sentences_of(tiny_index, tiny_index.by_id["inv-contact#nw-wijkteam"])
    plan = candidate(tiny_index, "bereikbaar op 020-7654321")
    assert with_document_twin(record[:1], [*record, plan], analysis("wat doet het wijkteam?"), [], tiny_index) == \
        record[:1]


def test_a_records_phone_line_is_answered_with_the_line_naming_whose_it_is_in_order(tiny_assistant, tiny_index, embedder):
    question = "hoe kan ik het wijkteam bereiken?"  # contact details: the phone line scores best
    composition = tiny_assistant.composer.compose(analysis(question), hits_of(tiny_index, "inv-contact#nw-wijkteam"),
                                                  embedder.embed_query_array(question))
    assert not composition.refused
    lines = composition.answer.splitlines()[1:]
    assert lines == ["- Contact en route in Noordwaard: voor jeugdhulp voor een leerling → het wijkteam van de "
                     "woongemeente. [1]", "- Telefoon: 020-7654321. [1]"]
    assert composition.citations[0].quote.split(" … ") == [line[2:-4] for line in lines]
