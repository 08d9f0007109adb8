"""The extractive composer: an answer made only of sentences the sources contain.

Candidate sentences come from the top passages; each is scored against the question by its
precomputed e5 vector (cosine with the query vector), by how many of the question's content
words and domain concepts it holds, and by the rank of its passage. The best ones are ordered
by passage and position and cited with ``[n]``. A definition question ("wat is een X?") is led by
the sentence the ingest found defining X, a follow-up by the sentence that answers what it newly
asks. Nothing is generated, so nothing is stated that
the sources don't say. When the sources do not hold the answer, the composer refuses by one of
the rules of :mod:`assistant.answer.refusal` and points to the nearest passages instead.

Example::

    composer = ExtractiveComposer(index, FactChecker(index, places))
    composition = composer.compose(analysis, hits, query_vector)
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from assistant.answer import refusal
from assistant.answer.assembly import choose_shown, compose_shown
from assistant.answer.evidence import Candidate, FactChecker, evidence_strength
from assistant.answer.matching import coverage, question_terms, terms, weighted_coverage
from assistant.answer.scoring import SentenceModel, sentence_features, sentence_model
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.text import fold, lemma_terms, term_set
from assistant.core.types import Citation, Composition, Hit, QueryAnalysis



class ExtractiveComposer:
    """Picks and orders the sentences that answer the question from the top passages."""

    def __init__(self, index: Index, facts: FactChecker, max_citations: int = 4,
                 min_support: float = 0.34, passages: int = 10, model: SentenceModel | None = None) -> None:
        self.index = index
        self.facts = facts
        self.model = model or sentence_model()
        self.max_citations = max_citations
        self.min_support = min_support
        self.passages = passages

    # -- the decision ---------------------------------------------------------------------------------
    def compose(self, analysis: QueryAnalysis, hits: list[Hit], query_vector: np.ndarray) -> Composition:
        declined = refusal.before_reading(analysis, hits)
        if declined:
            return refusal.refuse(declined, hits)
        support = self.support(analysis, hits)
        candidates = self.candidates(analysis, hits, query_vector)
        if analysis.evidence is not None:
            asked = self.facts.asked(analysis)
            holding = [c for c in candidates if self.facts.holds(c, analysis, asked)]
            if not holding:
                return refusal.refuse(refusal.fact_missing(analysis), hits, support)
            return self._answer(analysis, self._facts_first(analysis, holding, candidates), support, query_vector)
        if support < self.min_support or not candidates:
            return refusal.refuse(refusal.unsupported(self.missing(analysis, hits)), hits, support)
        return self._answer(analysis, self._lift_new_ask(analysis, self._definition_first(analysis, candidates)),
                            support, query_vector)

    # -- scoring --------------------------------------------------------------------------------------
    def candidates(self, analysis: QueryAnalysis, hits: list[Hit], query_vector: np.ndarray) -> list[Candidate]:
        """Every usable sentence of the top passages, scored against the question."""
        out: list[Candidate] = []
        for cand, features in self.featured(analysis, hits, query_vector):
            cand.score = self.model.score(features)
            out.append(cand)
        return out

    def featured(self, analysis: QueryAnalysis, hits: list[Hit], query_vector: np.ndarray
                 ) -> list[tuple[Candidate, dict[str, float]]]:
        """Every usable sentence of the top passages with its features (see assistant.answer.scoring)."""
        content, concepts = question_terms(analysis)
        wanted = content | concepts
        weights = {t: self.index.idf(t) or self.index.max_idf() for t in wanted}
        out: list[tuple[Candidate, dict[str, float]]] = []
        for rank, hit in enumerate(hits[: self.passages]):
            ci = self.index.by_id[hit.chunk.chunk_id]
            spans, vectors = self.index.sentences_of(ci)
            dense = vectors @ query_vector if len(spans) else np.zeros(0)
            for k, ((start, end), sim) in enumerate(zip(spans, dense)):
                text = hit.chunk.text[start:end].strip()
                if not _usable(text, start, hit):
                    continue
                found = terms(text)
                if text.endswith(":") and k + 1 < len(spans):
                    # a label ("Besluit College d.d. 25 januari 2022:") is about what it introduces
                    following = hit.chunk.text[spans[k + 1][0]:spans[k + 1][1]]
                    if coverage(wanted, terms(following)) > coverage(wanted, found):
                        found = terms(following)
                lexical = coverage(wanted, found)
                rare = weighted_coverage(weights, found)
                roles = {r.kind: r for r in self.index.records_at(ci, start, end)}
                features = sentence_features(text, hit, rank, float(sim), lexical, rare, analysis, roles)
                out.append((Candidate(rank, ci, start, end, text, 0.0, float(sim), lexical), features))
        return out

    def support(self, analysis: QueryAnalysis, hits: list[Hit]) -> float:
        """Share of the question's content words found in the best three passages."""
        content, concepts = question_terms(analysis)
        return coverage(content | concepts, _best_passage_terms(hits))

    def missing(self, analysis: QueryAnalysis, hits: list[Hit]) -> list[str]:
        """The question's content words (as typed) that the best three passages do not hold."""
        content, _ = question_terms(analysis)
        found = _best_passage_terms(hits)
        words = []
        for word in re.findall(r"[\w'-]+", analysis.rewritten):
            own = set(lemma_terms(word)) & content
            if own and not own & found and word.lower() not in words:
                words.append(word.lower())
        return words

    def _facts_first(self, analysis: QueryAnalysis, holding: list[Candidate], candidates: list[Candidate]
                     ) -> list[Candidate]:
        """The sentences holding the fact lead: a sentence that only shares the question's words may
        join them, never push them out (a full date beats a bare year in a title)."""
        best = max(c.score for c in holding)
        strength = {id(c): evidence_strength(c.text, analysis) for c in holding}
        strongest = max(strength.values())
        lift = self.model.lift
        lifted = [replace(c, score=c.score + (lift if strength[id(c)] == strongest else 0.0))
                  for c in holding]
        # a sentence without the fact joins only below the best one holding it, so it cannot push it out
        ceiling = max(c.score for c in lifted) - 0.001
        return lifted + [replace(c, score=min(c.score, ceiling)) for c in candidates
                         if c not in holding and c.score >= best]

    def _definition_first(self, analysis: QueryAnalysis, candidates: list[Candidate]) -> list[Candidate]:
        """"Wat is een X?": the sentence that defines X (a derived definition record whose term the
        question names, :meth:`assistant.core.index.Index.defined_terms`) leads, just above the best
        sentence, so the sentences that join it stay the same. An abbreviation's long form does not
        count: it expands a name without saying what the thing is."""
        if not analysis.intent.definition_broad or not candidates:
            return candidates
        asked = term_set(analysis.rewritten)

        def defines(c: Candidate) -> bool:
            return any(r.kind == "definition" and r.form != "abbreviation" and term_set(r.term) <= asked
                       for r in self.index.records_at(c.chunk_index, c.start, c.end))

        defining = [c for c in candidates if defines(c)]
        if not defining:
            return candidates
        lead = max(defining, key=lambda c: c.score)
        top = max(c.score for c in candidates)
        if lead.score >= top:
            return candidates
        return [replace(c, score=top + 0.01) if c is lead else c for c in candidates]

    def _lift_new_ask(self, analysis: QueryAnalysis, candidates: list[Candidate]) -> list[Candidate]:
        """A follow-up ("wie betaalt dat?") is retrieved with the earlier turn's words, which the
        sentences restating that turn match best; the answer must address what is newly asked. The
        sentence holding most of the follow-up's own words leads; among equals, the one from the
        passage ranked highest for the conversation's topic."""
        if not analysis.intent.followup or not candidates:
            return candidates
        own = [t for t in self.facts.subject_of(analysis, analysis.question) if not t.startswith("§verantwoordelijk")]
        if not own:
            return candidates
        fit = {id(c): coverage(set(own), terms(c.text)) for c in candidates}
        addressing = [c for c in candidates if fit[id(c)] >= 0.5]
        if not addressing:
            return candidates
        lead = max(addressing, key=lambda c: (fit[id(c)], -c.hit_rank, c.score))
        top = max(c.score for c in candidates)
        return [replace(c, score=top + 0.01) if c is lead else c for c in candidates]

    # -- assembly -------------------------------------------------------------------------------------
    def _answer(self, analysis: QueryAnalysis, candidates: list[Candidate], support: float,
                query_vector: np.ndarray | None = None) -> Composition:
        """The lead sentence that answers, then at most ``MAX_SUPPORT`` source sentences that each add
        something the question asks, every one as it stands in the plan and cited."""
        content, concepts = question_terms(analysis)
        shown = choose_shown(self.index, candidates, content | concepts, analysis, self.model.spread,
                             self.max_citations, query_vector)
        return compose_shown(self.index, shown, analysis, support)


def _usable(text: str, start: int, hit: Hit) -> bool:
    """A heading, a title, or a record's quote fragment repeated is no answer."""
    chunk = hit.chunk
    labels = {fold(chunk.title), fold(chunk.section), *map(fold, chunk.section_path)}
    if len(text) < 12 or fold(text).rstrip(" .:") in labels:
        return False
    if chunk.kind == "record":
        # a record's closing "Brontekst: “…”" repeats line fragments; the answer cites the line itself
        quotes_at = chunk.text.find("Brontekst:")
        if 0 <= quotes_at <= start + 2 or text.startswith(("Brontekst:", "Ook genoemd:", "“", '"', "…")):
            return False
    return True


def _best_passage_terms(hits: list[Hit], best: int = 3) -> set[str]:
    """The terms of the ``best`` top passages, with their titles and sections."""
    found: set[str] = set()
    for hit in hits[:best]:
        found |= terms(f"{hit.chunk.title}. {hit.chunk.section}. {hit.chunk.text}")
    return found
