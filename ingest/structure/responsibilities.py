"""Responsibilities: who does, decides, pays or coordinates what.

* **table**: a row of a table with a Wie/Verantwoordelijk/Trekker/Eigenaar column: the party is
  that cell, the duty the row's action cell (a column named Actie/Wat/Activiteit, else the first);
* **sentences**: ``X is verantwoordelijk voor Y``, ``X beslist over Y``, ``X neemt het besluit``,
  ``X voert Y uit``, ``X betaalt Y``, ``X neemt het voortouw``; the party is the subject before
  the verb, or after it when an adverb opens the sentence (``Daarna beslist de gemeente ...``);
* **passive**: ``Y wordt door X genomen / betaald / uitgevoerd`` and ``Y wordt betaald door X``.

A single-word verb after an article is a noun (``het besluit van ...``) and no responsibility;
questions (``Wie beslist ...?``) are none either.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.core.types import Block, CleanDocument
from ingest.structure.base import marker_of, place, quote, sentence_spans, table_cells, trim_phrase
from assistant.core.structure import Responsibility
from ingest.structure.words import structure_words

PARTY_MAX_WORDS = 10
PARTY_AFTER_VERB_MAX_WORDS = 6
DUTY_MAX_CHARS = 300
_PARTICLES = {"uit", "vast", "toe", "af", "op"}
_STOP_AFTER_PARTY = re.compile(r"\s(?:over|tot|of|dat|om|welke|wat|wie|waar|wanneer|hoe|en|binnen|na|voor|in|op|bij|met)\s|[,;.:]")


def extract_responsibilities(doc: CleanDocument) -> list[Responsibility]:
    """All responsibilities of ``doc`` in document order."""
    out: list[Responsibility] = []
    for block in doc.blocks:
        if block.kind == "table_row":
            found = _table_row(doc, block)
            if found:
                out.append(found)
            continue
        if block.kind == "heading":
            continue
        for a, b in sentence_spans(block):
            sentence = block.text[a:b]
            if sentence.rstrip().endswith("?"):
                continue
            found = _passive(doc, block, a, b) or _owned(doc, block, a, b) or _active(doc, block, a, b)
            if found:
                out.append(found)
    return out


# --- table rows ------------------------------------------------------------------------------------


def _table_row(doc: CleanDocument, row: Block) -> Responsibility | None:
    words = structure_words().responsibility
    cells = table_cells(row)
    party = next(((c, a, b) for c, a, b in cells if c.lower() in words.columns), None)
    if party is None or not row.text[party[1]:party[2]].strip():
        return None
    others = [c for c in cells if c is not party]
    action = next((c for c in others if c[0].lower() in words.action_columns), others[0] if others else None)
    duty = row.text[action[1]:action[2]].strip() if action else ""
    if not duty:
        return None
    return Responsibility(**place(doc, row), quotes=[quote(row)], form="table",
                          party=row.text[party[1]:party[2]].strip(), duty=duty, cue=party[0])


# --- active sentences --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _verb_patterns() -> list[tuple[str, str, str, re.Pattern[str]]]:
    """``(form, cue, pattern)`` for every verb phrase, longest first; a separable verb allows
    words before its particle (``voert de regie uit``)."""
    words = structure_words().responsibility
    patterns = []
    for form, phrases in words.verbs.items():
        for phrase in phrases:
            parts = phrase.split()
            if len(parts) >= 2 and parts[-1] in _PARTICLES:
                body = r"\s+".join(map(re.escape, parts[:-1])) + rf"\b(?P<gap>.{{1,80}}?)\b{re.escape(parts[-1])}\b"
            else:
                body = r"\s+".join(map(re.escape, parts)) + r"(?P<gap>)"
            patterns.append((form, phrase, parts[0].lower(), re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)))
    return sorted(patterns, key=lambda p: -len(p[1]))


def _is_party(text: str) -> bool:
    words = structure_words().responsibility
    low = text.lower().strip()
    tokens = low.split()
    if not tokens or len(tokens) > PARTY_MAX_WORDS or low in words.not_parties or tokens[0] in words.not_parties:
        return False
    if tokens[0] in words.adverbs or tokens[0] in words.not_party_openers:
        return False
    if set(tokens) & structure_words().lead_in.clause_words - {"we", "wij", "zij", "ze"}:
        return False  # a clause, not a name
    if re.search(r"\s[-–]\s|[:“”\"‘’]", low):
        return False  # a title fragment (``Vraagverheldering - Richtlijn ...``) or a quotation
    if len(tokens) == 1 and text.strip()[:1].islower() and tokens[0] not in {"we", "wij", "zij", "ze"}:
        return False  # a lone lowercase word is an adverb or adjective, not a party
    return any(c.isalpha() for c in low) and not low.endswith((" de", " het", " een", " van"))


def _plural_verb(verb: str) -> bool:
    return verb.split()[0].lower().endswith("en")


def _plural_party(party: str) -> bool:
    """A party that can take a plural verb: a pronoun, a plural noun (``-en``, ``-s``), a pair."""
    low = party.lower().strip()
    last = low.split()[-1] if low.split() else ""
    return (low in {"we", "wij", "zij", "ze", "jullie"} or last.endswith(("en", "s", "’s", "'s"))
            or " en " in f" {low} " or "," in low)


def _party_before(pre: str) -> str | None:
    pre = pre.strip()
    marker = marker_of(pre)
    if marker:
        pre = pre[marker.length:]
    pre = pre.strip().rstrip(",").strip()
    if "," in pre and not _is_party(pre):  # keep an apposition (``De gemeente, het college van ...,``)
        pre = pre.rsplit(",", 1)[1]
    pre = re.sub(r"^(?:en|maar|ook|dus|want)\s+", "", pre.strip(), flags=re.IGNORECASE)
    return pre if _is_party(pre) else None


def _party_after(post: str) -> str | None:
    """The subject after an inverted verb: a pronoun alone, else the phrase up to a preposition."""
    first = post.strip().split(" ", 1)[0]
    if first.lower() in {"we", "wij", "zij", "ze", "hij"}:
        return first
    m = _STOP_AFTER_PARTY.search(" " + post + " ")
    party = (" " + post)[: m.start()] if m else post
    party = party.strip()
    if not party or len(party.split()) > PARTY_AFTER_VERB_MAX_WORDS or not _is_party(party):
        return None
    return party


def _active(doc: CleanDocument, block: Block, a: int, b: int) -> Responsibility | None:
    sentence = block.text[a:b]
    words = structure_words().responsibility
    low = sentence.lower()
    for form, cue, first, pattern in _verb_patterns():
        if first not in low:
            continue
        m = pattern.search(sentence)
        if not m:
            continue
        if m.start() > 0 and m.group(0)[:1].isupper():
            continue  # part of a name (``Richtlijn Samen Beslissen``)
        pre, post = sentence[: m.start()], sentence[m.end():]
        if re.match(r"\s*te\s", post) or post.strip()[:1] == ")":
            continue  # ``voert te ver om ... uit te werken``, ``(Samen Beslissen)``
        before = pre.rstrip().split()[-1].lower() if pre.strip() else ""
        if before in words.noun_markers:
            continue  # ``het besluit``, ``voor besluiten``, ``te besluiten``: no finite verb
        modal = re.search(rf"\s(?:{'|'.join(map(re.escape, words.modals))})\s", f" {pre} ")
        extra = ""
        if modal:  # ``Onderwijs kan alleen groepsaanbod financieren``
            extra = f" {pre} "[modal.end():].strip()
            pre = f" {pre} "[: modal.start()]
        party = _party_before(pre)
        if party is not None and _plural_verb(m.group(0)) and not _plural_party(party):
            party = None  # ``Uitdagend leerlandschap organiseren``: an infinitive, not ``X organiseren``
        duty_text = f"{extra} {post}" if extra else post
        if party is None:
            opener = pre.strip().rstrip(",").lower()
            if opener and opener not in words.adverbs:
                continue
            party = _party_after(post)
            if party is None:
                continue
            duty_text = post.strip()[len(party):]
        gap = m.group("gap").strip()
        duty = trim_phrase(f"{gap} {duty_text}" if gap else duty_text)
        if form != "beslist" and len(duty.split()) < 2:
            continue
        return Responsibility(**place(doc, block), quotes=[quote(block, a, b)], form=form, party=trim_phrase(party),
                              duty=duty[:DUTY_MAX_CHARS], cue=cue)
    return None


def _strip_copula(text: str) -> str:
    """``... en is daarmee een`` -> ``...``: the words that link a duty to ``verantwoordelijkheid van``."""
    text = re.sub(r"(?:^|\s+)(?:en\s+)?(?:is|zijn|blijft|blijven|wordt|worden)\b.*$", "", text.strip())
    return trim_phrase(text)


def _owned(doc: CleanDocument, block: Block, a: int, b: int) -> Responsibility | None:
    """``X ... valt daarmee onder de verantwoordelijkheid van de gemeente``: the party after the cue,
    the duty the clause before it."""
    sentence = block.text[a:b]
    low = sentence.lower()
    for cue in structure_words().responsibility.owned_by:
        k = low.find(cue)
        if k < 0 or (k and low[k - 1].isalnum()):
            continue
        party = trim_phrase(re.split(r"[,;:.]|\s(?:om|zodat|die|dat|als)\s", sentence[k + len(cue):])[0])
        head = sentence[:k]
        clause = _CLAUSE_START.match(head)
        duty = _strip_copula(sentence[clause.end() if clause else 0:k])
        if len(duty.split()) < 2:  # ``OGGZ valt onder de Wmo en is daarmee een ...``: the subject is earlier
            duty = _strip_copula(head)
        if _is_party(party) and len(duty.split()) >= 2:
            return Responsibility(**place(doc, block), quotes=[quote(block, a, b)], form="verantwoordelijk",
                                  party=party, duty=duty[:DUTY_MAX_CHARS], cue=cue)
    return None


# --- passive sentences --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _passive_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    words = structure_words().responsibility
    aux = r"(?:wordt|worden|werd|werden|is|zijn)"
    out = []
    for form, participles in words.participles.items():
        alt = "|".join(map(re.escape, participles))
        then_by = re.compile(rf"\b{aux}\s+(?:[^,;:.]{{0,40}}?\s)?(?P<part>{alt})\s+door\s+(?P<party>[^,;:.]{{2,70}})",
                             re.IGNORECASE)
        by_then = re.compile(rf"\b{aux}\b[^,;:.]{{0,80}}?\bdoor\s+(?P<party>[^,;:.]{{2,70}}?)\s+(?P<part>{alt})\b",
                             re.IGNORECASE)
        out.append((form, then_by, by_then))
    return out


_CLAUSE_START = re.compile(r".*(?:[,;:]\s|\sdat\s|\sén\s|\sen\s|\swaarna\s|\somdat\s|\swaardoor\s)", re.IGNORECASE)


def _passive(doc: CleanDocument, block: Block, a: int, b: int) -> Responsibility | None:
    """``Y wordt door X genomen`` / ``Y moet zijn genomen door X``: the clause of the passive
    verb is the duty, verbatim."""
    sentence = block.text[a:b]
    if " door " not in sentence.lower():
        return None
    for form, then_by, by_then in _passive_patterns():
        m = then_by.search(sentence) or by_then.search(sentence)
        if not m:
            continue
        party = trim_phrase(re.split(r"\s(?:om|zodat|waarbij|die|dat|als|en\s+(?:de|het))\s", m.group("party"))[0])
        if not _is_party(party):
            continue
        head = sentence[: m.start()]
        clause = _CLAUSE_START.match(head)
        start = clause.end() if clause else 0
        marker = marker_of(sentence[start:])
        start += marker.length if marker else 0
        duty = trim_phrase(sentence[start:])
        if len(duty.split()) < 3:
            continue
        return Responsibility(**place(doc, block), quotes=[quote(block, a, b)],
                              form="betaalt" if form == "betaalt" else "passive",
                              party=party, duty=duty[:DUTY_MAX_CHARS], cue=m.group("part").lower())
    return None
