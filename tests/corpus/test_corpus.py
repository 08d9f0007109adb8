"""The whole real corpus through load -> clean -> split: invariants every chunk must meet."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest_support import corpus_raws, corpus_vocabulary

from ingest.chunking import split
from ingest.clean import clean_document
from ingest.sentences import split_sentences


@lru_cache(maxsize=1)
def _corpus():
    out = []
    for raw in corpus_raws():
        doc = clean_document(raw, vocabulary=corpus_vocabulary())
        out.append((raw, doc, split(doc, target_chars=900, max_chars=1400)))
    return out


def test_every_chunk_has_page_section_and_exact_offsets():
    for raw, doc, chunks in _corpus():
        assert chunks, raw.meta.doc_id
        assert [c.seq for c in chunks] == list(range(len(chunks)))
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        for chunk in chunks:
            assert doc.text[chunk.char_start:chunk.char_end] == chunk.text
            assert chunk.section.strip(), chunk.chunk_id
            assert chunk.doc_id == raw.meta.doc_id and chunk.region == raw.meta.region
            assert len(chunk.text) <= 1400
            if raw.meta.file.endswith(".txt"):
                assert chunk.page_start is not None and 1 <= chunk.page_start <= chunk.page_end <= len(raw.pages)
            else:
                assert chunk.page_start is None


def test_blocks_tile_each_document():
    for raw, doc, _ in _corpus():
        for block in doc.blocks:
            assert doc.text[block.start:block.end] == block.text
        gaps = [doc.text[a.end:b.start] for a, b in zip(doc.blocks, doc.blocks[1:])]
        assert set(gaps) == {"\n\n"}, raw.meta.doc_id


def test_extraction_defects_are_gone_from_the_cleaned_corpus():
    text = "\n".join(doc.text for _, doc, _ in _corpus())
    assert "Ondersteuningsplan 2019 | 2022" not in text  # running footers
    assert "□" not in text and "Aspecten In ont-" not in text  # checkbox columns
    assert not re.search(r"\b(zi jn|wi j|bi j|mogeli jk|onderwi js|ti jdens)\b", text)  # split ij
    assert not re.search(r"\n\d{1,3}\n", text)  # lone page numbers
    assert "samenwerkingsverban-" not in text and "be- schikbaar" not in text
    assert "ondersteuning1." not in text and "vrijstellingen 5a3" not in text  # footnote references
    assert "visie maatschappelijk resultaat grootste opgave visie" not in text  # 001 schematic residue
    for word in ["onderwijs-zorgarrangementen", "directeur-bestuurder", "Noord-Kennemerland", "opvoeden- en opgroeien"]:
        assert word in text


def test_known_passages_land_in_the_right_place():
    by_id = {raw.meta.doc_id: (doc, chunks) for raw, doc, chunks in _corpus()}
    doc, chunks = by_id["zk-jop"]
    row = next(c for c in chunks if c.text.startswith("Actie: Inzicht en afstemming in aanpak vrijstellingen 5a"))
    assert row.kind == "table_row" and row.page_start == 5
    assert row.text.endswith("| Wie: Leerplein | Waarom: Streven naar zo min mogelijk vrijstellingen | Wanneer: 2021/2022")
    assert row.section_path[-1].startswith("Er is voor iedere jeugdige een passende plek")
    assert sum(c.kind == "table_row" for c in chunks) == 15

    doc, chunks = by_id["haaglanden-rapport"]
    oja = [c for c in chunks if c.kind == "table_row"]
    assert len(oja) == 5 and oja[0].text.startswith("OJA: Persoonlijke verzorging | Scholen: C3 Bernardusschool")

    doc, chunks = by_id["nk-op"]
    item = next(b for b in doc.blocks if b.text.startswith("a. De school brengt onderwijsbehoeften in kaart"))
    assert item.kind == "list_item" and item.section_path[-1] == "2 Passende begeleiding"
    assert item.page == 50  # page 50 of the printed document (footer-calibrated)

    doc, chunks = by_id["alkmaar-ua"]
    hoofdlijn = next(c for c in chunks if c.text.startswith("1. Hoofdlijn 1: Lokaal anticiperen"))
    assert hoofdlijn.page_start == 13 and "Deel B1: Activiteitenplan" in hoofdlijn.section
    pilots = next(c for c in chunks if "Pilot ‘OZA Spinaker VO’" in c.text)
    assert pilots.section.startswith("Bijlage: lopende pilots onderwijs-zorgarrangementen")


def test_sentences_of_every_chunk_are_inside_the_chunk():
    for _, _, chunks in _corpus():
        for chunk in chunks:
            spans = split_sentences(chunk.text)
            assert spans and all(0 <= a < b <= len(chunk.text) for a, b in spans)
            if chunk.kind == "table_row":
                assert spans == [(0, len(chunk.text))]
