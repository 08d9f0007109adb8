"""Flattened tables rebuilt row by row, each row with its column names (000 and 004)."""

from __future__ import annotations

from ingest_support import clean_fixture, texts

from ingest.tables import _split_merged, header_columns

BEWEGING_1 = "Er is voor iedere jeugdige een passende plek of manier om zich te ontwikkelen, zo thuisnabij als mogelijk."


def test_header_columns():
    assert header_columns("Actie  Wie  Waarom  Wanneer ") == ["Actie", "Wie", "Waarom", "Wanneer"]
    assert header_columns("Scholen  Aanbieder ") == ["Scholen", "Aanbieder"]
    assert header_columns("Platform Jeugd Inzicht in dekkend") is None
    assert header_columns("Voorkomen thuiszitten  Doorlopend") is None


def test_uitvoeringsagenda_rows_keep_their_headers_and_ambition():
    doc = clean_fixture("zk_uitvoeringsagenda.txt")  # 000 lines 251-330
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.text for r in rows] == [
        "Actie: Overzicht opstellen onderwijs-zorgcontinuüm | Wie: Platform Jeugd | Waarom: Inzicht in dekkend "
        "netwerk en of dit compleet is/moet worden gemaakt | Wanneer: Overzicht 2020 gereed, herijken in 2022",
        "Actie: Project OZA’s VO: Integraal arrangeren | Wie: SWV VO | Waarom: Dekkend netwerk complementeren en "
        "actueel houden | Wanneer: In ontwikkeling",
        "Actie: Thuis voor Noortje | Wie: Gemeente Velsen, Haarlem | Waarom: Dekkend netwerk complementeren, naar 0 "
        "gesloten plaatsingen | Wanneer: In ontwikkeling",
        "Actie: Inzicht en afstemming in aanpak vrijstellingen 5a3 | Wie: Leerplein | Waarom: Streven naar zo min "
        "mogelijk vrijstellingen | Wanneer: 2021/2022",
        "Actie: Thuiszitters kennen, tellen, volgen | Wie: Leerplein en SWV PO en SWV VO | Waarom: Voorkomen "
        "thuiszitten | Wanneer: Doorlopend",
        "Actie: Vormgeven doorbraakaanpak | Wie: Platform Jeugd | Waarom: Opschalingssystematiek inrichten voor "
        "casuïstiek en lerende organisatie | Wanneer: 2021 / 2022",
    ]
    assert rows[0].section_path == ["Uitvoeringsagenda", BEWEGING_1]
    assert rows[4].section_path[-1].startswith("Verantwoordelijke partijen zorgen ervoor")
    assert rows[0].page == 1
    # the header line itself is not left behind as text
    assert "Actie  Wie" not in doc.text and "Actie Wie Waarom Wanneer" not in doc.text


def test_footnote_and_repeated_header_do_not_end_up_in_rows():
    doc = clean_fixture("zk_agenda_footnote.txt")  # 000 lines 380-470: footnote 3, page break, header again
    rows = texts(doc, "table_row")
    assert not any("thuiszitterspact" in r for r in rows)
    footnote = next(b for b in doc.blocks if b.text.startswith("3 Uit het regionale thuiszitterspact:"))
    assert footnote.kind == "paragraph" and footnote.text.endswith("Jongeren zijn dan geen thuiszitter.")
    assert rows[0] == ("Actie: Volumebekostiging onderwijsgedeelte op gespecialiseerd onderwijs in het PO | "
                       "Wie: SWV PO | Waarom: Labelen van kinderen tegengaan, meer ruimte voor flexibele en efficiënte "
                       "inzet | Wanneer: Verwachting per 2023 voor IKC ZK, cluster 3 later")
    assert rows[1] == ("Actie: Verkenning volumebekostiging jeugdhulp op gespecialiseerd onderwijs | Wie: Gemeenten, "
                       "i.s.m. Hanneke van Noort namens onderwijs PO-ZK | Waarom: Labelen van kinderen tegengaan, meer "
                       "ruimte voor flexibele en efficiënte inzet | Wanneer: Beoogd; start nieuwe contracten "
                       "jeugdhulpaanbieders; SWV PO: bekostiging adviseur namens onderwijs")
    assert not any(r.startswith("Actie: Actie") for r in rows)


def test_oja_table_rows_with_headers():
    doc = clean_fixture("haaglanden_oja.txt")  # 004 bijlage 6
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.text for r in rows] == [
        "OJA: Persoonlijke verzorging | Scholen: C3 Bernardusschool, C3 Insp. de Vries, C3 Koetsveldschool, "
        "C3 Piramide | Aanbieder: Middin",
        "OJA: Ambulante begeleiding | Scholen: C4 Blokpoelschool | Aanbieder: Buitenwereld",
        "OJA: Shadow begeleiding cluster 3 | Scholen: C3 Bernardusschool, C3 Insp. de Vries, C3 Koetsveldschool, "
        "C3 Piramide | Aanbieder: ABA Huis, Inzowijs, Liberis, Middin",
        "OJA: Shadow begeleiding cluster 4 | Scholen: C4 Eerste Nederlandse Buitenschool, C4 De Strandwacht, "
        "C4 De Opperd | Aanbieder: Klimkoord, Inzowijs, Happy Kids, Centrum groei, Buitenwereld, ABA Huis",
        "OJA: Jeugdcoaches | Scholen: C4 Flexcollege, C4 Pleysiercollege Oosterbeek | Aanbieder: Jeugdformaat",
    ]
    assert all(r.section_path[0].startswith("Bijlage 6. Pilots collectieve inzet jeugdhulp") for r in rows)
    after = next(b for b in doc.blocks if b.text.startswith("Financiering: H3 subsidie"))
    assert after.kind == "paragraph"  # prose after the table is not taken for a row
    assert next(b for b in doc.blocks if b.text.startswith("Bijlage 7")).kind == "heading"


def test_merged_cells_are_split_on_evidence():
    known = {"Platform Jeugd", "SWV PO", "Buitenwereld"}
    assert _split_merged("Platform Jeugd Inzicht in dekkend netwerk", known) == ("Platform Jeugd", "Inzicht in dekkend netwerk")
    assert _split_merged("SWV PO Labelen van kinderen tegengaan", known) == ("SWV PO", "Labelen van kinderen tegengaan")
    assert _split_merged("Ambulante begeleiding C4 Blokpoelschool Buitenwereld", known) == (
        "Ambulante begeleiding", "C4 Blokpoelschool Buitenwereld")
    assert _split_merged("C4 Blokpoelschool Buitenwereld", known) == ("C4 Blokpoelschool", "Buitenwereld")
    # a party followed by "en ..." or a short rest is one cell
    assert _split_merged("SWV PO en Dunamare (VO)", known) is None
    assert _split_merged("CJG Kennemerland én SWV VO", {"SWV VO", "CJG Kennemerland"}) is None
