"""Dutch sentence spans, aware of the abbreviations that policy texts are full of.

``split_sentences(text)`` returns ``(start, end)`` character offsets; ``text[start:end]`` is the
sentence without surrounding whitespace. Blocks separated by a blank line are never joined; a
table row (``Actie: ... | Wie: ...``) and a list item (``• ...``, ``1. ...``, ``a. ...``) count as
one sentence each, so a quote from them keeps its header or marker (very long list items are
still split, or a quote would be the whole list item).

Example::

    >>> text = "Dit geldt o.a. voor het VO. Zie art. 5a."
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Dit geldt o.a. voor het VO.', 'Zie art. 5a.']
"""

from __future__ import annotations

import re

# Abbreviations that never end a sentence (lowercase, without the final period).
ABBREVIATIONS = {
    "o.a", "bijv", "bv", "i.s.m", "m.b.t", "d.d", "w.o", "n.a.v", "i.r.t", "c.q", "art", "nr",
    "ca", "incl", "excl", "dhr", "mevr", "mr", "drs", "dr", "prof", "ir", "ing", "jl", "z.s.m",
    "resp", "vs", "blz", "pag", "p", "evt", "e.d", "a.s", "t.a.v", "i.v.m", "m.u.v", "o.b.v",
    "i.o.m", "v.a", "z.o.z", "t.b.v", "m.i.v", "i.c.m", "o.l.v", "t.o.v", "i.p.v", "m.n", "d.w.z",
    "e.a", "vgl", "zgn", "max", "min", "st", "jr", "tel", "fig", "hfst", "par", "lid", "sub",
}
# Abbreviations that end a sentence when a capital follows (``... jeugdzorg etc. Daarna``).
ENDING_ABBREVIATIONS = {"etc", "enz", "e.v"}
LIST_ITEM_MAX = 400

_BLOCK = re.compile(r"\S(?:.*?\S)?(?=\n\s*\n|\s*$)", re.DOTALL)
_CANDIDATE = re.compile(r"[.!?…]+['’”\")\]]*(?=\s+)")
_LIST_START = re.compile(r"^(?:[•▪\-–*]|\d{1,2}[.)]|[a-z][.)])\s")
_TABLE_ROW = re.compile(r"^[A-Z][\w ’'/-]{0,30}: .*\| [A-Z][\w ’'/-]{0,30}: ", re.DOTALL)


def _token_before(text: str, end: int) -> str:
    """The word that ends at ``end`` (the period excluded), e.g. ``o.a`` or ``bijv``."""
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(‘“'\"":
        start -= 1
    return text[start:end]


def _is_boundary(text: str, dot: int, after: int) -> bool:
    """Whether the punctuation at ``text[dot]`` ends a sentence; ``after`` is where the next
    sentence would start."""
    if after >= len(text):
        return True
    nxt = text[after]
    if text[dot] in "!?…":
        return not nxt.islower()
    token = _token_before(text, dot)
    low = token.lower().rstrip(".")
    if low in ABBREVIATIONS:
        return False
    if low in ENDING_ABBREVIATIONS:
        return nxt.isupper()
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", low):  # o.a / i.s.m style abbreviations
        return False
    if re.fullmatch(r"[A-Za-z]", token):  # an initial: ``J. Botter``, ``H.P.``
        return False
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?", token):
        return False
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", token) and (dot - len(token) == 0 or text[dot - len(token) - 1] == "\n"):
        return False  # a list or section number at the start: ``1. Inleiding``
    if nxt.islower():
        return False
    return nxt.isupper() or nxt.isdigit() or nxt in "‘“'\"(•▪-–[" or not nxt.isalnum()


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    if _TABLE_ROW.match(block):
        return [(start, end)]
    if _LIST_START.match(block) and len(block) <= LIST_ITEM_MAX:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _CANDIDATE.finditer(text, start, end):
        dot = match.start()
        after = match.end()
        while after < end and text[after].isspace():
            after += 1
        if after >= end:
            break
        if _is_boundary(text, dot, after):
            spans.append((cursor, match.end()))
            cursor = after
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, in order, trimmed of whitespace."""
    spans: list[tuple[int, int]] = []
    for block in _BLOCK.finditer(text):
        spans.extend(_split_block(text, block.start(), block.end()))
    return spans
