"""Documents for the structure tests: seed snippets and pages of the external-dev originals.

* ``seed(name)``: a snippet copied from a seed in corpus/ (tests/fixtures/ingest/structure/ or
  tests/fixtures/ingest/), loaded and cleaned as ingest does;
* ``external(name)``: pages of an external-dev original as pypdf / python-docx give them
  (tests/fixtures/ingest/structure/external_pages.json, written from ../shared/external-dev
  with ``ingest.loaders.load``), the pages not kept left empty so page numbers stay true;
* ``doc_from_text(text)``: a one-page document from a few lines written in the test.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ingest_support import FIXTURES, clean_fixture

from assistant.core.types import CleanDocument, DocMeta, RawDocument
from ingest.clean import clean_document

STRUCTURE = FIXTURES / "structure"
HANDLEIDING = "handleiding-gezinsplan-wij-groningen-2025.pdf"
LEIDRAAD = "leidraad-consultatiefunctie-ggz-sociaal-domein-2024.pdf"
SCHAKELTEAMS = "almere-evaluatie-schakelteams-2021.pdf"
AANVRAAG = "basis-aanvraag-jeugdhulp-wij-groningen.docx"
EXTERNAL_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "external-dev"


def seed(name: str) -> CleanDocument:
    return clean_fixture(f"structure/{name}" if (STRUCTURE / name).exists() else name)


@lru_cache(maxsize=1)
def _external_pages() -> dict:
    return json.loads((STRUCTURE / "external_pages.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def external(name: str) -> CleanDocument:
    entry = _external_pages()[name]
    if entry["has_pages"]:
        pages = [entry["pages"].get(str(n), "") for n in range(1, entry["page_count"] + 1)]
    else:
        pages = [entry["pages"]["1"]]
    meta = DocMeta(doc_id=Path(name).stem, file=name, title=Path(name).stem)
    return clean_document(RawDocument(meta=meta, pages=pages, has_pages=entry["has_pages"], content_hash="fixture"))


def doc_from_text(text: str, suffix_has_pages: bool = True) -> CleanDocument:
    meta = DocMeta(doc_id="test", file="test.pdf", title="Testdocument")
    return clean_document(RawDocument(meta=meta, pages=[text], has_pages=suffix_has_pages, content_hash="test"))


def assert_quotes_verbatim(doc: CleanDocument, records) -> None:
    for record in records:
        for q in record.quotes:
            assert doc.text[q.start:q.end] == q.text, (record.kind, q)
        for item in getattr(record, "items", []):
            assert doc.text[item.quote.start:item.quote.end] == item.quote.text == item.text
