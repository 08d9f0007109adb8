"""Load one corpus file into a :class:`RawDocument`: text split into pages, nothing cleaned yet.

Supported: ``.txt`` (PDF-extracted text: page breaks recovered, see :mod:`ingest.pages`),
``.md``/``.html``/``.htm`` (markup turned into plain lines; no pages), ``.pdf`` (pypdf, real
page numbers) and ``.docx`` (python-docx; "Heading N" styles become ``#`` headings; no pages).
Every failure is a :class:`LoadError` with a Dutch message that names the file.

Example::

    raw = load(Path("corpus/zk-jeugdondersteuningsplan.txt"), meta)
    raw.pages[0][:40], raw.content_hash
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from assistant.core.types import DocMeta, RawDocument
from ingest.pages import split_pages

TEXT_SUFFIXES = {".txt"}
MARKUP_SUFFIXES = {".md", ".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKUP_SUFFIXES | {".pdf", ".docx"}


class LoadError(Exception):
    """A file that cannot be loaded; the message is Dutch and names the file."""


def load(path: Path, meta: DocMeta) -> RawDocument:
    """Read ``path`` and split it into raw pages.

    Raises:
        LoadError: empty, binary or undecodable file, unknown extension, encrypted or broken
            PDF, broken docx.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"Bestand {name}: onbekende extensie '{suffix or '(geen)'}'; "
            f"ondersteund zijn {', '.join(sorted(SUPPORTED_SUFFIXES))}."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"Bestand {name} kan niet gelezen worden: {exc.strerror or exc}.") from exc
    if not data.strip():
        raise LoadError(f"Bestand {name} is leeg.")
    content_hash = hashlib.sha256(data).hexdigest()
    file_meta: dict[str, str] = {}
    if suffix == ".pdf":
        pages, has_pages = _load_pdf(path, file_meta), True
    elif suffix == ".docx":
        pages, has_pages = [_load_docx(path, file_meta)], False
    else:
        text = decode_text(data, name)
        if suffix in TEXT_SUFFIXES:
            pages, has_pages = split_pages(text), True
        else:
            pages, has_pages = [markup_to_text(text)], False
    if not any(page.strip() for page in pages):
        raise LoadError(f"Bestand {name} bevat geen leesbare tekst.")
    return RawDocument(meta=meta, pages=pages, has_pages=has_pages, content_hash=content_hash, file_meta=file_meta)


# --- text decoding -------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def looks_like_text(text: str) -> bool:
    """True when ``text`` reads as natural-language text, not decoded binary noise."""
    if not text.strip():
        return False
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 1000):
        return False
    plain = sum(1 for ch in sample if ch.isalnum() or ch.isspace() or ch in ".,;:!?'\"()-/&%+*#|<>=[]_€’‘“”–•")
    letters = sum(1 for ch in sample if ch.isalpha())
    spaces = sum(1 for ch in sample if ch.isspace())
    return plain / len(sample) >= 0.9 and letters / len(sample) >= 0.4 and spaces > 0


def decode_text(data: bytes, name: str) -> str:
    """Decode file bytes: UTF-8 first, Windows-1252 only when the result reads as text.

    Raises:
        LoadError: binary content, or bytes that are text in neither encoding.
    """
    if b"\x00" in data[:8192]:
        raise LoadError(f"Bestand {name} is een binair bestand, geen tekst.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"Bestand {name} is niet te lezen als tekst (geen UTF-8 of Windows-1252)."
            ) from exc
        if not looks_like_text(text):
            raise LoadError(f"Bestand {name} is niet te lezen als tekst (geen UTF-8; onleesbare tekens).")
    if not looks_like_text(text):
        raise LoadError(f"Bestand {name} bevat geen leesbare tekst (binaire of onleesbare inhoud).")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- markdown / HTML -------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "pre", "br", "tr", "table", "header", "footer"}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def _html_lines(node: Tag) -> list[str]:
    """Plain lines from an HTML fragment: headings as '#', list items as '- ', blocks apart."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buf)).strip()
        if text:
            out.append(text)
            out.append("")
        buf.clear()

    def walk(el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ in ("Comment", "Doctype"):
                    continue
                buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in {"script", "style", "head"}:
                continue
            if re.fullmatch(r"h[1-6]", name):
                flush()
                buf.append("#" * int(name[1]) + " " + child.get_text(" ", strip=True))
                flush()
            elif name == "li":
                flush()
                text = re.sub(r"\s+", " ", child.get_text(" ", strip=True))
                text = re.sub(r"^[•▪·\-–*]\s*", "", text)
                if text:
                    out.append("- " + text)
                    out.append("")
            elif name in {"td", "th"}:
                buf.append(" " + child.get_text(" ", strip=True) + " |")
            elif name in _BLOCK_TAGS or name in {"ul", "ol", "dl", "dd", "dt"}:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(node)
    flush()
    return out


def markup_to_text(text: str) -> str:
    """Turn Markdown with embedded HTML (or plain HTML) into plain lines.

    Markdown headings stay ``#``-prefixed (without bold markers) so the cleaner sees them;
    consecutive short ``Key<TAB>value`` lines (a form header) become one record line
    ``Key: value | Key: value``; long values and HTML paragraphs become paragraphs of their
    own, list items ``- `` items.
    """
    if re.search(r"<\s*(html|body)\b", text[:2000], re.IGNORECASE):
        soup = BeautifulSoup(text, "html.parser")
        return "\n".join(_html_lines(soup.body or soup)).strip() + "\n"
    out: list[str] = []
    record: list[str] = []  # short "Key: value" lines of a form header, kept as one record

    def flush_record() -> None:
        if record:
            out.extend([" | ".join(record), ""])
            record.clear()

    for line in text.split("\n"):
        line = line.rstrip()
        bold_key = re.match(r"^\s*<b>(.*?)</b>\s*(.*)$", line)
        if "\t" in line or bold_key:
            if bold_key:
                key, value = bold_key.group(1), bold_key.group(2)
            else:
                key, _, value = line.partition("\t")
            key = _strip_markup(key)
            value = value.strip()
            if not _TAG.search(value) and len(value) <= 100:
                record.append(f"{key}: {_strip_markup(value)}" if value else f"{key}:")
                continue
            flush_record()
            parts = [p for p in _html_lines(BeautifulSoup(value, "html.parser")) if p]
            if len(parts) == 1 and not parts[0].startswith("- "):
                out.extend([f"{key}: {parts[0]}", ""])
            else:
                out.extend([f"{key}:", ""])
                for part in parts:
                    out.extend([part, ""])
            continue
        if line.strip():
            flush_record()
        if _TAG.search(line):
            out.extend(_html_lines(BeautifulSoup(line, "html.parser")))
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            out.append(f"{heading.group(1)} {_strip_markup(heading.group(2))}")
            continue
        out.append(_strip_markup(line) if line.strip() else "")
    flush_record()
    return "\n".join(out).strip() + "\n"


def _strip_markup(text: str) -> str:
    """Drop Markdown emphasis markers and stray tags from one line of text."""
    text = _TAG.sub(" ", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


# --- PDF and docx -------------------------------------------------------------------------


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
