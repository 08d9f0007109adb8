"""Enumerations inside one sentence: ``X: a, b en c`` and lists in running text.

* after a colon: ``Het team bestaat uit drie functies: een ..., een ... en een
  ...`` (three or more short parts, or two when the head counts them: ``twee onderdelen: a en b``);
* in running text: ``De commissie beoordeelt elke melding op tijdigheid, juistheid,
  navolgbaarheid en transparantie``: three or more parts of at most :data:`COMMA_PART_MAX_WORDS`
  words, the first cut after the last preposition or introducer (``zoals``, ``op``) before it.

Quoted speech, clauses joined by commas (a part holding a verb, pronoun or conjunction from
``clause_words``) and chains of prepositional phrases are no list.
"""

from __future__ import annotations

import re

from assistant.core.types import CleanDocument
from ingest.structure.base import QUOTE_MARKS, contains_phrase, heading_of, marker_of, place, quote, sentence_spans, \
    trim_phrase
from assistant.core.structure import EnumItem, Enumeration
from ingest.structure.words import structure_words

INLINE_PART_MAX_WORDS = 6  # an inline item is a noun phrase, not a clause
INLINE_LAST_PART_MAX_WORDS = 14  # the last may carry a qualifier (``... met kennis van de wijk``)
COMMA_PART_MAX_WORDS = 5  # ... stricter in running text without a colon
COMMA_LAST_PART_MAX_WORDS = 8


def _split_parts(text: str, offset: int) -> list[tuple[int, int]]:
    """Spans of ``a, b en c`` (commas outside brackets; the last part split at its first
    ``en``/``of``); one ``en``/``of`` without commas gives two parts."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for k, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            spans.append((start, k))
            start = k + 1
    spans.append((start, len(text)))
    last_a, last_b = spans[-1]
    joiner = re.search(r"\s(?:en/of|en|of)\s", text[last_a:last_b])
    if joiner and not (len(spans) == 1 and len(re.findall(r"\s(?:en/of|en|of)\s", text)) > 1):
        spans[-1:] = [(last_a, last_a + joiner.start()), (last_a + joiner.end(), last_b)]
    out = []
    for a, b in spans:
        part = text[a:b]
        part_stripped = re.sub(r"^\s*(?:en/of|en|of)\s+", "", part)
        a += len(part) - len(part_stripped)
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ".;"):
            b -= 1
        out.append((offset + a, offset + b))
    return out


def _inline_parts(sentence: str, cut: int) -> list[tuple[int, int]] | None:
    tail = sentence[cut:]
    if ":" in tail or "http" in tail or len(tail.strip()) < 3 or tail.lstrip()[:1] in QUOTE_MARKS:
        return None
    parts = _split_parts(tail, cut)
    words = [len(sentence[a:b].split()) for a, b in parts]
    if any(n == 0 for n in words) or max(words[:-1] or [0]) > INLINE_PART_MAX_WORDS \
            or words[-1] > INLINE_LAST_PART_MAX_WORDS:
        return None
    return parts


def extract_inline_lists(doc: CleanDocument) -> list[Enumeration]:
    """The enumerations told inside one sentence of ``doc``."""
    words = structure_words().lead_in
    out: list[Enumeration] = []
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item") or " | " in block.text or block.text[:1] in QUOTE_MARKS:
            continue  # table rows, and quoted speech, whose commas are no list
        for a, b in sentence_spans(block):
            sentence = block.text[a:b]
            found = _inline_cut(sentence, words) or _comma_list(sentence, words)
            if found is None:
                continue
            head_end, parts = found
            head = sentence[:head_end]
            counted = any(contains_phrase(head, w) for w in words.count_words)
            if len(parts) < 2 or (len(parts) < 3 and not counted):
                continue
            items = []
            for pa, pb in parts:
                q = quote(block, a + pa, a + pb)
                items.append(EnumItem(text=q.text, quote=q))
            marker = marker_of(head)
            title = trim_phrase(head[marker.length:] if marker else head) or heading_of(block)
            out.append(Enumeration(**place(doc, block), quotes=[quote(block, a, b)], source="inline",
                                   title=title, lead_in=sentence, heading=heading_of(block), items=items))
    return out


def _inline_cut(sentence: str, words) -> tuple[int, list[tuple[int, int]]] | None:
    """Items after a colon (``drie medewerkers: één ..., één ... en één ...``)."""
    for m in re.finditer(r":\s", sentence):
        if m.start() < 2 or sentence[:m.start()].rstrip().lower().endswith(("http", "https")):
            continue
        parts = _inline_parts(sentence, m.end())
        if parts:
            return m.start(), parts
    return None


def _comma_list(sentence: str, words) -> tuple[int, list[tuple[int, int]]] | None:
    """Items in running text (``beoordeelt elke melding op tijdigheid, juistheid,
    navolgbaarheid en transparantie``): three or more short parts, the first cut after the last
    preposition or introducer (``zoals``, ``uit``, ``op``) before it."""
    if "http" in sentence or ":" in sentence or sentence.count(",") < 1:
        return None
    end = len(sentence.rstrip().rstrip(".!?;"))
    parts = _split_parts(sentence[:end], 0)
    if len(parts) < 3:
        return None
    introducers = [i for i, (pa, _) in enumerate(parts[1:-1], start=1)
                   if _first_word(sentence[pa:]) in words.introducers]
    if introducers:  # ``samen met andere partners, zoals werkgevers, ...``: the list starts there
        k = introducers[-1]
        pa, pb = parts[k]
        cue = _first_word(sentence[pa:])
        parts = [(pa + sentence[pa:].lower().index(cue) + len(cue) + 1, pb), *parts[k + 1:]]
    else:
        pa, pb = parts[0]
        first = sentence[pa:pb]
        tokens = list(re.finditer(r"\S+", first))
        cut = None
        for t in reversed(tokens[:-1]):
            if first[:t.start()].count("(") > first[:t.start()].count(")"):
                continue  # inside brackets
            if t.group(0).lower() in words.cut_words:
                cut = t.end()
                break
        if len(tokens) > COMMA_PART_MAX_WORDS:
            if cut is None or len(first[cut:].split()) > COMMA_PART_MAX_WORDS:
                return None
            parts[0] = (pa + cut + 1, pb)
        elif cut is not None:
            parts[0] = (pa + cut + 1, pb)
    if len(parts) < 3:
        return None
    texts = [sentence[pa:pb] for pa, pb in parts]
    if any("•" in t or ". " in t or t.count("(") != t.count(")") or set(_words_lower(t)) & words.clause_words
           for t in texts):
        return None  # clauses joined by commas, not a list
    led = sum(1 for t in texts[1:] if _first_word(t) in words.cut_words)
    if led * 3 >= len(texts) - 1:
        return None  # a chain of phrases (``één plan, op basis van ..., voor ...``)
    counts = [len(t.split()) for t in texts]
    if min(counts) == 0 or max(counts[:-1]) > COMMA_PART_MAX_WORDS or counts[-1] > COMMA_LAST_PART_MAX_WORDS:
        return None
    return parts[0][0], parts


def _words_lower(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text.lower())


def _first_word(text: str) -> str:
    return text.strip().split(" ", 1)[0].lower() if text.strip() else ""
