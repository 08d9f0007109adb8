"""Regional inventories: complete lists, responsible parties and whom to contact, with sources.

Questions like "welke OZA-pilots lopen er in het VO in regio Alkmaar?", "wie is verantwoordelijk
voor de doorbraakaanpak?" or "welk lokaal team moeten we bellen?" need complete and exact answers,
which passage retrieval cannot guarantee. The curated files in corpus/inventories/ hold those
lists record by record, each with a verbatim source quote; this module loads and validates them,
filters them (:func:`lookup`, used by the HTTP API), routes a pupil to the right parties
(:func:`resolve_contact`) and offers them as retrievable passages (:meth:`Inventory.records_as_chunks`).

Example::

    inv = load_inventories(Path("corpus/inventories"))
    lookup(inv, kind="arrangement", region="alkmaar", level="VO")
    resolve_contact(inv, "Delft", "Den Haag", need="jeugdhulp").message
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from rapidfuzz import fuzz

from assistant.inventory_models import (FILES, KINDS, LEVELS, Action, Arrangement, Contact, ContactDetails, EnumList,
                                        GlossaryEntry, InventoryError, ListItem, Region, Source, parse_records)
from assistant.inventory_text import fold, query_words, records_as_chunks, words_of
from assistant.types import Chunk

__all__ = ["Inventory", "InventoryError", "ContactResolution", "Route", "Note", "load_inventories", "lookup",
           "resolve_contact", "region_for_gemeente", "gemeenten", "parse_levels", "default_inventory",
           "Arrangement", "Action", "Contact", "ContactDetails", "Region", "GlossaryEntry", "EnumList", "ListItem",
           "Source"]

Record = Arrangement | Action | Contact | Region | GlossaryEntry | EnumList


class Inventory(BaseModel):
    """All inventory records, validated; the region index answers gemeente questions."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    arrangements: list[Arrangement] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    lists: list[EnumList] = Field(default_factory=list)
    _vocabulary: set[str] | None = PrivateAttr(default=None)

    def records(self, kind: str | None = None) -> list[Record]:
        """Records of one kind ("arrangement", "action", "contact", "region", "glossary", "list") or all."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"Onbekende soort record: {kind!r} (kies uit {', '.join(KINDS)})")
        groups = {"arrangement": self.arrangements, "action": self.actions, "contact": self.contacts,
                  "region": self.regions, "glossary": self.glossary, "list": self.lists}
        return list(groups[kind]) if kind else [r for k in KINDS for r in groups[k]]

    def get(self, record_id: str) -> Record | None:
        return next((r for r in self.records() if r.id == record_id), None)

    def vocabulary(self) -> set[str]:
        """Every word of every record (computed once): the reference for typo correction in lookup."""
        if self._vocabulary is None:
            self._vocabulary = set().union(*(_record_words(r) for r in self.records()))
        return self._vocabulary

    def region(self, name: str) -> Region | None:
        key = fold(name)
        return next((r for r in self.regions if key in {fold(r.name), *map(fold, r.aliases)}), None)

    def records_as_chunks(self, corpus_dir: Path) -> list[Chunk]:
        """Every record as a readable Dutch passage (kind "record") citing its source document and page."""
        return records_as_chunks([(r.record_kind, r) for r in self.records()], Path(corpus_dir))


def load_inventories(directory: Path) -> Inventory:
    """Load and validate every inventory file in ``directory``; a missing file counts as empty.

    Raises InventoryError (Dutch message naming file and record) on bad YAML, a missing or
    mistyped field, a duplicate id or a region name that regions.yaml does not define.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InventoryError(f"map met inventarissen bestaat niet: {directory}")
    loaded = {kind: parse_records(kind, directory / FILES[kind]) if (directory / FILES[kind]).is_file() else []
              for kind in KINDS}
    inventory = Inventory(arrangements=loaded["arrangement"], actions=loaded["action"], contacts=loaded["contact"],
                          regions=loaded["region"], glossary=loaded["glossary"], lists=loaded["list"])
    seen: dict[str, str] = {}
    for kind in KINDS:
        for record in loaded[kind]:
            if record.id in seen:
                raise InventoryError(f"{FILES[kind]}: record '{record.id}': id komt dubbel voor "
                                     f"(ook in {seen[record.id]})", file=FILES[kind], record=record.id)
            seen[record.id] = FILES[kind]
    if inventory.regions:
        known = {r.name for r in inventory.regions}
        for kind in ("arrangement", "action", "contact", "glossary", "list"):
            for record in loaded[kind]:
                unknown = [n for n in record.region_names if n not in known]
                if unknown:
                    raise InventoryError(f"{FILES[kind]}: record '{record.id}': onbekende regio {unknown[0]!r} "
                                         f"(regions.yaml kent: {', '.join(sorted(known))})",
                                         file=FILES[kind], record=record.id)
                region = inventory.region(record.region_names[0]) if record.region_names else None
                named = [*getattr(record, "gemeenten", []), *getattr(record, "exclude_gemeenten", [])]
                stray = [g for g in named if region and g not in {m.name for m in region.gemeenten}]
                if stray:
                    raise InventoryError(f"{FILES[kind]}: record '{record.id}': gemeente {stray[0]!r} hoort volgens "
                                         f"regions.yaml niet bij {region.name}", file=FILES[kind], record=record.id)
    return inventory


@lru_cache(maxsize=1)
def default_inventory() -> Inventory:
    """The inventory of the configured corpus (loaded on first use, then cached)."""
    from assistant.settings import get_settings

    folder = get_settings().corpus_dir / "inventories"
    if not folder.is_dir():
        folder = Path(__file__).resolve().parents[1] / "corpus" / "inventories"
    return load_inventories(folder)


# -- regions and gemeenten -------------------------------------------------------------------------

def _gemeente_keys(region: Region) -> dict[str, str]:
    keys = {}
    for g in region.gemeenten:
        for name in (g.name, *g.aliases):
            keys[fold(name)] = g.name
    return keys


def region_for_gemeente(name: str, inv: Inventory | None = None) -> list[str]:
    """Regions whose gemeenten include ``name`` (case- and accent-insensitive); [] when none does.

    "Alkmaar" gives both "Alkmaar" (regio Alkmaar, jeugdhulp) and "Noord-Kennemerland" (SWV vo).
    """
    inv = inv or default_inventory()
    key = fold(name).strip()
    return [r.name for r in inv.regions if key in _gemeente_keys(r)]


def gemeenten(region: str, inv: Inventory | None = None) -> list[str]:
    """The gemeenten of a region (name or alias), as regions.yaml lists them; [] for an unknown region."""
    inv = inv or default_inventory()
    found = inv.region(region)
    return [g.name for g in found.gemeenten] if found else []


def _canonical_gemeente(inv: Inventory, name: str) -> str | None:
    key = fold(name).strip()
    for region in inv.regions:
        if key in _gemeente_keys(region):
            return _gemeente_keys(region)[key]
    return None


def resolve_regions(inv: Inventory, name: str) -> list[str]:
    """Region names meant by a region name, alias ("ZK", "regio Alkmaar") or gemeente name."""
    key = fold(name).strip()
    key = re.sub(r"^(de )?regio ", "regio ", key)
    direct = [r.name for r in inv.regions
              if key in {fold(r.name), *map(fold, r.aliases)} or key == "regio " + fold(r.name)]
    if key.startswith("regio ") and direct:
        return direct
    via_gemeente = region_for_gemeente(key.removeprefix("regio "), inv)
    return list(dict.fromkeys(direct + via_gemeente))


# -- school levels ---------------------------------------------------------------------------------

_LEVEL_WORDS = {
    "po": {"PO"}, "primair onderwijs": {"PO"}, "basisonderwijs": {"PO"}, "basisschool": {"PO"},
    "vo": {"VO"}, "voortgezet onderwijs": {"VO"}, "middelbare school": {"VO"},
    "so": {"SO"}, "speciaal onderwijs": {"SO"}, "vso": {"VSO"}, "voortgezet speciaal onderwijs": {"VSO"},
    "(v)so": {"SO", "VSO"}, "v(s)o": {"VO", "VSO"}, "s(b)o": {"SO", "SBO"}, "sbo": {"SBO"},
    "speciaal basisonderwijs": {"SBO"}, "pro": {"PrO"}, "praktijkonderwijs": {"PrO"}, "praktijkschool": {"PrO"},
    "mbo": {"MBO"}, "middelbaar beroepsonderwijs": {"MBO"}, "kinderopvang": {"kinderopvang"},
    "kdc": {"KDC"}, "kinderdagcentrum": {"KDC"},
}


def parse_levels(level: str | None) -> set[str]:
    """School levels meant by free text: "VO", "(V)SO" -> {SO, VSO}, "basisonderwijs" -> {PO} ..."""
    if not level:
        return set()
    found: set[str] = set()
    for part in re.split(r"\s*(?:,|/|;|\ben\b|\bof\b)\s*", fold(level)):
        part = part.strip()
        if part in _LEVEL_WORDS:
            found |= _LEVEL_WORDS[part]
        else:
            found |= {lv for lv in LEVELS if fold(lv) == part}
    return found


# -- lookup ----------------------------------------------------------------------------------------

_STOP = set("""de het een en of van voor in op aan met bij naar door over te tot om uit als dan die dat deze dit
er is zijn was wordt worden welke welk wat wie waar wanneer hoe hoeveel lopen loopt lopend moeten moet we wij
ons onze je jij u ik kan kunnen mag graag regio gemeente alle ook nog al zijn er' heeft hebben geeft doet doen
bellen bel contact contacten opnemen contactpersoon verantwoordelijk verantwoordelijke pakt oppakken regelt terecht
kun nodig zoek zoeken staan staat""".split())


def _query_tokens(text: str) -> list[str]:
    return [t for t in query_words(text) if len(t) > 1 and t not in _STOP]


# A query word from one of these groups matches a record that holds any word of the group.
_SYNONYMS = [
    {"oza", "ozas", "oja", "ojas", "onderwijszorgarrangement", "onderwijszorgarrangementen", "zorgarrangement",
     "zorgarrangementen", "onderwijsjeugdhulparrangement", "onderwijsjeugdhulparrangementen", "arrangement",
     "arrangementen"},
    {"jg", "jgcoach", "jeugdgezinscoach", "jeugdgezinscoaches", "jeugdconsulent", "coach", "coaches"},
    {"swv", "samenwerkingsverband", "samenwerkingsverbanden"},
    {"tlv", "toelaatbaarheidsverklaring", "toelaatbaarheid"},
    {"smw", "smwer", "schoolmaatschappelijk"},
]


def _corrections(token: str, vocabulary_all: set[str]) -> set[str]:
    """Words of the whole inventory a typo may stand for; empty when the token is spelled as in a record."""
    if len(token) < 4 or token in vocabulary_all or any(token in word for word in vocabulary_all):
        return set()
    return {word for word in vocabulary_all
            if abs(len(word) - len(token)) <= 2 and word[:1] == token[:1] and fuzz.ratio(token, word) >= 80}


def _token_score(token: str, vocabulary: set[str], corrections: set[str]) -> float:
    if token in vocabulary:
        return 1.0
    group = next((g for g in _SYNONYMS if token in g), None)
    if group and group & vocabulary:
        return 1.0
    if len(token) >= 4 and any(token in word for word in vocabulary):
        return 0.9  # part of a compound: "zorgarrangement" in "onderwijs-zorgarrangement"
    if corrections & vocabulary:
        return 0.8  # a typo of a word this record holds ("spinakr" -> "spinaker")
    return 0.0


_NOT_SEARCHED = {"source", "extra_sources", "used_in"}  # quotes often share a line with other records
_TITLE_FIELD = {"arrangement": "name", "action": "action", "contact": "party", "region": "name", "glossary": "term",
                "list": "title"}


def _record_words(record: Record) -> set[str]:
    return words_of(" ".join(_strings(record.model_dump())))


def _title_words(record: Record) -> set[str]:
    return words_of(getattr(record, _TITLE_FIELD[record.record_kind]))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in _NOT_SEARCHED for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


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
    # A gemeente that belongs to a region for some levels only (Velsen: VO in ZK) drops the others.
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
        region: a region name or alias ("ZK", "regio Alkmaar") or a gemeente name ("heemstede" ->
            Zuid-Kennemerland). "alkmaar" alone means both regio Alkmaar and Noord-Kennemerland.
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
        canonical = _canonical_gemeente(inv, gemeente)
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
                vocabulary, title = _record_words(record), _title_words(record)
                scores = [_token_score(t, vocabulary, fixes[t]) for t in tokens]
                if all(scores):
                    bonus = sum(0.5 * _token_score(t, title, fixes[t]) for t in tokens)
                    scored.append((-(sum(scores) + bonus), position, record))
            records = [r for _, _, r in sorted(scored, key=lambda x: (x[0], x[1]))]
    return records


# -- resolve_contact (implemented in inventory_resolve) ------------------------------------------

def resolve_contact(inv: Inventory, woongemeente: str, schoolgemeente: str | None = None, need: str | None = None,
                    level: str | None = None) -> "ContactResolution":
    """The parties a school or coach turns to for one pupil, as the sources describe them.

    Jeugdhulp goes through the lokaal team / toegang of the pupil's WOONGEMEENTE; passend-onderwijs
    matters (TLV, consulent, SWV) through the samenwerkingsverband of the school's gemeente (the
    woongemeente when no school is given). Differences between the two give grensverkeer notes.
    A gemeente the sources do not place in a region yields no party at all, only a Dutch message.
    """
    from assistant.inventory_resolve import build_resolution

    return build_resolution(inv, woongemeente, schoolgemeente, need, level)


def __getattr__(name: str):
    # The resolution types live in inventory_resolve (which imports this module); re-export lazily.
    if name in {"ContactResolution", "Route", "Note", "need_categories"}:
        from assistant import inventory_resolve

        return getattr(inventory_resolve, name)
    raise AttributeError(name)
