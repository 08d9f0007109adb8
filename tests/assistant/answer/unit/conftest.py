"""Fixtures of the fast answer-path tests: one real index of a tiny invented corpus per session.

The corpus and the helpers live in ``tests/assistant/answer/answer_support.py`` (put on the path
here, as tests/conftest.py does for tests/). The index is built once with the deterministic
:class:`fakes.HashEmbedder` (about two seconds, most of it imports) and shared by every module.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@pytest.fixture(scope="session")
def tiny_settings(tmp_path_factory):
    from answer_support import build_settings

    return build_settings(tmp_path_factory.mktemp("wegwijs-tiny"))


@pytest.fixture(scope="session")
def tiny_assistant(tiny_settings):
    from fakes import HashEmbedder

    from assistant.answer.engine import Assistant

    return Assistant(tiny_settings, embedder=HashEmbedder()).warm_up()


@pytest.fixture(scope="session")
def tiny_index(tiny_assistant):
    return tiny_assistant.index


@pytest.fixture(scope="session")
def embedder():
    from fakes import HashEmbedder

    return HashEmbedder()
