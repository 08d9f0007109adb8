"""Complete lists from what the ingest derived of any document, no curated inventory needed.

The ingest reads the enumerations of every document (bullets, numbered items, "de volgende ...:"
lead-ins, table columns; :mod:`ingest.structure`) with a verbatim quote per item. A question
that asks for several items ("noem alle momenten", "welke eisen ...") is answered with the whole
list that best fits it, taken from the passages retrieval ranked best, every item cited with the
passage that holds it. A list fits when its label (lead-in, the sentences before it, its heading
and section) and its items hold most of the question's subject (IDF-weighted, as the fact checks
weigh words); ties go to the better-ranked passage.

Example::

    composition = derived_list_answer(analysis, hits, index)
"""

from __future__ import annotations

import re

from assistant.answer.citations import Citations
from assistant.answer.matching import prefix_match, terms, word_terms
from assistant.answer.shape import list_lines, plain
from assistant.core.index import Index
from assistant.core.structure import Enumeration
from assistant.core.text import concept_tags, fold, lemma_terms
from assistant.core.types import Composition, Hit, QueryAnalysis

PASSAGES = 6  # lists standing in the best retrieved passages are the candidates
MIN_FIT = 0.45  # share of the subject (IDF-weighted) a list must hold: on the list questions of the
# calibration and external-dev sets 0.45 answers 19, 14 of them complete (0.6: 17 and 13, 0.3: 22 and 16)
_LINKING_TAIL = re.compile(r"[\s,;]+(?:en/of|en|of)$")  # "... zorgverzekeraar en/of": the link to the next item
LABEL_WEIGHT = 2.0  # a subject word in the list's label counts more than one in its items


def derived_list_answer(analysis: QueryAnalysis, hits: list[Hit], index: Index) -> Composition | None:
    """The whole derived list that best fits a question after several items, or None."""
    if not analysis.intent.several:
        return None
    subject = _subject(analysis)
    if not subject:
        return None
    best: tuple[tuple[float, int, int], Enumeration] | None = None
    for rank, hit in enumerate(hits[:PASSAGES]):
        for enum in _with_sublists(index.enumerations_in(hit.chunk.chunk_id), index):
            key = (round(_fit(subject, enum, index), 6), -rank, len(enum.items))
            if best is None or key > best[0]:
                best = (key, enum)
    if best is None or best[0][0] < MIN_FIT:
        return None
    return _compose(best[1], index)


def _with_sublists(enums: list[Enumeration], index: Index) -> list[Enumeration]:
    """The lists of a passage and the sublists nested in them (the items under an item ending in a
    colon): a sublist may stand in a passage retrieval did not rank, while the list holding it did,
    and it is the better answer when the question asks for what its parent item announces."""
    out = list(enums)
    for enum in enums:
        if enum.source == "sublist" or enum.doc_id not in index.structures:
            continue
        spans = {(it.quote.start, it.quote.end) for it in enum.items}
        for other in index.structures[enum.doc_id].of_kind("enumeration"):
            if other.source == "sublist" and other not in out \
                    and all((it.quote.start, it.quote.end) in spans for it in other.items):
                out.append(other)
    return out


def _subject(analysis: QueryAnalysis) -> list[str]:
    """The question's content terms and concept tags, without the words that only ask for a list."""
    skip = word_terms("generic") | word_terms("list_words") | word_terms("enum_generic") | word_terms("ask_words")
    skip |= analysis.place_terms | set(lemma_terms(" ".join(analysis.regions)))
    found = [t for t in lemma_terms(analysis.rewritten) if t not in skip and len(t) > 2 and not t.isdigit()]
    ignored = {"§verantwoordelijk"}
    found += [t for t in concept_tags(fold(analysis.rewritten)) if t not in ignored]
    return list(dict.fromkeys(found))


def _fit(subject: list[str], enum: Enumeration, index: Index) -> float:
    """IDF-weighted share of the subject in the list (label words counting LABEL_WEIGHT times)."""
    label = terms(" ".join([enum.title, enum.lead_in, enum.context, enum.heading, *enum.section_path]))
    items = terms(" ".join(item.text for item in enum.items))
    total = got = 0.0
    for term in subject:
        weight = index.idf(term) or index.max_idf()
        total += weight * LABEL_WEIGHT
        if prefix_match(term, label):
            got += weight * LABEL_WEIGHT
        elif prefix_match(term, items):
            got += weight
    return got / total if total else 0.0


def _compose(enum: Enumeration, index: Index) -> Composition | None:
    """The list as an answer: its lead-in (or title), then every item, each cited with its own passage."""
    citations = Citations()
    lead = next((q for q in enum.quotes if q.text == enum.lead_in), None) if enum.lead_in else None
    title = enum.title or enum.heading
    marks = ""
    if lead is not None and lead.chunk_id in index.by_id:
        marks = f"[{citations.add(index.chunks[index.by_id[lead.chunk_id]], lead.text, merge=True)}]"
        title = enum.lead_in
    items = []
    for item in enum.items:
        if item.quote.chunk_id not in index.by_id:
            return None
        n = citations.add(index.chunks[index.by_id[item.quote.chunk_id]], item.quote.text, merge=True)
        items.append((_LINKING_TAIL.sub("", plain(item.text).rstrip(" .;,")), None, f"[{n}]"))
    return Composition("\n".join(list_lines(_tidy(title), items, marks)), list(citations), False, 1.0, route="list")


def _tidy(text: str) -> str:
    return " ".join(text.split())
