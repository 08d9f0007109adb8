"""PDF (``.pdf``) by pypdf: one text per page, real page numbers, the info dictionary as metadata."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.loaders.base import Loaded, LoadError

SUFFIXES = (".pdf",)
RAW_TEXT = False


def read(path: Path, data: bytes) -> Loaded:
    file_meta: dict[str, str] = {}
    return Loaded(_load_pdf(path, file_meta), has_pages=True, file_meta=file_meta)


def _pdf_date(value: str) -> str:
    """'D:20250522120823+02'00'' -> '2025-05-22' ('' when it is no date)."""
    found = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not found:
        return ""
    return "-".join(part for part in found.groups() if part)


def _pdf_metadata(reader, into: dict[str, str]) -> None:
    """Title, author, subject and creation date from the PDF info dictionary, when present."""
    try:
        info = reader.metadata or {}
        for key, name in (("/Title", "title"), ("/Author", "author"), ("/Subject", "subject")):
            value = str(info.get(key) or "").strip()
            if value:
                into[name] = value
        created = _pdf_date(str(info.get("/CreationDate") or ""))
        if created:
            into["created"] = created
    except Exception:  # noqa: BLE001 - a broken info dictionary only loses the metadata
        return


def _load_pdf(path: Path, file_meta: dict[str, str]) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several kinds here
                unlocked = 0
            if not unlocked:
                raise LoadError(f"Bestand {name} is een versleutelde PDF (wachtwoord nodig); niet te lezen.")
        _pdf_metadata(reader, file_meta)
        return [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError) as exc:
        raise LoadError(f"Bestand {name} is een beschadigde of ongeldige PDF: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - any other pypdf failure is still a broken file
        raise LoadError(f"Bestand {name} is een beschadigde of ongeldige PDF: {exc}") from exc
