"""Question latency from outside the process: ``wegwijs ask`` as a user runs it.

Runs, in fresh processes and alternating ``--rounds`` times: one question (start-up + one answer)
and ``ask --json --batch`` over the question set. Prints per source tree the median start-up, the
batch time, and the warm mean per question = (batch - start-up) / questions, as wall clock and as
CPU seconds of the child (a busy machine disturbs CPU time less). With ``--before DIR`` the same
is done for another source tree (e.g. ``git archive`` of the merge-base) on the same index, so the
two are measured in one run. The load average is printed before and after.

Usage: nice -n 10 .venv/bin/python scripts/bench_ask.py [--questions evals/questions.jsonl]
       [--rounds 3] [--before /tmp/src-before --before-data-dir /tmp/data-before]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(src: Path, args: list[str], data_dir: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m assistant`` run in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), **({"WEGWIJS_DATA_DIR": str(data_dir)} if data_dir else {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant", *args], cwd=src, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "evals" / "questions.jsonl"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another source tree to measure on the same corpus")
    parser.add_argument("--before-data-dir", type=Path, help="its data folder (default: WEGWIJS_DATA_DIR)")
    args = parser.parse_args()
    items = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps({k: item.get(k) for k in ("id", "question", "history", "region")
                                 if item.get(k) is not None}, ensure_ascii=False) + "\n")
        batch = fh.name
    trees = {"before": args.before.resolve(), "after": ROOT} if args.before else {"after": ROOT}
    data_dirs = {"before": args.before_data_dir}
    print(f"load before: {os.getloadavg()}")
    figures: dict[str, dict[str, list[tuple[float, float]]]] = {n: {"one": [], "batch": []} for n in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            figures[name]["one"].append(_run(src, ["ask", items[0]["question"]], data_dirs.get(name)))
            figures[name]["batch"].append(_run(src, ["ask", "--json", "--batch", batch], data_dirs.get(name)))
    print(f"load after: {os.getloadavg()}")
    print(f"{len(items)} questions, {args.rounds} rounds (medians)")
    for name, runs in figures.items():
        one_w, one_c = (statistics.median(x[i] for x in runs["one"]) for i in (0, 1))
        bat_w, bat_c = (statistics.median(x[i] for x in runs["batch"]) for i in (0, 1))
        print(f"  {name:6s} start-up + 1 answer: {one_w:5.2f} s wall ({one_c:5.2f} s CPU); batch {bat_w:6.2f} s "
              f"wall ({bat_c:6.2f} s CPU); warm per question {1000 * (bat_w - one_w) / len(items):6.1f} ms wall "
              f"({1000 * (bat_c - one_c) / len(items):6.1f} ms CPU)")
    os.unlink(batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
