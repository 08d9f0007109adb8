"""Structure-aware chunking: headings, table rows, lists, oversize paragraphs, stable ids."""

from __future__ import annotations

from ingest_support import clean_fixture

from assistant.core.types import Block, CleanDocument, DocMeta
from ingest.chunking import split

META = DocMeta(doc_id="zk-jop", file="x.txt", title="Jeugdondersteuningsplan", region="Zuid-Kennemerland")


def _doc(items: list[tuple[str, str, list[str], int | None]]) -> CleanDocument:
    blocks, parts, offset = [], [], 0
    for kind, text, path, page in items:
        if parts:
            offset += 2
        blocks.append(Block(kind=kind, text=text, page=page, section_path=path, start=offset, end=offset + len(text)))
        parts.append(text)
        offset += len(text)
    return CleanDocument(meta=META, text="\n\n".join(parts), blocks=blocks, page_count=3, content_hash="h")


def _check_offsets(doc: CleanDocument, chunks) -> None:
    for seq, chunk in enumerate(chunks):
        assert chunk.seq == seq
        assert doc.text[chunk.char_start:chunk.char_end] == chunk.text


def test_heading_attaches_to_following_content_and_starts_a_new_chunk():
    doc = _doc([
        ("heading", "Visie", ["Visie"], 1),
        ("paragraph", "Alle kinderen verdienen een goede basis.", ["Visie"], 1),
        ("heading", "Monitoring", ["Monitoring"], 2),
        ("paragraph", "We monitoren jaarlijks.", ["Monitoring"], 2),
        ("heading", "Slot", ["Slot"], 3),  # a heading with nothing after it forms no chunk
    ])
    chunks = split(doc)
    _check_offsets(doc, chunks)
    assert [c.text for c in chunks] == ["Visie\n\nAlle kinderen verdienen een goede basis.", "Monitoring\n\nWe monitoren jaarlijks."]
    assert chunks[1].section == "Monitoring" and chunks[1].page_start == 2 and chunks[1].kind == "paragraph"
    assert chunks[0].title == "Jeugdondersteuningsplan" and chunks[0].region == "Zuid-Kennemerland"


def test_table_rows_are_whole_chunks_of_their_own():
    row = "Actie: Thuiszitters kennen, tellen, volgen | Wie: Leerplein en SWV PO en SWV VO | Waarom: Voorkomen thuiszitten | Wanneer: Doorlopend"
    path = ["Uitvoeringsagenda", "Verantwoordelijke partijen zorgen ervoor ..."]
    doc = _doc([
        ("paragraph", "Om vorm te geven aan de visie:", ["Uitvoeringsagenda"], 5),
        ("heading", path[1], path, 5),
        ("table_row", row, path, 5),
        ("table_row", row.replace("Thuiszitters kennen", "Vormgeven"), path, 5),
    ])
    chunks = split(doc)
    _check_offsets(doc, chunks)
    assert [c.kind for c in chunks] == ["paragraph", "table_row", "table_row"]
    assert chunks[1].text == row and chunks[1].section == " > ".join(path)


def test_list_items_stay_together_up_to_max_and_long_paragraphs_split_at_sentences():
    items = [("list_item", f"• Indicator {i}: aantal thuiszitters langer dan drie maanden op vier peildata.", ["M"], 7)
             for i in range(30)]
    sentence = "De gemeente is opdrachtgever voor verschillende aanbieders van jeugdhulp. "
    long_para = ("paragraph", (sentence * 40).strip(), ["M"], 8)
    doc = _doc([("heading", "M", ["M"], 7), *items, long_para])
    chunks = split(doc, target_chars=900, max_chars=1400)
    _check_offsets(doc, chunks)
    list_chunks = [c for c in chunks if c.kind == "list_item" or c.text.startswith("M\n\n•")]
    assert len(list_chunks) >= 2 and all(len(c.text) <= 1400 for c in list_chunks)
    assert sum(c.text.count("• Indicator") for c in list_chunks) == 30  # no item split or lost
    para_chunks = [c for c in chunks if "opdrachtgever" in c.text]
    assert len(para_chunks) >= 3 and all(len(c.text) <= 1400 for c in para_chunks)
    assert all(c.text.endswith("jeugdhulp.") for c in para_chunks)  # cut at sentence ends


def test_chunk_ids_are_stable_and_unique():
    para = ("paragraph", "Zie bijlage 1.", ["A"], 1)
    doc = _doc([("heading", "A", ["A"], 1), ("paragraph", "Eerste tekst.", ["A"], 1),
                ("heading", "B", ["B"], 2), para, ("heading", "C", ["C"], 3), ("paragraph", "Anders.", ["C"], 3)])
    doc2 = _doc([("paragraph", "Zie bijlage 1.", ["A"], 1), ("paragraph", "Zie bijlage 1.", ["A"], 1)])
    first, again = split(doc), split(doc)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert all(c.chunk_id.startswith("zk-jop#") and len(c.chunk_id.split("#")[1]) == 10 for c in first)
    dup = split(doc2, target_chars=10, max_chars=20)
    assert len(dup) == 2 and dup[0].chunk_id + "-2" == dup[1].chunk_id


def test_fixture_table_chunks_carry_page_section_and_exact_text():
    doc = clean_fixture("zk_uitvoeringsagenda.txt")
    chunks = split(doc)
    _check_offsets(doc, chunks)
    rows = [c for c in chunks if c.kind == "table_row"]
    assert len(rows) == 6 and all(c.page_start == 1 and c.section.startswith("Uitvoeringsagenda > ") for c in rows)
    assert not any(c.text.strip() == "Uitvoeringsagenda" for c in chunks)


def test_short_tail_of_a_section_joins_the_chunk_before_it():
    long_para = "Afspraken maken in de Haaglanden over het organiseren van de verbinding met lokale teams. " * 10
    doc = _doc([("heading", "4.4 Dekkend aanbod", ["4.4 Dekkend aanbod"], 6),
                ("paragraph", long_para.strip(), ["4.4 Dekkend aanbod"], 6),
                ("paragraph", "Zie voor verdere toelichting en voorbeelden bijlage 8.", ["4.4 Dekkend aanbod"], 6),
                ("heading", "4.5 Andere mind-set", ["4.5 Andere mind-set"], 6),
                ("paragraph", "Kort.", ["4.5 Andere mind-set"], 6)])
    chunks = split(doc, target_chars=900, max_chars=1400)
    _check_offsets(doc, chunks)
    assert len(chunks) == 2
    assert chunks[0].text.endswith("bijlage 8.") and chunks[1].text == "4.5 Andere mind-set\n\nKort."
