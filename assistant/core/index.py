"""Reading the indexes: dense vectors in Chroma, BM25 with Dutch analysis, sentence vectors.

An index *generation* is a folder under ``<data_dir>/index/`` holding everything one ingest run
produced (written only by :mod:`ingest.index_writer`):

- ``chunks.jsonl``: the chunks (text, source, page, section, offsets);
- ``chunk_vectors.npy`` / ``sentence_vectors.npy``: embeddings, kept so that unchanged
  documents are never embedded twice;
- ``sentences.json``: sentence spans per chunk (the extractive composer scores these);
- ``bm25/``: the bm25s index over :func:`assistant.core.text.analyze` tokens;
- ``chroma/`` (embedded mode) or a collection on a Chroma server (http mode);
- ``inventory.json``: the curated inventory records, validated at ingest (absent without inventories);
- ``structure.jsonl``: per document the records derived from it (lists, definitions, responsibilities,
  contact lines, quantities; :mod:`assistant.core.structure`), each quote with its chunk;
- ``terms.npz``: the term sets of every passage and sentence (:mod:`assistant.core.termsets`), so a
  question looks them up instead of stemming its candidates, and the IDF table comes from them;
- ``words.json``: the surface-word counts of the passages, the query analyzer's vocabulary;
- ``lemmas.json``: the lemma stems of those words and of the lexicon's (:func:`assistant.core.text.lemma_stem`
  then needs simplemma only for a word neither holds);
- ``state.json``: which embedder built it, a fingerprint and the metadata per document.

``CURRENT`` names the generation in use. A run builds a new generation beside it and swaps
``CURRENT`` with an atomic rename only when the new one is complete, so a failed or interrupted
run leaves the previous index in use. The generation it replaced stays on disk until the next
run: a server still reading it is not cut off, and a generation found broken when it is opened
(a truncated ``chunks.jsonl``, a missing ``bm25/``) is passed over for that previous one.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.core import text
from assistant.core.generations import fallback_generations, generation_problem
from assistant.core.records import Inventory, is_enumeration
from assistant.core.settings import Settings
from assistant.core.structure import DocumentStructure, Enumeration
from assistant.core.termsets import (LEMMAS_FILE, TERMS_FILE, WORDS_FILE, TermTable, load_lemma_stems, load_word_counts,
                                     remember, word_counts)
from assistant.core.text import PlaceTags, analyze, fold, match_terms, seed_lemma_stems, squash
from assistant.core.types import Chunk, DocMeta, IndexState

log = logging.getLogger(__name__)

CURRENT = "CURRENT"


class IndexError_(RuntimeError):
    """The index is missing, incomplete, or was built by another embedder."""


def chroma_client(settings: Settings, path: Path | None):
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_mode == "http":
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(settings: Settings, embedder_id: str, generation: str) -> str:
    return f"{settings.collection_prefix}-{embedder_id}-{generation}"[:120]


def current_name(settings: Settings) -> str | None:
    """The generation ``CURRENT`` names (whether or not it is usable), None without a pointer."""
    pointer = settings.index_dir / CURRENT
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


ANALYZER_FILE = "analyzer.txt"
INVENTORY_FILE = "inventory.json"
STRUCTURE_FILE = "structure.jsonl"  # per document, the records derived from it (lists, definitions ...)


def read_structures(gen: Path) -> dict[str, DocumentStructure]:
    """The derived records of a generation per document (none for a generation from before them)."""
    path = gen / STRUCTURE_FILE
    if not path.is_file():
        return {}
    found = (DocumentStructure.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {s.doc_id: s for s in found}


def region_tags(metas: list[DocMeta], inventory: Inventory | None) -> PlaceTags:
    """The corpus's region tags: per region of its documents, the region's name and the aliases
    the curated regions give it (its gemeenten are places of their own, not names of the region)."""
    forms: dict[str, list[str]] = {}
    named = {m.region for m in metas if m.region and m.region != "onbekend"}
    for region in named:
        forms.setdefault("r-" + squash(region), []).append(fold(region))
    for region in inventory.regions if inventory is not None else []:
        if region.name in named:
            forms.setdefault("r-" + squash(region.name), []).extend(fold(a) for a in region.aliases)
    return PlaceTags(forms)


def analyzer_version(places: PlaceTags | None = None) -> str:
    """Hash of the text analysis (assistant/core/text.py, its lexicon and the corpus's region tags)
    the BM25 tokens were made with."""
    return text.analysis_version() + (f"-{places.version()}" if places is not None else "")


def bm25_is_current(gen: Path, places: PlaceTags | None = None) -> bool:
    """Whether a generation's BM25 tokens were made with today's text analysis."""
    stamp = gen / "bm25" / ANALYZER_FILE
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == analyzer_version(places)


def build_bm25(chunks: list[Chunk], places: PlaceTags | None = None):
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index([analyze(index_text(c), places=places) or ["§leeg"] for c in chunks], show_progress=False)
    return bm25


def index_text(chunk: Chunk) -> str:
    """What BM25 and the dense model see: the passage with its title and section for context."""
    return f"{chunk.title}. {chunk.section}.\n{chunk.text}"


passage_for_embedding = index_text  # what the dense model embeds for a passage


def searched_densely(chunk: Chunk) -> bool:
    """Whether dense search considers the chunk (and the Chroma collection holds it): every chunk
    but an enumeration record (:func:`assistant.core.records.is_enumeration`)."""
    return not is_enumeration(chunk.chunk_id)


def term_texts(chunks: list[Chunk], spans: list[list[tuple[int, int]]]) -> list[str]:
    """The texts the answer path takes term sets of (:func:`assistant.answer.matching.terms`), known
    at ingest: every passage as it is, with its title and section (as indexed, and as the composer
    and the fact checks read it), and every sentence."""
    out: list[str] = []
    for chunk, row in zip(chunks, spans):
        out += [chunk.text, index_text(chunk), f"{chunk.title}. {chunk.section}. {chunk.text}"]
        out += [chunk.text[a:b].strip() for a, b in row]
    return out


def read_terms(gen: Path) -> TermTable | None:
    """The generation's term table, None when it has none or one made with another text analysis."""
    path = gen / TERMS_FILE
    if not path.is_file():
        return None
    try:
        table = TermTable.load(path)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("Termentabel %s onleesbaar (%s); termen worden per vraag berekend.", path, exc)
        return None
    return table if remember(table) else None


@dataclass
class Index:
    """The current index generation, loaded for querying.

    Example::

        index = Index.open(settings, embedder_id="e5blas-e5small")
        ids, distances = index.dense(query_vector, k=40, regions=["Regio Noord"])
    """

    settings: Settings
    state: IndexState
    chunks: list[Chunk]
    sentence_spans: list[list[tuple[int, int]]]
    sentence_vectors: np.ndarray
    sentence_offset: np.ndarray  # first sentence row of each chunk
    bm25: object
    _collection: object = field(repr=False, default=None)
    inventory: Inventory | None = None  # the curated records, when the corpus has inventories
    # set when CURRENT was unusable and an earlier generation was opened instead (Dutch, for the health check)
    problem: str | None = None
    structures: dict[str, DocumentStructure] = field(default_factory=dict)  # derived records per document
    places: PlaceTags | None = None  # the corpus's region tags (BM25 of passages and questions)
    terms: TermTable | None = None  # term sets of every passage and sentence, computed at ingest
    generation: Path | None = None  # the folder this index was read from
    chunk_vectors: np.ndarray | None = None  # set when dense search is exact (no Chroma opened)

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

        stems = load_lemma_stems(gen / LEMMAS_FILE)
        if stems:
            seed_lemma_stems(stems)
        chunks = [Chunk.model_validate_json(line)
                  for line in (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
        spans = [[tuple(s) for s in row] for row in json.loads((gen / "sentences.json").read_text(encoding="utf-8"))]
        sent_vecs = np.load(gen / "sentence_vectors.npy")
        counts = np.array([len(s) for s in spans])
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)
        chunk_vecs, client, collection = None, None, None
        if settings.chroma_mode == "embedded" and settings.dense_search == "exact":
            chunk_vecs = np.load(gen / "chunk_vectors.npy")
            if chunk_vecs.shape[0] != len(chunks):
                raise ValueError(f"chunk_vectors.npy heeft {chunk_vecs.shape[0]} rijen voor {len(chunks)} passages")
        else:
            client = chroma_client(settings, gen / "chroma")
            collection = client.get_collection(state.collection)
        inventory = (Inventory.model_validate_json((gen / INVENTORY_FILE).read_text(encoding="utf-8"))
                     if (gen / INVENTORY_FILE).is_file() else None)
        places = region_tags(state.metas, inventory)
        if bm25_is_current(gen, places):
            bm25 = bm25s.BM25.load(str(gen / "bm25"))
        else:
            # the text analysis changed since this index was built (new concept tags, stop words ...):
            # the stored BM25 tokens would no longer match the questions' tokens, so rebuild in memory
            log.info("BM25 opnieuw opgebouwd: de tekstanalyse is gewijzigd sinds de index is gebouwd.")
            bm25 = build_bm25(chunks, places)
        index = cls(settings, state, chunks, spans, sent_vecs, offsets, bm25, collection, inventory,
                    structures=read_structures(gen), places=places, terms=read_terms(gen),
                    generation=gen, chunk_vectors=chunk_vecs)
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

    @property
    def squashed_passages(self) -> list[tuple[int, str]]:
        """(position, letters and digits only) of every document passage, for finding a quote
        across spacing, hyphenation and punctuation."""
        if not hasattr(self, "_squashed"):
            self._squashed = [(i, squash(c.text)) for i, c in enumerate(self.chunks) if c.kind != "record"]
        return self._squashed

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analyzed term over the document passages; 0 for unseen terms.

        Inventory records are left out: they restate document lines, so counting them would make a
        word look common merely because a curated list repeats it.
        """
        if not hasattr(self, "_df"):
            passages = [c for c in self.chunks if c.kind != "record"]
            self._df, self._df_n = self._document_frequencies(passages), len(passages)
        n = self._df.get(term, 0)
        if n == 0:
            return 0.0
        return float(np.log((1 + self._df_n) / n))

    def _document_frequencies(self, passages: list[Chunk]) -> dict[str, int]:
        """In how many passages each term occurs: from the term table, else analysed now."""
        texts = [index_text(c) for c in passages]
        counts = self.terms.document_frequencies(texts) if self.terms is not None else None
        if counts is not None:
            table = self.terms
            return {table.vocab[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}
        df: Counter[str] = Counter()
        for text_ in texts:
            df.update(match_terms(text_))
        return dict(df)

    def word_counts(self) -> Counter[str]:
        """Surface-word counts of all passages and records (the query analyzer's vocabulary): stored
        at ingest (``words.json``), counted now for a generation without them."""
        stored = load_word_counts(self.generation / WORDS_FILE) if self.generation is not None else None
        return stored if stored is not None else word_counts(c.text for c in self.chunks)

    def max_idf(self) -> float:
        """The idf of a term seen in a single passage: the most specific weight a term can have."""
        self.idf("")
        return float(np.log(1 + self._df_n))

    def allowed_mask(self, regions: list[str] | None, doc_ids: list[str] | None) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=bool)
        if not hasattr(self, "_region_of"):
            self._region_of = np.array([c.region.lower() for c in self.chunks], dtype=object)
            self._doc_of = np.array([c.doc_id for c in self.chunks], dtype=object)
        if regions:
            mask &= np.isin(self._region_of, [r.lower() for r in regions])
        if doc_ids:
            mask &= np.isin(self._doc_of, list(doc_ids))
        return mask

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def dense(self, vector: np.ndarray, k: int, regions: list[str] | None = None,
              doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        """Top-k chunks by cosine similarity, as (chunk index, similarity): exact over the chunk
        vectors (``dense_search="exact"``), else from Chroma's HNSW index."""
        if self.chunk_vectors is not None:
            return self._exact_dense(vector, k, regions, doc_ids)
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

    def _exact_dense(self, vector: np.ndarray, k: int, regions: list[str] | None,
                     doc_ids: list[str] | None) -> list[tuple[int, float]]:
        """Cosine of every allowed chunk (the vectors are L2-normalised), the best ``k`` first; equal
        scores in chunk order. Region and document filters match exactly, as Chroma's ``$in`` does;
        chunks the collection does not hold (:func:`searched_densely`) are left out here too."""
        sims = (self.chunk_vectors @ np.asarray(vector, dtype=np.float32)).astype(np.float64)
        if not hasattr(self, "_exact_region_of"):
            self._exact_region_of = np.array([c.region for c in self.chunks], dtype=object)
            self._exact_doc_of = np.array([c.doc_id for c in self.chunks], dtype=object)
            self._exact_searched = np.array([searched_densely(c) for c in self.chunks], dtype=bool)
        allowed = self._exact_searched.copy()
        if regions:
            allowed &= np.isin(self._exact_region_of, list(regions))
        if doc_ids:
            allowed &= np.isin(self._exact_doc_of, list(doc_ids))
        candidates = np.flatnonzero(allowed)
        k = min(k, len(candidates))
        if k <= 0:
            return []
        scores = sims[candidates]
        top = candidates[np.argpartition(-scores, k - 1)[:k]] if k < len(candidates) else candidates
        order = sorted(top.tolist(), key=lambda i: (-sims[i], i))
        return [(i, float(sims[i])) for i in order]

    def sentences_of(self, chunk_index: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        start = int(self.sentence_offset[chunk_index])
        spans = self.sentence_spans[chunk_index]
        return spans, self.sentence_vectors[start : start + len(spans)]

    def enumerations_in(self, chunk_id: str) -> list[Enumeration]:
        """The derived lists with an item or lead-in in this passage."""
        if not hasattr(self, "_enums_by_chunk"):
            by_chunk: dict[str, list[Enumeration]] = {}
            for structure in self.structures.values():
                for enum in structure.of_kind("enumeration"):
                    for chunk in dict.fromkeys(q.chunk_id for q in [*enum.quotes, *(i.quote for i in enum.items)]):
                        by_chunk.setdefault(chunk, []).append(enum)
            self._enums_by_chunk = by_chunk
        return self._enums_by_chunk.get(chunk_id, [])

    def defined_terms(self) -> list[tuple[frozenset[str], int]]:
        """(the BM25 terms of a defined term, the passage that holds its definition) for every
        definition the ingest derived (``Een X is ...``, ``Onder X verstaan we``, ``Definitie X``).
        An abbreviation's long form names a thing without saying what it is, so it is left out."""
        if not hasattr(self, "_defined_terms"):
            by_id, found = self.by_id, []
            for structure in self.structures.values():
                for record in structure.of_kind("definition"):
                    if record.form == "abbreviation":
                        continue
                    terms = text.term_set(record.term)
                    for chunk in dict.fromkeys(q.chunk_id for q in record.quotes):
                        if terms and chunk in by_id:
                            found.append((terms, by_id[chunk]))
            self._defined_terms = found
        return self._defined_terms

    def records_at(self, chunk_index: int, start: int, end: int) -> list:
        """The derived records with a quote overlapping ``chunk.text[start:end]`` (a sentence)."""
        if not hasattr(self, "_records_by_chunk"):
            by_chunk: dict[str, list[tuple[int, int, object]]] = {}
            for structure in self.structures.values():
                for record in structure.records:
                    for q in record.quotes:
                        by_chunk.setdefault(q.chunk_id, []).append((q.start, q.end, record))
            self._records_by_chunk = by_chunk
        chunk = self.chunks[chunk_index]
        a, b = chunk.char_start + start, chunk.char_start + end
        return [r for qa, qb, r in self._records_by_chunk.get(chunk.chunk_id, ()) if qa < b and a < qb]

    def around(self, chunk_index: int, alone: bool = False) -> list[Chunk]:
        """A passage with its neighbours in the same document (a heading and the figures under it
        may fall in adjacent chunks); a record, or with ``alone`` any passage, by itself."""
        chunk = self.chunks[chunk_index]
        if chunk.kind == "record" or alone:
            return [chunk]
        return self.neighbours(chunk.chunk_id, radius=1) or [chunk]

    def neighbours(self, chunk_id: str, radius: int = 1) -> list[Chunk]:
        """The chunk with up to ``radius`` chunks before and after it in the same document."""
        i = self.by_id.get(chunk_id)
        if i is None:
            return []
        if not hasattr(self, "_by_seq"):
            by_seq: dict[tuple[str, str, int], list[int]] = {}
            for n, c in enumerate(self.chunks):
                by_seq.setdefault((c.doc_id, c.kind, c.seq), []).append(n)
            self._by_seq = by_seq
        chunk = self.chunks[i]
        found = [n for seq in range(chunk.seq - radius, chunk.seq + radius + 1)
                 for n in self._by_seq.get((chunk.doc_id, chunk.kind, seq), ())]
        return [self.chunks[n] for n in sorted(found)]
