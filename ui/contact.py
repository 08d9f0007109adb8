"""The "Wie moet ik inschakelen?" view: a :class:`ContactResolution` as HTML, with its sources.

Every route and note of a resolution carries a source (a corpus file and a verbatim quote);
:func:`source_chunk_id` finds the indexed passage holding that quote, so the web page can open it
with the quote marked, exactly like a chat citation.
"""

from __future__ import annotations

import html

from ui.sources import page_label, source_chunk_id


def source_title(index, doc_file: str) -> str:
    for state in index.state.docs.values():
        if state.file == doc_file:
            return state.title
    return doc_file


def resolution_sources(index, resolution) -> list[dict]:
    """The distinct sources of a resolution's routes and notes, numbered, with their passages."""
    out: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    items = [r.source for r in resolution.routes] + [n.source for n in resolution.notes if n.source is not None]
    for source in items:
        key = (source.doc, source.quote)
        if key in seen:
            continue
        chunk_id = source_chunk_id(index, source.doc, source.quote)
        chunk = index.chunks[index.by_id[chunk_id]] if chunk_id else None
        seen[key] = len(out) + 1
        out.append({"n": len(out) + 1, "chunk_id": chunk_id, "doc": source.doc, "quote": source.quote,
                    "title": source_title(index, source.doc), "page": chunk.page_start if chunk else None,
                    "section": chunk.section if chunk else ""})
    return out


def source_number(sources: list[dict], source) -> int | None:
    for item in sources:
        if source is not None and item["doc"] == source.doc and item["quote"] == source.quote:
            return item["n"]
    return None


def _message_html(resolution) -> str:
    # with routes, the list below says the rest of the message; without, the message is all there is
    lines = resolution.message.splitlines() or [""]
    shown = lines[:1] if resolution.routes else lines
    return "<br>".join(html.escape(line) for line in shown)


def _route_html(route, sources: list[dict], lead: bool = False) -> str:
    """One route: the party to turn to and for what, where it applies, its rule, details and status."""
    e = html.escape
    n = source_number(sources, route.source)
    ref = f' <span class="wg-ref">[{n}]</span>' if n else ""
    party = f'<span class="wg-route-party">{e(route.party)}</span>' if lead else f"<strong>{e(route.party)}</strong>"
    out = [f"{party} — {e(route.need)}{ref}"
           f'<br><span class="wg-route-meta">Voor: {e(route.applies_to)} · op basis van de '
           f'{e(route.based_on)}{(" (" + e(route.gemeente) + ")") if route.gemeente else ""}'
           f' · regio {e(route.region)}</span>']
    if route.rule:
        out.append(f'<br><span class="wg-route-rule">{e(route.rule)}</span>')
    details = route.details
    if details is not None:
        bits = [x for x in (details.address, details.phone, details.email, details.website) if x]
        if bits:
            out.append(f'<br><span class="wg-route-details">{e(" · ".join(bits))}</span>')
    if route.status:
        out.append(f'<br><span class="wg-route-status">Status: {e(route.status)}</span>')
    return "".join(out)


def render_resolution_html(resolution, sources: list[dict]) -> str:
    """The route for one pupil: message, the first step a school takes (its party, for what, rule,
    details), the other routes folded away in a <details>, notes and sources."""
    e = html.escape
    where = f"woont in {e(resolution.woongemeente)}"
    if resolution.schoolgemeente:
        where += f", school in {e(resolution.schoolgemeente)}"
    parts = ['<div class="wg-route">', f'<p class="wg-route-where">Leerling {where}'
             + (f" · behoefte: {e(resolution.need)}" if resolution.need else "") + "</p>",
             f'<p class="wg-route-message">{_message_html(resolution)}</p>']
    if resolution.routes:
        first, *rest = resolution.routes
        parts.append('<div class="wg-route-first"><p class="wg-route-step">Eerste stap</p>'
                     + _route_html(first, sources, lead=True) + "</div>")
        if rest:
            parts.append(f'<details class="wg-route-more"><summary>Andere routes voor deze leerling ({len(rest)})'
                         '</summary><ol class="wg-route-list">')
            parts += [f"<li>{_route_html(route, sources)}</li>" for route in rest]
            parts.append("</ol></details>")
    if resolution.notes:
        parts.append('<ul class="wg-route-notes">')
        for note in resolution.notes:
            n = source_number(sources, note.source)
            parts.append(f"<li>{e(note.text)}" + (f' <span class="wg-ref">[{n}]</span>' if n else "") + "</li>")
        parts.append("</ul>")
    if sources:
        parts.append('<div class="wg-route-sources"><p><strong>Bronnen</strong> (klik op een bron hieronder om de '
                     'passage te openen)</p><ol>')
        for item in sources:
            label = f"{e(item['title'])}" + (f", {page_label(item['page'])}" if item["page"] else "")
            parts.append(f'<li>{label}: <q>{e(item["quote"])}</q></li>')
        parts.append("</ol></div>")
    parts.append("</div>")
    return "\n".join(parts)
