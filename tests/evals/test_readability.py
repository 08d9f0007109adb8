"""Readability measures of answers (evals.readability) and their place in the scores and aggregates."""

from __future__ import annotations

import pytest

from evals.readability import first_sentence, fragment, readability, words
from evals.scoring import GoldItem, aggregate, score_answer, text_contains

PASSAGE = "Het kernteam van de school bespreekt de leerling. Het kernteam is verantwoordelijk voor de aanpak."


def _item(**kw) -> GoldItem:
    base = {"id": "r1", "type": "responsible_party", "question": "wie is verantwoordelijk?",
            "must_include": ["kernteam"], "sources": [{"doc": "x.txt", "quote": "Het kernteam is verantwoordelijk"}]}
    base.update(kw)
    return GoldItem.model_validate(base)


def test_words_leave_markers_and_bullets_aside():
    assert words("Het kernteam is verantwoordelijk. [1]\n- Zie ook de OZA-pilot [2, 3]") == 8


@pytest.mark.parametrize("text, found", [
    ("Regel: alle scholen melden verzuim. [1]", "Regel:"),
    ("- Genoemd in: Bijlage 3 [1]", "Genoemd in:"),
    ("Dit zeggen de bronnen (Noordwaard), volgens het plan:\n- x [1]", "Dit zeggen de bronnen"),
    ("Wie: niet vermeld in de bron. [1]", "Wie:"),
    ("In het document (Plan, p. 20): “De school meldt.” [2]", "In het document ("),
    ("Arrangement in regio Noordwaard: De Boei (pilot). [1]", "Arrangement in regio Noordwaard:"),
    ("Contact en route in Noordwaard: voor jeugdhulp → het wijkteam. [1]", "Contact en route in Noordwaard:"),
    ("Training voor mentoren — Wie: het wijkteam | Wanneer: 2024 [1]", "Wie:"),
])
def test_record_labels_and_dump_lines_are_fragments(text, found):
    assert fragment(text) == found.strip(" -—.|")


@pytest.mark.parametrize("text", [
    "Het kernteam is verantwoordelijk voor de aanpak. [1]",
    "Neem voor jeugdhulp contact op met het wijkteam (woongemeente Eikendorp), telefoon 020-1234567. [1, 2]",
    "De Boei (pilot onderwijs-zorgarrangement): een klas voor leerlingen met ASS → vso. [1]",  # an arrow in a name
    "Training voor mentoren, door het wijkteam, in de periode schooljaar 2024. [1]",
    "Onderwijszorgarrangementen in het vo (3): De Boei [1], Focus [2] en Spinaker [3].",
])
def test_clean_answers_hold_no_fragment(text):
    assert fragment(text) is None


def test_the_first_sentence_ends_at_a_sentence_end_before_a_capital_and_keeps_its_markers():
    assert first_sentence("Besluit d.d. 25 januari 2022: het college stemt in. [1, 2] Daarna volgt meer.") == \
        "Besluit d.d. 25 januari 2022: het college stemt in. [1, 2] "
    assert first_sentence("- Het wijkteam [1]\n- De school [2]") == "Het wijkteam [1]"
    assert first_sentence("") == ""
    # a line announcing a list runs on through its items, as "De pijlers zijn: a, b en c." would
    assert first_sentence("De pijlers (2) [1]:\n- Vroegsignalering [1]\n- Samenwerking [1]\nNog iets.") == \
        "De pijlers (2) [1]: - Vroegsignalering [1] - Samenwerking [1]"
    assert first_sentence("Dit zeggen de bronnen (Noordwaard):\n- Vroegsignalering [1]") == \
        "Dit zeggen de bronnen (Noordwaard):"  # a generic opening announces no list


def test_the_lead_holds_a_required_fact_or_not():
    assert readability("Het kernteam is verantwoordelijk. [1] De school helpt.", ["kernteam"]).lead_holds is True
    assert readability("De school helpt. [1] Het kernteam is verantwoordelijk.", ["kernteam"]).lead_holds is False
    assert readability("De school helpt. [1]", []).lead_holds is None
    # the evaluation's tolerant match folds accents and spacing
    assert readability("Het Kern-team beslist. [1]", ["kernteam"], contains=text_contains).lead_holds is True


def test_scores_carry_readability_and_the_aggregate_reports_it():
    clean = score_answer(_item(), "Het kernteam is verantwoordelijk voor de aanpak. [1]", False, [(1, PASSAGE)],
                         [PASSAGE])
    dump = score_answer(_item(id="r2"), "Dit zeggen de bronnen (Noordwaard).\n- Wie: kernteam [1]", False, [(1, PASSAGE)],
                        [PASSAGE])
    listing = score_answer(_item(id="r3", type="list"), "Teams (2): kernteam [1] en wijkteam [1].", False,
                           [(1, PASSAGE)], [PASSAGE])
    refused = score_answer(_item(id="r4"), "Dat staat niet in de bronnen.", True, [], [PASSAGE])
    assert (clean.words, clean.fragment, clean.lead_holds) == (7, None, True)
    assert dump.fragment == "Wie:" and dump.lead_holds is False
    assert any("machinefragment" in p for p in dump.problems)
    assert refused.words is None and refused.lead_holds is None
    agg = aggregate([clean, dump, listing, refused])
    assert agg["n_answered"] == 3
    assert agg["fragment_rate"] == pytest.approx(1 / 3)
    assert agg["lead_must_include"] == pytest.approx(2 / 3)
    assert agg["words_median"] == pytest.approx((7 + dump.words) / 2)  # the list answer is left out
