"""Dutch text analysis shared by the BM25 index, query normalisation and answer scoring.

One analyzer for both sides of lexical retrieval: what a document says and what a coach types
go through the same folding, stop-word removal and ``dutch_porter`` stemming. The domain's
abbreviations and their written-out forms (OZA / onderwijs-zorgarrangement, TLV /
toelaatbaarheidsverklaring, J&G coach / Jeugd&Gezinscoach ...) are mapped to one concept tag
on both sides, so either spelling finds the other.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from stop_words import get_stop_words

# Concept groups: every surface form (regex, matched on folded text) adds the concept tag.
# Keep forms specific; they run over documents and queries alike.
CONCEPTS: dict[str, list[str]] = {
    "oza": [r"\boza'?s?\b", r"\boja'?s?\b", r"onderwijs-?\s?zorg-?\s?arrangement", r"onderwijszorg\s?arrangement",
            r"onderwijs-?\s?jeugdhulp-?\s?arrangement", r"zorg-?onderwijs-?aanbod", r"onderwijs-zorg pilots?"],
    "swv": [r"\bswv'?(en|s)?\b", r"samenwerkingsverband(en)?", r"\bsamenwerkingsverbnd\b"],
    "tlv": [r"\btlv'?s?\b", r"toelaatbaarheidsverklaring(en)?", r"toelaatbaarheid"],
    "cvt": [r"\bcvt\b", r"commissie van toewijzing"],
    "jgcoach": [r"\bj\s?&\s?g[- ]?coach(es)?\b", r"jeugd\s?&\s?gezins\s?coach(es)?", r"jeugd- en gezinscoach(es)?",
                r"\bjg[- ]?coach(es)?\b", r"\bj&g\b", r"jeugdconsulent(en)?", r"\bvo-coaches\b"],
    "opp": [r"\bopp'?s?\b", r"ontwikkelings?perspectiefplan", r"\btop[- ]?dossier"],
    "jop": [r"\bjop\b", r"jeugdondersteuningsplan", r"jeugd ondersteunings ?plan"],
    "oogo": [r"\boogo\b", r"op overeenstemming gericht(e)? overleg"],
    "mdo": [r"\bmdo'?s?\b", r"multidisciplinai?r(e)? overleg"],
    "lokaalteam": [r"\blokale? teams?\b", r"\bwijkteams?\b", r"\bcjg\b", r"\bskt\b", r"\bjeugdteams?\b",
                   r"\bjeugd- en gezinsteams?\b", r"\bsociaal kernteam\b"],
    "thuiszit": [r"thuiszit\w*", r"thuis zit\w*", r"thuiszitters?pact", r"\bzit(ten)? (\w+ ){0,3}thuis\b"],
    "vrijstelling5a": [r"\b5\s?a\b", r"artikel 5a", r"vrijstelling(en)?"],
    # coaches say "we lopen vast", "komen er niet uit"; the plans say stagnatie, escalatie, opschalen
    "doorbraak": [r"doorbraak\s?aanpak", r"escalatie\w*", r"opschal\w*", r"perspectieftafel", r"actietafel",
                  r"stagnatie", r"\bvast\s?(ge)?lop\w*", r"\b(lopen|loopt|liepen) (\w+ ){0,3}vast\b",
                  r"\ber niet uit(komen|komt|kwamen)?\b", r"\bhet niet eens (worden|zijn|is)\b",
                  r"\b(worden|zijn|is) het (\w+ )?niet eens\b"],
    "leerplicht": [r"leerplicht\w*", r"\bleerplein\b", r"\brbl\b", r"verzuim\w*"],
    "jgz": [r"\bjgz\b", r"jeugdgezondheidszorg", r"\bggd\b", r"jeugdverpleegkundige\w*", r"jeugdarts\w*"],
    "smw": [r"\bsmw(-?ers?)?\b", r"schoolmaatschappelijk\w*"],
    "kdc": [r"\bkdc'?s?\b", r"kinderdag\s?centr\w*"],
    "po": [r"\bpo\b", r"primair onderwijs", r"basisonderwijs", r"basisschol\w*", r"basisschool"],
    "vo": [r"\bvo\b", r"voortgezet onderwijs", r"middelbare school", r"\bvo-school\w*"],
    "vso": [r"\bvso\b", r"voortgezet speciaal onderwijs", r"\(v\)so"],
    "so": [r"\bso\b", r"speciaal onderwijs", r"\(v\)so"],
    "sbo": [r"\bsbo\b", r"speciaal basisonderwijs"],
    "pro": [r"\bpro\b", r"praktijkonderwijs", r"praktijkschool"],
    "mbo": [r"\bmbo\b", r"middelbaar beroepsonderwijs"],
    "kernteam": [r"\bkernteams?\b", r"\bzat\b", r"zorg advies team", r"ondersteuningsteams?"],
    "consulent": [r"consulent(en)? passend onderwijs", r"\bconsulent(en)?\b"],
    "grens": [r"grensverkeer", r"buiten de woongemeente", r"andere gemeente", r"woongemeente"],
    "verantwoordelijk": [r"verantwoordelijk\w*", r"verantwoordleijk\w*", r"\bwie\b", r"regie\b", r"\bpakt\b"],
    "geld": [r"\bbetaa?l\w*", r"financier\w*", r"bekostig\w*", r"subsidie\w*", r"\bkosten\b", r"\bbudget\w*",
             r"middelen"],
    # a plan is "vastgesteld" by a college that "stemt in met" it
    "vaststelling": [r"\bvast\s?(ge)?stel\w*", r"\bvaststelling\w*", r"\bin te stemmen\b", r"\bingestemd\b",
                     r"\binstemm\w*", r"\bstemt (\w+ )?in\b"],
    "procedure": [r"\broute\b", r"procedure\w*", r"\baanvra(ag|gen)\w*", r"toewijzing\w*", r"\bstappen\b"],
    "zk": [r"zuid-?\s?kennemerland", r"\bzk\b"],
    "nk": [r"noord-?\s?kennemerland", r"\bnk\b"],
    "hgl": [r"haaglanden", r"\bhgl\b", r"\bh3\b", r"\bh8\b"],
}

_CONCEPT_RE = {tag: re.compile("|".join(f"(?:{p})" for p in pats)) for tag, pats in CONCEPTS.items()}
CONCEPT_PREFIX = "§"

# Query-side expansions for the dense model: e5 knows Dutch but not every abbreviation.
EXPANSIONS: dict[str, str] = {
    "oza": "onderwijs-zorgarrangement", "ozas": "onderwijs-zorgarrangementen",
    "oja": "onderwijs-jeugdhulparrangement", "ojas": "onderwijs-jeugdhulparrangementen",
    "swv": "samenwerkingsverband", "tlv": "toelaatbaarheidsverklaring", "cvt": "Commissie van Toewijzing",
    "opp": "ontwikkelingsperspectiefplan", "oogo": "op overeenstemming gericht overleg",
    "mdo": "multidisciplinair overleg", "jgz": "jeugdgezondheidszorg", "smw": "schoolmaatschappelijk werk",
    "kdc": "kinderdagcentrum", "po": "primair onderwijs", "vo": "voortgezet onderwijs",
    "so": "speciaal onderwijs", "vso": "voortgezet speciaal onderwijs", "sbo": "speciaal basisonderwijs",
    "pro": "praktijkonderwijs", "mbo": "middelbaar beroepsonderwijs", "cjg": "centrum voor jeugd en gezin",
    "zk": "Zuid-Kennemerland", "nk": "Noord-Kennemerland", "hgl": "Haaglanden",
    "j&g": "jeugd- en gezinscoach", "jg": "jeugd- en gezinscoach", "rbl": "Leerplein",
    "skt": "lokaal team", "5a": "vrijstelling artikel 5a Leerplichtwet", "jop": "Jeugdondersteuningsplan",
}

_TOKEN_RE = re.compile(r"[0-9a-z§]+(?:[&][0-9a-z]+)?")


def fold(text: str | None) -> str:
    """Lowercase, NFKC, strip diacritics, unify quotes; keeps ``&``, ``-`` and spaces.

    The one form in which words and names are compared anywhere in Wegwijs.
    """
    text = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.lower().replace("’", "'").replace("‘", "'")


_local = threading.local()


def _stemmer():
    """One stemmer per thread: snowball stemmers keep state and break when shared (API under load)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch_porter")
    return stemmer


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = {fold(w) for w in get_stop_words("dutch")}
    # question words and chat filler carry no topic; keep 'wie'/'waar' out of the index anyway
    words |= {"welke", "welk", "wat", "hoe", "waar", "wanneer", "waarom", "wie", "er", "we", "jullie", "ik",
              "graag", "even", "eigenlijk", "precies", "kun", "kunnen", "moet", "moeten", "mag", "dan", "nu",
              "regio", "gemeente", "gemeenten", "s"}
    return frozenset(words)


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def concept_tags(folded: str) -> list[str]:
    """Concept tags whose surface forms occur in already folded text."""
    return [CONCEPT_PREFIX + tag for tag, rx in _CONCEPT_RE.items() if rx.search(folded)]


def words(text: str) -> list[str]:
    """Folded surface words (no stemming, no stop-word removal)."""
    return _TOKEN_RE.findall(fold(text))


def analyze(text: str, with_concepts: bool = True) -> list[str]:
    """Tokens for BM25: folded, stop words dropped, ``dutch_porter`` stems, plus concept tags.

    Hyphenated compounds yield their parts and the joined form, so ``onderwijs-zorgarrangementen``
    matches ``zorgarrangement`` and ``onderwijszorgarrangementen`` alike.
    """
    folded = fold(text).replace("%", " procent ")
    stops = stop_words()
    tokens: list[str] = []
    for match in re.finditer(r"[0-9a-z]+(?:-[0-9a-z]+)*", folded):
        piece = match.group(0)
        parts = piece.split("-")
        if len(parts) > 1:
            tokens.append(stem("".join(parts)))
        tokens.extend(stem(p) for p in parts if p not in stops and (len(p) > 1 or p.isdigit()))
    if with_concepts:
        tokens.extend(concept_tags(folded))
    return tokens


@lru_cache(maxsize=200_000)
def lemma_stem(word: str) -> str:
    """Stem of the dictionary form: 'vastgesteld' -> 'vaststell', 'organiseert' -> 'organiser'.

    Porter alone leaves Dutch participles and verb forms apart from their infinitive; simplemma
    (bundled lexicon, offline) brings them together first.
    """
    import simplemma

    lemma = simplemma.lemmatize(word, lang="nl").replace("_", "")
    return stem(fold(lemma))


def lemma_terms(text: str) -> list[str]:
    """Lemma stems of the content words of ``text`` (stop words dropped), in order."""
    stops = stop_words()
    return list(dict.fromkeys(lemma_stem(w) for w in words(text) if w not in stops and (len(w) > 2 or w.isdigit())))


def match_terms(text: str) -> set[str]:
    """Everything a passage can be matched on: BM25 terms, concept tags and lemma stems."""
    return set(analyze(text)) | set(lemma_terms(text))


def squash(text: str) -> str:
    """Letters and digits only, folded: for matching quotes across hyphenation and spacing."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def query_words(text: str) -> list[str]:
    """The words of a query for record lookup: folded, '&' dropped (J&G -> jg), split on everything else."""
    return re.findall(r"[a-z0-9@]+", fold(text).replace("&", ""))


def words_of(text: str) -> set[str]:
    """The words of a record: each hyphenated or apostrophed word whole (joined) and in parts."""
    folded = fold(text).replace("&", "")
    found: set[str] = set()
    for token in re.findall(r"[a-z0-9@]+(?:['\-][a-z0-9@]+)*", folded):
        parts = re.split(r"['\-]", token)
        found.update(p for p in parts if p)
        found.add("".join(parts))
    return found


def analysis_version() -> str:
    """Hash of the text analysis (this module and the lexicon it reads): BM25 tokens made with
    another version no longer match the questions' tokens."""
    import hashlib

    digest = hashlib.sha256(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]
