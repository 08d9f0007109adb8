"""The command line as a user meets it: real subprocesses, real index, JSON per CONTRACTS.md."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _run(args: list[str], data_dir: Path, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEGWIJS_DATA_DIR": str(data_dir), "WEGWIJS_CORPUS_DIR": str(cwd / "corpus")}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _check_contract(answer: dict) -> None:
    for key in ("question", "answer", "refused", "citations", "retrieved", "timings_ms"):
        assert key in answer
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    assert markers <= {c["n"] for c in answer["citations"]}
    for citation in answer["citations"]:
        assert {"n", "chunk_id", "doc_id", "title", "page", "section", "text", "quote"} <= set(citation)


def test_ask_json_prints_one_contract_answer(real_settings, repo_root):
    result = _run(["ask", "wie pakt in zk de 5a vrijstellingen op?", "--json"], real_settings.data_dir, repo_root)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    _check_contract(answer)
    assert not answer["refused"] and answer["citations"] and len(answer["retrieved"]) >= 10
    assert "Leerplein" in answer["answer"]


def test_ask_batch_keeps_order_ids_and_survives_a_bad_line(real_settings, repo_root, tmp_path):
    batch = tmp_path / "vragen.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "question": "welke oza pilots lopen er in het vo in regio alkmaar?", "extra": 1}),
        "{dit is geen json",
        json.dumps({"id": "c", "question": "en wie betaalt dat?", "region": "Haaglanden",
                    "history": [{"role": "user", "content": "welke oja's zijn er in den haag?"},
                                {"role": "assistant", "content": "OJA's op SO cluster 3 en 4 scholen."}]}),
        json.dumps({"id": "d", "question": ""}),
    ]) + "\n", encoding="utf-8")
    result = _run(["ask", "--json", "--batch", str(batch)], real_settings.data_dir, repo_root)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [line.get("id") for line in lines] == ["a", None, "c", "d"]
    assert "Spinaker" in lines[0]["answer"] and not lines[0].get("error")
    assert "Regel 2" in lines[1]["error"]
    _check_contract(lines[2])
    assert lines[2]["rewritten_question"]
    assert lines[3]["error"] and "leeg" in lines[3]["error"]


def test_ask_without_question_explains_in_dutch(real_settings, repo_root):
    result = _run(["ask"], real_settings.data_dir, repo_root)
    assert result.returncode == 2 and "geef een vraag" in result.stderr


def test_ingest_exits_non_zero_when_nothing_usable(tmp_path, repo_root):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.7 niet echt")
    env_cwd = tmp_path
    (env_cwd / "corpus").exists()
    result = subprocess.run([sys.executable, "-m", "assistant", "ingest", "--corpus", str(corpus), "--quiet"],
                            cwd=repo_root, env={**os.environ, "WEGWIJS_DATA_DIR": str(tmp_path / "data")},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "kapot.pdf" in result.stderr and "Geen enkel bruikbaar document" in result.stderr
