"""The dense index against a real Chroma server (``chroma run``) on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.core.index import Index
from ingest.pipeline import run_ingest
from fakes import HashEmbedder
from support import small_corpus


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def chroma_server(tmp_path):
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("chroma run exited early")
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("chroma server did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_query_through_a_chroma_server(tmp_path, corpus_dir, chroma_server):
    import chromadb

    corpus = small_corpus(corpus_dir, tmp_path / "corpus")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, chroma_mode="http",
                        chroma_host="127.0.0.1", chroma_port=chroma_server)
    embedder = HashEmbedder()
    first = run_ingest(settings, embedder=embedder, progress=False)
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server,
                                 settings=chromadb.Settings(anonymized_telemetry=False))
    names = [c.name for c in client.list_collections()]
    assert len(names) == 1 and "fake-hash" in names[0]
    collection = client.get_collection(names[0])
    assert collection.count() == first.chunks
    assert collection.metadata["embedder"] == "fake-hash"
    assert not (settings.index_dir / first.generation / "chroma").exists()  # nothing embedded on disk

    index = Index.open(settings, embedder.embedder_id)
    top = index.dense(embedder.embed_query_array("vrijstellingen artikel 5a Leerplein"), k=3,
                      regions=["Zuid-Kennemerland"])
    assert top and all(index.chunks[i].region == "Zuid-Kennemerland" for i, _ in top)

    # a changed document builds a new collection beside the old one; the old one stays as the fallback
    # until the next run replaces the generation again, then it is dropped
    md = corpus / "haarlem-collegebesluit-jop-2022.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\nExtra alinea.\n", encoding="utf-8")
    second = run_ingest(settings, embedder=HashEmbedder(), progress=False)
    current = Index.open(settings, "fake-hash").state.collection
    assert sorted(c.name for c in client.list_collections()) == sorted([names[0], current])
    assert client.get_collection(current).count() == second.chunks
    md.write_text(md.read_text(encoding="utf-8") + "\nNog een alinea.\n", encoding="utf-8")
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    names_after = sorted(c.name for c in client.list_collections())
    assert names_after == sorted([current, Index.open(settings, "fake-hash").state.collection])
    assert names[0] not in names_after
