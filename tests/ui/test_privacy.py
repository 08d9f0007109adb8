"""The pupil-data scrubber on Dutch examples: what must go, and what must stay exactly as typed.

The scrubber is built the way the app builds it: known words from the real corpus passages,
places from what the query analyzer knows (manifest gemeenten, regions, aliases) and the gazetteer.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from assistant.core.text import fold
from ui.privacy import (Scrubber, elfproef, find_addresses, find_birthdates, find_bsns, find_emails, find_phones,
                        places_checker, redact_values, replace_findings, vocabulary_of)

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def scrubber(corpus_dir) -> Scrubber:
    from assistant.core.places import load_gazetteer
    from assistant.query.analyzer import QueryAnalyzer
    from ingest.manifest import load_manifest

    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*")) if p.suffix in (".txt", ".md")]
    metas, _ = load_manifest(corpus_dir)
    corpus_places, gazetteer = places_checker(QueryAnalyzer(metas, Counter()).places), load_gazetteer()
    return Scrubber(known_words=vocabulary_of(texts), today=TODAY,
                    is_place=lambda name: corpus_places(name) or gazetteer.is_place(name))


# -- BSN ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("number, valid", [("111222333", True), ("123456782", True), ("123456789", False),
                                           ("000000000", False), ("12345678", False)])
def test_elfproef(number, valid):
    assert elfproef(number) is valid


def test_bsn_only_when_it_passes_the_elfproef(scrubber):
    assert scrubber.scrub("BSN 111222333, of 1112.22.333") == "BSN [bsn], of [bsn]"
    assert scrubber.scrub("dossier 123456789 en ordernummer 987654321") == "dossier 123456789 en ordernummer 987654321"
    assert [f.text for f in find_bsns("bsn: 123 456 782.")] == ["123 456 782"]


# -- e-mail and phone ---------------------------------------------------------------------------------
def test_email(scrubber):
    assert scrubber.scrub("Mail de moeder via f.el-amrani@hotmail.com of info@school.nl.") == \
        "Mail de moeder via [e-mail] of [e-mail]."
    assert find_emails("geen adres: @leerplicht") == []


@pytest.mark.parametrize("text", ["06-12345678", "06 1234 5678", "0612345678", "+31 6 12345678", "+31 (0)6 1234 5678",
                                  "0031 6 12 34 56 78", "023-5115000", "(023) 511 50 00", "070 353 3000", "0229-123456",
                                  "0800-1234", "0900-1234567", "088 123 4567"])
def test_dutch_phone_numbers(text):
    assert [f.text for f in find_phones(f"bel {text} even")] == [text]


@pytest.mark.parametrize("text", ["in 2023-2024", "artikel 5a", "schooljaar 2024/2025", "12-03-2010", "1.250.000 euro",
                                  "0,5 fte", "+44 20 7946 0958", "paragraaf 3.1.12", "bsn 123456782"])
def test_not_phone_numbers(text):
    assert find_phones(text) == []


# -- address and date of birth ----------------------------------------------------------------------------
def test_postcode_with_house_number_and_street(scrubber):
    assert scrubber.scrub("Ze woont op 2011 AB 12 in Haarlem.") == "Ze woont op [adres] in Haarlem."
    assert scrubber.scrub("adres: Kerkstraat 12a, 2011AB") == "adres: [adres], [adres]"
    assert scrubber.scrub("postcode 2011ab nr. 3") == "postcode [adres]"


def test_years_and_levels_are_no_postcode():
    assert find_addresses("Sinds 2014 VO en PO werken samen in 2020 aan OZA's") == []


def test_dates_of_birth():
    assert [f.text for f in find_birthdates("geboren op 3 maart 2011, geb. 03-03-11", TODAY)] == \
        ["3 maart 2011", "03-03-11"]
    assert [f.text for f in find_birthdates("geboortejaar 2011", TODAY)] == ["2011"]
    # a full date within the birth window can be a date of birth, even without a cue
    assert [f.text for f in find_birthdates("op 12-05-2010 ingeschreven", TODAY)] == ["12-05-2010"]
    # dates of the plans' future, years alone, paragraph numbers: not dates of birth
    assert find_birthdates("per 1 januari 2027, in 2011, paragraaf 3.1.12, 2023-2024", TODAY) == []
    assert [f.kind for f in find_birthdates("sinds 1990-01-01", TODAY)] == []


# -- names ------------------------------------------------------------------------------------------
def test_the_issue_example(scrubber):
    assert scrubber.scrub("jongen van 14 uit Rijswijk, Mohammed, zit al weken thuis") == \
        "jongen van 14 uit Rijswijk, [naam], zit al weken thuis"


def test_full_names_are_one_placeholder(scrubber):
    assert scrubber.scrub("Sara de Vries en Mohammed El-Amrani zitten thuis.") == "[naam] en [naam] zitten thuis."
    assert scrubber.scrub("Ik sprak Piet Jansen gisteren.") == "Ik sprak [naam] gisteren."


def test_a_word_after_a_person_cue_is_a_name(scrubber):
    # "Bakker" and "Roos" are Dutch words, but after "mevrouw"/"dochter" they are people
    assert scrubber.scrub("Gisteren belde mevrouw Bakker over haar dochter Roos.") == \
        "Gisteren belde mevrouw [naam] over haar dochter [naam]."


def test_sentence_initial_name_and_sentence_initial_word(scrubber):
    assert scrubber.scrub("Fatima zit thuis. Daarnaast speelt er iets thuis.") == \
        "[naam] zit thuis. Daarnaast speelt er iets thuis."


@pytest.mark.parametrize("text", [
    "Wie pakt bij Leerplein de vrijstellingen op?",
    "Leerling woont in Den Haag en gaat naar school in Delft.",
    "Valt dat onder artikel 5a of art. 11 Leerplichtwet?",
    "Jeugdhulp via het lokaal team of het Jeugdteam?",
    "Welke OZA-pilots lopen er in het VO in regio Alkmaar en Zuid-Kennemerland?",
    "Hoe vraag ik een TLV aan? Graag de route voor Haaglanden.",
    "Volgens het Ondersteuningsplan kan de Commissie van Toewijzing dat beslissen.",
    "Wat doet het Samenwerkingsverband als de Gemeente niet betaalt?",
])
def test_text_that_must_stay(scrubber, text):
    assert scrubber.scrub(text) == text


def test_the_place_seam_keeps_what_a_gazetteer_knows():
    """A later gazetteer plugs in through ``is_place``: a place it knows is kept, an unknown word goes."""
    vocabulary = vocabulary_of(["de leerling woont in een dorp"])
    without = Scrubber(vocabulary, is_place=lambda name: False, today=TODAY)
    with_gazetteer = Scrubber(vocabulary, is_place=lambda name: fold(name) in {"ypenburg", "bergen op zoom"},
                              today=TODAY)
    text = "De leerling woont in Ypenburg, niet in Bergen op Zoom."
    assert without.scrub(text) == "De leerling woont in [naam], niet in [naam] op [naam]."
    assert with_gazetteer.scrub(text) == text


def test_corpus_vocabulary_is_what_keeps_an_organisation():
    text = "Vraag Xenaro om hulp voor de leerling."
    assert Scrubber(set(), is_place=lambda _: False, today=TODAY).scrub(text) == "Vraag [naam] om hulp voor de leerling."
    assert Scrubber(vocabulary_of(["Het XENARO helpt"]), is_place=lambda _: False, today=TODAY).scrub(text) == text


# -- everything at once -----------------------------------------------------------------------------------
def test_every_kind_in_one_question(scrubber):
    question = ("Mohammed El Amrani (BSN 111222333, geboren 03-03-2011) woont op 2011 AB 12 in Haarlem; "
                "moeder bereikbaar op 06-12345678 of m.elamrani@gmail.com. Welk lokaal team?")
    assert scrubber.scrub(question) == ("[naam] (BSN [bsn], geboren [geboortedatum]) woont op [adres] in Haarlem; "
                                        "moeder bereikbaar op [telefoon] of [e-mail]. Welk lokaal team?")


def test_overlaps_keep_the_most_specific_kind(scrubber):
    findings = scrubber.findings("Mail Sanne.Visser@gmail.com")
    assert replace_findings("Mail Sanne.Visser@gmail.com", findings) == "Mail [e-mail]"


def test_redact_values_only_touches_what_was_found(scrubber):
    question = "Klopt het dat Mohammed naar Leerplein moet?"
    answer = "Leerplein (023-5115000) pakt dit op voor Mohammed en andere leerlingen."
    assert redact_values(answer, scrubber.findings(question)) == \
        "Leerplein (023-5115000) pakt dit op voor [naam] en andere leerlingen."


def test_brackets_around_a_phone_number_stay(scrubber):
    assert scrubber.scrub("moeder (06-12345678) of school ((023) 511 50 00)") == \
        "moeder ([telefoon]) of school ([telefoon])"


def test_a_capitalised_cue_stays_beside_the_name(scrubber):
    assert scrubber.scrub("Gesprek met Mevrouw Bakker en Dhr. Visser.") == "Gesprek met Mevrouw [naam] en Dhr. [naam]."
