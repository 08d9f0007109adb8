"""Small pure text rules used by the cleaner, one function per defect of the PDF extraction.

Each rule decides from evidence where it can: the corpus vocabulary (:func:`build_vocabulary`,
built once over all documents) says whether a word split at a line end is one word
(``samen-`` / ``werking``) or a real compound (``onderwijs-zorgarrangementen``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_KEEP_HYPHEN_NEXT = {"en", "of", "tot", "naar", "dan", "als", "en/of", "t/m"}
# a sentence end, or a form's fill-in blank ("Datum: ________"): nothing runs on after either
SENTENCE_END = re.compile(r"(?:[.!?…:]['’”\")]*|_{3,})$")


def build_vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Count lowercase word forms over raw texts (all documents of the corpus).

    Words cut at a line end (``samen-`` + newline) are not counted as a unit; hyphenated
    compounds inside a line (``onderwijs-zorgarrangementen``) are counted whole and by part.
    """
    vocab: Counter[str] = Counter()
    for text in texts:
        text = unicodedata.normalize("NFKC", text)
        for line in text.split("\n"):
            line = line.rstrip()
            if line.endswith("-"):
                line = line[: line.rfind(" ") + 1] if " " in line else ""
            for match in _WORD.finditer(line):
                word = match.group(0).lower()
                vocab[word] += 1
                if "-" in word:
                    for part in word.split("-"):
                        vocab[part] += 1
    return vocab


def normalize_unicode(text: str) -> str:
    """NFKC (ligatures, full-width forms), no-break and odd spaces to plain spaces.

    Dutch diacritics (``ë``, ``é``) and curly quotes survive NFKC unchanged; the ellipsis
    character becomes three dots.
    """
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", text)
    return text.replace("\t", "  ")


def collapse_spaces(text: str) -> str:
    """Single spaces inside a line, no space before , ; : . ! ? or inside brackets."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    text = re.sub(r" ([,;!?])", r"\1", text)
    text = re.sub(r" \.(?=\s|$)", ".", text)
    return text


def join_hyphenated(left: str, right: str, vocabulary: Counter[str] | None = None) -> str:
    """Join the last word of ``left`` (ending in '-') with the first word of ``right``.

    Decides from evidence: the next word is ``en``/``of`` (``onderwijs- en jeugdhulp``) or
    starts with a capital (``PO-`` / ``ZK``) -> keep the hyphen; the joined word is known
    from the corpus -> join; the hyphenated form is known as a unit -> keep the hyphen;
    otherwise join (Dutch line-break hyphenation of a lowercase continuation).

    >>> join_hyphenated("de samen-", "werking tussen", Counter({"samenwerking": 3}))
    'de samenwerking tussen'
    """
    left = left.rstrip()
    right = right.lstrip()
    if not right:
        return left
    head_match = re.search(r"([^\W\d_]*)-$", left)
    stem = head_match.group(1) if head_match else ""
    first = re.match(r"[^\W\d_]+", right)
    nxt = first.group(0) if first else ""
    first_token = right.split(" ", 1)[0].lower().rstrip(",.;:")
    last_token = left.rsplit(" ", 1)[-1]
    if "/" in last_token or "www." in last_token or "http" in last_token:
        return f"{left}{right}"  # a web address broken at a hyphen keeps it
    if first_token in _KEEP_HYPHEN_NEXT or not nxt:
        return f"{left} {right}"
    if nxt[0].isupper() or (stem and stem.isupper() and len(stem) > 1):
        return f"{left}{right}"
    if not stem:
        return f"{left}{right}"
    vocab = vocabulary or Counter()
    joined = (stem + nxt).lower()
    hyphened = f"{stem}-{nxt}".lower()
    if vocab.get(joined, 0) > 0 and vocab.get(joined, 0) >= vocab.get(hyphened, 0):
        return f"{left[:-1]}{right}"
    if vocab.get(hyphened, 0) > 0:
        return f"{left}{right}"
    return f"{left[:-1]}{right}"


def repair_inline_hyphen(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Join ``be- schikbaar`` (a hyphen and space left inside a line) when the corpus knows
    the joined word; ``directeur- bestuurders`` and ``opvoeden- en`` stay as they are."""
    vocab = vocabulary or Counter()

    def fix(match: re.Match[str]) -> str:
        stem, nxt = match.group(1), match.group(2)
        if nxt.lower() in _KEEP_HYPHEN_NEXT:
            return match.group(0)
        if vocab.get((stem + nxt).lower(), 0) > 0:
            return stem + nxt
        return match.group(0)

    return re.sub(r"\b([^\W\d_]{2,})- ([a-zà-ÿ]+)\b", fix, text)


_SPLIT_IJ = re.compile(r"\b([^\W\d_]*i) (j[^\W\d_]*)\b")


def repair_split_ij(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Rejoin ``ij`` that the extraction split (``zi jn``, ``mogeli jk``, ``bi j``).

    Only where the evidence says so: the part after the space starts with ``j`` followed by a
    consonant or nothing (no Dutch word does), or the joined word is known from the corpus
    while the two halves are not both words. ``i j`` between real words stays.
    """
    vocab = vocabulary or Counter()

    def fix(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        joined = (left + right).lower()
        fragment = len(right) == 1 or right[1].lower() not in "aeiouy"
        if len(left) < 2 and not fragment:
            return match.group(0)
        if fragment and (len(left) >= 2 or vocab.get(joined, 0) > 0):
            return left + right
        if vocab.get(joined, 0) > 0 and not (vocab.get(left.lower(), 0) and vocab.get(right.lower(), 0)):
            return left + right
        return match.group(0)

    return _SPLIT_IJ.sub(fix, text)


_AFTER_REFERENCE = r"(?=[\s.,;:)]|$)"  # a footnote reference digit ends at a space, a punctuation mark or the end
_GLUED_REFERENCE = re.compile(rf"[a-zà-ÿ]{{3}}(\d{{1,2}}){_AFTER_REFERENCE}")


def strip_footnote_refs(text: str, numbers: set[int]) -> str:
    """Remove footnote reference digits glued to a word (``ondersteuning1.`` -> ``ondersteuning.``,
    ``5a3`` -> ``5a``) for footnotes the document actually has."""
    if not numbers:
        return text
    alternatives = "|".join(str(n) for n in sorted(numbers, reverse=True))
    return re.sub(rf"(?<=[a-zà-ÿ’)])(?:{alternatives}){_AFTER_REFERENCE}", "", text)


def glued_reference_numbers(text: str) -> set[int]:
    """The numbers ``text`` refers to with a digit glued to a word (``de wijkteams4 en``: 4)."""
    return {int(n) for n in _GLUED_REFERENCE.findall(text)}


def is_lone_page_number(line: str) -> bool:
    """A line holding only a page number (``6``, ``12``)."""
    return bool(re.fullmatch(r"\s*\d{1,3}\s*", line))


def is_checkbox_line(line: str) -> bool:
    """A line of form checkboxes or lone asterisks (``□``, ``*``), the columns of a checklist."""
    stripped = line.strip()
    return bool(stripped) and bool(re.fullmatch(r"[□☐■◻❑✓✔*\s]+", stripped))


def strip_trailing_marks(line: str) -> str:
    """Drop a checklist mark glued to the end of an item (``Leren met plezier *``)."""
    return re.sub(r"\s+[*□☐]+\s*$", "", line)


def clean_text(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Clean one passage of running text: Unicode, split ``ij``, inline hyphens, spaces."""
    text = normalize_unicode(text)
    text = repair_split_ij(text, vocabulary)
    text = repair_inline_hyphen(text, vocabulary)
    return collapse_spaces(text)


def first_word(line: str) -> str:
    return line.strip().split(" ", 1)[0] if line.strip() else ""


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line.rstrip()))
