"""A "wat is X" question finds the passage where a new plan defines X (a definition the ingest
derived), even where X's words fill every other passage; a one-plan corpus without manifest entry."""

from __future__ import annotations

import pytest

from answer_support import plan_assistant

_SECTIONS = [
    ("Bereikbaarheid", "Het buurtteam is op werkdagen bereikbaar van negen tot vijf uur. Wie het buurtteam belt, "
     "krijgt binnen een week een gesprek. Ouders mailen het buurtteam ook, en het buurtteam belt dezelfde dag terug. "
     "In de schoolvakanties houdt het buurtteam een avondspreekuur."),
    ("Samenwerking met scholen", "Scholen schakelen het buurtteam in bij zorgen over een leerling. Het buurtteam en "
     "de intern begeleider bespreken samen de vraag. Het buurtteam sluit aan bij het zorgoverleg op school, en de "
     "school hoort van het buurtteam welke hulp is ingezet."),
    ("Achtergrond", "In 2023 zijn drie wijken gestart met een proef. De wijken zijn gekozen op het aantal gezinnen "
     "met vragen en de bestaande voorzieningen. Een buurtteam is, volgens de gemeente, het eerste aanspreekpunt voor "
     "gezinnen met vragen over opvoeden en opgroeien. Er werken vijf medewerkers met verschillende achtergronden, "
     "onder wie een ervaringsdeskundige uit de wijk. De proef loopt tot het einde van 2025 en wordt dan besproken "
     "in de gemeenteraad, die over de voortzetting beslist."),
    ("Evaluatie", "Het buurtteam wordt elk jaar geëvalueerd. Medewerkers van het buurtteam en partners van het "
     "buurtteam vertellen over hun ervaringen. Daarna past het buurtteam de werkwijze aan."),
    ("Financiering", "De gemeente financiert het buurtteam uit het budget voor jeugd. Het buurtteam legt elk kwartaal "
     "verantwoording af. Een tekort van het buurtteam wordt in de begroting opgevangen."),
]
PLAN = "# Werkwijze buurtteams 2025\n\n" + "\n\n".join(f"## {title}\n\n{body}" for title, body in _SECTIONS) + "\n"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return plan_assistant(tmp_path_factory.mktemp("definitions"), "werkwijze-buurtteams-2025.md", PLAN)


def _defining(bot) -> str:
    found = [d for s in bot.index.structures.values() for d in s.of_kind("definition") if d.term == "buurtteam"]
    assert found, "the ingest derived no definition of buurtteam"
    return found[0].quotes[0].chunk_id


def test_the_defining_passage_leads_a_definition_question(bot):
    defining = _defining(bot)
    analysis = bot.analyze("wat is een buurtteam eigenlijk?", [], None)
    ranked = [h.chunk.chunk_id for h in bot.searcher.search(analysis, 5)]
    weight = bot.searcher.definition_weight
    try:
        bot.searcher.definition_weight = 0.0
        without = [h.chunk.chunk_id for h in bot.searcher.search(analysis, 5)]
    finally:
        bot.searcher.definition_weight = weight
    assert ranked[0] == defining, ranked
    assert without[0] != defining  # the filler passages say "buurtteam" more often
    # "wat houdt X in" is a definition question too
    assert bot.analyze("wat houdt een buurtteam in?", [], None).intent.definition_broad


def test_other_questions_and_other_terms_get_no_lift(bot):
    defining = _defining(bot)
    for question in ("wanneer is het buurtteam bereikbaar?", "wat is een gezinsplan?"):
        analysis = bot.analyze(question, [], None)
        weight = bot.searcher.definition_weight
        ranked = [h.chunk.chunk_id for h in bot.searcher.search(analysis, 10)]
        try:
            bot.searcher.definition_weight = 0.0
            without = [h.chunk.chunk_id for h in bot.searcher.search(analysis, 10)]
        finally:
            bot.searcher.definition_weight = weight
        assert ranked == without, question
    assert defining


def test_the_defining_sentence_leads_the_answer(bot, monkeypatch):
    question = "wat is een buurtteam eigenlijk?"
    lead = bot.answer(question).answer.splitlines()[0]
    assert lead.startswith("Een buurtteam is, volgens de gemeente, het eerste aanspreekpunt"), lead
    # the passage alone does not do it: without the step, a sentence that says "buurtteam" more leads
    monkeypatch.setattr(type(bot.composer), "_definition_first", lambda self, analysis, candidates: candidates)
    assert not bot.answer(question).answer.startswith("Een buurtteam is"), "the test no longer tests the step"


def test_a_question_that_asks_no_definition_keeps_its_lead(bot, monkeypatch):
    question = "hoe werkt het buurtteam samen met scholen?"
    before = bot.answer(question).answer
    monkeypatch.setattr(type(bot.composer), "_definition_first", lambda self, analysis, candidates: candidates)
    assert bot.answer(question).answer == before
    assert before.startswith("Het buurtteam sluit aan bij het zorgoverleg op school"), before
