"""Regions, their gemeenten and school levels as the curated inventory (regions.yaml) gives them.

Example::

    region_for_gemeente("Plaatsdam", inv)      # the regions that gemeente belongs to
    parse_levels("(V)SO")                      # {"SO", "VSO"}
"""

from __future__ import annotations

import re

from assistant.core.lexicon import lexicon
from assistant.core.records import LEVELS, Inventory, Region
from assistant.core.text import fold


# -- regions and gemeenten -------------------------------------------------------------------------

def _gemeente_keys(region: Region) -> dict[str, str]:
    keys = {}
    for g in region.gemeenten:
        for name in (g.name, *g.aliases):
            keys[fold(name)] = g.name
    return keys


def region_for_gemeente(name: str, inv: Inventory) -> list[str]:
    """Regions whose gemeenten include ``name`` (case- and accent-insensitive); [] when none does.

    A gemeente may lie in two regions (a youth-care region and the region of a samenwerkingsverband).
    """
    key = fold(name).strip()
    return [r.name for r in inv.regions if key in _gemeente_keys(r)]


def gemeenten(region: str, inv: Inventory) -> list[str]:
    """The gemeenten of a region (name or alias), as regions.yaml lists them; [] for an unknown region."""
    found = inv.region(region)
    return [g.name for g in found.gemeenten] if found else []


def canonical_gemeente(inv: Inventory, name: str) -> str | None:
    key = fold(name).strip()
    for region in inv.regions:
        if key in _gemeente_keys(region):
            return _gemeente_keys(region)[key]
    return None


def resolve_regions(inv: Inventory, name: str) -> list[str]:
    """Region names meant by a region name, an alias (an abbreviation, "regio X") or a gemeente name."""
    key = fold(name).strip()
    key = re.sub(r"^(de )?regio ", "regio ", key)
    direct = [r.name for r in inv.regions
              if key in {fold(r.name), *map(fold, r.aliases)} or key == "regio " + fold(r.name)]
    if key.startswith("regio ") and direct:
        return direct
    via_gemeente = region_for_gemeente(key.removeprefix("regio "), inv)
    return list(dict.fromkeys(direct + via_gemeente))


# -- school levels ---------------------------------------------------------------------------------

def parse_levels(level: str | None) -> set[str]:
    """School levels meant by free text: "VO", "(V)SO" -> {SO, VSO}, "basisonderwijs" -> {PO} ..."""
    if not level:
        return set()
    found: set[str] = set()
    for part in re.split(r"\s*(?:,|/|;|\ben\b|\bof\b)\s*", fold(level)):
        part = part.strip()
        phrases = lexicon().level_phrases
        if part in phrases:
            found |= phrases[part]
        else:
            found |= {lv for lv in LEVELS if fold(lv) == part}
    return found
