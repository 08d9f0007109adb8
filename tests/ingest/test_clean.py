"""The cleaner on real snippets of the corpus (tests/fixtures/ingest/, copied line ranges)."""

from __future__ import annotations

from ingest_support import clean_fixture, texts

from assistant.core.types import DocMeta, RawDocument
from ingest.clean import clean_document


def _block(doc, startswith: str):
    found = [b for b in doc.blocks if b.text.startswith(startswith)]
    assert found, f"no block starts with {startswith!r}; blocks: {[b.text[:40] for b in doc.blocks]}"
    return found[0]


def _one_page_pdf(name: str, lines: list[str]):
    """A cleaned one-page PDF of these extracted lines."""
    meta = DocMeta(doc_id=name, file=f"{name}.pdf", title=name.title())
    return clean_document(RawDocument(meta=meta, pages=["\n".join(lines)], has_pages=True, content_hash=name))


def test_blocks_tile_the_text_with_exact_offsets():
    for name in ["zk_uitvoeringsagenda.txt", "haaglanden_oja.txt", "nk_checklist.txt", "alkmaar_headings.txt"]:
        doc = clean_fixture(name)
        assert doc.blocks
        for block in doc.blocks:
            assert doc.text[block.start:block.end] == block.text
        assert doc.blocks[0].start == 0 and doc.blocks[-1].end == len(doc.text)


def test_reflow_ignores_blank_lines_between_every_line_of_a_paragraph():
    # 000 lines 23-31: a blank line after every line of the paragraph
    doc = clean_fixture("zk_blank_interleaved.txt")
    para = _block(doc, "In de regio Zuid-Kennemerland wensen we")
    assert para.kind == "paragraph"
    assert "Voor de meeste kinderen is die basis op orde, maar een kleine groep kinderen heeft baat bij meer ondersteuning" in para.text
    assert para.text.endswith("waarin er voor ieder kind passende ondersteuning is.")
    # the real paragraph break after "ondersteuning is." (the next word would have fitted) holds
    assert _block(doc, "We kijken naar kinderen vanuit de bril van de ‘kansencirkel’.").kind == "paragraph"
    assert _block(doc, "Wie doet wat?").kind == "heading"
    assert _block(doc, "Het onderwijs heeft hierin de opdracht").section_path[-1] == "Wie doet wat?"


def test_footer_with_glued_page_number_is_dropped_and_ends_the_page():
    doc = clean_fixture("nk_footer.txt")  # 002 lines 1745-1785: footers 28 and 29
    assert "Ondersteuningsplan 2019 | 2022" not in doc.text
    last = _block(doc, "We bespreken en evalueren de aansluiting")
    assert last.text.endswith("de regiomonitor en de participatiemonitor.")
    nxt = _block(doc, "Iedere jongere gaat naar school en/of heeft een passend leertraject")
    assert nxt.page > last.page


def test_lone_page_number_is_dropped_without_breaking_the_list():
    doc = clean_fixture("alkmaar_page_number.txt")  # 001 lines 142-166, "6" on its own line
    assert "\n6\n" not in doc.text and not any(b.text == "6" for b in doc.blocks)
    items = texts(doc, "list_item")
    assert [t[:2] for t in items] == ["1.", "2.", "3.", "4.", "5."]
    assert items[1].endswith("samen staan we sterker.")
    assert items[2].startswith("3. Instellingen, scholen en werkgevers")


def test_split_ij_is_repaired_in_a_cleaned_document():
    doc = clean_fixture("nk_split_ij.txt")  # 002 lines 1409-1470
    assert " i j" not in doc.text and "i jk" not in doc.text
    assert "Wij doen dit op een lerende manier." in doc.text
    assert "het dagelijkse onderwijsproces" in doc.text
    assert _block(doc, "Gemeenschappelijke bril").kind == "heading"


def test_checklist_keeps_items_under_their_numbered_heading_and_drops_checkbox_columns():
    doc = clean_fixture("nk_checklist.txt")  # 002 bijlage 2
    assert "□" not in doc.text and "Aanwezig" not in doc.text and "In ont-" not in doc.text
    assert not any(b.text in {"*", "Aspecten", "wikkeling"} or b.text.endswith(" *") for b in doc.blocks)
    heading = _block(doc, "2 Passende begeleiding")
    assert heading.kind == "heading"
    assert heading.section_path == ["Bijlage 2: Afspraken over de basisondersteuning", "2 Passende begeleiding"]
    item = _block(doc, "a. De school brengt onderwijsbehoeften in kaart")
    assert item.kind == "list_item"
    assert item.text == ("a. De school brengt onderwijsbehoeften in kaart door het verzamelen van informatie uit "
                         "overdrachtsgegevens, warme overdracht en gesprek met de ouders")
    assert item.section_path[-1] == "2 Passende begeleiding"
    last_of_first = _block(doc, "f. Middelen die toegekend zijn")
    assert last_of_first.text == "f. Middelen die toegekend zijn voor ondersteuning worden daarvoor ingezet"
    assert last_of_first.section_path[-1] == "1 Beleid met betrekking tot passend onderwijs"


def test_headings_and_section_path():
    doc = clean_fixture("alkmaar_headings.txt")  # 001 lines 1-60
    headings = [(b.text, b.section_path) for b in doc.blocks if b.kind == "heading"]
    assert ("Context", ["Inleiding", "Context"]) not in headings  # unnumbered headings replace each other
    assert ("Context", ["Context"]) in headings
    assert ("1. Jeugdigen in beeld", ["Deel A: het kader", "1. Jeugdigen in beeld"]) in headings
    assert ("Belang van een gezamenlijk lerend netwerk",
            ["Deel A: het kader", "1. Jeugdigen in beeld", "Belang van een gezamenlijk lerend netwerk"]) in headings
    para = _block(doc, "Vanuit onze gezamenlijke verantwoordelijkheid")
    assert para.section_path == ["Deel A: het kader", "1. Jeugdigen in beeld", "Belang van een gezamenlijk lerend netwerk"]
    # a heading line directly followed by its text (no blank line) is still split off
    assert _block(doc, "Deze agenda gaat nadrukkelijk over").kind == "paragraph"
    # the footnote is a paragraph of its own, not glued to the text before it
    assert _block(doc, "1 Dit document gaat over de jeugd van 0 tot 23 jaar.").kind == "paragraph"


def test_heading_detection_rules():
    from ingest.layout import heading_rank

    assert heading_rank("## 1. Inleiding") == 2
    assert heading_rank("Deel B1: Activiteitenplan") == 0
    assert heading_rank("Bijlage 7: Toelichting op de samenwerking lokale teams en scholen bij grensverkeer") == 0
    assert heading_rank("1. Inleiding") == 1
    assert heading_rank("3.3. Inschakelen lokale teams door scholen bij grensverkeer van leerlingen is niet eenvoudig") == 2
    assert heading_rank("3.4.Verstopte onderwijs- en jeugdhulpketen") == 2
    assert heading_rank("1 Beleid met betrekking tot passend onderwijs") == 1
    assert heading_rank("Regionale cijfers") == 99
    assert heading_rank("Wat is onze bedoeling?") == 99
    for not_heading in [
        "Bijlage 2 beschrijft de gezamenlijke afspraken tussen scholen over lichte",  # a sentence
        "We kijken naar kinderen vanuit de bril van de",  # a wrapped line
        "Dit is niet nieuw.",
        "“Ik wil één coach voor de hele school”",  # a pull quote
        "Datum: 24 november 2022",  # a key/value line
        "OUDERS",  # a diagram label
        "http://www.monitoraoj.nl",
        "a. De school heeft de intentie",
    ]:
        assert heading_rank(not_heading) is None, not_heading


def test_markdown_html_mix_becomes_clean_text_without_pages():
    meta = DocMeta(doc_id="x", file="x.md", title="X")
    from ingest.loaders import markup_to_text

    md = ("<b>Onderwerp</b> Collegebesluit- Vaststellen plan\t\nNummer\t2021/671103\n"
          "Relevante eerdere besluiten\t<ul><li>• Het Meerjarenplan VSV, 2018</li><li>• Nota Samen voor Jeugd</li></ul>\n\n"
          "## **1. Inleiding**\n\nHet plan is een *gezamenlijk* product.\n\n4. *Financiële middelen zetten we in.*\n")
    raw = RawDocument(meta=meta, pages=[markup_to_text(md)], has_pages=False, content_hash="0")
    doc = clean_document(raw)
    assert "<" not in doc.text and "**" not in doc.text and "*" not in doc.text
    assert doc.blocks[0].text == "Onderwerp: Collegebesluit- Vaststellen plan | Nummer: 2021/671103"
    assert "• Het Meerjarenplan VSV, 2018" in texts(doc, "list_item")
    heading = _block(doc, "1. Inleiding")
    assert heading.kind == "heading" and heading.page is None
    assert _block(doc, "Het plan is een gezamenlijk product.").section_path == ["1. Inleiding"]
    assert doc.page_count is None


def test_paragraph_interrupted_by_text_boxes_is_resumed_after_the_page_break():
    # 001 lines 228-262: "... de gezamenlijke bestuurlijke kaders" / two boxes / " vastgesteld. De regisseursgroep"
    doc = clean_fixture("alkmaar_text_box.txt")
    para = _block(doc, "De samenwerking geven we als volgt vorm:")
    assert "bestuurlijke kaders vastgesteld. De regisseursgroep van de programmamanagers" in para.text
    box = _block(doc, "1 kind, 1 gezin, 1 plan:")
    assert box.text.endswith("participatie/dagbesteding.") and box.start > para.end


def test_numbered_notes_at_the_foot_of_a_page_are_no_chapter_headings():
    pages = [
        "1 Inleiding\n\nDe ggz-aanbieder werkt met outreachende zorg4 en met de wijkteams in de regio.\n\n"
        "4 Zie voor de omschrijving van outreachende zorg BR/REG-23139",
        "Regionaal plan en offerte\n\nDe leidraad adviseert de volgende onderdelen te beschrijven.\n\n"
        "2 Kernelementen\n\nDe consultatiefunctie komt in de regio tot stand.\n\n"
        "5 Onder samenwerking wordt verstaan dat er afspraken zijn\n\n6 Zorginstituut Nederland, memo, mei 2021",
    ]
    meta = DocMeta(doc_id="noten", file="noten.pdf", title="Noten")
    doc = clean_document(RawDocument(meta=meta, pages=pages, has_pages=True, content_hash="noten"))
    note = _block(doc, "4 Zie voor de omschrijving")
    assert note.kind == "paragraph"  # a lone note: the text refers to it ("zorg4")
    assert _block(doc, "De ggz-aanbieder werkt met").text.startswith("De ggz-aanbieder werkt met outreachende zorg en")
    assert _block(doc, "Regionaal plan en offerte").kind == "heading"
    assert _block(doc, "De leidraad adviseert").section_path == ["1 Inleiding", "Regionaal plan en offerte"]
    assert _block(doc, "1 Inleiding").kind == "heading" and _block(doc, "2 Kernelementen").kind == "heading"
    # two numbered lines the page ends with are its notes, referred to or not
    assert _block(doc, "5 Onder samenwerking").kind == "paragraph"
    assert _block(doc, "6 Zorginstituut Nederland").kind == "paragraph"


def test_next_section_number_ends_an_unfinished_line_without_a_gap():
    # the leidraad's page 3: a bullet that ends without a period runs straight into "2 De definitie ..."
    lines = [
        "1 Uitgangspunten van deze leidraad",
        "",
        "• Partijen signaleren knelpunten in de regio die een landelijke oplossing nodig hebben en",
        "adresseren deze. De werkgroep zorgt dat de professionals voldoende handvatten hebben om",
        "uitvoering te geven aan de consultatiefunctie zoals de bedoeld is",
        "2 De definitie van de consultatiefunctie",
        "In het hoofdlijnenakkoord is opgenomen dat er behoefte is aan bekostiging van de functie.",
        "Bij de gemeente liggen in 2024 nog 12 aanvragen voor bekostiging en",
        "3 Kernelementen",
        "De consultatiefunctie komt in de regio tot stand.",
    ]
    doc = _one_page_pdf("nummers", lines)
    item = _block(doc, "• Partijen signaleren")
    assert item.text.endswith("zoals de bedoeld is")
    assert _block(doc, "2 De definitie van de consultatiefunctie").kind == "heading"
    assert _block(doc, "In het hoofdlijnenakkoord").section_path[-1] == "2 De definitie van de consultatiefunctie"
    assert _block(doc, "3 Kernelementen").kind == "heading"


def test_a_number_that_does_not_follow_the_last_section_stays_in_its_line():
    lines = [
        "1 Inleiding",
        "",
        "Het aantal aanvragen voor een arrangement in de regio steeg het afgelopen jaar naar",
        "4 Scholen hebben daarom een eigen aanspreekpunt gekregen voor de ouders.",
    ]
    doc = _one_page_pdf("tal", lines)
    para = _block(doc, "Het aantal aanvragen")
    assert para.text.endswith("naar 4 Scholen hebben daarom een eigen aanspreekpunt gekregen voor de ouders.")
