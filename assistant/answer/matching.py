"""How well a text matches what a question asks: term sets, prefix matching, coverage.

Shared by the extractive composer, the fact checks and the list answers, so every part of the
answer path counts a "match" the same way.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.core.lexicon import lexicon
from assistant.core.termsets import known_terms
from assistant.core.text import concept_tags, fold, lemma_terms, match_terms
from assistant.core.types import QueryAnalysis


def prefix_match(term: str, found: frozenset[str] | set[str]) -> bool:
    """Exact, or a shared prefix of >= 6 letters covering 70% of the shorter word (Porter
    leaves 'organiseert' and 'organiseren' apart; this joins them)."""
    if term in found:
        return True
    if len(term) < 6 or term.isdigit():
        return False
    head = term[:6]
    for other in found:
        if other.startswith(head):
            n = len(term) if len(term) < len(other) else len(other)
            common = 6
            while common < n and term[common] == other[common]:
                common += 1
            if common >= 0.7 * n:
                return True
    return False


def coverage(wanted: set[str], found: frozenset[str] | set[str]) -> float:
    """Share of ``wanted`` terms matched in ``found`` (exact or by a long shared prefix)."""
    if not wanted:
        return 0.0
    return sum(1 for t in wanted if prefix_match(t, found)) / len(wanted)


def weighted_coverage(weights: dict[str, float], found: frozenset[str] | set[str]) -> float:
    """Share of the terms' weight (IDF) matched in ``found``: a rare word counts more."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if prefix_match(t, found)) / total if total else 0.0


@lru_cache(maxsize=50_000)
def terms(text: str) -> frozenset[str]:
    """Analyzed terms of a passage or sentence: looked up in the term table the ingest stored for
    every passage and sentence (:mod:`assistant.core.termsets`), analysed here only for a text it
    did not see; cached, since passages repeat across questions."""
    known = known_terms(text)
    return known if known is not None else frozenset(match_terms(text))


@lru_cache(maxsize=None)
def word_terms(name: str) -> frozenset[str]:
    """The lemma stems of a named word set of the lexicon (``generic``, ``ask_words``, ``filler`` ...)."""
    return frozenset(lemma_terms(" ".join(sorted(lexicon().words(name)))))


def question_terms(analysis: QueryAnalysis) -> tuple[set[str], set[str]]:
    """Content stems and concept tags of the question, minus generic chat words and regions."""
    ignored = {"§" + tag for tag in lexicon().words("concepts_not_subject")}
    concepts = set(concept_tags(fold(analysis.rewritten))) - ignored
    region_words = set(lemma_terms(" ".join(analysis.regions))) | analysis.place_terms
    generic = word_terms("generic")
    content = {t for t in lemma_terms(analysis.rewritten) if t not in generic and t not in region_words and len(t) > 2}
    return content, concepts
