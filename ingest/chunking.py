"""Split a cleaned document into retrievable chunks along its structure.

Rules: a chunk never spans two documents; a heading starts a new chunk when the current one
has content, and is attached to the content after it (a heading alone is never a chunk); a
table row is a chunk of its own, so it stays whole with its column names (the group line above
it is in its section); consecutive list items stay together up to ``max_chars``; paragraphs are
packed up to about ``target_chars``; a paragraph longer than ``max_chars`` is split at sentence
boundaries. Every chunk's text is exactly ``doc.text[char_start:char_end]``.

Example::

    chunks = split(clean_document(raw), target_chars=900, max_chars=1400)
    chunks[0].chunk_id  # 'zk-jop#3f1c2a9b0d'
"""

from __future__ import annotations

import hashlib
from collections import Counter

from assistant.core.types import Block, Chunk, CleanDocument
from ingest.sentences import split_sentences

CONTENT_KINDS = {"paragraph", "list_item", "record"}


def _chunk_id(doc_id: str, text: str, seen: Counter[str]) -> str:
    base = f"{doc_id}#{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"
    seen[base] += 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _pieces(doc: CleanDocument, block: Block, target: int, max_chars: int) -> list[tuple[int, int]]:
    """Offsets of the parts of an oversize block, cut at sentence ends (words as a last resort)."""
    spans = [(block.start + a, block.start + b) for a, b in split_sentences(block.text)]
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for a, b in spans:
        while b - a > max_chars:  # one giant "sentence": cut at a space
            cut = doc.text.rfind(" ", a, a + target)
            cut = cut if cut > a else a + target
            if cur:
                out.append(cur)
                cur = None
            out.append((a, cut))
            a = cut + 1 if doc.text[cut:cut + 1] == " " else cut
        if cur and (b - cur[0] > target):
            out.append(cur)
            cur = None
        cur = (cur[0], b) if cur else (a, b)
    if cur:
        out.append(cur)
    return out


SMALL_CHARS = 160


def _absorb_small_tails(doc: CleanDocument, groups: list[tuple[list[Block], int, int]],
                        max_chars: int) -> list[tuple[list[Block], int, int]]:
    """A short last piece of a section (``Zie voor meer uitleg ... bijlage 3.``) joins
    the chunk before it when both are prose of the same section and fit together."""
    out: list[tuple[list[Block], int, int]] = []
    for blocks, start, end in groups:
        if out and end - start < SMALL_CHARS and blocks[0].kind in CONTENT_KINDS:
            prev_blocks, prev_start, prev_end = out[-1]
            same_section = prev_blocks[-1].section_path == blocks[0].section_path
            prose = all(b.kind != "table_row" for b in prev_blocks)
            adjacent = doc.text[prev_end:start] == "\n\n"
            if same_section and prose and adjacent and end - prev_start <= max_chars:
                out[-1] = ([*prev_blocks, *blocks], prev_start, end)
                continue
        out.append((blocks, start, end))
    return out


def split(doc: CleanDocument, target_chars: int = 900, max_chars: int = 1400) -> list[Chunk]:
    """Chunks of ``doc`` in document order (see the module docstring for the rules)."""
    max_chars = max(max_chars, target_chars)
    groups: list[tuple[list[Block], int, int]] = []  # blocks, char_start, char_end
    cur: list[Block] = []
    pending: list[Block] = []

    def flush() -> None:
        nonlocal cur
        if cur and any(b.kind != "heading" for b in cur):
            groups.append((cur, cur[0].start, cur[-1].end))
        cur = []

    for block in doc.blocks:
        if block.kind == "heading":
            if cur:
                flush()
            pending.append(block)
            continue
        if block.kind == "table_row":
            flush()
            pending = []  # the group line / heading above a row lives on in its section path
            groups.append(([block], block.start, block.end))
            continue
        size = block.end - (pending[0].start if pending else block.start)
        if size > max_chars:
            flush()
            parts = _pieces(doc, block, target_chars, max_chars)
            for n, (a, b) in enumerate(parts):
                head = pending if n == 0 and pending and b - pending[0].start <= max_chars else []
                groups.append(([*head, block], head[0].start if head else a, b))
            pending = []
            continue
        if cur:
            length = block.end - cur[0].start
            same_list = block.kind == "list_item" and cur[-1].kind == "list_item"
            limit = max_chars if same_list else target_chars
            if pending or length > limit or (not same_list and cur[-1].end - cur[0].start >= target_chars):
                flush()
        if pending:
            cur = [*pending, block]
            pending = []
        else:
            cur.append(block)
    flush()
    groups = _absorb_small_tails(doc, groups, max_chars)

    chunks: list[Chunk] = []
    seen: Counter[str] = Counter()
    meta = doc.meta
    for seq, (blocks, start, end) in enumerate(groups):
        text = doc.text[start:end]
        content = [b for b in blocks if b.kind != "heading"] or blocks
        kinds = {b.kind for b in content}
        kind = "table_row" if kinds == {"table_row"} else ("list_item" if kinds == {"list_item"} else "paragraph")
        pages = [b.page for b in blocks if b.page is not None and b.start < end and b.end > start]
        first = blocks[0]
        chunks.append(Chunk(
            chunk_id=_chunk_id(meta.doc_id, text, seen),
            doc_id=meta.doc_id,
            title=meta.title,
            region=meta.region,
            seq=seq,
            text=text,
            page_start=min(pages) if pages else None,
            page_end=max(pages) if pages else None,
            section=" > ".join(first.section_path),
            section_path=list(first.section_path),
            char_start=start,
            char_end=end,
            kind=kind,
        ))
    return chunks
