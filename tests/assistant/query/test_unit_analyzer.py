"""Question analysis without an index: :class:`assistant.query.analyzer.QueryAnalyzer` built from
hand-written document metadata and a small vocabulary (the regions and gemeenten are invented).

What is checked is what later steps rely on: the follow-up resolved (and the intent saying so),
regions inferred from gemeente names, a place without a plan recognised, levels, and typos and
compounds repaired against the vocabulary.
"""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.core.lexicon import lexicon
from assistant.core.types import DocMeta, Message
from assistant.core.places import load_gazetteer
from assistant.query.analyzer import QueryAnalyzer, build_vocabulary

METAS = [
    DocMeta(doc_id="nw-plan", file="a.md", title="Ondersteuningsplan Noordwaard", region="Noordwaard",
            gemeenten=["Eikendorp", "Lindehaven"]),
    DocMeta(doc_id="zv-besluit", file="b.txt", title="Collegebesluit Zuiderveld", region="Zuiderveld",
            gemeenten=["Nieuw Beukenstad"]),
    DocMeta(doc_id="los", file="c.txt", title="Zonder regio"),  # region "onbekend": no place
]
VOCABULARY = build_vocabulary([
    "De wachttijd voor jeugdhulp bedraagt zes weken. De leerplichtambtenaar spreekt met de ouders.",
    "Thuiszitters krijgen binnen drie maanden een passend aanbod. Het taal aanbod en de ontwikkeling "
    "van de leerling; een stoornis wordt besproken. Taal, ontwikkeling en stoornis.",
])

# a real Dutch gemeente that no document of the corpus covers
PLACE_WITHOUT_PLAN = "utrecht"


@pytest.fixture(scope="module")
def analyzer() -> QueryAnalyzer:
    return QueryAnalyzer(METAS, VOCABULARY, gazetteer=load_gazetteer())


def test_regions_come_from_the_metadata_without_the_unknown_region(analyzer):
    assert analyzer.regions == ["Noordwaard", "Zuiderveld"]


def test_a_gemeente_named_in_the_question_selects_its_region(analyzer):
    assert analyzer.analyze("hoe lang is de wachttijd in lindehaven?").regions == ["Noordwaard"]
    assert analyzer.analyze("wie betaalt het vervoer in nieuw beukenstad?").regions == ["Zuiderveld"]
    assert analyzer.analyze("wat doet het loket in Noordwaard?").regions == ["Noordwaard"]


def test_a_place_name_inside_another_word_selects_nothing(analyzer):
    # "eikendorpse" is not the gemeente Eikendorp; a hyphenated compound is not either
    assert analyzer.analyze("wat doen eikendorpse scholen?").regions == []
    assert analyzer.analyze("wat is het noordwaard-convenant?").regions == []


def test_an_explicit_region_filter_wins_over_the_question(analyzer):
    found = analyzer.analyze("hoe lang is de wachttijd in lindehaven?", region="zuiderveld")
    assert found.regions == ["Zuiderveld"]


def test_a_place_without_a_plan_is_recognised(analyzer):
    place = PLACE_WITHOUT_PLAN
    found = analyzer.analyze(f"welke arrangementen zijn er in {place}?")
    assert found.unknown_places == [place] and found.regions == []


def test_levels_named_in_the_question(analyzer):
    assert analyzer.analyze("welke pilots zijn er voor het vo en het mbo?").levels == ["MBO", "VO"]
    assert analyzer.analyze("welke pilots zijn er?").levels == []


def test_a_short_follow_up_is_resolved_against_the_previous_question(analyzer):
    history = [Message(role="user", content="hoe lang is de wachttijd voor jeugdhulp in lindehaven?"),
               Message(role="assistant", content="Dit zeggen de bronnen: zes weken [1]")]
    found = analyzer.analyze("en in nieuw beukenstad?", history)
    assert found.intent.followup and found.question == "en in nieuw beukenstad?"
    assert "wachttijd" in found.rewritten and "lindehaven" not in found.rewritten
    assert found.regions == ["Zuiderveld"]


def test_a_pronoun_follow_up_takes_its_topic_from_the_last_answer_not_its_scaffolding(analyzer):
    history = [Message(role="user", content="wat krijgen thuiszitters?"),
               Message(role="assistant", content="Dit zeggen de bronnen, volgens Plan:\n"
                                                 "- Thuiszitters krijgen een passend aanbod. [1]")]
    found = analyzer.analyze("wie betaalt dat?", history)
    assert found.intent.followup and found.intent.who
    assert "aanbod" in found.rewritten and "volgens" not in found.rewritten and "[1]" not in found.rewritten


def test_a_self_contained_question_after_history_is_no_follow_up(analyzer):
    history = [Message(role="user", content="hoe lang is de wachttijd in lindehaven?")]
    question = "welke afspraken maken scholen en gemeenten over thuiszitters met een passend aanbod?"
    found = analyzer.analyze(question, history)
    assert not found.intent.followup and found.rewritten == question
    # the region of the earlier turn carries over when the question names none
    assert found.regions == ["Noordwaard"]


def test_a_typo_is_repaired_to_a_known_word(analyzer):
    found = analyzer.analyze("wat doet de leerplichtambtenar?")
    assert found.repairs == {"leerplichtambtenar": ["leerplichtambtenaar"]}
    assert any(t.startswith("leerplichtambtenar") or t.startswith("leerplichtambtenaar")
               for t in found.bm25_tokens)


def test_a_compound_the_index_never_saw_is_split_into_known_parts(analyzer):
    found = analyzer.analyze("wat is een taalontwikkelingsstoornis?")
    assert found.repairs["taalontwikkelingsstoornis"] == ["taal", "ontwikkeling", "stoornis"]


def test_known_words_and_short_words_are_not_repaired():
    analyzer = QueryAnalyzer([], Counter({"wachttijd": 3, "jeugdhulp": 2}))
    assert analyzer.analyze("wachttijd jeugdhulp bij oza").repairs == {}


def test_an_abbreviation_is_expanded_for_the_dense_model(analyzer):
    abbreviation, meaning = next(iter(lexicon().expansions.items()))
    found = analyzer.analyze(f"wat is een {abbreviation}?")
    assert meaning in found.dense_text and found.rewritten == f"wat is een {abbreviation}?"
