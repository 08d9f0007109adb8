"""Reading the curated inventories (corpus/inventories/*.yaml) into a validated :class:`Inventory`.

Six files, one record kind each (see :mod:`assistant.core.records`). A broken file or record
raises :class:`InventoryError` with a Dutch message naming the file and the record; the ingest
reports it and keeps the previous records.

Example::

    inv = load_inventories(Path("corpus/inventories"))
    len(inv.lists)
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.core.records import KINDS, MODELS, Inventory, InventoryError
from assistant.core.yamlio import safe_load

FILES: dict[str, str] = {"arrangement": "arrangements.yaml", "action": "actions.yaml", "contact": "contacts.yaml",
                         "region": "regions.yaml", "glossary": "glossary.yaml", "list": "lists.yaml"}
_LIST_KEYS: dict[str, tuple[str, ...]] = {"arrangement": ("arrangements",), "action": ("actions",),
                                          "contact": ("contacts",), "region": ("regions",),
                                          "glossary": ("glossary", "terms"), "list": ("lists",)}


def load_inventories(directory: Path) -> Inventory:
    """Load and validate every inventory file in ``directory``; a missing file counts as empty.

    Raises InventoryError (Dutch message naming file and record) on bad YAML, a missing or
    mistyped field, a duplicate id or a region name that regions.yaml does not define.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InventoryError(f"map met inventarissen bestaat niet: {directory}")
    loaded = {kind: parse_records(kind, directory / FILES[kind]) if (directory / FILES[kind]).is_file() else []
              for kind in KINDS}
    inventory = Inventory(arrangements=loaded["arrangement"], actions=loaded["action"], contacts=loaded["contact"],
                          regions=loaded["region"], glossary=loaded["glossary"], lists=loaded["list"])
    seen: dict[str, str] = {}
    for kind in KINDS:
        for record in loaded[kind]:
            if record.id in seen:
                raise InventoryError(f"{FILES[kind]}: record '{record.id}': id komt dubbel voor "
                                     f"(ook in {seen[record.id]})", file=FILES[kind], record=record.id)
            seen[record.id] = FILES[kind]
    if inventory.regions:
        known = {r.name for r in inventory.regions}
        for kind in ("arrangement", "action", "contact", "glossary", "list"):
            for record in loaded[kind]:
                unknown = [n for n in record.region_names if n not in known]
                if unknown:
                    raise InventoryError(f"{FILES[kind]}: record '{record.id}': onbekende regio {unknown[0]!r} "
                                         f"(regions.yaml kent: {', '.join(sorted(known))})",
                                         file=FILES[kind], record=record.id)
                region = inventory.region(record.region_names[0]) if record.region_names else None
                named = [*getattr(record, "gemeenten", []), *getattr(record, "exclude_gemeenten", [])]
                stray = [g for g in named if region and g not in {m.name for m in region.gemeenten}]
                if stray:
                    raise InventoryError(f"{FILES[kind]}: record '{record.id}': gemeente {stray[0]!r} hoort volgens "
                                         f"regions.yaml niet bij {region.name}", file=FILES[kind], record=record.id)
    return inventory


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
        return safe_load(path.read_text(encoding="utf-8"))
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
