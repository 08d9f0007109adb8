"""extract_structure as a whole: every kind, verbatim quotes, typed JSON, generic word lists."""

from __future__ import annotations

import re

import yaml
from ingest_support import CORPUS
from structure_support import AANVRAAG, HANDLEIDING, LEIDRAAD, SCHAKELTEAMS, assert_quotes_verbatim, external, seed

from ingest.manifest import load_manifest
from ingest.structure import extract_structure
from assistant.core.structure import KINDS, DocumentStructure
from ingest.structure.words import WORDS_FILE, structure_words


def test_every_record_of_seed_snippets_and_external_pages_quotes_the_cleaned_text():
    docs = [seed(n) for n in ("nk_commissie.txt", "zk_inleiding.txt", "zk_uitvoeringsagenda.txt", "alkmaar_cijfers.txt")]
    docs += [external(n) for n in (HANDLEIDING, LEIDRAAD, SCHAKELTEAMS, AANVRAAG)]
    seen_kinds = set()
    for doc in docs:
        structure = extract_structure(doc)
        assert structure.doc_id == doc.meta.doc_id
        assert_quotes_verbatim(doc, structure.records)
        assert all(r.doc_id == doc.meta.doc_id for r in structure.records)
        seen_kinds |= {r.kind for r in structure.records}
    assert seen_kinds == set(KINDS)


def test_records_survive_a_json_round_trip_with_their_kind():
    structure = extract_structure(external(LEIDRAAD))
    again = DocumentStructure.model_validate_json(structure.model_dump_json())
    assert again == structure
    assert again.counts() == structure.counts() and sum(again.counts().values()) == len(again.records)


def test_word_lists_hold_no_place_or_name_of_a_corpus_document():
    metas, _ = load_manifest(CORPUS)
    names = {w.lower() for m in metas for text in (m.region, m.organisation, m.title, *m.gemeenten)
             for w in re.findall(r"[A-Z][\w-]{3,}", text)}
    generic = {"gemeenten", "gemeente", "samenwerkingsverband", "samenwerkingsverbanden", "onderwijs", "passend",
               "college", "rapport", "uitvoeringsagenda", "ondersteuningsplan", "collegebesluit", "jeugdhulp",
               "jeugdondersteuningsplan", "samenwerking", "regio"}
    listed = set(re.findall(r"[\w-]+", WORDS_FILE.read_text(encoding="utf-8").lower()))
    assert (names - generic) & listed == set()
    assert yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")).keys() == structure_words().model_dump().keys()
