"""Enumerations: the lists a document gives, each item with its own text and quote.

Recognised, in order of evidence:

* **bullets**: a run of ``•`` list items (the cleaner normalises ``-``, ``o``, ``▪``); one
  continuation paragraph between two items does not end the run (``• Zichtbaarheid: ...`` /
  paragraph / ``• Bekendheid: ...``), a heading, a table or a second paragraph does;
* **sublists**: the items under an item that ends with a colon (``• ... alleen bij aanbieders:`` /
  ``• van acute ggz ...`` / ``• met aanbod van ...``);
* **numbered / lettered**: ``1.``, ``2)`` ... or ``a.``, ``b.`` in sequence, whether the cleaner made
  an item a list item or a heading, with sub-bullets and explanations between them; a sequence of
  headings only counts when at most :data:`GAP_HEADINGS` blocks separate them (chapters are no list);
* **lead_in**: short paragraphs after a paragraph ending in a colon (``Voorbeeldzinnen:``);
* **inline**: ``X: a, b en c`` or ``X bestaat uit a, b en c`` inside one sentence;
* **table_column**: the cells of one column across the rows of a table.

Each list is titled by its lead-in sentence (the sentence before it that ends in a colon or says
``de volgende``/``onderstaande``) and otherwise by the heading above it.
"""

from __future__ import annotations

import re

from assistant.core.types import Block, CleanDocument
from ingest.structure.base import (
    QUOTE_MARKS,
    Marker,
    contains_phrase,
    heading_of,
    label_of,
    last_sentence,
    marker_of,
    place,
    quote,
    sentence_count,
    sentence_spans,
    table_cells,
    trim_phrase,
)
from ingest.structure.inline import extract_inline_lists
from assistant.core.structure import EnumItem, Enumeration, Quote
from ingest.structure.words import structure_words

GAP_ITEMS = 4  # blocks (explanations, sub-bullets) allowed between two numbered items
GAP_HEADINGS = 2  # ... when every item is a heading
LEAD_ITEM_MAX_CHARS = 300
LEAD_ITEM_MAX_SENTENCES = 3
LABELLED_ITEM_MAX_CHARS = 700
CONTEXT_SENTENCES = 2  # sentences before a lead-in kept as the list's context
CONTEXT_MAX_CHARS = 300


def extract_enumerations(doc: CleanDocument) -> list[Enumeration]:
    """All enumerations of ``doc``, in document order (a table of contents is none)."""
    records = [
        *_marker_runs(doc),
        *_ordered_lists(doc, "number"),
        *_ordered_lists(doc, "letter"),
        *_lead_in_lists(doc),
        *extract_inline_lists(doc),
        *_table_columns(doc),
    ]
    records = [r for r in records if not _is_contents(r)]
    return sorted(records, key=lambda r: (r.quotes[0].start, r.source))


def _is_contents(enum: Enumeration) -> bool:
    """Entries with dot leaders to a page number (``Inleiding ........ 3``): a table of contents."""
    leaders = sum(1 for it in enum.items if re.search(r"\.{5,}|…{2,}", it.text))
    return leaders * 2 >= len(enum.items)


# --- helpers ------------------------------------------------------------------------------------


def _item(block: Block, marker: Marker | None) -> EnumItem:
    q = quote(block, marker.length if marker else 0)
    return EnumItem(text=q.text, label=label_of(q.text), marker=block.text[: marker.length].strip() if marker else "",
                    quote=q)


def _lead_in(blocks: list[Block], i: int) -> tuple[Block | None, tuple[int, int] | None]:
    """The block that announces the list starting at ``blocks[i]`` and the span of its lead-in
    sentence (None for a heading, which titles the list by itself)."""
    if i == 0:
        return None, None
    prev = blocks[i - 1]
    if prev.kind == "table_row":
        return None, None
    if prev.kind == "heading":
        return prev, None
    parent = marker_of(prev.text)
    if prev.kind == "list_item" and parent is not None and parent.kind != "bullet" \
            and (marker_of(blocks[i].text) or parent).kind == "bullet":
        return prev, (0, len(prev.text))  # bullets right under a numbered item are its sub-items
    a, b = last_sentence(prev)
    sentence = prev.text[a:b].rstrip()
    if sentence.endswith(":") or any(contains_phrase(sentence, cue) for cue in structure_words().lead_in.cues):
        return prev, (a, b)
    return None, None


def _title(text: str) -> str:
    marker = marker_of(text)
    return trim_phrase(text[marker.length:] if marker else text)


def _enumeration(doc: CleanDocument, blocks: list[Block], first: int, items: list[EnumItem],
                 source: str) -> Enumeration:
    lead_block, span = _lead_in(blocks, first)
    quotes: list[Quote] = []
    lead = context = ""
    if lead_block is not None and span is not None:
        q = quote(lead_block, *span)
        quotes.append(q)
        lead = q.text
        before = [sb for sb in sentence_spans(lead_block) if sb[1] <= span[0]][-CONTEXT_SENTENCES:]
        if before and before[-1][1] - before[0][0] <= CONTEXT_MAX_CHARS:
            c = quote(lead_block, before[0][0], before[-1][1])
            quotes.insert(0, c)
            context = c.text
    where = place(doc, blocks[first])
    heading = heading_of(blocks[first])
    if lead_block is not None and lead_block.kind == "heading":
        heading = lead_block.text
    elif lead_block is not None:
        # a list stands where it is announced: items that are headings themselves ("1. Doelgroep")
        # would otherwise put it under the heading above the lead-in's own
        where["section_path"] = list(lead_block.section_path)
        heading = heading_of(lead_block)
    title = _title(lead) if lead else heading
    return Enumeration(**where, quotes=[*quotes, *(it.quote for it in items)],
                       source=source, title=title, lead_in=lead, context=context, heading=heading, items=items)


# --- bullets and unmarked list items ---------------------------------------------------------------


def _kind(block: Block) -> str | None:
    """``bullet`` or ``plain`` for a list item (``plain``: a list item without a marker), else None."""
    if block.kind != "list_item":
        return None
    marker = marker_of(block.text)
    if marker is None:
        return "plain"
    return "bullet" if marker.kind == "bullet" else None


def _bridges(paragraph: Block, last_item: Block) -> bool:
    """A paragraph that continues the item before it rather than ending the list."""
    text = paragraph.text.rstrip()
    question_title = text.endswith("?") and len(text) <= 100  # ``Zijn effecten al zichtbaar?``
    return (paragraph.kind == "paragraph" and paragraph.section_path == last_item.section_path
            and not text.endswith(":") and not question_title and text[:1] not in QUOTE_MARKS)


def _marker_runs(doc: CleanDocument) -> list[Enumeration]:
    blocks = doc.blocks
    out: list[Enumeration] = []
    i = 0
    while i < len(blocks):
        kind = _kind(blocks[i])
        if kind is None:
            i += 1
            continue
        run, j = [i], i + 1
        while j < len(blocks):
            if _kind(blocks[j]) == kind:
                run.append(j)
                j += 1
            elif kind == "bullet" and j + 1 < len(blocks) and _kind(blocks[j + 1]) == kind \
                    and _bridges(blocks[j], blocks[run[-1]]):
                j += 1
            else:
                break
        # unmarked items are diagram labels as often as list items: only with a lead-in
        announced = _lead_in(blocks, i)[1] is not None
        if len(run) >= 2 and (kind == "bullet" or announced):
            items = [_item(blocks[k], marker_of(blocks[k].text)) for k in run]
            out.append(_enumeration(doc, blocks, i, items, "bullets"))
            out.extend(_sublists(doc, run))
        i = j
    return out


def _sublists(doc: CleanDocument, run: list[int]) -> list[Enumeration]:
    """Items under an item that ends with a colon: the lowercase ones that continue its
    sentence, or else the items up to the next item that ends with a colon."""
    blocks = doc.blocks
    out: list[Enumeration] = []
    for pos, idx in enumerate(run[:-1]):
        if not blocks[idx].text.rstrip().endswith(":"):
            continue
        rest = run[pos + 1:]
        items = [_item(blocks[k], marker_of(blocks[k].text)) for k in rest]
        taken = list(_takewhile(items, lambda it: it.text[:1].islower()))
        if len(taken) < 2:
            taken = []
            for it in items:
                taken.append(it)
                if it.text.rstrip().endswith(":"):
                    break
        if len(taken) >= 2:
            parent = quote(blocks[idx], marker_of(blocks[idx].text).length if marker_of(blocks[idx].text) else 0)
            out.append(Enumeration(**place(doc, blocks[idx]), quotes=[parent, *(it.quote for it in taken)],
                                   source="sublist", title=trim_phrase(parent.text), lead_in=parent.text,
                                   heading=heading_of(blocks[idx]), items=taken))
    return out


def _takewhile(items, keep):
    for it in items:
        if not keep(it):
            return
        yield it


# --- numbered and lettered ------------------------------------------------------------------------


def _ordered(block: Block, kind: str) -> Marker | None:
    if block.kind not in ("list_item", "heading", "paragraph"):
        return None
    marker = marker_of(block.text)
    return marker if marker is not None and marker.kind == kind else None


def _ordered_lists(doc: CleanDocument, kind: str) -> list[Enumeration]:
    blocks = doc.blocks
    out: list[Enumeration] = []
    used: set[int] = set()
    for i, block in enumerate(blocks):
        first = _ordered(block, kind)
        if i in used or first is None or first.ordinal != 1:
            continue
        items, gaps, j = [i], [], i + 1
        while j < len(blocks) and j - items[-1] - 1 <= GAP_ITEMS and blocks[j].kind != "table_row":
            marker = _ordered(blocks[j], kind)
            if marker is not None and marker.style == first.style:
                if marker.ordinal != len(items) + 1:
                    break  # a new list, or a number out of sequence
                gaps.append(j - items[-1] - 1)
                items.append(j)
            j += 1
        if len(items) < 2:
            continue
        if all(blocks[k].kind == "heading" for k in items) and max(gaps) > GAP_HEADINGS:
            continue  # numbered chapters or sections, not a list
        used.update(items)
        enum_items = [_item(blocks[k], _ordered(blocks[k], kind)) for k in items]
        out.append(_enumeration(doc, blocks, i, enum_items, "numbered" if kind == "number" else "lettered"))
    return out


# --- paragraphs after a lead-in -------------------------------------------------------------------


def _item_like(block: Block) -> bool:
    text = block.text.strip()
    if block.kind != "paragraph" or marker_of(text) or text[:1] in QUOTE_MARKS or text.endswith(":"):
        return False
    if sum(c.isalpha() for c in text) < 3:
        return False
    if label_of(text) and len(text) <= LABELLED_ITEM_MAX_CHARS:
        return True
    return len(text) <= LEAD_ITEM_MAX_CHARS and sentence_count(text) <= LEAD_ITEM_MAX_SENTENCES


def _lead_in_lists(doc: CleanDocument) -> list[Enumeration]:
    blocks = doc.blocks
    out: list[Enumeration] = []
    for i, block in enumerate(blocks[:-1]):
        if block.kind not in ("paragraph", "list_item") or not block.text.rstrip().endswith(":"):
            continue
        run, j = [], i + 1
        while j < len(blocks) and _item_like(blocks[j]):
            run.append(j)
            j += 1
        if len(run) >= 2:
            items = _parallel_items([blocks[k] for k in run])
            out.append(_enumeration(doc, blocks, i + 1, items, "lead_in"))
    return out


def _opening(text: str) -> str:
    return " ".join(text.lower().split()[:2])


def _parallel_items(blocks: list[Block]) -> list[EnumItem]:
    """One item per paragraph, except where the extraction glued items into one paragraph:
    a later sentence that opens like the first sentence of an item (``Door de problemen ...``),
    and like at least one other sentence of the list, starts an item of its own."""
    firsts = {_opening(b.text[slice(*sentence_spans(b)[0])]) for b in blocks}
    counts: dict[str, int] = {}
    for block in blocks:
        for a, b in sentence_spans(block):
            key = _opening(block.text[a:b])
            counts[key] = counts.get(key, 0) + 1
    starts = {key: n for key, n in counts.items() if key in firsts}
    items: list[EnumItem] = []
    for block in blocks:
        spans = sentence_spans(block)
        cuts = [0] + [a for a, _ in spans[1:] if starts.get(_opening(block.text[a:]), 0) >= 2] + [len(block.text)]
        for a, b in zip(cuts, cuts[1:]):
            q = quote(block, a, b)
            items.append(EnumItem(text=q.text, label=label_of(q.text), quote=q))
    return items


# --- table columns --------------------------------------------------------------------------------


def _meaningful(value: str) -> bool:
    value = value.strip()
    return sum(c.isalpha() for c in value) >= 2 and not value.endswith(":") and not re.fullmatch(r"[_.\s-]+", value)


def _table_columns(doc: CleanDocument) -> list[Enumeration]:
    out: list[Enumeration] = []
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        if blocks[i].kind != "table_row":
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].kind == "table_row":
            j += 1
        rows = blocks[i:j]
        columns: dict[str, list[EnumItem]] = {}
        for row in rows:
            for column, a, b in table_cells(row):
                if _meaningful(row.text[a:b]):
                    columns.setdefault(column, []).append(EnumItem(text=row.text[a:b].strip(), quote=quote(row, a, b)))
        for column, items in columns.items():
            if len(items) >= 2 and len({it.text for it in items}) >= 2:
                out.append(Enumeration(**place(doc, rows[0]), quotes=[it.quote for it in items], source="table_column",
                                       title=column, heading=heading_of(rows[0]), items=items))
        i = j
    return out
