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
