"""How readable an answer is at a glance: its length, machine fragments, and what its first sentence says.

Three figures per answered question (refusals are not scored here):

- ``words``: words of the answer, citation markers and bullets aside;
- ``fragment``: the answer holds a machine fragment of the index (a record field label such as
  "Regel:", "Genoemd in:", "Brontekst:", a record heading such as "Arrangement in regio X:",
  "niet vermeld in de bron", a table row shown with its column labels "Wie: … | Waarom: …") or
  the generic opening line "Dit zeggen de bronnen …". The patterns describe the way Wegwijs's own
  ingest renders records and table rows (ingest/records.py, ingest/tables.py), so they are the
  same for every corpus;
- ``lead_holds``: the first sentence holds at least one of the question's ``must_include`` strings.

Example::

    check = readability("Het kernteam is verantwoordelijk. [1]", ["kernteam"])
    check.words, check.fragment, check.lead_holds   # (4, None, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

# record field labels and record headings as the ingest renders them; a label counts at the start
# of a line or a sentence, or after a table cell separator
_LABELS = ("Regel", "Genoemd in", "Brontekst", "Voor wie", "Bij grensverkeer", "Gewenste beweging", "Hoofdlijn",
           "Ontwikkellijn", "Ook genoemd", "Opmerking", "Wie", "Waarom", "Wanneer", "Status", "Financiering",
           "Doelgroep", "Omschrijving", "Betekenis", "Aanbieders", "Partners", "Scholen", "Gemeenten", "Onderwijs",
           "Niet in de bronnen als gemeente van deze regio genoemd")
_LABEL = re.compile(r"(?:^(?:\s*[-•*]\s+)?|[.!?|]\s+|—\s*|\s-\s)(?:" + "|".join(map(re.escape, _LABELS)) + r")\s?:", re.M | re.I)
_FRAGMENTS = [
    re.compile(r"(?:^|\s)(?:Arrangement|Actie|Opsomming) in [^:\n]{2,80}:", re.M),
    re.compile(r"Contact en route in [^:\n]{2,80}:"),
    re.compile(r"(?:^|-\s)Begrip \S+:", re.M),
    re.compile(r"Regio [^:\n(]{2,60} \([^)\n]+\): gemeenten"),
    re.compile(r"niet vermeld in de bron", re.I),
    re.compile(r"afkorting die in de bronnen wordt gebruikt zonder uitleg", re.I),
    re.compile(r"In het document \("),
    re.compile(r"^Dit zeggen de bronnen\b", re.M),
    re.compile(r"\b(?:wie|wanneer|waarom):\s", re.I),
]
_LIST_LEAD = re.compile(r"\(\d+\)(?:\s*\[\d+(?:,\s*\d+)*\])?:$")
_MARKER = re.compile(r"\[\d+(?:,\s*\d+)*\]")
_WORD = re.compile(r"\w[\w'’-]*")
# a sentence ends at . ! or ? before a capital (not at "d.d. 25" or "o.a. de"); a colon does not end one
_FIRST = re.compile(r"^(.+?[.!?])(?=(?:\s*\[\d+(?:,\s*\d+)*\])*(?:\s+[A-Z“\"(]|\s*$))", re.S)


@dataclass(frozen=True)
class Readability:
    words: int
    fragment: str | None  # the first machine fragment found, or None
    lead_holds: bool | None  # None when the question has no must_include


def words(answer: str) -> int:
    return len(_WORD.findall(_MARKER.sub(" ", answer)))


def fragment(answer: str) -> str | None:
    """The first machine fragment of the index in ``answer``, or None."""
    for pattern in (_LABEL, *_FRAGMENTS):
        found = pattern.search(answer)
        if found:
            return found.group(0).strip(" -—.|•*\n\t")
    return None


def first_sentence(answer: str) -> str:
    """The answer's first sentence: up to its first sentence end or line break, markers included.

    A first line that names a list and its size before a colon ("De pijlers (3) [1]:") announces
    the items under it; as in "De pijlers zijn: a, b en c.", that sentence runs on through them. A
    line ending in a colon that names no size ("Dit zeggen de bronnen (regio X):") does not.
    """
    lines = [ln.strip() for ln in answer.splitlines() if ln.strip()]
    line = re.sub(r"^[-•*]\s+", "", lines[0] if lines else "")
    if _LIST_LEAD.search(line):
        items = [ln for ln in lines[1:] if re.match(r"^[-•*]\s+", ln)]
        following = lines[1:1 + len(items)] == items
        return " ".join([line, *items]) if items and following else line
    found = _FIRST.match(line)
    head = found.group(1) if found else line
    # the marker(s) right after the sentence belong to it
    rest = line[len(head):]
    markers = re.match(r"\s*(?:\[\d+(?:,\s*\d+)*\]\s*)+", rest)
    return head + (markers.group(0) if markers else "")


def readability(answer: str, must_include: Sequence[str],
                contains: Callable[[str, str], bool] = lambda text, part: part.lower() in text.lower()) -> Readability:
    """The three figures of one answer; ``contains`` decides whether a must_include string is in the
    first sentence (the evaluation passes its own tolerant match, :func:`evals.scoring.text_contains`)."""
    wanted = [m for m in must_include if m.strip()]
    lead = first_sentence(answer)
    return Readability(words(answer), fragment(answer), any(contains(lead, m) for m in wanted) if wanted else None)
