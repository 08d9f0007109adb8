"""Whom a school or coach turns to for one pupil: the contact route as the sources describe it.

A question naming the pupil's gemeente ("leerling woont in X, zit op school in Y, welk lokaal
team?") is answered with :func:`assistant.inventory.resolve.resolve_contact`: jeugdhulp
through the woongemeente, passend onderwijs through the school's region, with the sources'
grensverkeer notes. The answer leads with the first step ("Neem voor ... contact op met ..."), the
plan sentence behind it, at most ``MORE_ROUTES`` further routes and one grensverkeer note; each is
cited with the plan passage holding its source quote. Anything else returns None.
"""

from __future__ import annotations

import re

from assistant.answer.citations import Citations, locate_quote
from assistant.answer.matching import terms
from assistant.answer.shape import plain, sentence_span
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.records import Inventory, chunk_id_of
from assistant.core.text import fold
from assistant.core.types import Composition, QueryAnalysis
from assistant.inventory.regions import gemeenten
from assistant.inventory.resolve import resolve_contact

MORE_ROUTES = 2  # routes shown after the first step; the contact tab shows them all


def contact_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    """The route for the pupil the question describes, or None when it names no known gemeente."""
    woon, school = pupil_gemeenten(inv, fold(analysis.rewritten))
    if woon is None:
        return None
    level = analysis.levels[0] if len(analysis.levels) == 1 else None
    resolution = resolve_contact(inv, woon, school, need=analysis.rewritten, level=level)
    if not resolution.known or not resolution.routes:
        return None
    citations = Citations()
    routes = [(route, ci) for route in resolution.routes
              if (ci := index.by_id.get(chunk_id_of("contact", route.record_id))) is not None]
    if not routes:
        return None
    first, first_chunk = routes[0]
    n = _cite(citations, index, first_chunk, first.source.quote)
    marks = str(n)
    reach = _details(first)
    if reach:  # the details stand in the record, not always in the plan line: the record is cited too
        record = index.chunks[first_chunk]
        spans, _ = index.sentences_of(first_chunk)
        lines_with = [record.text[a:b].strip() for a, b in spans
                      if any(value in record.text[a:b] for _, value in reach)]
        marks += f", {citations.add(record, ' … '.join(lines_with) or record.text[:80], merge=True)}"
    reach = "".join(f", {name} {value}" for name, value in reach)
    lines = [f"Neem voor {first.need} contact op met {first.party} ({_where(first)}){reach}. [{marks}]"]
    rule = _plan_sentence(index, first.source.quote)
    if rule is not None and _adds(rule[1], lines[0]):
        lines.append(f"- {plain(rule[1])} [{citations.add(index.chunks[rule[0]], rule[1], merge=True)}]")
    for route, ci in routes[1:1 + MORE_ROUTES]:
        m = _cite(citations, index, ci, route.source.quote)
        lines.append(f"- Voor {route.need}: {route.party} ({_where(route)}). [{m}]")
    note = next((n for n in resolution.notes if n.source is not None and locate_quote(index, n.source.quote)), None)
    if note is not None:
        found = locate_quote(index, note.source.quote)
        lines.append(f"- Let op: {note.text} [{citations.add(index.chunks[found[0]], found[1], merge=True)}]")
    rest = len(routes) - 1 - MORE_ROUTES
    if rest > 0:
        lines.append(f"Nog {rest} andere route{'s' if rest > 1 else ''} voor deze leerling staan in het tabblad "
                     "‘Wie moet ik inschakelen?’.")
    return Composition("\n".join(lines), list(citations), False, 1.0, route="contact")


def _where(route) -> str:
    return f"regio {route.region}" if route.based_on == "regio" else f"{route.based_on} {route.gemeente}"


def _details(route) -> list[tuple[str, str]]:
    """How the route's party is reached, as the source gives it: [("telefoon", "020-1234567"), ...]."""
    d = route.details
    if d is None:
        return []
    parts = [("telefoon", d.phone), ("e-mail", d.email), ("website", d.website), ("adres", d.address)]
    return [(name, value) for name, value in parts if value]


def _cite(citations: Citations, index: Index, record_chunk: int, quote: str) -> int:
    """Cite the plan passage holding the route's source quote; the contact record when none does."""
    found = locate_quote(index, quote)
    if found is not None:
        return citations.add(index.chunks[found[0]], found[1], merge=True)
    return citations.add(index.chunks[record_chunk], quote, merge=True)


def _plan_sentence(index: Index, quote: str) -> tuple[int, str] | None:
    """(passage, the plan sentence holding ``quote``): the rule of a route as the plan states it."""
    found = locate_quote(index, quote)
    span = sentence_span(index, found[0], found[1]) if found else None
    return (found[0], index.chunks[found[0]].text[span[0]:span[1]].strip()) if span else None


def _adds(sentence: str, lead: str) -> bool:
    new = terms(sentence) - terms(lead)
    return len(new) >= 0.5 * max(len(terms(sentence)), 1)


def pupil_gemeenten(inv: Inventory, question: str) -> tuple[str | None, str | None]:
    """(woongemeente, schoolgemeente) named in a folded question: by the words before each name
    ("woont in X", "zit op school in Y"), else in the order they are named."""
    lex = lexicon()
    lives_in, school_in = lex.pattern("lives_in"), lex.pattern("school_in")
    names = sorted({g for region in inv.regions for g in gemeenten(region.name, inv)}, key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])", question):
            if any(a <= match.start() < b for a, b in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), name))
    found.sort()
    woon = school = None
    for start, name in found:
        before = question[max(0, start - 40):start]
        if lives_in.search(before) and woon is None:
            woon = name
        elif school_in.search(before) and school is None:
            school = name
    rest = [name for _, name in found if name not in (woon, school)]
    if woon is None and rest:
        woon = rest.pop(0)
    if school is None and rest:
        school = rest.pop(0)
    if woon is None and school is not None:
        woon, school = school, None
    return woon, school
