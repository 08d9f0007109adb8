"""A tiny invented corpus, indexed with the deterministic fake embedder, for fast answer-path tests.

Two regions (Noordwaard with the gemeenten Eikendorp and Lindehaven, Zuiderveld with Nieuw
Beukenstad) that exist nowhere but here, four short documents and a small
inventory (the two regions, one contact route, one enumeration). The
index is real (:func:`ingest.pipeline.run_ingest` with :class:`fakes.HashEmbedder`), so every
test reads the same chunks, sentence spans and vectors the engine would; ``unit/conftest.py``
builds it once per session.

Helpers build hand-made :class:`QueryAnalysis` objects and :class:`Candidate` sentences from it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.answer.evidence import Candidate
from assistant.core.index import Index
from assistant.core.settings import Settings
from assistant.core.types import Hit, QueryAnalysis
from assistant.query.intent import classify

PLAN = """# Ondersteuningsplan Noordwaard 2023-2026

## Thuiszitters

In het schooljaar 2022-2023 waren er 42 thuiszitters in de regio Noordwaard. Het samenwerkingsverband wil het aantal thuiszitters in vier jaar halveren.

## Wachttijd jeugdhulp

De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken. Scholen melden een leerling aan via het loket van de gemeente.

## Contact

Het Loket Passend Onderwijs is bereikbaar via telefoon 020-1234567 en per e-mail via loket@noordwaard.example.nl. De commissie van het loket vergadert elke maand.

## Pijlers

Het plan rust op drie pijlers:

- Vroegsignalering op school door de intern begeleider.
- Samenwerking met de wijkteams van de gemeenten.
- Een dekkend aanbod voor elke leerling in de regio.
"""

BESLUIT = """Collegebesluit Zuiderveld jeugdhulp

Het college van Nieuw Beukenstad heeft op 14 maart 2022 ingestemd met het jeugdplan Zuiderveld.

Het budget voor de schoolmaatschappelijk werkers bedraagt 250.000 euro per jaar.

De contactpersoon voor het jeugdplan is Marit Okkerse, coordinator jeugd bij de gemeente.

Het jeugdplan loopt van 2022 tot en met 2025 en wordt elk jaar geëvalueerd.

Is de leerling jonger dan 16 jaar? Dan tekent de ouder met gezag het plan ook.

Voor het jeugdplan hebben scholen een account nodig. Vraag er hiervoor een aan bij de gemeente.
"""

AGENDA = """# Uitvoeringsagenda Noordwaard

## Doelen

3. Thuiszitten is geen optie voor een leerling die ondersteuning nodig heeft.

In 2023 hebben 17 gemeenten het convenant over vroegsignalering ondertekend en de afspraken daarover vastgelegd; daarnaast doen de scholen in de regio mee aan de training.

## Ondersteuning

Scholen kunnen voor ondersteuning terecht bij het wijkteam van de woongemeente. Het wijkteam bespreekt de vraag binnen twee weken met de ouders en de school. Het wijkteam is bereikbaar op 020-7654321.

## Acties

| Actie | Wie | Wanneer |
| --- | --- | --- |
| Training vroegsignalering voor mentoren | Het wijkteam | Schooljaar 2024 |
| Overleg over verzuim met leerplicht | De leerplichtambtenaar | Elk kwartaal |
"""

# a long passage of plain sentences, so one question can draw on more passages than an answer cites
SCHOOLS = "\n\n".join(
    f"## Onderwerp {word}\n\nDe scholen bespreken {word} met de ouders en het wijkteam in de regio Noordwaard."
    for word in ("taal", "rekenen", "gedrag", "verzuim", "welzijn", "sport"))

DOCUMENTS = {
    "noordwaard-plan.md": ("nw-plan", "Ondersteuningsplan Noordwaard", "Noordwaard", ["Eikendorp", "Lindehaven"],
                           PLAN),
    "zuiderveld-besluit.txt": ("zv-besluit", "Collegebesluit jeugdplan Zuiderveld", "Zuiderveld",
                               ["Nieuw Beukenstad"], BESLUIT),
    "noordwaard-agenda.md": ("nw-agenda", "Uitvoeringsagenda Noordwaard", "Noordwaard", ["Eikendorp", "Lindehaven"],
                             AGENDA),
    "noordwaard-scholen.md": ("nw-scholen", "Scholen in Noordwaard", "Noordwaard", ["Eikendorp", "Lindehaven"],
                              "# Scholen in Noordwaard\n\n" + SCHOOLS + "\n"),
}

LISTS = {"lists": [{
    "id": "nw-pijlers",
    "title": "Pijlers van het ondersteuningsplan",
    "aliases": ["pijlers"],
    "region": "Noordwaard",
    "source": {"doc": "noordwaard-plan.md", "quote": "Het plan rust op drie pijlers:"},
    "items": [
        {"text": "Vroegsignalering op school",
         "source": {"doc": "noordwaard-plan.md", "quote": "Vroegsignalering op school door de intern begeleider."}},
        {"text": "Samenwerking met de wijkteams",
         "source": {"doc": "noordwaard-plan.md", "quote": "Samenwerking met de wijkteams van de gemeenten."}},
        {"text": "Een dekkend aanbod",
         "source": {"doc": "noordwaard-plan.md", "quote": "Een dekkend aanbod voor elke leerling in de regio."}},
    ],
}]}

# a real Dutch gemeente (the gazetteer knows it) that no document of the tiny corpus covers
PLACE_WITHOUT_PLAN = "utrecht"


REGIONS = {"regions": [
    {"id": "regio-noordwaard", "name": "Noordwaard", "kind": "regio onderwijs-jeugd",
     "gemeenten": [{"name": "Eikendorp"}, {"name": "Lindehaven"}],
     "source": {"doc": "noordwaard-plan.md",
                "quote": "In het schooljaar 2022-2023 waren er 42 thuiszitters in de regio Noordwaard."}},
    {"id": "regio-zuiderveld", "name": "Zuiderveld", "kind": "jeugdhulpregio",
     "gemeenten": [{"name": "Nieuw Beukenstad"}],
     "source": {"doc": "zuiderveld-besluit.txt",
                "quote": "Het college van Nieuw Beukenstad heeft op 14 maart 2022 ingestemd met het jeugdplan "
                         "Zuiderveld."}},
]}

CONTACTS = {"contacts": [{
    "id": "nw-wijkteam", "region": "Noordwaard", "need": "jeugdhulp voor een leerling",
    "needs": ["jeugdhulp", "zorgen"], "party": "het wijkteam van de woongemeente",
    "applies_to": "scholen in Noordwaard", "route_by": "woongemeente",
    "details": {"phone": "020-7654321"},
    "source": {"doc": "noordwaard-agenda.md",
               "quote": "Scholen kunnen voor ondersteuning terecht bij het wijkteam van de woongemeente."},
}]}


def write_corpus(root: Path, inventories: bool = True) -> Path:
    """The invented corpus (with its manifest, and optionally its inventory) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    documents = []
    for name, (doc_id, title, region, gemeenten, text) in DOCUMENTS.items():
        (root / name).write_text(text, encoding="utf-8")
        documents.append({"doc_id": doc_id, "file": name, "title": title, "region": region,
                          "gemeenten": gemeenten, "year": "2023", "doc_type": "plan"})
    (root / "manifest.yaml").write_text(yaml.safe_dump({"documents": documents}, allow_unicode=True),
                                        encoding="utf-8")
    if inventories:
        (root / "inventories").mkdir(exist_ok=True)
        for name, records in (("lists", LISTS), ("regions", REGIONS), ("contacts", CONTACTS)):
            (root / "inventories" / f"{name}.yaml").write_text(yaml.safe_dump(records, allow_unicode=True),
                                                               encoding="utf-8")
    return root


def build_settings(root: Path, inventories: bool = True) -> Settings:
    """Settings over a fresh index of the invented corpus, built with the fake embedder."""
    from fakes import HashEmbedder
    from ingest.pipeline import run_ingest

    # everything that could come from the environment is fixed: no LLM, no reranker, embedded Chroma
    settings = Settings(data_dir=root / "data", corpus_dir=write_corpus(root / "corpus", inventories),
                        llm_base_url=None, reranker_model_path=None, chroma_mode="embedded", vector_cache=None)
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    return settings


def plan_assistant(root: Path, file_name: str, text: str):
    """An assistant over a corpus of one plan (no manifest entry, no inventory), fake embedder."""
    from fakes import HashEmbedder
    from assistant.answer.engine import Assistant
    from ingest.pipeline import run_ingest

    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / file_name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=root / "data", corpus_dir=corpus, llm_base_url=None)
    run_ingest(settings, embedder=HashEmbedder(), progress=False)
    return Assistant(settings, embedder=HashEmbedder()).warm_up()


def analysis(question: str, **fields) -> QueryAnalysis:
    """A hand-built analysis: the question's real intent, no regions or places unless given
    (``regions=[...]``, ``unknown_places=[...]``, ``repairs={...}`` ... set any field)."""
    intent = classify(question, fields.get("rewritten", question))
    base = dict(question=question, rewritten=question, regions=[], levels=[], unknown_places=[],
                intent=intent, bm25_tokens=[], dense_text=question)
    base.update(fields)
    return QueryAnalysis(**base)


def hits_of(index: Index, *chunk_ids: str) -> list[Hit]:
    """Hits for the given chunks, in the given order (scores falling)."""
    return [Hit(chunk=index.chunks[index.by_id[cid]], score=1.0 - n / 10) for n, cid in enumerate(chunk_ids)]


def hits_with(index: Index, *fragments: str) -> list[Hit]:
    """Hits for the document passages holding each fragment, in the order of the fragments."""
    return hits_of(index, *[c.chunk_id for f in fragments for c in index.chunks if f in c.text and c.kind != "record"])


def chunk_holding(index: Index, fragment: str) -> int:
    """The position of the one document passage that holds ``fragment``."""
    found = [i for i, c in enumerate(index.chunks) if fragment in c.text and c.kind != "record"]
    assert len(found) == 1, (fragment, [index.chunks[i].chunk_id for i in found])
    return found[0]


def candidate(index: Index, fragment: str, score: float = 0.5, hit_rank: int = 0) -> Candidate:
    """The indexed sentence holding ``fragment``, as a scored candidate of the composer."""
    ci = chunk_holding(index, fragment)
    text = index.chunks[ci].text
    spans, _ = index.sentences_of(ci)
    start, end = next((a, b) for a, b in spans if fragment in text[a:b])
    return Candidate(hit_rank, ci, start, end, text[start:end].strip(), score, score, 0.0)


def markers(text: str) -> set[int]:
    """Every citation number an answer text uses ("[2]", "[1, 3]")."""
    return {int(n) for group in re.findall(r"\[(\d+(?:,\s*\d+)*)\]", text) for n in re.split(r",\s*", group)}
