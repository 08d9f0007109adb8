"""Evaluating on documents Wegwijs was not built on: the project corpus plus new originals.

A region drops its plan into ``corpus/`` as the original PDF or DOCX, without a manifest entry or a
curated inventory, and asks about it the same day. ``python -m evals run --external DIR`` does the
same: it copies the project corpus (documents, manifest, inventories) and the original files the
question set of ``DIR`` names (``DIR/questions.jsonl``, ``sources[].doc``) into a corpus of its own
under the data folder, ingests it (vectors of texts embedded before come from the shared vector
cache, so only the new documents are embedded) and evaluates there.

Example::

    settings = external_settings(get_settings(), Path("../shared/external-dev"))
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from assistant.core.settings import Settings

WORK_DIR = "external"


def named_documents(questions: Path) -> list[str]:
    """The file names the question set cites (``sources[].doc``), in order of first use."""
    names: dict[str, None] = {}
    for line in questions.read_text(encoding="utf-8").splitlines():
        if line.strip():
            for source in json.loads(line).get("sources") or []:
                names[source["doc"]] = None
    return list(names)


def build_corpus(project_corpus: Path, external_dir: Path, questions: Path, corpus: Path) -> list[str]:
    """Fill ``corpus`` with the project corpus and the external originals; returns the files added.

    Files already there and unchanged are left alone, so the ingest sees nothing new on a re-run.
    """
    corpus.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = {}
    for path in project_corpus.iterdir():
        wanted[path.name] = path
    added = [name for name in named_documents(questions) if (external_dir / name).is_file()]
    for name in added:
        wanted[name] = external_dir / name
    for name, source in wanted.items():
        target = corpus / name
        if source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target)
        elif not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target)
    for stale in corpus.iterdir():
        if stale.name not in wanted:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    return added


def external_settings(settings: Settings, external_dir: Path, questions: Path | None = None) -> Settings:
    """Settings on the combined corpus, with its own index and the shared vector cache."""
    questions = questions or external_dir / "questions.jsonl"
    work = settings.data_dir / WORK_DIR
    build_corpus(settings.corpus_dir, external_dir, questions, work / "corpus")
    return settings.model_copy(update={"corpus_dir": (work / "corpus").resolve(), "data_dir": (work / "data").resolve(),
                                       "vector_cache": settings.vector_cache_file})


def text_of(doc: Path, external_dir: Path | None) -> str | None:
    """The text gold quotes are checked against: the file itself for text formats, else the
    extracted ``NAME.txt`` beside the original (as the external set provides), else None."""
    from ingest.loaders import raw_text

    if raw_text(doc) and doc.is_file():
        return doc.read_text(encoding="utf-8", errors="replace")
    twin = (external_dir / f"{doc.stem}.txt") if external_dir else None
    return twin.read_text(encoding="utf-8") if twin and twin.is_file() else None
