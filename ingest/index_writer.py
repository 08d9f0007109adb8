"""Writing index generations: the only code that writes the stores.

A run builds a new generation folder beside the current one (``<data_dir>/index/gen-.../``, see
:mod:`assistant.core.index` for what it holds) and swaps the ``CURRENT`` pointer with an atomic
rename only when the folder is complete, so a failed or interrupted run leaves the previous
index in use. Unchanged documents are carried over from the current generation
(:func:`load_payloads`), never embedded twice.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.index import (ANALYZER_FILE, CURRENT, INVENTORY_FILE, STRUCTURE_FILE, read_structures, IndexError_, analyzer_version, build_bm25, region_tags,
                                  chroma_client, collection_name, current_generation, read_state, searched_densely,
                                  term_texts)
from assistant.core.termsets import (LEMMAS_FILE, TERMS_FILE, WORDS_FILE, TermTable, save_lemma_stems, save_word_counts,
                                     word_counts)
from assistant.core.generations import generation_problem
from assistant.core.records import Inventory
from assistant.core.settings import Settings
from assistant.core.structure import DocumentStructure
from assistant.core.types import Chunk, DocState, IndexState

INVENTORY_KEY = "inventory"


@dataclass
class DocPayload:
    """Everything the index stores for one document (or for the inventory records)."""

    state: DocState
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sentence_spans: list[list[tuple[int, int]]]  # per chunk: (start, end) in chunk.text
    sentence_vectors: np.ndarray  # rows in the order of the flattened spans
    structure: DocumentStructure | None = None  # records derived from the document (not for the inventory)


def mark_checked(settings: Settings) -> None:
    """Record that an ingest run found the current generation up to date (atomic rewrite)."""
    gen = current_generation(settings)
    if gen is None:
        return
    state = IndexState.model_validate_json((gen / "state.json").read_text(encoding="utf-8"))
    state.checked_at = time.time()
    tmp = gen / "state.json.tmp"
    tmp.write_text(state.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, gen / "state.json")


def load_payloads(settings: Settings) -> dict[str, DocPayload]:
    """The current generation's stored data per document, for reuse by the next run."""
    gen = current_generation(settings)
    if gen is None or generation_problem(gen) is not None:
        return {}  # nothing trustworthy to reuse: the run embeds everything again
    state = read_state(settings)
    chunks = [Chunk.model_validate_json(line) for line in (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
    chunk_vecs = np.load(gen / "chunk_vectors.npy")
    spans = json.loads((gen / "sentences.json").read_text(encoding="utf-8"))
    sent_vecs = np.load(gen / "sentence_vectors.npy")
    out: dict[str, DocPayload] = {}
    sent_pos = 0
    for i, chunk in enumerate(chunks):
        key = payload_key(chunk)
        n = len(spans[i])
        payload = out.get(key)
        if payload is None:
            payload = out[key] = DocPayload(state.docs[key], [], [], [], [])  # type: ignore[arg-type]
        payload.chunks.append(chunk)
        payload.chunk_vectors.append(chunk_vecs[i])  # type: ignore[union-attr]
        payload.sentence_spans.append([tuple(s) for s in spans[i]])
        payload.sentence_vectors.append(sent_vecs[sent_pos : sent_pos + n])  # type: ignore[union-attr]
        sent_pos += n
    for payload in out.values():
        payload.chunk_vectors = np.vstack(payload.chunk_vectors)
        payload.sentence_vectors = np.vstack(payload.sentence_vectors)
    for doc_id, structure in read_structures(gen).items():
        if doc_id in out:
            out[doc_id].structure = structure
    return out


def payload_key(chunk: Chunk) -> str:
    return INVENTORY_KEY if chunk.kind == "record" else chunk.doc_id


def write_generation(settings: Settings, embedder_id: str, payloads: list[DocPayload],
                     inventory: Inventory | None = None) -> IndexState:
    """Write a complete new generation and make it current; old generations are removed after."""
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    generation = time.strftime("gen-%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.perf_counter_ns() % 100000:05d}"
    gen = index_dir / generation
    tmp = index_dir / (generation + ".building")
    tmp.mkdir()
    chunks = [c for p in payloads for c in p.chunks]
    if not chunks:
        raise IndexError_("Er is niets om te indexeren.")
    chunk_vecs = np.vstack([p.chunk_vectors for p in payloads]).astype(np.float32)
    spans = [list(map(list, s)) for p in payloads for s in p.sentence_spans]
    sent_vecs = np.vstack([p.sentence_vectors for p in payloads]).astype(np.float32)

    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(chunk.model_dump_json() + "\n")
    np.save(tmp / "chunk_vectors.npy", chunk_vecs)
    np.save(tmp / "sentence_vectors.npy", sent_vecs)
    (tmp / "sentences.json").write_text(json.dumps(spans), encoding="utf-8")
    if inventory is not None:
        (tmp / INVENTORY_FILE).write_text(inventory.model_dump_json(), encoding="utf-8")
    with open(tmp / STRUCTURE_FILE, "w", encoding="utf-8") as fh:
        for payload in payloads:
            if payload.structure is not None:
                fh.write(payload.structure.model_dump_json() + "\n")

    _write_terms(tmp, chunks, spans, current_generation(settings))
    counts = word_counts(c.text for c in chunks)
    save_word_counts(tmp / WORDS_FILE, counts)
    save_lemma_stems(tmp / LEMMAS_FILE, counts)
    places = region_tags([p.state.meta for p in payloads if p.state.meta is not None], inventory)
    build_bm25(chunks, places).save(str(tmp / "bm25"))
    (tmp / "bm25" / ANALYZER_FILE).write_text(analyzer_version(places), encoding="utf-8")

    name = collection_name(settings, embedder_id, generation)
    client = chroma_client(settings, tmp / "chroma")
    collection = client.create_collection(name, embedding_function=None,
                                          metadata={"hnsw:space": "cosine", "embedder": embedder_id})
    searched = [i for i, c in enumerate(chunks) if searched_densely(c)]  # the rest take no place in dense search
    for start in range(0, len(searched), 256):
        batch = [chunks[i] for i in searched[start : start + 256]]
        collection.add(ids=[c.chunk_id for c in batch], embeddings=chunk_vecs[searched[start : start + 256]].tolist(),
                       documents=[c.text for c in batch], metadatas=[_chroma_meta(c) for c in batch])

    state = IndexState(generation=generation, embedder_id=embedder_id, collection=name,
                       chroma_mode=settings.chroma_mode, created_at=time.time(), chunks=len(chunks),
                       docs={payload_key(p.chunks[0]): p.state for p in payloads if p.chunks})
    (tmp / "state.json").write_text(state.model_dump_json(indent=1), encoding="utf-8")
    client.close()  # releases chroma's per-path system (a long-lived process runs many ingests)
    del client, collection
    problem = generation_problem(tmp)
    if problem is not None:  # never point CURRENT at something Index.open would refuse
        raise IndexError_(f"De nieuwe index is niet goed weggeschreven: {problem}. De vorige blijft in gebruik.")
    os.replace(tmp, gen)
    pointer_tmp = index_dir / (CURRENT + ".tmp")
    pointer_tmp.write_text(generation, encoding="utf-8")
    previous = current_generation(settings)
    os.replace(pointer_tmp, index_dir / CURRENT)
    keep_previous = previous is not None and generation_problem(previous) is None
    _remove_old_generations(settings, keep={generation, previous.name} if keep_previous else {generation})
    return state


def _write_terms(tmp: Path, chunks: list[Chunk], spans: list[list[list[int]]], previous: Path | None) -> None:
    """The term table of the new generation; term sets of texts the current one holds are reused."""
    old = None
    if previous is not None and (previous / TERMS_FILE).is_file():
        try:
            old = TermTable.load(previous / TERMS_FILE)
        except (OSError, ValueError, KeyError):
            old = None  # unreadable: every text is analysed again
    TermTable.build(term_texts(chunks, spans), previous=old).save(tmp / TERMS_FILE)


def _remove_old_generations(settings: Settings, keep: set[str]) -> None:
    """Remove every generation (and half-built one) except those in ``keep`` (the new and the previous)."""
    for path in settings.index_dir.iterdir():
        if not (path.is_dir() and path.name.startswith("gen-")) or path.name in keep:
            continue
        try:
            old = IndexState.model_validate_json((path / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old is not None and old.chroma_mode == "http" and settings.chroma_mode == "http":
            try:
                chroma_client(settings, None).delete_collection(old.collection)
            except Exception:  # noqa: BLE001 - the old collection may already be gone; nothing is lost
                pass
        shutil.rmtree(path, ignore_errors=True)


def _chroma_meta(chunk: Chunk) -> dict:
    return {"doc_id": chunk.doc_id, "region": chunk.region, "kind": chunk.kind, "seq": chunk.seq,
            "page": chunk.page_start if chunk.page_start is not None else -1, "section": chunk.section[:500]}


