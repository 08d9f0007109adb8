"""Helpers for the ingest tests: real corpus snippets under tests/fixtures/ingest/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.core.types import CleanDocument, DocMeta
from ingest.clean import build_vocabulary, clean_document
from ingest.loaders import load
from ingest.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


@lru_cache(maxsize=1)
def corpus_raws():
    metas, problems = load_manifest(CORPUS)
    return tuple(load(CORPUS / meta.file, meta) for meta in metas)


@lru_cache(maxsize=1)
def corpus_vocabulary():
    """Word counts over the whole real corpus: the evidence the cleaner decides from."""
    return build_vocabulary([page for raw in corpus_raws() for page in raw.pages])


def clean_fixture(name: str) -> CleanDocument:
    """Load and clean one fixture snippet with the corpus vocabulary."""
    meta = DocMeta(doc_id=Path(name).stem, file=name, title=Path(name).stem, region="test")
    return clean_document(load(FIXTURES / name, meta), vocabulary=corpus_vocabulary())


def texts(doc: CleanDocument, kind: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]
