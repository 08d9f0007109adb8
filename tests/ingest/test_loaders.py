"""Loading every supported format, recovering pages, and a clear Dutch LoadError for bad files."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest
from ingest_support import CORPUS

from assistant.core.types import DocMeta
from ingest.clean import clean_document
from ingest.loaders import LoadError, load
from ingest.pages import split_pages


def _meta(path: Path) -> DocMeta:
    return DocMeta(doc_id=path.stem, file=path.name, title=path.stem)


def _first_line(page: str) -> str:
    return next(line.strip() for line in page.split("\n") if line.strip())


# --- page recovery on the real PDF-extracted files ---------------------------------------


def test_txt_pages_of_000_start_on_single_space_lines():
    path = CORPUS / "zk-jeugdondersteuningsplan.txt"
    raw = load(path, _meta(path))
    assert raw.has_pages and raw.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [_first_line(p)[:30] for p in raw.pages] == [
        "Jeugdondersteuningsplan", "Visie op de ontwikkeling van k", "Visie op samenwerking",
        "Geïntegreerde samenwerking bin", "Uitvoeringsagenda", "Actie  Wie  Waarom  Wanneer",
        "Monitoring", "• Aantal indicaties via toegan",
    ]


def test_txt_page_numbers_follow_printed_page_numbers_of_001():
    # 001 prints a lone "6" under the page with "2. Visie" and "12" under the schematic
    path = CORPUS / "alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt"
    pages = load(path, _meta(path)).pages
    assert pages[0] == "" and pages[1] == ""  # cover and contents were not extracted
    assert _first_line(pages[5]) == "2. Visie" and "\n6\n" in pages[5] + "\n"
    assert "Lokaal anticiperenPassende omgeving" in pages[11] and _first_line(pages[12]) == "1. Hoofdlijn 1: Lokaal anticiperen"


def test_txt_running_footers_calibrate_page_numbers_of_002():
    path = CORPUS / "nk-ondersteuningsplan-2019-2022.txt"
    pages = load(path, _meta(path)).pages
    for number in (22, 28, 29, 41, 57):
        assert f"{number}Ondersteuningsplan 2019 | 2022" in pages[number - 1]


def test_hanging_indent_is_not_a_page_start():
    text = ("Intro text here.\n\nb. Verdelen en toewijzen van ondersteuningsmiddelen en ondersteunings-\n\n"
            " voorzieningen; \n\nc. Beoordelen toelaatbaarheid tot lichte ondersteuning, praktijkonderwijs  \n\n"
            " en voortgezet speciaal onderwijs;\n\n Samenhang met andere documenten\n")
    pages = split_pages(text)
    assert len(pages) == 2 and _first_line(pages[1]) == "Samenhang met andere documenten"


def test_numbered_heading_glued_to_its_number_starts_a_page():
    # 004 line 285: " 3.4.Verstopte onderwijs- en jeugdhulpketen" after "Nederland "
    pages = split_pages("Bron: HBSC 2021 Gezondheid en welzijn van jongeren in \nNederland \n 3.4.Verstopte onderwijs- en jeugdhulpketen\nBinnen regulier onderwijs")
    assert len(pages) == 2 and pages[1].startswith(" 3.4.Verstopte")


# --- other formats ------------------------------------------------------------------------


def test_pdf_pages_are_real_pages(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Visie op samenwerking")
    pdf.drawString(72, 700, "De samenwerking tussen onderwijs en jeugdhulp.")
    pdf.showPage()
    pdf.drawString(72, 720, "Monitoring")
    pdf.drawString(72, 700, "We monitoren jaarlijks in het OOGO.")
    pdf.save()
    raw = load(path, _meta(path))
    assert raw.has_pages and len(raw.pages) == 2
    assert "Visie op samenwerking" in raw.pages[0] and "Monitoring" in raw.pages[1]
    doc = clean_document(raw)
    monitoring = next(b for b in doc.blocks if b.text.startswith("We monitoren"))
    assert monitoring.page == 2 and monitoring.section_path == ["Monitoring"]


def test_docx_heading_styles_become_the_section_path(tmp_path):
    import docx

    path = tmp_path / "plan.docx"
    document = docx.Document()
    document.add_heading("Jeugdondersteuningsplan", level=1)
    document.add_paragraph("Het plan is gericht op de verbinding tussen jeugdhulp en onderwijs.")
    document.add_heading("Netwerksamenwerking", level=2)
    document.add_paragraph("Alle scholen hebben een kernteam.")
    document.add_paragraph("Leerplicht", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Actie", "Wie"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Thuiszitters tellen", "Leerplein"
    document.save(str(path))
    raw = load(path, _meta(path))
    assert not raw.has_pages and len(raw.pages) == 1
    doc = clean_document(raw)
    para = next(b for b in doc.blocks if b.text == "Alle scholen hebben een kernteam.")
    assert para.section_path == ["Jeugdondersteuningsplan", "Netwerksamenwerking"] and para.page is None
    assert any(b.kind == "list_item" and b.text == "• Leerplicht" for b in doc.blocks)
    row = next(b for b in doc.blocks if b.kind == "table_row")
    assert row.text == "Actie: Thuiszitters tellen | Wie: Leerplein"


def test_docx_form_fields_and_framed_blocks_stay_apart_from_the_prose_after_them(tmp_path):
    """A one-cell table (a framed block of a form) holds paragraphs, not a table row; a line break
    typed in a paragraph ends a line; a fill-in blank ends its field and is no heading."""
    import docx

    path = tmp_path / "formulier.docx"
    document = docx.Document()
    document.add_paragraph("Dit formulier gebruikt u voor een aanvraag.")
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.paragraphs[0].add_run("Datum: ____________").add_break()
    cell.paragraphs[0].add_run("Handtekening ouder(s):")
    cell.add_paragraph("")
    cell.add_paragraph("Is de jeugdige jonger dan 16 jaar? Dan ondertekent de ouder met gezag ook.")
    two = document.add_table(rows=1, cols=2).rows[0].cells
    two[0].text, two[1].text = "Naam", "Jan"
    document.save(str(path))
    doc = clean_document(load(path, _meta(path)))
    texts = [(b.kind, b.text) for b in doc.blocks]
    assert ("paragraph", "Handtekening ouder(s):") in texts
    assert ("paragraph", "Is de jeugdige jonger dan 16 jaar? Dan ondertekent de ouder met gezag ook.") in texts
    field = next(b for b in doc.blocks if b.text.startswith("Datum"))
    assert field.kind == "paragraph" and field.text.rstrip("_ ") == "Datum:"
    assert all(b.section_path == [] or "Datum" not in b.section_path[-1] for b in doc.blocks)
    assert any(b.text.startswith("Naam") and "Jan" in b.text for b in doc.blocks)  # two cells: still a row


def test_markdown_and_html(tmp_path):
    md = tmp_path / "besluit.md"
    md.write_text("Nummer\t2021/671103\n\n## **1. Inleiding**\n\n<p>Het college besluit.</p>\n", encoding="utf-8")
    raw = load(md, _meta(md))
    assert not raw.has_pages and "## 1. Inleiding" in raw.pages[0] and "<p>" not in raw.pages[0]
    html = tmp_path / "pagina.html"
    html.write_text("<html><body><h1>Titel</h1><p>Eerste alinea.</p><ul><li>punt een</li><li>punt twee</li></ul>"
                    "<script>var x = 1;</script></body></html>", encoding="utf-8")
    doc = clean_document(load(html, _meta(html)))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Titel"), ("paragraph", "Eerste alinea."), ("list_item", "• punt een"), ("list_item", "• punt twee"),
    ]


def test_real_markdown_corpus_file_loads_without_markup():
    path = CORPUS / "haarlem-collegebesluit-jop-2022.md"
    raw = load(path, _meta(path))
    assert not raw.has_pages
    assert "<li>" not in raw.pages[0] and "**" not in raw.pages[0]
    assert "Nummer: 2021/671103" in raw.pages[0]


def test_windows_1252_text_is_accepted(tmp_path):
    path = tmp_path / "oud.txt"
    path.write_bytes("Financiële middelen voor één continuüm van zorg.\n".encode("cp1252"))
    assert "Financiële" in load(path, _meta(path)).pages[0]


# --- bad input ------------------------------------------------------------------------------


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="geheim", owner_password="eigenaar")
    with path.open("wb") as handle:
        writer.write(handle)


def _broken_pdf(path: Path, tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    good = tmp_path / "good.pdf"
    pdf = canvas.Canvas(str(good))
    pdf.drawString(72, 720, "Tekst")
    pdf.save()
    path.write_bytes(good.read_bytes()[:300])


@pytest.mark.parametrize(
    ("name", "make", "phrase"),
    [
        ("leeg.txt", lambda p, t: p.write_bytes(b""), "leeg"),
        ("spaties.md", lambda p, t: p.write_bytes(b"  \n\n "), "leeg"),
        ("ruis.txt", lambda p, t: p.write_bytes(os.urandom(4096) + b"\x00"), "binair"),
        ("ruis.md", lambda p, t: p.write_bytes(random.Random(7).randbytes(4096).replace(b"\x00", b"")),
         "niet te lezen als tekst"),
        ("latin.txt", lambda p, t: p.write_bytes(bytes(range(0x80, 0x100)) * 20), "niet te lezen als tekst"),
        ("tekens1252.txt", lambda p, t: p.write_bytes(bytes(range(0xA0, 0x100)) * 20), "onleesbare tekens"),
        ("tekens.txt", lambda p, t: p.write_bytes(bytes([0x01, 0x02, 0x03, 0x1b, 0x7f] * 200)), "geen leesbare tekst"),
        ("plan.odt", lambda p, t: p.write_bytes(b"some content"), "onbekende extensie"),
        ("geheim.pdf", lambda p, t: _encrypted_pdf(p), "versleutelde PDF"),
        ("kapot.pdf", lambda p, t: _broken_pdf(p, t), "beschadigde of ongeldige PDF"),
        ("nep.pdf", lambda p, t: p.write_bytes(b"dit is geen pdf maar tekst"), "beschadigde of ongeldige PDF"),
        ("kapot.docx", lambda p, t: p.write_bytes(b"PK\x03\x04 niet echt een zip"), "Word-bestand"),
    ],
)
def test_bad_files_raise_load_error_naming_the_file(tmp_path, name, make, phrase):
    path = tmp_path / name
    make(path, tmp_path)
    with pytest.raises(LoadError) as excinfo:
        load(path, _meta(path))
    message = str(excinfo.value)
    assert name in message
    assert phrase in message
