"""Baselines scored in the same run as Wegwijs, over the RAW corpus files (no cleaning at all).

All three split every corpus file as it is (text files as they are, PDFs and DOCX as the loader
extracts them, without any cleaning) with LangChain's
``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``:

- ``bm25``: bm25s over those chunks with a simple Dutch analyzer (folding, stop words,
  ``dutch_porter`` stems; without Wegwijs's domain concept tags);
- ``dense``: the configured embedder (:func:`assistant.core.embedders.make_embedder`, e5 prefixes
  included), exact top-k by cosine similarity in numpy;
- ``langchain``: the naive recipe: the same chunks as LangChain ``Document`` objects in a Chroma
  collection (in-memory ``EphemeralClient``, HNSW, cosine space) queried with the query vector.

``dense`` and ``langchain`` share the same chunk vectors; they differ only in exact versus HNSW
search, so ``langchain`` is the recipe as people deploy it and ``dense`` its exact ceiling.

Chunk vectors are cached per file under the cache folder, keyed by the file's content hash, the
splitter settings and the embedder id, so a re-run embeds nothing unless a file changed.

Example::

    suite = BaselineSuite.build(settings, cache_dir=Path(".wegwijs/eval-cache"))
    for name, docs in suite.search_all("wie geeft de tlv af?", k=10).items():
        print(name, [d.metadata["chunk_id"] for d in docs])
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.documents import Document

from assistant.core.settings import Settings
from assistant.core.text import analyze

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
RAW_PATTERNS = ("*.txt", "*.md", "*.html", "*.htm", "*.pdf", "*.docx")
BASELINES = ("bm25", "dense", "langchain")
LABELS = {
    "wegwijs": "Wegwijs",
    "wegwijs_docs": "Wegwijs, alleen documentpassages",
    "bm25": "BM25 (ruwe chunks)",
    "dense": "Dense e5 (ruwe chunks)",
    "langchain": "LangChain-recept (Chroma)",
}


def raw_files(corpus_dir: Path) -> list[Path]:
    """The corpus documents as they are on disk (manifest and sub-folders are not documents)."""
    files = {p for pattern in RAW_PATTERNS for p in corpus_dir.glob(pattern) if p.is_file()}
    return sorted(files)


def raw_text(path: Path) -> str:
    """A file's text without any cleaning: the bytes of a text file, the extracted pages of a PDF or DOCX."""
    from ingest.loaders import LoadError, load, raw_text as is_text

    if is_text(path):
        return path.read_text(encoding="utf-8", errors="replace")
    from assistant.core.types import DocMeta

    try:
        return "\n".join(load(path, DocMeta(doc_id=path.stem, file=path.name, title=path.stem)).pages)
    except LoadError:
        return ""


def split_raw(files: list[Path]) -> list[Document]:
    """Split the raw files into 1000/200 chunks; ids are ``<file name>#<n>``."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    docs: list[Document] = []
    for path in files:
        for n, piece in enumerate(splitter.split_text(raw_text(path))):
            docs.append(Document(page_content=piece, metadata={"source": path.name, "chunk_id": f"{path.name}#{n}"}))
    return docs


def _file_key(path: Path, embedder_id: str) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    recipe = f"{embedder_id}|{CHUNK_SIZE}|{CHUNK_OVERLAP}|{digest}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:24]


def embed_with_cache(files: list[Path], docs: list[Document], embedder, cache_dir: Path,
                     progress: bool = True) -> np.ndarray:
    """Chunk vectors in ``docs`` order, from the per-file cache where it is still valid."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    embedder_id = getattr(embedder, "embedder_id", type(embedder).__name__)
    parts: list[np.ndarray] = []
    for path in files:
        texts = [d.page_content for d in docs if d.metadata["source"] == path.name]
        target = cache_dir / f"baseline-{path.stem[:40]}-{_file_key(path, embedder_id)}.npy"
        if target.is_file():
            vectors = np.load(target)
            if vectors.shape[0] == len(texts):
                parts.append(vectors)
                continue
        if progress:
            print(f"  baselines: {len(texts)} passages van {path.name} embedden (eenmalig, daarna uit cache)",
                  flush=True)
        vectors = np.asarray(embedder.embed_passages(texts), dtype=np.float32)
        tmp = target.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(target)
        parts.append(vectors)
    return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)


@dataclass
class BaselineSuite:
    """The three baselines over one set of raw chunks, queried with one embedder."""

    docs: list[Document]
    vectors: np.ndarray
    embedder: object
    bm25: object
    collection: object

    @classmethod
    def build(cls, settings: Settings, cache_dir: Path, embedder=None, progress: bool = True) -> "BaselineSuite":
        import bm25s
        import chromadb

        if embedder is None:
            from assistant.core.embedders import make_embedder

            embedder = make_embedder(settings)
        files = raw_files(settings.corpus_dir)
        if not files:
            raise FileNotFoundError(f"Geen .txt- of .md-bestanden in corpusmap '{settings.corpus_dir}'.")
        docs = split_raw(files)
        vectors = embed_with_cache(files, docs, embedder, cache_dir, progress=progress)

        bm25 = bm25s.BM25()
        bm25.index([analyze(d.page_content, with_concepts=False) or ["§leeg"] for d in docs], show_progress=False)

        client = chromadb.EphemeralClient(settings=chromadb.Settings(anonymized_telemetry=False))
        collection = client.create_collection(f"eval-naive-{uuid.uuid4().hex[:8]}",
                                              metadata={"hnsw:space": "cosine"})
        ids = [d.metadata["chunk_id"] for d in docs]
        for start in range(0, len(docs), 500):
            stop = start + 500
            collection.add(ids=ids[start:stop], embeddings=vectors[start:stop].tolist(),
                           documents=[d.page_content for d in docs[start:stop]],
                           metadatas=[d.metadata for d in docs[start:stop]])
        return cls(docs, vectors, embedder, bm25, collection)

    # -- the three retrievers ------------------------------------------------------------------
    def search_bm25(self, query: str, k: int) -> list[Document]:
        tokens = analyze(query, with_concepts=False)
        if not tokens:
            return []
        scores = np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
        order = np.argsort(-scores, kind="stable")[:k]
        return [self.docs[i] for i in order if scores[i] > 0]

    def search_dense(self, query_vector: np.ndarray, k: int) -> list[Document]:
        sims = self.vectors @ query_vector
        order = np.argsort(-sims, kind="stable")[:k]
        return [self.docs[i] for i in order]

    def search_langchain(self, query_vector: np.ndarray, k: int) -> list[Document]:
        result = self.collection.query(query_embeddings=[query_vector.tolist()], n_results=min(k, len(self.docs)),
                                       include=["documents", "metadatas"])
        return [Document(page_content=text, metadata=meta)
                for text, meta in zip(result["documents"][0], result["metadatas"][0])]

    def search_all(self, query: str, k: int = 10) -> dict[str, list[Document]]:
        """Top-k raw chunks per baseline for one query text."""
        vector = np.asarray(self.embedder.embed_query_array(query), dtype=np.float32)
        return {"bm25": self.search_bm25(query, k), "dense": self.search_dense(vector, k),
                "langchain": self.search_langchain(vector, k)}

    def reachable(self, quote: str) -> bool:
        """Whether any raw chunk holds the quote at all (else no baseline can ever find it)."""
        from evals.scoring import quote_found

        return any(quote_found(quote, d.page_content) for d in self.docs)


def baseline_query(question: str, history: list[tuple[str, str]]) -> str:
    """The query text a baseline gets: the earlier user turns and the question.

    A naive app sends what the user typed; for a follow-up that is the conversation so far.
    The question's region is NOT added: appending it as text made every baseline worse on the
    question set (region names occur in running headers all over their documents), and the
    baselines should be as strong as a simple recipe can be. Wegwijs gets history and region.
    """
    parts = [content for role, content in history if role == "user"] + [question]
    return " ".join(p.strip() for p in parts if p.strip())


def describe(suite: BaselineSuite) -> dict:
    """Facts about the baseline index for metrics.json."""
    return {"chunks": len(suite.docs), "chunk_size": CHUNK_SIZE, "chunk_overlap": CHUNK_OVERLAP,
            "files": sorted({d.metadata["source"] for d in suite.docs}),
            "embedder": getattr(suite.embedder, "embedder_id", type(suite.embedder).__name__),
            "bm25_analyzer": "textnorm.analyze(with_concepts=False)"}
