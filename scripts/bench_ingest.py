"""Ingest benchmark: cold run into a fresh data dir, then an unchanged re-run.

Prints seconds for both, chunks per document, the chunk length distribution and the index size.
Usage: .venv/bin/python scripts/bench_ingest.py [--data-dir /tmp/wegwijs-bench]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.settings import Settings  # noqa: E402
from assistant.core.index import Index, current_generation  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/wegwijs-bench")
    args = parser.parse_args()
    data = Path(args.data_dir)
    shutil.rmtree(data, ignore_errors=True)
    settings = Settings(data_dir=data)
    t0 = time.perf_counter()
    cold = run_ingest(settings, progress=True)
    cold_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = run_ingest(settings, progress=False)
    warm_s = time.perf_counter() - t0
    index = Index.open(settings, cold_embedder_id(settings))
    docs = [c for c in index.chunks if c.kind != "record"]
    lengths = np.array([len(c.text) for c in docs])
    print(f"cold ingest: {cold_s:.1f} s ({cold.documents} documents, {cold.pages} pages, {cold.chunks} chunks, "
          f"{cold.records} inventory records)")
    print(f"unchanged re-run: {warm_s:.1f} s (skipped: {', '.join(warm.unchanged)})")
    for doc_id, n in Counter(c.doc_id for c in docs).items():
        print(f"  {doc_id:20s} {n:4d} chunks")
    print(f"chunk length (chars): min {lengths.min()} median {int(np.median(lengths))} "
          f"p90 {int(np.percentile(lengths, 90))} max {lengths.max()}")
    print(f"sentence vectors: {len(index.sentence_vectors)}; index size on disk: "
          f"{_size(current_generation(settings)) / 1e6:.1f} MB")
    return 0


def cold_embedder_id(settings: Settings) -> str:
    from assistant.core.embedders import make_embedder

    return make_embedder(settings).embedder_id


if __name__ == "__main__":
    sys.exit(main())
