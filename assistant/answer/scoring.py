"""Sentence scoring: the features of a candidate sentence and the linear model that weighs them.

Every sentence of the best passages gets a few features: how close its e5 vector is to the
question's, how much of the question's content it holds (plainly and IDF-weighted), the rank of
its passage, and what the kind of question makes of it (a contact line for a contact question,
the party for a who-question, the definition for "wat is X", the asked kind of fact; a link, a bare
abbreviation). The weights are not typed in: ``scripts/fit_sentence_model.py`` fits them on the
gold sentences of the question sets (logistic regression) and writes ``sentence_model.json``
beside this module, with the selection margin and the lift of the strongest fact.

Example::

    model = sentence_model()
    score = model.score(sentence_features(...))
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.core.lexicon import lexicon
from assistant.core.records import is_glossary
from assistant.core.text import term_set
from assistant.core.types import Hit, QueryAnalysis

MODEL_FILE = Path(__file__).with_name("sentence_model.json")
FEATURES = ("dense", "lexical", "rare", "rank", "contact", "link", "party", "definition", "glossary_plain", "fact",
            "record")


@dataclass(frozen=True)
class SentenceModel:
    """Weights per feature, a bias, the margin below the best score a sentence may join the answer
    with (``spread``) and the lift for the sentences holding the strongest asked-for fact."""

    weights: dict[str, float]
    bias: float = 0.0
    spread: float = 0.09
    lift: float = 0.25
    about: dict = field(default_factory=dict)  # how it was fitted (data, date, figures)

    def score(self, features: dict[str, float]) -> float:
        return self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())


@lru_cache(maxsize=1)
def sentence_model() -> SentenceModel:
    """The fitted model of ``sentence_model.json`` (read once)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return SentenceModel(weights=dict(data["weights"]), bias=float(data.get("bias", 0.0)),
                         spread=float(data["spread"]), lift=float(data["lift"]), about=data.get("about", {}))


def sentence_features(text: str, hit: Hit, rank: int, dense: float, lexical: float, rare: float,
                      analysis: QueryAnalysis, roles: dict) -> dict[str, float]:
    """The features of one sentence of a retrieved passage (``roles``: the records the ingest
    derived from it, by kind)."""
    lex, intent = lexicon(), analysis.intent
    contact = intent.contact_details and ("contact" in roles or bool(lex.pattern("contact_line").search(text)))
    definition = roles.get("definition")
    return {
        "dense": dense,
        "lexical": lexical,
        "rare": rare,
        "rank": float(rank),
        "contact": float(contact),
        "link": float(not contact and bool(lex.pattern("urlish").search(text))),
        "party": float(intent.who and ("responsibility" in roles or bool(lex.pattern("names_party").search(text)))),
        "definition": float(intent.definition_broad and definition is not None
                            and term_set(definition.term) <= term_set(analysis.rewritten)),
        "glossary_plain": float(is_glossary(hit.chunk.chunk_id) and not intent.definition_broad),
        "fact": float(analysis.evidence is not None and bool(analysis.evidence.search(text))),
        "record": float(hit.chunk.kind == "record"),
    }
