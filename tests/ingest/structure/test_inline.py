"""Enumerations inside one sentence, on seed snippets and external-dev pages."""

from __future__ import annotations

from structure_support import HANDLEIDING, SCHAKELTEAMS, doc_from_text, external, seed

from ingest.structure.inline import extract_inline_lists


def _titled(enums, start: str):
    found = [e for e in enums if e.title.startswith(start)]
    assert found, f"no list titled {start!r}: {[e.title[:40] for e in enums]}"
    return found[0]


def _texts(enum) -> list[str]:
    return [item.text for item in enum.items]


def test_inline_lists_after_a_colon_and_in_running_text():
    schakel = _titled(extract_inline_lists(external(SCHAKELTEAMS)), "Het schakelteam bestaat uit drie medewerkers")
    assert _texts(schakel) == ["één met een GGZ-achtergrond", "één met opbouwwerkachtergrond",
                               "één ervaringsdeskundige met kennis van de wijk"]
    wet = _titled(extract_inline_lists(external(HANDLEIDING)), "Voorliggende voorzieningen")
    assert _texts(wet) == ["Wlz", "Zorgverzekeringswet", "Wmo"]
    nk = extract_inline_lists(seed("nk_commissie.txt"))
    assert _texts(_titled(nk, "De Commissie van Toewijzing toetst alle aanvragen op")) == [
        "ontvankelijkheid", "volledigheid", "navolgbaarheid", "transparantie"]
    assert _texts(_titled(nk, "De CvT bestaat uit kernleden")) == [
        "een voorzitter", "een orthopedagoog/psycholoog", "een niet adviserende secretaris"]


def test_commas_of_quoted_speech_and_of_clauses_are_no_inline_list():
    doc = doc_from_text("“Dan zat ik alleen thuis, met mijn zoon, mijn dochter en de kat.”\n\n"
                        "Om dit te bereiken, zouden we de kenmerken, wensen en samenstelling per wijk in kaart moeten "
                        "brengen.\n\nEr is één plan, op basis van integraal arrangeren, voor thuis en school.")
    assert extract_inline_lists(doc) == []
