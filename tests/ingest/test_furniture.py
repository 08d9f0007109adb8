"""Page furniture found by repetition, on the page edges of real PDFs.

``tests/fixtures/ingest/page_edges.json`` holds, per document, every page as pypdf (PDFs) or
the page recovery (seed .txt) gives it, cut to its first and last five non-empty lines: the
edges are what the rule looks at, the middle is left out to keep the fixture small.
"""

from __future__ import annotations

import json
from functools import lru_cache

from ingest_support import FIXTURES

from assistant.core.types import DocMeta, RawDocument
from ingest.clean import build_stream, clean_document
from ingest.furniture import (
    find_furniture,
    furniture_lines,
    is_page_counter,
    is_print_timestamp,
    is_repeated,
    mask_line,
)

HANDLEIDING = "handleiding-gezinsplan-wij-groningen-2025"
SCHAKELTEAMS = "almere-evaluatie-schakelteams-2021"
LEIDRAAD = "leidraad-consultatiefunctie-ggz-sociaal-domein-2024"
HAAGLANDEN = "haaglanden-onderwijs-jeugdhulp"


@lru_cache(maxsize=1)
def _edges() -> dict[str, list[str]]:
    return json.loads((FIXTURES / "page_edges.json").read_text(encoding="utf-8"))


def _raw(name: str, pages: list[str] | None = None) -> RawDocument:
    return RawDocument(meta=DocMeta(doc_id=name, file=f"{name}.pdf", title=name),
                       pages=pages if pages is not None else _edges()[name], content_hash="x")


def test_running_header_of_every_page_is_found_and_only_it():
    furniture = find_furniture(_edges()[HANDLEIDING])
    assert furniture.keys == {"handleiding gezinsplan april #"}
    assert furniture.evidence["handleiding gezinsplan april #"] == 46  # of 47 pages


def test_running_header_leaves_the_blocks_and_a_sentence_runs_on_over_the_page():
    doc = clean_document(_raw(HANDLEIDING))
    assert not any("Handleiding Gezinsplan april" in b.text for b in doc.blocks)
    assert not any(p[-1].startswith("Handleiding Gezinsplan") for p in (b.section_path for b in doc.blocks))
    # page 7 ends "... kan dragen," and page 8 goes on under the header: one block again
    joined = [b for b in doc.blocks if "samen met de omgeving kan dragen, dan is het handig" in b.text]
    assert joined and joined[0].page == 7


def test_page_numbers_at_the_top_of_every_page_are_dropped():
    for name in (SCHAKELTEAMS, LEIDRAAD):
        raw = _raw(name)
        furniture = find_furniture(raw.pages)
        assert furniture.keys == {"#"}
        stream = build_stream(raw)
        assert not [t for t in stream if t.kind == "text" and t.text.strip().isdigit()]
    texts = [t.text for t in build_stream(_raw(LEIDRAAD)) if t.kind == "text"]
    assert "1 maart 2024" in [t.strip() for t in texts]  # the cover's date is no counter


def test_a_real_heading_that_repeats_on_two_pages_is_kept():
    pages = _edges()[HAAGLANDEN]
    furniture = find_furniture(pages)
    assert "actie wie waarom wanneer" not in furniture.keys
    assert all(0 not in furniture_lines(page, furniture) for page in pages)  # line 0 is the header
    doc = clean_document(_raw(HAAGLANDEN))
    assert sum(1 for b in doc.blocks if b.text.startswith("Samenvatting deeltafel")) == 2


def test_the_repetition_rule_needs_share_or_run():
    assert is_repeated([0, 5, 9], 10)  # 3 pages, 30 %
    assert not is_repeated([0, 9], 4)  # two pages are never enough
    assert not is_repeated([1, 17, 33], 47)  # "Inleiding" at three page tops of 47
    assert is_repeated([20, 21, 22, 23], 36)  # a chapter header on four pages in a row
    assert not is_repeated([20, 21, 30], 36)


def _page(body: list[str], top: list[str], bottom: list[str]) -> str:
    return "\n".join([*top, *body, *bottom])


def test_print_timestamp_url_and_counter_of_a_browser_print_go_everywhere():
    sentences = [
        "Een aanvraag voor jeugdhulp doe je bij het lokale team van je woongemeente.",
        "Het college beslist binnen acht weken na de aanvraag.",
        "Het lokale team maakt samen met het gezin een plan.",
        "Daarna volgt het besluit.",
        "Bezwaar maak je binnen zes weken.",
        "De ouders tekenen het plan.",
    ]
    bodies = [sentences[i:] + sentences[:i] for i in range(6)]  # every page its own text
    pages = [
        _page(body, [f"22-12-2025 14:{3 + i:02d}", "Jeugdhulp aanvragen"],
              ["https://www.example.org/jeugdhulp/aanvragen", f"{i + 1}/6"])
        for i, body in enumerate(bodies)
    ]
    furniture = find_furniture(pages)
    assert {"#-#-# #:#", "jeugdhulp aanvragen", "#/#"} <= furniture.keys
    assert "https://www.example.org/jeugdhulp/aanvragen" in furniture.urls
    kept = [t.text for t in build_stream(_raw("print", pages)) if t.kind == "text"]
    assert kept == [line for body in bodies for line in body]


def test_shapes_alone_drop_counters_and_timestamps_at_the_edge_only():
    page = "\n".join(["Pagina 1 van 2", "Afgedrukt op 3 maart 2025 om 10:15", "Inleiding",
                      "Tekst met 12/46 erin.", "12/46", "Slot van de tekst.", "- 2 -"])
    drop = furniture_lines(page, find_furniture([page]))
    lines = page.split("\n")
    assert {lines[i] for i in drop} == {"Pagina 1 van 2", "Afgedrukt op 3 maart 2025 om 10:15", "12/46", "- 2 -"}


def test_counter_and_timestamp_shapes():
    for text in ("12/46", "pagina 3 van 20", "- 7 -", "Blz. 4", "Page 2 of 9", "12"):
        assert is_page_counter(text), text
    for text in ("2019/2022", "3.2 Doelen", "Stap 3", "1 maart 2024", ""):
        assert not is_page_counter(text), text
    for text in ("22-12-2025 14:03", "Afgedrukt op 3 maart 2025", "14:03 22/12/2025", "Printdatum: 01-02-2024"):
        assert is_print_timestamp(text), text
    for text in ("1 maart 2024", "Vastgesteld op 3 maart 2025 door de raad van bestuur van de stichting", "14:03"):
        assert not is_print_timestamp(text), text


def test_mask_line():
    assert mask_line("  Handleiding  Gezinsplan april 2025 ") == "handleiding gezinsplan april #"
    assert mask_line("22Ondersteuningsplan 2019 | 2022") == "#ondersteuningsplan # | #"


def test_a_table_header_repeated_on_every_page_stays_for_the_table_reader():
    rows = [("Overleg plannen", "Gemeente", "Afstemming", "2024"), ("Scholing", "Scholen", "Kennis", "2025"),
            ("Monitor", "SWV", "Zicht", "2026"), ("Evaluatie", "Gemeente en SWV", "Leren", "2027")]
    pages = ["\n\n".join(["Actie  Wie  Waarom  Wanneer", *row]) for row in rows]
    furniture = find_furniture(pages)
    assert "actie wie waarom wanneer" not in furniture.keys
    assert all(0 not in furniture_lines(page, furniture) for page in pages)  # line 0 is the header
