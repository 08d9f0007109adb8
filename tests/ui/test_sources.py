"""Pure helpers of the UI: quote highlighting, passage HTML, answer pieces, Dutch validation errors."""

from __future__ import annotations

import pytest

from ui.errors import dutch_validation_errors
from ui.runtime import answer_pieces
from ui.schemas import SourceView
from ui.sources import highlight_spans, marked_html, render_source_html, valid_chunk_id
from ui.web import chip_label

PASSAGE = ("Leerplein voert de leerplicht uit. Jongeren/ouders kunnen een vrijstelling\naanvragen op grond van "
           "artikel 5a. Soms is dat een oplossing. Wel moet worden voorkomen dat dit vaak gebeurt.")


def test_highlight_finds_each_quoted_sentence():
    quote = "Leerplein voert de leerplicht uit. … Wel moet worden voorkomen dat dit vaak gebeurt."
    spans = highlight_spans(PASSAGE, quote)
    assert [s.text for s in spans] == ["Leerplein voert de leerplicht uit.",
                                       "Wel moet worden voorkomen dat dit vaak gebeurt."]
    assert all(PASSAGE[s.start:s.end] == s.text for s in spans)


def test_highlight_ignores_line_breaks_bullets_and_case():
    spans = highlight_spans(PASSAGE, "o jongeren/ouders kunnen een vrijstelling aanvragen op grond van artikel 5a")
    assert len(spans) == 1 and spans[0].text.startswith("Jongeren/ouders") and spans[0].text.endswith("5a")


def test_highlight_survives_a_glued_footnote_number():
    text = ("Vooraf. Geintegreerde samenwerking: in het gespecialiseerd onderwijs werken jeugdhulp en "
            "onderwijsprofessionals binnen dezelfde voorziening. Daarna iets anders.")
    quote = ("- Geintegreerde samenwerking: in het gespecialiseerd onderwijs2 werken jeugdhulp en "
             "onderwijsprofessionals binnen dezelfde voorziening")
    spans = highlight_spans(text, quote)
    assert len(spans) == 1 and spans[0].text.startswith("Geintegreerde") and spans[0].text.endswith("voorziening")


@pytest.mark.parametrize("quote", [None, "", "iets wat er niet staat in deze passage"])
def test_highlight_without_a_match_marks_nothing(quote):
    assert highlight_spans(PASSAGE, quote) == []


def test_marked_html_escapes_the_passage():
    text = "<script>alert(1)</script> De CvT besluit."
    html = marked_html(text, highlight_spans(text, "De CvT besluit."))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.endswith("<mark>De CvT besluit.</mark>")


def test_render_source_html_names_title_page_and_section():
    view = SourceView(chunk_id="zk-jop#abc", doc_id="zk-jop", title="Plan <ZK>", region="Zuid-Kennemerland", page=5,
                      page_end=6, section="Uitvoeringsagenda", section_path=["Uitvoeringsagenda"], text=PASSAGE,
                      highlights=highlight_spans(PASSAGE, "Soms is dat een oplossing."))
    html = render_source_html(view)
    assert "Plan &lt;ZK&gt;" in html and "p. 5-6" in html and "Sectie: Uitvoeringsagenda" in html
    assert "<mark>Soms is dat een oplossing.</mark>" in html


@pytest.mark.parametrize("chunk_id, ok", [("zk-jop#3f1c2a9b0d", True), ("inv-contact#zk-kernteam", True),
                                          ("zk-jop#3f1c2a9b0d-2", True), ("../etc/passwd", False),
                                          ("zk-jop", False), ("/abs#x", False), ("a b#c", False), ("", False)])
def test_chunk_id_pattern(chunk_id, ok):
    assert valid_chunk_id(chunk_id) is ok


def test_answer_pieces_rebuild_the_answer():
    text = "Dit zeggen de bronnen:\n- Leerplein pakt de 5a-vrijstellingen op. [1]\n- Zie ook [2]."
    pieces = list(answer_pieces(text))
    assert "".join(pieces) == text and len(pieces) > 4
    assert all(len(p.split()) <= 3 for p in pieces)


def test_dutch_validation_errors():
    status, detail = dutch_validation_errors([{"type": "missing", "loc": ("body", "question"), "msg": "Field required"}])
    assert status == 422 and detail == "Ongeldig verzoek: 'vraag' dit veld is verplicht."
    status, detail = dutch_validation_errors([{"type": "json_invalid", "loc": ("body", 1), "msg": "JSON"}])
    assert status == 400 and "geen geldige JSON" in detail


def test_chip_label_is_short_and_numbered():
    label = chip_label({"n": 2, "title": "Ondersteuningsplan 2019-2022 samenwerkingsverband vo Noord-Kennemerland",
                        "page": 14})
    assert label.startswith("[2] Ondersteuningsplan") and label.endswith("…, p. 14") and len(label) < 60
    assert chip_label({"n": 1, "title": "Besluit", "page": None}) == "[1] Besluit"
