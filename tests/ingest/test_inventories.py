"""Loading and validation: a broken file or record gives a Dutch error naming file and record."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.records import InventoryError
from ingest.inventories import load_inventories

GOOD_ARRANGEMENT = """
- id: goed-record
  name: De Trimaran
  kind: pilot
  region: Alkmaar
  school_levels: [PO]
  source:
    doc: alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt
    quote: De Kanzklas voor kinderen met ernstige meervoudige beperkingen
"""

REGIONS = """
regions:
- id: regio-alkmaar
  name: Alkmaar
  kind: jeugdhulpregio
  gemeenten: [{name: Castricum}]
  source:
    doc: alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt
    quote: De gemeenten Castricum en Uitgeest nemen in de samenwerking een bijzondere positie in.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _error(folder: Path) -> InventoryError:
    with pytest.raises(InventoryError) as info:
        load_inventories(folder)
    return info.value


def test_valid_minimal_inventory_loads(tmp_path):
    folder = _write(tmp_path, "arrangements.yaml", "arrangements:" + GOOD_ARRANGEMENT)
    _write(folder, "regions.yaml", REGIONS)
    inventory = load_inventories(folder)
    assert [a.id for a in inventory.arrangements] == ["goed-record"]
    assert inventory.regions[0].gemeenten[0].name == "Castricum"


def test_missing_field_names_file_record_and_field(tmp_path):
    broken = GOOD_ARRANGEMENT + GOOD_ARRANGEMENT.replace("goed-record", "kapot").replace("  name: De Trimaran\n", "")
    error = _error(_write(tmp_path, "arrangements.yaml", "arrangements:" + broken))
    message = str(error)
    assert message.startswith("arrangements.yaml: record 2 (id 'kapot')")
    assert "veld 'name': verplicht veld ontbreekt" in message
    assert error.file == "arrangements.yaml" and error.record == "kapot"


def test_wrong_type_and_unknown_level_are_reported_in_dutch(tmp_path):
    text = GOOD_ARRANGEMENT.replace("school_levels: [PO]", "school_levels: PO")
    message = str(_error(_write(tmp_path / "a", "arrangements.yaml", text)))
    assert "id 'goed-record'" in message and "veld 'school_levels': moet een lijst zijn" in message
    text = GOOD_ARRANGEMENT.replace("school_levels: [PO]", "school_levels: [HAVO]")
    message = str(_error(_write(tmp_path / "b", "arrangements.yaml", text)))
    assert "veld 'school_levels.0': ongeldige waarde 'HAVO'" in message


def test_bad_yaml_names_file_and_line(tmp_path):
    text = GOOD_ARRANGEMENT + "- id: x\n  name: [niet afgesloten\n"
    message = str(_error(_write(tmp_path, "contacts.yaml", "contacts:" + text)))
    assert message.startswith("contacts.yaml: ongeldige YAML (regel")


def test_record_without_id_is_named_by_position(tmp_path):
    text = GOOD_ARRANGEMENT + GOOD_ARRANGEMENT.replace("- id: goed-record\n  name", "- name")
    message = str(_error(_write(tmp_path, "arrangements.yaml", text)))
    assert "arrangements.yaml: record 2 (zonder id)" in message and "veld 'id': verplicht veld ontbreekt" in message


def test_record_that_is_not_a_mapping(tmp_path):
    message = str(_error(_write(tmp_path, "actions.yaml", "actions:\n- gewoon een zin\n")))
    assert message == "actions.yaml: record 1 (zonder id): een record moet een mapping zijn, geen str"


def test_quote_rules_short_and_multiline(tmp_path):
    text = GOOD_ARRANGEMENT.replace("De Kanzklas voor kinderen met ernstige meervoudige beperkingen", "De Kanzklas")
    message = str(_error(_write(tmp_path / "a", "arrangements.yaml", text)))
    assert "veld 'source.quote': te kort (11 tekens" in message
    text = GOOD_ARRANGEMENT.replace("    quote: De Kanzklas voor kinderen met ernstige meervoudige beperkingen",
                                    '    quote: "De Kanzklas voor kinderen\\nmet ernstige meervoudige beperkingen"')
    message = str(_error(_write(tmp_path / "b", "arrangements.yaml", text)))
    assert "het citaat moet op één regel staan" in message


def test_unknown_region_and_duplicate_id(tmp_path):
    folder = _write(tmp_path / "a", "arrangements.yaml", GOOD_ARRANGEMENT.replace("region: Alkmaar", "region: Utrecht"))
    _write(folder, "regions.yaml", REGIONS)
    assert "onbekende regio 'Utrecht'" in str(_error(folder))
    folder = _write(tmp_path / "b", "arrangements.yaml", GOOD_ARRANGEMENT)
    _write(folder, "actions.yaml", """
- id: goed-record
  action: Iets doen
  region: Alkmaar
  source: {doc: x.txt, quote: 'een citaat van genoeg lengte'}
""")
    assert "id komt dubbel voor (ook in arrangements.yaml)" in str(_error(folder))


def test_unknown_field_is_rejected(tmp_path):
    text = GOOD_ARRANGEMENT.replace("  kind: pilot\n", "  kind: pilot\n  telefoon: 012-3456789\n")
    assert "veld 'telefoon': onbekend veld" in str(_error(_write(tmp_path, "arrangements.yaml", text)))


def test_glossary_definition_needs_a_source_and_undefined_terms_have_none(tmp_path):
    folder = _write(tmp_path / "a", "glossary.yaml", "glossary:\n- {id: oza, term: OZA, expansion: onderwijs-zorgarrangement}\n")
    assert "heeft een source nodig" in str(_error(folder))
    folder = _write(tmp_path / "b", "glossary.yaml",
                    "glossary:\n- {id: oza, term: OZA, defined_in_source: false, expansion: onderwijs-zorgarrangement}\n")
    assert "defined_in_source: false heeft geen source, expansion of definition" in str(_error(folder))


def test_missing_directory(tmp_path):
    assert "bestaat niet" in str(_error(tmp_path / "nergens"))


def test_gemeente_outside_the_records_region(tmp_path):
    text = GOOD_ARRANGEMENT.replace("  school_levels: [PO]\n", "  school_levels: [PO]\n  gemeenten: [Delft]\n")
    folder = _write(tmp_path, "arrangements.yaml", text)
    _write(folder, "regions.yaml", REGIONS)
    assert "gemeente 'Delft' hoort volgens regions.yaml niet bij Alkmaar" in str(_error(folder))


LIST = """
lists:
- id: alk-voorbeeld
  title: Voorbeeldlijst
  region: Alkmaar
  count: {count}
  source:
    doc: alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt
    quote: De gemeenten Castricum en Uitgeest nemen in de samenwerking een bijzondere positie in.
  items:
  - text: Castricum
    source: {{doc: alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt, quote: 'De gemeenten Castricum en Uitgeest nemen'}}
{more}
"""


def test_list_record_loads_with_its_items(tmp_path):
    more = ("  - text: Uitgeest\n    detail: bijzondere positie\n"
            "    source: {doc: alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt, quote: 'De gemeenten Castricum en Uitgeest'}")
    folder = _write(tmp_path, "lists.yaml", LIST.format(count=2, more=more))
    _write(folder, "regions.yaml", REGIONS)
    inventory = load_inventories(folder)
    assert [i.text for i in inventory.lists[0].items] == ["Castricum", "Uitgeest"]
    assert len(inventory.lists[0].sources) == 3  # the list's own quote and one per item
    assert inventory.records("list") == inventory.lists


def test_list_with_one_item_or_a_wrong_count_is_refused(tmp_path):
    folder = _write(tmp_path, "lists.yaml", LIST.format(count=2, more=""))
    _write(folder, "regions.yaml", REGIONS)
    error = _error(folder)
    assert error.file == "lists.yaml" and error.record == "alk-voorbeeld"
    assert "items" in str(error) and "te weinig items" in str(error)
    more = ("  - text: Uitgeest\n"
            "    source: {doc: alkmaar-uitvoeringsagenda-onderwijs-jeugd.txt, quote: 'De gemeenten Castricum en Uitgeest'}")
    _write(folder, "lists.yaml", LIST.format(count=3, more=more))
    assert "count is 3, maar er staan 2 items" in str(_error(folder))
