"""resolve_contact(): the route for one pupil as the sources describe it, nothing invented."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.inventory.resolve import resolve_contact
from ingest.inventories import load_inventories
from assistant.inventory.resolve import need_categories

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
INV = load_inventories(CORPUS / "inventories")


def _by_id(resolution) -> dict:
    return {r.record_id: r for r in resolution.routes}


def _assert_sourced(resolution):
    for route in resolution.routes:
        text = (CORPUS / route.source.doc).read_text(encoding="utf-8")
        assert route.source.quote in text


def test_delft_pupil_at_school_in_den_haag_goes_to_the_lokale_team_of_delft():
    res = resolve_contact(INV, "Delft", "Den Haag", need="jeugdhulp")
    assert res.known and res.woonregio == ["Haaglanden"] and res.schoolregio == ["Haaglanden"]
    routes = _by_id(res)
    team = routes["hgl-lokaal-team-woongemeente"]
    assert team.party == "het lokale team van de gemeente waar de leerling woont"
    assert team.gemeente == "Delft" and team.based_on == "woongemeente"
    assert routes["hgl-beschikking-lokale-consulent"].gemeente == "Delft"
    assert not [r for r in res.routes if r.based_on == "woongemeente" and r.gemeente != "Delft"]
    assert routes["hgl-smw-schakel-grensverkeer"].gemeente == "Den Haag"
    notes = " ".join(n.text for n in res.notes)
    assert "Grensverkeer: de leerling woont in Delft en gaat naar school in Den Haag" in notes
    assert "smw-er op school de schakel zijn naar het lokale team van de woongemeente" in notes
    assert "het lokale team van de gemeente waar de leerling woont (woongemeente Delft" in res.message
    _assert_sourced(res)


def test_delft_den_haag_passend_onderwijs_follows_the_school():
    res = resolve_contact(INV, "Delft", "Den Haag", need="TLV aanvragen")
    parties = [r.party for r in res.routes]
    assert "de samenwerkingsverbanden SPPOH en ZHW" in parties
    assert "PPO Delflanden en VO Delflanden" not in parties
    assert not [r for r in res.routes if "lokale team" in r.party]


def test_heemstede_pupil_at_school_in_haarlem():
    res = resolve_contact(INV, "Heemstede", "Haarlem")
    assert res.known and res.woonregio == res.schoolregio == ["Zuid-Kennemerland"]
    routes = _by_id(res)
    assert routes["zk-gemeente-jeugdhulp"].gemeente == "Heemstede"
    assert routes["zk-cjg-heemstede"].party == "CJG Heemstede"
    assert routes["zk-kernteam-van-de-school"].gemeente == "Haarlem"
    assert routes["zk-escalatie-kernteams"].party.startswith("kernteam → projectgroep kernteams → stuurgroep kernteams")
    assert "Leerplein" in routes["zk-leerplein"].party
    assert any("Grensverkeer" in n.text and "(Heemstede)" in n.text for n in res.notes)
    assert "Haarlemmermeer" not in res.message  # no note about another gemeente
    _assert_sourced(res)


def test_castricum_special_position():
    res = resolve_contact(INV, "Castricum")
    assert res.known and res.woonregio == ["Alkmaar"]
    routes = _by_id(res)
    assert routes["alk-castricum-uitgeest-passend-onderwijs"].party == "de samenwerkingsverbanden Midden-Kennemerland en IJmond"
    assert routes["alk-toegang-jeugdhulp-lokaal"].gemeente == "Castricum"
    assert "alk-tlv-samenwerkingsverband" not in routes
    assert not [r for r in res.routes if r.region == "Noord-Kennemerland"]
    assert any("bijzondere positie" in n.text for n in res.notes)
    assert "Midden-Kennemerland en IJmond" in res.message


def test_unknown_gemeente_gives_no_party():
    res = resolve_contact(INV, "Utrecht", need="jeugdhulp")
    assert not res.known and res.routes == [] and res.records == []
    assert res.message.startswith("Utrecht komt in de bronnen van Wegwijs niet voor")
    assert "noemt daarom geen lokaal team" in res.message
    assert not re.search(r"\d{3}", res.message)  # no phone numbers or addresses
    both = resolve_contact(INV, "Utrecht", "Amersfoort")
    assert not both.known and "Utrecht en Amersfoort" in both.message


def test_unknown_woongemeente_with_known_school_names_no_jeugdhulp_party():
    res = resolve_contact(INV, "Utrecht", "Den Haag", need="jeugdhulp")
    assert res.known and res.routes == []
    assert any("Utrecht komt in de bronnen niet voor" in n.text for n in res.notes)


def test_lansingerland_is_mentioned_but_outside_the_regions():
    res = resolve_contact(INV, "Lansingerland")
    assert not res.known and res.routes == []
    assert "buiten regio Haaglanden" in res.message
    assert res.notes[0].source.doc == "haaglanden-onderwijs-jeugdhulp.txt"


def test_velsen_only_for_vo():
    assert not resolve_contact(INV, "Velsen", level="PO").known
    assert resolve_contact(INV, "Velsen", level="VO").known


def test_alkmaar_vo_tlv_gives_nk_cvt_and_the_sourced_contact_details():
    res = resolve_contact(INV, "Alkmaar", need="toelaatbaarheidsverklaring", level="VO")
    routes = _by_id(res)
    assert routes["nk-tlv-cvt"].party == "de Commissie van Toewijzing (CvT) van het samenwerkingsverband"
    details = routes["nk-secretariaat"].details if "nk-secretariaat" in routes else None
    team = routes["nk-team-passend-onderwijs"].details
    assert team.email == "loketpao@swvnk.nl" and team.phone == "(072) 79 20 101"
    assert details is None or details.address == "Hertog Aalbrechtweg 5, 1823 DL Alkmaar"


def test_need_categories():
    assert need_categories("escalatie als samenwerking vastloopt") >= {"escalatie"}
    assert "verzuim" in need_categories("5a vrijstelling")
    assert "tlv" in need_categories("TLV / toelaatbaarheid")
    assert "thuiszitter" in need_categories("thuiszitter")
    assert "jeugdhulp" in need_categories("welk lokaal team moeten we bellen")
    assert need_categories(None) == set()


def test_routes_that_fit_the_question_come_first():
    """Coaches describe the situation, not the need tag: 'zit al weken thuis' is about a thuiszitter."""
    res = resolve_contact(INV, "Zandvoort", need="leerling uit zandvoort zit al weken thuis. wie moet ik erbij halen?")
    assert res.routes and "Leerplein" in res.routes[0].party, [r.party for r in res.routes]
    assert all({"thuiszitter", "verzuim"} & set(r.needs) for r in res.routes), [r.needs for r in res.routes]
    res = resolve_contact(INV, "Bergen", need="ouders hebben vragen over de ondersteuning van hun kind op een vo school")
    parties = [r.party for r in res.routes]
    first_swv = next(i for i, p in enumerate(parties) if "passend onderwijs" in p.lower())
    first_mdo = next((i for i, p in enumerate(parties) if "MDO" in p), len(parties))
    assert first_swv < first_mdo, parties
