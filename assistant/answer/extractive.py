"""The extractive composer: an answer made only of sentences the sources contain.

Candidate sentences come from the top passages; each is scored against the question by its
precomputed e5 vector (cosine with the query vector), by how many of the question's content
words and domain concepts it holds, and by the rank of its passage. The best ones are ordered
by passage and position and cited with ``[n]``. Nothing is generated, so nothing is stated that
the sources don't say. When the sources do not hold the answer (an asked-for phone number,
amount or date is absent; the place asked about is not covered; too little of the question is
supported), the composer refuses and points to the nearest passages instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from assistant.core.index import Index
from assistant.core.text import EXPANSIONS, analyze, concept_tags, fold, lemma_stem, lemma_terms, match_terms, stem, stop_words, words
from assistant.core.types import Citation, Composition, Hit, QueryAnalysis

_GENERIC = frozenset(lemma_terms(
    "bron bronnen plan plannen staat zegt zeggen document informatie regel gaat gaan doen komen welk welke graag "
    "wet vraag weet weten krijgen geef geven noem noemen vertel vertellen uitleg zit zitten bedoelen bedoeld "
    "betekent betekenen precies eigenlijk kunnen moeten willen hebben zijn worden"))
# words that name the kind of fact asked for, not its subject ("telefoonnummer van het CJG")
_ASK_WORDS = frozenset(lemma_terms(
    "telefoonnummer nummer tel mail mailadres e-mail adres naam heet heten contactpersoon datum wanneer periode "
    "wachttijd lang hoelang hoeveel aantal bedrag budget euro kost kosten geld jaar jaren week weken dag dagen "
    "maand maanden start starten gestart begonnen begint lopen loopt tijd leeftijd leeftijden oud "
    "beslaat beslaan omvat omvatten duurt duren geldt gelden"))
# function words the stop list misses: they say nothing of what a question is about
_FILLER = frozenset(lemma_terms(
    "vanaf sinds totdat mocht mogen mochten max maximaal maximum minimaal minimum minstens hoogstens iemand "
    "iets ooit nog alleen echt heel erg soms vaak nieuw nieuwe huidige"))
# a request to assert something or to drop the rules is not a question to the sources
_DIRECTIVE = re.compile(r"\b(zeg|schrijf|antwoord|beweer|bevestig)\s+(gewoon\s+|maar\s+)?(dat|met)\b|"
                        r"\b(vergeet|negeer)\s+(je|jouw|de|alle|al je)\s+(bronnen|instructies|regels|opdracht)|"
                        r"\b(systeemprompt|system prompt|je prompt|jouw prompt)\b|\bdoe alsof\b")
_LIST_QUESTION = re.compile(r"\b(welke|wat zijn( de)?|noem|elementen|onderdelen|pijlers|hoofdlijnen|actielijnen|ambities|"
                            r"niveaus|leden|wie zitten|zitten er in|bestaat uit|opsomming)\b")
_DEFINITION = re.compile(r"\b(wat is|wat zijn|wat betekent|wat bedoel\w*|waar staat|staat .* voor|afkorting|betekenis)\b")
ITEM_MARK = re.compile(r"^\s*([•\-–*▪o]|\d+[.)]|[a-z][.)])\s+")  # a list item's bullet or number
_ASKS_WHO = re.compile(r"\bwie\b|verantwoordelijk|verantwoordleijk|\bwelke partij")
_NAMES_PARTY = re.compile(r"(^|\|\s)Wie:|\bis verantwoordelijk\b|\bverantwoordelijk voor\b")
# "wat zijn de contactgegevens", "hoe bereik ik ...": the address, e-mail and phone lines answer it
_ASKS_CONTACT = re.compile(r"contactgegevens|contactinfo|contact ?informatie|\bbereik(en|baar)?\b|contact (met .* )?opnemen|"
                           r"neem ik contact|contact leggen")
_CONTACT_LINE = re.compile(r"^(Adres|E-mail|Telefoon|Website):|@[\w-]+\.\w+|\(0\d{2,3}\)|\b0\d{2,3}-\d{6,7}\b")
_URLISH = re.compile(r"https?://|www\.|\.(nl|pdf|php|html)\b|RIS\d+")
_UNITS = re.compile(r"^(jaar|jaren|maanden|maand|weken|week|dagen|dag)$")


def _prefix_match(term: str, found: frozenset[str] | set[str]) -> bool:
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
    return sum(1 for t in wanted if _prefix_match(t, found)) / len(wanted)


@dataclass
class Candidate:
    hit_rank: int
    chunk_index: int
    start: int
    end: int
    text: str
    score: float
    dense: float
    lexical: float


_TERM_CACHE: dict[str, frozenset[str]] = {}


def _terms(text: str) -> frozenset[str]:
    """Analyzed terms of a passage or sentence; cached, since passages repeat across questions."""
    terms = _TERM_CACHE.get(text)
    if terms is None:
        if len(_TERM_CACHE) > 50_000:
            _TERM_CACHE.clear()
        terms = _TERM_CACHE[text] = frozenset(match_terms(text))
    return terms


def question_terms(analysis: QueryAnalysis) -> tuple[set[str], set[str]]:
    """Content stems and concept tags of the question, minus generic chat words and regions."""
    concepts = set(concept_tags(fold(analysis.rewritten))) - {"§verantwoordelijk", "§zk", "§nk", "§hgl"}
    places = " ".join(r for r in analysis.regions)
    region_words = set(lemma_terms(places)) | analysis.place_terms
    content = {t for t in lemma_terms(analysis.rewritten) if t not in _GENERIC and t not in region_words and len(t) > 2}
    return content, concepts


class ExtractiveComposer:
    """Picks and orders the sentences that answer the question from the top passages."""

    def __init__(self, index: Index, max_citations: int = 4, max_sentences: int = 6,
                 min_support: float = 0.34, passages: int = 6, places: set[str] | None = None) -> None:
        self.index = index
        self.places = {fold(p) for p in places or ()}  # region and gemeente names: never a person's name
        self.max_citations = max_citations
        self.max_sentences = max_sentences
        self.min_support = min_support
        self.passages = passages

    def candidates(self, analysis: QueryAnalysis, hits: list[Hit], query_vector: np.ndarray) -> list[Candidate]:
        content, concepts = question_terms(analysis)
        wanted = content | concepts
        asks_who = bool(_ASKS_WHO.search(fold(analysis.question)))
        asks_contact = bool(_ASKS_CONTACT.search(fold(analysis.question)))
        out: list[Candidate] = []
        for rank, hit in enumerate(hits[: self.passages]):
            ci = self.index.by_id[hit.chunk.chunk_id]
            spans, vectors = self.index.sentences_of(ci)
            dense = vectors @ query_vector if len(spans) else np.zeros(0)
            labels = {fold(hit.chunk.title), fold(hit.chunk.section), *map(fold, hit.chunk.section_path)}
            # a record's closing "Brontekst: “…”" repeats line fragments; the answer cites the line itself
            quotes_at = hit.chunk.text.find("Brontekst:") if hit.chunk.kind == "record" else -1
            for k, ((start, end), sim) in enumerate(zip(spans, dense)):
                text = hit.chunk.text[start:end].strip()
                if len(text) < 12 or fold(text).rstrip(" .:") in labels or (0 <= quotes_at <= start + 2) or (
                        hit.chunk.kind == "record" and text.startswith(("Brontekst:", "Ook genoemd:", "“", '"', "…"))):
                    continue  # a heading, a title, or a record's quote fragment repeated is no answer
                lexical = coverage(wanted, _terms(text))
                if text.endswith(":") and k + 1 < len(spans):
                    # a label ("Besluit College d.d. 25 januari 2022:") is about what it introduces
                    following = hit.chunk.text[spans[k + 1][0]:spans[k + 1][1]]
                    lexical = max(lexical, coverage(wanted, _terms(following)))
                score = float(sim) + 0.35 * lexical - 0.012 * rank
                if asks_contact and _CONTACT_LINE.search(text):
                    score += 0.3  # an address, e-mail or phone number is the answer, links included
                elif _URLISH.search(text):
                    score -= 0.15  # bibliography lines and links are not answers
                if asks_who and _NAMES_PARTY.search(text):
                    score += 0.15  # "wie pakt ... op?" is answered by the sentence naming the party
                if hit.chunk.chunk_id.startswith("inv-glossary#") and not _DEFINITION.search(fold(analysis.question)):
                    score -= 0.1  # an abbreviation's expansion answers only "what is X"
                if analysis.evidence is not None and analysis.evidence.search(text):
                    score += 0.12  # it holds the kind of fact asked for (a number, a date ...)
                out.append(Candidate(rank, ci, start, end, text, score, float(sim), lexical))
        return out

    def support(self, analysis: QueryAnalysis, hits: list[Hit]) -> float:
        """Share of the question's content words found in the best three passages."""
        content, concepts = question_terms(analysis)
        found: set[str] = set()
        for hit in hits[:3]:
            found |= _terms(f"{hit.chunk.title}. {hit.chunk.section}. {hit.chunk.text}")
        return coverage(content | concepts, found)

    def _subject(self, analysis: QueryAnalysis) -> list[str]:
        """What the question is about, without the words naming the fact asked for. For a
        follow-up the user's own words come first ('wanneer heeft haarlem dat vastgesteld?')."""
        return self._subject_of(analysis, analysis.question) or self._subject_of(analysis, analysis.rewritten)

    def _subject_of(self, analysis: QueryAnalysis, text: str) -> list[str]:
        """The subject terms of ``text``: one entry per distinct word, so two words for one concept
        ('thuiszitters', 'thuiszitten') weigh twice. A domain concept counts as its tag, found in any
        of its spellings ('vastgesteld' in "in te stemmen met", 'jop' in "Jeugdondersteuningsplan").
        A word the index never saw counts by what the analyzer repaired it to (a typo fixed, a
        compound split: 'jeugdhulpcontracten' -> 'jeugdhulp', 'contracten'); one it could not
        repair stays in, so a fact about something the sources never mention is not answered with
        the same kind of fact about something else."""
        skip = _ASK_WORDS | _GENERIC | _FILLER | analysis.place_terms
        out: list[str] = []
        for word in dict.fromkeys(words(text)):
            if word in stop_words() or (len(word) <= 2 and not word.isdigit()) or stem(word) in analysis.place_terms:
                continue  # a place narrows the search; it is not what the passage must be about
            term, tags = lemma_stem(word), concept_tags(word)
            if tags:
                terms = tags
            elif self.index.idf(term) > 0:
                terms = [term]
            elif word in analysis.repairs:
                terms = lemma_terms(" ".join(analysis.repairs[word]))
            elif word in EXPANSIONS:
                terms = lemma_terms(EXPANSIONS[word])
            else:
                terms = [term]
            out.extend(t for t in terms if t not in skip and not t.isdigit() and len(t) > 2)
        return out

    def _lowercase_words(self) -> set[str]:
        if not hasattr(self, "_lower"):
            self._lower = {w for c in self.index.chunks for w in re.findall(r"\b[a-zà-ÿ]{2,}\b", c.text)}
        return self._lower

    def _looks_like_name(self, text: str) -> bool:
        """Capitalised words that never occur lowercase in the corpus: 'Anne Veldt', not 'Commissie'."""
        if fold(text) in self.places or any(fold(w) in self.places for w in text.split()):
            return False  # "Den Haag", "Jeugdhulp Haaglanden"
        parts = [w for w in text.split() if w.lower() not in {"van", "de", "der", "den"}]
        lower = self._lowercase_words()
        return len(parts) >= 2 and all(w.lower() not in lower for w in parts)

    def _topicality(self, subject: list[str], chunk_index: int, alone: bool = False) -> float:
        """IDF-weighted share of the subject words in a passage and its neighbours (a heading and
        the figures under it may fall in adjacent chunks); with ``alone``, in the passage itself.
        A word the index never saw weighs as the rarest and must occur as it is (a prefix match
        would let 'jeugdhulpcontractteam' pass on 'jeugdhulp')."""
        found: set[str] = set()
        for other in self._around(chunk_index, alone):
            found |= _terms(f"{other.title}. {other.section}. {other.text}")
        weights = [(t, self.index.idf(t)) for t in subject]
        total = sum(w or self.index.max_idf() for _, w in weights)
        if not total:
            return 1.0
        return sum(w or self.index.max_idf() for t, w in weights
                   if (t in found if w == 0 else _prefix_match(t, found))) / total

    def _context_terms(self, cand: Candidate) -> frozenset[str]:
        """Terms of a sentence with the sentences before and after it; a record sentence ("Aanbieders:
        ...") also has its record's first line, which names what the record is about."""
        chunk = self.index.chunks[cand.chunk_index]
        spans, _ = self.index.sentences_of(cand.chunk_index)
        k = next((i for i, (a, _) in enumerate(spans) if a == cand.start), 0)
        parts = [chunk.text[a:b] for a, b in spans[max(0, k - 1): k + 2]]
        if chunk.kind == "record" and spans:
            parts.append(chunk.text[spans[0][0]:spans[0][1]])
        return _terms(" ".join(parts))

    def _around(self, chunk_index: int, alone: bool = False) -> list:
        """A passage with its neighbours in the same document; a record (or ``alone``) by itself."""
        chunk = self.index.chunks[chunk_index]
        if chunk.kind == "record" or alone:
            return [chunk]
        return self.index.neighbours(chunk.chunk_id, radius=1) or [chunk]

    def _around_text(self, chunk_index: int) -> str:
        return " ".join(f"{c.title} {c.section} {c.text}" for c in self._around(chunk_index))

    def _evidence_ok(self, cand: Candidate, analysis: QueryAnalysis, asked: "_Asked") -> bool:
        """The sentence holds the kind of fact asked for, about the subject asked about.

        The match must not just repeat the question (a year or name it already contains), the
        sentence's passage must hold most of the question's subject words, and for "hoeveel X"
        the number must stand next to X ("19.175 studenten").
        """
        # a phone number or a name belongs to what its own passage is about, not the next one's
        alone = analysis.answer_type in {"phone", "email", "address", "person"}
        if asked.subject and self._topicality(asked.subject, cand.chunk_index, alone) < 0.5:
            return False
        # a year the question names is part of what is asked ("in 2022"): the passage must name it
        if asked.years and not all(year in self._around_text(cand.chunk_index) for year in asked.years):
            return False
        counted = asked.counted
        for match in analysis.evidence.finditer(cand.text):
            token = match.group(0).strip()
            if not token or fold(token) in asked.folded:
                continue
            if analysis.answer_type == "person" and not self._looks_like_name(token):
                continue
            if asked.role and not _prefix_match(asked.role, self._context_terms(cand)):
                continue  # "wie is de wethouder": a name in a sentence naming that role
            if analysis.answer_type == "count" and not cand.text[:match.start()].strip() and re.match(
                    r"\d+[.)]?\s+[A-Z]", cand.text[match.start():]):
                continue  # "3 Uit het ...", "3. Thuiszitten is geen optie": a footnote or item number, not a count
            if counted:
                stem_, tags = counted
                window = cand.text[max(0, match.start() - 45): match.end() + 45]
                near = set(analyze(window, with_concepts=False)) | set(lemma_terms(window))
                if not (any(_prefix_match(stem_, {w}) for w in near) or set(tags) & set(concept_tags(fold(window)))
                        or (stem_.startswith("procent") and "%" in window)):
                    continue
            return True
        return False

    def compose(self, analysis: QueryAnalysis, hits: list[Hit], query_vector: np.ndarray) -> Composition:
        if not hits:
            return self.refuse(analysis, hits, "Er zijn geen passages gevonden voor deze vraag.")
        if _DIRECTIVE.search(fold(analysis.question)):
            return self.refuse(analysis, hits, "Wegwijs zegt alleen wat de bronnen zeggen en volgt geen opdrachten om "
                                               "iets anders te beweren of instructies te tonen.")
        if analysis.unknown_places and not analysis.regions:
            places = ", ".join(p.title() for p in analysis.unknown_places)
            covered = ", ".join(sorted({h.chunk.region for h in hits if h.chunk.region}))
            return self.refuse(analysis, hits, f"Wegwijs heeft geen plannen voor {places}; de bronnen gaan over "
                                               f"{covered}.")
        support = self.support(analysis, hits)
        candidates = self.candidates(analysis, hits, query_vector)
        if analysis.evidence is not None:
            asked = _Asked.of(analysis, self._subject(analysis))
            with_evidence = [c for c in candidates if self._evidence_ok(c, analysis, asked)]
            if not with_evidence:
                what = {"phone": "telefoonnummer", "email": "e-mailadres", "address": "adres", "money": "bedrag",
                        "duration": "termijn of wachttijd", "period": "periode", "person": "naam", "count": "aantal",
                        "age": "leeftijd",
                        "date": "datum of termijn"}.get(analysis.answer_type or "", "gegeven")
                return self.refuse(analysis, hits, f"De bronnen noemen hier geen {what} voor.", support)
            best = max(c.score for c in with_evidence)
            # the sentences holding the fact lead: a sentence that only shares the question's words may
            # join them, never push them out (a full date beats a bare year in a title)
            strength = {id(c): _evidence_strength(c.text, analysis) for c in with_evidence}
            strongest = max(strength.values())
            lifted = [replace(c, score=c.score + (EVIDENCE_LIFT if strength[id(c)] == strongest else 0.0))
                      for c in with_evidence]
            candidates = lifted + [c for c in candidates if c not in with_evidence and c.score >= best]
            return self._answer(analysis, candidates, hits, support)  # on-topic evidence answers it
        if support < self.min_support or not candidates:
            return self.refuse(analysis, hits, "De gevonden passages beantwoorden deze vraag niet.", support)
        return self._answer(analysis, self._lift_new_ask(analysis, candidates), hits, support)

    def _lift_new_ask(self, analysis: QueryAnalysis, candidates: list[Candidate]) -> list[Candidate]:
        """A follow-up ("wie betaalt dat?") is retrieved with the earlier turn's words, which the
        sentences restating that turn match best; the answer must address what is newly asked. The
        sentence holding most of the follow-up's own words leads; among equals, the one from the
        passage ranked highest for the conversation's topic."""
        if analysis.rewritten == analysis.question or not candidates:
            return candidates
        own = [t for t in self._subject_of(analysis, analysis.question) if not t.startswith("§verantwoordelijk")]
        if not own:
            return candidates
        fit = {id(c): coverage(set(own), _terms(c.text)) for c in candidates}
        addressing = [c for c in candidates if fit[id(c)] >= 0.5]
        if not addressing:
            return candidates
        # most of the new ask, in the passage that best fits the conversation's topic
        lead = max(addressing, key=lambda c: (fit[id(c)], -c.hit_rank, c.score))
        top = max(c.score for c in candidates)
        return [replace(c, score=top + 0.01) if c is lead else c for c in candidates]

    def _answer(self, analysis: QueryAnalysis, candidates: list[Candidate], hits: list[Hit],
                support: float) -> Composition:
        best = max(c.score for c in candidates)
        listing = bool(_LIST_QUESTION.search(fold(analysis.question)))
        chosen: list[Candidate] = []
        chunks_used: list[int] = []
        for cand in sorted(candidates, key=lambda c: -c.score):
            if cand.score < best - 0.09 or len(chosen) >= self.max_sentences:
                break
            if any(fold(cand.text) == fold(c.text) for c in chosen):
                continue
            if cand.chunk_index not in chunks_used:
                if len(chunks_used) >= self.max_citations:
                    continue
                chunks_used.append(cand.chunk_index)
            chosen.append(cand)
        chosen = self._with_list_continuation(chosen, candidates, listing)
        chosen = self._with_record_headline(chosen, candidates)
        chosen = self._with_document_twin(chosen, candidates, analysis, chunks_used)
        order = {ci: n for n, ci in enumerate(sorted(chunks_used, key=lambda ci: min(
            c.hit_rank for c in chosen if c.chunk_index == ci)), start=1)}
        citations = []
        for ci, n in sorted(order.items(), key=lambda kv: kv[1]):
            chunk = self.index.chunks[ci]
            quote = " … ".join(c.text for c in sorted((c for c in chosen if c.chunk_index == ci),
                                                      key=lambda c: c.start))
            citations.append(Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title,
                                      page=chunk.page_start, section=chunk.section, text=chunk.text, quote=quote))
        lines = [self._lead(analysis, citations)]
        for cand in sorted(chosen, key=lambda c: (order[c.chunk_index], c.start)):
            lines.append(f"- {_tidy(cand.text)} [{order[cand.chunk_index]}]")
        return Composition("\n".join(lines), citations, False, support)

    def _with_list_continuation(self, chosen: list[Candidate], candidates: list[Candidate],
                                listing: bool = False) -> list[Candidate]:
        """A chosen sentence that announces a list (ends with ':' or opens a numbered list) brings
        the items after it; for a list question, the list items that follow the best sentence too."""
        extra: list[Candidate] = []
        for rank, cand in enumerate(chosen):
            tail = cand.text.rstrip()[-12:]
            announces = ":" in tail or bool(re.search(r"\b1[.)]$", tail))
            if not announces and not (listing and rank == 0):
                continue
            following = sorted((c for c in candidates if c.chunk_index == cand.chunk_index and c.start > cand.start),
                               key=lambda c: c.start)
            items = following[:8] if announces else [c for c in following if ITEM_MARK.match(c.text)][:8]
            extra.extend(c for c in items if c not in chosen and c not in extra)
        return chosen + extra

    def _with_document_twin(self, chosen: list[Candidate], candidates: list[Candidate], analysis: QueryAnalysis,
                            chunks_used: list[int]) -> list[Candidate]:
        """A fact taken from an inventory record ("jeugdigen van 0 tot 23 jaar") is also shown as the
        plan itself states it, when a retrieved plan sentence holds the same figure: the record is a
        restatement, the plan is the source the coach checks."""
        if analysis.evidence is None:
            return chosen
        extra: list[Candidate] = []
        for cand in chosen:
            if self.index.chunks[cand.chunk_index].kind != "record":
                continue
            facts = {fold(m.group(0)).strip() for m in analysis.evidence.finditer(cand.text)} - {""}
            twins = [c for c in candidates if self.index.chunks[c.chunk_index].kind != "record"
                     and c not in chosen and c not in extra
                     and facts & {fold(m.group(0)).strip() for m in analysis.evidence.finditer(c.text)}]
            if twins:
                twin = max(twins, key=lambda c: c.score)
                extra.append(twin)
                if twin.chunk_index not in chunks_used:
                    chunks_used.append(twin.chunk_index)
        return chosen + extra

    def _with_record_headline(self, chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
        """A record's address, e-mail or phone line says nothing without its first line naming whose
        it is ("Contact en route ...: voor algemene vragen → ... secretariaat"): that line joins it."""
        extra: list[Candidate] = []
        for cand in chosen:
            if self.index.chunks[cand.chunk_index].kind != "record" or not _CONTACT_LINE.search(cand.text):
                continue
            own = [c for c in candidates if c.chunk_index == cand.chunk_index]
            head = min(own, key=lambda c: c.start)
            if head not in chosen and head not in extra and not _CONTACT_LINE.search(head.text):
                extra.append(head)
        return chosen + extra

    @staticmethod
    def _lead(analysis: QueryAnalysis, citations: list[Citation]) -> str:
        titles = list(dict.fromkeys(c.title for c in citations))
        where = f" ({', '.join(analysis.regions)})" if analysis.regions else ""
        source = titles[0] if len(titles) == 1 else f"{len(titles)} documenten"
        return f"Dit zeggen de bronnen{where}, volgens {source}:"

    def refuse(self, analysis: QueryAnalysis, hits: list[Hit], reason: str, support: float = 0.0) -> Composition:
        nearest = hits[:2]
        citations = [Citation(n=n, chunk_id=h.chunk.chunk_id, doc_id=h.chunk.doc_id, title=h.chunk.title,
                              page=h.chunk.page_start, section=h.chunk.section, text=h.chunk.text,
                              quote=_first_sentence(h.chunk.text))
                     for n, h in enumerate(nearest, start=1)]
        text = f"Dat staat niet in de bronnen die Wegwijs kent. {reason}"
        if citations:
            pointers = "; ".join(f"{c.title}" + (f", p. {c.page}" if c.page else "") + f" [{c.n}]" for c in citations)
            text += f"\nWat het dichtst in de buurt komt: {pointers}."
        return Composition(text, citations, True, support, reason)


@dataclass
class _Asked:
    """What a fact question asks, worked out once per question for checking every candidate."""

    folded: str  # the question, folded: a match that merely repeats it is no answer
    subject: list[str]
    counted: tuple[str, list[str]] | None  # "hoeveel X": the stem and concept tags of X
    role: str | None  # "wie is de wethouder": the role a name must stand with
    years: set[str]  # years the question names: the passage must name them too

    @classmethod
    def of(cls, analysis: QueryAnalysis, subject: list[str]) -> "_Asked":
        folded = fold(analysis.question)
        role = re.search(r"\bwie is de (\w+)", folded) if analysis.answer_type == "person" else None
        return cls(folded=folded, subject=subject,
                   counted=_counted_noun(analysis) if analysis.answer_type == "count" else None,
                   role=lemma_stem(role.group(1)) if role else None,
                   years=set(re.findall(r"\b(?:19|20)\d{2}\b", folded)))


EVIDENCE_LIFT = 0.25
_FULL_DATE = re.compile(r"\b\d{1,2}\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                        r"december)\s+(19|20)\d{2}\b|\bd\.d\.\s*\d", re.IGNORECASE)


def _evidence_strength(text: str, analysis: QueryAnalysis) -> int:
    """2 for a date question answered by a full date ("25 januari 2022"), else 1 (a year inside a title)."""
    return 2 if analysis.answer_type == "date" and _FULL_DATE.search(text) else 1


def _counted_noun(analysis: QueryAnalysis) -> tuple[str, list[str]] | None:
    """The stem (and concept tags) of what "hoeveel ..." counts: 'hoeveel vo leerlingen' -> 'leerling'."""
    match = re.search(r"\bhoeveel\s+((?:\w+\s+){0,2}?)(\w{3,})", fold(analysis.question))
    if not match:
        return None
    skip = {"vo", "po", "mbo", "so", "vso", "sbo", "pro", "extra", "nieuwe", "individuele"}
    words_after = fold(analysis.question)[match.start(1):].split()
    for word in words_after:
        word = re.sub(r"[^0-9a-z&]", "", word)
        if word and word not in skip and not _UNITS.match(word):
            stems = lemma_terms(word)
            return (stems[0], concept_tags(word)) if stems else None
    return None


def _first_sentence(text: str) -> str:
    match = re.match(r"(.{20,300}?[.!?])(\s|$)", text, flags=re.S)
    return (match.group(1) if match else text[:300]).strip()


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
