"""Structure extraction at ingest: typed records derived from any cleaned document.

Pure functions over the blocks of a :class:`~assistant.types.CleanDocument`; no store, no
network, no model. Each kind has its own module (``lists``, ``definitions``, ``responsibilities``,
``contacts``, ``quantities``); their cue words live in ``words.yaml``; the records are the
pydantic models of ``models``.

Example::

    doc = clean_document(load(path, meta))
    structure = extract_structure(doc)
    structure.counts()  # {"enumeration": 31, "definition": 4, ...}
"""

from __future__ import annotations

from assistant.core.types import CleanDocument
from ingest.structure.contacts import extract_contacts
from ingest.structure.definitions import extract_definitions
from ingest.structure.lists import extract_enumerations
from assistant.core.structure import DocumentStructure
from ingest.structure.quantities import extract_quantities
from ingest.structure.responsibilities import extract_responsibilities

__all__ = ["extract_structure", "extract_enumerations", "extract_definitions", "extract_responsibilities",
           "extract_contacts", "extract_quantities"]


def extract_structure(doc: CleanDocument) -> DocumentStructure:
    """Every record of every kind derived from ``doc``."""
    records = [
        *extract_enumerations(doc),
        *extract_definitions(doc),
        *extract_responsibilities(doc),
        *extract_contacts(doc),
        *extract_quantities(doc),
    ]
    return DocumentStructure(doc_id=doc.meta.doc_id, records=records)
