"""Small shared helpers of the extractors: quotes with offsets, sentences, markers, phrases.

Every extractor works on the blocks of a :class:`~assistant.types.CleanDocument`; a quote is
always a span of a block's text, shifted by the block's offset, so it is verbatim text of
``doc.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.types import Block, CleanDocument
from ingest.sentences import split_sentences
from assistant.core.structure import Quote

BULLET = re.compile(r"^•\s+")
NUMBERED = re.compile(r"^(\d{1,2})([.)])\s+(?=\S)")
LETTERED = re.compile(r"^\(?([a-z])([.)])\s+(?=\S)")
_LABEL = re.compile(r"^([^:?!.]{2,70}?)([:?])\s+(?=\S)")
QUOTE_MARKS = "“”\"‘’'„"


@dataclass(frozen=True)
class Marker:
    """The list marker a block starts with: its kind, ordinal (1 for ``1.`` and ``a)``), style."""

    kind: str  # "bullet" | "number" | "letter"
    ordinal: int
    style: str  # "." or ")" ("" for bullets)
    length: int  # characters of the marker and the space after it

    @property
    def text(self) -> str:
        return "•" if self.kind == "bullet" else ""


def marker_of(text: str) -> Marker | None:
    """The list marker at the start of ``text`` (``• ``, ``3. ``, ``b) ``), or None."""
    if m := BULLET.match(text):
        return Marker("bullet", 0, "", m.end())
    if m := NUMBERED.match(text):
        return Marker("number", int(m.group(1)), m.group(2), m.end())
    if m := LETTERED.match(text):
        return Marker("letter", ord(m.group(1)) - ord("a") + 1, m.group(2), m.end())
    return None


def quote(block: Block, start: int = 0, end: int | None = None) -> Quote:
    """The verbatim span ``block.text[start:end]``, trimmed of spaces, as a document quote."""
    end = len(block.text) if end is None else end
    while start < end and block.text[start].isspace():
        start += 1
    while end > start and block.text[end - 1].isspace():
        end -= 1
    return Quote(text=block.text[start:end], start=block.start + start, end=block.start + end, page=block.page)


def place(doc: CleanDocument, block: Block) -> dict:
    """The fields every record shares: doc id, page and section path of ``block``."""
    return {"doc_id": doc.meta.doc_id, "page": block.page, "section_path": list(block.section_path)}


def heading_of(block: Block) -> str:
    """The heading the block stands under ("" for the heading itself at top level)."""
    path = block.section_path
    if block.kind == "heading":
        return path[-2] if len(path) >= 2 else ""
    return path[-1] if path else ""


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(split_sentences(text))


def sentence_spans(block: Block) -> tuple[tuple[int, int], ...]:
    """Sentence spans ``(start, end)`` inside ``block.text``; a list item stays one sentence."""
    return _sentences(block.text)


def sentence_count(text: str) -> int:
    return len(_sentences(text))


def label_of(text: str) -> str:
    """The short label an item opens with (``Bekendheid`` of ``Bekendheid: Niet alle ...``,
    ``Pgb-vaardig`` of ``Pgb-vaardig? Dit onderzoek ...``), or ""."""
    m = _LABEL.match(text)
    if not m or "http" in m.group(1) or "www." in m.group(1):
        return ""
    label = m.group(1).strip()
    return label if 1 <= len(label.split()) <= 7 else ""


def last_sentence(block: Block) -> tuple[int, int]:
    spans = sentence_spans(block)
    return spans[-1] if spans else (0, len(block.text))


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


def contains_phrase(text: str, phrase: str) -> re.Match[str] | None:
    """Case-insensitive whole-word match of ``phrase`` in ``text``."""
    if phrase.lower() not in text.lower():
        return None
    return _phrase_pattern(phrase).search(text)


def words_of(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text)


def trim_phrase(text: str) -> str:
    """A phrase cut from a sentence: spaces, commas and closing punctuation trimmed."""
    return text.strip().strip(",;:").strip().rstrip(".").strip()


_TABLE_CELL = re.compile(r"(?:^|(?<=\s\|\s))([^|:]{1,40}?): ")


def table_cells(block: Block) -> list[tuple[str, int, int]]:
    """``(column, start, end)`` of every ``Column: value`` cell of a table row."""
    text = block.text
    heads = list(_TABLE_CELL.finditer(text))
    cells = []
    for k, m in enumerate(heads):
        end = heads[k + 1].start() - 3 if k + 1 < len(heads) else len(text)
        cells.append((m.group(1).strip(), m.end(), max(m.end(), end)))
    return cells
