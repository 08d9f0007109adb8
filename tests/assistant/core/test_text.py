"""Query normalisation: coaches' words land on the concepts the plans use."""

from __future__ import annotations

import pytest

from assistant.core.text import CONCEPT_PREFIX, concept_tags, fold


@pytest.mark.parametrize(("text", "tag"), [
    ("leerling zit al weken thuis", "thuiszit"),
    ("thuiszitterts in zk", "thuiszit"),
    ("we lopen helemaal vast met alle partijen", "doorbraak"),
    ("als de mensen op de werkvloer er niet uitkomen", "doorbraak"),
    ("school en lokaal team worden het niet eens", "doorbraak"),
    ("om stagnatie te doorbreken", "doorbraak"),
    ("wie zit er in de cvt", "cvt"),
    ("wanneer heeft haarlem het vastgesteld?", "vaststelling"),
    ("Besluit: In te stemmen met het Jeugdondersteuningsplan", "vaststelling"),
    ("het college heeft ingestemd met de agenda", "vaststelling"),
])
def test_colloquial_forms_get_the_concept(text, tag):
    assert CONCEPT_PREFIX + tag in concept_tags(fold(text))


@pytest.mark.parametrize(("text", "tag"), [
    ("de leerling zit op school in thuisnabij onderwijs", "thuiszit"),
    ("dat is niet eens bekend", "doorbraak"),
    ("vaste lasten van de school", "doorbraak"),
    ("een vaste stelregel op school", "vaststelling"),
    ("om te stemmen is een meerderheid nodig", "vaststelling"),
])
def test_ordinary_sentences_do_not(text, tag):
    assert CONCEPT_PREFIX + tag not in concept_tags(fold(text))


def test_the_c_stemmer_gives_the_python_stemmer_s_stems():
    """PyStemmer replaces snowballstemmer only because it stems alike (scripts/check_stemmer.py
    checks every corpus word; this checks the words of the domain's hardest suffixes)."""
    import snowballstemmer

    from assistant.core.text import stem, tokens

    sample = tokens(fold("onderwijszorgarrangementen toelaatbaarheidsverklaringen thuiszitters "
                         "samenwerkingsverbanden jeugdhulpaanbieders vastgesteld organiseert "
                         "ondersteuningsbehoeften geïndiceerde leerlingen ouders scholen cliëntondersteuning "
                         "2022 5a vrijstellingen zorgcoördinatoren gemeentelijke verantwoordelijkheid"))
    python = snowballstemmer.stemmer("dutch_porter")
    assert [stem(w) for w in sample] == python.stemWords(sample)


def _fold_reference(text):
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.lower().replace("’", "'").replace("‘", "'")


@pytest.mark.parametrize("text", ["Het Samenwerkingsverband (SWV) & de Gemeente: 5A-2022!", "",
                                  "Cliëntondersteuning ‘ﬁjn’ na\u00adzorg – Ⅳ café", "ÉÉN coördinator’s"])
def test_fold_fast_paths_equal_the_full_normalisation(text):
    assert fold(text) == _fold_reference(text)


def test_words_split_as_before():
    from assistant.core.text import _split

    assert _split("a-b'c", "-'") == ["a", "b", "c"]
    assert _split("jeugdhulp", "-'") == ["jeugdhulp"]
    assert _split("", "-") == []
    assert _split("--a--", "-") == ["a"]
