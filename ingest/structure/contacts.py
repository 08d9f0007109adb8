"""Contact lines: phone numbers, e-mail addresses, postal addresses and websites, and whose they are.

The value is found by its shape (an e-mail address, a Dutch phone number or a labelled one, a
postcode ``1300 AE`` with its place and the street or ``Postbus`` before it, a ``www.``/``http``
address). Its owner is looked for, in this order:

1. on the same line: the name before the value, after a preposition (``meld je aan bij het
   Team kwaliteit: ...``) or after a label word (``Contactgegevens Gemeente X Postbus ...``);
2. in the block before, when that is a short line (a name above an address block);
3. in the heading above.

A value with no owner in any of these keeps ``owner == ""``; nothing is guessed.
"""

from __future__ import annotations

import re

from assistant.core.types import Block, CleanDocument
from ingest.structure.base import place, quote, trim_phrase
from ingest.structure.quantities import _stop_words
from assistant.core.structure import Contact
from ingest.structure.words import structure_words

OWNER_MAX_WORDS = 8
PREVIOUS_LINE_MAX_CHARS = 80

_EMAIL = re.compile(r"(?<![\w.&+-])[\w.&+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_URL = re.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>()\"“”]+[^\s<>()\"“”.,;:!?]", re.IGNORECASE)
# Dutch numbers: 020-1234567, 020 123 45 67, 06-12345678, 088 - 123 4567, 0800-1234, +31 6 1234 5678, (020) 123 45 67
_PHONE = re.compile(
    r"(?<![\w+])(?:\+31[\s-]?(?:\(0\))?[\s-]?\d{1,3}|\(0\d{1,3}\)|0\d{1,3})[\s-]?\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?![\w])"
    r"|(?<![\w+])0[89]00[\s-]?\d{4}(?:\s?\d{3})?(?![\w])"
)
_LABELLED_PHONE = re.compile(r"(?i)\b(?:tel|telefoon(?:nummer)?|bel|t|mob(?:iel)?|fax)\.?\s*[:.]?\s*(\+?[\d()][\d\s()-]{3,16}\d)")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b(?:\s+(?P<place>[A-Z][a-zà-ÿ'-]+(?:[ -][A-Z][a-zà-ÿ'-]+)?))?")
_STREET = re.compile(r"(?:\b(?:Postbus|Antwoordnummer)\s+\d+|\b[A-Z][a-zà-ÿ'.-]+(?:straat|weg|laan|plein|kade|gracht|singel|park|dijk|markt|hof|pad|dreef|baan)?\s\d{1,4}[a-zA-Z]?(?:-\d+)?)\s*,?\s*$")


def extract_contacts(doc: CleanDocument) -> list[Contact]:
    """All contact values of ``doc`` in document order, each with its owner where one is named."""
    out: list[Contact] = []
    seen: set[tuple[str, str, str]] = set()
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            continue
        found = _values(block.text)
        owner_line = ""
        for channel, a, b in found:
            owner, source = _owner_on_line(block.text, a, found)
            if owner:
                owner_line = owner
            elif owner_line:
                owner, source = owner_line, "line"  # later values of one address block share the owner
            else:
                owner, source = _owner_elsewhere(blocks, i, channel, doc.meta.title)
            key = (channel, block.text[a:b].strip().lower(), owner)
            if key in seen:
                continue  # the same value with the same owner again (a repeated reference list)
            seen.add(key)
            out.append(Contact(**place(doc, block), quotes=[quote(block, a, b)], channel=channel,
                               value=block.text[a:b].strip(), owner=owner, owner_from=source))
    return out


def _values(text: str) -> list[tuple[str, int, int]]:
    """``(channel, start, end)`` of every contact value, without overlaps, in text order."""
    spans: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(channel: str, a: int, b: int) -> None:
        if any(a < y and x < b for x, y in taken):
            return
        spans.append((channel, a, b))
        taken.append((a, b))

    for m in _EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in _URL.finditer(text):
        add("website", m.start(), m.end())
    for m in _LABELLED_PHONE.finditer(text):
        add("phone", m.start(1), m.end(1))
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 10 <= len(digits) <= 12 or (digits.startswith(("0800", "0900")) and len(digits) >= 8):
            add("phone", m.start(), m.end())
    labels = _label_words()
    for m in _POSTCODE.finditer(text):
        end = m.end()
        if m.group("place") and m.group("place").lower().split()[-1] in labels:
            end = m.start("place") + len(m.group("place").rsplit(" ", 1)[0]) if " " in m.group("place") else m.end(0) - len(m.group("place")) - 1
        window = text[max(0, m.start() - 60):m.start()]
        street = _STREET.search(window)
        start = m.start() - (len(window) - street.start()) if street else m.start()
        add("address", start, end)
    for m in re.finditer(r"\bPostbus\s+\d+\b", text):
        add("address", m.start(), m.end())
    return sorted(spans, key=lambda s: s[1])


def _label_words() -> set[str]:
    words = structure_words().contact
    return {w for forms in words.labels.values() for w in forms} | set(words.not_owners)


def _is_owner(text: str) -> bool:
    words = structure_words().contact
    low = text.lower().strip()
    tokens = low.split()
    if not tokens or len(tokens) > OWNER_MAX_WORDS or low in words.not_owners:
        return False
    if tokens[0] in {"je", "jij", "u", "we", "wij", "ik", "dit", "dat", "hier", "deze", "zie", "klik"}:
        return False
    if all(t in _stop_words() or t in words.not_owners for t in tokens):
        return False  # ``Meer (informatie)``: only function words
    return any(c.isupper() for c in text) or tokens[0] in {"de", "het"}


def _owner_on_line(text: str, start: int, found: list[tuple[str, int, int]]) -> tuple[str, str]:
    """The owner named right before a value on its own line or sentence."""
    line_start = max(text.rfind("\n", 0, start), max((m.end() for m in re.finditer(r"[.!?]\s", text[:start])), default=0))
    before = text[line_start:start]
    for _, a, b in found:  # other contact values before this one are no owner
        if a < start and b > line_start:
            before = before.replace(text[a:b], " ")
    labels = _label_words()
    words = structure_words().contact
    tokens = re.findall(r"[\w&’'./-]+|[:,;]", before)
    # drop trailing labels and punctuation (``... Team kwaliteit: ``, ``Tel: ``)
    while tokens and (tokens[-1] in ":,;" or tokens[-1].lower().rstrip(".:") in labels or tokens[-1].isdigit()):
        tokens.pop()
    cut = 0
    for k, tok in enumerate(tokens):
        low = tok.lower().rstrip(".:")
        if low in words.owner_prepositions or low in labels or tok in ":,;":
            cut = k + 1
    owner = trim_phrase(" ".join(tokens[cut:]))
    owner = re.sub(r"^(?:de|het|een)\s+(?=[A-Z])", "", owner)
    return (owner, "line") if owner and _is_owner(owner) else ("", "")


def _owner_elsewhere(blocks: list[Block], i: int, channel: str, title: str) -> tuple[str, str]:
    """The short line before the value's block, or (not for a web link in running text, whose
    heading names a topic rather than an owner) the heading above it; never the document title."""
    if i > 0:
        prev = blocks[i - 1]
        text = prev.text.strip().rstrip(":")
        if prev.kind != "table_row" and len(text) <= PREVIOUS_LINE_MAX_CHARS and not _values(text) and _is_owner(text) \
                and not text.endswith((".", "?")):
            return text, "previous"
    path = blocks[i].section_path
    heading = path[-1] if path and path != [title] else ""  # the title stands in for a missing heading
    if channel != "website" and heading and _is_owner(heading) and not heading.endswith("?") \
            and not heading[:1].isdigit():
        return heading, "heading"
    return "", ""
