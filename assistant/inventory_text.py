"""Inventory records as readable Dutch passages, and where their quotes lie in the corpus.

``records_as_chunks`` turns every record into one retrievable :class:`Chunk` of kind ``record``:
doc_id, title and page of the SOURCE document, so a cited record points at the plan it comes
from. Pages follow the extraction's rule for .txt files (a PDF page starts on a line beginning
with exactly one space and then a non-space); .md/.html files have no pages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.inventory_models import (Action, Arrangement, Contact, EnumList, GlossaryEntry, InventoryError, Region,
                                        Source)
from assistant.types import Chunk, DocMeta

SECTIONS = {"arrangement": "arrangementen", "action": "acties", "contact": "contacten en routes",
            "region": "regio's en gemeenten", "glossary": "begrippen", "list": "opsommingen"}
_PAGED_SUFFIXES = {".txt"}


def fold(text: str) -> str:
    """Lowercase, without accents, with straight quotes: the form names and words are compared in."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower().replace("’", "'").replace("‘", "'").replace("\u00a0", " ")


def query_words(text: str) -> list[str]:
    """The words of a query: folded, '&' dropped (J&G -> jg), split on everything else."""
    return re.findall(r"[a-z0-9@]+", fold(text).replace("&", ""))


def words_of(text: str) -> set[str]:
    """The words of a record: each hyphenated or apostrophed word whole (joined) and in parts."""
    folded = fold(text).replace("&", "")
    found: set[str] = set()
    for token in re.findall(r"[a-z0-9@]+(?:['\-][a-z0-9@]+)*", folded):
        parts = re.split(r"['\-]", token)
        found.update(p for p in parts if p)
        found.add("".join(parts))
    return found


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    title: str
    region: str
    path: Path


def read_manifest(corpus_dir: Path) -> dict[str, DocInfo]:
    """File name -> document id, title and region, from corpus/manifest.yaml (file stem as fallback)."""
    docs: dict[str, DocInfo] = {}
    manifest = corpus_dir / "manifest.yaml"
    entries = []
    if manifest.is_file():
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
        entries = data.get("documents", []) if isinstance(data, dict) else []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("file"):
            docs[entry["file"]] = DocInfo(str(entry.get("doc_id") or Path(entry["file"]).stem),
                                          str(entry.get("title") or entry["file"]),
                                          str(entry.get("region") or "onbekend"), corpus_dir / entry["file"])
    return docs


def is_page_start(line: str) -> bool:
    """A PDF page of the extracted .txt files starts on a line with exactly one leading space."""
    return len(line) > 1 and line[0] == " " and not line[1].isspace()


def page_of_line(lines: list[str], index: int) -> int:
    """1-based page of line ``index``: page starts up to and including it, the first line excepted."""
    return 1 + sum(1 for i in range(1, index + 1) if is_page_start(lines[i]))


@lru_cache(maxsize=32)
def _lines(path: Path, mtime: float) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def locate_quote(path: Path, quote: str) -> tuple[int, int | None] | None:
    """(0-based line, page or None) of the first line holding ``quote``; None if it is not there."""
    lines = list(_lines(path, path.stat().st_mtime))
    for index, line in enumerate(lines):
        if quote in line:
            page = page_of_line(lines, index) if path.suffix.lower() in _PAGED_SUFFIXES else None
            return index, page
    return None


@lru_cache(maxsize=32)
def _loader_pages(path: Path, mtime: float, doc_id: str, title: str, region: str) -> tuple[str, ...] | None | bool:
    """Pages by ingest.loaders.load (one split per file); None without pages; False when unavailable."""
    try:
        from ingest.loaders import load  # the ingest pipeline's page rule, so record pages match chunk pages
    except ImportError:
        return False
    try:
        raw = load(path, DocMeta(doc_id=doc_id, file=path.name, title=title, region=region))
    except Exception:  # noqa: BLE001 - any loader failure falls back to the local rule
        return False
    return tuple(raw.pages) if raw.has_pages else None


def _loader_page(path: Path, info: DocInfo, quote: str) -> int | None | bool:
    """The page by ingest.loaders.load when that module exists; False when it cannot tell."""
    pages = _loader_pages(path, path.stat().st_mtime, info.doc_id, info.title, info.region)
    if pages is None or pages is False:
        return pages
    hits = [i + 1 for i, page in enumerate(pages) if quote in page]
    return hits[0] if hits else False


def source_page(corpus_dir: Path, docs: dict[str, DocInfo], source: Source) -> int | None:
    """Page of the source document where the quote lies; raises InventoryError when it is not there."""
    path = corpus_dir / source.doc
    if not path.is_file():
        raise InventoryError(f"bronbestand '{source.doc}' bestaat niet in {corpus_dir}", file=source.doc)
    located = locate_quote(path, source.quote)
    if located is None:
        raise InventoryError(f"citaat staat niet (op één regel) in {source.doc}: {source.quote!r}", file=source.doc)
    info = docs.get(source.doc) or DocInfo(path.stem, path.name, "onbekend", path)
    page = _loader_page(path, info, source.quote)
    return located[1] if page is False else page


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _sentence(label: str, value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    return f"{label}: {value}" + ("" if value.endswith((".", "!", "?")) else ".")


def region_label(name: str | None) -> str:
    if not name:
        return ""
    return "regio Alkmaar" if name == "Alkmaar" else name


def render(record) -> str:
    """A Dutch passage that says everything the record holds, ending with the source quote."""
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
                 _sentence("Wie", _join(record.responsible) or "niet vermeld in de bron"),
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


def records_as_chunks(records: list[tuple[str, object]], corpus_dir: Path) -> list[Chunk]:
    """One ``record`` chunk per (kind, record): the passage, with the source document's id, title, page.

    Records whose source document is not in ``corpus_dir`` are left out (a corpus may be a subset);
    a quote that is not on one line of a document that IS there raises InventoryError.
    """
    docs = read_manifest(corpus_dir)
    chunks: list[Chunk] = []
    for seq, (kind, record) in enumerate(records):
        source = record.source if not isinstance(record, GlossaryEntry) else (record.source or next(iter(record.used_in), None))
        if source is None:  # an undefined glossary term without a usage quote has no document to point at
            continue
        if not (corpus_dir / source.doc).is_file():
            continue  # a corpus without this document (a subset copy): the record has nothing to cite
        try:
            page = source_page(corpus_dir, docs, source)
        except InventoryError as exc:
            raise InventoryError(f"{kind} '{record.id}': {exc}", file=exc.file, record=record.id) from exc
        info = docs.get(source.doc)
        text = render(record)
        region = (record.region_names or [info.region if info else "onbekend"])[0]
        chunks.append(Chunk(
            chunk_id=f"inv-{kind}#{record.id}", doc_id=info.doc_id if info else Path(source.doc).stem,
            title=info.title if info else source.doc, region=region, seq=seq, text=text,
            page_start=page, page_end=page, section=f"Inventaris: {SECTIONS[kind]}",
            section_path=["Inventaris", SECTIONS[kind]], char_start=0, char_end=len(text), kind="record"))
    return chunks
