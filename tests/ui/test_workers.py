"""``wegwijs serve --workers 2``: two processes share one index generation and both take up a new one
that an ingest swaps in while they answer, without a restart (loopback only, started by the test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOC = "haarlem-collegebesluit-jop-2022.md"
NEW_WORD = "Zeppelinhavenregeling"


def _corpus(corpus_dir: Path, dst: Path) -> Path:
    dst.mkdir()
    shutil.copy(corpus_dir / DOC, dst / DOC)
    manifest = yaml.safe_load((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["file"] == DOC]
    (dst / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return dst


def _workers_on(base: str, generation: str | None, deadline: float) -> dict[int, str]:
    """Ask /readyz on fresh connections until two workers have answered (with ``generation`` when
    given); returns worker id -> its generation."""
    seen: dict[int, str] = {}
    while time.monotonic() < deadline:
        try:
            ready = httpx.get(f"{base}/readyz", timeout=5)
        except httpx.HTTPError:
            time.sleep(0.2)
            continue
        if ready.status_code == 200:
            body = ready.json()
            if generation is None or body["generation"] == generation:
                seen[body["worker"]] = body["generation"]
            else:
                seen.pop(body["worker"], None)
            if len(seen) >= 2:
                return seen
        time.sleep(0.05)
    return seen


def test_two_workers_answer_while_an_ingest_swaps_the_generation(tmp_path, corpus_dir, loopback_port):
    corpus = _corpus(corpus_dir, tmp_path / "corpus")
    data = tmp_path / "data"
    env = {**os.environ, "WEGWIJS_DATA_DIR": str(data), "WEGWIJS_CORPUS_DIR": str(corpus),
           "WEGWIJS_INDEX_CHECK_INTERVAL_S": "0.3", "WEGWIJS_RATE_LIMIT_PER_MINUTE": "0",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("WEGWIJS_VECTOR_CACHE", None)
    subprocess.run([sys.executable, "-m", "assistant", "ingest", "--quiet"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=600)
    first = (data / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    base = f"http://127.0.0.1:{loopback_port}"
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--workers", "2", "--host", "127.0.0.1",
                               "--port", str(loopback_port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    statuses: list[int] = []
    stop = threading.Event()

    def ask_all_the_time() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                reply = client.post(f"{base}/api/chat", json={"question": "wie stelt het plan vast?"})
                statuses.append(reply.status_code)

    try:
        workers = _workers_on(base, first, time.monotonic() + 300)
        assert len(workers) == 2, (tmp_path / "serve.log").read_text()
        askers = [threading.Thread(target=ask_all_the_time) for _ in range(2)]
        for t in askers:
            t.start()
        md = corpus / DOC
        md.write_text(md.read_text(encoding="utf-8") + f"\n\nDe {NEW_WORD} geldt vanaf volgend schooljaar.\n",
                      encoding="utf-8")
        subprocess.run([sys.executable, "-m", "assistant", "ingest", "--quiet"], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=600)
        second = (data / "index" / "CURRENT").read_text(encoding="utf-8").strip()
        assert second != first
        swapped = _workers_on(base, second, time.monotonic() + 120)
        stop.set()
        for t in askers:
            t.join(timeout=120)
        assert set(swapped.values()) == {second} and set(swapped) == set(workers), swapped
        assert statuses and set(statuses) == {200}, statuses
        answer = httpx.post(f"{base}/api/chat", timeout=60, json={"question": f"wat is de {NEW_WORD}?"}).json()
        assert any(NEW_WORD in (c.get("quote") or "") for c in answer["citations"]), answer
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=60)
