"""Definitions and abbreviations on seed snippets and external-dev pages."""

from __future__ import annotations

from structure_support import HANDLEIDING, LEIDRAAD, assert_quotes_verbatim, doc_from_text, external, seed

from ingest.structure.definitions import extract_definitions, is_short_form, long_form_before


def _terms(defs, form: str | None = None) -> dict[str, str]:
    return {d.term: d.definition for d in defs if form is None or d.form == form}


def test_glossary_lines_spell_their_abbreviation():
    doc = seed("nk_begrippenlijst.txt")
    defs = extract_definitions(doc)
    assert _terms(defs, "abbreviation") == {
        "AD(H)D": "Attention Deficit (Hyperactivity) Disorder",
        "ALV": "Algemene Ledenvergadering",
        "ASS": "Autisme Spectrum Stoornis",
        "AVG": "Algemene Verordening Gegevensbescherming",
        "CvT": "Commissie van Toewijzing",
    }
    assert_quotes_verbatim(doc, defs)


def test_long_form_before_and_after_the_bracketed_short_form():
    haaglanden = _terms(extract_definitions(seed("haaglanden_afkortingen.txt")))
    assert haaglanden == {"VO": "voortgezet onderwijs", "SO": "speciaal onderwijs", "VSO": "voortgezet speciaal onderwijs"}
    assert _terms(extract_definitions(seed("zk_inleiding.txt")))["OOGO"] == "Op Overeenstemming Gericht Overleg"
    leidraad = _terms(extract_definitions(external(LEIDRAAD)), "abbreviation")
    assert leidraad["MDO"] == "multidisciplinair overleg"
    assert leidraad["OGGZ"] == "Openbare Geestelijke Gezondheidszorg"


def test_reverse_form_and_words_that_do_not_spell_the_short_form():
    doc = doc_from_text("De OJG (Ondersteuner Jeugd en Gezin) sluit aan. Dit staat in de nota (zie bijlage 2). "
                        "Een aanvraag bij de Commissie van Toewijzing nodig (CvT). Het speciaal onderwijs (VO) telt.")
    assert _terms(extract_definitions(doc)) == {"OJG": "Ondersteuner Jeugd en Gezin"}
    assert long_form_before("CvT", "aanvraag bij de Commissie van Toewijzing") is not None
    assert long_form_before("CvT", "de Commissie van Toewijzing nodig") is None
    assert is_short_form("AD(H)D") and is_short_form("J&G") and not is_short_form("Wlz") and not is_short_form("MBO)")


def test_a_term_with_a_defining_clause_and_a_definition_heading():
    handleiding = extract_definitions(external(HANDLEIDING))
    assert _terms(handleiding, "is")["genogram"] == "een visuele weergave van een familierelatie en medische geschiedenis"
    leidraad = extract_definitions(external(LEIDRAAD))
    bemoeizorg = [d for d in leidraad if d.form == "heading" and d.term == "bemoeizorg"]
    assert bemoeizorg and bemoeizorg[0].page == 7 and "zorgmijding" in bemoeizorg[0].definition
    assert_quotes_verbatim(external(LEIDRAAD), leidraad)


def test_verstaan_bedoelen_and_betekent():
    doc = doc_from_text("Onder thuiszitters verstaan we leerplichtige jongeren die zonder vrijstelling niet naar school "
                        "gaan. Met integraal arrangeren bedoelen we één plan voor school en thuis. Onder aanbod wordt "
                        "verstaan: onderwijs en ondersteuning. Innoveren betekent experimenteren en leren.")
    defs = extract_definitions(doc)
    assert {(d.form, d.term) for d in defs} == {("verstaan", "thuiszitters"), ("bedoelen", "integraal arrangeren"),
                                                ("verstaan", "aanbod"), ("betekent", "Innoveren")}
    assert _terms(defs)["aanbod"] == "onderwijs en ondersteuning"


def test_statements_that_only_look_like_definitions_are_none():
    doc = doc_from_text("Het schakelteam betekent heel veel voor de geschakelden. Soms betekent dit dat er hulp "
                        "komt. Dat betekent dat de termijn loopt. Maar samen werken betekent ook samen leren. "
                        "Het doel is een betere aansluiting tussen onderwijs en zorg in de regio.")
    assert extract_definitions(doc) == []


def test_a_defining_clause_with_an_aside_and_a_definition_of_heading():
    # the Almere evaluation: "Een schakelteam is, volgens hun eigen website, het schakelpunt voor ..."
    doc = doc_from_text("Achtergrond\n\nDit resulteerde in de formatie van de teams in twee wijken. Een schakelteam is, "
                        "volgens hun eigen website, het schakelpunt voor bewoners met psychische kwetsbaarheid en hun "
                        "omgeving. Het schakelteam bestaat uit drie medewerkers.\n\n"
                        "2 De definitie van de consultatiefunctie sociaal domein\n\n"
                        "De consultatiefunctie voorziet erin dat professionals in het sociaal domein professionals in de "
                        "ggz kunnen consulteren. Het doel is het voorkomen van zwaardere zorg.")
    defs = extract_definitions(doc)
    assert _terms(defs, "is")["schakelteam"].startswith("het schakelpunt voor bewoners met psychische kwetsbaarheid")
    heading = _terms(defs, "heading")
    assert list(heading) == ["consultatiefunctie sociaal domein"]  # without "van de"
    assert "zwaardere zorg" in heading["consultatiefunctie sociaal domein"]
    assert_quotes_verbatim(doc, defs)
    # an aside that is a whole clause is no definition
    other = doc_from_text("Een schakelteam is, zoals gezegd in het vorige hoofdstuk over de wijken, in twee wijken "
                          "gestart en draait nu een jaar.")
    assert not _terms(extract_definitions(other), "is")
