"""The ingest run: corpus folder in, a new index generation out.

Steps per document: load -> clean -> split -> sentences -> embed (see ingest/ for the pure
functions and assistant/store.py for the stores). Unchanged documents (same file bytes, same
pipeline settings, same embedder) reuse their stored chunks and vectors; changed ones are
rebuilt; removed ones are left out. A document that was indexed before but now fails to load
keeps its previous version, so nothing already indexed is lost to a bad file.
"""

from __future__ import annotations

import bisect
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.core import records as record_models
from assistant.core.embedders import make_embedder
from assistant.core.index import (INVENTORY_FILE, bm25_is_current, current_generation, passage_for_embedding,
                                  read_state, region_tags)
from assistant.core.records import Inventory, InventoryError
from assistant.core.settings import Settings
from assistant.core.structure import DocumentStructure
from assistant.core.termsets import TERMS_FILE
from assistant.core.types import Chunk, DocState
from ingest.chunking import split
from ingest.clean import build_vocabulary, clean_document
from ingest.index_writer import INVENTORY_KEY, DocPayload, load_payloads, mark_checked, write_generation
from ingest.inventories import load_inventories
from ingest.loaders import LoadError, load
from ingest.manifest import ManifestError, describe_derived, load_manifest
from ingest.record_vectors import record_payload
from ingest.records import record_sources, records_as_chunks
from ingest.sentences import split_sentences
from ingest.structure import extract_structure
from ingest.vector_cache import VectorCache, embed_texts, embed_with_spans

# Bump to force a re-chunk; the source of the cleaning/chunking modules is part of the key too,
# so a code change there re-processes unchanged files automatically.
PIPELINE_VERSION = "4"


class IngestError(RuntimeError):
    """Nothing usable remains to index (the run exits non-zero)."""


@dataclass
class IngestReport:
    documents: int = 0
    pages: int = 0
    chunks: int = 0
    records: int = 0
    seconds: float = 0.0
    rebuilt: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    generation: str = ""
    # new documents whose metadata was (partly) read from the document: doc_id -> (file, lines)
    derived: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"Klaar in {self.seconds:.1f} s: {self.documents} documenten, {self.pages} pagina's, "
            f"{self.chunks} passages, {self.records} inventarisrecords.",
            f"  opnieuw verwerkt: {', '.join(self.rebuilt) or '-'}",
            f"  ongewijzigd overgeslagen: {', '.join(self.unchanged) or '-'}",
        ]
        if self.removed:
            lines.append(f"  verwijderd uit de index: {', '.join(self.removed)}")
        if self.kept_previous:
            lines.append(f"  vorige versie behouden (bestand onbruikbaar): {', '.join(self.kept_previous)}")
        for doc_id, (file_name, described) in self.derived.items():
            lines.append(f"  nieuw document {doc_id} ({file_name}), afgeleid uit de tekst:")
            lines.extend(f"    {line}" for line in described)
        if self.derived:
            lines.append("  Klopt iets niet? Zet de juiste waarde bij het bestand in corpus/manifest.yaml; "
                         "wat daar staat gaat voor.")
        for problem in self.problems:
            lines.append(f"  let op: {problem}")
        return "\n".join(lines)


def code_files() -> list[Path]:
    """The code that shapes chunks and record texts: everything in ingest/ but this runner and
    the index writer, and the record models the records are rendered from."""
    here = Path(__file__).parent
    own = [p for p in sorted(here.rglob("*.py")) if p.relative_to(here).as_posix() not in {"pipeline.py",
                                                                                              "index_writer.py"}]
    return [*own, Path(record_models.__file__)]


def _code_version() -> str:
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in code_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _fingerprint(content_hash: str, settings: Settings, embedder_id: str, meta: str = "") -> str:
    key = (f"{content_hash}|{_code_version()}|{settings.chunk_target_chars}|{settings.chunk_max_chars}|"
           f"{embedder_id}|{settings.sentence_vectors}|{meta}")
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def sentence_spans(chunk: Chunk) -> list[tuple[int, int]]:
    """Sentence spans of a chunk; a table row is one unit, so a row never loses its header."""
    if chunk.kind == "table_row":
        return [(0, len(chunk.text))]
    spans = [s for s in split_sentences(chunk.text) if chunk.text[s[0]:s[1]].strip()]
    return spans or [(0, len(chunk.text))]


def _own_sentence_vectors(chunk: Chunk, spans: list[tuple[int, int]]) -> bool:
    """Whether a chunk's sentences get vectors of their own (else they share the chunk's vector).

    Curated inventory records and single-unit chunks (a table row, a one-sentence passage) gain
    nothing from a second embedding; the lexical part of sentence scoring still tells them apart.
    """
    return chunk.kind != "record" and len(spans) > 1


def embed_payloads(todo: list[tuple[DocState, list[Chunk], DocumentStructure | None]], embedder,
                   bar: tqdm | None, cache: VectorCache | None = None, pooled: bool = False) -> list[DocPayload]:
    """Vectors of the documents' passages and of their sentences, in one embedding pass over all
    documents (texts already embedded come from the cache; a text repeated anywhere is embedded
    once; the embedder batches across documents by length)."""
    if pooled:
        return _embed_payloads_late(todo, embedder, bar, cache)
    plans, everything = [], []
    for state, chunks, structure in todo:
        spans = [sentence_spans(c) for c in chunks]
        texts = [passage_for_embedding(c) for c in chunks]
        sentences = [c.text[a:b] for c, row in zip(chunks, spans) if _own_sentence_vectors(c, row) for a, b in row]
        plans.append((state, chunks, structure, spans, len(everything), len(texts)))
        everything += texts + sentences
    all_vecs = embed_texts(everything, embedder, cache, bar)
    payloads = []
    for state, chunks, structure, spans, at, n in plans:
        chunk_vecs, own = all_vecs[at:at + n], iter(all_vecs[at + n:])
        sentence_vecs = [next(own) if _own_sentence_vectors(c, row) else chunk_vecs[i]
                         for i, (c, row) in enumerate(zip(chunks, spans)) for _ in row]
        payloads.append(DocPayload(state, chunks, chunk_vecs, spans, np.vstack(sentence_vecs), structure))
    return payloads


def _embed_payloads_late(todo, embedder, bar, cache) -> list[DocPayload]:
    """:func:`embed_payloads` with sentence vectors pooled from the passage pass
    (``WEGWIJS_SENTENCE_VECTORS=pooled``, e5-blas only): each passage is embedded once, and its
    sentences' vectors are the means of their token states in that pass ("late chunking": they see
    the passage around them). Cold ingest of the five plans 52.6 -> 37.0 s; not the default, since
    with the sentence scorer's current weights must_include was 0.3 points lower on the calibration
    set and 0.8 on external-dev (the weights were set for separately embedded sentences)."""
    plans, texts, text_spans = [], [], []
    for state, chunks, structure in todo:
        spans = [sentence_spans(c) for c in chunks]
        plans.append((state, chunks, structure, spans, len(texts)))
        for chunk, row in zip(chunks, spans):
            text = passage_for_embedding(chunk)
            offset = len(text) - len(chunk.text)  # the passage text ends with the chunk's text
            texts.append(text)
            text_spans.append([(offset + a, offset + b) for a, b in row] if _own_sentence_vectors(chunk, row) else [])
    vectors, parts = embed_with_spans(texts, text_spans, embedder, cache, bar)
    payloads = []
    for state, chunks, structure, spans, at in plans:
        chunk_vecs = vectors[at:at + len(chunks)]
        rows = [parts[at + i] if text_spans[at + i] else np.repeat(chunk_vecs[i:i + 1], len(row), axis=0)
                for i, row in enumerate(spans)]
        sentence_vecs = np.vstack(rows) if rows else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        payloads.append(DocPayload(state, chunks, chunk_vecs, spans, sentence_vecs, structure))
    return payloads


def process_document(raw, vocabulary, settings: Settings, fingerprint: str
                     ) -> tuple[DocState, list[Chunk], DocumentStructure] | None:
    """Clean, split and read the structure of one document; None when no text is left."""
    doc = clean_document(raw, vocabulary=vocabulary)
    chunks = split(doc, target_chars=settings.chunk_target_chars, max_chars=settings.chunk_max_chars)
    if not chunks:
        return None
    structure = attach_chunks(extract_structure(doc), chunks)
    state = DocState(doc_id=raw.meta.doc_id, file=raw.meta.file, title=raw.meta.title, region=raw.meta.region,
                     fingerprint=fingerprint, pages=doc.page_count, chunks=len(chunks), meta=raw.meta)
    return state, chunks, structure


def attach_chunks(structure: DocumentStructure, chunks: list[Chunk]) -> DocumentStructure:
    """Each quote of a derived record learns the chunk that holds its start (offsets of one text)."""
    starts = [c.char_start for c in chunks]
    for record in structure.records:
        for quote in [*record.quotes, *(item.quote for item in getattr(record, "items", []))]:
            i = max(0, bisect.bisect_right(starts, quote.start) - 1)
            quote.chunk_id = chunks[i].chunk_id
    return structure


def run_ingest(settings: Settings, corpus_dir: Path | None = None, embedder=None,
               progress: bool = True) -> IngestReport:
    """Build or update the index from ``corpus_dir`` (default: the settings' corpus folder)."""
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    if not corpus_dir.is_dir():
        raise IngestError(f"De corpusmap '{corpus_dir}' bestaat niet.")
    embedder = embedder or make_embedder(settings)
    if settings.sentence_vectors == "pooled" and not hasattr(embedder, "embed_passages_with_spans"):
        raise IngestError("WEGWIJS_SENTENCE_VECTORS=pooled vraagt om een embedder die zinsvectoren uit de "
                          "passage kan halen (WEGWIJS_EMBEDDER=e5-blas); de bestaande index blijft ongewijzigd.")
    report = IngestReport()
    try:
        metas, problems = load_manifest(corpus_dir)
    except ManifestError as exc:
        raise IngestError(f"{exc}\nDe bestaande index blijft ongewijzigd.") from exc
    report.problems.extend(problems)

    previous_state = read_state(settings)
    reuse = previous_state is not None and previous_state.embedder_id == embedder.embedder_id
    previous = load_payloads(settings) if reuse else {}

    raws = []
    for meta in metas:
        try:
            raws.append(load(corpus_dir / meta.file, meta))
        except LoadError as exc:
            report.problems.append(str(exc))
            if meta.doc_id in previous:
                report.kept_previous.append(meta.doc_id)
    vocabulary = build_vocabulary([page for raw in raws for page in raw.pages])

    todo: list[tuple[DocState, list[Chunk], DocumentStructure | None]] = []
    payloads: list[DocPayload] = [previous[d] for d in report.kept_previous]
    for raw in raws:
        # the metadata is in the key: a new title or region in the manifest re-chunks (chunks carry both)
        fingerprint = _fingerprint(raw.content_hash, settings, embedder.embedder_id, raw.meta.model_dump_json())
        old = previous.get(raw.meta.doc_id)
        if old is not None and old.state.fingerprint == fingerprint:
            payloads.append(old)
            report.unchanged.append(raw.meta.doc_id)
            continue
        processed = process_document(raw, vocabulary, settings, fingerprint)
        if processed is None:
            report.problems.append(f"{raw.meta.file}: geen tekst gevonden na opschonen; overgeslagen.")
            continue
        todo.append(processed)
        report.rebuilt.append(raw.meta.doc_id)
        if raw.meta.derived and raw.meta.doc_id not in previous:
            report.derived[raw.meta.doc_id] = (raw.meta.file, describe_derived(raw.meta))

    inventory, records = _inventory_records(corpus_dir, settings, embedder.embedder_id, previous, report)
    if not payloads and not todo:
        raise IngestError("Geen enkel bruikbaar document gevonden; de bestaande index blijft ongewijzigd.\n"
                          + "\n".join(report.problems))

    total = sum(len(c) + sum(len(r) for x in c if _own_sentence_vectors(x, r := sentence_spans(x))) for _, c, _ in todo)
    bar = tqdm(total=total, desc="Inbedden", unit="tekst", disable=not progress or total == 0)
    cache = VectorCache(settings.vector_cache_file, embedder.embedder_id)
    payloads += embed_payloads(todo, embedder, bar, cache, pooled=settings.sentence_vectors == "pooled")
    if records is not None:
        payloads.append(_with_record_vectors(records, inventory, payloads, bool(todo), embedder, cache, bar))
    bar.close()

    kept = {p.state.doc_id for p in payloads}
    report.removed = sorted(d for d in previous if d not in kept)
    changed = bool(todo) or INVENTORY_KEY in report.rebuilt
    if not changed and not report.removed and _current_is_whole(settings, previous_state, inventory):
        # nothing changed: the index in use stays (a reader holding it open is not cut off)
        report.generation = previous_state.generation
        mark_checked(settings)
    else:
        report.generation = write_generation(settings, embedder.embedder_id, payloads, inventory).generation
    docs = [p for p in payloads if p.state.doc_id != INVENTORY_KEY]
    report.documents = len(docs)
    report.pages = sum(p.state.pages or 0 for p in docs)
    report.chunks = sum(len(p.chunks) for p in docs)
    report.records = sum(len(p.chunks) for p in payloads if p.state.doc_id == INVENTORY_KEY)
    report.seconds = time.perf_counter() - started
    return report


def _with_record_vectors(records: DocPayload | tuple[DocState, list[Chunk]], inventory: Inventory | None,
                         documents: list[DocPayload], rebuilt: bool, embedder, cache: VectorCache, bar) -> DocPayload:
    """The inventory's payload, its enumeration records' vectors taken from the sentences they
    restate (:mod:`ingest.record_vectors`). A stored payload is kept as it is while no document
    was rebuilt (``rebuilt``) or when its inventory is unreadable; else its vectors are derived
    again, so they follow the documents (the other records come from the vector cache)."""
    if isinstance(records, DocPayload) and (inventory is None or not rebuilt):
        return records
    state, chunks = (records.state, records.chunks) if isinstance(records, DocPayload) else records
    return record_payload(state, chunks, [sentence_spans(c) for c in chunks], record_sources(inventory),
                          documents, embedder, cache, bar)


def _current_is_whole(settings: Settings, state, inventory: Inventory | None) -> bool:
    """The current generation can stay: same vector store mode, BM25 made with today's text
    analysis, and the inventory stored when there is one."""
    gen = current_generation(settings)
    if state is None or gen is None or state.chroma_mode != settings.chroma_mode:
        return False
    places = region_tags(state.metas, inventory)
    return (bm25_is_current(gen, places) and (inventory is None or (gen / INVENTORY_FILE).is_file())
            and (gen / TERMS_FILE).is_file())


def inventory_fingerprint(folder: Path, settings: Settings, embedder_id: str) -> str:
    """Fingerprint of the record passages: the YAML files and the code rendering them (in the code
    version), so a change in either re-embeds the records instead of leaving stale texts."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.y*ml")):
        digest.update(path.name.encode() + path.read_bytes())
    return _fingerprint(digest.hexdigest(), settings, embedder_id)


def _previous_inventory(settings: Settings) -> Inventory | None:
    gen = current_generation(settings)
    path = gen / INVENTORY_FILE if gen is not None else None
    if path is None or not path.is_file():
        return None
    return Inventory.model_validate_json(path.read_text(encoding="utf-8"))


def _inventory_records(corpus_dir: Path, settings: Settings, embedder_id: str, previous: dict[str, DocPayload],
                       report: IngestReport) -> tuple[Inventory | None, DocPayload | tuple | None]:
    """The curated inventory and its records as passages: the stored payload if unchanged, else
    (state, chunks) to embed; (None, None) without inventories."""
    folder = corpus_dir / "inventories"
    if not folder.is_dir():
        return None, None
    fingerprint = inventory_fingerprint(folder, settings, embedder_id)
    old = previous.get(INVENTORY_KEY)
    if old is not None and old.state.fingerprint == fingerprint:
        stored = _previous_inventory(settings)
        try:
            stored = stored or load_inventories(folder)  # a generation from before inventory.json
        except InventoryError as exc:
            report.problems.append(str(exc))
            return None, old
        report.unchanged.append(INVENTORY_KEY)
        return stored, old
    try:
        inventory = load_inventories(folder)
        chunks = records_as_chunks(inventory, corpus_dir)
    except InventoryError as exc:
        report.problems.append(str(exc))
        if old is not None:
            report.kept_previous.append(INVENTORY_KEY)
            return _previous_inventory(settings), old
        return None, None
    state = DocState(doc_id=INVENTORY_KEY, file="inventories/", title="Regionale inventaris", region="",
                     fingerprint=fingerprint, pages=None, chunks=len(chunks))
    report.rebuilt.append(INVENTORY_KEY)
    return inventory, (state, chunks)
