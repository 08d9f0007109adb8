"""Load one corpus file into a :class:`RawDocument`: text split into pages, nothing cleaned yet.

One module per format, registered here by suffix (the only place that knows them):
``text`` (.txt extracted from PDFs), ``markup`` (.md, .html, .htm), ``pdf`` and ``docx``. A new
format is a module with ``SUFFIXES``, ``RAW_TEXT`` and ``read(path, data) -> Loaded``, added to
``FORMATS``. Every failure is a :class:`LoadError` with a Dutch message that names the file.

Example::

    raw = load(Path("corpus/plan.pdf"), meta)
    raw.pages[0][:40], raw.content_hash
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.core.types import DocMeta, RawDocument
from ingest.loaders import docx, markup, pdf, text
from ingest.loaders.base import Loaded, LoadError, decode_text, looks_like_text
from ingest.loaders.markup import markup_to_text

__all__ = ["FORMATS", "SUPPORTED_SUFFIXES", "LoadError", "Loaded", "decode_text", "load", "looks_like_text",
           "markup_to_text", "raw_text"]

FORMATS = {suffix: module for module in (text, markup, pdf, docx) for suffix in module.SUFFIXES}
SUPPORTED_SUFFIXES = frozenset(FORMATS)


def raw_text(path: Path) -> bool:
    """Whether the file's own lines are its text (plain text, markup), not a binary format."""
    module = FORMATS.get(Path(path).suffix.lower())
    return bool(module and module.RAW_TEXT)


def load(path: Path, meta: DocMeta) -> RawDocument:
    """Read ``path`` with the loader of its suffix and split it into raw pages.

    Raises:
        LoadError: empty, binary or undecodable file, unknown extension, encrypted or broken
            PDF, broken docx.
    """
    path = Path(path)
    name = path.name
    module = FORMATS.get(path.suffix.lower())
    if module is None:
        raise LoadError(f"Bestand {name}: onbekende extensie '{path.suffix.lower() or '(geen)'}'; "
                        f"ondersteund zijn {', '.join(sorted(SUPPORTED_SUFFIXES))}.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"Bestand {name} kan niet gelezen worden: {exc.strerror or exc}.") from exc
    if not data.strip():
        raise LoadError(f"Bestand {name} is leeg.")
    loaded = module.read(path, data)
    if not any(page.strip() for page in loaded.pages):
        raise LoadError(f"Bestand {name} bevat geen leesbare tekst.")
    return RawDocument(meta=meta, pages=loaded.pages, has_pages=loaded.has_pages,
                       content_hash=hashlib.sha256(data).hexdigest(), file_meta=loaded.file_meta)
