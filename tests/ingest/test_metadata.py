"""Derived document metadata on the nine real documents, the title rules and the manifest override.

Expected values come from the documents' descriptions (../shared/seeds/README.md and the
external-dev ``*.source.txt`` files), never from the code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from assistant.core.places import load_gazetteer
from assistant.core.types import DocMeta, RawDocument
from ingest.loaders import load
from ingest.manifest import load_manifest
from ingest.metadata import derive_metadata, meaningful_file_title
from ingest.pipeline import IngestReport

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
EXTERNAL = ROOT.parent / "shared" / "external-dev"


@lru_cache(maxsize=None)
def derived(path: str):
    file = Path(path)
    raw = load(file, DocMeta(doc_id="x", file=file.name, title=file.stem))
    return derive_metadata(raw, load_gazetteer())


def seed(name: str):
    return derived(str(CORPUS / name))


def external(name: str):
    path = EXTERNAL / name
    assert path.is_file(), f"{path} ontbreekt: de external-dev documenten horen naast de repository te staan"
    return derived(str(path))


def raw_doc(*pages: str, **file_meta: str) -> RawDocument:
    return RawDocument(meta=DocMeta(doc_id="t", file="t.pdf", title="t"), pages=list(pages), content_hash="0",
                       file_meta=file_meta)


# --- the five seeds ---------------------------------------------------------------------------


def test_zuid_kennemerland_plan():
    d = seed("zk-jeugdondersteuningsplan.txt")
    assert d.title == "Jeugdondersteuningsplan Zuid-Kennemerland"
    assert d.region == "Zuid-Kennemerland" and d.doc_type == "jeugdondersteuningsplan"
    assert set(d.gemeenten) == {"Bloemendaal", "Haarlem", "Haarlemmermeer", "Heemstede", "Velsen", "Zandvoort"}
    assert d.organisation.startswith("gemeenten Bloemendaal") and "samenwerkingsverbanden" in d.organisation
    assert d.year == "2022"
    assert d.evidence["title"] == "kop op de eerste pagina"


def test_alkmaar_agenda_without_cover():
    d = seed("alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt")
    assert d.doc_type == "uitvoeringsagenda" and d.region == "Alkmaar"
    assert d.title == "Uitvoeringsagenda Alkmaar" and d.evidence["title"].startswith("samengesteld")
    assert "Alkmaar" in d.gemeenten
    assert set(d.gemeenten) <= {"Alkmaar", "Bergen (NH.)", "Castricum", "Dijk en Waard", "Heiloo", "Uitgeest"}
    assert d.year.isdigit()  # the text names no year of its own; the most named one is taken


def test_noord_kennemerland_plan_title_from_running_footer():
    d = seed("nk-ondersteuningsplan-2019-2022.txt")
    assert d.title.startswith("Ondersteuningsplan 2019 | 2022") and "Noord-Kennemerland" in d.title
    assert d.year == "2019-2022" and d.doc_type == "ondersteuningsplan"
    assert d.region == "Noord-Kennemerland"
    assert d.organisation == "Samenwerkingsverband vo Noord-Kennemerland"
    # Alkmaar, Bergen, Heiloo, Langedijk and Heerhugowaard (the last two now Dijk en Waard)
    assert set(d.gemeenten) == {"Alkmaar", "Bergen (NH.)", "Heiloo", "Dijk en Waard"}


def test_haarlem_council_decision():
    d = seed("haarlem-collegebesluit-jop-2022.md")
    assert d.title.startswith("Collegebesluit- Vaststellen Jeugdondersteuningsplan Zuid-Kennemerland 2022")
    assert d.doc_type == "collegebesluit" and d.year == "2022"
    assert d.region == "Zuid-Kennemerland" and d.gemeenten == ["Haarlem"]
    assert d.organisation == "College van B&W Haarlem"


def test_haaglanden_report():
    d = seed("haaglanden-onderwijs-jeugdhulp.txt")
    assert d.region == "Haaglanden"
    expected = {"Delft", "Den Haag", "Leidschendam-Voorburg", "Midden-Delfland", "Pijnacker-Nootdorp", "Rijswijk",
                "Voorschoten", "Wassenaar", "Westland", "Zoetermeer"}
    assert expected <= set(d.gemeenten) and len(set(d.gemeenten) - expected) <= 1  # Leiden: named as outside
    assert d.year in {"2022", "2023"} and d.doc_type in {"rapport", "onderzoek"}
    assert "Haaglanden" in d.title


# --- the external-dev originals -------------------------------------------------------------


@pytest.mark.slow
def test_almere_evaluation_pdf():
    d = external("almere-evaluatie-schakelteams-2021.pdf")
    assert (d.title, d.year, d.doc_type) == ("Evaluatie schakelteams", "2021", "evaluatie")
    assert d.organisation == "Gemeente Almere"
    assert d.region == "Almere" and d.gemeenten == ["Almere"]


@pytest.mark.slow
def test_groningen_manual_pdf():
    d = external("handleiding-gezinsplan-wij-groningen-2025.pdf")
    assert (d.title, d.year, d.doc_type) == ("Handleiding Gezinsplan", "2025", "handleiding")
    assert d.evidence["title"] == "titel in de metadata van het bestand"
    assert "WIJ Groningen" in d.organisation
    assert d.region == "Groningen" and d.gemeenten == ["Groningen"]


@pytest.mark.slow
def test_national_guideline_pdf_has_no_gemeente():
    d = external("leidraad-consultatiefunctie-ggz-sociaal-domein-2024.pdf")
    # its PDF title is a file name ("20231207 Concept leidraad ..."): the cover heading is used
    assert d.title == "Leidraad consultatiefunctie ggz voor het sociaal domein"
    assert d.year == "2024" and d.doc_type == "leidraad"
    assert d.gemeenten == [] and d.region == "landelijk"
    assert "VNG" in d.organisation


def test_groningen_form_docx():
    d = external("basis-aanvraag-jeugdhulp-wij-groningen.docx")
    # the docx core title is a file name ("A000116088 ... .docx"): the first heading is used
    assert d.title == "Plan en aanvraag Jeugdhulp (gemeente)"
    assert d.year == "2025" and d.organisation == "Stichting WIJ Groningen"
    assert d.region == "Groningen" and d.gemeenten == ["Groningen"]


# --- the rules on small documents ----------------------------------------------------------------


@pytest.mark.parametrize("title", ["20231207 Concept leidraad consultatiefunctie ggz_opmGGZ_VNG_ZN",
                                   "Microsoft Word - notitie.docx", "A000116088 Jeugd Plan.docx", "Document1", ""])
def test_file_names_are_not_titles(title):
    assert not meaningful_file_title(title)


def test_meaningful_file_title_is_used():
    assert meaningful_file_title("Handleiding Gezinsplan")
    d = derive_metadata(raw_doc("Iets anders\n\nTekst van de eerste pagina.", title="Beleidsplan jeugd"),
                        load_gazetteer())
    assert d.title == "Beleidsplan jeugd" and d.doc_type == "beleidsplan"


def test_boilerplate_lines_are_skipped_for_the_title():
    page = ("Voorstel aan de raad GEAMENDEERD\n1/12\n12 maart 2024\n\nAanpak thuiszitters Zwolle\n\n"
            "De raad wordt gevraagd in te stemmen met de aanpak van thuiszitters in de gemeente Zwolle.\n")
    d = derive_metadata(raw_doc(page, title="Microsoft Word - raadsvoorstel.docx"), load_gazetteer())
    assert d.title == "Aanpak thuiszitters Zwolle"
    assert d.year == "2024" and d.gemeenten == ["Zwolle"] and d.region == "Zwolle"
    assert d.organisation == ""


def test_describe_lists_every_field_in_dutch():
    lines = derive_metadata(raw_doc("Plan voor Zwolle\n\nTekst."), load_gazetteer()).describe()
    assert [line.split(":")[0] for line in lines] == ["titel", "organisatie", "jaar", "soort", "regio", "gemeenten"]


# --- manifest overrides field by field ------------------------------------------------------------


def test_manifest_overrides_only_the_fields_it_gives(tmp_path):
    text = ("Jeugdplan Zwolle 2024-2027\n\nDit plan is opgesteld door de gemeente Zwolle.\n\n"
            "In Zwolle werken scholen en wijkteams samen; Zwolle betaalt de jeugdhulp.\n")
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    (tmp_path / "los.txt").write_text(text, encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text("documents:\n  - file: plan.txt\n    region: IJsselland\n",
                                            encoding="utf-8")
    metas, problems = load_manifest(tmp_path)
    assert problems == []
    listed, unlisted = metas
    assert listed.region == "IJsselland" and "region" not in listed.derived  # the manifest wins
    assert listed.title == "Jeugdplan Zwolle 2024-2027" and listed.derived["title"] == "kop op de eerste pagina"
    assert listed.year == "2024-2027" and listed.gemeenten == ["Zwolle"] and listed.doc_type == "jeugdplan"
    assert unlisted.region == "Zwolle" and unlisted.derived["region"] == "meest genoemde gemeente"
    assert unlisted.organisation == "gemeente Zwolle"


def test_fully_described_manifest_entries_are_not_derived():
    metas, _ = load_manifest(CORPUS)
    assert all(meta.derived == {} for meta in metas)


def test_ingest_summary_shows_what_was_derived_for_new_documents():
    report = IngestReport(documents=1, rebuilt=["plan"])
    report.derived["plan"] = ("plan.pdf", ["titel: Jeugdplan (kop op de eerste pagina)", "regio: Zwolle (x)"])
    summary = report.summary()
    assert "nieuw document plan (plan.pdf), afgeleid uit de tekst:" in summary
    assert "    titel: Jeugdplan (kop op de eerste pagina)" in summary and "corpus/manifest.yaml" in summary
