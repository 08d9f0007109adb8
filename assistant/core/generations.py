"""Whether an index generation on disk is whole, and which earlier ones there are to fall back on.

A crash, a full disk or a hand edit can leave a generation that ``CURRENT`` names but that cannot
be read: a truncated ``chunks.jsonl``, a missing ``bm25/``, vectors that do not match the passages.
:func:`generation_problem` finds that cheaply (vector files are read as headers only), so
:meth:`assistant.core.index.Index.open` can keep the previous generation in use instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from assistant.core.types import Chunk

REQUIRED_FILES = ("state.json", "chunks.jsonl", "chunk_vectors.npy", "sentence_vectors.npy", "sentences.json",
                  "bm25/params.index.json", "bm25/vocab.index.json")


def generation_problem(gen: Path) -> str | None:
    """Why the generation folder ``gen`` cannot be used (one Dutch phrase), or None when it is whole."""
    missing = [name for name in REQUIRED_FILES if not (gen / name).is_file()]
    if not gen.is_dir() or missing:
        return f"generatie '{gen.name}' is onvolledig (ontbreekt: {', '.join(missing) if gen.is_dir() else 'de map'})"
    try:
        state = json.loads((gen / "state.json").read_text(encoding="utf-8"))
        lines = (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
        Chunk.model_validate_json(lines[-1])  # a truncated file ends in half a line
        spans = json.loads((gen / "sentences.json").read_text(encoding="utf-8"))
        chunk_rows = np.load(gen / "chunk_vectors.npy", mmap_mode="r").shape[0]
        sentence_rows = np.load(gen / "sentence_vectors.npy", mmap_mode="r").shape[0]
    except (OSError, ValueError, IndexError) as exc:
        return f"generatie '{gen.name}' is beschadigd ({type(exc).__name__})"
    if state.get("chroma_mode") == "embedded" and not (gen / "chroma" / "chroma.sqlite3").is_file():
        return f"generatie '{gen.name}' is onvolledig (ontbreekt: chroma/chroma.sqlite3)"
    expected = state.get("chunks") or len(lines)  # older states do not record the count
    if not len(lines) == expected == chunk_rows == len(spans) or sentence_rows != sum(len(s) for s in spans):
        return (f"generatie '{gen.name}' is onvolledig ({len(lines)} passages in chunks.jsonl, {expected} verwacht, "
                f"{chunk_rows} vectoren)")
    return None


def fallback_generations(index_dir: Path, skip: str | None) -> list[Path]:
    """The other finished generations in ``index_dir``, newest first by the time they were written
    (two generations made within one second have names that do not sort by time)."""
    if not index_dir.is_dir():
        return []
    found = [p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith("gen-")
             and not p.name.endswith(".building") and p.name != skip]
    return sorted(found, key=lambda p: (_created_at(p), p.name), reverse=True)


def _created_at(gen: Path) -> float:
    try:
        return float(json.loads((gen / "state.json").read_text(encoding="utf-8")).get("created_at") or 0.0)
    except (OSError, ValueError):
        return 0.0
