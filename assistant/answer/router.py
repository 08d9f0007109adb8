"""Which route answers a question: a contact route, a complete list, or extractive sentences.

The router reads the question's intent (decided once, :mod:`assistant.query.intent`) and tries
the routes that fit, in order; the first that composes an answer is taken and its name goes into
the answer (``Answer.route``). The extractive route always answers (or refuses by a rule of
:mod:`assistant.answer.refusal`), so every question ends somewhere. An LLM, when configured,
rewrites an extractive answer afterwards (:mod:`assistant.answer.llm`); it is not a route here.

- ``contact``: "welk lokaal team ...", a pupil's gemeente named -> the contact route of the sources;
- ``list``: a list or enumeration question -> every item of the matching records or list;
- ``extractive``: the best sentences of the retrieved passages, with the fact checks.

Example::

    router = Router(index, inventory, ExtractiveComposer(index, facts))
    composition = router.compose(analysis, hits, query_vector)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.answer.contacts import contact_answer
from assistant.answer.derived import derived_list_answer
from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.lists import list_answer
from assistant.core.index import Index
from assistant.core.records import Inventory
from assistant.core.types import AnswerRoute, Composition, Hit, QueryAnalysis

Composer = Callable[[QueryAnalysis, list[Hit], np.ndarray], Composition | None]


class Router:
    """Picks the route for each question and composes its answer."""

    def __init__(self, index: Index, inventory: Inventory | None, extractive: ExtractiveComposer) -> None:
        self.inventory = inventory
        self._composers: dict[AnswerRoute, Composer] = {"extractive": extractive.compose, "list": self._list}
        self._index = index
        if inventory is not None:
            self._composers["contact"] = lambda analysis, hits, vector: contact_answer(inventory, analysis, index)

    def routes(self, analysis: QueryAnalysis) -> list[AnswerRoute]:
        """The routes worth trying for this question, in order."""
        intent = analysis.intent
        outside_corpus = bool(analysis.unknown_places) and not analysis.regions
        # a directive or a place outside the corpus is refused; a question after one specific fact
        # (a phone number, a name, a date ...) is checked against the sentences, unless it asks for
        # several items ("noem alle momenten")
        if outside_corpus or intent.directive or (intent.specific_fact and not intent.several):
            return ["extractive"]
        contact = ["contact"] if self.inventory is not None and intent.whom_to_contact else []
        return [*contact, "list", "extractive"]

    def _list(self, analysis: QueryAnalysis, hits: list[Hit], vector: np.ndarray) -> Composition | None:
        """A curated list when the inventory has one, else a list the ingest derived from a document."""
        curated = None
        if self.inventory is not None and not analysis.intent.specific_fact:
            curated = list_answer(self.inventory, analysis, self._index)
        return curated or derived_list_answer(analysis, hits, self._index)

    def compose(self, analysis: QueryAnalysis, hits: list[Hit], query_vector: np.ndarray) -> Composition:
        """The answer of the first route that composes one (the extractive route always does)."""
        for route in self.routes(analysis):
            composition = self._composers[route](analysis, hits, query_vector)
            if composition is not None:
                composition.route = route
                return composition
        raise AssertionError("the extractive route always composes an answer")
