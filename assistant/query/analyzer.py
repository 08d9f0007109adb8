"""Understanding a question as coaches type it: regions, typos, compounds, follow-ups.

``QueryAnalyzer.analyze(question, history, region)`` returns what retrieval and answering need:
the rewritten question (follow-ups resolved), the regions to search (explicit, or inferred from
gemeente and region names), the BM25 tokens and the text for the dense model (abbreviations
expanded, typos and split/joined compounds repaired against the index vocabulary), and the kind
of fact the question asks for (phone number, amount, date ...), which decides refusals.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz, process

from assistant.core.text import EXPANSIONS, analyze, fold, stop_words, words
from assistant.core.types import DocMeta, Message, QueryAnalysis

# Region aliases beyond the manifest's region and gemeente names (folded keys).
REGION_ALIASES: dict[str, list[str]] = {
    "zk": ["Zuid-Kennemerland"], "zuid-kennemerland": ["Zuid-Kennemerland"], "zuid kennemerland": ["Zuid-Kennemerland"],
    "haarlemmerliede": ["Zuid-Kennemerland"], "spaarnwoude": ["Zuid-Kennemerland"],
    "nk": ["Noord-Kennemerland"], "noord-kennemerland": ["Noord-Kennemerland"],
    "noord kennemerland": ["Noord-Kennemerland"], "swvnk": ["Noord-Kennemerland"],
    "hgl": ["Haaglanden"], "haaglanden": ["Haaglanden"], "h3": ["Haaglanden"], "den haag": ["Haaglanden"],
    "'s-gravenhage": ["Haaglanden"], "leidschendam": ["Haaglanden"], "voorburg": ["Haaglanden"],
    "nootdorp": ["Haaglanden"], "pijnacker": ["Haaglanden"], "midden delfland": ["Haaglanden"],
    "regio alkmaar": ["Alkmaar"], "castricum": ["Alkmaar"], "uitgeest": ["Alkmaar"],
}

# Places that Wegwijs has no plan for: a question about them alone is refused, not guessed.
UNKNOWN_PLACES = [
    "utrecht", "amsterdam", "rotterdam", "eindhoven", "groningen", "tilburg", "almere", "breda", "nijmegen",
    "arnhem", "twente", "enschede", "zwolle", "leiden", "maastricht", "apeldoorn", "amersfoort", "den bosch",
    "'s-hertogenbosch", "dordrecht", "friesland", "limburg", "brabant", "zeeland", "drenthe", "flevoland",
    "gelderland", "overijssel", "west-friesland", "hoorn", "zaanstad", "purmerend", "gouda", "hilversum",
    "lelystad", "emmen", "venlo", "deventer", "helmond", "middelburg", "den helder", "schagen", "ijmond",
    "beverwijk", "heemskerk", "amstelveen", "hoofddorp", "lansingerland", "zaandam", "rijnmond", "drechtsteden",
]

LEVELS = {"po": "PO", "vo": "VO", "so": "SO", "vso": "VSO", "sbo": "SBO", "pro": "PrO", "mbo": "MBO",
          "basisschool": "PO", "basisonderwijs": "PO", "middelbare": "VO", "kinderopvang": "kinderopvang"}

# What kind of fact a question asks for, and the evidence an answer needs to contain.
ANSWER_TYPES: list[tuple[str, re.Pattern, re.Pattern]] = [
    ("phone", re.compile(r"telefoon|\bnummer\b|\btel\b|06-?nummer|bel(len)? .*nummer"),
     re.compile(r"(?<![\d/.])\(?0\d{2,3}\)?[ -]?\d{2,3}[ -]?\d{2}[ -]?\d{2,3}(?![\d/])")),
    ("email", re.compile(r"e-?mail|mailadres"), re.compile(r"@")),
    ("address", re.compile(r"\badres\b|bezoekadres|postadres"), re.compile(r"\b\d{4}\s?[A-Z]{2}\b")),
    ("money", re.compile(r"budget|\beuro|bedrag|hoeveel geld|\bkost(en)?\b|subsidiebedrag|€"),
     re.compile(r"€|\beuro\b|miljoen|\bduizend\b")),
    ("duration", re.compile(r"wachttijd|wachtlijst.*(lang|weken)|hoeveel (weken|dagen|maanden|jaar|tijd)|"
                            r"binnen hoeveel|in weken|in dagen|hoe ?lang duurt"),
     re.compile(r"\b(\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf)\s+(dagen|weken|maanden|jaar)\b")),
    ("period", re.compile(r"hoe ?lang|welke periode|looptijd|van wanneer tot"),
     re.compile(r"\b(\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf)\s+(dagen|weken|maanden|jaar)\b|"
                r"\b(19|20)\d{2}\b|tot en met|\bt/m\b")),
    ("person", re.compile(r"\bnaam\b|\bhoe heet\b|contactpersoon|wie is de (directeur|voorzitter|coordinator|wethouder|"
                          r"burgemeester|manager|projectleider|kwartiermaker|secretaris|bestuurder)"),
     re.compile(r"\b[A-Z][a-z]+ (van |de |van der )?[A-Z][a-z]+\b")),
    ("age", re.compile(r"leeftijd|hoe oud|welke leeftijden"),
     re.compile(r"\b\d{1,2}\s*(tot|en|-|t/m)\s*\d{1,2}\b|\b\d{1,2}\s*\+|\b\d{1,2} jaar\b")),
    ("count", re.compile(r"\bhoeveel\b|\baantal\b"),
     re.compile(r"(?<![\d/])(?!(?:19|20)\d{2}\b)\d+([.,]\d+)*(?![\w])\s*%?(?!\s*(jaar|maanden|weken|dagen))|"
                r"\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|honderd|duizend)\b"
                r"(?!\s*(jaar|maanden|weken|dagen))")),
    ("date", re.compile(r"\bwanneer\b|\bdatum\b|welk jaar|sinds wanneer|per wanneer"),
     re.compile(r"\b(19|20)\d{2}\b|wanneer:|doorlopend|schooljaar|januari|februari|maart|april|mei|juni|juli|"
                r"augustus|september|oktober|november|december")),
]

_FOLLOWUP_START = re.compile(r"^(en|maar|ook|dus|of)\b|^(en )?(wie|wat|hoe|waar|wanneer)\s+(betaalt|doet|is|zit|zijn)"
                             r"\s+(dat|dit|die|daar|het|ze|zij)\b")
# lines of a Wegwijs answer that frame it rather than say something: the lead, the origin lines
_SCAFFOLD = re.compile(r"^(Dit zeggen de bronnen\b.*:|Volgens .*:|Voor een leerling .* deze route:|"
                       r"Dat staat niet in de bronnen\b.*|Wat het dichtst in de buurt komt:.*|- In het document \(.*)$")
_PRONOUNS = re.compile(r"\b(dat|dit|die|daar|daarin|daarvoor|daarvan|hun|zij|ze|hetzelfde|deze)\b")


# "wat betekent OOGO", "waar staat TLV voor", "wat bedoelen ze met H3", "wat valt onder X": what a term
# means ("valt Castricum onder SWV NK?" asks whether a place belongs, not what SWV means)
_DEFINITION = re.compile(r"\bbetek\w*|\bstaat\b.*\bvoor\b\s*\??$|\bafkorting|\bbedoel\w*|\bbegrip|"
                         r"^\W*(wat|wie) (is|zijn) (een |de |het )?[\w&'-]+( [\w&'-]+)?\s*\??$|\buitleg\b|\bdefinitie|"
                         r"\bwat valt (er )?onder\b|\bverstaa?n\b")


class QueryAnalyzer:
    """Turns a raw question (plus history) into a :class:`QueryAnalysis`.

    Built once per index from the manifest (regions and gemeenten) and the index vocabulary.
    """

    def __init__(self, metas: list[DocMeta], vocabulary: Counter[str]) -> None:
        self.regions = sorted({m.region for m in metas if m.region and m.region != "onbekend"})
        places: dict[str, set[str]] = {}
        for meta in metas:
            if not meta.region or meta.region == "onbekend":
                continue
            places.setdefault(fold(meta.region), set()).add(meta.region)
            for gemeente in meta.gemeenten:
                places.setdefault(fold(gemeente), set()).add(meta.region)
        for alias, regions in REGION_ALIASES.items():
            places.setdefault(alias, set()).update(r for r in regions if r in self.regions)
        # longest names first so "den haag" wins over "haag", "zuid-kennemerland" over "kennemerland"
        self.places = dict(sorted(((k, sorted(v)) for k, v in places.items() if v), key=lambda kv: -len(kv[0])))
        self._place_re = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in self.places) + r")(?![\w-])")
        self._unknown_re = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in UNKNOWN_PLACES) + r")(?![\w-])")
        self.vocabulary = vocabulary
        self._vocab_words = [w for w, n in vocabulary.items() if len(w) >= 4 and not w.isdigit()]
        self._stops = stop_words()

    # -- regions ---------------------------------------------------------------------------
    def infer_regions(self, text: str) -> tuple[list[str], list[str]]:
        """Regions named (directly or via a gemeente) in ``text``, and unknown places named."""
        folded = fold(text)
        found: list[str] = []
        for match in self._place_re.finditer(folded):
            for region in self.places[match.group(1)]:
                if region not in found:
                    found.append(region)
        unknown = [m.group(1) for m in self._unknown_re.finditer(folded)]
        return found, unknown

    # -- follow-ups ------------------------------------------------------------------------
    def rewrite(self, question: str, history: list[Message]) -> str:
        """Resolve a follow-up against the last user question (deterministic, no LLM)."""
        previous = [m.content for m in history if m.role == "user" and m.content.strip()]
        if not previous:
            return question
        last = previous[-1]
        folded = fold(question).strip()
        own_terms = [t for t in analyze(question, with_concepts=False)]
        new_regions, _ = self.infer_regions(question)
        leans = bool(_FOLLOWUP_START.search(folded)) or len(own_terms) <= 2 or (
            bool(_PRONOUNS.search(folded)) and len(own_terms) <= 4)
        if not leans:
            return question
        if new_regions and len(own_terms) <= len(new_regions) + 2:
            # "en in haaglanden?": the previous question, asked about the new place
            old_regions_text = self._place_re.sub(" ", fold(last))
            return f"{old_regions_text.strip()} {fold(question).strip()}".strip()
        topic = [w for w in words(last) if w not in self._stops and len(w) > 2]
        answers = [m.content for m in history if m.role == "assistant" and m.content.strip()]
        if answers and _PRONOUNS.search(folded):
            # "wie betaalt dat?": 'dat' is what the last answer was about; take its first words, not
            # the scaffolding Wegwijs puts around them (lead line, [n] markers, "In het document")
            body = [line for line in answers[-1].split("\n") if line.strip() and not _SCAFFOLD.search(line)]
            lead = re.sub(r"\[\d+(,\s*\d+)*\]", " ", " ".join(body[:3]))
            topic += [w for w in words(lead)[:25] if w not in self._stops and len(w) > 3 and w not in topic]
        return f"{question.strip()} ({' '.join(topic)})"

    # -- lexical repair --------------------------------------------------------------------
    def repair(self, text: str) -> tuple[list[str], dict[str, list[str]]]:
        """Extra surface words (typo corrections, compound splits and joins found in the
        vocabulary), and per unknown word what it was repaired to."""
        extra: list[str] = []
        repairs: dict[str, list[str]] = {}
        tokens = words(text)
        vocab = self.vocabulary
        for i, word in enumerate(tokens):
            if i + 1 < len(tokens) and (word + tokens[i + 1]) in vocab:
                extra.append(word + tokens[i + 1])
            if word in vocab or word in self._stops or len(word) < 5 or word.isdigit() or word in EXPANSIONS:
                continue
            split = self._split_compound(word)
            if split:
                extra.extend(split)
                repairs[word] = split
                continue
            best = process.extractOne(word, self._vocab_words, scorer=fuzz.ratio, score_cutoff=84)
            if best is not None:
                extra.append(best[0])
                repairs[word] = [best[0]]
        return extra, repairs

    def _split_compound(self, word: str, depth: int = 0) -> list[str] | None:
        """Parts of a compound the vocabulary knows, longest head first and up to three parts
        ('taalontwikkelingsstoornis' -> 'taal', 'ontwikkeling', 'stoornis'), a linking 's' dropped."""
        vocab = self.vocabulary

        def known(part: str) -> bool:
            return vocab.get(part, 0) > 1

        for cut in range(len(word) - 4, 3, -1):
            head, tail = word[:cut], word[cut:]
            for h in (head, head[:-1] if head.endswith("s") else None):
                if not h or not known(h):
                    continue
                if known(tail):
                    return [h, tail]
                rest = self._split_compound(tail, depth + 1) if depth < 1 and len(tail) >= 8 else None
                if rest:
                    return [h, *rest]
        return None

    # -- everything ------------------------------------------------------------------------
    def analyze(self, question: str, history: list[Message] | None = None,
                region: str | None = None) -> QueryAnalysis:
        history = history or []
        rewritten = self.rewrite(question, history)
        regions, unknown = self.infer_regions(rewritten)
        if region:
            regions = [r for r in self.regions if fold(r) == fold(region)] or [region]
        elif not regions and history:
            for message in reversed(history):
                if message.role == "user":
                    regions, _ = self.infer_regions(message.content)
                    if regions:
                        break
        levels = sorted({LEVELS[w] for w in words(rewritten) if w in LEVELS})
        extra, repairs = self.repair(rewritten)
        expansions = [EXPANSIONS[w] for w in words(rewritten) if w in EXPANSIONS]
        lexical_text = " ".join([rewritten, *extra, *expansions])
        answer_type, evidence = None, None
        folded = fold(question)
        for name, asks, needs in ANSWER_TYPES:
            if asks.search(folded):
                answer_type, evidence = name, needs
                break
        unit = re.search(r"\b(weken|dagen|maanden)\b", folded)
        if answer_type == "duration" and unit:
            # "wachttijd in weken" needs weeks, not "4 jaar" somewhere
            evidence = re.compile(rf"\b(\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf)\s+{unit.group(1)[:-2]}\w*\b")
        dense_text = rewritten if not expansions else f"{rewritten} ({'; '.join(dict.fromkeys(expansions))})"
        place_terms = {t for m in self._place_re.finditer(fold(rewritten))
                       for t in analyze(m.group(1), with_concepts=False)}
        place_terms |= {t for r in self.regions for t in analyze(r, with_concepts=False)}
        return QueryAnalysis(question=question, rewritten=rewritten, regions=regions,
                             levels=levels, unknown_places=unknown, answer_type=answer_type, evidence=evidence,
                             bm25_tokens=analyze(lexical_text), dense_text=dense_text,
                             place_terms=place_terms, repairs=repairs,
                             asks_definition=bool(_DEFINITION.search(fold(rewritten))))


def build_vocabulary(texts: list[str]) -> Counter[str]:
    """Surface-word counts of the indexed passages (folded), for typo and compound repair."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text))
    return counts
