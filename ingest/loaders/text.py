"""Plain text extracted from PDFs (``.txt``): page breaks recovered (see :mod:`ingest.pages`)."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders.base import Loaded, decode_text
from ingest.pages import split_pages

SUFFIXES = (".txt",)
RAW_TEXT = True  # the file's lines are the text: a quote can be checked on one line


def read(path: Path, data: bytes) -> Loaded:
    return Loaded(split_pages(decode_text(data, path.name)), has_pages=True)
