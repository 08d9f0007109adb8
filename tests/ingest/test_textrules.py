"""One test per text-level cleaning rule, on snippets copied from the corpus."""

from __future__ import annotations

from collections import Counter

from ingest_support import corpus_vocabulary

from ingest.clean import checkbox_header_lines, join_lines
from ingest.pages import is_footer_line, running_footers
from ingest.textrules import (
    build_vocabulary,
    clean_text,
    is_checkbox_line,
    is_lone_page_number,
    join_hyphenated,
    normalize_unicode,
    repair_inline_hyphen,
    repair_split_ij,
    strip_footnote_refs,
)


def test_vocabulary_counts_inline_compounds_but_not_line_end_fragments():
    vocab = build_vocabulary(["financiering van onder-\nwijs-zorgarrangementen bezien", "de samen-\nwerking"])
    assert vocab["wijs-zorgarrangementen"] == 1 and vocab["zorgarrangementen"] == 1
    assert "onder-" not in vocab and "onder" not in vocab and "samen" not in vocab


def test_dehyphenation_joins_line_break_hyphen_known_from_corpus():
    # 001 line 3-4: "... en het onder-" / "wijs. De basisgedachte ..."
    vocab = corpus_vocabulary()
    assert join_lines("binnen het sociaal domein en het onder-", "wijs. De basisgedachte", vocab) == (
        "binnen het sociaal domein en het onderwijs. De basisgedachte"
    )
    # 002: "blauw-" / "druk." -> blauwdruk
    assert join_lines("stevige toekomst heeft geen blauw-", "druk. Het is een kunst", vocab).endswith(
        "geen blauwdruk. Het is een kunst"
    )


def test_dehyphenation_keeps_real_compounds():
    vocab = corpus_vocabulary()
    # 000 line 234: "Normale hobbels in het opvoeden- en" / "opgroeien": next word "en"
    assert join_lines("Normale hobbels in het opvoeden-", "en opgroeien", vocab) == "Normale hobbels in het opvoeden- en opgroeien"
    # 000 line 415-416: "namens onderwijs PO-" / "ZK": capital continuation
    assert join_lines("namens onderwijs PO-", "ZK", vocab) == "namens onderwijs PO-ZK"
    # 002: "directeur-" / "bestuurder": the hyphenated form is what the corpus uses
    assert vocab["directeur-bestuurder"] > 0 and vocab["directeurbestuurder"] == 0
    assert join_lines("aan de directeur-", "bestuurder. Dit proces", vocab) == "aan de directeur-bestuurder. Dit proces"
    # 001 line 300-301: "financiering van onder-" / "wijs-zorgarrangementen" keeps the inner hyphen
    assert join_lines("in de financiering van onder-", "wijs-zorgarrangementen bezien", vocab) == (
        "in de financiering van onderwijs-zorgarrangementen bezien"
    )


def test_dehyphenation_defaults_to_joining_unknown_lowercase_words():
    assert join_hyphenated("een zeld-", "zame situatie", Counter()) == "een zeldzame situatie"


def test_dehyphenation_keeps_hyphen_inside_web_address():
    # 004 Bronnen: ".../voorhang-onderwijs-" / "arrangementen-naar-de-tweede-kamer"
    left = "https://www.steunpuntpassendonderwijs-povo.nl/document/voorhang-onderwijs-"
    assert join_hyphenated(left, "arrangementen-naar-de", corpus_vocabulary()).endswith("voorhang-onderwijs-arrangementen-naar-de")


def test_inline_hyphen_space_is_repaired_only_when_the_corpus_knows_the_word():
    vocab = corpus_vocabulary()
    # 001 line 394: "passend maatwerkaanbod be- schikbaar"
    assert repair_inline_hyphen("een passend maatwerkaanbod be- schikbaar, waarbij", vocab) == (
        "een passend maatwerkaanbod beschikbaar, waarbij"
    )
    # 001 line 245: "directeur- bestuurders" stays; so does "opvoeden- en"
    assert repair_inline_hyphen("de directeur- bestuurders van", vocab) == "de directeur- bestuurders van"
    assert repair_inline_hyphen("het opvoeden- en opgroeien", vocab) == "het opvoeden- en opgroeien"


def test_split_ij_is_repaired():
    # 002 lines 1418-1429
    raw = ("Wat zi jn aandachtspunten? Wi j kiezen voor een gemeenschappeli jk kwaliteitskader, zo veel mogeli jk "
           "in het hart van het onderwi js: het dageli jkse onderwi jsproces. Hierbi j; bi j; ti jdens; de prakti jk.")
    assert repair_split_ij(raw, corpus_vocabulary()) == (
        "Wat zijn aandachtspunten? Wij kiezen voor een gemeenschappelijk kwaliteitskader, zo veel mogelijk "
        "in het hart van het onderwijs: het dagelijkse onderwijsproces. Hierbij; bij; tijdens; de praktijk."
    )


def test_split_ij_repair_leaves_real_words_alone():
    vocab = corpus_vocabulary()
    for text in ["Partners i jeugdhulp", "de taxi jaagt", "mini jongerenraad", "Bijlage i j k"]:
        assert repair_split_ij(text, vocab) == text


def test_running_footer_with_glued_page_number_is_recognised():
    lines = ["22Ondersteuningsplan 2019 | 2022", "text", "57Ondersteuningsplan 2019 | 2022", "1 Beleid met betrekking tot"]
    footers = running_footers(lines)
    assert footers == {"Ondersteuningsplan 2019 | 2022"}
    assert is_footer_line("28Ondersteuningsplan 2019 | 2022", footers)
    assert not is_footer_line("1 Beleid met betrekking tot", footers)
    assert not is_footer_line("3.4.Verstopte onderwijs- en jeugdhulpketen", footers)


def test_lone_page_numbers_and_checkboxes():
    assert is_lone_page_number("6") and is_lone_page_number("12 ")
    assert not is_lone_page_number("2021/2022") and not is_lone_page_number("6. We zoeken de ruimte")
    assert is_checkbox_line("□") and is_checkbox_line("*") and is_checkbox_line(" □ □ ")
    assert not is_checkbox_line("* Samen keuzes maken")


def test_checkbox_column_headers_are_learned_from_the_runs_they_head():
    # 002 bijlage 2: the header above every checkbox run
    block = ["f. Middelen die toegekend zijn voor", "daarvoor ingezet", "", "Aspecten In ont-", "wikkeling", "",
             "Aanwezig", "", "□", "", "□", "*"]
    words = checkbox_header_lines(block + block)
    assert {"Aspecten", "ont-", "wikkeling", "Aanwezig"} <= words
    assert "ingezet" not in words


def test_footnote_reference_digits_are_stripped_only_for_existing_footnotes():
    text = "meer ondersteuning1. Waar de ... vrijstellingen 5a3 en OP27 en onderwijs2 gespecialiseerd"
    assert strip_footnote_refs(text, {1, 3}) == "meer ondersteuning. Waar de ... vrijstellingen 5a en OP27 en onderwijs2 gespecialiseerd"


def test_unicode_is_normalised_but_dutch_letters_and_quotes_stay():
    assert normalize_unicode("e\u0301e\u0301n\u00a0ﬁets ‘kansencirkel’ “quote”") == "één fiets ‘kansencirkel’ “quote”"
    assert clean_text("Een  continuüm   van  zorg ,  ‘poreuze randen’ .") == "Een continuüm van zorg, ‘poreuze randen’."
