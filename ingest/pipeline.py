"""The ingest run: corpus folder in, a new index generation out.

Steps per document: load -> clean -> split -> sentences -> embed (see ingest/ for the pure
functions and assistant/store.py for the stores). Unchanged documents (same file bytes, same
pipeline settings, same embedder) reuse their stored chunks and vectors; changed ones are
rebuilt; removed ones are left out. A document that was indexed before but now fails to load
keeps its previous version, so nothing already indexed is lost to a bad file.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.embeddings import make_embedder
from assistant.settings import Settings
from assistant.store import (DocPayload, DocState, load_payloads, mark_checked, passage_for_embedding, read_state,
                             write_generation)
from assistant.types import Chunk
from ingest.chunking import split
from ingest.clean import build_vocabulary, clean_document
from ingest.loaders import LoadError, load
from ingest.manifest import ManifestError, describe_derived, load_manifest
from ingest.sentences import split_sentences

# Bump to force a re-chunk; the source of the cleaning/chunking modules is part of the key too,
# so a code change there re-processes unchanged files automatically.
PIPELINE_VERSION = "3"
INVENTORY_KEY = "inventory"


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


def _code_version() -> str:
    """Hash of the ingest code that shapes chunks (everything in ingest/ but this runner)."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name not in {"pipeline.py", "__init__.py"}:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _fingerprint(content_hash: str, settings: Settings, embedder_id: str) -> str:
    key = (f"{content_hash}|{_code_version()}|{settings.chunk_target_chars}|{settings.chunk_max_chars}|"
           f"{embedder_id}")
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


def embed_payload(state: DocState, chunks: list[Chunk], embedder, bar: tqdm | None) -> DocPayload:
    spans = [sentence_spans(c) for c in chunks]
    texts = [passage_for_embedding(c) for c in chunks]
    sentences = [c.text[a:b] for c, row in zip(chunks, spans) if _own_sentence_vectors(c, row) for a, b in row]
    everything = texts + sentences
    # batches of similar length waste less padding inside the embedder
    order = sorted(range(len(everything)), key=lambda i: len(everything[i]))
    vectors = []
    for batch in _batches(order, 16):
        vectors.append(embedder.embed_passages([everything[i] for i in batch]))
        if bar is not None:
            bar.update(len(batch))
    sorted_vecs = np.vstack(vectors)
    all_vecs = np.empty_like(sorted_vecs)
    all_vecs[order] = sorted_vecs
    chunk_vecs, own = all_vecs[: len(texts)], iter(all_vecs[len(texts):])
    sentence_vecs = [next(own) if _own_sentence_vectors(c, row) else chunk_vecs[i]
                     for i, (c, row) in enumerate(zip(chunks, spans)) for _ in row]
    return DocPayload(state, chunks, chunk_vecs, spans, np.vstack(sentence_vecs))


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_ingest(settings: Settings, corpus_dir: Path | None = None, embedder=None,
               progress: bool = True) -> IngestReport:
    """Build or update the index from ``corpus_dir`` (default: the settings' corpus folder)."""
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    if not corpus_dir.is_dir():
        raise IngestError(f"De corpusmap '{corpus_dir}' bestaat niet.")
    embedder = embedder or make_embedder(settings)
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

    todo: list[tuple[DocState, list[Chunk]]] = []
    payloads: list[DocPayload] = [previous[d] for d in report.kept_previous]
    for raw in raws:
        fingerprint = _fingerprint(raw.content_hash, settings, embedder.embedder_id)
        old = previous.get(raw.meta.doc_id)
        if old is not None and old.state.fingerprint == fingerprint:
            payloads.append(old)
            report.unchanged.append(raw.meta.doc_id)
            continue
        doc = clean_document(raw, vocabulary=vocabulary)
        chunks = split(doc, target_chars=settings.chunk_target_chars, max_chars=settings.chunk_max_chars)
        if not chunks:
            report.problems.append(f"{raw.meta.file}: geen tekst gevonden na opschonen; overgeslagen.")
            continue
        state = DocState(doc_id=raw.meta.doc_id, file=raw.meta.file, title=raw.meta.title, region=raw.meta.region,
                         fingerprint=fingerprint, pages=doc.page_count, chunks=len(chunks))
        todo.append((state, chunks))
        report.rebuilt.append(raw.meta.doc_id)
        if raw.meta.derived and raw.meta.doc_id not in previous:
            report.derived[raw.meta.doc_id] = (raw.meta.file, describe_derived(raw.meta))

    inventory = _inventory_chunks(corpus_dir, settings, embedder.embedder_id, previous, report)
    if inventory is not None:
        if isinstance(inventory, DocPayload):
            payloads.append(inventory)
        else:
            todo.append(inventory)

    if not any(p.state.doc_id != INVENTORY_KEY for p in payloads) and not any(
            s.doc_id != INVENTORY_KEY for s, _ in todo):
        raise IngestError("Geen enkel bruikbaar document gevonden; de bestaande index blijft ongewijzigd.\n"
                          + "\n".join(report.problems))

    total = sum(len(c) + sum(len(r) for x in c if _own_sentence_vectors(x, r := sentence_spans(x))) for _, c in todo)
    bar = tqdm(total=total, desc="Inbedden", unit="tekst", disable=not progress or total == 0)
    for state, chunks in todo:
        bar.set_postfix_str(state.doc_id)
        payloads.append(embed_payload(state, chunks, embedder, bar))
    bar.close()

    kept = {p.state.doc_id for p in payloads}
    report.removed = sorted(d for d in previous if d not in kept)
    if not todo and not report.removed and _current_is_whole(settings, previous_state):
        # nothing changed: the index in use stays (a reader holding it open is not cut off)
        report.generation = previous_state.generation
        mark_checked(settings)
    else:
        report.generation = write_generation(settings, embedder.embedder_id, payloads).generation
    docs = [p for p in payloads if p.state.doc_id != INVENTORY_KEY]
    report.documents = len(docs)
    report.pages = sum(p.state.pages or 0 for p in docs)
    report.chunks = sum(len(p.chunks) for p in docs)
    report.records = sum(len(p.chunks) for p in payloads if p.state.doc_id == INVENTORY_KEY)
    report.seconds = time.perf_counter() - started
    return report


def _current_is_whole(settings: Settings, state) -> bool:
    """The current generation can stay: same vector store mode, BM25 made with today's text analysis."""
    from assistant.store import bm25_is_current, current_generation

    gen = current_generation(settings)
    if state is None or gen is None or state.chroma_mode != settings.chroma_mode:
        return False
    return bm25_is_current(gen)


# The code that renders inventory records as passages: it shapes what is embedded, like the YAML.
RECORD_CODE = tuple(Path(__file__).parent.parent / "assistant" / name
                    for name in ("inventory_models.py", "inventory_text.py"))


def inventory_fingerprint(folder: Path, settings: Settings, embedder_id: str,
                          code: tuple[Path, ...] = RECORD_CODE) -> str:
    """Fingerprint of the record passages: the YAML files and the code rendering them, so a change
    in either re-embeds the records instead of leaving stale texts in the index."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.y*ml")):
        digest.update(path.name.encode() + path.read_bytes())
    for path in code:
        digest.update(path.read_bytes())
    return _fingerprint(digest.hexdigest(), settings, embedder_id)


def _inventory_chunks(corpus_dir: Path, settings: Settings, embedder_id: str, previous: dict[str, DocPayload],
                      report: IngestReport):
    """The curated inventory records as passages: a stored payload if unchanged, else (state, chunks)."""
    folder = corpus_dir / "inventories"
    if not folder.is_dir():
        return None
    from assistant.inventory import InventoryError, load_inventories

    fingerprint = inventory_fingerprint(folder, settings, embedder_id)
    old = previous.get(INVENTORY_KEY)
    if old is not None and old.state.fingerprint == fingerprint:
        report.unchanged.append(INVENTORY_KEY)
        return old
    try:
        chunks = load_inventories(folder).records_as_chunks(corpus_dir)
    except InventoryError as exc:
        report.problems.append(str(exc))
        if old is not None:
            report.kept_previous.append(INVENTORY_KEY)
            return old
        return None
    state = DocState(doc_id=INVENTORY_KEY, file="inventories/", title="Regionale inventaris", region="",
                     fingerprint=fingerprint, pages=None, chunks=len(chunks))
    report.rebuilt.append(INVENTORY_KEY)
    return state, chunks
