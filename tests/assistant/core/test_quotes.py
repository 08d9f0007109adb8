"""``find_quote`` finds a quote in squashed passage texts; ``quote_extent`` says where it lies."""

from __future__ import annotations

from assistant.core.quotes import CELL_JOIN, find_quote, quote_extent, squashed_positions
from assistant.core.text import squash

PASSAGES = [(7, squash("Inleiding. Het Leerplein van de gemeente regelt de leerplicht.")),
            (9, squash("Actie: Overzicht opstellen | Wie: Platform Jeugd | Waarom: Opschalingssystematiek."))]


def test_a_quote_is_found_across_spacing_and_hyphenation_and_its_extent_is_that_of_the_quote():
    key, part = find_quote(PASSAGES, "Het Leer-\nplein van de  gemeente")
    assert key == 7 and part == "Het Leer-\nplein van de  gemeente"
    start, end = quote_extent(PASSAGES[0][1], part)
    assert PASSAGES[0][1][start:end] == squash("Het Leerplein van de gemeente")


def test_a_quote_across_table_cells_is_found_in_the_row_holding_its_cells_in_order():
    key, part = find_quote(PASSAGES, "Platform Jeugd  Opschalingssystematiek")
    assert key == 9 and part == f"Platform Jeugd{CELL_JOIN}Opschalingssystematiek"
    start, end = quote_extent(PASSAGES[1][1], part)
    text = PASSAGES[1][1]
    assert text[start:].startswith(squash("Platform Jeugd")) and text[:end].endswith(squash("Opschalingssystematiek"))
    assert find_quote(PASSAGES, "Opschalingssystematiek  Platform Jeugd") is None  # cells out of order


def test_a_short_or_absent_quote_is_not_found():
    assert find_quote(PASSAGES, "regelt de") is None  # under 12 letters would match anywhere
    assert find_quote(PASSAGES, "Deze zin staat in geen van beide passages.") is None


def test_squashed_positions_map_every_letter_back_to_the_text():
    text = "Het Plan- en Aanvraag  Jeugdhulp (café): 12 jaar!"
    squashed, positions = squashed_positions(text)
    assert squashed == "".join(squash(ch) for ch in text) == "hetplanenaanvraagjeugdhulpcafe12jaar"
    assert len(positions) == len(squashed)
    assert all(letter in squash(text[at]) for letter, at in zip(squashed, positions))
    start = squashed.index("cafe")
    assert text[positions[start]:positions[start + 3] + 1] == "café"
    assert squashed_positions(text) is squashed_positions(text)  # cached
