"""Typed records that structure extraction derives from a cleaned document.

Every record says where it stands (``doc_id``, ``page``, ``section_path``) and carries the
verbatim text it rests on as :class:`Quote` objects: ``doc.text[q.start:q.end] == q.text``, so a
record can be shown next to, and located in, the chunk that holds it. The kinds mirror what the
curated inventories hold (lists, glossary, actions with who, contacts) plus deadlines and amounts.

Example::

    structure = extract_structure(doc)
    [r.title for r in structure.records if r.kind == "enumeration"]
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field

RecordKind = Literal["enumeration", "definition", "responsibility", "contact", "quantity"]
KINDS: tuple[str, ...] = ("enumeration", "definition", "responsibility", "contact", "quantity")


class Quote(BaseModel):
    """Verbatim text of the cleaned document: ``doc.text[start:end] == text``."""

    text: str
    start: int
    end: int
    page: int | None = None
    chunk_id: str = ""  # the indexed passage holding it (set at ingest)


class _Record(BaseModel):
    doc_id: str
    page: int | None
    section_path: list[str] = Field(default_factory=list)
    quotes: list[Quote] = Field(min_length=1)

    @property
    def section(self) -> str:
        return self.section_path[-1] if self.section_path else ""


class EnumItem(BaseModel):
    """One item of an enumeration: its own text (marker stripped), an optional label
    (``Zichtbaarheid en profilering`` of ``Zichtbaarheid en profilering: Het ...``) and its quote."""

    text: str
    label: str = ""
    marker: str = ""
    quote: Quote


class Enumeration(_Record):
    """A list the document gives, in order, titled by its lead-in and section heading.

    ``source`` says how it was recognised: ``bullets``, ``numbered``, ``lettered``, ``lead_in``
    (short paragraphs after a ``... de volgende ...:`` line), ``inline`` (``X: a, b en c`` inside one
    sentence), ``sublist`` (items under an item that ends with a colon) or ``table_column``.
    """

    kind: Literal["enumeration"] = "enumeration"
    source: Literal["bullets", "numbered", "lettered", "lead_in", "inline", "sublist", "table_column"]
    title: str
    lead_in: str = ""
    context: str = ""  # the sentences before the lead-in in its block (``Bij pgb moet eerst ...``)
    heading: str = ""
    items: list[EnumItem] = Field(min_length=2)


class Definition(_Record):
    """A term and what the document says it means or abbreviates.

    ``form``: ``abbreviation`` (``OJG (Ondersteuner Jeugd en Gezin)`` and the reverse, glossary
    lines), ``verstaan`` (``onder X verstaan we ...``), ``bedoelen`` (``met X bedoelen we ...``),
    ``betekent`` (``X betekent / houdt in ...``), ``is`` (``Een X is een ...``) or ``heading``
    (the first paragraph under a heading ``Definitie X`` / ``Wat is X?``).
    """

    kind: Literal["definition"] = "definition"
    form: Literal["abbreviation", "verstaan", "bedoelen", "betekent", "is", "heading"]
    term: str
    definition: str


class Responsibility(_Record):
    """Who does or decides what: ``party`` and ``duty`` as the sentence or table row names them.

    ``form``: ``table`` (a Wie/Verantwoordelijk/Trekker column), ``verantwoordelijk``,
    ``beslist``, ``uitvoering``, ``betaalt``, ``regie`` or ``passive`` (``... wordt door X genomen``).
    """

    kind: Literal["responsibility"] = "responsibility"
    form: Literal["table", "verantwoordelijk", "beslist", "uitvoering", "betaalt", "regie", "passive"]
    party: str
    duty: str
    cue: str = ""


class Contact(_Record):
    """A phone number, e-mail address, postal address or website, and whose it is.

    ``owner_from`` says where the owner was found: on the same line/sentence, in the block
    before, in the section heading, or nowhere (``""``).
    """

    kind: Literal["contact"] = "contact"
    channel: Literal["phone", "email", "address", "website"]
    value: str
    owner: str = ""
    owner_from: Literal["line", "previous", "heading", ""] = ""


class Quantity(_Record):
    """A deadline, duration, age limit, period, rate or amount, normalised where easy.

    ``measure``: ``deadline`` (``binnen acht weken``, ``uiterlijk 6 weken na``), ``duration``
    (``gedurende 3 maanden``), ``age`` (``vanaf 12 jaar``), ``period`` (``looptijd 2019-2022``),
    ``rate`` (``2 uren per week``) or ``amount`` (``€ 800.000``). ``value`` is the number (weeks as
    weeks, euros as euros), ``end_value`` the upper bound of a range; ``about`` the content words
    of the sentence it stands in, ``anchor`` what a deadline counts from (``de aanvraag``).
    """

    kind: Literal["quantity"] = "quantity"
    measure: Literal["deadline", "duration", "age", "period", "rate", "amount"]
    text: str
    value: float | None = None
    end_value: float | None = None
    unit: str = ""
    cue: str = ""
    about: list[str] = Field(default_factory=list)
    anchor: str = ""


StructureRecord = Annotated[
    Union[Enumeration, Definition, Responsibility, Contact, Quantity], Field(discriminator="kind")
]


class DocumentStructure(BaseModel):
    """All records derived from one document, in document order per kind."""

    doc_id: str
    records: list[StructureRecord] = Field(default_factory=list)

    def of_kind(self, kind: str) -> list[StructureRecord]:
        return [r for r in self.records if r.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of_kind(kind)) for kind in KINDS}
