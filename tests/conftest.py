"""Shared test setup: no network except loopback, no telemetry, and small fakes.

The network guard follows Haystack's request blocker: any socket connection to a host other
than 127.0.0.0/8, ::1 or a Unix socket fails the test loudly.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(address) -> bool:
    if isinstance(address, (str, bytes)):  # Unix socket path
        return True
    host = address[0]
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _allowed(address):
        raise RuntimeError(f"Network access outside loopback is blocked in tests: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _allowed(address):
        raise RuntimeError(f"Network access outside loopback is blocked in tests: {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def block_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    yield


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def real_settings():
    """Settings on the full real corpus with the real bundled embedder.

    The index lives in ``WEGWIJS_DATA_DIR`` (``.wegwijs`` by default) and is built once: the
    ingest is idempotent, so later sessions (and the evaluation run) reuse it unchanged.
    """
    from assistant.core.settings import Settings
    from ingest.pipeline import run_ingest

    data_dir = Path(os.environ.get("WEGWIJS_DATA_DIR", ROOT / ".wegwijs"))
    settings = Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus")
    run_ingest(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def real_assistant(real_settings):
    from assistant.answer.engine import Assistant

    return Assistant(real_settings).warm_up()
