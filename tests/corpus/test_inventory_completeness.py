"""Completeness: the inventories hold every item of the source lists, checked against the corpus text."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.inventories import load_inventories
from assistant.core.text import fold, words_of

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
INV = load_inventories(CORPUS / "inventories")


def _lines(doc: str) -> list[str]:
    return (CORPUS / doc).read_text(encoding="utf-8").split("\n")


def _section(doc: str, start: str, end: str | None) -> list[str]:
    lines = _lines(doc)
    a = next(i for i, line in enumerate(lines) if start in line)
    b = next((i for i, line in enumerate(lines) if i > a and end and end in line), len(lines))
    return lines[a:b]


def test_alkmaar_lopende_pilots_6_po_3_vo_1_mbo():
    pilots = [a for a in INV.arrangements if (a.source_list or "").startswith("Bijlage: lopende pilots")]
    by_section = {s: [a for a in pilots if a.source_list.endswith(s)] for s in ("Primair onderwijs",
                                                                                   "Voortgezet onderwijs", "MBO")}
    assert [len(v) for v in by_section.values()] == [6, 3, 1]
    assert all(a.region == "Alkmaar" and a.status == "lopende pilot" for a in pilots)
    # the bijlage itself: one bullet per pilot, and every record's quote is one of the bullets of its section
    bijlage = _section("alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt", "Bijlage: lopende pilots", None)
    headers = {"Primair onderwijs": "Primair onderwijs:", "Voortgezet onderwijs": "Voortgezet onderwijs:",
               "MBO": "MBO:"}
    starts = {s: next(i for i, line in enumerate(bijlage) if line.strip() == h) for s, h in headers.items()}
    bounds = sorted(starts.values()) + [len(bijlage)]
    for section, start in starts.items():
        end = bounds[bounds.index(start) + 1]
        bullets = [line.lstrip("• ").strip() for line in bijlage[start:end] if line.lstrip().startswith("•")]
        assert len(bullets) == len(by_section[section]), section
        for record in by_section[section]:
            assert any(record.source.quote.strip() in b or b in record.source.quote for b in bullets), record.id
    names = {a.name for a in by_section["Primair onderwijs"]}
    assert names == {"De Trimaran", "Samen sterker naar school", "De Boog", "Buitengewoon Leren", "De Kanzklas",
                     "De Alk"}
    assert {a.name for a in by_section["Voortgezet onderwijs"]} == {
        "J-GGZ in het VO en in het MBO (VO)", "OZA Spinaker VO", "Skills Noord-Holland Noord"}


def test_haaglanden_oja_table_every_row_school_and_provider():
    ojas = [a for a in INV.arrangements if a.kind == "Onderwijs Jeugdhulp Arrangement (OJA)"]
    assert sorted(a.name for a in ojas) == sorted([
        "OJA Persoonlijke verzorging", "OJA Ambulante begeleiding", "OJA Shadow begeleiding cluster 3",
        "OJA Shadow begeleiding cluster 4", "OJA Jeugdcoaches"])
    rows = {o.name: (o.schools, o.providers) for o in ojas}
    assert rows["OJA Ambulante begeleiding"] == (["C4 Blokpoelschool"], ["Buitenwereld"])
    assert rows["OJA Jeugdcoaches"] == (["C4 Flexcollege", "C4 Pleysiercollege Oosterbeek"], ["Jeugdformaat"])
    assert rows["OJA Shadow begeleiding cluster 3"][1] == ["ABA Huis", "Inzowijs", "Liberis", "Middin"]
    assert len(rows["OJA Shadow begeleiding cluster 4"][1]) == 6
    for oja in ojas:
        assert set(oja.partners) == set(oja.schools) | set(oja.providers)
        assert oja.financing.startswith("H3-subsidie van de samenwerkingsverbanden SPPOH en SWV Zuid Holland West")
        assert oja.status.startswith("1 april 2021 tot in ieder geval 1 april 2023")
        assert set(oja.gemeenten) == {"Den Haag", "Leidschendam-Voorburg", "Rijswijk"}
    # every word of the flattened table (schools, providers, row labels) is held by the OJA records
    table = _section("haaglanden-onderwijs-jeugdhulp.txt", "Scholen  Aanbieder", "Financiering: H3 subsidie")
    covered = set().union(*(words_of(" ".join([o.name, *o.partners])) for o in ojas))
    words = {w for line in table[1:] for w in re.findall(r"[a-z0-9]+", fold(line)) if len(w) > 1}
    assert words - covered == set()
    schools_in_table = {m.group(0).strip() for line in table for m in re.finditer(r"C[34] [A-Z][\w. ]+", line)}
    partners = {p for o in ojas for p in o.partners}
    assert {"C3 Bernardusschool", "C3 Insp. de Vries", "C3 Koetsveldschool", "C3 Piramide", "C4 Blokpoelschool",
            "C4 De Strandwacht", "C4 De Opperd", "C4 Flexcollege", "C4 Pleysiercollege Oosterbeek",
            "C4 Eerste Nederlandse Buitenschool"} <= partners
    assert len(schools_in_table) >= 9


def test_haaglanden_bijlage_6_pilots_and_bijlage_8_h3_pilots():
    bijlage6 = [a for a in INV.arrangements if (a.source_list or "").startswith("Bijlage 6 - Voorbeelden")]
    assert sorted(a.id for a in bijlage6) == ["hgl-herman-broereschool-ipse", "hgl-kraaijnest-ipse",
                                               "hgl-pom-westland", "hgl-sbo-avontuur-prodeba"]
    h3 = [a for a in INV.arrangements if a.source_list == "Bijlage 8 - drie pilots in de H3"]
    assert [a.name for a in h3] == ["Leerkracht naar KDC", "Gecombineerde groep binnen KDC",
                                    "O-Z-combinatie op SO cluster 3"]


def test_noord_kennemerland_arrangements():
    start = [a.name for a in INV.arrangements if (a.source_list or "").endswith("drie (bovenschoolse en integrale) arrangementen")]
    assert start == ["Trajecten op maat", "Structuurklas (S-klas) op De Viaan", "Trajectplusklas op het Willem Blaeu"]
    developing = [a.name for a in INV.arrangements if a.source_list == "Onderwijszorgarrangementen ontwikkelen - in ontwikkeling"]
    assert developing == ["Spinaker-Parlan", "Outreachende inzet J-GGZ", "Samen Sterker Naar School", "De Alk",
                          "Samenwerking Trajecten op maat-Parlan"]
    assert any(a.id == "nk-tvia-flexibele-arrangementen" for a in INV.arrangements)


def test_zuid_kennemerland_uitvoeringsagenda_all_rows_with_who_and_when():
    rows = [a for a in INV.actions if a.source_list == "Uitvoeringsagenda Zuid-Kennemerland"]
    assert len(rows) == 15
    assert len({r.movement for r in rows}) == 6
    assert all(r.responsible and r.why and r.when for r in rows)
    by_action = {r.action: r for r in rows}
    assert by_action["Inzicht en afstemming in aanpak vrijstellingen 5a"].responsible == ["Leerplein"]
    assert by_action["Vormgeven doorbraakaanpak"].responsible == ["Platform Jeugd"]
    assert by_action["Thuiszitters kennen, tellen, volgen"].responsible == ["Leerplein", "SWV PO", "SWV VO"]


def test_alkmaar_b1_activities_per_hoofdlijn_and_haaglanden_actions():
    b1 = [a for a in INV.actions if a.region == "Alkmaar"]
    per = {h: len([a for a in b1 if a.hoofdlijn == h]) for h in {a.hoofdlijn for a in b1}}
    assert per == {"Hoofdlijn 1: Lokaal anticiperen": 5, "Hoofdlijn 2: Passende omgeving": 7,
                   "Hoofdlijn 3: Integraal perspectief": 4, "Randvoorwaarden voor de samenwerking": 5}
    priorities = [a for a in INV.actions if (a.ontwikkellijn or "").startswith("Prioriteit")]
    assert len(priorities) == 4
    proposed = [a for a in INV.actions if (a.ontwikkellijn or "")[:3] in {"4.1", "4.2", "4.3", "4.4", "4.5"}]
    assert {a.ontwikkellijn[:3] for a in proposed} == {"4.1", "4.2", "4.3", "4.4", "4.5"}
    assert len([a for a in proposed if a.ontwikkellijn.startswith("4.4")]) == 7


def test_regions_and_glossary_cover_the_sources():
    assert {r.name for r in INV.regions} == {"Zuid-Kennemerland", "Alkmaar", "Noord-Kennemerland", "Haaglanden"}
    haaglanden = next(r for r in INV.regions if r.name == "Haaglanden")
    assert [g.name for g in haaglanden.other_gemeenten][0] == "Lansingerland"
    terms = {g.term for g in INV.glossary}
    for term in ("OZA", "OJA", "SWV", "TLV", "CvT", "OPP", "TOP dossier", "OOGO", "MDO", "SKT", "CJG", "JGZ", "RBL",
                 "KDC", "smw", "LEA", "HDT", "IKC", "EED", "VSV", "RMC"):
        assert term in terms, term
    undefined = {g.term for g in INV.glossary if not g.defined_in_source}
    assert {"OZA", "CJG", "IKC", "HDT"} <= undefined
    assert all(g.source is None and not g.expansion for g in INV.glossary if not g.defined_in_source)
