"""lookup(): filters by kind, region (names, aliases, gemeenten), gemeente, level and free text."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.inventory.lookup import lookup
from assistant.inventory.regions import gemeenten, parse_levels, region_for_gemeente
from ingest.inventories import load_inventories

INV = load_inventories(Path(__file__).resolve().parents[3] / "corpus" / "inventories")


def ids(records) -> list[str]:
    return [r.id for r in records]


def test_region_for_gemeente_and_gemeenten():
    assert region_for_gemeente("heemstede", INV) == ["Zuid-Kennemerland"]
    assert region_for_gemeente("RIJSWIJK", INV) == ["Haaglanden"]
    assert region_for_gemeente("Alkmaar", INV) == ["Alkmaar", "Noord-Kennemerland"]
    assert region_for_gemeente("Castricum", INV) == ["Alkmaar"]
    assert region_for_gemeente("Midden Delfland", INV) == ["Haaglanden"]
    assert region_for_gemeente("Utrecht", INV) == []
    assert region_for_gemeente("Lansingerland", INV) == []
    assert gemeenten("ZK", INV) == ["Bloemendaal", "Haarlem", "Haarlemmermeer", "Heemstede", "Velsen", "Zandvoort"]
    assert gemeenten("Noord-Kennemerland", INV) == ["Alkmaar", "Bergen", "Heiloo", "Langedijk", "Heerhugowaard"]
    assert len(gemeenten("haaglanden", INV)) == 10
    assert gemeenten("Utrecht", INV) == []


def test_alkmaar_is_ambiguous_unless_the_region_is_named():
    both = {r.region for r in lookup(INV, kind="arrangement", region="alkmaar")}
    assert both == {"Alkmaar", "Noord-Kennemerland"}
    assert {r.region for r in lookup(INV, kind="arrangement", region="regio Alkmaar")} == {"Alkmaar"}
    assert {r.region for r in lookup(INV, kind="arrangement", region="NK")} == {"Noord-Kennemerland"}


def test_region_by_gemeente_name():
    assert {r.region for r in lookup(INV, region="heemstede")} == {"Zuid-Kennemerland"}
    assert {r.region for r in lookup(INV, kind="contact", region="Rijswijk")} == {"Haaglanden"}
    assert lookup(INV, region="Utrecht") == []


def test_vo_pilots_in_regio_alkmaar():
    found = lookup(INV, kind="arrangement", region="regio Alkmaar", level="VO")
    assert ids(found) == ["alk-vo-jggz-in-vo-en-mbo", "alk-vo-oza-spinaker", "alk-vo-skills-nhn"]
    assert [r.name for r in found] == ["J-GGZ in het VO en in het MBO (VO)", "OZA Spinaker VO",
                                       "Skills Noord-Holland Noord"]


def test_level_parsing_and_v_so():
    assert parse_levels("(V)SO") == {"SO", "VSO"}
    assert parse_levels("vo") == {"VO"}
    assert parse_levels("basisonderwijs") == {"PO"}
    assert parse_levels("PO, VO") == {"PO", "VO"}
    found = ids(lookup(INV, kind="arrangement", region="Haaglanden", level="(V)SO"))
    assert "hgl-kraaijnest-ipse" in found and "hgl-oja-shadow-begeleiding-cluster-4" in found
    assert "hgl-pom-westland" not in found and "hgl-sbo-avontuur-prodeba" not in found
    assert lookup(INV, kind="arrangement", level="HAVO") == []


def test_gemeente_filter_keeps_region_wide_and_own_records():
    found = ids(lookup(INV, kind="contact", gemeente="westland"))
    assert "hgl-skt-westland" in found and "hgl-swv-westland-spow" in found
    assert "hgl-lokaal-team-woongemeente" in found  # region-wide rule applies to Westland too
    assert "hgl-swv-h3" not in found and "hgl-swv-delflanden" not in found
    castricum = ids(lookup(INV, kind="contact", gemeente="Castricum"))
    assert "alk-castricum-uitgeest-passend-onderwijs" in castricum
    assert "alk-tlv-samenwerkingsverband" not in castricum  # excluded: other SWV's for Castricum
    assert not [r for r in lookup(INV, gemeente="Castricum") if r.region == "Noord-Kennemerland"]
    assert ids(lookup(INV, kind="region", gemeente="Heiloo")) == ["regio-alkmaar", "regio-noord-kennemerland"]
    assert lookup(INV, gemeente="Utrecht") == []


def test_gemeente_scope_by_level_velsen_is_vo_only():
    assert lookup(INV, kind="contact", gemeente="Velsen", level="PO") == []
    assert "zk-kernteam-van-de-school" in ids(lookup(INV, kind="contact", gemeente="Velsen", level="VO"))


def test_text_with_typo_accents_and_case():
    assert set(ids(lookup(INV, kind="arrangement", text="spinakr"))) == {"alk-vo-oza-spinaker", "nk-ontw-spinaker-parlan"}
    assert "alk-vo-oza-spinaker" in ids(lookup(INV, text="Spinakr"))
    assert ids(lookup(INV, kind="arrangement", region="regio alkmaar", text="spinakr")) == ["alk-vo-oza-spinaker"]
    assert ids(lookup(INV, kind="action", text="onderwijs-zorgcontinuum")) == ["zk-ua-overzicht-onderwijs-zorgcontinuum"]
    assert "zk-ua-doorbraakaanpak" in ids(lookup(INV, kind="action", text="DOORBRAAKAANPAK"))
    assert ids(lookup(INV, kind="arrangement", text="esdege")) == ["alk-po-de-boog"]
    assert lookup(INV, text="zwembadvervoer") == []


def test_text_combines_with_filters_and_synonyms():
    found = ids(lookup(INV, kind="arrangement", region="regio alkmaar", level="VO", text="OZA pilots"))
    assert found and set(found) <= {"alk-vo-jggz-in-vo-en-mbo", "alk-vo-oza-spinaker", "alk-vo-skills-nhn"}
    assert "alk-vo-oza-spinaker" in found
    assert ids(lookup(INV, kind="glossary", text="TLV"))[0] == "tlv"
    assert "hgl-swv-h3" in ids(lookup(INV, kind="contact", text="samenwerkingsverband Rijswijk"))


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="Onbekende soort"):
        lookup(INV, kind="persoon")
