"""Clean a raw document into readable text plus the blocks that tile it.

Steps (each a small function; the rules themselves live in :mod:`ingest.textrules`,
:mod:`ingest.layout` and :mod:`ingest.tables`):

1. a line stream per page: Unicode normalised, running footers (``22Ondersteuningsplan 2019 |
   2022``), lone page numbers and checklist columns (``□``, ``*``, repeated ``Onderdelen In ont-
   wikkeling Aanwezig``) dropped;
2. tables rebuilt row by row with their column names (:mod:`ingest.tables`);
3. other lines re-flowed into paragraphs, list items and headings (:mod:`ingest.layout`), with
   line-break hyphenation undone from corpus evidence and split ``ij`` repaired;
4. a section path from the headings, and offsets so that ``text[block.start:block.end] ==
   block.text``.

Example::

    vocab = build_vocabulary(page for raw in raws for page in raw.pages)
    doc = clean_document(raw, vocabulary=vocab)
    doc.blocks[0].kind, doc.blocks[0].section_path
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.core.types import Block, CleanDocument, RawDocument
from ingest.furniture import find_furniture, furniture_lines
from ingest.layout import BULLET, MD_HEADING, MD_TABLE, Draft, heading_rank, reflow
from ingest.pages import is_footer_line, running_footers
from ingest.tables import TLine, find_header, read_table
from ingest.textrules import (
    build_vocabulary,
    clean_text,
    glued_reference_numbers,
    is_checkbox_line,
    is_lone_page_number,
    join_hyphenated,
    normalize_unicode,
    repair_inline_hyphen,
    repair_split_ij,
    strip_footnote_refs,
    strip_trailing_marks,
)

__all__ = [
    "build_vocabulary",
    "build_stream",
    "checkbox_header_lines",
    "diagram_labels",
    "clean_document",
    "clean_text",
    "join_lines",
    "is_checkbox_line",
    "is_lone_page_number",
    "join_hyphenated",
    "normalize_unicode",
    "repair_inline_hyphen",
    "repair_split_ij",
    "strip_footnote_refs",
]

BLOCK_SEPARATOR = "\n\n"
GROUP_RANK = 100


def checkbox_header_lines(lines: list[str]) -> set[str]:
    """Words of the column headers printed above checkbox columns (e.g. ``Onderdelen In ont-``,
    ``wikkeling``, ``Aanwezig``): short lines that stand right before two or more runs of
    ``□``; a line made only of those words is a header remnant wherever it occurs."""
    counts: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if not is_checkbox_line(line) or (i and is_checkbox_line(lines[i - 1])):
            continue
        j, taken = i - 1, 0
        while j >= 0 and taken < 4:
            text = lines[j].strip()
            if not text:
                j -= 1
                continue
            if is_checkbox_line(text) or len(text) > 25 or text.endswith((".", ",", ";", ":")):
                break
            k = j - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if text[:1].islower() and not (k >= 0 and lines[k].rstrip().endswith("-")):
                break  # the wrapped end of a checklist item, not a header word
            counts[text] += 1
            taken += 1
            j -= 1
    words: set[str] = set()
    for text, n in counts.items():
        if n >= 2:
            words.update(text.split())
    return words


def _is_header_remnant(line: str, words: set[str]) -> bool:
    parts = line.split()
    return bool(words) and bool(parts) and len(line.strip()) <= 25 and all(p in words for p in parts)


def diagram_labels(page: str) -> set[str]:
    """Labels of a schematic drawing on one page: short lines printed three or more times
    (``doel`` / ``maatschappe-`` / ``lijk effect`` / ``eerste`` / ``stap``
    in four boxes), and a label printed twice side by side (``Wat doen wij? Wat doen
    wij?``)."""
    counts = Counter(line.strip() for line in page.split("\n") if line.strip())
    labels = {line for line, n in counts.items() if n >= 3 and len(line) <= 25 and not line[:1].isdigit()}
    labels |= {line for line in counts if re.fullmatch(r"(.{5,40}?)\s+\1", line)}
    return labels


def build_stream(raw: RawDocument) -> list[TLine]:
    """The document as one stream of lines with blank, space-only and page-break markers,
    junk lines (running headers and footers, page counters, print timestamps, repeated web
    addresses, checkbox columns; see :mod:`ingest.furniture`) already dropped."""
    furniture = find_furniture(raw.pages) if raw.has_pages else None
    all_lines = [normalize_unicode(line) for page in raw.pages for line in page.split("\n")]
    footers = running_footers(all_lines)
    header_words = checkbox_header_lines(all_lines)
    stream: list[TLine] = []
    for index, page in enumerate(raw.pages):
        number = index + 1 if raw.has_pages else None
        if not page.strip():
            continue
        labels = diagram_labels(page) if raw.has_pages else set()
        edge_junk = furniture_lines(page, furniture) if furniture else set()
        if stream:
            stream.append(TLine("", number, "pagebreak"))
        for position, line in enumerate(page.split("\n")):
            line = normalize_unicode(line)
            if not line:
                stream.append(TLine("", number, "blank"))
            elif not line.strip():
                stream.append(TLine("", number, "break"))
            elif (
                position in edge_junk
                or is_footer_line(line, footers)
                or is_lone_page_number(line)
                or is_checkbox_line(line)
                or _is_header_remnant(line, header_words)
                or line.strip() in labels
            ):
                stream.append(TLine("", number, "blank"))
            else:
                text = strip_trailing_marks(line.rstrip()).lstrip()
                stream.append(TLine(text, number, "text") if text else TLine("", number, "blank"))
    return stream


def join_lines(left: str, right: str, vocabulary: Counter[str] | None = None) -> str:
    """Glue two lines of one paragraph, undoing line-break hyphenation where it is one."""
    left, right = left.rstrip(), right.strip()
    if re.search(r"[^\W\d_]-$", left):
        return join_hyphenated(left, right, vocabulary)
    return f"{left} {right}"


def _clean_block_text(text: str, vocabulary: Counter[str] | None) -> str:
    text = clean_text(text, vocabulary)
    bullet = BULLET.match(text)
    if bullet:
        text = "• " + text[bullet.end():]
    return text


def _drafts(stream: list[TLine], vocabulary: Counter[str] | None) -> list[Draft]:
    """Tables and prose of the stream, in order."""
    def join(a: str, b: str) -> str:
        return join_lines(a, b, vocabulary)

    def clean_cell(text: str) -> str:
        return clean_text(text, vocabulary)

    drafts: list[Draft] = []
    pos = 0
    k = 0
    while k < len(stream):
        if stream[k].kind == "text" and find_header(stream, k):
            table = read_table(stream, k, clean_cell, join)
            if table:
                drafts.extend(reflow(stream, pos, k, join))
                rows, end = table
                for row in rows:
                    kind = {"group": "heading", "table_row": "table_row", "footnote": "paragraph"}[row.kind]
                    drafts.append(Draft(kind=kind, lines=[row.text], page=row.page, text=row.text,
                                        rank=GROUP_RANK if row.kind == "group" else None,
                                        footnote=row.kind == "footnote"))
                drafts.append(Draft(kind="end_table", lines=[], page=None))
                pos = k = end
                continue
        k += 1
    drafts.extend(reflow(stream, pos, len(stream), join))
    return drafts


def _classify(drafts: list[Draft]) -> list[Draft]:
    """Decide headings, clean texts, drop layout residue."""
    out: list[Draft] = []
    notes = _page_foot_notes(drafts)
    for i, d in enumerate(drafts):
        if d.kind == "end_table":
            out.append(d)
            continue
        if d.kind == "table_row" and MD_TABLE.match(d.text):
            continue  # markdown tables are handled by _markdown_rows
        if d.kind == "heading" and d.rank is None:
            md = MD_HEADING.match(d.text)
            if md:
                d.rank = len(md.group(1))
                d.text = md.group(2).strip()
        elif d.kind in ("paragraph", "list_item") and len(d.lines) <= 2 and not BULLET.match(d.text):
            rank = heading_rank(d.text)
            if len(d.lines) == 2 and not (rank is not None and (0 < rank < 99 or len(d.text) <= 60)):
                rank = None  # only a numbered or a short heading may wrap onto a second line
            if i in notes:
                rank, d.footnote = None, True  # "4 Zie voor de definitie ...": a note, not chapter 4
            if rank is not None and d.kind == "list_item":
                if _has_list_sibling(drafts, i):
                    rank = None
                elif re.match(r"^[a-z][.)]", d.text):
                    rank = None
            if rank is not None:
                d.kind, d.rank = "heading", rank
                d.text = re.sub(r"^(\d{1,2}(?:\.\d{1,2})*\.)(?=[A-Z])", r"\1 ", d.text)
        if d.kind == "paragraph" and _is_layout_residue(d.text):
            continue
        out.append(d)
    return _merge_title_lines(_merge_bare_annex_titles(_demote_labels(out)))


def _merge_title_lines(drafts: list[Draft]) -> list[Draft]:
    """A document title printed over two lines at the very start (000: ``Jeugdondersteuningsplan``
    / ``Regio Noord``) is one heading, so the text under it keeps the whole title."""
    if len(drafts) >= 3 and all(d.kind == "heading" and d.rank == 99 for d in drafts[:2]) \
            and drafts[2].kind != "heading" and len(drafts[0].text) + len(drafts[1].text) <= 80:
        first = drafts[0]
        first.text = f"{first.text.strip()} {drafts[1].text.strip()}"
        return [first, *drafts[2:]]
    return drafts


_CAMEL_GLUE = re.compile(r"[a-zà-ÿ]{3,}[A-Z][a-zà-ÿ]{2,}")


def _demote_labels(drafts: list[Draft]) -> list[Draft]:
    """Unnumbered "headings" that are really diagram labels become list items: two columns
    glued together (``Lokaal anticiperenPassende omgeving``), or a run of short lines with no
    prose after them (a schematic: ``Protocol``, ``Arrangementen voor het MBO``, ...)."""
    def is_label(i: int) -> bool:
        d = drafts[i]
        if d.kind != "heading" or d.rank != 99:
            return False
        if _CAMEL_GLUE.search(d.text):
            return True
        j, headings = i + 1, 0
        while j < len(drafts) and drafts[j].kind == "heading" and drafts[j].rank == 99:
            headings += 1
            j += 1
        if j >= len(drafts) or drafts[j].kind == "end_table":
            return False
        nxt = drafts[j]
        if nxt.kind == "heading":
            return False
        prose = len(nxt.text) >= 120 or bool(re.search(r"[.!?:;]$", nxt.text.strip()))
        return headings >= 2 or not prose

    if any(d.kind == "heading" and MD_HEADING.match(d.lines[0] if d.lines else "") for d in drafts):
        for d in drafts:  # numbered lines nest below Markdown headings, never above them
            if d.kind == "heading" and d.rank is not None and not MD_HEADING.match(d.lines[0] if d.lines else "") \
                    and 0 < d.rank < 99:
                d.rank += 6
    labels = [is_label(i) for i in range(len(drafts))]
    for d, label in zip(drafts, labels):
        if label:
            d.kind, d.rank = "list_item", None
    return drafts


def _item_number(text: str) -> int | None:
    match = re.match(r"^(\d{1,2})[.)]\s", text)
    return int(match.group(1)) if match else None


def _has_list_sibling(drafts: list[Draft], i: int) -> bool:
    """A numbered line is a list item, not a heading, when the item numbered one lower
    precedes it or the one numbered one higher follows it."""
    number = _item_number(drafts[i].text)
    if number is None:
        return False
    before = _item_number(drafts[i - 1].text) if i > 0 else None
    after = _item_number(drafts[i + 1].text) if i + 1 < len(drafts) else None
    return before == number - 1 or after == number + 1


# a numbered line as layout.FOOTNOTE reads it, or one whose text opens with a digit ("1 1 Zorgwet ...",
# a note line that kept its reference number)
_NOTE = re.compile(r"^(\d{1,2})\s{1,2}(?=[A-Z‘“(\d])")


def _page_foot_notes(drafts: list[Draft]) -> set[int]:
    """Indices of the notes at the foot of a page: a numbered line ("4 Zie voor de definitie
    bijlage 2 ...") reads like a numbered heading ("4 Uitvoering"), but a page ends with
    its notes. Counted as notes: a run of two or more numbered lines the page ends with, or a single
    one whose number the text refers to with a digit glued to a word ("wijkteams4"). A contents line
    (dot leaders) is no note; documents without pages have no page foot."""
    refs = {n for d in drafts for n in glued_reference_numbers(d.text)}

    def numbered(k: int) -> bool:
        d = drafts[k]
        return d.page is not None and d.kind in ("paragraph", "list_item") and bool(_NOTE.match(d.text)) \
            and "...." not in d.text

    notes: set[int] = set()
    i = 0
    while i < len(drafts):
        if not numbered(i):
            i += 1
            continue
        j = i
        while j + 1 < len(drafts) and drafts[j + 1].page == drafts[i].page and numbered(j + 1):
            j += 1
        at_foot = j + 1 == len(drafts) or drafts[j + 1].page != drafts[i].page
        if at_foot and (j > i or int(_NOTE.match(drafts[i].text).group(1)) in refs):
            notes.update(range(i, j + 1))
        i = j + 1
    return notes


def _is_layout_residue(text: str) -> bool:
    """Repeated diagram labels (a schematic: ``doel maatschappelijk effect eerste
    opgave`` four times) carry no content."""
    words = re.findall(r"\w+", text.lower())
    return len(words) >= 12 and len(set(words)) / len(words) < 0.45


def _merge_bare_annex_titles(drafts: list[Draft]) -> list[Draft]:
    """``Bijlage 2`` followed by its title heading becomes ``Bijlage 2: <title>``."""
    out: list[Draft] = []
    skip = False
    for i, d in enumerate(drafts):
        if skip:
            skip = False
            continue
        nxt = drafts[i + 1] if i + 1 < len(drafts) else None
        if d.kind == "heading" and d.rank == 0 and re.fullmatch(r"(Bijlage|Deel)\s+\S+", d.text.strip()) \
                and nxt is not None and nxt.kind == "heading" and nxt.rank == 99:
            d.text = f"{d.text.strip()}: {nxt.text.strip()}"
            skip = True
        out.append(d)
    return out


def _markdown_rows(drafts: list[Draft]) -> list[Draft]:
    """Markdown/docx tables (``| a | b |`` lines): the first row names the columns; a table of that
    one row only (a form's "Naam | Jan") is kept as a row of its cells."""
    out: list[Draft] = []
    header: list[str] | None = None
    lone: Draft | None = None  # the header row while no row has followed it

    def close() -> None:
        nonlocal header, lone
        if lone is not None:
            out.append(lone)
        header, lone = None, None

    for d in drafts:
        lines = d.lines if d.kind == "table_row" and d.lines and MD_TABLE.match(d.lines[0]) else None
        if not lines:
            close()
            out.append(d)
            continue
        rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
        if header is None and all(sum(1 for c in row if c) <= 1 for row in rows):
            # a one-column table (a docx text box): its cells are paragraphs, none is a header
            out.extend(Draft(kind="paragraph", lines=[c], page=d.page, text=c) for row in rows for c in row if c)
            continue
        for line in lines:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            if header is None:
                header = cells
                text = " | ".join(c for c in cells if c)
                lone = Draft(kind="table_row", lines=[text], page=d.page, text=text) if text else None
                continue
            lone = None
            text = " | ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c)
            if text:
                out.append(Draft(kind="table_row", lines=[text], page=d.page, text=text))
    close()
    return out


def clean_document(raw: RawDocument, vocabulary: Counter[str] | None = None) -> CleanDocument:
    """Clean ``raw`` into text and blocks with page, section path and offsets.

    Args:
        vocabulary: word counts over the whole corpus (:func:`build_vocabulary`); without it
            the document's own words are the evidence.
    """
    vocab = vocabulary if vocabulary is not None else build_vocabulary(raw.pages)
    stream = build_stream(raw)
    drafts = _classify(_markdown_rows(_drafts(stream, vocab)))
    footnotes = {
        int(m.group(1))
        for d in drafts
        if d.footnote and d.kind == "paragraph" and (m := re.match(r"^(\d{1,2})\s", d.text))
    }
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    stack: list[tuple[int, str]] = []
    for d in drafts:
        if d.kind == "end_table":
            stack = [s for s in stack if s[0] < GROUP_RANK]
            continue
        text = _clean_block_text(d.text, vocab) if d.kind != "table_row" else clean_text(d.text, vocab)
        if not d.footnote:
            text = strip_footnote_refs(text, footnotes)
        if not text:
            continue
        if d.kind == "heading":
            rank = d.rank if d.rank is not None else 99
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, text))
        if parts:
            offset += len(BLOCK_SEPARATOR)
        # text before the first heading (a foreword, a form header) sits under the title
        path = [s[1] for s in stack] or [raw.meta.title]
        blocks.append(Block(kind=d.kind, text=text, page=d.page if raw.has_pages else None,
                            section_path=path, start=offset, end=offset + len(text)))
        parts.append(text)
        offset += len(text)
    full = BLOCK_SEPARATOR.join(parts)
    return CleanDocument(
        meta=raw.meta,
        text=full,
        blocks=blocks,
        page_count=len(raw.pages) if raw.has_pages else None,
        content_hash=raw.content_hash,
    )
