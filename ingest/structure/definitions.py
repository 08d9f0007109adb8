"""Definitions and abbreviations a document gives.

* **abbreviation**: ``Ondersteuner Jeugd en Gezin (OJG)``, ``OJG (Ondersteuner Jeugd en Gezin)``
  and glossary lines ``ALV Algemene Ledenvergadering``; the long form must spell the short form
  (Schwartz & Hearst: every letter of the short form, in order, the first one opening the long
  form), so ``(zie bijlage 2)`` or ``(VO)`` after an unrelated phrase is no abbreviation;
* **verstaan**: ``Onder X verstaan we / wordt ... verstaan ...``;
* **bedoelen**: ``Met X bedoelen we / wordt bedoeld ...``;
* **betekent**: ``X betekent / houdt in / staat voor ...`` with a term that is no pronoun;
* **is**: ``Een X is een ...`` (a generic term and a defining clause, also ``Een X is, volgens Y,
  het ...``), or ``De X is een ...`` when the heading above names X;
* **heading**: the first paragraph under ``Definitie X`` or ``Wat is X?``.
"""

from __future__ import annotations

import re

from assistant.core.types import Block, CleanDocument
from ingest.structure.base import contains_phrase, place, quote, sentence_spans, trim_phrase
from assistant.core.structure import Definition
from ingest.structure.words import structure_words

_SHORT = r"[A-Z][A-Za-z&/()\-]{0,9}"
_PAREN_AFTER = re.compile(rf"\((?:hierna|verder|hierna te noemen|afgekort)?:?\s*({_SHORT})\)")  # Long Form (SF), (hierna: SF)
_PAREN_LONG = re.compile(rf"(?<![\w-])({_SHORT})\s+\(([^()]{{4,90}})\)")  # SF (Long Form)
_TOKEN = re.compile(r"\S+")
_LINKING = {"en", "van", "de", "het", "voor", "of", "in", "op", "met", "der", "den", "&", "a", "t", "'t", "en/of"}
DEFINITION_MAX_CHARS = 400
IS_DEFINITION_MIN_WORDS = 4


def extract_definitions(doc: CleanDocument) -> list[Definition]:
    """All definitions of ``doc`` in document order, one per term and form."""
    out: list[Definition] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            found = _heading_definition(doc, blocks, i)
            if found:
                out.append(found)
            continue
        out.extend(_abbreviations(doc, block))
        for a, b in sentence_spans(block):
            found = _phrase_definition(doc, block, a, b)
            if found:
                out.append(found)
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for d in out:
        key = (d.form, d.term.lower(), d.definition.lower())
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


# --- abbreviations --------------------------------------------------------------------------------


def is_short_form(token: str) -> bool:
    """``OJG``, ``CvT``, ``AD(H)D``, ``J&G``: two or more capitals, at most ten characters."""
    if not (2 <= len(token) <= 10) or not token[0].isupper() or not token[1:].strip("abcdefghijklmnopqrstuvwxyz"):
        return False
    letters = [c for c in token if c.isalpha()]
    return (2 <= len(token) <= 10 and sum(c.isupper() for c in letters) >= 2 and token[:1].isupper()
            and token.count("(") == token.count(")") and token[-1:].isalnum())


def long_form_before(short: str, text: str) -> int | None:
    """Start (in ``text``) of the long form that ends ``text`` and spells ``short``, or None.

    The Schwartz & Hearst rule: the characters of the short form occur in the long form from
    right to left, the first one at the start of a word; at most ``min(len+5, 2*len)`` words.
    """
    chars = [c.lower() for c in short if c.isalnum()]
    words = text.split()
    limit = min(len(chars) + 5, 2 * len(chars))
    window_start = len(text) - len(" ".join(words[-limit:])) if words else len(text)
    lf = text[window_start:]
    s, k = len(chars) - 1, len(lf) - 1
    last_hit = None
    while s >= 0:
        c = chars[s]
        while k >= 0 and (lf[k].lower() != c or (s == 0 and k > 0 and lf[k - 1].isalnum())):
            k -= 1
        if k < 0:
            return None
        last_hit = k if last_hit is None else last_hit
        k -= 1
        s -= 1
    if re.search(r"\s", lf[last_hit:]):
        return None  # words after the last letter (``Commissie van Toewijzing nodig (CvT)``)
    start = lf.rfind(" ", 0, k + 1) + 1
    return window_start + start


def _spelling(short: str, long_words: list[str]) -> int:
    """How well ``long_words`` spell ``short`` (``AVG`` / ``Algemene Verordening
    Gegevensbescherming``): the letters in order, the first opening the first word, every
    content word and the last word holding one. Returns the most letters that can fall on word
    starts, or -1 when the words do not spell the short form."""
    chars = [c.lower() for c in short if c.isalnum()]
    if not chars or not long_words or long_words[0][:1].lower() != chars[0]:
        return -1
    text = " ".join(long_words).lower()
    owner, initial = [], []
    for w, word in enumerate(long_words):
        owner.extend([w] * len(word) + [-1])
        initial.extend([True] + [False] * (len(word) - 1) + [False])
    needed = {w for w, word in enumerate(long_words) if word.lower() not in _LINKING}
    last = len(long_words) - 1

    def search(ci: int, pos: int, hit: frozenset[int]) -> int:
        if ci == len(chars):
            return 0 if needed <= hit and last in hit else -1
        best, k = -1, text.find(chars[ci], pos)
        while k >= 0:
            if owner[k] >= 0:
                rest = search(ci + 1, k + 1, hit | {owner[k]})
                if rest >= 0:
                    best = max(best, rest + initial[k])
            k = text.find(chars[ci], k + 1)
        return best

    found = search(1, 1, frozenset({0}))
    return -1 if found < 0 else found + 1


def _spells(short: str, long_words: list[str]) -> bool:
    return _spelling(short, long_words) >= 0


def _abbreviation(doc: CleanDocument, block: Block, term: str, long_a: int, long_b: int, span: tuple[int, int]) -> Definition:
    expansion = trim_phrase(block.text[long_a:long_b])
    return Definition(**place(doc, block), quotes=[quote(block, *span)], form="abbreviation", term=term,
                      definition=expansion)


def _abbreviations(doc: CleanDocument, block: Block) -> list[Definition]:
    text = block.text
    out: list[Definition] = []
    for m in _PAREN_AFTER.finditer(text):
        short = m.group(1)
        if not is_short_form(short):
            continue
        start = long_form_before(short, text[: m.start()].rstrip())
        if start is None:
            continue
        start = _skip_articles(text, start, m.start())
        if start < m.start() - 1:
            out.append(_abbreviation(doc, block, short, start, m.start(), (start, m.end())))
    for m in _PAREN_LONG.finditer(text):
        short, inner = m.group(1), m.group(2)
        words = inner.split()
        if is_short_form(short) and 2 <= len(words) <= len(short) + 5 and _spells(short, words):
            out.append(_abbreviation(doc, block, short, m.start(2), m.end(2), (m.start(), m.end())))
    out.extend(_glossary_pairs(doc, block))
    return out


def _skip_articles(text: str, start: int, end: int) -> int:
    """Drop a leading article or preposition from a long form (``de Commissie van ...``)."""
    while True:
        m = re.match(r"(de|het|een|the|van|voor|door|bij|met|en)\s+", text[start:end], re.IGNORECASE)
        if not m or not text[start + m.end():end][:1].isupper():
            return start
        start += m.end()


def _glossary_pairs(doc: CleanDocument, block: Block) -> list[Definition]:
    """``ABC Afdeling Beleid en Control DEF Dienst Extra Faciliteiten ...``: a glossary the
    extraction ran into one paragraph, or one glossary line. Needs two pairs in the block, or
    one pair at its very start."""
    text = block.text
    tokens = list(_TOKEN.finditer(text))
    pairs = []
    for t, tok in enumerate(tokens):
        short = tok.group(0)
        if not is_short_form(short) or t + 1 >= len(tokens) or not tokens[t + 1].group(0)[:1].isupper():
            continue
        chars = sum(c.isalnum() for c in short)
        best = None  # (letters on word starts, -words): most initials, then fewest words
        for n in range(1, min(chars + 4, len(tokens) - t - 1) + 1):
            words = [w.group(0) for w in tokens[t + 1:t + 1 + n]]
            if is_short_form(words[-1]):
                break  # the next glossary entry
            score = _spelling(short, words)
            if score >= 0 and words[0][:1].isupper() and (best is None or (score, -n) > best[0]):
                best = ((score, -n), tokens[t + n].end())
        if best is not None:
            pairs.append((short, tokens[t + 1].start(), best[1], tok.start()))
    if len(pairs) < 2 and not (pairs and pairs[0][3] == 0):
        return []
    return [_abbreviation(doc, block, short, a, b, (s, b)) for short, a, b, s in pairs]


# --- definitions in a sentence ---------------------------------------------------------------------


def _clean_term(term: str) -> str:
    term = trim_phrase(term)
    return re.sub(r"^(?:de|het|een)\s+", "", term, flags=re.IGNORECASE)


def _is_term(term: str) -> bool:
    """A defined term: a noun phrase of at most six words, not a pronoun, adverb or clause."""
    words = structure_words()
    low = term.lower().strip()
    tokens = re.findall(r"[\w’'&()/-]+|[^\w\s]", low)
    if not tokens or low in words.definition.not_terms or not term.strip()[:1].isalnum():
        return False
    if tokens[0] in words.definition.not_terms or tokens[0] in words.definition.not_term_openers:
        return False
    return 1 <= len(tokens) <= 6 and not set(tokens) & words.lead_in.clause_words


_VERSTAAN_WE = re.compile(r"^(?:.*?\b)?[Oo]nder (?P<term>[^,.;:]{2,80}?) (?P<cue>verstaan (?:we|wij)|verstaat men)\b[:\s]*(?P<def>.+)")
_VERSTAAN_WORDT = re.compile(r"^(?:.*?\b)?[Oo]nder (?P<term>[^,.;:]{2,80}?) (?:wordt|worden)\b(?P<mid>.*?)\bverstaan\b[:\s]*(?P<def>.*)")
_BEDOELEN = re.compile(r"^(?:.*?\b)?[Mm]et (?P<term>[^,.;:]{2,80}?) (?:bedoelen (?:we|wij)|bedoelt men|(?:wordt|worden) "
                       r"(?:hier |daarmee )?bedoeld)\b[:\s]*(?P<def>.+)")
_BEDOELD = re.compile(r"^(?:.*?\b)?[Mm]et (?P<term>[^,.;:]{2,80}?) (?:wordt|worden) (?P<def>.+?) bedoeld\b")
_IS_DEFINITION = re.compile(r"^(?P<art>Een|De|Het)\s+(?P<term>[^,;:()]{2,60}?)\s+(?:is|zijn)(?:,\s*[^,;:]{2,60},)?\s+"
                            r"(?P<def>(?:een|de|het)\s+.+)")  # "Een X is, volgens ..., het ..."


def _phrase_definition(doc: CleanDocument, block: Block, a: int, b: int) -> Definition | None:
    sentence = block.text[a:b]
    words = structure_words().definition
    made = None
    low = sentence.lower()
    m = _VERSTAAN_WE.match(sentence) if "verstaa" in low else None
    if m:
        made = ("verstaan", m.group("term"), m.group("def"))
    elif "verstaan" in low and (m := _VERSTAAN_WORDT.match(sentence)):
        made = ("verstaan", m.group("term"), (m.group("def") or m.group("mid")).strip())
    elif "bedoel" in low and (m := _BEDOELEN.match(sentence)):
        made = ("bedoelen", m.group("term"), m.group("def"))
    elif "bedoeld" in low and (m := _BEDOELD.match(sentence)):
        made = ("bedoelen", m.group("term"), m.group("def"))
    else:
        for cue in words.betekent:
            found = contains_phrase(sentence, cue)
            if found and found.start() > 0:
                term, rest = sentence[: found.start()], sentence[found.end():]
                opening = rest.lower().split()[:3]
                negated = "niet" in opening or bool(opening and opening[0] in words.not_definition_openers)
                if len(term.split()) <= 6 and _is_term(_clean_term(term)) and not negated \
                        and (cue != "staat voor" or is_short_form(term.strip())):
                    made = ("betekent", term, rest)
                break
        if made is None:
            made = _is_definition(block, sentence)
    if made is None:
        return None
    form, term, definition = made
    term, definition = _clean_term(term), trim_phrase(definition)
    if not _is_term(term) or len(definition.split()) < 2 or len(definition) > DEFINITION_MAX_CHARS:
        return None
    return Definition(**place(doc, block), quotes=[quote(block, a, b)], form=form, term=term, definition=definition)


def _is_definition(block: Block, sentence: str) -> tuple[str, str, str] | None:
    """``Een ecogram is een schets van ...``; with ``De``/``Het`` only when the heading
    above names the term (``Wat is de wondervraag?`` / ``De wondervraag is een ...``)."""
    m = _IS_DEFINITION.match(sentence)
    if not m or len(m.group("def").split()) < IS_DEFINITION_MIN_WORDS + 1:
        return None
    term = m.group("term")
    if len(term.split()) > 4 or any(w in {"die", "dat", "wat", "waar", "ook", "niet", "nu", "er"} for w in term.lower().split()):
        return None
    heading = " ".join(block.section_path[-1:]).lower()
    if m.group("art") != "Een" and term.lower() not in heading:
        return None
    return "is", term, m.group("def")


# --- a heading that announces a definition -------------------------------------------------------


def _heading_definition(doc: CleanDocument, blocks: list[Block], i: int) -> Definition | None:
    heading = blocks[i].text
    words = structure_words().definition
    term = None
    for cue in words.heading_cues:
        found = contains_phrase(heading, cue)
        if found:
            rest = heading[found.end():].strip(" :?.")
            rest = re.sub(r"\s+in$", "", rest)  # "Wat houdt X in?"
            rest = re.sub(r"^(?:van|voor)\s+", "", rest, flags=re.IGNORECASE)  # "De definitie van X"
            term = _clean_term(rest)
            break
    if not term or not _is_term(term) or i + 1 >= len(blocks) or blocks[i + 1].kind != "paragraph":
        return None
    body = blocks[i + 1]
    spans = sentence_spans(body)
    end = spans[0][1]
    for _, b in spans[1:]:
        if b > DEFINITION_MAX_CHARS:
            break
        end = b
    q = quote(body, 0, end)
    return Definition(**place(doc, body), quotes=[q], form="heading", term=term, definition=q.text)
