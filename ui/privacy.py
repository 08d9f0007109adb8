"""Pupil-data minimisation: personal details replaced by placeholders before anything is kept.

Coaches type questions about real pupils ("jongen van 14 uit <woonplaats>, Mohammed, zit al weken
thuis"). The answer path may use the question as typed, but what Wegwijs *stores* (feedback) or
*logs* first goes through :class:`Scrubber`, which replaces

- BSN numbers (nine digits that pass the elfproef) by ``[bsn]``,
- e-mail addresses by ``[e-mail]``, Dutch phone numbers by ``[telefoon]``,
- postcodes (with their house number) and street + house number by ``[adres]``,
- dates of birth (after a cue such as "geboren", or any full date that can be one) by ``[geboortedatum]``,
- person names by ``[naam]``: capitalised words that are not known words (the corpus
  vocabulary), not places and not common Dutch words (stop words and the simplemma lexicon).

What is known is passed in, not looked up: ``known_words`` (folded words of the indexed
passages) and ``is_place`` (the places the index covers and the gazetteer of Dutch places).

Example::

    scrubber = Scrubber(known_words=vocabulary_of(texts), is_place=places_checker(["Plaatsdam"]))
    scrubber.scrub("Mohammed (BSN 111222333) uit Plaatsdam zit thuis")
    # -> "[naam] (BSN [bsn]) uit Plaatsdam zit thuis"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from assistant.core.text import fold, stop_words, words

PLACEHOLDERS = {"name": "[naam]", "bsn": "[bsn]", "email": "[e-mail]", "phone": "[telefoon]", "address": "[adres]",
                "birthdate": "[geboortedatum]"}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 0 + nine digits (separators anywhere: 06-12345678, 023 511 50 00), "(023) 5115000", +31/0031 with or
# without (0), 0800/0900 numbers
_DIGITS = r"(?:[\s.-]{0,2}\d)"
_PHONE = re.compile(rf"(?<![\w+])(?:(?:\+|00)31[\s.-]?(?:\(0\)[\s.-]?)?(?=[1-9]){_DIGITS}{{9}}|0(?=[1-9]){_DIGITS}{{9}}|"
                    rf"\(0\d\){_DIGITS}{{8}}|\(0\d\d\){_DIGITS}{{7}}|\(0\d\d\d\){_DIGITS}{{6}}|"
                    rf"0[89]0\d(?:[\s.-]?\d){{4}}(?:(?:[\s.-]?\d){{3}})?)(?![\w])")
_BSN = re.compile(r"(?<![\w.,-])\d(?:[ .-]?\d){8}(?![\w-]|[.,]\d)")
_MONTHS = (r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           r"jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec")
_DAY, _MONTH = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])"
# 3-3-2011, 03/03/11, 3.3.2011 (a dotted date needs four year digits: "3.1.12" is a paragraph), 3 maart 2011, 2011-03-03
_DATE = re.compile(rf"(?<![\w/.-])(?:{_DAY}[-/]{_MONTH}[-/](?P<y1>(?:19|20)?\d{{2}})|{_DAY}\.{_MONTH}\.(?P<y2>(?:19|20)\d{{2}})|"
                   rf"{_DAY}\s+(?:{_MONTHS})\.?\s+(?P<y3>(?:19|20)\d{{2}})|"
                   rf"(?P<y4>(?:19|20)\d{{2}})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?![\w/-]|\.\d)", re.IGNORECASE)
_BIRTH_CUE = re.compile(r"\b(?:geboren|geb\.|geboortedatum|geb\.?\s?datum|gebdatum|geboortejaar|verjaardag)"
                        r"\s*(?:op|in|:)?\s*", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d{2}(?!\w)")
_POSTCODE = re.compile(r"(?<![\w-])[1-9]\d{3}(?P<letters>\s?[A-Z]{2}|[a-z]{2})(?![\w-])"
                       r"(?P<number>\s*,?\s*(?:nr\.?\s*|nummer\s+)?\d{1,5}(?:\s?[a-zA-Z](?![\w])|-\d{1,4})?(?![\w]))?")
# "2014 VO" is a year and a school level, not a postcode, unless a house number follows
_LEVEL_LETTERS = frozenset({"PO", "VO", "SO"})
_STREET = re.compile(r"(?<![\w-])[A-Z][\w'-]*(?:straat|laan|weg|plein|gracht|kade|singel|dreef|hof|pad|steeg|dijk|"
                     r"park|baan|plantsoen|markt|ring|wal)\s+\d{1,5}(?:\s?[a-zA-Z](?![\w])|-\d{1,4})?(?![\w])")
# a word: letters, optionally joined by hyphens or apostrophes ("El-Amrani", "'s-Gravenhage", "Mohammed's")
_WORD = re.compile(r"(?:'s-)?[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# words after which a capitalised word is a person, whatever else it could mean ("mevrouw Bakker", "zoon Daan")
_PERSON_CUES = frozenset({"meneer", "mevrouw", "mevr", "mw", "dhr", "heer", "juf", "juffrouw", "meester", "leerling",
                          "jongen", "meisje", "kind", "zoon", "dochter", "broer", "broertje", "zus", "zusje", "moeder",
                          "vader", "pupil", "client"})
_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "van't", "el", "al", "le", "la",
                        "da", "di", "du", "dos", "bin", "ben", "ibn", "abu"})
_BIRTH_WINDOW_YEARS = 30  # a full date in the last 30 years can be a pupil's (or young adult's) date of birth


@dataclass(frozen=True)
class Finding:
    """One personal detail found in a text: its kind and where it stands (``text[start:end]``)."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.kind]


# -- pure detectors ----------------------------------------------------------------------------------
def elfproef(digits: str) -> bool:
    """Whether nine digits form a valid BSN: sum of digit x weight (9..2, and -1 for the last) divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def find_emails(text: str) -> list[Finding]:
    return [Finding("email", m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(text)]


def find_bsns(text: str) -> list[Finding]:
    """Nine-digit numbers (also written 1234.56.782 or 123 456 782) that pass the elfproef."""
    return [Finding("bsn", m.start(), m.end(), m.group(0)) for m in _BSN.finditer(text)
            if elfproef(re.sub(r"\D", "", m.group(0)))]


def find_phones(text: str) -> list[Finding]:
    """Dutch phone numbers: 06-12345678, 023 511 50 00, (023) 5115000, +31 (0)6 1234 5678, 0800-1234."""
    return [Finding("phone", m.start(), m.end(), m.group(0)) for m in _PHONE.finditer(text)]


def find_birthdates(text: str, today: date) -> list[Finding]:
    """Dates after a birth cue ("geboren op 3 maart 2011", "geb. 03-03-2011", "geboortejaar 2011"), and any
    full date whose year lies in the last :data:`_BIRTH_WINDOW_YEARS` years (it can be a date of birth)."""
    out, cued = [], set()
    for cue in _BIRTH_CUE.finditer(text):
        if match := _DATE.match(text, cue.end()):
            cued.add(match.start())
        elif match := _YEAR.match(text, cue.end()):
            out.append(Finding("birthdate", match.start(), match.end(), match.group(0)))
    for match in _DATE.finditer(text):
        year = next(y for y in match.group("y1", "y2", "y3", "y4") if y)
        if len(year) == 2:
            year = ("20" if int(year) <= today.year % 100 else "19") + year
        if match.start() in cued or today.year - _BIRTH_WINDOW_YEARS <= int(year) < today.year:
            out.append(Finding("birthdate", match.start(), match.end(), match.group(0)))
    return out


def find_addresses(text: str) -> list[Finding]:
    """Postcodes (with a house number after them) and street names with a house number."""
    found = [Finding("address", m.start(), m.end(), m.group(0)) for m in _POSTCODE.finditer(text)
             if m.group("number") or m.group("letters").strip() not in _LEVEL_LETTERS]
    found += [Finding("address", m.start(), m.end(), m.group(0)) for m in _STREET.finditer(text)]
    return found


def _capitalised(token: str) -> bool:
    """Title case ("Mohammed", "El-Amrani", "'s-Hertogenbosch"), not an acronym ("BSN", "TLV")."""
    core = token.removeprefix("'s-")
    return core[:1].isupper() and not core.replace("-", "").replace("'", "").isupper()


def replace_findings(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every finding replaced by its placeholder; of overlapping findings the first listed wins."""
    chosen: list[Finding] = []
    for finding in findings:
        if not any(finding.start < other.end and other.start < finding.end for other in chosen):
            chosen.append(finding)
    out, last = [], 0
    for finding in sorted(chosen, key=lambda f: f.start):
        out += [text[last:finding.start], finding.placeholder]
        last = finding.end
    return "".join(out + [text[last:]])


def redact_values(text: str, findings: Iterable[Finding]) -> str:
    """Replace in ``text`` every literal occurrence of the found values (e.g. a name from the question
    that an answer repeats); everything else in ``text`` stays as it is."""
    for finding in sorted(findings, key=lambda f: -len(f.text)):
        if len(finding.text) >= 2:
            text = re.sub(r"(?<!\w)" + re.escape(finding.text) + r"(?!\w)", finding.placeholder, text)
    return text


# -- lexicon and places ----------------------------------------------------------------------------
def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """Folded words of ``texts`` (any case): the corpus vocabulary a scrubber treats as known words."""
    vocabulary: set[str] = set()
    for text in texts:
        vocabulary.update(words(text))
    return vocabulary


def places_checker(names: Iterable[str]) -> Callable[[str], bool]:
    """An ``is_place`` for :class:`Scrubber` from place names (any case, with or without diacritics)."""
    known = frozenset(fold(n).strip() for n in names if n and n.strip())
    return lambda name: fold(name).strip() in known


@lru_cache(maxsize=50_000)
def dutch_word(word: str) -> bool:
    """Whether ``word`` is a common Dutch word: a stop word, or in the simplemma lexicon as a common noun,
    verb ... (not as a proper noun: simplemma keeps names such as "Piet" with a capital)."""
    import simplemma

    lower = word.lower()
    if fold(lower) in stop_words():
        return True
    if not simplemma.is_known(lower, lang="nl"):
        return False
    return simplemma.lemmatize(lower[:1].upper() + lower[1:], lang="nl")[:1].islower()


class Scrubber:
    """Replaces personal details in free text by placeholders; see the module docstring.

    Args:
        known_words: folded words that are never a name (the corpus vocabulary, see :func:`vocabulary_of`).
        is_place: whether a (multi-word) name is a place; places are kept.
        is_word: whether a word is a common Dutch word (default :func:`dutch_word`).
        today: the date birth years are counted back from (default: the day of each call).
    """

    def __init__(self, known_words: set[str], is_place: Callable[[str], bool],
                 is_word: Callable[[str], bool] = dutch_word, today: date | None = None) -> None:
        self.known_words = known_words
        self.is_place = is_place
        self.is_word = is_word
        self.today = today

    def scrub(self, text: str) -> str:
        """``text`` with every personal detail replaced by its placeholder."""
        return replace_findings(text, self.findings(text)) if text else text

    def findings(self, text: str) -> list[Finding]:
        """All personal details in ``text``, most specific kinds first (an e-mail before the name in it)."""
        today = self.today or date.today()
        return (find_emails(text) + find_phones(text) + find_bsns(text) + find_birthdates(text, today)
                + find_addresses(text) + self.find_names(text))

    # -- names -----------------------------------------------------------------------------------
    def known(self, token: str) -> bool:
        """Whether a capitalised word is a known word, a place or a common Dutch word (so not a name)."""
        if self.is_place(token):
            return True
        parts = [p for p in re.split(r"[-'’]", token.removeprefix("'s-")) if p]
        if len(parts) > 1 and token[:1] != "'":
            parts = parts[:1] if len(parts[-1]) == 1 else parts  # "Mohammed's": the possessive s is no word
        return all(self._known_part(p) for p in parts)

    def _known_part(self, part: str) -> bool:
        folded = fold(part)
        return folded in self.known_words or self.is_word(part) or self._compound(folded)

    def _compound(self, folded: str) -> bool:
        """A long word made of two known words ("jeugdhulpaanbod"), optionally with a linking s or e."""
        if len(folded) < 8:
            return False
        for cut in range(4, len(folded) - 3):
            head, tail = folded[:cut], folded[cut:]
            if not self._known_simple(tail):
                continue
            if self._known_simple(head) or head[-1] in "se" and self._known_simple(head[:-1]):
                return True
        return False

    def _known_simple(self, folded: str) -> bool:
        return len(folded) >= 3 and (folded in self.known_words or self.is_word(folded))

    def find_names(self, text: str) -> list[Finding]:
        """Person names: capitalised words that are not known (see :meth:`known`), a capitalised word after a
        person cue ("mevrouw", "zoon"), widened over the parts of the name around them ("Sara de Vries")."""
        tokens = list(_WORD.finditer(text))
        places = self._place_tokens(text, tokens)
        flagged = set()
        for i, token in enumerate(tokens):
            word = token.group(0)
            if i in places or not _capitalised(word) or fold(word) in _PERSON_CUES:
                continue
            cued = i > 0 and fold(tokens[i - 1].group(0)) in _PERSON_CUES \
                and text[tokens[i - 1].end():token.start()].strip(" \t.") == ""  # "mevrouw Bakker", "dhr. Bakker"
            if cued or not self.known(word):
                flagged.add(i)
        spans: list[tuple[int, int]] = []
        for i in sorted(flagged):
            if spans and spans[-1][0] <= i <= spans[-1][1]:
                continue
            spans.append(self._widen(text, tokens, i, places))
        return [Finding("name", tokens[a].start(), tokens[b].end(), text[tokens[a].start():tokens[b].end()])
                for a, b in spans]

    def _place_tokens(self, text: str, tokens: list[re.Match]) -> set[int]:
        """Indexes of tokens inside a known place name of one to four words ("X aan Zee", "Y op Z")."""
        inside: set[int] = set()
        for i, token in enumerate(tokens):
            if i in inside or not _capitalised(token.group(0)) or self._surname_position(text, tokens, i):
                continue
            for n in range(min(4, len(tokens) - i), 0, -1):
                if n > 1 and not all(_adjacent(text, tokens, j) for j in range(i, i + n - 1)):
                    continue
                if self.is_place(text[token.start():tokens[i + n - 1].end()]):
                    inside.update(range(i, i + n))
                    break
        return inside

    @staticmethod
    def _surname_position(text: str, tokens: list[re.Match], i: int) -> bool:
        """After a first name and a lowercase particle ("Jan de Vries", "Anna van der Berg") a word is a
        surname, even when a place carries the same name."""
        if i < 2 or not (_adjacent(text, tokens, i - 2) and _adjacent(text, tokens, i - 1)):
            return False
        particle, first = tokens[i - 1].group(0), tokens[i - 2].group(0)
        return particle.islower() and fold(particle) in _PARTICLES and _capitalised(first)

    def _widen(self, text: str, tokens: list[re.Match], i: int, places: set[int]) -> tuple[int, int]:
        """The whole name around token ``i``: capitalised neighbours and particles between them. A known
        word that opens the sentence is not part of it ("Bel Kenterhuis", "Vandaag Fatima gesproken")."""
        def part_of_name(j: int) -> bool:
            word = tokens[j].group(0)
            folded = fold(word)
            if j in places or not _capitalised(word) or folded in stop_words() - _PARTICLES or folded in _PERSON_CUES:
                return False
            return not (_opens_sentence(text, tokens, j) and self.known(word))

        start, end = i, i
        j = i + 1
        while j < len(tokens) and _adjacent(text, tokens, j - 1):
            if part_of_name(j):
                end = j
            elif fold(tokens[j].group(0)) not in _PARTICLES:
                break
            j += 1
        j = i - 1
        while j >= 0 and _adjacent(text, tokens, j):
            if part_of_name(j):
                start = j
            elif fold(tokens[j].group(0)) not in _PARTICLES or _opens_sentence(text, tokens, j):
                break
            j -= 1
        return start, end


def _opens_sentence(text: str, tokens: list[re.Match], j: int) -> bool:
    before = text[:tokens[j].start()].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:;\n"


def _adjacent(text: str, tokens: list[re.Match], j: int) -> bool:
    """Whether token ``j`` and token ``j + 1`` are separated by spaces only (no comma, no full stop)."""
    return j + 1 < len(tokens) and text[tokens[j].end():tokens[j + 1].start()].strip(" \t") == ""
