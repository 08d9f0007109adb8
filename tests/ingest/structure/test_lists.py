"""Enumerations on seed snippets and on pages of the external-dev originals."""

from __future__ import annotations

from structure_support import AANVRAAG, HANDLEIDING, LEIDRAAD, SCHAKELTEAMS, assert_quotes_verbatim, doc_from_text, \
    external, seed

from ingest.structure.lists import extract_enumerations


def _titled(enums, start: str, source: str | None = None):
    found = [e for e in enums if e.title.startswith(start) and (source is None or e.source == source)]
    assert found, f"no list titled {start!r}: {[e.title[:40] for e in enums]}"
    return found[0]


def _texts(enum) -> list[str]:
    return [item.text for item in enum.items]


def test_bullets_under_a_lead_in_keep_order_page_and_section():
    doc = external(LEIDRAAD)
    enum = _titled(extract_enumerations(doc), "Voorbeelden van consultatie zijn")
    assert enum.source == "bullets" and enum.page == 5
    assert _texts(enum) == ["Telefonisch spreekuur", "Een multidisciplinair overleg (MDO)",
                            "Deelname aan wijktafels van het sociaal domein door de ggz"]
    assert enum.heading == "3.4 Vormen van de consultatiefunctie"
    assert enum.lead_in.endswith("Voorbeelden van consultatie zijn:")
    assert_quotes_verbatim(doc, [enum])


def test_a_continuation_paragraph_does_not_end_a_bullet_list_nor_become_an_item():
    doc = external(SCHAKELTEAMS)
    enum = _titled(extract_enumerations(doc), "Verbeter- en aandachtspunten")
    labels = [item.label for item in enum.items]
    assert labels[:3] == ["Zichtbaarheid en profilering", "Bekendheid", "Informeel"]
    assert "Certificering van de ervaringsdeskundige" in labels and "Samenwerking" in labels
    assert not any(text.startswith("Het schakelteam wordt nu gedragen") for text in _texts(enum))
    assert {enum.page for enum in [enum]} == {19}


def test_items_under_an_item_ending_in_a_colon_form_a_sublist():
    enum = _titled(extract_enumerations(external(LEIDRAAD)), "De consultatiefunctie wordt alleen gecontracteerd",
                   "sublist")
    assert [t.split(",")[0][:24] for t in _texts(enum)] == ["van acute ggz-zorg", "met aanbod van outreache",
                                                             "van (outreachende) versl"]


def test_numbered_items_are_one_list_whether_the_cleaner_made_them_headings_or_items():
    enum = _titled(extract_enumerations(external(LEIDRAAD)), "De leidraad adviseert om de beantwoording")
    assert enum.source == "numbered"
    assert [t[:22] for t in _texts(enum)] == ["Samenwerking in de reg", "De behoefte van het so", "De mogelijkheden van d",
                                              "Een beschrijving van d", "Het volume van de cons", "Verwacht effect in ter",
                                              "Monitoring effect cons"]
    assert [item.marker for item in enum.items] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]


def test_a_list_of_numbered_headings_stands_under_the_heading_of_its_lead_in():
    # the items are headings of their own, one level above the lead-in's heading "Regionaal plan en
    # offerte" (a footnote line "4 Zie voor ..." became a numbered heading before it); the list is
    # still titled and placed where it is announced, so "welke onderdelen moeten er in het regionaal
    # plan en de offerte staan?" finds it
    doc = external(LEIDRAAD)
    enum = _titled(extract_enumerations(doc), "De leidraad adviseert om de beantwoording")
    lead = next(b for b in doc.blocks if b.text.startswith("De leidraad adviseert om de beantwoording"))
    assert enum.heading == "Regionaal plan en offerte" == lead.section_path[-1]
    assert enum.section_path == list(lead.section_path)
    item = next(b for b in doc.blocks if b.text.startswith("1. Samenwerking in de regio"))
    assert item.kind == "heading" and "Regionaal plan en offerte" not in item.section_path


def test_numbered_seed_list_with_its_lead_in():
    enum = _titled(extract_enumerations(seed("zk_bewegingen.txt")), "We zetten daarbij in op de volgende bewegingen")
    assert len(enum.items) == 6
    assert enum.items[1].text.startswith("Verantwoordelijke partijen zorgen ervoor")
    assert enum.items[5].text.startswith("We willen de kansengelijkheid van kinderen vergroten")


def test_a_page_number_between_items_does_not_split_the_list():
    enums = [e for e in extract_enumerations(seed("alkmaar_page_number.txt")) if e.source == "numbered"]
    assert [item.marker for item in enums[0].items] == ["1.", "2.", "3.", "4.", "5."]


def test_lettered_checklist_items_in_order():
    enums = [e for e in extract_enumerations(seed("nk_checklist.txt")) if e.source == "lettered"]
    first = [e for e in enums if e.items[0].text.startswith("De school brengt onderwijsbehoeften in kaart")]
    assert first and [item.marker for item in first[0].items][:6] == ["a.", "b.", "c.", "d.", "e.", "f."]
    assert first[0].title == "2 Passende begeleiding"


def test_numbered_chapters_are_no_list():
    chapters = "\n\n".join(
        f"{n}. Hoofdstuk over onderwerp {n}\n\n" + "\n\n".join(
            f"Dit is alinea {k} van hoofdstuk {n} met een volledige zin over het onderwerp." for k in range(4))
        for n in range(1, 4))
    assert [e for e in extract_enumerations(doc_from_text(chapters)) if e.source == "numbered"] == []


def test_table_of_contents_is_no_list():
    toc = "Inhoud\n\n" + "\n\n".join(f"{n}. Onderwerp {n} ........................ {n + 2}" for n in range(1, 5))
    assert extract_enumerations(doc_from_text(toc)) == []


def test_short_paragraphs_after_a_colon_are_a_list_in_a_docx():
    enum = _titled(extract_enumerations(external(AANVRAAG)), "Voorbeeldzinnen die je kunt gebruiken")
    assert enum.source == "lead_in" and enum.page is None
    assert _texts(enum) == ["De jeugdige ervaart (chronisch) mentale klachten.",
                            "De jeugdige ervaart ontwikkeling- en opgroeiproblemen.",
                            "De jeugdige heeft een (licht) verstandelijke beperking.",
                            "De jeugdige heeft een somatische beperking.",
                            "De ouder/jeugdige heeft adoptiegerelateerde problemen.",
                            "De ouder ervaart opvoedingsproblemen."]


def test_items_glued_into_one_paragraph_by_the_pdf_are_split_on_parallel_openings():
    enum = _titled(extract_enumerations(external(HANDLEIDING)), "Voorbeeldzinnen die je kunt gebruiken in deze stap")
    texts = _texts(enum)
    assert "De jeugdige heeft een (licht) verstandelijke beperking." in texts
    assert "De jeugdige heeft een somatische beperking." in texts
    assert "Door de problemen kan de jeugdige niet zelf de persoonlijke verzorging doen." in texts


def test_the_sentences_before_a_lead_in_are_kept_as_context():
    enum = _titled(extract_enumerations(external(AANVRAAG)), "Daarna onderzoek je de voorwaarden")
    assert "budgetplan" in enum.context
    assert [item.label for item in enum.items] == ["Pgb-vaardig", "Is de jeugdhulp van goede kwaliteit",
                                                   "Pgb-vaardig en voldoende kwaliteit"]


def test_table_columns_of_two_seed_tables():
    agenda = extract_enumerations(seed("zk_uitvoeringsagenda.txt"))
    wie = [e for e in agenda if e.source == "table_column" and e.title == "Wie"]
    assert wie and "Platform Jeugd" in _texts(wie[0])
    oja = extract_enumerations(seed("haaglanden_oja.txt"))
    providers = [e for e in oja if e.source == "table_column" and e.title == "Aanbieder"]
    assert providers and len(providers[0].items) >= 3
    assert_quotes_verbatim(seed("haaglanden_oja.txt"), providers)
