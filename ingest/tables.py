"""Rebuild tables that the PDF extraction flattened cell by cell.

Shape in the corpus (000's uitvoeringsagenda, 004's OJA table): a header line whose column
names are separated by two or more spaces (``Actie  Wie  Waarom  Wanneer``; or ``OJA`` on its
own line followed by ``Scholen  Aanbieder``), then cells separated by blank lines, sometimes two
cells on one line separated by two spaces, sometimes two cells merged with a single space
(``Stuurgroep Overzicht maken van``). Long full-width lines inside the table are group lines
(000's ambitions, the "bewegingen"). Every row becomes one ``table_row`` draft whose text keeps
the column names (``Actie: ... | Wie: ... | Waarom: ... | Wanneer: ...``), so a row never loses
its header; the group line becomes a heading so it lands in the section path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CELL_MAX = 55  # longest line of a table cell; longer lines are group lines or prose
GROUP_MIN = 60
# one to three capitalised words opening a cell line before a comma, colon, "en" or "i.s.m."
_NAMED_PREFIX = re.compile(r"^([A-Z][\w-]*(?: [A-Z][\w-]*){0,2})(?=\s*[:,]| en\b| i\.s\.m\.)")
_CODE = re.compile(r"\bC\d\b")
_HEADER_WORD = re.compile(r"^[A-Z][A-Za-z]{1,14}$")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+\S")


@dataclass
class TLine:
    """One line of the stream as the table reader sees it."""

    text: str
    page: int | None
    kind: str  # "text" | "blank" | "break" | "pagebreak"


@dataclass
class TableDraft:
    kind: str  # "table_row" | "group" | "footnote"
    text: str
    page: int | None


@dataclass
class _Segment:
    start: int
    end: int  # exclusive index into the stream
    lines: list[str] = field(default_factory=list)
    page: int | None = None
    paragraphs: list[list[str]] = field(default_factory=list)


def header_columns(text: str) -> list[str] | None:
    """Column names when ``text`` is a header line (``Actie  Wie  Waarom  Wanneer``)."""
    parts = [p for p in re.split(r"\s{2,}", text.strip()) if p]
    if 2 <= len(parts) <= 6 and all(_HEADER_WORD.match(p) for p in parts):
        return parts
    return None


def find_header(stream: list[TLine], i: int) -> tuple[list[str], int] | None:
    """Recognise a table header starting at stream index ``i``; return columns and next index."""
    line = stream[i]
    if line.kind != "text":
        return None
    cols = header_columns(line.text)
    if cols and len(cols) >= 3:
        return cols, i + 1
    # a single column name on its own line, then the others on one line (004: OJA / Scholen  Aanbieder)
    if _HEADER_WORD.match(line.text.strip()) and len(line.text.strip()) <= 8:
        j = i + 1
        while j < len(stream) and stream[j].kind in ("blank", "break"):
            j += 1
        if j < len(stream) and stream[j].kind == "text":
            rest = header_columns(stream[j].text)
            if rest and len(rest) >= 2:
                return [line.text.strip(), *rest], j + 1
    return None


def _segments(stream: list[TLine], start: int) -> list[_Segment]:
    """Cells: runs of text lines separated by blank lines or page breaks."""
    segs: list[_Segment] = []
    cur: _Segment | None = None
    for k in range(start, len(stream)):
        line = stream[k]
        if line.kind in ("blank", "pagebreak"):
            if cur and cur.lines:
                cur.end = k
                segs.append(cur)
            cur = None
            continue
        if cur is None:
            cur = _Segment(start=k, end=k + 1, page=line.page, paragraphs=[[]])
        if line.kind == "break":
            if cur.paragraphs[-1]:
                cur.paragraphs.append([])
            continue
        cur.lines.append(line.text.rstrip())
        cur.paragraphs[-1].append(line.text.rstrip())
        cur.end = k + 1
    if cur and cur.lines:
        segs.append(cur)
    for seg in segs:
        seg.paragraphs = [p for p in seg.paragraphs if p]
    return segs


def _is_cell(seg: _Segment) -> bool:
    return all(len(line.strip()) <= CELL_MAX for line in seg.lines)


def _is_name_list(lines: list[str]) -> bool:
    """Three or more short capitalised lines without connectors: one name per line."""
    return len(lines) >= 3 and all(
        line[:1].isupper() and len(line.split()) <= 2 and not re.search(r"[,;:+&]$|\b(en|of)$", line)
        for line in lines
    )


def _join_cell_lines(lines: list[str], join=None) -> str:
    """Lines of one cell: a list of named items (``C3 Schoolnaam``, providers) joined by commas,
    wrapped text joined by spaces."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in lines if line.strip()]
    if not lines:
        return ""
    if any(_CODE.match(line) for line in lines[1:]) and _CODE.search(lines[0]):
        items: list[str] = []
        for line in lines:
            if _CODE.match(line) or not items:
                items.append(line)
            else:
                items[-1] += " " + line
        return ", ".join(items)
    if _is_name_list(lines):
        return ", ".join(lines)
    out = lines[0]
    for line in lines[1:]:
        out = join(out, line) if join else f"{out} {line}"
    return out


def _pieces(seg: _Segment) -> list[list[list[str]]]:
    """Split a segment into cell pieces at two-space gaps on its first line; continuation
    lines belong to the last piece. Each piece is a list of paragraphs (lists of lines)."""
    first = seg.paragraphs[0][0]
    parts = [p for p in re.split(r"\s{2,}", first.strip()) if p]
    if len(parts) <= 1:
        return [seg.paragraphs]
    pieces: list[list[list[str]]] = [[[p]] for p in parts[:-1]]
    last = [[parts[-1], *seg.paragraphs[0][1:]], *seg.paragraphs[1:]]
    pieces.append(last)
    return pieces


def _split_merged(text: str, known: set[str]) -> tuple[str, str] | None:
    """Split a cell merged with its right neighbour, from evidence: a known party or value
    as prefix followed by a capitalised word, a school code (``C4``) after the first words,
    or a known value as suffix."""
    for name in sorted(known, key=len, reverse=True):
        if text.startswith(name + " ") and len(text) > len(name) + 1:
            rest = text[len(name) + 1 :]
            if rest[:1].isupper() and not _CODE.match(rest) and len(rest.split()) >= 3:
                return name, rest
    code = _CODE.search(text)
    if code and code.start() > 0:
        return text[: code.start()].strip(), text[code.start() :].strip()
    for name in sorted(known, key=len, reverse=True):
        if text.endswith(" " + name) and len(text) > len(name) + 1 and not _CODE.match(name):
            head = text[: -len(name) - 1].strip()
            if head and not re.search(r"(\b(en|én|of|en/of)|[,;:+&/-])$", head):
                return head, name
    return None


def read_table(stream: list[TLine], i: int, clean, join=None) -> tuple[list[TableDraft], int] | None:
    """Read a table whose header starts at ``stream[i]``.

    Args:
        clean: function applied to every cell and group text (ij repair, spaces, ...).
        join: ``join(a, b)`` that glues two wrapped lines of a cell (dehyphenation).

    Returns:
        The drafts (group lines, rows, footnotes met inside the table) and the stream index
        where normal text resumes; None when no table starts here.
    """
    found = find_header(stream, i)
    if not found:
        return None
    columns, pos = found
    segs = _segments(stream, pos)
    known: set[str] = set()
    prefixes: dict[str, int] = {}
    for seg in segs:
        if not _is_cell(seg):
            continue
        for para in seg.paragraphs:
            for line in para:
                parts = [p for p in re.split(r"\s{2,}", line.strip()) if p]
                if len(parts) > 1:
                    known.update(p for p in parts if len(p.split()) <= 3 and p[-1].isalnum())
        lines = [line.strip() for line in seg.lines]
        if _is_name_list(lines):
            known.update(line for line in lines if not _CODE.match(line))
        for line in lines:
            named = _NAMED_PREFIX.match(line)
            if named:
                prefixes[named.group(1)] = prefixes.get(named.group(1), 0) + 1
    # a name that opens two or more cell lines of this table before a comma, colon or "en"
    # ("SWV PO: ...", "SWV PO en VO ...") is a party, wherever it heads a merged cell
    known.update(name for name, n in prefixes.items() if n >= 2)
    drafts: list[TableDraft] = []
    row: list[str] = []
    row_page: int | None = None
    row_start = pos
    end = pos
    n = len(columns)

    def emit_row() -> None:
        nonlocal row
        if any(row):
            text = " | ".join(f"{col}: {val}" for col, val in zip(columns, row) if val)
            drafts.append(TableDraft("table_row", text, row_page))
        row = []

    idx = 0
    while idx < len(segs):
        seg = segs[idx]
        repeat = header_columns(seg.lines[0])
        if repeat and repeat == columns[-len(repeat):] and len(seg.lines) == 1:
            idx += 1
            end = seg.end
            continue
        if seg.lines[0].strip() == columns[0] and len(seg.lines) == 1 and idx + 1 < len(segs) \
                and header_columns(segs[idx + 1].lines[0]) == columns[1:]:
            idx += 2
            end = segs[idx - 1].end
            continue
        if _FOOTNOTE.match(seg.lines[0].strip()) and not _is_cell(seg):
            emit_row()
            drafts.append(TableDraft("footnote", clean(" ".join(seg.lines)), seg.page))
            idx += 1
            end = seg.end
            continue
        if not _is_cell(seg):
            following = segs[idx + 1] if idx + 1 < len(segs) else None
            if following is not None and _is_cell(following) and not _FOOTNOTE.match(following.lines[0].strip()):
                if row:
                    emit_row()
                drafts.append(TableDraft("group", clean(_join_cell_lines(seg.lines, join)), seg.page))
                idx += 1
                end = seg.end
                row_start = end
                continue
            break  # prose resumes: the table has ended
        if not row:
            row_page = seg.page
            row_start = seg.start
        for piece in _pieces(seg):
            text = clean("; ".join(_join_cell_lines(p, join) for p in piece))
            while len(row) < n - 1:
                split = _split_merged(text, known)
                if not split or len(split[0].split()) > 4:
                    break  # only short names and labels are split off the front of a cell
                row.append(split[0])
                text = split[1]
            row.append(text)
            if len(row) == n:
                emit_row()
        idx += 1
        end = seg.end
    if row:
        # an unfinished row at the end is text after the table (e.g. a heading), give it back
        end = row_start
        row = []
    if not any(d.kind == "table_row" for d in drafts):
        return None
    return drafts, end

