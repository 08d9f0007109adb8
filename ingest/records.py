"""Inventory records as readable Dutch passages, and where their quotes lie in the corpus.

``records_as_chunks`` turns every record into one retrievable :class:`Chunk` of kind ``record``:
doc_id, title and page of the SOURCE document, so a cited record points at the plan it comes
from. Pages are those of the ingest's own loader (:mod:`ingest.loaders`), so a record and the
passage holding its quote carry the same page; formats without pages give ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from assistant.core.records import (NOT_GIVEN, Action, Arrangement, Contact, EnumList, GlossaryEntry, Inventory,
                                    InventoryError, Region, Source, chunk_id_of)
from assistant.core.types import Chunk, DocMeta
from ingest.loaders import LoadError, load, raw_text
from ingest.manifest import load_manifest, slugify

SECTIONS = {"arrangement": "arrangementen", "action": "acties", "contact": "contacten en routes",
            "region": "regio's en gemeenten", "glossary": "begrippen", "list": "opsommingen"}


@lru_cache(maxsize=32)
def _pages(path: Path, mtime: float, size: int) -> tuple[tuple[str, ...], bool]:
    """The document's pages as the ingest loads them (one load per file), and whether it has pages."""
    raw = load(path, DocMeta(doc_id=slugify(path.name), file=path.name, title=path.stem))
    return tuple(raw.pages), raw.has_pages


def source_page(corpus_dir: Path, source: Source) -> int | None:
    """Page of the source document where the quote lies (None for formats without pages).

    The page comes from the same loader the chunks come from, so a record cites the page its
    document passage carries. Raises InventoryError when the file is missing or the quote is not
    in it (on one line of a text or markup file, or in one page of a PDF/DOCX).
    """
    path = corpus_dir / source.doc
    if not path.is_file():
        raise InventoryError(f"bronbestand '{source.doc}' bestaat niet in {corpus_dir}", file=source.doc)
    try:
        stat = path.stat()
        pages, has_pages = _pages(path, stat.st_mtime, stat.st_size)
    except LoadError as exc:
        raise InventoryError(f"bronbestand '{source.doc}' is niet te lezen: {exc}", file=source.doc) from exc
    readable = raw_text(path)
    if readable and not _on_one_line(path, source.quote):
        raise InventoryError(f"citaat staat niet (op één regel) in {source.doc}: {source.quote!r}", file=source.doc)
    hits = [i + 1 for i, page in enumerate(pages) if source.quote in page]
    if not hits and not readable:
        raise InventoryError(f"citaat staat niet in {source.doc}: {source.quote!r}", file=source.doc)
    return hits[0] if hits and has_pages else None


def _on_one_line(path: Path, quote: str) -> bool:
    return any(quote in line for line in path.read_text(encoding="utf-8").split("\n"))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _sentence(label: str, value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    return f"{label}: {value}" + ("" if value.endswith((".", "!", "?")) else ".")


def render(record, region_label: Callable[[str | None], str]) -> str:
    """A Dutch passage that says everything the record holds, ending with the source quote.

    ``region_label`` names a region in a sentence (:meth:`Inventory.region_label`).
    """
    parts: list[str]
    if isinstance(record, Arrangement):
        parts = [f"Arrangement in {region_label(record.region)}: {record.name} ({record.kind}).",
                 _sentence("Gemeenten", _join(record.gemeenten)),
                 _sentence("Onderwijs", _join(record.school_levels)),
                 _sentence("Doelgroep", record.target_group), _sentence("Omschrijving", record.description),
                 _sentence("Scholen", _join(record.schools)), _sentence("Aanbieders", _join(record.providers)),
                 _sentence("Partners", _join([p for p in record.partners
                                              if p not in record.schools + record.providers])),
                 _sentence("Financiering", record.financing),
                 _sentence("Status", record.status), _sentence("Genoemd in", record.source_list)]
    elif isinstance(record, Action):
        parts = [f"Actie in {region_label(record.region)}: {record.action.rstrip('.')}.",
                 _sentence("Wie", _join(record.responsible) or NOT_GIVEN),
                 _sentence("Waarom", record.why), _sentence("Wanneer", record.when),
                 _sentence("Financiering", record.financing), _sentence("Status", record.status),
                 _sentence("Gewenste beweging", record.movement), _sentence("Hoofdlijn", record.hoofdlijn),
                 _sentence("Ontwikkellijn", record.ontwikkellijn), _sentence("Gemeenten", _join(record.gemeenten)),
                 _sentence("Onderwijs", _join(record.school_levels)), _sentence("Genoemd in", record.source_list)]
    elif isinstance(record, Contact):
        where = _join(record.gemeenten) or region_label(record.region)
        parts = [f"Contact en route in {where}: voor {record.need} → {record.party}.",
                 _sentence("Voor wie", record.applies_to), _sentence("Regel", record.rule),
                 _sentence("Onderwijs", _join(record.school_levels)), _sentence("Status", record.status),
                 _sentence("Bij grensverkeer", record.grensverkeer)]
        if record.details:
            d = record.details
            parts += [_sentence("Adres", d.address), _sentence("E-mail", d.email),
                      _sentence("Telefoon", d.phone), _sentence("Website", d.website)]
    elif isinstance(record, Region):
        names = [g.name + (f" ({g.scope})" if g.scope else "") for g in record.gemeenten]
        parts = [f"Regio {record.name} ({record.kind}): gemeenten {_join(names)}."]
        parts += [_sentence(g.name, g.note) for g in record.gemeenten if g.note]
        parts += [_sentence("Niet in de bronnen als gemeente van deze regio genoemd", _join(
            [g.name for g in record.gemeenten if not g.in_source]))]
        parts += [_sentence(item.name or "Ook genoemd", item.text) for item in record.other_gemeenten]
        parts += [_sentence(item.name or "Overleg", item.text) for item in record.bodies]
        parts += [_sentence("Let op", item.text) for item in record.notes]
    elif isinstance(record, GlossaryEntry):
        head = f"Begrip {record.term}"
        if record.defined_in_source:
            parts = [f"{head}: {record.expansion or ''}".rstrip(": ") + ".", _sentence("Betekenis", record.definition)]
        else:
            parts = [f"{head}: afkorting die in de bronnen wordt gebruikt zonder uitleg."]
    elif isinstance(record, EnumList):
        items = "; ".join(item.text + (f" ({item.detail.rstrip('.')})" if item.detail else "") for item in record.items)
        parts = [f"Opsomming in {region_label(record.region)}: {record.title} ({len(record.items)}): {items}.",
                 _sentence("Ook genoemd", _join(record.aliases))]
    else:  # pragma: no cover - the loader only yields the kinds above
        raise TypeError(type(record).__name__)
    parts.append(_sentence("Opmerking", record.note))
    quotes = [s.quote.strip() for s in _own_sources(record)][:6]
    if quotes:
        parts.append("Brontekst: " + " … ".join(f"“{q}”" for q in dict.fromkeys(quotes)))
    return " ".join(p for p in parts if p)


def _own_sources(record) -> list[Source]:
    """The record's own quotes (not those of a region's bodies and notes, which the passage already tells)."""
    if isinstance(record, GlossaryEntry):
        return ([record.source] if record.source else []) + record.extra_sources + record.used_in
    return [record.source, *record.extra_sources]


def record_chunk_id(record) -> str:
    """The id of a record's chunk: kind and record id, stable across runs."""
    return chunk_id_of(record.record_kind, record.id)


def record_sources(inventory: Inventory) -> dict[str, list[Source]]:
    """The lines each record restates, by chunk id: all its quotes (a list's: its own and its items')."""
    return {record_chunk_id(record): record.sources for record in inventory.records()}


def records_as_chunks(inventory: Inventory, corpus_dir: Path) -> list[Chunk]:
    """One ``record`` chunk per record: the passage, with the source document's id, title, page.

    Records whose source document is not in ``corpus_dir`` are left out (a corpus may be a subset);
    a quote that is not in a document that IS there raises InventoryError.
    """
    metas, _ = load_manifest(corpus_dir)
    docs = {m.file: m for m in metas}
    chunks: list[Chunk] = []
    for seq, record in enumerate(inventory.records()):
        kind = record.record_kind
        source = record.source if not isinstance(record, GlossaryEntry) else (record.source or next(iter(record.used_in), None))
        if source is None:  # an undefined glossary term without a usage quote has no document to point at
            continue
        if not (corpus_dir / source.doc).is_file():
            continue  # a corpus without this document (a subset copy): the record has nothing to cite
        try:
            page = source_page(corpus_dir, source)
        except InventoryError as exc:
            raise InventoryError(f"{kind} '{record.id}': {exc}", file=exc.file, record=record.id) from exc
        info = docs.get(source.doc)
        text = render(record, inventory.region_label)
        region = (record.region_names or [info.region if info else "onbekend"])[0]
        chunks.append(Chunk(
            chunk_id=record_chunk_id(record), doc_id=info.doc_id if info else Path(source.doc).stem,
            title=info.title if info else source.doc, region=region, seq=seq, text=text,
            page_start=page, page_end=page, section=f"Inventaris: {SECTIONS[kind]}",
            section_path=["Inventaris", SECTIONS[kind]], char_start=0, char_end=len(text), kind="record"))
    return chunks
