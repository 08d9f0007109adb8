"""Dutch sentence spans, abbreviation-aware, on sentences from the corpus."""

from __future__ import annotations

from ingest.sentences import split_sentences


def _split(text: str) -> list[str]:
    spans = split_sentences(text)
    for a, b in spans:
        assert text[a:b] == text[a:b].strip() and text[a:b]
    return [text[a:b] for a, b in spans]


def test_abbreviations_do_not_end_sentences():
    text = ("Verdere uitwerking hiervan, w.o. het formuleren van onderzoeksvragen, wordt besproken. "
            "Kwalitatieve evaluatie n.a.v. doorbraakaanpak. Besluit College d.d. 25 januari 2022. "
            "Hanneke van Noort i.s.m. gemeenten, o.a. voor bijv. het VO en bv. het PO. "
            "Afspraken m.b.t. de TLV, i.r.t. passend onderwijs c.q. jeugdhulp. Zie art. 5a Leerplichtwet. "
            "Jeugdondersteuningsplan 2022 e.v. wordt vastgesteld.")
    assert _split(text) == [
        "Verdere uitwerking hiervan, w.o. het formuleren van onderzoeksvragen, wordt besproken.",
        "Kwalitatieve evaluatie n.a.v. doorbraakaanpak.",
        "Besluit College d.d. 25 januari 2022.",
        "Hanneke van Noort i.s.m. gemeenten, o.a. voor bijv. het VO en bv. het PO.",
        "Afspraken m.b.t. de TLV, i.r.t. passend onderwijs c.q. jeugdhulp.",
        "Zie art. 5a Leerplichtwet.",
        "Jeugdondersteuningsplan 2022 e.v. wordt vastgesteld.",
    ]


def test_numbers_initials_and_questions():
    text = ("Programma 2.2 Voorzieningen Jeugd valt onder Botter, J. en H.P. Siebinga. Afspraken gereed t/m 2025. "
            "Wat vinden we eigenlijk nog normaal? En hoe zorgen we voor elkaar? Doe het nu!")
    assert _split(text) == [
        "Programma 2.2 Voorzieningen Jeugd valt onder Botter, J. en H.P. Siebinga.",
        "Afspraken gereed t/m 2025.",
        "Wat vinden we eigenlijk nog normaal?",
        "En hoe zorgen we voor elkaar?",
        "Doe het nu!",
    ]


def test_blocks_are_never_joined_and_rows_and_items_are_one_sentence():
    row = ("Actie: Project Versterken kernteams | Wie: Kernteampartners (stuurgroep) | Waarom: Door verbeterde "
           "samenwerking tijdig de juiste inzet. Inzet jeugdhulp via huisarts verminderen. | Wanneer: Lopend")
    item = "• Kwalitatieve evaluatie binnen project versterken kernteams. Analyse op wijk/schoolniveau."
    heading = "3.3. Inschakelen lokale teams"
    text = f"{heading}\n\n{row}\n\n{item}\n\nEerste zin. Tweede zin"
    assert _split(text) == [heading, row, item, "Eerste zin.", "Tweede zin"]


def test_spans_point_into_the_original_text():
    text = "  Eén zin.   Nog één…  Laatste  "
    assert _split(text) == ["Eén zin.", "Nog één…", "Laatste"]
    assert split_sentences("") == [] and split_sentences("   \n\n ") == []
