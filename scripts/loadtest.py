#!/usr/bin/env python
"""Load test of ``POST /api/chat`` on loopback: concurrent clients for a fixed time, latency figures.

Starts Wegwijs itself (``python -m assistant serve`` on a free port of 127.0.0.1) unless ``--url``
points at a running one, which must also be on loopback. Questions come from
evals/questions.jsonl (with their region and history) when present. The run is bounded both in
time (``--duration``) and in count (``--max-requests``).

Usage::

    .venv/bin/python scripts/loadtest.py                      # 10 clients, 60 s
    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 --clients 20 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parents[1]
FALLBACK = [
    {"question": "welke oza-pilots lopen er in het vo in regio alkmaar?"},
    {"question": "wie pakt in zk de 5a vrijstellingen op?"},
    {"question": "hoe vraag ik een tlv aan in noord-kennemerland?"},
    {"question": "leerling woont in delft en zit op school in den haag, welk lokaal team?"},
]
MAX_CLIENTS, MAX_DURATION_S, MAX_REQUESTS = 64, 600, 100_000


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


def start_server(timeout_s: float) -> tuple[subprocess.Popen, str]:
    """Start ``python -m assistant serve`` on a free loopback port and wait until /readyz says ready."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
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


async def run_load(url: str, bodies: list[dict], clients: int, duration_s: float, max_requests: int,
                   timeout_s: float) -> tuple[list[float], Counter, float]:
    """``clients`` workers post questions until the time or the request budget runs out."""
    latencies: list[float] = []
    outcomes: Counter = Counter()
    issued = 0
    started = time.perf_counter()
    deadline = started + duration_s

    async def worker(n: int, client: httpx.AsyncClient) -> None:
        nonlocal issued
        i = n
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            body = bodies[i % len(bodies)]
            i += clients
            t0 = time.perf_counter()
            try:
                response = await client.post(url + "/api/chat", json=body)
                ok = response.status_code == 200 and not response.json().get("error")
                outcomes["ok" if ok else f"HTTP {response.status_code}"] += 1
            except (httpx.HTTPError, ValueError) as exc:
                outcomes[type(exc).__name__] += 1
            latencies.append((time.perf_counter() - t0) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=timeout_s, limits=limits) as client:
        await asyncio.gather(*(worker(n, client) for n in range(clients)))
    return latencies, outcomes, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Belastingstest van POST /api/chat (alleen loopback).")
    parser.add_argument("--url", help="bestaande server, bv. http://127.0.0.1:8000 (anders wordt er een gestart)")
    parser.add_argument("--clients", type=int, default=10, help=f"gelijktijdige clients (max {MAX_CLIENTS})")
    parser.add_argument("--duration", type=float, default=60, help=f"duur in seconden (max {MAX_DURATION_S})")
    parser.add_argument("--max-requests", type=int, default=5000, help=f"maximaal aantal verzoeken (max {MAX_REQUESTS})")
    parser.add_argument("--timeout", type=float, default=60, help="time-out per verzoek in seconden")
    parser.add_argument("--questions", default=str(ROOT / "evals" / "questions.jsonl"))
    parser.add_argument("--startup-timeout", type=float, default=900, help="wachttijd tot de gestarte server klaar is")
    parser.add_argument("--json", action="store_true", help="druk de cijfers ook als JSON af")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION_S \
            or not 1 <= args.max_requests <= MAX_REQUESTS:
        parser.error(f"grenzen: 1-{MAX_CLIENTS} clients, 0-{MAX_DURATION_S} s, 1-{MAX_REQUESTS} verzoeken")

    bodies = load_questions(Path(args.questions))
    process = None
    if args.url:
        url = loopback_only(args.url)
    else:
        print("Wegwijs wordt gestart…", flush=True)
        process, url = start_server(args.startup_timeout)
    try:
        print(f"Belasting op {url}/api/chat: {args.clients} clients, {args.duration:.0f} s, "
              f"{len(bodies)} verschillende vragen…", flush=True)
        latencies, outcomes, elapsed = asyncio.run(
            run_load(url, bodies, args.clients, args.duration, args.max_requests, args.timeout))
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    total = len(latencies)
    errors = total - outcomes["ok"]
    figures = {"requests": total, "errors": errors, "seconds": round(elapsed, 1),
               "requests_per_s": round(total / elapsed, 2) if elapsed else 0.0,
               "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
               "max_ms": round(max(latencies, default=0.0), 1),
               "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
               "outcomes": dict(outcomes)}
    print(f"Verzoeken: {total} in {elapsed:.1f} s ({figures['requests_per_s']}/s), fouten: {errors}")
    print(f"Latentie: p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, max {figures['max_ms']:.0f} ms "
          f"(gemiddeld {figures['mean_ms']:.0f} ms)")
    if errors:
        print("Uitkomsten: " + ", ".join(f"{k}: {v}" for k, v in outcomes.most_common()))
    if args.json:
        print(json.dumps(figures))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
