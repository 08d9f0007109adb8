"""Schemas of the curated regional inventories (corpus/inventories/*.yaml) and their loader.

Six files, one record kind each: ``arrangements.yaml`` (OZA's, OJA's, pilots, bovenschoolse
voorzieningen), ``actions.yaml`` (uitvoeringsagenda rows), ``contacts.yaml`` (who a school or coach
turns to for what), ``regions.yaml`` (gemeenten per region, regional bodies), ``glossary.yaml``
(abbreviations) and ``lists.yaml`` (enumerations a document gives: the elements of the
kansencirkel, the members of a committee, the levels of support ..., every item with its own quote). Every record names its source: a document in corpus/ and a
verbatim quote that lies on one line of that document, so a record can always be shown next to
the text it rests on. A broken file or record raises :class:`InventoryError` with a Dutch message
naming the file and the record.

Example::

    inv = load_inventories(Path("corpus/inventories"))
    [a.name for a in inv.arrangements if a.region == "Alkmaar"]
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Level = Literal["PO", "VO", "SO", "VSO", "SBO", "PrO", "MBO", "kinderopvang", "KDC"]
LEVELS: tuple[str, ...] = ("PO", "VO", "SO", "VSO", "SBO", "PrO", "MBO", "kinderopvang", "KDC")

# What a contact is for; resolve_contact maps a free-text need onto these.
NeedTag = Literal["jeugdhulp", "zorgen", "passend_onderwijs", "tlv", "verzuim", "thuiszitter", "escalatie",
                  "ondersteuning", "informatie"]
# Which gemeente decides whether a contact applies: where the pupil lives, where the school is, or either.
RouteBy = Literal["woongemeente", "schoolgemeente", "regio"]

KINDS: tuple[str, ...] = ("arrangement", "action", "contact", "region", "glossary", "list")
FILES: dict[str, str] = {"arrangement": "arrangements.yaml", "action": "actions.yaml", "contact": "contacts.yaml",
                         "region": "regions.yaml", "glossary": "glossary.yaml", "list": "lists.yaml"}
_LIST_KEYS: dict[str, tuple[str, ...]] = {"arrangement": ("arrangements",), "action": ("actions",),
                                          "contact": ("contacts",), "region": ("regions",),
                                          "glossary": ("glossary", "terms"), "list": ("lists",)}


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
    # True: only for pupils who also LIVE in this region (e.g. a smw-er who links to the lokale teams of Haaglanden)
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

_ERROR_TEXT = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "list_type": "moet een lijst zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "dict_type": "moet een mapping (sleutel: waarde) zijn",
    "model_type": "moet een mapping (sleutel: waarde) zijn",
    "literal_error": "ongeldige waarde",
    "string_too_short": "te kort",
    "string_too_long": "te lang",
    "too_short": "te weinig items",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "greater_than_equal": "te klein",
    "string_pattern_mismatch": "ongeldig formaat (alleen kleine letters, cijfers en '-')",
}


def _dutch_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        text = _ERROR_TEXT.get(err["type"])
        if err["type"] == "literal_error":
            text = f"ongeldige waarde {err.get('input')!r} (toegestaan: {err.get('ctx', {}).get('expected', '')})"
        elif err["type"] in ("string_too_short", "string_too_long"):
            text = f"{_ERROR_TEXT[err['type']]} ({len(str(err.get('input', '')))} tekens; {err['msg']})"
        elif text is None:
            text = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"veld '{loc}': {text}")
    return "; ".join(parts)


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark is not None else ""
        raise InventoryError(f"{path.name}: ongeldige YAML{where}: {getattr(exc, 'problem', exc)}",
                             file=path.name) from exc
    except UnicodeDecodeError as exc:
        raise InventoryError(f"{path.name}: het bestand is geen UTF-8-tekst", file=path.name) from exc


def _raw_records(kind: str, path: Path) -> list:
    data = _read_yaml(path)
    if data is None:
        return []
    if isinstance(data, dict):
        keys = [k for k in _LIST_KEYS[kind] if k in data]
        if not keys:
            raise InventoryError(f"{path.name}: verwacht een lijst onder de sleutel '{_LIST_KEYS[kind][0]}'",
                                 file=path.name)
        data = data[keys[0]]
    if not isinstance(data, list):
        raise InventoryError(f"{path.name}: verwacht een lijst met records", file=path.name)
    return data


def parse_records(kind: str, path: Path) -> list:
    """Validate every record of one inventory file; the first broken record raises InventoryError."""
    model = MODELS[kind]
    records = []
    for index, raw in enumerate(_raw_records(kind, path)):
        rid = raw.get("id") if isinstance(raw, dict) else None
        label = f"record {index + 1}" + (f" (id '{rid}')" if rid else " (zonder id)")
        if not isinstance(raw, dict):
            raise InventoryError(f"{path.name}: {label}: een record moet een mapping zijn, geen "
                                 f"{type(raw).__name__}", file=path.name, record=str(index + 1))
        try:
            records.append(model.model_validate(raw))
        except ValidationError as exc:
            raise InventoryError(f"{path.name}: {label}: {_dutch_errors(exc)}", file=path.name,
                                 record=rid or str(index + 1)) from exc
    return records
