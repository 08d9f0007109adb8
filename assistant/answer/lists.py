"""Exact answers from the curated inventories: complete lists and contact routes.

Top-k passages return fragments of a list; the inventory holds every item with a verbatim
source quote. Two kinds of question are answered from it:

- list questions ("welke oza-pilots lopen er in het vo in regio alkmaar?", "welke gemeenten
  horen bij haaglanden?"): every matching record, each cited with its own passage;
- questions after an enumeration a document gives ("wat zijn de elementen van de kansencirkel?",
  "wie zitten er in de cvt?"): every item of the list in lists.yaml, each cited with the
  document passage that names it;
- contact questions naming a gemeente ("leerling woont in delft, zit op school in den haag,
  welk lokaal team?"): the route of :func:`assistant.inventory.lookup.resolve_contact`, with the
  woongemeente/schoolgemeente distinction (grensverkeer) as the sources describe it.

Anything else returns None and the extractive answer stands.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from assistant.answer.extractive import ITEM_MARK, coverage
from assistant.core.records import EnumList, Inventory
from assistant.inventory.lookup import lookup
from assistant.inventory.regions import gemeenten
from assistant.inventory.resolve import resolve_contact
from assistant.core.index import Index
from assistant.core.text import fold, lemma_stem, lemma_terms, match_terms, squash, stop_words, words
from assistant.core.types import Citation, Composition, QueryAnalysis

_LIST_ASK = re.compile(r"\b(welke|wat zijn (de|alle)|noem|lijst|overzicht|alle|opsomming|opsommen)\b")
_LIST_NOUNS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"\bgemeenten?\b"), "region", "gemeenten"),
    (re.compile(r"\b(acties|activiteiten|prioriteiten|projecten)\b"), "action", "acties"),
    (re.compile(r"\b(pilots?|oza'?s?|oja'?s?|onderwijs-?\s?zorg\s?arrangement\w*|onderwijs-?\s?jeugdhulp\s?arrangement\w*|"
                r"arrangement\w*|voorzieningen|bovenschoolse)\b"), "arrangement", "arrangementen"),
]
# words that describe the list itself, not a topic to filter on
_LIST_WORDS = {"welke", "lopen", "loopt", "zijn", "er", "alle", "beweging", "bewegingen", "staan", "staat", "onder",
               "over", "projecten", "project", "zodat", "gericht", "horen", "vallen", "valt", "genoemd", "noemt", "noem", "lijst", "overzicht", "pilot", "pilots",
               "oza", "ozas", "oza's", "oja", "ojas", "oja's", "arrangement", "arrangementen", "onderwijs",
               "zorgarrangement", "zorgarrangementen", "onderwijszorgarrangement", "onderwijszorgarrangementen",
               "jeugdhulparrangement", "jeugdhulparrangementen", "voorzieningen", "bovenschoolse", "acties",
               "activiteiten", "gemeenten", "gemeente", "regio", "horen", "hoort", "bij", "in", "het", "de", "van",
               "voor", "po", "vo", "so", "vso", "sbo", "pro", "mbo", "lopende", "momenteel", "nu", "op", "zitten",
               "welk", "wat", "allemaal", "er", "heeft", "hebben", "kent", "kennen", "s", "zorg", "jeugdhulp",
               "samenwerkingsverband", "swv", "primair", "voortgezet", "speciaal", "basisonderwijs", "uitvoeringsagenda",
               "prioriteiten"}
_CONTACT_ASK = re.compile(r"lokaa?le? team|wijkteam|\bbellen\b|inschakelen|benaderen|contact opnemen|aankloppen|"
                          r"\bterecht\b|bij wie|welk team|naar wie|wie moet(en)? (ik|we|wij)|wie (kan|kunnen) (ik|we)|"
                          r"wie is (ons|mijn|het) (aanspreekpunt|contact)")
_WOON = re.compile(r"(woont|wonend|woonachtig|komt uit|woonplaats|afkomstig uit|woont in)\s+(in\s+)?$")
_SCHOOL = re.compile(r"(school|zit|gaat|staat|les|onderwijs|ingeschreven)\s+(\w+\s+){0,3}(in|te)\s+$")


def answer_from_inventory(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    """An exact inventory answer for list and contact questions, or None."""
    question = fold(analysis.rewritten)
    if _CONTACT_ASK.search(question):
        contact = _contact_answer(inv, analysis, index, question)
        if contact is not None:
            return contact
    if _LIST_ASK.search(question):
        listed = _list_answer(inv, analysis, index, question)
        if listed is not None:
            return listed
    return _enumeration_answer(inv, analysis, index, question)


# -- lists ---------------------------------------------------------------------------------------
def _list_answer(inv: Inventory, analysis: QueryAnalysis, index: Index, question: str) -> Composition | None:
    for pattern, kind, label in _LIST_NOUNS:
        if pattern.search(question):
            break
    else:
        return None
    if kind == "region":
        if _topic_words(inv, analysis, question):
            return None  # "welke gemeenten hebben al een afwegingskader?" asks about some gemeenten, not the region's
        return _gemeenten_answer(inv, analysis, index)
    level = analysis.levels[0] if len(analysis.levels) == 1 else None
    records = lookup(inv, kind=kind, level=level)
    if analysis.regions:
        records = [r for r in records if set(r.region_names) & set(analysis.regions)]
    cited = [(r, _record_chunk(index, kind, r.id)) for r in records]
    cited = [(r, c) for r, c in cited if c is not None]
    topic = _topic_words(inv, analysis, question)
    if topic:
        cited = _on_topic(cited, topic, index)
    if not cited or len(cited) > 30:
        return None
    if not cited:
        return None
    where = f" in {', '.join(analysis.regions)}" if analysis.regions else ""
    level_part = f" voor het {level}" if level else ""
    lines = [f"Volgens de regionale inventaris zijn dit de {label}{level_part}{where} ({len(cited)}):"]
    citations = []
    for n, (record, ci) in enumerate(cited, start=1):
        chunk = index.chunks[ci]
        lines.append(f"- {_describe(record, kind, multi_region=not analysis.regions)} [{n}]")
        citations.append(Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title,
                                  page=chunk.page_start, section=chunk.section, text=chunk.text,
                                  quote=record.sources[0].quote))
    return Composition("\n".join(lines), citations, False, 1.0)


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


def _topic_words(inv: Inventory, analysis: QueryAnalysis, question: str) -> list[str]:
    stops = stop_words()
    region_words = {w for r in analysis.regions for w in words(r)} | {w for r in analysis.regions
                                                                      for g in gemeenten(r, inv) for w in words(g)}
    return [w for w in words(question) if w not in stops and w not in _LIST_WORDS and w not in region_words
            and len(w) > 3 and not w.isdigit()]


def _describe(record, kind: str, multi_region: bool) -> str:
    if kind == "action":
        who = ", ".join(getattr(record, "responsible", []) or [])
        when = getattr(record, "when", None)
        text = f"{record.action}" + (f" — wie: {who}" if who else "") + (f" — wanneer: {when}" if when else "")
    else:
        text = record.name
        target = getattr(record, "target_group", None)
        if target:
            text += f": {target}"
        partners = getattr(record, "partners", None) or []
        if partners:
            text += f" (partners: {', '.join(partners)})"
    if multi_region:
        text += f" — {', '.join(record.region_names)}"
    return text


def _gemeenten_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    if not analysis.regions:
        return None
    lines, citations = [], []
    for region_name in analysis.regions:
        region = inv.region(region_name)
        chunk_index = _record_chunk(index, "region", region.id) if region else None
        if region is None or chunk_index is None:
            continue
        chunk = index.chunks[chunk_index]
        n = len(citations) + 1
        lines.append(f"- {region.name}: {', '.join(gemeenten(region.name, inv))} [{n}]")
        citations.append(Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title,
                                  page=chunk.page_start, section=chunk.section, text=chunk.text,
                                  quote=region.sources[0].quote))
    if not citations:
        return None
    return Composition("\n".join(["Volgens de regionale inventaris horen deze gemeenten bij de regio:", *lines]),
                       citations, False, 1.0)


# -- enumerations (lists.yaml) ---------------------------------------------------------------------
# "welke pijlers ...", "wat zijn de elementen ...", "wie zitten er in ...", "noem de ...", "uit welke ...
# bestaat": the question asks for the items of a list
_ENUM_ASK = re.compile(r"\b(welke|wat zijn|noem|lijst|opsomming|opsommen|wie zit(ten)?|uit wie|waaruit|"
                       r"bestaa?t uit|uit welke|onderdelen|elementen)\b")
# "wat is de big 5", "wat houdt de kansencirkel in": a list only when the title names everything asked
_ENUM_WHAT = re.compile(r"\b(wat (is|zijn|houdt|houden|betekent|omvat)|hoe ziet)\b")
_ENUM_GENERIC = {"welke", "welk", "wat", "zijn", "noem", "noemen", "alle", "allemaal", "zitten", "zit", "bestaan",
                 "bestaat", "wie", "kent", "kennen", "hebben", "heeft", "staan", "staat", "genoemd", "noemt", "lijst",
                 "opsomming", "opsommen", "precies", "houdt", "houden", "betekent", "omvat", "ziet", "daarin",
                 "erin", "hierin", "the", "volgens", "plan", "document", "stuk", "swv", "swvs", "samenwerkingsverband",
                 "samenwerkingsverbanden", "gemeente", "gemeenten", "regio"}


def _enumeration_answer(inv: Inventory, analysis: QueryAnalysis, index: Index, question: str) -> Composition | None:
    """Every item of the enumeration the question names, each cited with the document passage naming it.

    A list matches when its title and aliases hold the question's topic (IDF-weighted, lemma-aware):
    at least 60 % for an explicit list question ("welke", "noem", "wie zitten er in"), every topic
    word for "wat is ..." questions, whose answer is only a list when the question names nothing else.
    """
    explicit = bool(_ENUM_ASK.search(question))
    if not (inv.lists and (explicit or (_ENUM_WHAT.search(question) and not analysis.asks_definition))):
        return None  # "wat is oogo?" asks what a term means, not for the list of OOGO partners
    if analysis.answer_type is not None:
        return None  # "tot welke leeftijd ...", "hoeveel ...": one fact is asked, not a list
    place = set(analysis.place_terms) | {lemma_stem(w) for r in analysis.regions for w in words(r)}
    topic = [t for t in lemma_terms(question) if t not in place and t not in _ENUM_GENERIC_TERMS]
    if not topic:
        return None
    # a word no passage holds is the most specific of all ("contactgegevens"), not the least
    weights = {t: index.idf(t) or _UNSEEN_IDF for t in topic}
    scored: list[tuple[tuple[float, float], EnumList]] = []
    for record in inv.lists:
        if analysis.regions and record.region not in analysis.regions:
            continue
        named = _enum_terms(record)
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


MAX_TIED_LISTS = 3


def _merge(parts: list[Composition]) -> Composition:
    """Several equally matching lists ("welke sleutelprincipes ..."): one answer, numbering continued."""
    if len(parts) == 1:
        return parts[0]
    lines: list[str] = []
    citations: list[Citation] = []
    for part in parts:
        renumber: dict[int, int] = {}
        for citation in part.citations:
            same = next((c for c in citations if c.chunk_id == citation.chunk_id), None)
            if same is None:
                same = citation.model_copy(update={"n": len(citations) + 1})
                citations.append(same)
            elif citation.quote not in same.quote:
                same.quote = f"{same.quote} … {citation.quote}"
            renumber[citation.n] = same.n
        for line in part.answer.splitlines():
            lines.append(re.sub(r"\[(\d+)\]", lambda m: f"[{renumber[int(m.group(1))]}]", line))
    return Composition("\n".join(lines), citations, False, 1.0)


def _source_terms(index: Index, record: EnumList) -> frozenset[str]:
    own = _record_chunk(index, "list", record.id)
    return _title_terms(index.chunks[own].title) if own is not None else frozenset()


@lru_cache(maxsize=64)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(match_terms(title))


def _enum_terms(record: EnumList) -> frozenset[str]:
    cached = _ENUM_TERMS.get(record.id)
    if cached is None:
        cached = _ENUM_TERMS[record.id] = frozenset(match_terms(" ".join([record.title, *record.aliases])))
    return cached


_ENUM_TERMS: dict[str, frozenset[str]] = {}
_UNSEEN_IDF = 6.0  # about log(passages): rarer than any word the passages hold
_ENUM_GENERIC_TERMS = frozenset(lemma_stem(w) for w in _ENUM_GENERIC) | _ENUM_GENERIC


def _enumeration_composition(inv: Inventory, record: EnumList, index: Index) -> Composition | None:
    citations: list[Citation] = []
    lines = []
    quotes: dict[int, list[str]] = {}
    own = _record_chunk(index, "list", record.id)
    doc_id = index.chunks[own].doc_id if own is not None else None
    for item in record.items:
        found = locate_quote(index, item.source.quote, doc_id)
        ci, quote = found if found else (own, item.text)  # the record's passage names every item
        if ci is None:
            return None
        n = _cite(citations, index, ci, quote)
        quotes.setdefault(n, [])
        if quote not in quotes[n]:
            quotes[n].append(quote)
        detail = f": {item.detail.rstrip('.')}" if item.detail else ""
        lines.append(f"- {item.text}{detail} [{n}]")
    for citation in citations:
        citation.quote = " … ".join(quotes.get(citation.n, [citation.quote]))
    doc_title = citations[0].title if citations else record.source.doc
    lead = f"Volgens {doc_title} ({inv.region_label(record.region)}), {record.title} ({len(record.items)}):"
    return Composition("\n".join([lead, *lines]), citations, False, 1.0)


# -- contacts ------------------------------------------------------------------------------------
def _contact_answer(inv: Inventory, analysis: QueryAnalysis, index: Index, question: str) -> Composition | None:
    woon, school = _pupil_gemeenten(inv, question)
    if woon is None:
        return None
    need = analysis.rewritten
    level = analysis.levels[0] if len(analysis.levels) == 1 else None
    resolution = resolve_contact(inv, woon, school, need=need, level=level)
    if not resolution.known or not resolution.routes:
        return None
    where = f"die in {woon} woont" + (f" en in {school} naar school gaat" if school and school != woon else "")
    lines = [f"Voor een leerling {where} beschrijven de bronnen deze route:"]
    citations: list[Citation] = []
    for route in resolution.routes:
        ci = _record_chunk(index, "contact", route.record_id)
        if ci is None:
            continue
        n = _cite(citations, index, ci, route.source.quote)
        rule = f" — {route.rule}" if route.rule else ""
        lines.append(f"- {route.need}: {route.party} ({route.based_on} {route.gemeente or route.region}){rule} [{n}]")
    for note in resolution.notes:
        if note.source is None:
            continue
        ci = _chunk_with_quote(index, note.source.quote)
        if ci is None:
            continue
        n = _cite(citations, index, ci, note.source.quote)
        lines.append(f"- Let op: {note.text} [{n}]")
    if not citations:
        return None
    return Composition("\n".join(lines), citations, False, 1.0)


def _pupil_gemeenten(inv: Inventory, question: str) -> tuple[str | None, str | None]:
    names = sorted({g for region in inv.regions for g in gemeenten(region.name, inv)}, key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])", question):
            if any(a <= match.start() < b for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), name))
    found.sort()
    woon = school = None
    for start, name in found:
        before = question[max(0, start - 40):start]
        if _WOON.search(before) and woon is None:
            woon = name
        elif _SCHOOL.search(before) and school is None:
            school = name
    rest = [name for _, name in found if name not in (woon, school)]
    if woon is None and rest:
        woon = rest.pop(0)
    if school is None and rest:
        school = rest.pop(0)
    if woon is None and school is not None:
        woon, school = school, None
    return woon, school


# -- shared --------------------------------------------------------------------------------------
def _record_chunk(index: Index, kind: str, record_id: str) -> int | None:
    return index.by_id.get(f"inv-{kind}#{record_id}")


def _chunk_with_quote(index: Index, quote: str, doc_id: str | None = None) -> int | None:
    """The first document passage (not a record) holding ``quote``, spacing and hyphenation aside."""
    found = locate_quote(index, quote, doc_id)
    return found[0] if found else None


def locate_quote(index: Index, quote: str, doc_id: str | None = None) -> tuple[int, str] | None:
    """(passage, the part of ``quote`` it holds) for the first document passage holding the quote.

    Cleaning may have dropped a bullet ("o Inzicht ...") or a passage may end inside the quoted
    line; then the quote without its bullet, or its longer half (whole words), is looked for. A
    quote spanning table cells is found in the row holding its cells in order.
    """
    passages = [(i, text) for i, text in _squashed_passages(index)
                if doc_id is None or index.chunks[i].doc_id == doc_id]
    trimmed = ITEM_MARK.sub("", quote).strip()
    words = trimmed.split()
    middle = len(words) // 2
    halves = [" ".join(words[:middle + 1]), " ".join(words[middle:])] if len(words) >= 4 else []
    for needle in (quote, trimmed, *sorted(halves, key=len, reverse=True)):
        squashed = squash(needle)
        if len(squashed) < 12:
            continue
        for i, text in passages:
            if squashed in text:
                return i, needle
    # a quote across table columns ("Platform Jeugd  Opschalingssystematiek"): the indexed row puts
    # its column labels between the cells ("Wie: Platform Jeugd | Waarom: Opschalingssystematiek")
    raw_cells = [cell for cell in re.split(r"\s{2,}", quote.strip()) if squash(cell)]
    cells = [squash(cell) for cell in raw_cells]
    if len(cells) > 1 and sum(map(len, cells)) >= 12:
        for i, text in passages:
            at = 0
            for cell in cells:
                at = text.find(cell, at)
                if at < 0:
                    break
                at += len(cell)
            else:
                return i, " … ".join(raw_cells)  # each cell as it stands in the row
    return None




def _squashed_passages(index: Index) -> list[tuple[int, str]]:
    key = id(index.chunks)
    cached = _SQUASHED.get(key)
    if cached is None or cached[0] is not index.chunks:
        _SQUASHED.clear()  # one index at a time: a new generation replaces the old one
        cached = _SQUASHED[key] = (index.chunks, [(i, squash(c.text)) for i, c in enumerate(index.chunks)
                                                  if c.kind != "record"])
    return cached[1]


_SQUASHED: dict[int, tuple[list, list[tuple[int, str]]]] = {}


def _cite(citations: list[Citation], index: Index, chunk_index: int, quote: str) -> int:
    chunk = index.chunks[chunk_index]
    for c in citations:
        if c.chunk_id == chunk.chunk_id:
            return c.n
    n = len(citations) + 1
    citations.append(Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title,
                              page=chunk.page_start, section=chunk.section, text=chunk.text, quote=quote))
    return n


# -- origins of cited records ----------------------------------------------------------------------
_BRONTEKST = re.compile(r"Brontekst: (.+)$", re.S)
MAX_ORIGINS = 3


def with_origins(composition: Composition, index: Index, query_vector: np.ndarray | None = None) -> Composition:
    """Each cited inventory record brings the document passage it rests on as a citation of its own.

    A record restates lines of a plan; the coach should read the line in the plan itself. For at
    most ``MAX_ORIGINS`` cited records the answer gains "In het document: “quote” [m]", citing the
    document passage that holds one of the record's source quotes: with the query vector, the
    quote whose passage has the sentence closest to the question (a record on an action quotes its
    title, its party and its aim, and the question asks after one of them); without, the first.
    A passage is cited once, even if several records share it.
    """
    if composition.refused:
        return composition
    records = [c for c in composition.citations if c.chunk_id.startswith("inv-")]
    if not records or len(records) > MAX_ORIGINS:
        return composition
    citations = list(composition.citations)
    cited = {c.chunk_id for c in citations}
    lines = []
    for record in records:
        quotes = re.findall(r"“([^”]+)”", (_BRONTEKST.search(record.text) or [None, ""])[1])
        # (passage, the part of the quote it holds: what is shown must stand in the cited passage)
        located = [found for quote in quotes if (found := locate_quote(index, quote)) is not None]
        if query_vector is not None and len(located) > 1:
            located.sort(key=lambda item: -_closeness(index, item[0], query_vector))
        for ci, quote in located[:1]:
            if index.chunks[ci].chunk_id in cited:
                continue
            n = _cite(citations, index, ci, quote)
            cited.add(index.chunks[ci].chunk_id)
            lines.append(f"- In het document ({_page_text(index.chunks[ci])}): “{quote}” [{n}]")
    if not lines:
        return composition
    return Composition("\n".join([composition.answer, *lines]), citations, composition.refused, composition.support,
                       composition.reason)


def _closeness(index: Index, chunk_index: int, query_vector: np.ndarray) -> float:
    """Cosine of the question with the passage's closest sentence (vectors precomputed at ingest)."""
    _, vectors = index.sentences_of(chunk_index)
    return float((vectors @ query_vector).max()) if len(vectors) else 0.0


def _page_text(chunk) -> str:
    return f"{chunk.title}, p. {chunk.page_start}" if chunk.page_start else chunk.title
