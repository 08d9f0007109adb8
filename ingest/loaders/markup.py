"""Markdown and HTML (``.md``, ``.html``, ``.htm``): markup turned into plain lines; no pages.

Markdown headings stay ``#``-prefixed so the cleaner sees them; list items become ``- `` lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from ingest.loaders.base import Loaded, decode_text

SUFFIXES = (".md", ".html", ".htm")
RAW_TEXT = True


def read(path: Path, data: bytes) -> Loaded:
    return Loaded([markup_to_text(decode_text(data, path.name))], has_pages=False)


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
