"""Word (``.docx``) by python-docx: "Heading N" styles become ``#`` headings, tables ``| a | b |`` rows; no pages.

A Word paragraph is a paragraph: Word wraps lines itself, so unlike a PDF line the end of one is
never a line wrap. Paragraphs are separated by a space-only line, the stream's hard break, so that a
form's "Datum: ____" and "Handtekening ouder(s):" stay apart from the prose after them (with plain
blank lines between every paragraph, the re-flow would take them for one paragraph wrapped line by
line, as on PDF pages that put a blank line between every line).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.loaders.base import Loaded, LoadError

SUFFIXES = (".docx",)
RAW_TEXT = False
BREAK = " "  # a space-only line: a hard paragraph break (see ingest.clean.build_stream)


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
            lines.extend(_paragraph_lines(paragraphs[child]))
        elif child in tables:
            lines.extend(_table_lines(tables[child]))
    return "\n".join(lines).strip() + "\n"


def _paragraph_lines(para) -> list[str]:
    """A paragraph as its lines (a line break typed in it ends a line, as a PDF line ends) and the
    hard break after it; a heading style as one ``#`` heading."""
    lines = [line for line in (re.sub(r"\s+", " ", part).strip() for part in para.text.split("\n")) if line]
    if not lines:
        return []
    text = " ".join(lines)
    style = (para.style.name if para.style is not None else "") or ""
    level = re.match(r"(?:Heading|Kop)\s*(\d)", style)
    if level:
        return ["#" * int(level.group(1)) + " " + text, BREAK]
    if style == "Title":
        return ["# " + text, BREAK]
    if style.startswith(("List", "Lijst")):
        return ["- " + text, BREAK]
    return [*lines, BREAK]


def _table_lines(table) -> list[str]:
    """``| a | b |`` rows; a row of one cell (a text box, a form's framed block) is no table row but
    the paragraphs in that cell, each on its own."""
    lines: list[str] = []
    for row in table.rows:
        cells = list({cell._tc: cell for cell in row.cells}.values())  # a merged cell repeats its element
        if len(cells) == 1:
            lines.extend(line for para in cells[0].paragraphs for line in _paragraph_lines(para))
            continue
        texts = [re.sub(r"\s+", " ", cell.text).strip() for cell in row.cells]
        if any(texts):
            lines.append("| " + " | ".join(texts) + " |")
    return [*lines, BREAK]
