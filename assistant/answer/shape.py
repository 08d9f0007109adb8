"""How an answer reads: source sentences as a coach reads them, and the plan line behind a record.

The index holds two kinds of text an answer must not show as they are stored: inventory records
(rendered by the ingest as "Contact en route in X: voor ... → ...", "Regel: ...", "Brontekst: “…”")
and table rows (stored with their column names, "Actie: ... | Wie: ... | Wanneer: ..."). This
module turns both into what a reader expects:

- :func:`plain`: a sentence for display: bullets, table column names and spacing removed;
- :func:`record_sentence`: a record's sentence without its field label, or None when the field
  is a bare value ("Wie: Leerplein") that means nothing on its own;
- :func:`plan_origins`: the sentences of the plan a record's sentence restates, found through the
  record's verbatim source quotes, so the answer shows (and cites) the plan itself;
- :func:`join_items`: "a, b en c".

Example::

    plain("Actie: Inzicht in 5a | Wie: Leerplein | Wanneer: 2021/2022")
    # 'Inzicht in 5a, door Leerplein, in de periode 2021/2022.'
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from assistant.answer.citations import locate_quote
from assistant.answer.evidence import Candidate
from assistant.answer.matching import prefix_match, terms
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.quotes import squashed_positions
from assistant.core.records import KINDS, FIELD_LABELS, NOT_GIVEN, PROSE_LABELS, RECORD_HEADS, VALUE_PHRASES, record_subject
from assistant.core.text import squash

_FILL_IN = re.compile(r"_{3,}|\.{5,}|…{2,}")  # the blanks of a form ("Datum: ______")
_CELL_LABEL = re.compile(r"^([^:|]{1,40}):\s+")
_FIELD = re.compile(r"^([A-Z][^:]{1,60}?):\s+(.+)$", re.S)
# where a new field starts inside a stored record sentence: after a sentence end, before "Label: "
_FIELD_START = re.compile(r"(?<=[.!?])\s+(?=(?:" + "|".join(map(re.escape, sorted(FIELD_LABELS, key=len, reverse=True)))
                          + r"):\s)")


def tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(text: str) -> str:
    """``text`` as a reader should see it: one line, no list bullet, no form blanks, a table row
    without its column names."""
    text = tidy(lexicon().pattern("item_mark").sub("", tidy(text), count=1))
    text = tidy(_FILL_IN.sub(" ", text))
    cells = [c.strip() for c in text.split(" | ")]
    if len(cells) > 1 and sum(1 for c in cells if _CELL_LABEL.match(c)) >= 2:
        return _row_sentence(cells)
    return text


def _row_sentence(cells: list[str]) -> str:
    """A table row as a sentence: the cells whose column names a phrase ("Wie" → "door") follow
    the others ("Training voor mentoren, door het wijkteam, in de periode schooljaar 2024.");
    without such columns the values in order, "a — b — c"."""
    base: list[str] = []
    phrases: list[str] = []
    for cell in cells:
        label = _CELL_LABEL.match(cell)
        value = _CELL_LABEL.sub("", cell, count=1).rstrip(" .")
        if not value:
            continue
        phrase = VALUE_PHRASES.get(label.group(1).strip().capitalize()) if label else None
        (phrases if phrase and base else base).append(f"{phrase} {_article_low(value)}" if phrase and base else value)
    if not phrases:
        return " — ".join(base)
    return _end(", ".join([" — ".join(base), *phrases]))


def _article_low(value: str) -> str:
    """A value after a phrase: its leading article in lower case ("door Het wijkteam" → "door het wijkteam")."""
    first = value.split(" ", 1)[0]
    return first.lower() + value[len(first):] if first.lower() in lexicon().words("articles") else value


def record_sentence(text: str, subject: str = "") -> str | None:
    """A sentence of an inventory record as a reader can use it, or None (see :func:`record_text`)."""
    return record_text([text], subject)


def record_fields(text: str) -> list[tuple[str | None, str]]:
    """The fields of a record sentence, (label, value); a heading or unlabelled text has label None.
    One stored sentence may hold several fields ("Waarom: .... Hoofdlijn: ...")."""
    parts = _FIELD_START.split(tidy(text))
    out: list[tuple[str | None, str]] = []
    for part in filter(None, (p.strip() for p in parts)):
        field = _FIELD.match(part)
        if field and field.group(1) in FIELD_LABELS:
            out.append((field.group(1), field.group(2).strip()))
        else:
            out.append((None, part))
    return out


def record_text(texts: list[str], subject: str = "") -> str | None:
    """Sentences of one inventory record as a reader can use them, or None when nothing is left.

    The record's heading becomes its content ("Contact en route in X: voor N → P." becomes
    "Voor N: P."); a prose field loses its label ("Regel: Alle scholen ..." becomes "Alle scholen
    ..."); bare values become phrases after the heading or the record's ``subject`` ("Wie:
    Leerplein." becomes "<subject>, door Leerplein."); a field that only says where the record was
    found ("Genoemd in: ...") or a value without a subject is left out.
    """
    heads: list[str] = []
    prose: list[str] = []
    phrases: list[str] = []
    for text in texts:
        for label, value in record_fields(text):
            if label is None:
                head = _head(value)
                if head:
                    heads.append(head)
            elif label in PROSE_LABELS:
                prose.append(_capital(value))
            elif label in VALUE_PHRASES and value.rstrip(". ") != NOT_GIVEN:
                phrases.append(f"{VALUE_PHRASES[label]} {_article_low(value.rstrip('. '))}")
    if phrases:
        base = heads.pop(0) if heads else (_capital(subject) if subject else "")
        if base:
            heads.insert(0, f"{base.rstrip('. ')}, {', '.join(dict.fromkeys(phrases))}.")
    sentences = [_end(t) for t in (*heads, *prose)]
    return " ".join(dict.fromkeys(sentences)) or None


def _head(text: str) -> str | None:
    for pattern, template in RECORD_HEADS:
        found = pattern.match(text)
        if found:
            return _capital(found.expand(template)) if template else None
    return text  # no record heading: a name before a colon ("Castricum: ...") reads as it stands


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def subject_of(index: Index, chunk_index: int) -> str:
    """The subject of the inventory record stored as passage ``chunk_index`` ("" for a document passage)."""
    record = _record(index, chunk_index)
    return record_subject(record) if record is not None else ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join_items(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


# -- the plan behind a record ----------------------------------------------------------------------
def _record(index: Index, chunk_index: int):
    inventory = index.inventory
    chunk = index.chunks[chunk_index]
    if inventory is None or chunk.kind != "record" or "#" not in chunk.chunk_id:
        return None
    kind, record_id = chunk.chunk_id.split("#", 1)
    kind = kind.removeprefix("inv-")
    return inventory.get(record_id, kind if kind in KINDS else None)


def record_quotes(index: Index, chunk_index: int) -> list[tuple[str, str]]:
    """(document file, verbatim quote) of the inventory record stored as passage ``chunk_index``."""
    record = _record(index, chunk_index)
    if record is None:
        return []
    return [(s.doc, s.quote) for s in record.sources if s.quote and s.quote.strip()]


def plan_origins(index: Index, cand: Candidate, wanted: set[str] | frozenset[str] = frozenset(),
                 query_vector: np.ndarray | None = None) -> list[Candidate]:
    """Every plan sentence the record behind ``cand`` quotes, best first.

    A record quotes several lines of a plan (its rule, its target group, its party ...); the best
    line holds most of the question's terms ``wanted``, then is closest to the question (its
    sentence vector, with ``query_vector``), then shares most terms with the record sentence, then
    comes first in the record.
    """
    quotes = record_quotes(index, cand.chunk_index)
    if not quotes:
        return []
    own = terms(cand.text)
    files = {state.file: doc_id for doc_id, state in index.state.docs.items()}
    ranked: list[tuple[tuple, Candidate]] = []
    for order, (doc, quote) in enumerate(quotes):
        found = locate_quote(index, quote, files.get(doc))
        span = sentence_span(index, found[0], found[1]) if found else None
        if span is None:
            continue
        start, end = span
        text = index.chunks[found[0]].text[start:end].strip()
        held = terms(text)
        close = _closeness(index, found[0], start, end, query_vector)
        key = (sum(1 for t in wanted if prefix_match(t, held)), close, len(own & held), -order)
        ranked.append((key, replace(cand, chunk_index=found[0], start=start, end=end, text=text)))
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    out: list[Candidate] = []
    for _, origin in ranked:
        if not any(o.chunk_index == origin.chunk_index and o.start == origin.start for o in out):
            out.append(origin)
    return out


def _closeness(index: Index, chunk_index: int, start: int, end: int, query_vector: np.ndarray | None) -> float:
    """Cosine of the question with the closest indexed sentence inside ``start:end`` (0 without a vector)."""
    if query_vector is None:
        return 0.0
    spans, vectors = index.sentences_of(chunk_index)
    inside = [k for k, (s, e) in enumerate(spans) if s < end and e > start]
    return round(float((vectors[inside] @ query_vector).max()), 4) if inside else 0.0


def sentence_span(index: Index, chunk_index: int, needle: str) -> tuple[int, int] | None:
    """The span of the passage's sentences that hold ``needle`` (found as it stands, or squashed;
    "a … b": the sentences from part a through part b)."""
    text = index.chunks[chunk_index].text
    bounds: list[tuple[int, int]] = []
    for part in needle.split(" … "):  # a quote across table cells is located as "cell … cell"
        at = text.find(part)
        located = (at, at + len(part)) if at >= 0 else _squashed_span(text, part)
        if located is None:
            return None
        bounds.append(located)
    lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
    spans, _ = index.sentences_of(chunk_index)
    covering = [(s, e) for s, e in spans if s < hi and e > lo]
    if not covering:
        return lo, hi
    return covering[0][0], covering[-1][1]


def _squashed_span(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` stands in ``text`` when spacing, hyphens and punctuation are ignored."""
    squashed, positions = squashed_positions(text)  # per letter of the squashed text, where it stands in ``text``
    wanted = squash(needle)
    at = squashed.find(wanted) if wanted else -1
    if at < 0:
        return None
    return positions[at], positions[at + len(wanted) - 1] + 1


# -- lists ------------------------------------------------------------------------------------------
INLINE_ITEMS = 8  # a list this long, of short items, is named in one sentence
INLINE_WORDS = 8  # words an item may have to be named inline


def list_lines(title: str, items: list[tuple[str, str | None, str]], marker: str = "") -> list[str]:
    """A list as an answer: ``title`` and the number of items, then the items, each with its marker.

    ``items`` are (name, detail or None, marker such as "[3]"). A short list of short names is named
    in the lead sentence ("De hoofdlijnen (3): a [1], b [2] en c [3].") with a line only for the
    items that have a detail; a longer one lists every item on a line of its own. ``marker`` cites
    the title itself (a document's own lead-in sentence).
    """
    title = tidy(title).rstrip(" :.")
    head = f"{_capital(title)} ({len(items)})" if not re.search(r"\(\d+\)$", title) else _capital(title)
    head += f" {marker}" if marker else ""
    inline = len(items) <= INLINE_ITEMS and all(len(name.split()) <= INLINE_WORDS for name, _, _ in items)
    if inline:
        named = join_items([f"{name} {marker}" for name, _, marker in items])
        lines = [f"{head}: {named}."]
        lines += [f"- {name}: {detail} {marker}" for name, detail, marker in items if detail]
        return lines
    return [f"{head}:"] + [f"- {name}" + (f": {detail}" if detail else "") + f" {marker}" for name, detail, marker in items]
