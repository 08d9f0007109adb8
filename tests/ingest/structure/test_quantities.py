"""Deadlines, ages, periods, rates and amounts on seed snippets and external-dev pages."""

from __future__ import annotations

from structure_support import AANVRAAG, HANDLEIDING, assert_quotes_verbatim, doc_from_text, external, seed

from ingest.structure.quantities import extract_quantities


def _find(quantities, text: str):
    found = [q for q in quantities if q.text == text]
    assert found, f"no quantity {text!r}: {[q.text for q in quantities]}"
    return found[0]


def test_deadlines_with_their_number_unit_and_anchor():
    doc = external(HANDLEIDING)
    quantities = extract_quantities(doc)
    start = _find(quantities, "(uiterlijk) 6 weken")
    assert (start.measure, start.value, start.unit, start.anchor, start.page) == ("deadline", 6, "week", "de aanvraag", 5)
    assert "plan" in start.about
    beslis = _find(quantities, "beslistermijn van 8 weken")
    assert (beslis.measure, beslis.value, beslis.page) == ("deadline", 8, 41)
    assert_quotes_verbatim(doc, quantities)


def test_number_words_in_a_seed_deadline():
    q = _find(extract_quantities(seed("zk_bewegingen.txt")), "binnen drie maanden")
    assert (q.measure, q.value, q.unit, q.cue) == ("deadline", 3, "maand", "binnen")
    assert "jeugdige" in q.about


def test_ages_from_cues_ranges_and_persons():
    aanvraag = extract_quantities(external(AANVRAAG))
    ages = {(q.text, q.value) for q in aanvraag if q.measure == "age"}
    assert ("vanaf 12 jaar", 12) in ages and ("jonger dan 12 jaar", 12) in ages
    alkmaar = _find(extract_quantities(seed("alkmaar_cijfers.txt")), "van 0 tot 23 jaar")
    assert (alkmaar.measure, alkmaar.value, alkmaar.end_value) == ("age", 0, 23)
    pilot = _find(extract_quantities(doc_from_text("Zij doen mee aan een pilot van één jaar.")), "één jaar")
    assert pilot.measure == "duration"


def test_rates_periods_and_amounts():
    aanvraag = extract_quantities(external(AANVRAAG))
    rate = _find(aanvraag, "17 uren per week")
    assert (rate.measure, rate.value, rate.unit) == ("rate", 17, "uur/week")
    period = _find(aanvraag, "januari 2024 tot en met december 2024")
    assert (period.measure, period.value, period.end_value) == ("period", 2024, 2024)
    doc = doc_from_text("De looptijd 2019-2022 kent een budget van € 800.000 per jaar, in totaal € 2,5 miljoen; "
                        "daarnaast is 1,2 miljoen euro gereserveerd. Zie besluit 2021/671103.")
    found = {(q.measure, q.text, q.value, q.end_value) for q in extract_quantities(doc)}
    assert found == {("period", "2019-2022", 2019, 2022), ("amount", "€ 800.000", 800000, None),
                     ("amount", "€ 2,5 miljoen", 2500000, None), ("amount", "1,2 miljoen euro", 1200000, None)}
