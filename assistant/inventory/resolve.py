"""Routing one pupil to the parties the sources name: :func:`resolve_contact`.

The rule the plans describe: jeugdhulp is a matter of the gemeente where the pupil LIVES (its
lokaal team, CJG or toegang), passend onderwijs (SWV, consulent, TLV) of the school's region; when
the two gemeenten differ, the sources' grensverkeer notes apply. Nothing is invented: a gemeente
outside the regions of the corpus gets a Dutch message and no party.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.core.lexicon import lexicon
from assistant.core.records import Contact, ContactDetails, Inventory, Source
from assistant.core.text import concept_tags, fold, lemma_terms, match_terms
from assistant.inventory.regions import canonical_gemeente, parse_levels, region_for_gemeente


class Note(BaseModel):
    text: str
    source: Source | None = None


class Route(BaseModel):
    """One party to turn to, for one kind of need, with the rule and the source it rests on."""

    need: str
    needs: list[str] = Field(default_factory=list)
    party: str
    applies_to: str
    rule: str | None = None
    region: str
    based_on: str
    gemeente: str | None
    details: ContactDetails | None = None
    status: str | None = None
    record_id: str
    source: Source


class ContactResolution(BaseModel):
    """The route for one pupil as the sources describe it; ``routes`` is empty when they do not."""

    woongemeente: str
    schoolgemeente: str | None = None
    need: str | None = None
    level: str | None = None
    woonregio: list[str] = Field(default_factory=list)
    schoolregio: list[str] = Field(default_factory=list)
    known: bool
    message: str
    routes: list[Route] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    records: list[Contact] = Field(default_factory=list)


_BASED_ON = {"woongemeente": "woongemeente", "schoolgemeente": "gemeente van de school", "regio": "regio"}


def need_categories(need: str | None) -> set[str]:
    """The need tags a free-text need refers to; empty means every need."""
    if not need:
        return set()
    folded = fold(need)
    lex = lexicon()
    found = {tag for tag, pattern in lex.need_patterns if pattern.search(folded)}
    # the way coaches put it ("zit al weken thuis", "we lopen vast") as the shared concept tags see it
    found |= {lex.concept_needs[tag] for tag in concept_tags(folded) if tag in lex.concept_needs}
    if "tlv" in found or "thuiszitter" in found:
        found.add("passend_onderwijs" if "tlv" in found else "verzuim")
    return found


def _applies(contact: Contact, gemeente: str, regions: list[str]) -> bool:
    if contact.region not in regions:
        return False
    if contact.gemeenten and fold(gemeente) not in {fold(g) for g in contact.gemeenten}:
        return False
    return fold(gemeente) not in {fold(g) for g in contact.exclude_gemeenten}




def _member(inv: Inventory, region: str, gemeente: str):
    found = inv.region(region)
    return next((g for g in found.gemeenten if g.name == gemeente), None) if found else None


def _regions(inv: Inventory, gemeente: str | None, levels: set[str]) -> list[str]:
    """Regions of a gemeente, without those it belongs to only for other school levels (VO only, say)."""
    if not gemeente:
        return []
    regions = []
    for region in region_for_gemeente(gemeente, inv):
        member = _member(inv, region, gemeente)
        if member and member.levels and levels and not levels & set(member.levels):
            continue
        regions.append(region)
    return regions


def _gemeente_notes(inv: Inventory, gemeente: str, regions: list[str]) -> list[Note]:
    notes = []
    for region_name in regions:
        region = inv.region(region_name)
        member = _member(inv, region_name, gemeente)
        if member and member.scope:
            notes.append(Note(text=f"{gemeente} hoort voor {region.name} alleen hierbij: {member.scope}.",
                              source=region.source))
        for item in region.notes:
            if item.name and fold(gemeente) in {fold(n).strip() for n in re.split(r",| en ", item.name)}:
                notes.append(Note(text=item.text, source=item.source))
    return notes


def _unknown_notes(inv: Inventory, name: str) -> list[Note]:
    return [Note(text=f"{item.name}: {item.text}", source=item.source)
            for region in inv.regions for item in region.other_gemeenten
            if item.name and fold(item.name) == fold(name).strip()]


def _fit(need: str | None, places: set[str]):
    """How well a contact fits the question: the share of the question's words its need, party and
    rule hold ("ouders hebben vragen over de ondersteuning" puts the team that advises ouders first)."""
    skip = {t for place in places if place for t in lemma_terms(place)}
    wanted = {t for t in lemma_terms(need or "") if t not in skip} | set(concept_tags(fold(need or "")))

    def score(contact: Contact) -> float:
        if not wanted:
            return 0.0
        found = match_terms(" ".join(filter(None, (contact.need, contact.party, contact.applies_to, contact.rule))))
        return len(wanted & found) / len(wanted)

    return score


def _route(contact: Contact, gemeente: str) -> Route:
    return Route(need=contact.need, needs=list(contact.needs), party=contact.party, applies_to=contact.applies_to, rule=contact.rule,
                 region=contact.region, based_on=_BASED_ON[contact.route_by], gemeente=gemeente,
                 details=contact.details, status=contact.status, record_id=contact.id, source=contact.source)


def _region_list(inv: Inventory) -> str:
    return ", ".join(inv.region_label(r.name) for r in inv.regions)


def resolve_contact(inv: Inventory, woongemeente: str, schoolgemeente: str | None = None, need: str | None = None,
                    level: str | None = None) -> ContactResolution:
    """The parties a school or coach turns to for one pupil, as the sources describe them.

    Jeugdhulp goes through the lokaal team / toegang of the pupil's WOONGEMEENTE; passend-onderwijs
    matters (TLV, consulent, SWV) through the samenwerkingsverband of the school's gemeente (the
    woongemeente when no school is given). Differences between the two give grensverkeer notes.
    A gemeente the sources do not place in a region yields no party at all, only a Dutch message.
    """
    tags = need_categories(need)
    levels = parse_levels(level)
    woon = canonical_gemeente(inv, woongemeente)
    school = canonical_gemeente(inv, schoolgemeente) if schoolgemeente else woon
    woon_regions, school_regions = _regions(inv, woon, levels), _regions(inv, school, levels)
    base = dict(woongemeente=woongemeente, schoolgemeente=schoolgemeente, need=need, level=level,
                woonregio=woon_regions, schoolregio=school_regions)
    notes: list[Note] = []
    for name, canonical in ((woongemeente, woon), (schoolgemeente, school)):
        if name and canonical is None:
            notes += _unknown_notes(inv, name)

    if not woon_regions and not school_regions:
        names = [n for n, c in ((woongemeente, woon), (schoolgemeente, school)) if n and (c is None or
                 not _regions(inv, c, levels))]
        shown = " en ".join(dict.fromkeys(names)) or woongemeente
        known_elsewhere = woon is not None or school is not None
        reason = ("valt voor dit onderwijstype niet onder de plannen in de bronnen" if known_elsewhere else
                  "komt in de bronnen van Wegwijs niet voor als gemeente van een van de regio's "
                  f"({_region_list(inv)})")
        for gemeente in dict.fromkeys(c for c in (woon, school) if c):
            notes += _gemeente_notes(inv, gemeente, region_for_gemeente(gemeente, inv))
        message = (f"{shown} {reason}. Wegwijs noemt daarom geen lokaal team, samenwerkingsverband of andere "
                   "partij: de bronnen beschrijven de route voor deze leerling niet.")
        message += "".join(f"\nWel vermeld in de bronnen: {note.text}" for note in notes)
        return ContactResolution(**base, known=False, message=message, notes=notes)

    routes: list[Route] = []
    records: list[Contact] = []
    for contact in inv.contacts:
        if tags and not set(contact.needs) & tags:
            continue
        if levels and contact.school_levels and not levels & set(contact.school_levels):
            continue
        if contact.route_by == "woongemeente":
            candidates = [(woon, woon_regions)]
        elif contact.route_by == "schoolgemeente":
            candidates = [(school, school_regions)]
        else:
            candidates = [(woon, woon_regions), (school, school_regions)]
        if contact.woon_in_region and contact.region not in woon_regions:
            continue
        for gemeente, regions in candidates:
            if gemeente and _applies(contact, gemeente, regions):
                routes.append(_route(contact, gemeente))
                records.append(contact)
                break

    order = list(lexicon().need_labels)
    fit = _fit(need, {woongemeente, schoolgemeente or ""})
    pairs = sorted(zip(routes, records), key=lambda p: (-fit(p[1]), min(order.index(n) for n in p[0].needs)))
    routes, records = [p[0] for p in pairs], [p[1] for p in pairs]
    for gemeente, regions in dict.fromkeys(((woon, tuple(woon_regions)), (school, tuple(school_regions)))):
        if gemeente:
            notes += _gemeente_notes(inv, gemeente, list(regions))
    wants_swv = not tags or tags & {"passend_onderwijs", "tlv"}
    if wants_swv and school and school_regions and not any({"passend_onderwijs", "tlv"} & set(r.needs) for r in routes):
        notes.append(Note(text=f"De bronnen noemen voor scholen in {school} geen samenwerkingsverband of route voor "
                               "passend onderwijs" + (f" ({level})" if level else "") + "."))
    if woon is None:
        notes.append(Note(text=f"De woongemeente {woongemeente} komt in de bronnen niet voor; voor jeugdhulp (via "
                               "de woongemeente) noemt Wegwijs daarom geen partij."))
    elif schoolgemeente and school is None:
        notes.append(Note(text=f"De schoolgemeente {schoolgemeente} komt in de bronnen niet voor; voor passend "
                               "onderwijs (via het samenwerkingsverband van de school) noemt Wegwijs daarom geen partij."))
    if woon and school and woon != school:
        woon_route = next((r for r in routes if r.based_on == "woongemeente"), None)
        notes.append(Note(text=f"Grensverkeer: de leerling woont in {woon} en gaat naar school in {school}. Voor "
                               f"jeugdhulp is de gemeente waar de leerling woont ({woon}) aan zet, niet de gemeente "
                               "van de school.", source=woon_route.source if woon_route else None))
        for contact in records:
            if contact.grensverkeer:
                notes.append(Note(text=contact.grensverkeer, source=contact.source))
        if woon_regions and school_regions and not set(woon_regions) & set(school_regions):
            notes.append(Note(text=f"{woon} ({', '.join(woon_regions)}) en {school} ({', '.join(school_regions)}) "
                                   "liggen in verschillende regio's; de plannen beschrijven geen afspraken tussen "
                                   "deze regio's."))
    notes = list({(n.text, n.source.quote if n.source else ""): n for n in notes}.values())
    return ContactResolution(**base, known=True, message=_message(woongemeente, schoolgemeente, routes, notes, tags),
                             routes=routes, notes=notes, records=records)


def _message(woon: str, school: str | None, routes: list[Route], notes: list[Note], tags: set[str]) -> str:
    head = f"Route voor een leerling die in {woon} woont" + (f" en in {school} naar school gaat" if school else "")
    if not routes:
        lines = [head + ": de bronnen noemen voor deze vraag geen partij."]
    else:
        lines = [head + ":"]
        for route in routes:
            where = f"{route.based_on} {route.gemeente}" if route.based_on != "regio" else f"regio {route.region}"
            line = f"- {route.need}: {route.party} ({where}; bron: {route.source.doc})"
            details = route.details
            if details:
                extra = [v for v in (details.address, details.email, details.phone, details.website) if v]
                line += " — " + ", ".join(extra)
            lines.append(line)
    lines += [f"Let op: {note.text}" for note in notes]
    return "\n".join(lines)
