"""Dutch text analysis shared by the BM25 index, query analysis and answer scoring.

One analyzer for both sides of lexical retrieval: what a document says and what a coach types
go through the same folding (:func:`fold`, the one fold of Wegwijs), stop-word removal and
``dutch_porter`` stemming. The domain's abbreviations and their written-out forms (OZA /
onderwijs-zorgarrangement, TLV / toelaatbaarheidsverklaring ...) are mapped to one concept tag on
both sides, so either spelling finds the other; the tags and word lists are data
(:mod:`assistant.core.lexicon`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from stop_words import get_stop_words

from assistant.core.lexicon import lexicon, lexicon_version

CONCEPT_PREFIX = "§"


@lru_cache(maxsize=1)
def _concept_patterns() -> dict[str, re.Pattern]:
    """The concept tags of the lexicon, each as one compiled pattern over folded text."""
    return {tag: re.compile("|".join(f"(?:{p})" for p in pats)) for tag, pats in lexicon().concepts.items()}


# The one tokenizer: runs of letters and digits (and the concept mark §, the @ of an address),
# joined by '&', '-' or an apostrophe into one token ("j&g", "onderwijs-zorg", "oza's"). Every
# view below (surface words, BM25 terms, record words) splits these tokens in its own way.
_TOKEN = re.compile(r"[0-9a-z§@]+(?:[&'\-][0-9a-z§@]+)*")


def tokens(folded: str) -> list[str]:
    """The tokens of already folded text."""
    return _TOKEN.findall(folded)


@lru_cache(maxsize=None)
def _separator_pattern(separators: str) -> re.Pattern:
    return re.compile(f"[{re.escape(separators)}]")


def _split(token: str, separators: str) -> list[str]:
    if not any(c in token for c in separators):  # most tokens: nothing to split
        return [token] if token else []
    return [p for p in _separator_pattern(separators).split(token) if p]


def fold(text: str | None) -> str:
    """Lowercase, NFKC, strip diacritics, unify quotes; keeps ``&``, ``-`` and spaces.

    The one form in which words and names are compared anywhere in Wegwijs. ASCII text is its own
    NFKC and NFD form without combining marks, so it only needs lowercasing; other text is cached,
    since the same sentences are folded for every question that retrieves them.
    """
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    return _fold_unicode(text)


@lru_cache(maxsize=65_536)
def _fold_unicode(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.lower().replace("’", "'").replace("‘", "'")


_local = threading.local()


def _stemmer():
    """One stemmer per thread: snowball stemmers keep state and break when shared (API under load).

    PyStemmer (the Snowball C code) when installed, the pure-Python snowballstemmer otherwise: the
    same ``dutch_porter`` algorithm, the same stems (``scripts/check_stemmer.py`` checks every word
    of the corpus, the question sets and their lemmas), about 30 times faster.
    """
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        try:
            import Stemmer
        except ImportError:
            import snowballstemmer

            stemmer = snowballstemmer.stemmer("dutch_porter")
        else:
            stemmer = Stemmer.Stemmer("dutch_porter")
        _local.stemmer = stemmer
    return stemmer


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Dutch stop words (the stop-words package) plus the lexicon's question words and chat filler."""
    return frozenset({fold(w) for w in get_stop_words("dutch")} | lexicon().words("stop_extra"))


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def concept_tags(folded: str) -> list[str]:
    """Concept tags whose surface forms occur in already folded text."""
    return [CONCEPT_PREFIX + tag for tag, rx in _concept_patterns().items() if rx.search(folded)]


def words(text: str) -> list[str]:
    """Folded surface words (no stemming, no stop-word removal); one '&' joins ("j&g")."""
    out: list[str] = []
    for token in tokens(fold(text)):
        for part in _split(token, "-'@"):
            pieces = _split(part, "&")
            out.extend(["&".join(pieces[:2]), *pieces[2:]])
    return out


class PlaceTags:
    """Tags for the regions of one corpus: any way the corpus names a region (its name with or
    without a hyphen, its aliases: "Zuid-X", "zuid x", "ZX") adds the region's tag, in documents and
    questions alike. Built from the corpus's own data (:func:`assistant.core.index.region_tags`), so
    a region the lexicon never heard of is matched as well as the ones it started from."""

    def __init__(self, forms: dict[str, list[str]]) -> None:
        self.forms = {tag: sorted(set(f)) for tag, f in sorted(forms.items())}
        self._patterns = {tag: re.compile("|".join(
            r"(?<![\w-])" + re.escape(form).replace(r"\-", r"[-\s]?").replace(r"\ ", r"[-\s]") + r"(?![\w-])"
            for form in f)) for tag, f in self.forms.items() if f}

    def tags(self, folded: str) -> list[str]:
        return [CONCEPT_PREFIX + tag for tag, rx in self._patterns.items() if rx.search(folded)]

    def version(self) -> str:
        import hashlib

        return hashlib.sha256(repr(self.forms).encode()).hexdigest()[:12]


def analyze(text: str, with_concepts: bool = True, places: PlaceTags | None = None) -> list[str]:
    """Tokens for BM25: folded, stop words dropped, ``dutch_porter`` stems, plus concept tags (and
    the corpus's region tags when ``places`` is given).

    Hyphenated compounds yield their parts and the joined form, so ``onderwijs-zorgarrangementen``
    matches ``zorgarrangement`` and ``onderwijszorgarrangementen`` alike.
    """
    folded = fold(text).replace("%", " procent ")
    stops = stop_words()
    out: list[str] = []
    for piece in (p for token in tokens(folded) for p in _split(token, "&'@§")):
        parts = [p for p in piece.split("-") if p]
        if len(parts) > 1:
            out.append(stem("".join(parts)))
        out.extend(stem(p) for p in parts if p not in stops and (len(p) > 1 or p.isdigit()))
    if with_concepts:
        out.extend(concept_tags(folded))
        if places is not None:
            out.extend(places.tags(folded))
    return out


@lru_cache(maxsize=8192)
def term_set(text: str) -> frozenset[str]:
    """The BM25 terms of ``text`` without concept tags, as a set: ``term_set(X) <= term_set(question)``
    says that a question names X, in any inflection or word order."""
    return frozenset(analyze(text, with_concepts=False))


_SEEDED_LEMMA_STEMS: dict[str, str] = {}  # lemma stems an index generation brought (lemmas.json)


@lru_cache(maxsize=200_000)
def lemma_stem(word: str) -> str:
    """Stem of the dictionary form: 'vastgesteld' -> 'vaststell', 'organiseert' -> 'organiser'.

    Porter alone leaves Dutch participles and verb forms apart from their infinitive; simplemma
    (bundled lexicon, offline) brings them together first. The stems of the corpus's and the
    lexicon's words come from the open index (:func:`seed_lemma_stems`): simplemma's dictionary
    takes most of a second to load, and only a word neither holds needs it.
    """
    seeded = _SEEDED_LEMMA_STEMS.get(word)
    return seeded if seeded is not None else _computed_lemma_stem(word)


def _computed_lemma_stem(word: str) -> str:
    import simplemma

    lemma = simplemma.lemmatize(word, lang="nl").replace("_", "")
    return stem(fold(lemma))


def lemma_stems_of(words_: Iterable[str]) -> dict[str, str]:
    """``lemma_stem`` of every word, for an index generation to bring along (computed, never seeded)."""
    return {w: _computed_lemma_stem(w) for w in dict.fromkeys(words_)}


def seed_lemma_stems(stems: dict[str, str]) -> None:
    """Take stems computed by :func:`lemma_stems_of` with this same text analysis (the caller
    checks the version), so :func:`lemma_stem` need not load simplemma for these words."""
    _SEEDED_LEMMA_STEMS.update(stems)


def lemma_analysis_version() -> str:
    """The text analysis and the simplemma release a stored lemma stem is valid for."""
    from importlib.metadata import version

    return f"{analysis_version()}/simplemma-{version('simplemma')}"


def lemma_terms(text: str) -> list[str]:
    """Lemma stems of the content words of ``text`` (stop words dropped), in order."""
    stops = stop_words()
    return list(dict.fromkeys(lemma_stem(w) for w in words(text) if w not in stops and (len(w) > 2 or w.isdigit())))


def match_terms(text: str) -> set[str]:
    """Everything a passage can be matched on: BM25 terms, concept tags and lemma stems."""
    return set(analyze(text)) | set(lemma_terms(text))


def squash(text: str) -> str:
    """Letters and digits only, folded: for matching quotes across hyphenation and spacing."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def query_words(text: str) -> list[str]:
    """The words of a query for record lookup: folded, '&' dropped (J&G -> jg), split on everything else."""
    return [p for token in tokens(fold(text).replace("&", "")) for p in _split(token, "-'§")]


def words_of(text: str) -> set[str]:
    """The words of a record: each hyphenated or apostrophed word whole (joined) and in parts."""
    found: set[str] = set()
    for token in tokens(fold(text).replace("&", "")):
        for piece in _split(token, "§"):
            parts = _split(piece, "'-")
            found.update(parts)
            found.add("".join(parts))
    return found


def analysis_version() -> str:
    """Hash of the text analysis (this module and the lexicon it reads): BM25 tokens made with
    another version no longer match the questions' tokens."""
    import hashlib

    digest = hashlib.sha256(Path(__file__).read_bytes() + lexicon_version().encode())
    return digest.hexdigest()[:16]


TYPO_MIN_RATIO = 80  # rapidfuzz ratio (0-100) from which a known word is taken for a typo of it


def typo_repairs(word: str, vocabulary: Iterable[str], min_ratio: int = TYPO_MIN_RATIO) -> list[str]:
    """Known words ``word`` may be a typo of, best first: same first letter, at most two letters
    longer or shorter, and similar enough ("leerplciht" -> "leerplicht", "jeugdhlup" -> "jeugdhulp")."""
    from rapidfuzz import fuzz, process

    near = [w for w in vocabulary if w[:1] == word[:1] and abs(len(w) - len(word)) <= 2]
    found = process.extract(word, near, scorer=fuzz.ratio, score_cutoff=min_ratio, limit=None)
    return [w for w, _, _ in sorted(found, key=lambda m: (-m[1], m[2]))]
