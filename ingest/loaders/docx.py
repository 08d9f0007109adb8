"""Word (``.docx``) by python-docx: "Heading N" styles become ``#`` headings, tables ``| a | b |`` rows; no pages."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.loaders.base import Loaded, LoadError

SUFFIXES = (".docx",)
RAW_TEXT = False


def read(path: Path, data: bytes) -> Loaded:
    file_meta: dict[str, str] = {}
    return Loaded([_load_docx(path, file_meta)], has_pages=False, file_meta=file_meta)


def _load_docx(path: Path, file_meta: dict[str, str]) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    name = path.name
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise LoadError(f"Bestand {name} is een beschadigd of ongeldig Word-bestand (.docx): {exc}") from exc
    props = document.core_properties
    for name in ("title", "author", "subject"):
        value = (getattr(props, name, "") or "").strip()
        if value:
            file_meta[name] = value
    if props.created is not None:
        file_meta["created"] = props.created.date().isoformat()
    lines: list[str] = []
    body = document.element.body
    tables = {table._tbl: table for table in document.tables}
    paragraphs = {p._p: p for p in document.paragraphs}
    for child in body.iterchildren():
        if child in paragraphs:
            para = paragraphs[child]
            text = re.sub(r"\s+", " ", para.text).strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = re.match(r"(?:Heading|Kop)\s*(\d)", style)
            if level:
                lines.extend(["#" * int(level.group(1)) + " " + text, ""])
            elif style == "Title":
                lines.extend(["# " + text, ""])
            elif style.startswith(("List", "Lijst")):
                lines.extend(["- " + text, ""])
            else:
                lines.extend([text, ""])
        elif child in tables:
            rows = [[re.sub(r"\s+", " ", cell.text).strip() for cell in row.cells] for row in tables[child].rows]
            rows = [row for row in rows if any(row)]
            for row in rows:
                lines.append("| " + " | ".join(row) + " |")
            lines.append("")
    return "\n".join(lines).strip() + "\n"
