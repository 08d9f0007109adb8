"""THE quote test: every source quote of every inventory record lies verbatim on one line of its file."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from ingest.inventories import load_inventories

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
INVENTORY = load_inventories(CORPUS / "inventories")
RECORDS = INVENTORY.records()


@lru_cache(maxsize=None)
def _lines(doc: str) -> tuple[str, ...]:
    return tuple((CORPUS / doc).read_text(encoding="utf-8").split("\n"))


def test_every_kind_has_records():
    for kind in ("arrangement", "action", "contact", "region", "glossary", "list"):
        assert INVENTORY.records(kind), f"geen records van soort {kind}"


@pytest.mark.parametrize("kind", ["arrangement", "action", "contact", "region", "glossary", "list"])
def test_quote_is_verbatim_on_one_line(kind):
    """Every quote (source, extra_sources, used_in, bodies, notes) lies on one line of its corpus file."""
    problems = []
    checked = 0
    for record in INVENTORY.records(kind):
        for source in record.sources:
            checked += 1
            if not (CORPUS / source.doc).is_file():
                problems.append(f"{record.id}: bronbestand {source.doc} ontbreekt")
            elif not 15 <= len(source.quote) <= 200 or "\n" in source.quote:
                problems.append(f"{record.id}: citaat van {len(source.quote)} tekens")
            elif not any(source.quote in line for line in _lines(source.doc)):
                problems.append(f"{record.id}: citaat staat niet op één regel van {source.doc}: {source.quote!r}")
    assert checked > 0
    assert not problems, "\n".join(problems)


def test_sources_are_documents_of_the_manifest():
    files = {d["file"] for d in yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]}
    used = {s.doc for r in RECORDS for s in r.sources}
    assert used <= files, used - files


def test_contact_details_are_never_invented():
    """Every phone number, e-mail, address and website of a contact occurs in one of its own quotes."""
    with_details = [c for c in INVENTORY.contacts if c.details]
    assert with_details, "de NK-contactgegevens ontbreken"
    for contact in with_details:
        quoted = " ".join(re.sub(r"\s+", " ", s.quote) for s in contact.sources)
        for value in contact.details.model_dump().values():
            if value:
                for part in re.split(r",\s*", value):
                    assert part in quoted, f"{contact.id}: {part!r} staat niet in een citaat van dit record"


def test_no_phone_numbers_outside_quoted_details():
    """Digits that look like a phone number appear only in contact details backed by a quote."""
    phone = re.compile(r"\(?0\d{2,3}\)?[ -]?\d{2}[ -]?\d{2}[ -]?\d{2,3}")
    for record in RECORDS:
        dump = record.model_dump(exclude={"source", "extra_sources", "used_in", "details", "bodies", "notes",
                                          "other_gemeenten"})
        assert not phone.search(str(dump)), f"{record.id}: telefoonnummer buiten de contactgegevens"
