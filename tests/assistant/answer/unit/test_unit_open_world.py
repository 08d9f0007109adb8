"""A plan dropped into a corpus without a manifest entry or an inventory is understood from itself.

The corpus holds one Markdown plan of a real gemeente that none of the curated data knows. What
the ingest derives (region and gemeente from the text, a list with its lead-in, an abbreviation the
plan writes out) must carry the answers: a list question is answered with every item, each cited;
the abbreviation is understood; a place the gazetteer puts in the plan's gemeente narrows to it,
and a place no document covers is declined.
"""

from __future__ import annotations

import pytest
from fakes import HashEmbedder

from answer_support import plan_assistant
from assistant.answer.engine import Assistant
from assistant.core.settings import Settings
from assistant.core.text import squash
from ingest.pipeline import run_ingest

PLAN = """# Jeugdplan gemeente Zwolle 2024

## Aanvragen

Voor een aanvraag bij het Sociaal Wijkteam Zwolle (hierna: SWZ) gelden de volgende voorwaarden:

- De jeugdige woont in de gemeente Zwolle.
- Er is een gesprek geweest met de ouders en de school.
- De hulpvraag staat beschreven in het gezinsplan.

Het SWZ beslist binnen acht weken over de aanvraag.

## Scholen

De scholen in Zwolle werken samen met het wijkteam. De intern begeleider meldt zorgen over een leerling bij het SWZ.
"""


@pytest.fixture(scope="module")
def plan_bot(tmp_path_factory):
    return plan_assistant(tmp_path_factory.mktemp("open-world"), "jeugdplan-2024.md", PLAN)


def test_the_plan_region_and_gemeente_come_from_the_text(plan_bot):
    meta = plan_bot.index.state.metas[0]
    assert meta.region == "Zwolle" and meta.gemeenten == ["Zwolle"]
    assert "region" in meta.derived and meta.title.startswith("Jeugdplan")


def test_a_list_question_is_answered_with_every_derived_item_cited(plan_bot):
    answer = plan_bot.answer("welke voorwaarden gelden voor een aanvraag bij het wijkteam?")
    assert answer.route == "list" and not answer.refused, answer.answer
    items = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert len(items) == 3 and "woont in de gemeente Zwolle" in items[0] and "gezinsplan" in items[2]
    by_n = {c.n: c for c in answer.citations}
    for line in items:
        citation = by_n[int(line.rsplit("[", 1)[1].rstrip("]"))]
        assert squash(line[2:].rsplit("[", 1)[0]) in squash(citation.text)


def test_an_abbreviation_the_plan_writes_out_is_understood(plan_bot):
    analysis = plan_bot.analyze("wat doet het swz?")
    assert analysis.expansions == {"swz": "Sociaal Wijkteam Zwolle"}
    assert "Sociaal Wijkteam Zwolle" in analysis.dense_text


def test_a_place_in_the_plans_gemeente_narrows_to_it_and_an_uncovered_place_is_declined(plan_bot):
    assert plan_bot.analyze("hoe lang duurt een aanvraag in zwolle?").regions == ["Zwolle"]
    declined = plan_bot.answer("hoe lang duurt een aanvraag in utrecht?")
    assert declined.refused and declined.refusal_reason == "place_not_covered", declined.answer
    assert "Utrecht" in declined.answer and "Zwolle" in declined.answer


def test_a_derived_deadline_answers_a_duration_question(plan_bot):
    answer = plan_bot.answer("binnen hoeveel weken beslist het wijkteam over een aanvraag?")
    assert not answer.refused and "acht weken" in answer.answer, answer.answer


def test_who_decides_is_answered_by_the_sentence_naming_the_party(plan_bot):
    answer = plan_bot.answer("wie beslist over de aanvraag?")
    assert not answer.refused and "beslist binnen acht weken" in answer.answer, answer.answer


def _pdf(path, pages: list[list[str]]) -> None:
    """A real PDF with one paragraph per line (reportlab, a test extra)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Werkwijze jeugdhulp gemeente Deventer 2025")
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()


def test_a_pdf_without_manifest_entry_answers_a_question_naming_its_gemeente(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _pdf(corpus / "werkwijze-2025.pdf", [
        ["Werkwijze jeugdhulp gemeente Deventer 2025", "",
         "Het wijkteam van de gemeente Deventer onderzoekt elke aanvraag voor jeugdhulp.",
         "Het wijkteam neemt binnen zes weken een besluit over de aanvraag."],
        ["Scholen in Deventer melden zorgen over een leerling bij de jeugdverpleegkundige.",
         "De jeugdverpleegkundige overlegt met het wijkteam en de ouders."],
    ])
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, llm_base_url=None)
    report = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    assert "werkwijze-2025" in report.derived and "Deventer" in report.summary()  # shown for the user to correct
    bot = Assistant(settings, embedder=HashEmbedder()).warm_up()
    meta = bot.index.state.metas[0]
    assert meta.region == "Deventer" and meta.title.startswith("Werkwijze jeugdhulp")
    answer = bot.answer("binnen hoeveel weken beslist het wijkteam in deventer over een aanvraag?")
    assert not answer.refused and answer.region == "Deventer" and "zes weken" in answer.answer, answer.answer
    assert answer.citations[0].page == 1 and answer.citations[0].doc_id == "werkwijze-2025"
