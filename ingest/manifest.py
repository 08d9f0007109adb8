"""Read corpus/manifest.yaml and describe every document in the corpus folder.

What a document is (title, organisation, year, type, region, gemeenten) is read from the
document itself (:mod:`ingest.metadata`); a manifest entry only overrides, field by field, so an
entry that gives just ``file`` and ``region`` keeps the derived title. Files without an entry
get their derived metadata and an id from the file name, so a new document is never silently
ignored. Entries whose file is missing are reported and skipped. ``DocMeta.derived`` records
which fields were derived and from what.

Example::

    metas, problems = load_manifest(Path("corpus"))
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.core.places import load_gazetteer
from assistant.core.types import DocMeta
from assistant.core.yamlio import safe_load
from ingest.loaders import LoadError, load
from ingest.metadata import DerivedMeta, derive_metadata

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


DERIVABLE = ("title", "organisation", "year", "doc_type", "region", "gemeenten")


def derive_for(path: Path, doc_id: str) -> DerivedMeta | None:
    """Metadata read from the file itself; None when it cannot be loaded (the loader reports why)."""
    try:
        raw = load(path, DocMeta(doc_id=doc_id, file=path.name, title=path.stem))
    except LoadError:
        return None
    return derive_metadata(raw, load_gazetteer())


def merge_derived(values: dict, derived: DerivedMeta | None, file_name: str) -> dict:
    """Manifest values over derived ones, field by field; ``derived`` notes what was taken from the document."""
    merged = dict(values)
    notes: dict[str, str] = {}
    for key in DERIVABLE:
        if key in merged or derived is None:
            continue
        value = getattr(derived, key)
        if value and value != "onbekend":
            merged[key] = value
            notes[key] = derived.evidence.get(key, "")
    if "title" not in merged:
        merged["title"] = Path(file_name).stem.replace("_", " ").replace("-", " ")
        notes["title"] = "bestandsnaam"
    merged["derived"] = notes
    return merged


def describe_derived(meta: DocMeta) -> list[str]:
    """Dutch lines for what was derived for ``meta`` (field: value (source)), for the ingest summary."""
    labels = {"title": "titel", "organisation": "organisatie", "year": "jaar", "doc_type": "soort",
              "region": "regio", "gemeenten": "gemeenten"}
    out = []
    for key, label in labels.items():
        if key in meta.derived:
            value = getattr(meta, key)
            shown = ", ".join(value) if isinstance(value, list) else value
            out.append(f"{label}: {shown} ({meta.derived[key] or 'afgeleid'})")
    return out


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
        data = safe_load(manifest.read_text(encoding="utf-8"))
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
        values["doc_id"] = str(values["doc_id"])
        if any(key not in values for key in DERIVABLE):
            values = merge_derived(values, derive_for(corpus_dir / file_name, values["doc_id"]), file_name)
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
        values = merge_derived({"doc_id": doc_id, "file": path.name}, derive_for(path, doc_id), path.name)
        metas.append(DocMeta.model_validate(values))
    return metas, problems
