"""Hybrid retrieval: BM25 (Dutch analysis) and dense e5 vectors, fused by reciprocal rank.

:class:`HybridSearcher` is the engine (:mod:`assistant.retrieval.langchain` wraps it as a LangChain
``BaseRetriever``). Region and document filters apply to both retrievers before fusion. When a
cross-encoder is configured (:mod:`assistant.retrieval.rerank`), it re-orders the fused top.
"""

from __future__ import annotations

import numpy as np

from assistant.core.index import Index, passage_for_embedding
from assistant.core.records import is_enumeration, is_glossary
from assistant.core.text import term_set
from assistant.core.types import Hit, QueryAnalysis
from assistant.retrieval.rerank import CrossEncoderReranker


class HybridSearcher:
    """Fuses BM25 and dense rankings with weighted reciprocal rank fusion.

    Example::

        searcher = HybridSearcher(index, embedder)
        hits = searcher.search(analysis, k=10)
    """

    def __init__(self, index: Index, embedder, candidate_k: int = 40, rrf_k: int = 60,
                 reranker: CrossEncoderReranker | None = None, bm25_weight: float = 1.0,
                 dense_weight: float = 1.0, evidence_weight: float = 0.5, definition_weight: float = 1.0) -> None:
        self.index = index
        self.evidence_weight = evidence_weight
        self.definition_weight = definition_weight
        self.embedder = embedder
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.reranker = reranker
        self.bm25_weight = bm25_weight
        self.dense_weight = dense_weight

    def search(self, analysis: QueryAnalysis, k: int = 10, doc_ids: list[str] | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        index = self.index
        regions = analysis.regions or None
        mask = index.allowed_mask(regions, doc_ids)
        if not mask.any():
            return []
        scores = index.bm25_scores(analysis.bm25_tokens)
        scores = np.where(mask, scores, -1.0)
        order = np.argsort(-scores)
        bm25_ranked = [int(i) for i in order[: self.candidate_k] if scores[i] > 0]
        if query_vector is None:
            query_vector = self.embedder.embed_query_array(analysis.dense_text)
        dense_ranked = [i for i, _ in index.dense(query_vector, self.candidate_k, regions, doc_ids)]

        fused: dict[int, float] = {}
        bm25_rank = {i: r for r, i in enumerate(bm25_ranked)}
        dense_rank = {i: r for r, i in enumerate(dense_ranked)}
        for i, r in bm25_rank.items():
            fused[i] = fused.get(i, 0.0) + self.bm25_weight / (self.rrf_k + r + 1)
        for i, r in dense_rank.items():
            fused[i] = fused.get(i, 0.0) + self.dense_weight / (self.rrf_k + r + 1)
        if analysis.evidence is not None and self.evidence_weight:
            # "wanneer", "hoeveel", "welk telefoonnummer": a passage that holds a fact of the asked kind
            # (a date, a number, a phone number) is more likely to answer than one that only shares words
            bonus = self.evidence_weight / (self.rrf_k + 1)
            for i in sorted(fused, key=lambda i: -fused[i])[: self.candidate_k]:
                if analysis.evidence.search(index.chunks[i].text):
                    fused[i] += bonus
        if self.definition_weight and (analysis.intent.definition or analysis.intent.definition_broad):
            # "wat is een X": the passage where the document defines X (a definition the ingest
            # derived, whose term the question names) is the answer, however common X's words are
            asked = term_set(analysis.rewritten)
            bonus = self.definition_weight / (self.rrf_k + 1)
            for i in dict.fromkeys(i for terms, i in index.defined_terms() if terms <= asked and mask[i]):
                fused[i] = fused.get(i, 0.0) + bonus
        ranked = arrange(sorted(fused, key=lambda i: -fused[i]), index, analysis)
        hits = [Hit(chunk=index.chunks[i], score=fused[i], dense_rank=dense_rank.get(i),
                    bm25_rank=bm25_rank.get(i)) for i in ranked]
        if self.reranker is not None and hits:
            head = hits[: max(k, 20)]
            rerank = self.reranker.scores(analysis.rewritten, [passage_for_embedding(h.chunk) for h in head])
            for hit, score in zip(head, rerank):
                hit.rerank_score = float(score)
            head.sort(key=lambda h: -(h.rerank_score or 0.0))
            hits = head + hits[len(head):]
        return hits[:k]


def arrange(ranked: list[int], index: Index, analysis: QueryAnalysis) -> list[int]:
    """The fused ranking, with two kinds of inventory record moved behind the document passages.

    - A glossary entry that only expands an abbreviation ("Begrip SWV: Samenwerkingsverband")
      answers nothing but what the term stands for; for any other question it goes to the end, so
      a question that merely says "swv vo" is not answered with the abbreviation list. Entries
      with a definition from the source keep their place.
    - An enumeration record (lists.yaml) restates a whole list of a plan and shares words with
      many questions it does not answer; list questions are answered from these records by title
      (assistant.answer.lists), so in the ranking they come after the document passages.
    """
    def last(ids: list[int]) -> list[int]:
        taken = set(ids)
        return [i for i in ranked if i not in taken] + ids

    if not analysis.asks_definition:
        ranked = last([i for i in ranked if is_glossary(index.chunks[i].chunk_id)
                       and "Betekenis:" not in index.chunks[i].text])
    return last([i for i in ranked if is_enumeration(index.chunks[i].chunk_id)])
