"""Fact checks: does a sentence hold the kind of fact asked for, about the subject asked about?

A question after one fact ("wat is het telefoonnummer van het cjg?", "hoeveel thuiszitters ...",
"wanneer is het plan vastgesteld?") is answered only by a sentence that holds a fact of that kind
(the intent's evidence pattern) in a passage about the question's subject. These checks decide
that; the refusal rules (:mod:`assistant.answer.refusal`) and the composer use them.

Example::

    checker = FactChecker(index, places)
    asked = checker.asked(analysis)
    holding = [c for c in candidates if checker.holds(c, analysis, asked)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.matching import prefix_match, terms, word_terms
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.text import analyze, concept_tags, fold, lemma_stem, lemma_terms, stem, stop_words, words
from assistant.core.types import QueryAnalysis

# a phone number, e-mail address, address or name belongs to what its own passage is about
OWN_PASSAGE_FACTS = frozenset({"phone", "email", "address", "person"})
NAME_PARTICLES = frozenset({"van", "de", "der", "den"})


@dataclass
class Candidate:
    """One sentence of a retrieved passage, scored against the question."""

    hit_rank: int
    chunk_index: int
    start: int
    end: int
    text: str
    score: float
    dense: float
    lexical: float


@dataclass
class Asked:
    """What a fact question asks, worked out once per question for checking every candidate."""

    folded: str  # the question, folded: a match that merely repeats it is no answer
    subject: list[str]
    counted: tuple[str, list[str]] | None  # "hoeveel X": the stem and concept tags of X
    role: str | None  # "wie is de wethouder": the role a name must stand with
    years: set[str]  # years the question names: the passage must name them too


class FactChecker:
    """The fact checks over one index; ``places`` are region and gemeente names (never a person)."""

    def __init__(self, index: Index, places: set[str] | None = None) -> None:
        self.index = index
        self.places = {fold(p) for p in places or ()}
        self._lower: set[str] | None = None

    # -- what is asked ----------------------------------------------------------------------------
    def asked(self, analysis: QueryAnalysis) -> Asked:
        lex = lexicon()
        folded = fold(analysis.question)
        role = lex.pattern("role_asked").search(folded) if analysis.answer_type == "person" else None
        return Asked(folded=folded, subject=self.subject(analysis),
                     counted=counted_noun(analysis) if analysis.answer_type == "count" else None,
                     role=lemma_stem(role.group(1)) if role else None,
                     years=set(lex.pattern("year").findall(folded)))

    def subject(self, analysis: QueryAnalysis) -> list[str]:
        """What the question is about, without the words naming the fact asked for. For a
        follow-up the user's own words come first ('wanneer heeft de gemeente dat vastgesteld?')."""
        return self.subject_of(analysis, analysis.question) or self.subject_of(analysis, analysis.rewritten)

    def subject_of(self, analysis: QueryAnalysis, text: str) -> list[str]:
        """The subject terms of ``text``: one entry per distinct word, so two words for one concept
        ('thuiszitters', 'thuiszitten') weigh twice. A domain concept counts as its tag, found in any
        of its spellings ('vastgesteld' in "in te stemmen met"). A word the index never saw counts
        by what the analyzer repaired it to (a typo fixed, a compound split); one it could not
        repair stays in, so a fact about something the sources never mention is not answered with
        the same kind of fact about something else."""
        skip = word_terms("ask_words") | word_terms("generic") | word_terms("filler") | analysis.place_terms
        out: list[str] = []
        for word in dict.fromkeys(words(text)):
            if word in stop_words() or (len(word) <= 2 and not word.isdigit()) or stem(word) in analysis.place_terms:
                continue  # a place narrows the search; it is not what the passage must be about
            term, tags = lemma_stem(word), concept_tags(word)
            if tags:
                found = tags
            elif self.index.idf(term) > 0:
                found = [term]
            elif word in analysis.repairs:
                found = lemma_terms(" ".join(analysis.repairs[word]))
            elif word in analysis.expansions:
                found = lemma_terms(analysis.expansions[word])
            else:
                found = [term]
            out.extend(t for t in found if t not in skip and not t.isdigit() and len(t) > 2)
        return out

    # -- does a sentence hold it --------------------------------------------------------------------
    def holds(self, cand: Candidate, analysis: QueryAnalysis, asked: Asked) -> bool:
        """The sentence holds the kind of fact asked for, about the subject asked about.

        The match must not just repeat the question (a year or name it already contains), the
        sentence's passage must hold most of the question's subject words, and for "hoeveel X"
        the number must stand next to X ("19.175 studenten").
        """
        alone = analysis.answer_type in OWN_PASSAGE_FACTS
        if asked.subject and self.topicality(asked.subject, cand.chunk_index, alone) < 0.5:
            return False
        # a year the question names is part of what is asked ("in 2022"): the passage must name it
        if asked.years and not all(year in self._around_text(cand.chunk_index) for year in asked.years):
            return False
        return any(self._fact_fits(match, cand, analysis, asked) for match in analysis.evidence.finditer(cand.text))

    def _fact_fits(self, match: re.Match, cand: Candidate, analysis: QueryAnalysis, asked: Asked) -> bool:
        token = match.group(0).strip()
        if not token or fold(token) in asked.folded:
            return False
        if analysis.answer_type == "person" and not self.looks_like_name(token):
            return False
        if asked.role and not prefix_match(asked.role, self._context_terms(cand)):
            return False  # "wie is de wethouder": a name in a sentence naming that role
        if analysis.answer_type == "count":
            before = cand.text[:match.start()]
            if not before.strip() and lexicon().pattern("item_number").match(cand.text[match.start():]):
                return False  # "3 Uit het ...", "3. Thuiszitten is geen optie": a footnote or item number
            if lexicon().pattern("reference_before").search(before):
                return False  # "de in punt 4 beschreven diensten": a reference, not a count
        if asked.counted:
            stem_, tags = asked.counted
            window = cand.text[max(0, match.start() - 45): match.end() + 45]
            near = set(analyze(window, with_concepts=False)) | set(lemma_terms(window))
            if not (any(prefix_match(stem_, {w}) for w in near) or set(tags) & set(concept_tags(fold(window)))
                    or (stem_.startswith("procent") and "%" in window)):
                return False
        return True

    def looks_like_name(self, text: str) -> bool:
        """Capitalised words that never occur lowercase in the corpus: a person's name, not 'Commissie'."""
        if fold(text) in self.places or any(fold(w) in self.places for w in text.split()):
            return False  # a place, or a team named after one
        parts = [w for w in text.split() if w.lower() not in NAME_PARTICLES]
        if self._lower is None:
            self._lower = {w for c in self.index.chunks for w in re.findall(r"\b[a-zà-ÿ]{2,}\b", c.text)}
        return len(parts) >= 2 and all(w.lower() not in self._lower for w in parts)

    def topicality(self, subject: list[str], chunk_index: int, alone: bool = False) -> float:
        """IDF-weighted share of the subject words in a passage and its neighbours (a heading and
        the figures under it may fall in adjacent chunks); with ``alone``, in the passage itself.
        A word the index never saw weighs as the rarest and must occur as it is (a prefix match
        would let 'jeugdhulpcontractteam' pass on 'jeugdhulp')."""
        found: set[str] = set()
        for other in self.index.around(chunk_index, alone):
            found |= terms(f"{other.title}. {other.section}. {other.text}")
        weights = [(t, self.index.idf(t)) for t in subject]
        total = sum(w or self.index.max_idf() for _, w in weights)
        if not total:
            return 1.0
        return sum(w or self.index.max_idf() for t, w in weights
                   if (t in found if w == 0 else prefix_match(t, found))) / total

    def _context_terms(self, cand: Candidate) -> frozenset[str]:
        """Terms of a sentence with the sentences before and after it; a record sentence ("Aanbieders:
        ...") also has its record's first line, which names what the record is about."""
        chunk = self.index.chunks[cand.chunk_index]
        spans, _ = self.index.sentences_of(cand.chunk_index)
        k = next((i for i, (a, _) in enumerate(spans) if a == cand.start), 0)
        parts = [chunk.text[a:b] for a, b in spans[max(0, k - 1): k + 2]]
        if chunk.kind == "record" and spans:
            parts.append(chunk.text[spans[0][0]:spans[0][1]])
        return terms(" ".join(parts))

    def _around_text(self, chunk_index: int) -> str:
        return " ".join(f"{c.title} {c.section} {c.text}" for c in self.index.around(chunk_index))


def evidence_strength(text: str, analysis: QueryAnalysis) -> int:
    """2 for a date question answered by a full date ("25 januari 2022"), else 1 (a year inside a title)."""
    full_date = lexicon().pattern("full_date")
    return 2 if analysis.answer_type == "date" and full_date.search(text) else 1


def counted_noun(analysis: QueryAnalysis) -> tuple[str, list[str]] | None:
    """The stem (and concept tags) of what "hoeveel ..." counts: 'hoeveel vo leerlingen' -> 'leerling'."""
    lex = lexicon()
    folded = fold(analysis.question)
    match = lex.pattern("counted_noun").search(folded)
    if not match:
        return None
    skip, units = lex.words("count_skip"), lex.pattern("time_units")
    for word in folded[match.start(1):].split():
        word = re.sub(r"[^0-9a-z&]", "", word)
        if word and word not in skip and not units.match(word):
            stems = lemma_terms(word)
            return (stems[0], concept_tags(word)) if stems else None
    return None
