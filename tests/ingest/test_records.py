"""records_as_chunks(): one readable Dutch passage per record, citing the source document and page."""

from __future__ import annotations

from pathlib import Path

import yaml

from ingest.inventories import load_inventories
from ingest.records import records_as_chunks

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
INV = load_inventories(CORPUS / "inventories")
CHUNKS = records_as_chunks(INV, CORPUS)
BY_ID = {c.chunk_id: c for c in CHUNKS}
MANIFEST = {d["file"]: d for d in yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]}


def test_one_chunk_per_record_with_ids_sections_and_offsets():
    assert len(CHUNKS) == len(INV.records())
    assert len(BY_ID) == len(CHUNKS)
    chunk = BY_ID["inv-arrangement#alk-vo-oza-spinaker"]
    assert chunk.kind == "record" and chunk.doc_id == "alkmaar-ua"
    assert chunk.title == "Uitvoeringsagenda onderwijs-jeugd regio Alkmaar"
    assert chunk.region == "Alkmaar" and chunk.section == "Inventaris: arrangementen"
    assert chunk.char_start == 0 and chunk.char_end == len(chunk.text)
    assert chunk.text.startswith("Arrangement in regio Alkmaar: OZA Spinaker VO (pilot onderwijs-zorgarrangement).")
    assert "Onderwijs: VO en VSO." in chunk.text and "Status: lopende pilot." in chunk.text
    assert "Pilot ‘OZA Spinaker VO’: veel jongeren" in chunk.text
    for c in CHUNKS:
        kind = c.chunk_id.split("#")[0].removeprefix("inv-")
        assert kind in {"arrangement", "action", "contact", "region", "glossary", "list"}
        assert c.doc_id in {d["doc_id"] for d in MANIFEST.values()}


def test_passages_read_as_dutch_sentences():
    action = BY_ID["inv-action#zk-ua-vrijstellingen-5a"].text
    assert action.startswith("Actie in Zuid-Kennemerland: Inzicht en afstemming in aanpak vrijstellingen 5a.")
    assert "Wie: Leerplein." in action and "Wanneer: 2021/2022." in action
    contact = BY_ID["inv-contact#nk-secretariaat"].text
    assert "Telefoon: (072) 79 20 100." in contact and "E-mail: secretariaat@swvnk.nl." in contact
    region = BY_ID["inv-region#regio-zuid-kennemerland"].text
    assert "Haarlemmermeer (beperkt tot postcodegebied Haarlemmerliede & Spaarnwoude)" in region
    undefined = BY_ID["inv-glossary#oza"].text
    assert "zonder uitleg" in undefined


def test_pages_md_has_none_and_txt_pages_follow_the_document():
    assert BY_ID["inv-contact#zk-leerplein"].page is not None  # main source is the ZK .txt
    md_records = [c for c in CHUNKS if c.doc_id == "haarlem-besluit"]
    assert all(c.page is None for c in md_records)
    for chunk in CHUNKS:
        if chunk.doc_id != "haarlem-besluit":
            assert isinstance(chunk.page, int) and chunk.page >= 1
    assert BY_ID["inv-arrangement#zk-ikc-zuid-kennemerland"].page < BY_ID["inv-action#zk-ua-project-hdt"].page


def test_record_pages_are_the_pages_of_the_ingest_loader():
    from assistant.core.types import DocMeta
    from ingest.loaders import load

    doc = "haaglanden-onderwijs-jeugdhulp.txt"
    raw = load(CORPUS / doc, DocMeta(doc_id="haaglanden-rapport", file=doc, title="t"))
    chunk = BY_ID["inv-arrangement#hgl-oja-ambulante-begeleiding-c4"]
    assert "Ambulante begeleiding C4 Blokpoelschool Buitenwereld" in raw.pages[chunk.page - 1]


def test_subset_corpus_gives_the_records_of_its_documents_only(tmp_path):
    import shutil

    for name in ("zk-jeugdondersteuningsplan.txt", "haarlem-collegebesluit-jop-2022.md", "manifest.yaml"):
        shutil.copy(CORPUS / name, tmp_path / name)
    chunks = records_as_chunks(INV, tmp_path)
    assert chunks and {c.doc_id for c in chunks} == {"zk-jop", "haarlem-besluit"}
    assert "inv-contact#zk-kernteam-van-de-school" in {c.chunk_id for c in chunks}


def test_a_quote_missing_from_its_document_is_an_error(tmp_path):
    import shutil

    import pytest

    from assistant.core.records import InventoryError

    shutil.copy(CORPUS / "manifest.yaml", tmp_path / "manifest.yaml")
    (tmp_path / "zk-jeugdondersteuningsplan.txt").write_text(" Een andere tekst\n", encoding="utf-8")
    with pytest.raises(InventoryError, match="citaat staat niet"):
        records_as_chunks(INV, tmp_path)
