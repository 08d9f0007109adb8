"""The hybrid retriever as a LangChain ``BaseRetriever``, so it composes with LangChain chains."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.hybrid import HybridSearcher


class WegwijsRetriever(BaseRetriever):
    """LangChain retriever over the hybrid index; metadata carries source, page and scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    analyzer: object
    k: int = 10
    region: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        analysis = self.analyzer.analyze(query, [], self.region)
        return [Document(page_content=h.chunk.text, id=h.chunk.chunk_id,
                         metadata={"chunk_id": h.chunk.chunk_id, "doc_id": h.chunk.doc_id, "title": h.chunk.title,
                                   "page": h.chunk.page_start, "section": h.chunk.section,
                                   "region": h.chunk.region, "score": h.score})
                for h in self.searcher.search(analysis, self.k)]
