"""Source passages for citation panels: a chunk of the loaded index, its neighbours, marked sentences.

Used by the API (``GET /api/sources/{chunk_id}``) and the web chat alike, so both show the same
passage. A chunk id is only ever a key into the loaded index: it is checked against a strict
pattern and then looked up in ``index.by_id``; it is never turned into a path.
"""

from __future__ import annotations

import html
import re

from assistant.core.types import Chunk
from ui.schemas import HighlightSpan, SourcePassage, SourceView

# doc ids are slugs; the part after '#' names the chunk within its document (e.g. "zk-jop#c12")
CHUNK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}#[A-Za-z0-9._:-]{1,120}$")
_QUOTE_SPLIT = re.compile(r"\s*(?:…|\.\.\.)\s*|\n+")


def valid_chunk_id(chunk_id: str) -> bool:
    return bool(CHUNK_ID_RE.fullmatch(chunk_id))


def highlight_spans(text: str, quote: str | None) -> list[HighlightSpan]:
    """Offsets of the quoted sentence(s) inside ``text``.

    A quote may join several sentences with " … " (see assistant/compose.py); each part is found
    on its own, first exactly, then ignoring differences in whitespace. Parts that are not in the
    passage are skipped; overlapping spans are merged.
    """
    if not quote or not text:
        return []
    spans: list[tuple[int, int]] = []
    for part in _QUOTE_SPLIT.split(quote):
        part = part.strip()
        if len(part) < 3:
            continue
        found = _find(text, part)
        if found is not None:
            spans.append(found)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [HighlightSpan(start=s, end=e, text=text[s:e]) for s, e in merged]


def _find(text: str, part: str) -> tuple[int, int] | None:
    """Exact, else word by word ignoring spacing, punctuation and case; a stray first or last
    token (a list bullet, a word cut off by the quote) may be missing from the passage."""
    at = text.find(part)
    if at >= 0:
        return at, at + len(part)
    words = re.findall(r"\w+", part)
    for lo, hi in ((0, len(words)), (1, len(words)), (0, len(words) - 1), (1, len(words) - 1)):
        window = words[lo:hi]
        if len(window) < 3:
            continue
        match = re.search(r"\W+".join(re.escape(w) for w in window), text, flags=re.IGNORECASE)
        if match:
            return match.start(), match.end()
    return _find_by_windows(text, words)


def _find_by_windows(text: str, words: list[str], size: int = 5) -> tuple[int, int] | None:
    """A quote with a glued footnote number or a changed word inside: from its first matching run of
    ``size`` words to its last one, if that stretch is not much longer than the quote."""
    if len(words) < size + 1:
        return None
    found = []
    for i in range(len(words) - size + 1):
        pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words[i:i + size]) + r"(?!\w)"
        match = re.search(pattern, text, flags=re.IGNORECASE)
        if match:
            found.append(match)
    if not found:
        return None
    start, end = found[0].start(), max(m.end() for m in found)
    budget = len(" ".join(words)) * 1.3 + 10
    return (start, end) if 0 < end - start <= budget else (found[0].start(), found[0].end())


def record_origin(index, inventory, chunk: Chunk) -> SourceView | None:
    """For an inventory record passage: the document passage its source quote lies in, marked."""
    if chunk.kind != "record" or inventory is None or "#" not in chunk.chunk_id:
        return None
    record = inventory.get(chunk.chunk_id.split("#", 1)[1])
    sources = getattr(record, "sources", None) or []
    for source in sources:
        origin_id = source_chunk_id(index, source.doc, source.quote)
        if origin_id is not None:
            return source_view(index, origin_id, source.quote)
    return None


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def source_chunk_id(index, doc_file: str, quote: str) -> str | None:
    """The chunk id of the document passage (not an inventory record) that contains ``quote``."""
    doc_ids = {d.doc_id for d in index.state.docs.values() if d.file == doc_file}
    if not doc_ids:
        return None
    words = _squash(quote).split()
    # the whole quote, else without a stray first/last token (a bullet, a word cut in half)
    texts = [(c.chunk_id, " " + _squash(c.text) + " ") for c in index.chunks
             if c.doc_id in doc_ids and c.kind != "record"]
    # the whole quote, else without a stray first/last token (a bullet, a word cut in half), else
    # the passage holding most runs of five words (a footnote number glued to a word)
    for wanted in (words, words[1:], words[:-1], words[1:-1]):
        if len(wanted) < 3:
            continue
        needle = " " + " ".join(wanted) + " "
        for chunk_id, text in texts:
            if needle in text:
                return chunk_id
    runs = [" " + " ".join(words[i:i + 5]) + " " for i in range(len(words) - 4)]
    best = max(((sum(r in text for r in runs), chunk_id) for chunk_id, text in texts), default=(0, None))
    return best[1] if best[0] >= max(1, len(runs) // 2) else None


def source_view(index, chunk_id: str, highlight: str | None = None, inventory=None) -> SourceView | None:
    """The passage ``chunk_id`` of ``index`` with its previous/next passage, or None if unknown.

    An inventory record passage also gets ``original``: the document passage it was taken from.
    """
    if not valid_chunk_id(chunk_id):
        return None
    position = index.by_id.get(chunk_id)
    if position is None:
        return None
    chunk: Chunk = index.chunks[position]
    # neighbours in reading order of the same document, whatever their kind (a table row's
    # neighbour may be a paragraph); inventory records have no reading order
    around = {} if chunk.kind == "record" else {
        c.seq: c for c in index.chunks if c.doc_id == chunk.doc_id and c.kind != "record" and abs(c.seq - chunk.seq) == 1}
    return SourceView(
        chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title, region=chunk.region,
        page=chunk.page_start, page_end=chunk.page_end, section=chunk.section,
        section_path=list(chunk.section_path), text=chunk.text,
        highlights=highlight_spans(chunk.text, highlight),
        previous=_passage(around.get(chunk.seq - 1)), next=_passage(around.get(chunk.seq + 1)),
        original=record_origin(index, inventory, chunk))


def _passage(chunk: Chunk | None) -> SourcePassage | None:
    if chunk is None:
        return None
    return SourcePassage(chunk_id=chunk.chunk_id, page=chunk.page_start, section=chunk.section, text=chunk.text)


def page_label(page: int | None, page_end: int | None = None) -> str:
    if page is None:
        return ""
    if page_end and page_end != page:
        return f"p. {page}-{page_end}"
    return f"p. {page}"


def marked_html(text: str, spans: list[HighlightSpan]) -> str:
    """``text`` as escaped HTML with the spans wrapped in ``<mark>``; line breaks kept."""
    out, last = [], 0
    for span in spans:
        out.append(html.escape(text[last:span.start]))
        out.append("<mark>" + html.escape(text[span.start:span.end]) + "</mark>")
        last = span.end
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def render_source_html(view: SourceView) -> str:
    """The citation panel: title, page, section, the passage with marks, and its neighbours."""
    meta = " · ".join(x for x in (page_label(view.page, view.page_end), view.region) if x)
    section = " › ".join(_short(s) for s in view.section_path) or _short(view.section)
    parts = [f'<div class="wg-source" data-chunk="{html.escape(view.chunk_id)}">',
             f'<h3 class="wg-source-title">{html.escape(view.title)}</h3>',
             f'<p class="wg-source-meta">{html.escape(meta)}</p>']
    if section:
        parts.append(f'<p class="wg-source-section">Sectie: {html.escape(section)}</p>')
    if view.previous is not None:
        parts.append(f'<p class="wg-context">… {html.escape(_tail(view.previous.text))}</p>')
    parts.append(f'<blockquote class="wg-passage">{marked_html(view.text, view.highlights)}</blockquote>')
    if view.next is not None:
        parts.append(f'<p class="wg-context">{html.escape(_head(view.next.text))} …</p>')
    if view.original is not None:
        parts.append('<p class="wg-origin-label">Dit is een regel uit de regionale inventaris. In het document staat:</p>')
        parts.append(render_source_html(view.original))
    parts.append("</div>")
    return "\n".join(parts)


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def _tail(text: str, n: int = 240) -> str:
    return text if len(text) <= n else text[-n:].split(" ", 1)[-1]


def _head(text: str, n: int = 240) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0]
