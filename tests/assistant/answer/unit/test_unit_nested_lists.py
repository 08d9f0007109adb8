"""A list inside a list, and a sentence that points back, in a plan no curated data knows.

The plan (Markdown, no manifest entry, no inventory) announces an agreement list whose second
item ends in a colon and carries three sub-items, each linked to the next by "en/of". A question
after what that item announces is answered with the sub-items only, without the linking words;
a sentence whose demonstrative ("dit") points back is shown with the sentence before it.
"""

from __future__ import annotations

import pytest

from answer_support import candidate, plan_assistant
from assistant.answer.assembly import in_context
from assistant.answer.derived import _with_sublists

PLAN = """# Werkwijze consultatie jeugdhulp 2025

## Inkoop

Over de inkoop van de consultatie hebben de partners het volgende afgesproken:

- De partners gebruiken de indeling van de regio voor de acute zorg.
- De consultatie wordt alleen ingekocht bij aanbieders:
- van crisiszorg, met een budgetafspraak met de zorgverzekeraar en/of
- met aanbod van ambulante zorg en samenwerking met de huisarts en/of
- van verslavingszorg met afspraken over samenwerking met het wijkteam.
- De kosten worden verdeeld naar het aantal inwoners van de regio.

## Aanvragen

Ouders vullen het aanvraagformulier samen met de jeugdconsulent in. Wij vragen dit dan ondertekend terug te sturen naar het wijkteam.
"""

SUBLIST = "De consultatie wordt alleen ingekocht bij aanbieders"


@pytest.fixture(scope="module")
def plan_bot(tmp_path_factory):
    return plan_assistant(tmp_path_factory.mktemp("nested-lists"), "werkwijze-consultatie-2025.md", PLAN)


def test_the_sublists_of_a_list_are_offered_with_it(plan_bot):
    enums = [e for s in plan_bot.index.structures.values() for e in s.of_kind("enumeration")]
    outer = next(e for e in enums if e.source == "bullets" and len(e.items) == 6)
    offered = _with_sublists([outer], plan_bot.index)
    assert offered[0] is outer
    assert [e.title for e in offered[1:]] == [SUBLIST]
    assert [len(e.items) for e in offered[1:]] == [3]


def test_a_question_after_what_an_item_announces_gets_its_sub_items_without_linking_words(plan_bot):
    answer = plan_bot.answer("bij welke aanbieders wordt de consultatie ingekocht?")
    assert answer.route == "list" and not answer.refused, answer.answer
    lines = answer.answer.splitlines()
    items = [line for line in lines if line.startswith("- ")]
    assert lines[0].startswith(SUBLIST), answer.answer
    assert len(items) == 3 and "crisiszorg" in items[0] and "verslavingszorg" in items[2], answer.answer
    assert not any(line.rsplit("[", 1)[0].rstrip().endswith(("en/of", " en", " of")) for line in items), answer.answer
    assert "kosten" not in answer.answer and "indeling van de regio" not in answer.answer


def test_a_sentence_whose_demonstrative_points_back_is_shown_with_the_one_before_it(plan_bot):
    index = plan_bot.index
    form = candidate(index, "Ouders vullen het aanvraagformulier")
    assert in_context(index, form).text == ("Ouders vullen het aanvraagformulier samen met de jeugdconsulent in. "
                                            "Wij vragen dit dan ondertekend terug te sturen naar het wijkteam.")
