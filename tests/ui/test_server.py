"""``python -m assistant serve`` on a folder without an index: ingests first, then serves on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOC = "haarlem-collegebesluit-jop-2022.md"


def test_serve_builds_the_index_then_answers(tmp_path, corpus_dir, loopback_port):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_dir / DOC, corpus / DOC)
    manifest = yaml.safe_load((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["file"] == DOC]
    (corpus / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    port = loopback_port
    env = {**os.environ, "WEGWIJS_DATA_DIR": str(tmp_path / "data"), "GRADIO_ANALYTICS_ENABLED": "False"}
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--corpus", str(corpus),
                                "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 600
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        assert ready is not None and ready.status_code == 200, (tmp_path / "serve.log").read_text()
        assert ready.json()["regions"] == ["Zuid-Kennemerland"]
        answer = httpx.post(f"http://127.0.0.1:{port}/api/chat", timeout=60,
                            json={"question": "wanneer heeft het college van haarlem het plan vastgesteld?"})
        assert answer.status_code == 200 and answer.json()["citations"]
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = (tmp_path / "serve.log").read_text()
    assert "Er is nog geen index" in output and "Klaar in" in output
    assert f"Wegwijs draait op http://127.0.0.1:{port}" in output
    assert (tmp_path / "data" / "index").is_dir()
