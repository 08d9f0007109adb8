"""Whom a school or coach turns to for one pupil: the contact route as the sources describe it.

A question naming the pupil's gemeente ("leerling woont in X, zit op school in Y, welk lokaal
team?") is answered with :func:`assistant.inventory.resolve.resolve_contact`: jeugdhulp
through the woongemeente, passend onderwijs through the school's region, with the sources'
grensverkeer notes. Each step is cited with the record it comes from; anything else returns None.
"""

from __future__ import annotations

import re

from assistant.answer.citations import Citations, locate_quote
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.records import Inventory
from assistant.core.text import fold
from assistant.core.types import Composition, QueryAnalysis
from assistant.inventory.regions import gemeenten
from assistant.inventory.resolve import resolve_contact


def contact_answer(inv: Inventory, analysis: QueryAnalysis, index: Index) -> Composition | None:
    """The route for the pupil the question describes, or None when it names no known gemeente."""
    woon, school = pupil_gemeenten(inv, fold(analysis.rewritten))
    if woon is None:
        return None
    level = analysis.levels[0] if len(analysis.levels) == 1 else None
    resolution = resolve_contact(inv, woon, school, need=analysis.rewritten, level=level)
    if not resolution.known or not resolution.routes:
        return None
    where = f"die in {woon} woont" + (f" en in {school} naar school gaat" if school and school != woon else "")
    lines = [f"Voor een leerling {where} beschrijven de bronnen deze route:"]
    citations = Citations()
    for route in resolution.routes:
        ci = index.by_id.get(f"inv-contact#{route.record_id}")
        if ci is None:
            continue
        n = citations.add(index.chunks[ci], route.source.quote)
        rule = f" — {route.rule}" if route.rule else ""
        lines.append(f"- {route.need}: {route.party} ({route.based_on} {route.gemeente or route.region}){rule} [{n}]")
    for note in resolution.notes:
        found = locate_quote(index, note.source.quote) if note.source is not None else None
        if found is None:
            continue
        n = citations.add(index.chunks[found[0]], note.source.quote)
        lines.append(f"- Let op: {note.text} [{n}]")
    if not citations:
        return None
    return Composition("\n".join(lines), list(citations), False, 1.0, route="contact")


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
