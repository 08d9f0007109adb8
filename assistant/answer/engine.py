"""The answer engine: a question (plus history and region) in, a cited :class:`Answer` out.

``Assistant.answer`` is a short pipeline of named steps:

1. **analyse** the question (:mod:`assistant.query`): follow-ups resolved, regions, typos, and the
   intent decided once (what kind of fact, a list, a contact route, a directive ...);
2. **retrieve** passages (:mod:`assistant.retrieval`): BM25 and e5 vectors fused;
3. **route and compose** (:mod:`assistant.answer.router`): a contact route, a complete list, or
   extractive sentences; a refusal names its rule (:mod:`assistant.answer.refusal`);
4. **verify** an LLM answer against the passages when an LLM is configured; the extractive
   answer is its fallback (:mod:`assistant.answer.llm`);
5. **cite**: every sentence shown is cited with its passage; a sentence of an inventory record is
   shown and cited as the plan line it restates (:mod:`assistant.answer.shape`).

Example::

    from assistant.answer.engine import Assistant
    from assistant.core.settings import get_settings

    bot = Assistant(get_settings())
    answer = bot.answer("wie pakt in zk de 5a vrijstellingen op?")
    print(answer.answer, answer.route, answer.citations[0].page)
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer.evidence import FactChecker
from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.router import Router
from assistant.core.embedders import make_embedder
from assistant.core.index import Index
from assistant.core.places import load_gazetteer
from assistant.core.settings import Settings
from assistant.core.types import Answer, Composition, Hit, Message, QueryAnalysis, RetrievedItem
from assistant.query.analyzer import QueryAnalyzer
from assistant.retrieval.hybrid import HybridSearcher
from assistant.retrieval.rerank import CrossEncoderReranker

if TYPE_CHECKING:
    from assistant.retrieval.langchain import WegwijsRetriever

# the contract's older field: how the answer was made, by route
MODES = {"contact": "inventory", "list": "inventory", "extractive": "extractive", "llm": "llm"}


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
            self.inventory = self.index.inventory
            definitions = [d for s in self.index.structures.values() for d in s.of_kind("definition")]
            self.analyzer = QueryAnalyzer(self.index.state.metas, self.index.word_counts(),
                                          inventory=self.inventory, gazetteer=load_gazetteer(), definitions=definitions,
                                          region_tags=self.index.places)
            reranker = CrossEncoderReranker(settings.reranker_model_path) if settings.reranker_model_path else None
            self.searcher = HybridSearcher(self.index, self.embedder, settings.candidate_k, settings.rrf_k, reranker,
                                           evidence_weight=settings.evidence_weight,
                                           definition_weight=settings.definition_weight)
            facts = FactChecker(self.index, places=set(self.analyzer.places))
            self.composer = ExtractiveComposer(self.index, facts, max_citations=settings.max_citations,
                                               min_support=settings.refusal_min_support,
                                               passages=settings.answer_passages)
            self.router = Router(self.index, self.inventory, self.composer)
            self.llm = None
            if self._chat_model is not None or settings.llm_base_url:
                from assistant.answer.llm import LLMAnswerer, make_chat_model  # langchain-openai only when used

                self.llm = LLMAnswerer(self._chat_model or make_chat_model(settings), self.embedder,
                                       timeout_s=settings.llm_timeout_s, prompt_tokens=settings.llm_prompt_tokens)
            self._ready = True
        return self

    @property
    def regions(self) -> list[str]:
        return self.warm_up().analyzer.regions

    def retriever(self, k: int = 10, region: str | None = None) -> "WegwijsRetriever":
        """The hybrid retriever as a LangChain ``BaseRetriever`` (imported here: LangChain's retriever
        module costs a second of start-up that answering does not need)."""
        from assistant.retrieval.langchain import WegwijsRetriever

        self.warm_up()
        return WegwijsRetriever(searcher=self.searcher, analyzer=self.analyzer, k=k, region=region)

    # -- the steps ----------------------------------------------------------------------------
    def analyze(self, question: str, history: list[Message] | None = None, region: str | None = None) -> QueryAnalysis:
        """Step 1: the question understood (an LLM, when configured, resolves follow-ups)."""
        self.warm_up()
        history = history or []
        if self.llm is not None and history:
            rewritten = self.llm.rewrite(question, history)
            if rewritten:
                analysis = self.analyzer.analyze(rewritten, [], region)
                if not analysis.regions and not region:
                    analysis.regions = self.analyzer.analyze(question, history, region).regions
                return replace(analysis, question=question, intent=replace(analysis.intent, followup=True))
        return self.analyzer.analyze(question, history, region)

    def search(self, question: str, region: str | None = None, k: int | None = None,
               history: list[Message] | None = None, doc_ids: list[str] | None = None) -> list[Hit]:
        """Steps 1-2 only: the ranked passages for a question."""
        analysis = self.analyze(question, history, region)
        return self.searcher.search(analysis, k or self.settings.top_k, doc_ids)

    def answer(self, question: str, history: list[Message] | None = None, region: str | None = None,
               doc_ids: list[str] | None = None, generate: bool = True) -> Answer:
        """The cited answer. With an LLM configured and ``generate``, its verified answer replaces an
        extractive one; ``generate=False`` gives the extractive answer at once (a streaming UI then
        runs step 4 itself, see :mod:`assistant.answer.streaming`)."""
        if not question or not question.strip():
            raise ValueError("De vraag is leeg.")
        t0 = time.perf_counter()
        analysis = self.analyze(question, history, region) if generate else self.analyzer.analyze(
            question, history or [], region)  # no LLM call before the answer that must show at once
        query_vector = self.embedder.embed_query_array(analysis.dense_text)
        hits = self.searcher.search(analysis, max(self.settings.top_k, 10), doc_ids, query_vector=query_vector)
        t1 = time.perf_counter()
        composition = self.router.compose(analysis, hits, query_vector)
        if generate:
            composition = self._verify_generated(analysis, composition)
        t2 = time.perf_counter()
        return self._to_answer(question, analysis, self._cited_first(hits, composition), composition,
                               {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000})

    def _verify_generated(self, analysis: QueryAnalysis, composition: Composition) -> Composition:
        """Step 4: with an LLM, its short answer from the sentences the extractive answer cites, every
        sentence checked against the passage it cites; the extractive answer stands when nothing
        survives, or on an error or timeout."""
        if self.llm is None or composition.refused or composition.route != "extractive":
            return composition
        generated = self.llm.answer(analysis.rewritten, composition.citations, self.index).composition
        if generated is None:
            return composition
        generated.route = "llm"
        return generated

    def _cited_first(self, hits: list[Hit], composition: Composition) -> list[Hit]:
        """An answer built from records (a list, a contact route): the cited records head the ranked list."""
        if composition.route not in ("contact", "list"):
            return hits
        cited = [self.index.chunks[self.index.by_id[c.chunk_id]] for c in composition.citations
                 if c.chunk_id in self.index.by_id]
        cited_ids = {c.chunk_id for c in cited}
        return [Hit(chunk=c, score=1.0) for c in cited] + [h for h in hits if h.chunk.chunk_id not in cited_ids]

    @staticmethod
    def _to_answer(question: str, analysis: QueryAnalysis, hits: list[Hit], composition: Composition,
                   timings: dict[str, float]) -> Answer:
        return Answer(
            question=question, answer=composition.answer, refused=composition.refused,
            citations=composition.citations,
            retrieved=[RetrievedItem(chunk_id=h.chunk.chunk_id, doc_id=h.chunk.doc_id, page=h.chunk.page_start,
                                     score=round(h.score, 5), text=h.chunk.text) for h in hits],
            timings_ms={k: round(v, 2) for k, v in timings.items()},
            rewritten_question=analysis.rewritten if analysis.rewritten != question else None,
            region=", ".join(analysis.regions) or None, mode=MODES[composition.route or "extractive"],
            route=composition.route, refusal_reason=composition.refusal_rule or None)
