"""Exact answers from inventory records: complete lists, each item cited.

Top-k passages return fragments of a list; the inventory holds every item with a verbatim
source quote. Two kinds of question are answered from it (the intent says which):

- list questions ("welke oza-pilots lopen er in het vo?", "welke gemeenten horen bij de regio?"):
  every matching record of one kind, each cited with its own passage;
- questions after an enumeration a document gives ("wat zijn de elementen van de kansencirkel?",
  "wie zitten er in de cvt?"): every item of the list, each cited with the document passage
  naming it.

Anything else returns None and the router tries the next route.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.citations import Citations, locate_quote
from assistant.answer.matching import coverage
from assistant.answer.shape import join_items, list_lines
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.records import EnumList, Inventory, chunk_id_of
from assistant.core.text import fold, lemma_stem, lemma_terms, match_terms, stop_words, words
from assistant.core.types import Composition, QueryAnalysis
from assistant.inventory.lookup import lookup
from assistant.inventory.regions import gemeenten

MAX_RECORDS = 30  # a longer list of records is not what one question asks for
MAX_TIED_LISTS = 3  # more equally matching enumerations: the question does not say which it means
UNSEEN_IDF = 6.0  # about log(passages): a word no passage holds is rarer than any it does


def list_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    """A complete list for a list or enumeration question, or None."""
    if analysis.intent.list_ask:
        listed = _records_answer(inv, analysis, index)
        if listed is not None:
            return listed
    return _enumeration_answer(inv, analysis, index)


# -- records of one kind ----------------------------------------------------------------------------
def _records_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    question = _folded(analysis)
    noun = next((n for n in lexicon().list_nouns if n.pattern.search(question)), None)
    if noun is None:
        return None
    kind, label = noun.kind, noun.label
    if kind == "region":
        if _topic_words(inv, analysis):
            return None  # "welke gemeenten hebben al een afwegingskader?" asks about some gemeenten, not the region's
        return _gemeenten_answer(inv, analysis, index)
    level = analysis.levels[0] if len(analysis.levels) == 1 else None
    records = lookup(inv, kind=kind, level=level)
    if analysis.regions:
        records = [r for r in records if set(r.region_names) & set(analysis.regions)]
    cited = [(r, _record_chunk(index, kind, r.id)) for r in records]
    cited = [(r, c) for r, c in cited if c is not None]
    topic = _topic_words(inv, analysis)
    if topic:
        cited = _on_topic(cited, topic, index)
    if not cited or len(cited) > MAX_RECORDS:
        return None
    where = f" in {join_items(analysis.regions)}" if analysis.regions else ""
    level_part = f" voor het {level}" if level else ""
    citations = Citations()
    items = []
    for record, ci in cited:
        n = _cite_source(citations, index, ci, record.sources[0].quote)
        name, detail = _describe(record, kind, multi_region=not analysis.regions)
        items.append((name, detail, f"[{n}]"))
    lines = list_lines(f"De {label}{level_part}{where}", items)
    return Composition("\n".join(lines), list(citations), False, 1.0, route="list")


def _cite_source(citations: Citations, index: Index, record_chunk: int, quote: str, doc_id: str | None = None) -> int:
    """Cite the plan passage holding a record's source quote; the record itself when none does."""
    found = locate_quote(index, quote, doc_id or index.chunks[record_chunk].doc_id)
    if found is not None:
        return citations.add(index.chunks[found[0]], found[1], merge=True)
    return citations.add(index.chunks[record_chunk], quote, merge=True)


def _on_topic(cited: list, topic: list[str], index: Index) -> list:
    """Records whose passage holds at least half of the topic words (lemma-aware), best first.

    'welke acties staan onder de beweging over thuiszitters' keeps the rows of the movement that
    speaks of '(dreigend) thuiszit...', without demanding every word of the question.
    """
    terms = set(lemma_terms(" ".join(topic)))
    if not terms:
        return cited
    scored = [(coverage(terms, match_terms(index.chunks[ci].text)), n, (r, ci)) for n, (r, ci) in enumerate(cited)]
    kept = [(c, n, item) for c, n, item in scored if c >= 0.5]
    return [item for _, _, item in sorted(kept, key=lambda x: (-x[0], x[1]))]


def _topic_words(inv: Inventory, analysis: QueryAnalysis) -> list[str]:
    """Words of the question that narrow the list to a topic (not list words, places or stop words)."""
    stops, list_words = stop_words(), lexicon().words("list_words")
    region_words = {w for r in analysis.regions for w in words(r)} | {w for r in analysis.regions
                                                                      for g in gemeenten(r, inv) for w in words(g)}
    return [w for w in words(_folded(analysis)) if w not in stops and w not in list_words and w not in region_words
            and len(w) > 3 and not w.isdigit()]


def _describe(record, kind: str, multi_region: bool) -> tuple[str, str | None]:
    """(name, detail) of a record as a list item: an action with who and when, an arrangement with
    its target group and partners; the region when the list spans regions."""
    if kind == "action":
        name = record.action.rstrip(".")
        who = join_items(getattr(record, "responsible", []) or [])
        when = getattr(record, "when", None)
        detail = ", ".join(filter(None, [f"door {who}" if who else "", f"in de periode {when}" if when else ""]))
    else:
        name = record.name
        target = getattr(record, "target_group", None)
        partners = getattr(record, "partners", None) or []
        detail = ", ".join(filter(None, [target or "", f"met {join_items(partners)}" if partners else ""]))
    if multi_region:
        detail = ", ".join(filter(None, [detail, join_items(record.region_names)]))
    return name, detail or None


def _gemeenten_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    if not analysis.regions:
        return None
    lines = []
    citations = Citations()
    for region_name in analysis.regions:
        region = inv.region(region_name)
        chunk_index = _record_chunk(index, "region", region.id) if region else None
        if region is None or chunk_index is None:
            continue
        n = _cite_source(citations, index, chunk_index, region.sources[0].quote)
        names = gemeenten(region.name, inv)
        lines.append(f"Bij {inv.region_label(region.name)} horen {len(names)} gemeenten: {join_items(names)}. [{n}]")
    if not citations:
        return None
    return Composition("\n".join(lines), list(citations), False, 1.0, route="list")


# -- enumerations a document gives (lists.yaml) -------------------------------------------------------
def _enumeration_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    """Every item of the enumeration the question names, each cited with the document passage naming it.

    A list matches when its title and aliases hold the question's topic (IDF-weighted, lemma-aware):
    at least 60 % for an explicit list question ("welke", "noem", "wie zitten er in"), every topic
    word for "wat is ..." questions, whose answer is only a list when the question names nothing else.
    """
    intent = analysis.intent
    explicit = intent.enumeration
    if not (inv.lists and (explicit or (intent.enumeration_what and not intent.definition))):
        return None  # "wat is oogo?" asks what a term means, not for the list of OOGO partners
    if analysis.answer_type is not None:
        return None  # "tot welke leeftijd ...", "hoeveel ...": one fact is asked, not a list
    place = set(analysis.place_terms) | {lemma_stem(w) for r in analysis.regions for w in words(r)}
    generic = _enum_generic_terms()
    topic = [t for t in lemma_terms(_folded(analysis)) if t not in place and t not in generic]
    if not topic:
        return None
    # a word no passage holds is the most specific of all ("contactgegevens"), not the least
    weights = {t: index.idf(t) or UNSEEN_IDF for t in topic}
    scored: list[tuple[tuple[float, float], EnumList]] = []
    for record in inv.lists:
        if analysis.regions and record.region not in analysis.regions:
            continue
        named = _enum_terms(record.title, tuple(record.aliases))
        # words naming the list's own document ("de hoofdlijnen van de uitvoeringsagenda onderwijs-jeugd")
        # say where the list is, not what it is: they may match the title, but need not
        source = _source_terms(index, record)
        asked = [t for t in topic if t in named or t not in source]
        matched = [t for t in asked if t in named]  # exact: 'contactgegevens' is not 'contact'
        if not matched:
            continue
        weighted = sum(weights[t] for t in matched) / sum(weights[t] for t in asked)
        share = len(matched) / len(asked)
        if (explicit and weighted >= 0.6 and share >= 0.5) or share == 1.0:
            scored.append(((round(weighted, 6), share), record))
    if not scored:
        return None
    best = max(key for key, _ in scored)
    tied = [record for key, record in scored if key == best]
    if len(tied) > MAX_TIED_LISTS:
        return None  # the question does not say which of many lists it means
    parts = [_enumeration_composition(inv, record, index) for record in tied]
    if any(part is None for part in parts):
        return None
    return _merge(parts)


def _merge(parts: list[Composition]) -> Composition:
    """Several equally matching lists ("welke sleutelprincipes ..."): one answer, numbering continued."""
    if len(parts) == 1:
        return parts[0]
    lines: list[str] = []
    citations = Citations()
    for part in parts:
        renumber = {c.n: citations.merge(c) for c in part.citations}
        for line in part.answer.splitlines():
            lines.append(re.sub(r"\[(\d+)\]", lambda m: f"[{renumber[int(m.group(1))]}]", line))
    return Composition("\n".join(lines), list(citations), False, 1.0, route="list")


def _source_terms(index: Index, record: EnumList) -> frozenset[str]:
    own = _record_chunk(index, "list", record.id)
    return _title_terms(index.chunks[own].title) if own is not None else frozenset()


@lru_cache(maxsize=64)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(match_terms(title))


@lru_cache(maxsize=4096)
def _enum_terms(title: str, aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(match_terms(" ".join([title, *aliases])))


@lru_cache(maxsize=1)
def _enum_generic_terms() -> frozenset[str]:
    generic = lexicon().words("enum_generic")
    return frozenset(lemma_stem(w) for w in generic) | generic


def _enumeration_composition(inv: Inventory, record: EnumList, index: Index) -> Composition | None:
    citations = Citations()
    items = []
    own = _record_chunk(index, "list", record.id)
    doc_id = index.chunks[own].doc_id if own is not None else None
    for item in record.items:
        found = locate_quote(index, item.source.quote, doc_id)
        ci, quote = found if found else (own, item.text)  # the record's passage names every item
        if ci is None:
            return None
        n = citations.add(index.chunks[ci], quote, merge=True)
        items.append((item.text, item.detail.rstrip(".") if item.detail else None, f"[{n}]"))
    return Composition("\n".join(list_lines(record.title, items)), list(citations), False, 1.0, route="list")


def _record_chunk(index: Index, kind: str, record_id: str) -> int | None:
    return index.by_id.get(chunk_id_of(kind, record_id))


def _folded(analysis: QueryAnalysis) -> str:
    return fold(analysis.rewritten)

