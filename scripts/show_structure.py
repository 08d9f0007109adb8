"""Print the structure records derived from one document, for people to inspect.

Loads and cleans the file as ingest does (its manifest entry when it lies in a corpus folder with
one, else a description from its file name), runs :func:`ingest.structure.extract_structure` and
prints every record with its page, section and verbatim quote; ``--json`` prints the records as
JSON instead.

Usage: .venv/bin/python scripts/show_structure.py FILE [--kind enumeration|definition|...] [--json]
       .venv/bin/python scripts/show_structure.py --counts FILE [FILE ...]   (records per kind and time)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.types import DocMeta  # noqa: E402
from ingest.clean import clean_document  # noqa: E402
from ingest.loaders import LoadError, load  # noqa: E402
from ingest.manifest import ManifestError, load_manifest  # noqa: E402
from ingest.structure import extract_structure  # noqa: E402
from assistant.core.structure import KINDS  # noqa: E402

KIND_NAMES = {"enumeration": "Opsomming", "definition": "Definitie", "responsibility": "Verantwoordelijkheid",
              "contact": "Contactgegeven", "quantity": "Termijn/bedrag"}


def _meta(path: Path) -> DocMeta:
    try:
        metas, _ = load_manifest(path.parent)
    except ManifestError:
        metas = []
    for meta in metas:
        if meta.file == path.name:
            return meta
    return DocMeta(doc_id=path.stem, file=path.name, title=path.stem)


def _describe(record) -> list[str]:
    where = f"p. {record.page}" if record.page is not None else "zonder pagina"
    section = " > ".join(record.section_path[-2:])
    head = f"[{KIND_NAMES[record.kind]}] {where} | {section}"
    if record.kind == "enumeration":
        lines = [head, f"  titel: {record.title}  ({record.source}, {len(record.items)} items)"]
        lines += [f"  - {item.text}" for item in record.items]
        return lines
    if record.kind == "definition":
        body = f"  {record.term} = {record.definition}  ({record.form})"
    elif record.kind == "responsibility":
        body = f"  wie: {record.party} | wat: {record.duty}  ({record.form}: {record.cue})"
    elif record.kind == "contact":
        owner = f"{record.owner} (uit {record.owner_from})" if record.owner else "onbekend"
        body = f"  {record.channel}: {record.value} | van: {owner}"
    else:
        value = f"{record.value:g}" if record.value is not None else "?"
        upper = f"-{record.end_value:g}" if record.end_value is not None else ""
        body = f"  {record.measure}: {record.text} = {value}{upper} {record.unit} | over: {' '.join(record.about)}"
        if record.anchor:
            body += f" | vanaf: {record.anchor}"
    return [head, body, f"  citaat: “{record.quotes[-1].text[:200]}”"]


def _timed(doc):
    started = time.perf_counter()
    structure = extract_structure(doc)
    return structure, time.perf_counter() - started


def _counts(files: list[Path]) -> int:
    """One line per document: records per kind and the extraction time (word lists loaded first)."""
    from ingest.structure.words import structure_words

    structure_words()
    print("document".ljust(56) + "".join(k[:13].rjust(15) for k in KINDS) + "ms".rjust(8))
    failed = 0
    for path in files:
        try:
            doc = clean_document(load(path, _meta(path)))
        except LoadError as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            failed += 1
            continue
        structure, seconds = _timed(doc)
        counts = structure.counts()
        print(path.name[:55].ljust(56) + "".join(str(counts[k]).rjust(15) for k in KINDS) + f"{seconds * 1000:8.0f}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Toon de afgeleide structuur van één document.")
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="het document (.pdf, .docx, .txt, .md)")
    parser.add_argument("--kind", choices=KINDS, help="alleen dit soort records")
    parser.add_argument("--json", action="store_true", help="de records als JSON")
    parser.add_argument("--counts", action="store_true", help="alleen het aantal records per soort en de tijd")
    args = parser.parse_args()
    if args.counts or len(args.files) > 1:
        return _counts(args.files)
    try:
        doc = clean_document(load(args.files[0], _meta(args.files[0])))
    except LoadError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    structure, seconds = _timed(doc)
    records = [r for r in structure.records if args.kind is None or r.kind == args.kind]
    if args.json:
        print(json.dumps([r.model_dump() for r in records], ensure_ascii=False, indent=1))
        return 0
    for record in records:
        print("\n".join(_describe(record)))
    counts = ", ".join(f"{KIND_NAMES[k].lower()}: {n}" for k, n in structure.counts().items())
    print(f"\n{doc.meta.doc_id}: {counts} (afgeleid in {seconds * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
