"""Growing a chosen set of sentences where one alone says too little.

Three passes, each a pure function over the chosen and the candidate sentences:

- :func:`with_list_continuation`: a sentence announcing a list brings its items;
- :func:`with_record_headline`: a record's address/e-mail/phone line brings the line naming whose it is;
- :func:`with_document_twin`: a fact taken from an inventory record is also shown as the plan states it.
"""

from __future__ import annotations

from assistant.answer.evidence import Candidate
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.text import fold
from assistant.core.types import QueryAnalysis

MAX_ITEMS = 8  # list items brought along by one announcing sentence


def with_list_continuation(chosen: list[Candidate], candidates: list[Candidate], listing: bool = False
                           ) -> list[Candidate]:
    """A chosen sentence that announces a list (ends with ':' or opens a numbered list) brings
    the items after it; for a list question, the list items that follow the best sentence too."""
    lex = lexicon()
    opens, item_mark = lex.pattern("opens_numbered_list"), lex.pattern("item_mark")
    extra: list[Candidate] = []
    for rank, cand in enumerate(chosen):
        tail = cand.text.rstrip()[-12:]
        announces = ":" in tail or bool(opens.search(tail))
        if not announces and not (listing and rank == 0):
            continue
        following = sorted((c for c in candidates if c.chunk_index == cand.chunk_index and c.start > cand.start),
                           key=lambda c: c.start)
        items = following[:MAX_ITEMS] if announces else [c for c in following if item_mark.match(c.text)][:MAX_ITEMS]
        extra.extend(c for c in items if c not in chosen and c not in extra)
    return chosen + extra


def with_record_headline(chosen: list[Candidate], candidates: list[Candidate], index: Index) -> list[Candidate]:
    """A record's address, e-mail or phone line says nothing without its first line naming whose
    it is ("Contact en route ...: voor algemene vragen → ... secretariaat"): that line joins it."""
    contact_line = lexicon().pattern("contact_line")
    extra: list[Candidate] = []
    for cand in chosen:
        if index.chunks[cand.chunk_index].kind != "record" or not contact_line.search(cand.text):
            continue
        own = [c for c in candidates if c.chunk_index == cand.chunk_index]
        head = min(own, key=lambda c: c.start)
        if head not in chosen and head not in extra and not contact_line.search(head.text):
            extra.append(head)
    return chosen + extra


def with_document_twin(chosen: list[Candidate], candidates: list[Candidate], analysis: QueryAnalysis,
                       chunks_used: list[int], index: Index) -> list[Candidate]:
    """A fact taken from an inventory record ("jeugdigen tot 18 jaar") is also shown as the
    plan itself states it, when a retrieved plan sentence holds the same figure: the record is a
    restatement, the plan is the source the coach checks. A twin's passage joins ``chunks_used``."""
    if analysis.evidence is None:
        return chosen

    def facts(text: str) -> set[str]:
        return {fold(m.group(0)).strip() for m in analysis.evidence.finditer(text)} - {""}

    extra: list[Candidate] = []
    for cand in chosen:
        if index.chunks[cand.chunk_index].kind != "record":
            continue
        wanted = facts(cand.text)
        twins = [c for c in candidates if index.chunks[c.chunk_index].kind != "record"
                 and c not in chosen and c not in extra and wanted & facts(c.text)]
        if twins:
            twin = max(twins, key=lambda c: c.score)
            extra.append(twin)
            if twin.chunk_index not in chunks_used:
                chunks_used.append(twin.chunk_index)
    return chosen + extra
