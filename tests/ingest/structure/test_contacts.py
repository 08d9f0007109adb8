"""Contact lines and whose they are, on seed snippets and external-dev pages."""

from __future__ import annotations

from structure_support import HANDLEIDING, SCHAKELTEAMS, assert_quotes_verbatim, doc_from_text, external, seed

from ingest.structure.contacts import extract_contacts


def test_a_colophon_gives_address_phone_mail_and_site_of_one_owner():
    doc = external(SCHAKELTEAMS)
    contacts = [c for c in extract_contacts(doc) if c.page == 2]
    assert [(c.channel, c.value) for c in contacts] == [
        ("address", "Postbus 200 1300 AE Almere"), ("phone", "14 036"),
        ("email", "onderzoek&statistiek@almere.nl"), ("website", "https://oens.almere.nl/")]
    assert {c.owner for c in contacts} == {"Gemeente Almere"}
    assert_quotes_verbatim(doc, contacts)


def test_the_owner_named_before_a_mail_address_in_running_text():
    contacts = extract_contacts(external(HANDLEIDING))
    mail = [c for c in contacts if c.channel == "email"]
    assert [(c.value, c.owner, c.owner_from) for c in mail] == [
        ("proces.kwaliteit@wij.groningen.nl", "Kwaliteitsteam", "line")]
    # a web link in running text takes no heading as its owner
    assert not [c for c in contacts if c.channel == "website" and c.owner_from == "heading"]


def test_web_addresses_in_two_seeds():
    alkmaar = extract_contacts(seed("alkmaar_cijfers.txt"))
    assert ("www.waarstaatjegemeente.nl", "Waar Staat je Gemeente") in {(c.value, c.owner) for c in alkmaar}
    doc = seed("haaglanden_bronnen.txt")  # a reference list; a link broken at a hyphen is rejoined by the cleaner
    sites = [c.value for c in extract_contacts(doc)]
    assert "https://www.walhallab.nl" in sites and "https://www.nji.nl/onderwijs-zorgarrangementen" in sites
    assert "https://www.nji.nl/system/files/2021-04/Verrassend-Passend-Special-combinatie-onderwijs-jeugd-middelen.pdf" \
        in sites
    assert all(c.channel == "website" and c.owner_from != "heading" for c in extract_contacts(doc))


def test_labels_name_no_owner():
    doc = doc_from_text("Meer informatie: zie www.voorbeeld.nl of mail naar info@voorbeeld.nl.")
    contacts = extract_contacts(doc)
    assert {(c.channel, c.value, c.owner) for c in contacts} == {("website", "www.voorbeeld.nl", ""),
                                                                 ("email", "info@voorbeeld.nl", "")}


def test_phone_formats_and_an_address_block_under_its_name():
    doc = doc_from_text("Jeugdteam Voorbeeldstad\n\nBezoekadres Stationsweg 12, 1234 AB Voorbeeldstad. "
                        "Tel: 020-1234567 of 06-12345678, buiten kantoortijd +31 20 765 4321 of 0800-1234.")
    contacts = extract_contacts(doc)
    assert [(c.channel, c.value) for c in contacts] == [
        ("address", "Stationsweg 12, 1234 AB Voorbeeldstad"), ("phone", "020-1234567"), ("phone", "06-12345678"),
        ("phone", "+31 20 765 4321"), ("phone", "0800-1234")]
    assert {c.owner for c in contacts} == {"Jeugdteam Voorbeeldstad"}
    assert {c.owner_from for c in contacts} == {"previous"}


def test_years_and_counts_are_no_phone_numbers():
    doc = doc_from_text("In 2019-2022 waren er 16.000 leerlingen; zie rapport 2021/671103 en bijlage 1234.")
    assert extract_contacts(doc) == []
