"""The answer engine: a question (plus history and region) in, a cited :class:`Answer` out.

Example::

    from assistant.answer.engine import Assistant
    from assistant.core.settings import get_settings

    bot = Assistant(get_settings())
    answer = bot.answer("wie pakt in zk de 5a vrijstellingen op?")
    print(answer.answer, answer.citations[0].page)

Without an LLM configured the answer is extractive (sentences from the sources, cited). With
``WEGWIJS_LLM_BASE_URL`` set, an OpenAI-compatible model writes the answer from the same
passages; every sentence is then checked against the passage it cites and the extractive answer
is the fallback (see assistant/llm.py).
"""

from __future__ import annotations

import threading
import time

from assistant.answer.extractive import ExtractiveComposer
from assistant.core.embedders import make_embedder
from assistant.query.analyzer import QueryAnalyzer, build_vocabulary
from assistant.retrieval.hybrid import CrossEncoderReranker, HybridSearcher, WegwijsRetriever
from assistant.core.settings import Settings
from assistant.core.index import Index
from assistant.core.types import Answer, Composition, Hit, Message, QueryAnalysis, RetrievedItem


class Assistant:
    """Answers questions from the current index. Heavy parts load on first use (``warm_up``)."""

    def __init__(self, settings: Settings, embedder=None, chat_model=None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._chat_model = chat_model
        self._lock = threading.Lock()
        self._ready = False

    # -- setup -----------------------------------------------------------------------------
    def warm_up(self) -> "Assistant":
        with self._lock:
            if self._ready:
                return self
            settings = self.settings
            self.embedder = self._embedder or make_embedder(settings)
            self.index = Index.open(settings, self.embedder.embedder_id)
            self.index.idf("")  # builds the document-frequency table now, not on the first question
            self.analyzer = QueryAnalyzer(self.index.state.metas,
                                          build_vocabulary([c.text for c in self.index.chunks]))
            reranker = CrossEncoderReranker(settings.reranker_model_path) if settings.reranker_model_path else None
            self.searcher = HybridSearcher(self.index, self.embedder, settings.candidate_k, settings.rrf_k, reranker,
                                           evidence_weight=settings.evidence_weight)
            self.composer = ExtractiveComposer(self.index, max_citations=settings.max_citations,
                                               min_support=settings.refusal_min_support,
                                               places=set(self.analyzer.places))
            self.llm = None
            if self._chat_model is not None or settings.llm_base_url:
                from assistant.answer.llm import LLMAnswerer, make_chat_model

                self.llm = LLMAnswerer(self._chat_model or make_chat_model(settings), self.embedder)
            self.inventory = self.index.inventory
            self._ready = True
        return self

    @property
    def regions(self) -> list[str]:
        return self.warm_up().analyzer.regions

    def retriever(self, k: int = 10, region: str | None = None) -> WegwijsRetriever:
        """The hybrid retriever as a LangChain ``BaseRetriever``."""
        self.warm_up()
        return WegwijsRetriever(searcher=self.searcher, analyzer=self.analyzer, k=k, region=region)

    # -- public ----------------------------------------------------------------------------
    def analyze(self, question: str, history: list[Message] | None = None, region: str | None = None) -> QueryAnalysis:
        self.warm_up()
        history = history or []
        if self.llm is not None and history:
            rewritten = self.llm.rewrite(question, history)
            if rewritten:
                analysis = self.analyzer.analyze(rewritten, [], region)
                if not analysis.regions and not region:
                    analysis.regions = self.analyzer.analyze(question, history, region).regions
                analysis.question = question
                return analysis
        return self.analyzer.analyze(question, history, region)

    def search(self, question: str, region: str | None = None, k: int | None = None,
               history: list[Message] | None = None, doc_ids: list[str] | None = None) -> list[Hit]:
        analysis = self.analyze(question, history, region)
        return self.searcher.search(analysis, k or self.settings.top_k, doc_ids)

    def answer(self, question: str, history: list[Message] | None = None, region: str | None = None,
               doc_ids: list[str] | None = None) -> Answer:
        if not question or not question.strip():
            raise ValueError("De vraag is leeg.")
        t0 = time.perf_counter()
        analysis = self.analyze(question, history, region)
        query_vector = self.embedder.embed_query_array(analysis.dense_text)
        hits = self.searcher.search(analysis, max(self.settings.top_k, 10), doc_ids, query_vector=query_vector)
        t1 = time.perf_counter()
        composition, mode = None, "extractive"
        outside_corpus = bool(analysis.unknown_places) and not analysis.regions
        # a question after one specific fact (a phone number, a name, a date ...) is not a list or a
        # route: the composer checks whether the sources hold that fact, or refuses
        specific = analysis.answer_type in {"phone", "email", "address", "person", "money", "duration", "period", "date"}
        if self.inventory is not None and not outside_corpus and not specific:
            from assistant.answer.lists import answer_from_inventory

            composition = answer_from_inventory(self.inventory, analysis, self.index)
            mode = "inventory" if composition is not None else mode
        if composition is None:
            composition = self.composer.compose(analysis, hits, query_vector)
        if self.llm is not None and not composition.refused and mode == "extractive":
            generated = self.llm.answer(analysis, hits, composition, self.index)
            if generated is not None:
                composition, mode = generated, "llm"
        if mode in ("inventory", "extractive"):
            from assistant.answer.lists import with_origins

            composition = with_origins(composition, self.index, query_vector)
        if mode == "inventory":
            # the answer was built from the cited records: they head the ranked list
            cited = [self.index.chunks[self.index.by_id[c.chunk_id]] for c in composition.citations
                     if c.chunk_id in self.index.by_id]
            cited_ids = {c.chunk_id for c in cited}
            hits = [Hit(chunk=c, score=1.0) for c in cited] + [h for h in hits if h.chunk.chunk_id not in cited_ids]
        t2 = time.perf_counter()
        return self._to_answer(question, analysis, hits, composition, mode,
                               {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000})

    @staticmethod
    def _to_answer(question: str, analysis: QueryAnalysis, hits: list[Hit], composition: Composition, mode: str,
                   timings: dict[str, float]) -> Answer:
        return Answer(
            question=question, answer=composition.answer, refused=composition.refused,
            citations=composition.citations,
            retrieved=[RetrievedItem(chunk_id=h.chunk.chunk_id, doc_id=h.chunk.doc_id, page=h.chunk.page_start,
                                     score=round(h.score, 5), text=h.chunk.text) for h in hits],
            timings_ms={k: round(v, 2) for k, v in timings.items()},
            rewritten_question=analysis.rewritten if analysis.rewritten != question else None,
            region=", ".join(analysis.regions) or None, mode=mode)

