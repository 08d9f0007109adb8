"""Looking up curated inventory records: by kind, region, gemeente, school level and free text.

Questions like "welke OZA-pilots lopen er in het VO?" or "wie is verantwoordelijk voor de
doorbraakaanpak?" need complete and exact answers, which passage retrieval cannot guarantee.
:func:`lookup` filters the records of the :class:`~assistant.core.records.Inventory` (used by the
HTTP API and the list answers); routing one pupil to the right parties is
:func:`assistant.inventory.resolve.resolve_contact`.

Example::

    lookup(inv, kind="arrangement", region="regio Noord", level="VO")
"""

from __future__ import annotations

from assistant.core.lexicon import lexicon
from assistant.core.records import Contact, Inventory, Record, Region, record_words
from assistant.core.text import fold, query_words, typo_repairs, words_of
from assistant.inventory.regions import (canonical_gemeente, parse_levels, region_for_gemeente,
                                         resolve_regions)


# -- lookup ----------------------------------------------------------------------------------------

def _query_tokens(text: str) -> list[str]:
    stop = lexicon().words("lookup_stop")
    return [t for t in query_words(text) if len(t) > 1 and t not in stop]


def _corrections(token: str, vocabulary_all: set[str]) -> set[str]:
    """Words of the whole inventory a typo may stand for; empty when the token is spelled as in a record."""
    if len(token) < 4 or token in vocabulary_all or any(token in word for word in vocabulary_all):
        return set()
    return set(typo_repairs(token, vocabulary_all))


def _token_score(token: str, vocabulary: set[str], corrections: set[str]) -> float:
    if token in vocabulary:
        return 1.0
    # a word of a synonym group matches a record holding any word of the group
    group = next((g for g in lexicon().synonym_groups if token in g), None)
    if group and group & vocabulary:
        return 1.0
    if len(token) >= 4 and any(token in word for word in vocabulary):
        return 0.9  # part of a compound: "zorgarrangement" in "onderwijs-zorgarrangement"
    if corrections & vocabulary:
        return 0.8  # a typo of a word this record holds ("spinakr" -> "spinaker")
    return 0.0


_TITLE_FIELD = {"arrangement": "name", "action": "action", "contact": "party", "region": "name", "glossary": "term",
                "list": "title"}


def _title_words(record: Record) -> set[str]:
    return words_of(getattr(record, _TITLE_FIELD[record.record_kind]))


def _levels_of(record: Record) -> list[str]:
    if isinstance(record, Region):
        return sorted({lv for g in record.gemeenten for lv in g.levels})
    return list(getattr(record, "school_levels", []) or [])


def _gemeente_match(record: Record, gemeente: str, regions: list[str], wanted_levels: set[str],
                    inv: Inventory) -> bool:
    if not set(record.region_names) & set(regions):
        return False
    if isinstance(record, Region):
        return gemeente in [g.name for g in record.gemeenten]
    scoped = getattr(record, "gemeenten", None)
    if scoped and fold(gemeente) not in {fold(g) for g in scoped}:
        return False
    if fold(gemeente) in {fold(g) for g in getattr(record, "exclude_gemeenten", [])}:
        return False
    # A gemeente that belongs to a region for some levels only (VO only, say) drops the others.
    region = inv.region(record.region_names[0])
    member = next((g for g in region.gemeenten if g.name == gemeente), None) if region else None
    if member and member.levels and wanted_levels and not wanted_levels & set(member.levels):
        return False
    return True


def lookup(inv: Inventory, kind: str | None = None, region: str | None = None, gemeente: str | None = None,
           level: str | None = None, text: str | None = None) -> list[Record]:
    """Records filtered by kind, region, gemeente, school level and free text (all optional).

    Args:
        kind: "arrangement", "action", "contact", "region", "glossary" or "list"; None for all.
        region: a region name or alias (an abbreviation, "regio X") or a gemeente name (its
            region); a gemeente in two regions means both, "regio X" only the region.
        gemeente: keeps records of the gemeente's region(s) that are not limited to other gemeenten.
        level: "VO", "(V)SO", "basisonderwijs" ...; records without levels only pass for contacts
            (a contact without levels applies to every level).
        text: words that must all occur in the record (accent- and case-insensitive, typos allowed).

    Returns:
        The matching records, in file order, or best text match first when ``text`` is given.
    """
    records = inv.records(kind)
    if region:
        wanted = set(resolve_regions(inv, region))
        records = [r for r in records if set(r.region_names) & wanted]
    if gemeente:
        canonical = canonical_gemeente(inv, gemeente)
        if canonical is None:
            return []
        regions = region_for_gemeente(canonical, inv)
        records = [r for r in records if _gemeente_match(r, canonical, regions, parse_levels(level), inv)]
    if level:
        wanted_levels = parse_levels(level)
        if not wanted_levels:
            return []
        records = [r for r in records
                   if set(_levels_of(r)) & wanted_levels or (isinstance(r, Contact) and not r.school_levels)]
    if text:
        tokens = _query_tokens(text)
        if tokens:
            vocabulary_all = inv.vocabulary()
            fixes = {t: _corrections(t, vocabulary_all) for t in tokens}
            scored = []
            for position, record in enumerate(records):
                vocabulary, title = record_words(record), _title_words(record)
                scores = [_token_score(t, vocabulary, fixes[t]) for t in tokens]
                if all(scores):
                    bonus = sum(0.5 * _token_score(t, title, fixes[t]) for t in tokens)
                    scored.append((-(sum(scores) + bonus), position, record))
            records = [r for _, _, r in sorted(scored, key=lambda x: (x[0], x[1]))]
    return records
