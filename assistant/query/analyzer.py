"""Understanding a question as coaches type it: regions, typos, compounds, follow-ups.

``QueryAnalyzer.analyze(question, history, region)`` returns what retrieval and answering need:
the rewritten question (follow-ups resolved), the regions to search (explicit, or inferred from
gemeente and region names), the BM25 tokens and the text for the dense model (abbreviations
expanded, typos and split/joined compounds repaired against the index vocabulary), and the kind
of fact the question asks for (phone number, amount, date ...), which decides refusals.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.core.lexicon import lexicon
from assistant.core.places import Gazetteer, PlaceMention
from assistant.core.records import Inventory
from assistant.core.structure import Definition
from assistant.core.termsets import word_counts
from assistant.core.text import PlaceTags, analyze, fold, stop_words, typo_repairs, words
from assistant.core.types import DocMeta, Message, QueryAnalysis
from assistant.query.intent import classify

NO_REGION = frozenset({"", "onbekend"})


class QueryAnalyzer:
    """Turns a raw question (plus history) into a :class:`QueryAnalysis`.

    Built once per index from what the index covers: the documents' regions and gemeenten (from
    the manifest or derived at ingest), the curated regions with their aliases when the corpus has
    an inventory, the gazetteer of Dutch places (a woonplaats, a former gemeente, a province leads
    to the gemeenten the index covers), the abbreviations the documents define, and the index
    vocabulary (typo and compound repair).
    """

    def __init__(self, metas: list[DocMeta], vocabulary: Counter[str], inventory: Inventory | None = None,
                 gazetteer: Gazetteer | None = None, definitions: list[Definition] | None = None,
                 region_tags: PlaceTags | None = None) -> None:
        self.regions = sorted({m.region for m in metas if m.region not in NO_REGION})
        places: dict[str, set[str]] = {}

        def add(name: str, region: str) -> None:
            if name and region in self.regions:
                places.setdefault(fold(name).strip(), set()).add(region)

        for meta in metas:
            add(meta.region, meta.region)
            for gemeente in meta.gemeenten:
                add(gemeente, meta.region)
        for region in inventory.regions if inventory is not None else []:
            for name in (region.name, *region.aliases):
                add(name, region.name)
            for member in region.gemeenten:
                for name in (member.name, *member.aliases):
                    add(name, region.name)
        # longest names first, so "x op y" wins over "x" and "zuid-x" over "x"
        self.places = dict(sorted(((k, sorted(v)) for k, v in places.items() if v), key=lambda kv: -len(kv[0])))
        names = "|".join(re.escape(p) for p in self.places) or r"(?!x)x"  # no places: a pattern that never matches
        self._place_re = re.compile(r"(?<![\w-])(" + names + r")(?![\w-])")
        self.gazetteer = gazetteer
        self.place_tags = region_tags  # the corpus's region tags, as its BM25 index carries them
        # what an abbreviation stands for: as a document writes it out, as the curated glossary says,
        # and (first) the domain's common abbreviations of the lexicon
        self.expansions = {**_region_abbreviations(inventory), **_written_out(definitions or []),
                           **_defined_terms(inventory), **lexicon().expansions}
        self.vocabulary = vocabulary
        self._vocab_words = [w for w, n in vocabulary.items() if len(w) >= 4 and not w.isdigit()]
        self._stops = stop_words()

    # -- regions ---------------------------------------------------------------------------
    def infer_regions(self, text: str) -> tuple[list[str], list[str]]:
        """Regions named in ``text`` (by name, alias or gemeente, or by a place the gazetteer puts in a
        covered gemeente), and the places named that no indexed document covers."""
        folded = fold(text)
        found: list[str] = []
        for match in self._place_re.finditer(folded):
            found.extend(r for r in self.places[match.group(1)] if r not in found)
        unknown: list[str] = []
        for mention in self.gazetteer.find(text) if self.gazetteer is not None else []:
            if self._place_re.fullmatch(fold(mention.text).strip()):
                continue  # named as the index names it
            regions = self._covered_regions(mention)
            if regions:
                found.extend(r for r in regions if r not in found)
            else:
                unknown.append(fold(mention.text))
        return found, unknown

    def _covered_regions(self, mention: PlaceMention) -> list[str]:
        """The indexed regions a place lies in: those of its gemeente(n), or for a province or
        region, those of the member gemeenten the index covers."""
        gemeenten = list(mention.gemeenten)
        if not gemeenten and self.gazetteer is not None:
            area = self.gazetteer.region(mention.name)
            gemeenten = list(area.gemeenten) if area is not None else []
        return sorted({r for g in gemeenten for r in self.places.get(fold(g), [])})

    # -- follow-ups ------------------------------------------------------------------------
    def rewrite(self, question: str, history: list[Message]) -> str:
        """Resolve a follow-up against the last user question (deterministic, no LLM)."""
        previous = [m.content for m in history if m.role == "user" and m.content.strip()]
        if not previous:
            return question
        last = previous[-1]
        folded = fold(question).strip()
        own_terms = [t for t in analyze(question, with_concepts=False)]
        new_regions, _ = self.infer_regions(question)
        lex = lexicon()
        pronoun = bool(lex.pattern("pronouns").search(folded))
        leans = bool(lex.pattern("followup_start").search(folded)) or len(own_terms) <= 2 or (pronoun and len(own_terms) <= 4)
        if not leans:
            return question
        if new_regions and len(own_terms) <= len(new_regions) + 2:
            # "en in <regio>?": the previous question, asked about the new place
            old_regions_text = self._place_re.sub(" ", fold(last))
            return f"{old_regions_text.strip()} {fold(question).strip()}".strip()
        topic = [w for w in words(last) if w not in self._stops and len(w) > 2]
        answers = [m.content for m in history if m.role == "assistant" and m.content.strip()]
        if answers and pronoun:
            # "wie betaalt dat?": 'dat' is what the last answer was about; take its first words, not
            # the scaffolding Wegwijs puts around them (lead line, [n] markers, "In het document")
            scaffold = lex.pattern("scaffold")
            body = [line for line in answers[-1].split("\n") if line.strip() and not scaffold.search(line)]
            lead = re.sub(r"\[\d+(,\s*\d+)*\]", " ", " ".join(body[:3]))
            topic += [w for w in words(lead)[:25] if w not in self._stops and len(w) > 3 and w not in topic]
        return f"{question.strip()} ({' '.join(topic)})"

    # -- lexical repair --------------------------------------------------------------------
    def repair(self, text: str) -> tuple[list[str], dict[str, list[str]]]:
        """Extra surface words (typo corrections, compound splits and joins found in the
        vocabulary), and per unknown word what it was repaired to."""
        extra: list[str] = []
        repairs: dict[str, list[str]] = {}
        tokens = words(text)
        vocab = self.vocabulary
        for i, word in enumerate(tokens):
            if i + 1 < len(tokens) and (word + tokens[i + 1]) in vocab:
                extra.append(word + tokens[i + 1])
            if word in vocab or word in self._stops or len(word) < 5 or word.isdigit() or word in self.expansions:
                continue
            split = self._split_compound(word)
            if split:
                extra.extend(split)
                repairs[word] = split
                continue
            fixes = typo_repairs(word, self._vocab_words)
            if fixes:
                extra.append(fixes[0])
                repairs[word] = [fixes[0]]
        return extra, repairs

    def _split_compound(self, word: str, depth: int = 0) -> list[str] | None:
        """Parts of a compound the vocabulary knows, longest head first and up to three parts
        ('taalontwikkelingsstoornis' -> 'taal', 'ontwikkeling', 'stoornis'), a linking 's' dropped."""
        vocab = self.vocabulary

        def known(part: str) -> bool:
            return vocab.get(part, 0) > 1

        for cut in range(len(word) - 4, 3, -1):
            head, tail = word[:cut], word[cut:]
            for h in (head, head[:-1] if head.endswith("s") else None):
                if not h or not known(h):
                    continue
                if known(tail):
                    return [h, tail]
                rest = self._split_compound(tail, depth + 1) if depth < 1 and len(tail) >= 8 else None
                if rest:
                    return [h, *rest]
        return None

    # -- everything ------------------------------------------------------------------------
    def analyze(self, question: str, history: list[Message] | None = None,
                region: str | None = None) -> QueryAnalysis:
        history = history or []
        rewritten = self.rewrite(question, history)
        folded_question = fold(rewritten)
        expanded = {w: e for w in words(rewritten) if (e := self.expansions.get(w))}
        expanded |= {t: e for t, e in self.expansions.items() if " " in t and re.search(rf"\b{re.escape(t)}\b", folded_question)}
        # an abbreviation may stand for places ("H3" -> three gemeenten): its expansion names them
        regions, unknown = self.infer_regions(" ; ".join([rewritten, *expanded.values()]))
        if region:
            regions = [r for r in self.regions if fold(r) == fold(region)] or [region]
        elif not regions and history:
            for message in reversed(history):
                if message.role == "user":
                    regions, _ = self.infer_regions(message.content)
                    if regions:
                        break
        level_words = lexicon().level_words
        levels = sorted({level_words[w] for w in words(rewritten) if w in level_words})
        extra, repairs = self.repair(rewritten)
        expansions = list(expanded.values())
        lexical_text = " ".join([rewritten, *extra, *expansions])
        intent = classify(question, rewritten)
        dense_text = rewritten if not expansions else f"{rewritten} ({'; '.join(dict.fromkeys(expansions))})"
        place_terms = {t for m in self._place_re.finditer(fold(rewritten))
                       for t in analyze(m.group(1), with_concepts=False)}
        place_terms |= {t for r in self.regions for t in analyze(r, with_concepts=False)}
        return QueryAnalysis(question=question, rewritten=rewritten, regions=regions, levels=levels,
                             unknown_places=unknown, intent=intent, bm25_tokens=analyze(lexical_text, places=self.place_tags),
                             dense_text=dense_text, place_terms=place_terms, repairs=repairs,
                             expansions=expanded)


def build_vocabulary(texts: list[str]) -> Counter[str]:
    """Surface-word counts of the indexed passages (folded), for typo and compound repair
    (:meth:`assistant.core.index.Index.word_counts` has them stored at ingest)."""
    return word_counts(texts)


def _defined_terms(inventory: Inventory | None) -> dict[str, str]:
    """Abbreviations the curated glossary says a document writes out ("H3" -> the gemeenten it means)."""
    if inventory is None:
        return {}
    return {fold(entry.term): entry.expansion for entry in inventory.glossary
            if entry.defined_in_source and entry.expansion and (len(entry.term) <= 8 or " " in entry.term.strip())}


def _written_out(definitions: list[Definition]) -> dict[str, str]:
    """Abbreviations the documents write out ("de Basis Jeugdhulp (hierna: BJH)"), the most frequent
    reading of each when documents differ."""
    readings: dict[str, Counter[str]] = {}
    for d in definitions:
        if d.form == "abbreviation" and 2 <= len(d.term) <= 8 and d.definition:
            readings.setdefault(fold(d.term), Counter())[d.definition] += 1
    return {term: counts.most_common(1)[0][0] for term, counts in readings.items()}


def _region_abbreviations(inventory: Inventory | None) -> dict[str, str]:
    """A region's short alias in the curated data ("ZK") written out as the region's name, so the
    dense model reads the name it knows."""
    if inventory is None:
        return {}
    return {fold(alias): region.name for region in inventory.regions for alias in region.aliases
            if len(alias) <= 5 and " " not in alias.strip()}
