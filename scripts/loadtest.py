#!/usr/bin/env python
"""Soak test of ``POST /api/chat`` on loopback: many clients for minutes, uncached questions, memory, swaps.

Starts Wegwijs itself (``python -m assistant serve`` on a free port of 127.0.0.1) unless ``--url``
points at a running one, which must also be on loopback. Every request carries a question not
asked before: the questions of evals/questions.jsonl (with their history) varied with other
openings and endings, so no answer comes from a warm query cache. Each client sends its own
``X-Forwarded-For`` (uvicorn trusts it from 127.0.0.1), so the per-client rate limit sees 20
coaches behind a proxy rather than one address. Reported: p50/p95/max, errors by kind, and the
server's resident memory (RSS) over time.

With ``--swap-at S`` the script works on its own copy of the corpus and data folder (``--work-dir``,
default a new folder under /tmp): S seconds into the run it appends a paragraph to one document and
runs ``python -m assistant ingest``, which builds and swaps a new index generation while the load
goes on. It reports when the server took the new generation into use (``/readyz``) and the errors
in that window (must be 0).

Usage::

    .venv/bin/python scripts/loadtest.py                                # 20 clients, 300 s
    .venv/bin/python scripts/loadtest.py --clients 20 --duration 300 --swap-at 60 \\
        --work-dir /tmp/wegwijs-soak --documents zk-jeugdondersteuningsplan.txt,haarlem-collegebesluit-jop-2022.md
    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 --pid 12345 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
FALLBACK = [
    {"question": "welke oza-pilots lopen er in het vo in regio alkmaar?"},
    {"question": "wie pakt in zk de 5a vrijstellingen op?"},
    {"question": "hoe vraag ik een tlv aan in noord-kennemerland?"},
    {"question": "leerling woont in delft en zit op school in den haag, welk lokaal team?"},
]
# openings and endings coaches put around a question; combined with the question set they give
# thousands of distinct texts, so no request is answered from a cache
OPENINGS = ["", "Vraag van een J&G coach: ", "Even checken: ", "Voor een leerling in het vo: ", "Kort graag: ",
            "Ik ben intern begeleider. ", "Namens de mentor: ", "Hoi, ", "Voor een overleg morgen: ",
            "Een ouder vraagt het mij: "]
ENDINGS = ["", " Dank je.", " Graag met bron.", " (voor ons kernteam)", " Wie weet dit?", " Alvast bedankt!",
           " Het gaat om een thuiszitter."]
MAX_CLIENTS, MAX_DURATION_S, MAX_REQUESTS = 64, 3600, 200_000


# -- questions ----------------------------------------------------------------------------------------
def load_questions(path: Path) -> list[dict]:
    """Request bodies from a question set (question, region, history); the four examples if absent."""
    if not path.is_file():
        return FALLBACK
    bodies = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        body = {"question": item["question"]}
        if item.get("region"):
            body["region"] = item["region"]
        if item.get("history"):
            body["history"] = item["history"]
        bodies.append(body)
    return bodies or FALLBACK


def variations(bodies: list[dict], seed: int = 15):
    """Endless distinct request bodies: every question with every opening and ending, shuffled; after all
    of them, the same again with a numbered ending (still a new text)."""
    combos = [(b, o, e) for b in bodies for o in OPENINGS for e in ENDINGS]
    random.Random(seed).shuffle(combos)
    round_no = 0
    while True:
        for body, opening, ending in combos:
            question = opening + body["question"].strip() + ending + (f" ({round_no + 1})" if round_no else "")
            yield {**body, "question": question}
        round_no += 1


def for_server(bodies: list[dict], regions: list[str]) -> list[dict]:
    """Drop a question's region filter when the server has no such region (a smaller corpus)."""
    known = {r.casefold() for r in regions}
    return [b if not b.get("region") or b["region"].casefold() in known else {k: v for k, v in b.items() if k != "region"}
            for b in bodies]


# -- the server ------------------------------------------------------------------------------------------
def loopback_only(url: str) -> str:
    host = urlparse(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"Fout: alleen een server op 127.0.0.1/localhost mag worden belast, niet '{host}'.")
    return url.rstrip("/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_corpus(src: Path, dst: Path, files: list[str] | None) -> Path:
    """A copy of the corpus (only ``files`` when given, with their manifest entries) and its inventories."""
    dst.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))
    if files:
        manifest["documents"] = [d for d in manifest["documents"] if d["file"] in files]
    for doc in manifest["documents"]:
        shutil.copy(src / doc["file"], dst / doc["file"])
    (dst / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    if (src / "inventories").is_dir():
        shutil.copytree(src / "inventories", dst / "inventories", dirs_exist_ok=True)
    return dst


def start_server(timeout_s: float, env_extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start ``python -m assistant serve`` on a free loopback port and wait until /readyz says ready."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **env_extra}
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Fout: de server stopte meteen (code {process.returncode}).")
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(1)
    process.terminate()
    raise SystemExit(f"Fout: de server was na {timeout_s:.0f} s nog niet klaar.")


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (Linux /proc), None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# -- the run ---------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What the soak records: one (start, end, outcome) per request, memory samples, the swap."""

    results: list[tuple[float, float, str]] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)
    swap: dict = field(default_factory=dict)


async def _sample_memory(run: Run, pid: int | None, every_s: float, t0: float, deadline: float) -> None:
    while pid is not None and time.perf_counter() < deadline:
        value = rss_mb(pid)
        if value is not None:
            run.memory.append((round(time.perf_counter() - t0, 1), round(value, 1)))
        await asyncio.sleep(every_s)


async def _swap(run: Run, url: str, corpus: Path, env: dict[str, str], at_s: float, t0: float) -> None:
    """At ``at_s``: change one document, run an ingest, then wait until the server reports the new generation."""
    await asyncio.sleep(at_s)
    async with httpx.AsyncClient(timeout=10) as client:
        before = (await client.get(url + "/readyz")).json().get("generation")
        doc = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))[0]
        with doc.open("a", encoding="utf-8") as fh:
            fh.write(f"\n\nAanvulling tijdens de duurtest ({time.strftime('%H:%M:%S')}): thuiszitters krijgen binnen "
                     "drie maanden een passend aanbod.\n")
        run.swap.update(document=doc.name, generation_before=before, ingest_started_s=round(time.perf_counter() - t0, 1))
        process = await asyncio.create_subprocess_exec(
            "nice", "-n", "10", sys.executable, "-m", "assistant", "ingest", "--corpus", str(corpus), "--quiet",
            cwd=ROOT, env={**os.environ, **env}, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            output, _ = await process.communicate()
        except asyncio.CancelledError:  # the soak ended first: stop the ingest rather than leave it running
            process.terminate()
            await process.wait()
            raise
        run.swap.update(ingest_code=process.returncode, ingest_done_s=round(time.perf_counter() - t0, 1),
                        ingest_output=output.decode("utf-8", "replace").strip().splitlines()[:1])
        while True:
            generation = (await client.get(url + "/readyz")).json().get("generation")
            if generation and generation != before:
                run.swap.update(generation_after=generation, server_switched_s=round(time.perf_counter() - t0, 1))
                return
            await asyncio.sleep(0.5)


async def run_load(url: str, bodies: list[dict], clients: int, duration_s: float, max_requests: int,
                   timeout_s: float, pid: int | None, sample_s: float, swap: tuple[Path, dict, float] | None) -> Run:
    """``clients`` workers post new questions until the time or the request budget runs out."""
    run = Run()
    questions = variations(bodies)
    issued = 0
    t0 = time.perf_counter()
    deadline = t0 + duration_s

    async def worker(n: int, client: httpx.AsyncClient) -> None:
        nonlocal issued
        headers = {"X-Forwarded-For": f"10.15.0.{n + 1}"}  # one address per simulated coach
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            body = next(questions)
            start = time.perf_counter()
            try:
                response = await client.post(url + "/api/chat", json=body, headers=headers)
                ok = response.status_code == 200 and not response.json().get("error")
                outcome = "ok" if ok else f"HTTP {response.status_code}"
            except (httpx.HTTPError, ValueError) as exc:
                outcome = type(exc).__name__
            run.results.append((start - t0, time.perf_counter() - t0, outcome))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    tasks = [asyncio.create_task(_sample_memory(run, pid, sample_s, t0, deadline))]
    if swap is not None:
        corpus, env, at_s = swap
        tasks.append(asyncio.create_task(_swap(run, url, corpus, env, at_s, t0)))
    async with httpx.AsyncClient(timeout=timeout_s, limits=limits) as client:
        await asyncio.gather(*(worker(n, client) for n in range(clients)))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return run


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def figures(run: Run, elapsed: float) -> dict:
    latencies = [(end - start) * 1000 for start, end, _ in run.results]
    outcomes = Counter(outcome for _, _, outcome in run.results)
    total = len(run.results)
    out = {"requests": total, "errors": total - outcomes["ok"], "seconds": round(elapsed, 1),
           "requests_per_s": round(total / elapsed, 2) if elapsed else 0.0,
           "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
           "max_ms": round(max(latencies, default=0.0), 1),
           "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
           "outcomes": dict(outcomes), "rss_mb": run.memory}
    if run.swap:
        # the window: from the start of the ingest until 10 s after the server switched (or the end)
        begin = run.swap.get("ingest_started_s", 0.0)
        end = run.swap.get("server_switched_s", elapsed) + 10
        window = [(s, e, o) for s, e, o in run.results if e >= begin and s <= end]
        inside = [(e - s) * 1000 for s, e, _ in window]
        out["swap"] = {**run.swap, "window_s": [begin, round(min(end, elapsed), 1)], "window_requests": len(window),
                       "window_errors": sum(o != "ok" for _, _, o in window),
                       "window_p50_ms": round(percentile(inside, 50), 1),
                       "window_p95_ms": round(percentile(inside, 95), 1)}
    return out


def report(f: dict) -> None:
    print(f"Verzoeken: {f['requests']} in {f['seconds']:.1f} s ({f['requests_per_s']}/s), fouten: {f['errors']}")
    print(f"Latentie: p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, max {f['max_ms']:.0f} ms "
          f"(gemiddeld {f['mean_ms']:.0f} ms)")
    if f["errors"]:
        print("Uitkomsten: " + ", ".join(f"{k}: {v}" for k, v in Counter(f["outcomes"]).most_common()))
    if f["rss_mb"]:
        values = [mb for _, mb in f["rss_mb"]]
        print(f"Geheugen van de server (RSS): begin {values[0]:.0f} MB, max {max(values):.0f} MB, eind {values[-1]:.0f} MB")
        print("  " + ", ".join(f"{t:.0f}s {mb:.0f}" for t, mb in f["rss_mb"]))
    swap = f.get("swap")
    if swap:
        switched = (f"de server gebruikt '{swap['generation_after']}' vanaf {swap['server_switched_s']:.0f} s"
                    if swap.get("generation_after") else "de server wisselde NIET van generatie")
        ingest = (f"tot {swap['ingest_done_s']:.0f} s (code {swap['ingest_code']})" if "ingest_done_s" in swap
                  else "niet klaar voor het einde van de test (afgebroken)")
        print(f"Wissel: ingest ({swap.get('document')}) vanaf {swap.get('ingest_started_s', 0):.0f} s {ingest}; "
              f"{switched}.")
        print(f"  In het wisselvenster {swap['window_s'][0]:.0f}-{swap['window_s'][1]:.0f} s: {swap['window_requests']} "
              f"antwoorden, {swap['window_errors']} fouten, p50 {swap['window_p50_ms']:.0f} ms, "
              f"p95 {swap['window_p95_ms']:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Duurtest van POST /api/chat (alleen loopback).")
    parser.add_argument("--url", help="bestaande server, bv. http://127.0.0.1:8000 (anders wordt er een gestart)")
    parser.add_argument("--pid", type=int, help="proces-id van de bestaande server (voor het geheugen)")
    parser.add_argument("--clients", type=int, default=20, help=f"gelijktijdige clients (max {MAX_CLIENTS})")
    parser.add_argument("--duration", type=float, default=300, help=f"duur in seconden (max {MAX_DURATION_S})")
    parser.add_argument("--max-requests", type=int, default=50_000, help=f"maximaal aantal verzoeken (max {MAX_REQUESTS})")
    parser.add_argument("--timeout", type=float, default=120, help="time-out per verzoek in seconden")
    parser.add_argument("--sample-every", type=float, default=10, help="meet het geheugen elke zoveel seconden")
    parser.add_argument("--questions", default=str(ROOT / "evals" / "questions.jsonl"))
    parser.add_argument("--swap-at", type=float, help="draai na zoveel seconden een ingest die de index vervangt")
    parser.add_argument("--work-dir", help="eigen map voor corpuskopie en index (standaard: nieuw onder /tmp)")
    parser.add_argument("--corpus", default=str(ROOT / "corpus"), help="corpus om te kopiëren naar --work-dir")
    parser.add_argument("--documents", help="alleen deze bestanden van het corpus (komma's), bv. voor een kleine index")
    parser.add_argument("--startup-timeout", type=float, default=1800, help="wachttijd tot de gestarte server klaar is")
    parser.add_argument("--json", action="store_true", help="druk de cijfers ook als JSON af")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION_S \
            or not 1 <= args.max_requests <= MAX_REQUESTS:
        parser.error(f"grenzen: 1-{MAX_CLIENTS} clients, 0-{MAX_DURATION_S} s, 1-{MAX_REQUESTS} verzoeken")
    if args.url and (args.swap_at is not None or args.work_dir):
        parser.error("--swap-at en --work-dir werken alleen met een server die dit script zelf start (zonder --url)")

    process, env, corpus = None, {}, None
    if args.url:
        url, pid = loopback_only(args.url), args.pid
    else:
        if args.work_dir or args.swap_at is not None:
            work = Path(args.work_dir or tempfile.mkdtemp(prefix="wegwijs-soak-"))
            files = [f.strip() for f in args.documents.split(",")] if args.documents else None
            corpus = copy_corpus(Path(args.corpus), work / "corpus", files) if not (work / "corpus").is_dir() \
                else work / "corpus"
            env = {"WEGWIJS_DATA_DIR": str(work / "data"), "WEGWIJS_CORPUS_DIR": str(corpus)}
            print(f"Werkmap: {work} (corpus: {len(list(corpus.glob('*.*'))) - 1} documenten)", flush=True)
        print("Wegwijs wordt gestart…", flush=True)
        process, url = start_server(args.startup_timeout, env)
        pid = process.pid
    try:
        regions = httpx.get(url + "/readyz", timeout=10).json().get("regions", [])
        bodies = for_server(load_questions(Path(args.questions)), regions)
        print(f"Belasting op {url}/api/chat: {args.clients} clients, {args.duration:.0f} s, {len(bodies)} vragen x "
              f"{len(OPENINGS) * len(ENDINGS)} varianten (geen herhalingen)"
              + (f", index-wissel na {args.swap_at:.0f} s" if args.swap_at is not None else "") + "…", flush=True)
        started = time.perf_counter()
        swap = (corpus, env, args.swap_at) if args.swap_at is not None else None
        run = asyncio.run(run_load(url, bodies, args.clients, args.duration, args.max_requests, args.timeout, pid,
                                   args.sample_every, swap))
        elapsed = time.perf_counter() - started
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    result = figures(run, elapsed)
    report(result)
    if args.json:
        print(json.dumps(result))
    swap_failed = bool(result.get("swap")) and (result["swap"]["window_errors"] or not result["swap"].get("generation_after"))
    return 1 if result["errors"] or swap_failed else 0


if __name__ == "__main__":
    sys.exit(main())
