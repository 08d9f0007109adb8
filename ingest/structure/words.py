"""The word lists of structure extraction, read once from ``words.yaml`` next to this module.

Generic Dutch only; the lists are grouped and named by the job they do so that they can move
into the shared lexicon as a whole. Nothing is read at import time.

Example::

    words = structure_words()
    "wie" in words.responsibility.columns
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.core.yamlio import safe_load

WORDS_FILE = Path(__file__).with_name("words.yaml")


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LeadInWords(_Group):
    cues: tuple[str, ...]
    introducers: frozenset[str]
    cut_words: frozenset[str]
    clause_words: frozenset[str]
    count_words: tuple[str, ...]


class DefinitionWords(_Group):
    verstaan: tuple[str, ...]
    bedoelen: tuple[str, ...]
    betekent: tuple[str, ...]
    heading_cues: tuple[str, ...]
    not_terms: frozenset[str]
    not_term_openers: frozenset[str]
    not_definition_openers: frozenset[str]


class ResponsibilityWords(_Group):
    columns: frozenset[str]
    action_columns: frozenset[str]
    verbs: dict[str, tuple[str, ...]]
    participles: dict[str, tuple[str, ...]]
    owned_by: tuple[str, ...]
    noun_markers: frozenset[str]
    modals: tuple[str, ...]
    not_party_openers: frozenset[str]
    not_parties: frozenset[str]
    adverbs: frozenset[str]


class ContactWords(_Group):
    labels: dict[str, tuple[str, ...]]
    owner_prepositions: frozenset[str]
    not_owners: frozenset[str]


class QuantityWords(_Group):
    numbers: dict[str, float | None]
    units: dict[str, tuple[str, ...]]
    deadline_cues: tuple[str, ...]
    duration_cues: tuple[str, ...]
    age_before: tuple[str, ...]
    age_after: tuple[str, ...]
    age_nouns: frozenset[str]
    anchor_cues: tuple[str, ...]
    period_cues: tuple[str, ...]
    rate_per: tuple[str, ...]
    money_multipliers: dict[str, float]

    def unit_of(self, word: str) -> str | None:
        """The unit a word names (``weken`` -> ``week``), or None."""
        low = word.lower()
        for unit, forms in self.units.items():
            if low in forms:
                return unit
        return None


class StructureWords(_Group):
    lead_in: LeadInWords
    definition: DefinitionWords
    responsibility: ResponsibilityWords
    contact: ContactWords
    quantity: QuantityWords


@lru_cache(maxsize=1)
def structure_words() -> StructureWords:
    """The word lists, parsed and checked once."""
    data = safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return StructureWords.model_validate(data)
