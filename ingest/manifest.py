"""Read corpus/manifest.yaml and describe every document in the corpus folder.

Files listed in the manifest get their metadata from it; files in the folder without an entry
still get a default :class:`DocMeta` (id from the file name, title from the first line), so a
new document is never silently ignored. Entries whose file is missing are reported and skipped.

Example::

    metas, problems = load_manifest(Path("corpus"))
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.core.types import DocMeta

MANIFEST_NAME = "manifest.yaml"
_SKIP_PREFIXES = (".", "readme")
_SKIP_DIRS = {"inventories"}


class ManifestError(ValueError):
    """The manifest cannot be read at all (broken YAML or wrong shape)."""


def slugify(name: str) -> str:
    """Turn a file name into a doc id: lowercase ASCII, words joined by '-'."""
    stem = Path(name).stem
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "document"


def _first_line_title(path: Path) -> str:
    """The first non-empty line of the file, cleaned of markup; else the file stem."""
    text = ""
    if path.suffix.lower() in {".txt", ".md", ".html", ".htm"}:
        try:
            text = path.read_bytes()[:20000].decode("utf-8", errors="replace")
        except OSError:
            text = ""
    elif path.suffix.lower() in {".pdf", ".docx"}:
        from ingest.loaders import LoadError, load

        try:
            raw = load(path, DocMeta(doc_id=slugify(path.name), file=path.name, title=path.stem))
            text = next((page for page in raw.pages if page.strip()), "")[:20000]
        except LoadError:
            text = ""
    if text:
        for line in text.splitlines():
            line = re.sub(r"<[^>]+>", " ", line)
            line = re.sub(r"^[#*\s]+|[*\s]+$", "", line)
            line = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", line)).strip()
            if line and any(ch.isalnum() for ch in line):
                return line[:200]
    return path.stem.replace("_", " ").replace("-", " ")


def _corpus_files(corpus_dir: Path) -> list[Path]:
    files = []
    for path in sorted(corpus_dir.iterdir()):
        if not path.is_file() or path.name == MANIFEST_NAME:
            continue
        if path.name.lower().startswith(_SKIP_PREFIXES) or path.name in _SKIP_DIRS:
            continue
        files.append(path)
    return files


def _read_entries(manifest: Path) -> list[dict]:
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(f"Het manifest {manifest} is geen geldige YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ManifestError(f"Het manifest {manifest} is geen UTF-8 tekst.") from exc
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("documents", []), list):
        raise ManifestError(
            f"Het manifest {manifest} heeft een onverwachte vorm: verwacht 'documents:' met een lijst."
        )
    return [entry for entry in data.get("documents") or []]


def load_manifest(corpus_dir: Path) -> tuple[list[DocMeta], list[str]]:
    """Describe every document in ``corpus_dir``.

    Returns:
        The documents in manifest order (then the unlisted files by name), and Dutch problem
        messages for entries that were skipped.

    Raises:
        ManifestError: when manifest.yaml exists but cannot be parsed.
    """
    corpus_dir = Path(corpus_dir)
    manifest = corpus_dir / MANIFEST_NAME
    entries = _read_entries(manifest) if manifest.is_file() else []
    metas: list[DocMeta] = []
    problems: list[str] = []
    seen_files: set[str] = set()
    seen_ids: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("file"):
            problems.append(f"Manifest-item {n} in {manifest.name} heeft geen 'file' en is overgeslagen.")
            continue
        file_name = str(entry["file"])
        if not (corpus_dir / file_name).is_file():
            problems.append(f"Bestand {file_name} uit het manifest bestaat niet in {corpus_dir}; overgeslagen.")
            continue
        values = {k: v for k, v in entry.items() if v is not None}
        values.setdefault("doc_id", slugify(file_name))
        values.setdefault("title", _first_line_title(corpus_dir / file_name))
        values["doc_id"] = str(values["doc_id"])
        if "year" in values:
            values["year"] = str(values["year"])
        try:
            meta = DocMeta.model_validate(values)
        except ValidationError as exc:
            problems.append(f"Manifest-item voor {file_name} is ongeldig en overgeslagen: {exc.errors()[0]['msg']}")
            continue
        if meta.doc_id in seen_ids or file_name in seen_files:
            problems.append(f"Dubbel manifest-item voor {file_name} ({meta.doc_id}); overgeslagen.")
            continue
        seen_ids.add(meta.doc_id)
        seen_files.add(file_name)
        metas.append(meta)
    for path in _corpus_files(corpus_dir):
        if path.name in seen_files:
            continue
        doc_id = slugify(path.name)
        while doc_id in seen_ids:
            doc_id += "-2"
        seen_ids.add(doc_id)
        metas.append(DocMeta(doc_id=doc_id, file=path.name, title=_first_line_title(path)))
    return metas, problems
