"""Warm answer latency on the question set (embedded default): prints mean, p50, p95 per stage.

Usage: .venv/bin/python scripts/bench_latency.py [--questions evals/questions.jsonl] [--rounds 2]
The first pass warms up (model load, caches) and is not counted. ``cpu`` is the process CPU time
per question, which a busy machine disturbs less than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer.engine import Assistant  # noqa: E402
from assistant.core.settings import get_settings  # noqa: E402
from assistant.core.types import Message  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default="evals/questions.jsonl")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-query-cache", action="store_true",
                        help="embed every question afresh (the honest figure for new questions)")
    args = parser.parse_args()
    items = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    bot = Assistant(get_settings()).warm_up()
    if args.no_query_cache and hasattr(bot.embedder, "_cache_size"):
        bot.embedder._cache_size = 0
    print(f"warm-up (open index, load models): {time.perf_counter() - started:.2f} s")

    def ask(item):
        history = [Message.model_validate(m) for m in item.get("history") or []]
        return bot.answer(item["question"], history=history, region=item.get("region"))

    for item in items:  # warm pass
        ask(item)
    stages: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": []}
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(args.rounds):
        for item in items:
            t0, c0 = time.perf_counter(), time.process_time()
            answer = ask(item)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            for key in stages:
                stages[key].append(answer.timings_ms[key])
    cache = "no query-embedding cache" if args.no_query_cache else "query embeddings cached after the warm pass"
    print(f"{len(items)} questions x {args.rounds} rounds, warm ({cache})")
    print(f"  load average {os.getloadavg()}")
    for key, values in [*stages.items(), ("wall", wall), ("cpu", cpu)]:
        print(f"  {key:9s} mean {statistics.mean(values):7.1f} ms   p50 {_pct(values, .5):7.1f} ms   "
              f"p95 {_pct(values, .95):7.1f} ms   max {max(values):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
