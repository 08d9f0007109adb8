"""Schemas of the curated regional inventories (corpus/inventories/*.yaml), and the Inventory.

Six files, one record kind each: ``arrangements.yaml`` (OZA's, OJA's, pilots, bovenschoolse
voorzieningen), ``actions.yaml`` (uitvoeringsagenda rows), ``contacts.yaml`` (who a school or coach
turns to for what), ``regions.yaml`` (gemeenten per region, regional bodies), ``glossary.yaml``
(abbreviations) and ``lists.yaml`` (enumerations a document gives: the elements of the
kansencirkel, the members of a committee, the levels of support ..., every item with its own quote). Every record names its source: a document in corpus/ and a
verbatim quote that lies on one line of that document, so a record can always be shown next to
the text it rests on. The ingest validates the files (:mod:`ingest.inventories`) and stores the
:class:`Inventory` in the index generation, where the assistant reads it.

Example::

    inv = Inventory.model_validate_json(path.read_text())
    [a.name for a in inv.arrangements if a.kind.startswith("pilot")]
"""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from assistant.core.text import fold, words_of

Level = Literal["PO", "VO", "SO", "VSO", "SBO", "PrO", "MBO", "kinderopvang", "KDC"]
LEVELS: tuple[str, ...] = ("PO", "VO", "SO", "VSO", "SBO", "PrO", "MBO", "kinderopvang", "KDC")

# What a contact is for; resolve_contact maps a free-text need onto these.
NeedTag = Literal["jeugdhulp", "zorgen", "passend_onderwijs", "tlv", "verzuim", "thuiszitter", "escalatie",
                  "ondersteuning", "informatie"]
# Which gemeente decides whether a contact applies: where the pupil lives, where the school is, or either.
RouteBy = Literal["woongemeente", "schoolgemeente", "regio"]

KINDS: tuple[str, ...] = ("arrangement", "action", "contact", "region", "glossary", "list")

# -- how a record reads as a passage (written by ingest.records.render, read back by the answers) --
# The field labels the renderer writes before a value ("Regel: ..."). A prose field is a sentence of
# its own; the others are bare values ("Wie: Leerplein") that mean nothing without their record.
# Contact lines ("Adres: ...", "E-mail: ...") read as they stand and are no field label here.
PROSE_LABELS: frozenset[str] = frozenset({"Regel", "Omschrijving", "Betekenis", "Opmerking", "Let op",
                                          "Bij grensverkeer", "Gewenste beweging", "Waarom"})
# A bare value reads as a phrase after the record's subject: "<subject>, door <value>."
PARTY_LABEL = "Wie"  # the field of a record that names who acts
NOT_GIVEN = "niet vermeld in de bron"  # the ingest's value of a field the source leaves empty


def chunk_id_of(kind: str, record_id: str) -> str:
    """The id of a record's chunk in the index: its kind and its id (``inv-contact#leerplein``)."""
    return f"inv-{kind}#{record_id}"


def is_enumeration(chunk_id: str) -> bool:
    """Whether a chunk is an enumeration record (lists.yaml). It restates a whole list of a plan and
    shares words with many questions it does not answer: list questions are answered from it by
    title (assistant.answer.lists), it ranks after the document passages, and dense search leaves
    it out (its vector, taken from the sentences it restates, serves sentence scoring only)."""
    return chunk_id.startswith(chunk_id_of("list", ""))


def is_glossary(chunk_id: str) -> bool:
    """Whether a chunk is a glossary record (glossary.yaml)."""
    return chunk_id.startswith(chunk_id_of("glossary", ""))


VALUE_PHRASES: dict[str, str] = {
    "Wie": "door", "Wanneer": "in de periode", "Financiering": "gefinancierd uit", "Doelgroep": "voor",
    "Voor wie": "voor", "Partners": "met", "Scholen": "op", "Aanbieders": "met", "Gemeenten": "in",
    "Onderwijs": "in het", "Status": "status:"}
FIELD_LABELS: frozenset[str] = PROSE_LABELS | {
    "Gemeenten", "Onderwijs", "Doelgroep", "Scholen", "Aanbieders", "Partners", "Financiering", "Status",
    "Genoemd in", "Wie", "Waarom", "Wanneer", "Hoofdlijn", "Ontwikkellijn", "Voor wie", "Ook genoemd", "Overleg",
    "Brontekst",
    "Niet in de bronnen als gemeente van deze regio genoemd"}
# A record's first sentence and what it says to a reader; None: nothing (an unexplained abbreviation).
RECORD_HEADS: tuple[tuple[re.Pattern, str | None], ...] = (
    (re.compile(r"^Begrip [^:]+: afkorting die in de bronnen wordt gebruikt zonder uitleg\.$"), None),
    (re.compile(r"^Begrip (?P<term>[^:]+): (?P<rest>.+)$", re.S), r"\g<term>: \g<rest>"),
    (re.compile(r"^Arrangement in [^:]+: (?P<name>.+) \((?P<kind>[^()]*(?:\([^()]*\))?[^()]*)\)\.$", re.S),
     r"\g<name> (\g<kind>)."),
    (re.compile(r"^(?:Actie|Opsomming) in [^:]+: (?P<rest>.+)$", re.S), r"\g<rest>"),
    (re.compile(r"^Contact en route in [^:]+: voor (?P<need>.+?) → (?P<party>.+)$", re.S), r"Voor \g<need>: \g<party>"),
    (re.compile(r"^Regio (?P<name>.+?) \((?P<kind>.+)\): gemeenten (?P<names>.+)$", re.S),
     r"Regio \g<name> (\g<kind>) omvat de gemeenten \g<names>"),
)


def record_subject(record) -> str:
    """What a record is about, as a sentence names it: the arrangement, the action, the party ..."""
    for attr in ("name", "action", "party", "title", "term"):
        value = getattr(record, attr, None)
        if isinstance(value, str) and value.strip():
            return value.strip().rstrip(".")
    return ""


class InventoryError(ValueError):
    """A broken inventory file or record; the message is Dutch and names file and record."""

    def __init__(self, message: str, file: str | None = None, record: str | None = None):
        super().__init__(message)
        self.file = file
        self.record = record


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Source(_Strict):
    """Where a record comes from: a file in corpus/ and verbatim text on one line of it."""

    doc: str = Field(min_length=1)
    quote: str = Field(min_length=15, max_length=200)

    @field_validator("quote")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value or "\r" in value:
            raise ValueError("het citaat moet op één regel staan")
        return value


class ContactDetails(_Strict):
    """Contact details, only as a source gives them (never filled in otherwise)."""

    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None


class _Record(_Strict):
    record_kind: ClassVar[str] = ""
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    source: Source
    extra_sources: list[Source] = Field(default_factory=list)
    note: str | None = None

    @property
    def sources(self) -> list[Source]:
        return [self.source, *self.extra_sources]

    @property
    def region_names(self) -> list[str]:
        region = getattr(self, "region", None)
        return [region] if region else []


class Arrangement(_Record):
    """An OZA/OJA, pilot, bovenschoolse voorziening or project, as one list of a plan names it."""

    record_kind: ClassVar[str] = "arrangement"
    name: str
    kind: str
    region: str
    gemeenten: list[str] = Field(default_factory=list)
    school_levels: list[Level] = Field(default_factory=list)
    target_group: str | None = None
    description: str | None = None
    partners: list[str] = Field(default_factory=list)
    schools: list[str] = Field(default_factory=list)
    providers: list[str] = Field(default_factory=list)
    financing: str | None = None
    status: str | None = None
    source_list: str | None = None


class Action(_Record):
    """One row of an uitvoeringsagenda / activiteitenplan / list of proposed actions."""

    record_kind: ClassVar[str] = "action"
    action: str
    region: str
    responsible: list[str] = Field(default_factory=list)
    why: str | None = None
    when: str | None = None
    movement: str | None = None
    hoofdlijn: str | None = None
    ontwikkellijn: str | None = None
    gemeenten: list[str] = Field(default_factory=list)
    school_levels: list[Level] = Field(default_factory=list)
    financing: str | None = None
    status: str | None = None
    source_list: str | None = None


class Contact(_Record):
    """Whom a school or coach turns to for a need, with the rule the source gives."""

    record_kind: ClassVar[str] = "contact"
    region: str
    gemeenten: list[str] = Field(default_factory=list)
    exclude_gemeenten: list[str] = Field(default_factory=list)
    need: str
    needs: list[NeedTag] = Field(min_length=1)
    party: str
    applies_to: str
    rule: str | None = None
    route_by: RouteBy = "regio"
    # True: only for pupils who also LIVE in this region (e.g. a smw-er who links to the region's lokale teams)
    woon_in_region: bool = False
    school_levels: list[Level] = Field(default_factory=list)
    details: ContactDetails | None = None
    status: str | None = None
    grensverkeer: str | None = None


class RegionGemeente(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    scope: str | None = None
    levels: list[Level] = Field(default_factory=list)
    in_source: bool = True
    note: str | None = None


class RegionItem(_Strict):
    """A regional body, a related gemeente outside the region or a note, each with its source."""

    name: str | None = None
    text: str
    source: Source


class Region(_Record):
    record_kind: ClassVar[str] = "region"
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str
    gemeenten: list[RegionGemeente] = Field(min_length=1)
    other_gemeenten: list[RegionItem] = Field(default_factory=list)
    bodies: list[RegionItem] = Field(default_factory=list)
    notes: list[RegionItem] = Field(default_factory=list)

    @property
    def region_names(self) -> list[str]:
        return [self.name]

    @property
    def region(self) -> str:
        return self.name

    @property
    def sources(self) -> list[Source]:
        return [self.source, *self.extra_sources, *(i.source for i in self.other_gemeenten + self.bodies + self.notes)]


class GlossaryEntry(_Strict):
    """An abbreviation; with a definition only where a document gives one (and then a source)."""

    record_kind: ClassVar[str] = "glossary"
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    term: str
    expansion: str | None = None
    definition: str | None = None
    region: str | None = None
    defined_in_source: bool = True
    source: Source | None = None
    extra_sources: list[Source] = Field(default_factory=list)
    used_in: list[Source] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _sourced_or_marked(self) -> GlossaryEntry:
        if self.defined_in_source:
            if self.source is None:
                raise ValueError("een begrip met defined_in_source: true heeft een source nodig")
            if not (self.expansion or self.definition):
                raise ValueError("een begrip met defined_in_source: true heeft een expansion of definition nodig")
        elif self.source is not None or self.expansion or self.definition:
            raise ValueError("een begrip met defined_in_source: false heeft geen source, expansion of definition")
        return self

    @property
    def sources(self) -> list[Source]:
        return ([self.source] if self.source else []) + self.extra_sources + self.used_in

    @property
    def region_names(self) -> list[str]:
        return [self.region] if self.region else []


class ListItem(_Strict):
    """One item of an enumeration, as the source names it, with the line it is named on."""

    text: str = Field(min_length=1)
    detail: str | None = None
    source: Source


class EnumList(_Record):
    """An enumeration a document gives ("de elementen van de kansencirkel"), complete and in order."""

    record_kind: ClassVar[str] = "list"
    title: str = Field(min_length=3)
    aliases: list[str] = Field(default_factory=list)
    region: str
    count: int | None = Field(default=None, ge=2)
    items: list[ListItem] = Field(min_length=2)

    @model_validator(mode="after")
    def _count_matches(self) -> EnumList:
        if self.count is not None and self.count != len(self.items):
            raise ValueError(f"count is {self.count}, maar er staan {len(self.items)} items in de lijst")
        return self

    @property
    def sources(self) -> list[Source]:
        return [self.source, *self.extra_sources, *(item.source for item in self.items)]


MODELS: dict[str, type[BaseModel]] = {"arrangement": Arrangement, "action": Action, "contact": Contact,
                                      "region": Region, "glossary": GlossaryEntry, "list": EnumList}


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

    def get(self, record_id: str, kind: str | None = None) -> Record | None:
        return next((r for r in self.records(kind) if r.id == record_id), None)

    def vocabulary(self) -> set[str]:
        """Every word of every record (computed once): the reference for typo correction in lookup."""
        if self._vocabulary is None:
            self._vocabulary = set().union(*(record_words(r) for r in self.records()))
        return self._vocabulary

    def region(self, name: str) -> Region | None:
        key = fold(name)
        return next((r for r in self.regions if key in {fold(r.name), *map(fold, r.aliases)}), None)

    def region_label(self, name: str | None) -> str:
        """How a region is named in a sentence: "regio X" when X is also one of its own gemeenten
        (so the region is not read as the gemeente), else its name; "" for none."""
        if not name:
            return ""
        region = self.region(name)
        named_after_member = region is not None and fold(name) in {fold(g.name) for g in region.gemeenten}
        return f"regio {name}" if named_after_member else name


_NOT_SEARCHED = {"source", "extra_sources", "used_in"}  # quotes often share a line with other records


def record_words(record: Record) -> set[str]:
    """Every word of a record's own fields (not its source quotes)."""
    return words_of(" ".join(_strings(record.model_dump())))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in _NOT_SEARCHED for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []
