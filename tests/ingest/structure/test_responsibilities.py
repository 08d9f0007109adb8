"""Responsibilities on seed snippets and external-dev pages."""

from __future__ import annotations

from structure_support import AANVRAAG, HANDLEIDING, LEIDRAAD, assert_quotes_verbatim, doc_from_text, external, seed

from ingest.structure.responsibilities import extract_responsibilities


def _by_party(records) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in records:
        out.setdefault(r.party, []).append(r)
    return out


def test_wie_column_gives_party_and_the_row_action_as_duty():
    doc = seed("zk_uitvoeringsagenda.txt")
    rows = [r for r in extract_responsibilities(doc) if r.form == "table"]
    assert rows and all(r.cue == "Wie" for r in rows)
    first = rows[0]
    assert first.party == "Platform Jeugd" and first.duty == "Overzicht opstellen onderwijs-zorgcontinuüm"
    assert first.quotes[0].text.startswith("Actie: Overzicht opstellen")
    assert_quotes_verbatim(doc, rows)


def test_verantwoordelijk_voor_and_decision_verbs_in_seed_sentences():
    zk = _by_party(extract_responsibilities(seed("zk_inleiding.txt")))
    assert zk["De gemeente"][0].form == "verantwoordelijk"
    assert zk["De gemeente"][0].duty.startswith("het versterken van de sociale basis")
    nk = _by_party(extract_responsibilities(seed("nk_commissie.txt")))
    assert nk["De Commissie van Toewijzing"][0].form == "beslist"
    assert nk["De Commissie van Toewijzing"][0].duty.startswith("alle aanvragen op ontvankelijkheid")
    assert nk["De directeur-bestuurder"][0].duty == "de uitvoering van de taken van het samenwerkingsverband"


def test_who_decides_in_the_external_documents():
    aanvraag = extract_responsibilities(external(AANVRAAG))
    college = [r for r in aanvraag if "college van burgemeester en wethouders" in r.party]
    assert college and college[0].form == "beslist" and college[0].duty == "uiteindelijk op de aanvraag"
    handleiding = [r for r in extract_responsibilities(external(HANDLEIDING)) if r.page == 41]
    assert [(r.form, r.party) for r in handleiding] == [("passive", "de gemeente")]
    assert "besluit" in handleiding[0].duty


def test_who_pays_and_who_leads_in_the_leidraad():
    doc = external(LEIDRAAD)
    records = extract_responsibilities(doc)
    pays = [r for r in records if r.form == "betaalt"]
    assert {r.party.lower() for r in pays} == {"de gemeente"}
    assert any(r.duty.startswith("Interventies tijdens bemoeizorg") for r in pays)
    leads = [r for r in records if r.form == "regie"]
    assert leads[0].party == "De twee preferente zorgverzekeraars" and leads[0].cue == "nemen het voortouw"
    assert any(r.party == "de ggz-aanbieder" and r.cue == "afgestemd" for r in records)
    assert_quotes_verbatim(doc, records)


def test_nouns_infinitives_questions_and_names_are_no_responsibility():
    doc = doc_from_text("Het besluit van de gemeente volgt later. Wie beslist over de aanvraag? "
                        "Dit staat in de Richtlijn Samen Beslissen over Passende Hulp. "
                        "We willen de kansen vergroten door gezamenlijk te besluiten over interventies. "
                        "Voor besluiten over toelating gebruikt de commissie landelijke criteria. "
                        "Uitdagend leerlandschap organiseren.")
    assert extract_responsibilities(doc) == []
    assert not [r for r in extract_responsibilities(seed("zk_bewegingen.txt")) if r.cue.startswith("besluit")]


def test_an_adverb_before_the_verb_puts_the_party_after_it():
    doc = doc_from_text("Daarna beslist de gemeente over de aanvraag. Zo organiseren we een lerend netwerk met elkaar.")
    found = {(r.party, r.form) for r in extract_responsibilities(doc)}
    assert found == {("de gemeente", "beslist"), ("we", "uitvoering")}
