"""Term sets computed at ingest: what every passage and sentence can be matched on, stored once.

Answering a question compares the question's terms with the terms of the sentences and passages
it retrieved (:func:`assistant.core.text.match_terms`: BM25 stems, concept tags, lemma stems).
Those texts are known at ingest, so the ingest computes their term sets once
(:func:`texts_to_analyze` says which texts) and stores them in the generation as one compact table
(``terms.npz``: a vocabulary, the sorted 64-bit hashes of the texts, and per text the ids of its
terms). A question then looks its candidates up instead of stemming them, and the document
frequencies (IDF) come from the same table. Beside it the ingest stores the surface-word counts of
the passages (``words.json``, :func:`word_counts`), the vocabulary the query analyzer repairs typos
and compounds against, so opening an index does not fold and split every passage again.

A table is tied to the text analysis that made it (:func:`assistant.core.text.analysis_version`):
one made with another analysis is not used, so a lookup never returns stale terms.

Open tables are known process-wide (:func:`remember`, :func:`known_terms`): the term set of a text
depends only on the text, so any open generation's table may answer for it. Tables are held by
weak reference and leave with the index that opened them.

Example::

    table = TermTable.build(texts)                 # at ingest
    table.save(gen / TERMS_FILE)
    table = TermTable.load(gen / TERMS_FILE)       # Index.open
    remember(table)
    known_terms("Het samenwerkingsverband ...")    # -> frozenset or None
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from assistant.core.lexicon import lexicon
from assistant.core.text import analysis_version, lemma_analysis_version, lemma_stems_of, match_terms, words

TERMS_FILE = "terms.npz"
WORDS_FILE = "words.json"
LEMMAS_FILE = "lemmas.json"


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """Surface-word counts (folded, :func:`assistant.core.text.words`) of ``texts``."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text))
    return counts


def save_word_counts(path: Path, counts: Counter[str]) -> None:
    """Store word counts with the text analysis that made them."""
    path.write_text(json.dumps({"version": analysis_version(), "counts": dict(counts)}, ensure_ascii=False),
                    encoding="utf-8")


def lexicon_words() -> set[str]:
    """Every word the lexicon holds (its word sets, phrases, keys), as :func:`words` splits them."""
    return {w for text in lexicon().strings() for w in words(text)}


def save_lemma_stems(path: Path, vocabulary: Iterable[str]) -> None:
    """Store the lemma stems of ``vocabulary`` and of the lexicon's words with the text analysis and
    simplemma release that made them (``lemmas.json``): opening the index then seeds
    :func:`assistant.core.text.lemma_stem`, and a question of known words never loads simplemma."""
    stems = lemma_stems_of(sorted(set(vocabulary) | lexicon_words()))
    path.write_text(json.dumps({"version": lemma_analysis_version(), "stems": stems}, ensure_ascii=False),
                    encoding="utf-8")


def load_lemma_stems(path: Path) -> dict[str, str] | None:
    """Stored lemma stems; None when absent, unreadable or made with another analysis or simplemma."""
    stems = _versioned(path, lemma_analysis_version(), "stems")
    return stems if isinstance(stems, dict) else None


def load_word_counts(path: Path) -> Counter[str] | None:
    """Stored word counts; None when absent, unreadable or made with another text analysis."""
    counts = _versioned(path, analysis_version(), "counts")
    return Counter(counts or {}) if counts is not None else None


def _versioned(path: Path, version: str, field: str):
    """``field`` of a JSON file written with ``version``; None when absent, unreadable or another version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    return data.get(field, {})


def text_hash(text: str) -> int:
    """A stable 64-bit hash of a text (Python's own ``hash`` differs per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class TermTable:
    """Term sets of known texts, by text hash, in three arrays (compact at any corpus size)."""

    def __init__(self, vocab: list[str], keys: np.ndarray, offsets: np.ndarray, ids: np.ndarray,
                 version: str) -> None:
        self.vocab = vocab
        self.keys = keys  # uint64, sorted
        self.offsets = offsets  # int64, len(keys) + 1
        self.ids = ids  # int32, the term ids of row r are ids[offsets[r]:offsets[r + 1]]
        self.version = version
        self._term_id: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def build(cls, texts: Iterable[str], previous: "TermTable | None" = None,
              analyze: Callable[[str], set[str]] = match_terms) -> "TermTable":
        """The table of ``texts``; term sets already in ``previous`` (same analysis) are reused."""
        reuse = previous if previous is not None and previous.version == analysis_version() else None
        sets: dict[int, frozenset[str]] = {}
        for text in texts:
            key = text_hash(text)
            if key in sets:
                continue
            found = reuse.get_by_key(key) if reuse is not None else None
            sets[key] = found if found is not None else frozenset(analyze(text))
        vocab = sorted({t for terms in sets.values() for t in terms})
        term_id = {t: i for i, t in enumerate(vocab)}
        keys = np.array(sorted(sets), dtype=np.uint64)
        rows = [sorted(term_id[t] for t in sets[int(k)]) for k in keys]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(r) for r in rows])
        ids = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(offsets[-1]))
        return cls(vocab, keys, offsets, ids, analysis_version())

    def save(self, path: Path) -> None:
        vocab = np.frombuffer(json.dumps(self.vocab, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        with open(path, "wb") as fh:
            np.savez(fh, keys=self.keys, offsets=self.offsets, ids=self.ids, vocab=vocab,
                     version=np.frombuffer(self.version.encode(), dtype=np.uint8))

    @classmethod
    def load(cls, path: Path) -> "TermTable":
        with np.load(path) as data:
            vocab = json.loads(data["vocab"].tobytes().decode("utf-8"))
            return cls(vocab, data["keys"], data["offsets"], data["ids"], data["version"].tobytes().decode())

    def _row(self, key: int) -> int | None:
        r = int(np.searchsorted(self.keys, np.uint64(key)))
        return r if r < len(self.keys) and int(self.keys[r]) == key else None

    def get_by_key(self, key: int) -> frozenset[str] | None:
        r = self._row(key)
        if r is None:
            return None
        vocab = self.vocab
        return frozenset(vocab[i] for i in self.ids[self.offsets[r]:self.offsets[r + 1]].tolist())

    def get(self, text: str) -> frozenset[str] | None:
        """The stored term set of ``text``, None for a text the ingest did not see."""
        return self.get_by_key(text_hash(text))

    def term_id(self, term: str) -> int | None:
        if self._term_id is None:
            self._term_id = {t: i for i, t in enumerate(self.vocab)}
        return self._term_id.get(term)

    def document_frequencies(self, texts: Iterable[str]) -> np.ndarray | None:
        """Per vocabulary term, in how many of ``texts`` it occurs (a text given twice counts twice);
        None when a text is not in the table."""
        rows = [self._row(text_hash(t)) for t in texts]
        if any(r is None for r in rows):
            return None
        parts = [self.ids[self.offsets[r]:self.offsets[r + 1]] for r in rows]
        if not parts:
            return np.zeros(len(self.vocab), dtype=np.int64)
        return np.bincount(np.concatenate(parts), minlength=len(self.vocab))


_lock = threading.Lock()
_tables: "weakref.WeakSet[TermTable]" = weakref.WeakSet()


def remember(table: TermTable) -> bool:
    """Make ``table`` answer :func:`known_terms` while it is alive; False (not used) when it was made
    with another text analysis than today's."""
    if table.version != analysis_version():
        return False
    with _lock:
        _tables.add(table)
    return True


def known_terms(text: str) -> frozenset[str] | None:
    """The term set of ``text`` from an open generation's table, None when no table holds it."""
    with _lock:
        tables = list(_tables)
    if not tables:
        return None
    key = text_hash(text)
    for table in tables:
        found = table.get_by_key(key)
        if found is not None:
            return found
    return None
