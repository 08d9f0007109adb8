"""Derive a document's title, issuer, year, type, region and gemeenten from the document itself.

Pure functions over a :class:`RawDocument` (its pages and the file's own metadata) and the
gazetteer; ``corpus/manifest.yaml`` overrides the result field by field (see
:mod:`ingest.manifest`). Every field carries a short Dutch ``evidence`` string that says where it
came from, so ``wegwijs ingest`` can show it and a user can correct it.

The rules hold for Dutch policy documents in general; none names a document or a place:

- title: a form's "Onderwerp:" field; else the file's metadata title when it is not a file name;
  else the first block of heading-like lines on the first page with text (skipping dates,
  status words, page counters, generic section names and document-type boilerplate such as
  "Voorstel aan de raad"); else a running header or footer; else type + region;
- year: a period or year in the title, a date line on the first pages, the file's creation date;
- type: a document-type word in the title, then "deze/dit <type>" on the first pages;
- places: gazetteer mentions weighted by where they stand (title, first pages, rest); a region
  named as such ("regio X", "Zuid-X", a COROP-gebied or landstreek) wins, else the dominant gemeente.

Example::

    derived = derive_metadata(raw, load_gazetteer())
    derived.title, derived.evidence["title"]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pydantic import BaseModel, Field

from assistant.core.places import Gazetteer
from assistant.core.types import RawDocument

FIRST_PAGES = 3
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
# Document types, most specific first; a title word ending in one of these is that type.
DOC_TYPES = ("ondersteuningsplan", "uitvoeringsagenda", "collegebesluit", "raadsvoorstel", "raadsbesluit",
             "raadsinformatiebrief", "handleiding", "leidraad", "evaluatie", "rapportage", "rapport", "onderzoek",
             "jaarverslag", "beleidsplan", "beleidsnota", "nota", "notitie", "visie", "convenant", "protocol",
             "werkwijze", "richtlijn", "kader", "agenda", "plan", "aanvraag", "brief", "verslag")
DOC_TYPE_PHRASES = {"voorstel aan de raad": "raadsvoorstel", "besluit van het college": "collegebesluit",
                    "besluit van de raad": "raadsbesluit"}
_NORMALISE_TYPE = {"rapportage": "rapport"}
STATUS_WORDS = {"concept", "definitief", "geamendeerd", "vertrouwelijk", "openbaar", "versie", "ontwerp",
                "vastgesteld", "gewijzigd", "bijlage", "ter", "besluitvorming", "informatie", "draft"}
GENERIC_HEADINGS = {"inleiding", "samenvatting", "inhoud", "inhoudsopgave", "voorwoord", "leeswijzer", "colofon",
                    "managementsamenvatting", "management", "aanleiding", "achtergrond", "bijlagen", "index"}
ORG_WORDS = ("Gemeente", "Gemeenten", "Stichting", "Samenwerkingsverband", "Vereniging", "Ministerie", "GGD",
             "Coöperatie", "Jeugdregio", "Regio")
_ORG_RE = re.compile(
    r"\b(?P<kw>(?i:" + "|".join(ORG_WORDS) + r"))\b(?P<rest>(?:[ \t]+(?i:vo|po|voor|van|passend onderwijs|de|het))*"
    r"(?:[ \t]+[A-Z][\w'’&-]*)+)")
_BYLINE_RE = re.compile(r"\b(?:opgesteld|uitgegeven|geschreven|samengesteld)\s+door\s+(?:de\s+)?(?P<org>[^.]{5,400})")
_AGENT_RE = re.compile(r"\b(?:hebben|heeft)\s+(?:de\s+)?(?P<org>[A-Z][^.;:]{3,160}?),?\s+(?:samen met|met elkaar)\b")
_FIELD_RE = re.compile(r"^(?:onderwerp|titel|betreft)\s*:\s*(?P<v>[^|]+)", re.IGNORECASE)
_YEAR = r"(?:19|20)\d{2}"
_PERIOD_RE = re.compile(rf"\b({_YEAR})\s*(?:-|–|\||/|t/m|tot)\s*({_YEAR})\b")
_YEAR_RE = re.compile(rf"(?<![\d/])({_YEAR})(?![\d/])")
_DATE_NUM_RE = re.compile(rf"\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]({_YEAR})\b")


class DerivedMeta(BaseModel):
    """What the document says about itself; ``evidence[field]`` tells where each value came from."""

    title: str = ""
    organisation: str = ""
    year: str = ""
    doc_type: str = ""
    region: str = "onbekend"
    gemeenten: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)

    def describe(self) -> list[str]:
        """Dutch lines "veld: waarde (bron)" for the ingest summary."""
        labels = [("title", "titel"), ("organisation", "organisatie"), ("year", "jaar"), ("doc_type", "soort"),
                  ("region", "regio"), ("gemeenten", "gemeenten")]
        out = []
        for key, label in labels:
            value = getattr(self, key)
            shown = ", ".join(value) if isinstance(value, list) else value
            out.append(f"{label}: {shown or '-'} ({self.evidence.get(key, 'niet gevonden')})")
        return out


# --- lines ---------------------------------------------------------------------------------


def _clean_line(line: str) -> str:
    line = re.sub(r"^[#>*\s|-]+|[*\s|]+$", "", line.replace("**", ""))
    return re.sub(r"\s+", " ", line).strip()


def _words(line: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", line.lower())


def _is_date_line(line: str) -> bool:
    """'1 maart 2024', 'November 2021', '22-12-2025', a month misspelt ('Meil 2025')."""
    if _DATE_NUM_RE.fullmatch(line.strip(" .")):
        return True
    words = _words(line)
    if not _YEAR_RE.search(line) or len(words) > 3:
        return False
    from rapidfuzz import fuzz, process

    return all(process.extractOne(w, MONTHS, scorer=fuzz.ratio, score_cutoff=70) or w in ("week", "dag")
               for w in words)


def _is_boilerplate(line: str) -> bool:
    """Lines that are never a title: counters, dates, status words, generic headings, type phrases."""
    if not re.search(r"[^\W\d_]{2}", line) or re.fullmatch(r"(pagina\s*)?\d+(\s*(/|van)\s*\d+)?", line.lower()):
        return True
    if _is_date_line(line):
        return True
    words = _words(line)
    rest = " ".join(words)
    for phrase in DOC_TYPE_PHRASES:
        rest = rest.replace(phrase, " ")
    left = [w for w in rest.split() if w not in STATUS_WORDS and w not in GENERIC_HEADINGS]
    return not left


def _heading_like(line: str, first: bool = True) -> bool:
    """A short line that is not running text: few words, no closing punctuation or dangling article."""
    words = line.split()
    if not 2 <= len(line) <= 90 or not 1 <= len(words) <= 10 or line.endswith((".", ",", ";", ":")):
        return False
    if re.match(r"^[\w ]+:\s", line) or words[-1].lower() in _DANGLING:
        return False
    return not first or not line[:1].islower()


_DIRECTION_WORDS = {"noord", "zuid", "oost", "west", "midden"}
_DANGLING = {"de", "het", "een", "en", "of", "van", "voor", "in", "op", "met", "aan", "onze", "om", "te", "die", "dat"}


def _page_lines(page: str) -> list[list[str]]:
    """The page's lines in blocks (a blank line ends a block), cleaned of markup."""
    blocks: list[list[str]] = [[]]
    for raw in page.splitlines():
        line = _clean_line(raw)
        if raw.lstrip().startswith("#") and line:  # a markup heading is a block of its own
            blocks.extend([[line], []])
            continue
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    return [b for b in blocks if b]


def _text_pages(raw: RawDocument) -> list[str]:
    return [p for p in raw.pages if p.strip()]


# --- title ---------------------------------------------------------------------------------


def meaningful_file_title(title: str) -> bool:
    """Whether a PDF/DOCX metadata title is a real title, not a file or template name."""
    title = title.strip()
    if len(_words(title)) < 1 or len(title) < 4:
        return False
    if re.search(r"\.(docx?|pdf|txt|odt|rtf|pptx?|xlsx?)$", title, re.IGNORECASE) or "_" in title:
        return False
    if re.match(r"^(microsoft\s+(word|powerpoint)\s*-|untitled|naamloos|document\d*\b|sjabloon)", title, re.I):
        return False
    return not re.match(r"^(\d{6,8}|[A-Z]{1,3}\d{5,})\b", title)


def _form_field_title(raw: RawDocument) -> str:
    """The value of an "Onderwerp:"/"Titel:" field at the top of a form-like first page."""
    pages = _text_pages(raw)
    for line in pages[0].splitlines()[:12] if pages else []:
        found = _FIELD_RE.match(_clean_line(line))
        if found:
            return found.group("v").strip(" ,")
    return ""


def _first_heading_block(raw: RawDocument, gazetteer: Gazetteer | None = None) -> str:
    """The first block of heading-like lines on the first page with text, boilerplate skipped.

    A one-line block right after it joins the title when it names a place ("Plan" / "Zuid-X"),
    since extracted covers often put the place on a line of its own.
    """
    pages = _text_pages(raw)
    blocks = _page_lines(pages[0])[:6] if pages else []
    for n, block in enumerate(blocks):
        kept: list[str] = []
        for line in block:
            if _is_boilerplate(line):
                continue
            if not _heading_like(line, first=not kept):
                break
            kept.append(line)
        if kept:
            following = [x for x in blocks[n + 1] if not _is_boilerplate(x)] if n + 1 < len(blocks) else []
            if gazetteer is not None and len(kept) <= 2 and len(following) == 1 and _heading_like(following[0]) \
                    and gazetteer.find(following[0]) and len(blocks[n + 1]) == 1:
                kept.append(following[0])
            return " ".join(kept)[:200]
        if any(len(line) > 90 or not _heading_like(line) for line in block if not _is_boilerplate(line)):
            return ""  # running text before any heading: the cover is missing
    return ""


def _running_title(raw: RawDocument) -> str:
    """A line repeated at the top or bottom of many pages (header/footer), page numbers removed."""
    pages = _text_pages(raw)
    if len(pages) < 4:
        return ""
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [x for x in (_clean_line(y) for y in page.splitlines()) if x]
        for line in set(lines[:2] + lines[-2:]):
            bare = re.sub(r"^\d{1,3}(?=\D)|(?<=\D)\d{1,3}$", "", line).strip()
            if not _is_boilerplate(bare) and _heading_like(bare) and not bare.endswith("?"):
                counts[bare] += 1
    # a running title names the document: prefer lines with a document-type word
    best = [(n + (5 if any(_type_of_word(w) for w in _words(line)) else 0), line)
            for line, n in counts.items() if n >= 3]
    return max(best)[1] if best else ""


def _title(raw: RawDocument, doc_type: str, region: str, gazetteer: Gazetteer) -> tuple[str, str]:
    field = _form_field_title(raw)
    if field:
        return field, "veld 'Onderwerp' op de eerste pagina"
    file_title = str(raw.file_meta.get("title", "")).strip()
    if meaningful_file_title(file_title):
        return file_title, "titel in de metadata van het bestand"
    first = _first_heading_block(raw, gazetteer)
    if first:
        return first, "kop op de eerste pagina"
    running = _running_title(raw)
    if running:
        if region not in ("", "onbekend", "landelijk") and not gazetteer.find(running):
            return f"{running} {region}", "kop- of voettekst die op veel pagina's terugkomt, met de regio"
        return running, "kop- of voettekst die op veel pagina's terugkomt"
    if doc_type:
        where = f" {region}" if region not in ("", "onbekend", "landelijk") else ""
        return f"{doc_type[:1].upper()}{doc_type[1:]}{where}", "samengesteld uit documentsoort en regio"
    return "", ""


# --- year and type -----------------------------------------------------------------------------


def _year(title: str, raw: RawDocument) -> tuple[str, str]:
    period = _PERIOD_RE.search(title)
    if period and period.group(1) < period.group(2):
        return f"{period.group(1)}-{period.group(2)}", "periode in de titel"
    year = _YEAR_RE.search(title)
    if year:
        return year.group(1), "jaartal in de titel"
    for page in _text_pages(raw)[:2]:
        for block in _page_lines(page)[:6]:
            for line in block:
                if _is_date_line(line):
                    return _YEAR_RE.search(line).group(1), f"datum op de eerste pagina's ('{line}')"
    created = str(raw.file_meta.get("created", ""))
    if re.match(_YEAR, created):
        return created[:4], "aanmaakdatum in de metadata van het bestand"
    for pages, where in ((_text_pages(raw)[:FIRST_PAGES], "op de eerste pagina's"), (_text_pages(raw), "in de tekst")):
        years = Counter(y for page in pages for y in _YEAR_RE.findall(page))
        if years and max(years.values()) >= 2:
            best = max(years.items(), key=lambda kv: (kv[1], -int(kv[0])))[0]  # ties: the earliest year
            return best, f"meest genoemde jaartal {where}"
    return "", ""


def _type_of_word(word: str) -> str:
    word = word.lower()
    for kind in DOC_TYPES:
        if word.endswith(kind) and (len(word) == len(kind) or len(word) - len(kind) >= 4):
            return _NORMALISE_TYPE.get(word, word)
    return ""


def _doc_type(title: str, raw: RawDocument) -> tuple[str, str]:
    lowered = " ".join(_words(title))
    for phrase, kind in DOC_TYPE_PHRASES.items():
        if phrase in lowered:
            return kind, f"'{phrase}' in de titel"
    for word in re.findall(r"[^\W\d_]+", title):
        kind = _type_of_word(word)
        if kind:
            return kind, f"'{word}' in de titel"
    self_refs: Counter[str] = Counter()
    for n, page in enumerate(_text_pages(raw)):
        for word in re.findall(r"\b(?:deze|dit)\s+([^\W\d_]+)", page, re.IGNORECASE):
            if kind := _type_of_word(word):
                self_refs[kind] += 3 if n == 0 else 2 if n < FIRST_PAGES else 1
    for short in list(self_refs):
        for longer in self_refs:
            if longer != short and longer.endswith(short):
                self_refs[longer] += self_refs.pop(short)
                break
    if self_refs:
        kind = max(self_refs.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        return _NORMALISE_TYPE.get(kind, kind), f"'deze/dit {kind}' in de tekst (eerste pagina's tellen zwaarder)"
    return "", ""


# --- places --------------------------------------------------------------------------------------

_REGION_NAME_RE = re.compile(r"\bregio\s+((?:[A-Z][\w'’-]+)(?:[ -](?:[A-Z][\w'’-]+))*)")


def _weights(raw: RawDocument, title: str) -> list[tuple[str, float]]:
    pages = _text_pages(raw)
    return [(title, 10.0)] + [(page, 3.0 if n < 2 else 1.0) for n, page in enumerate(pages)]


def _places(raw: RawDocument, title: str, gazetteer: Gazetteer) -> tuple[str, str, list[str], str]:
    """Region, its evidence, the gemeenten the document is about, and their evidence."""
    gemeente_score: dict[str, float] = defaultdict(float)
    region_score: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    national = 0
    for text, weight in _weights(raw, title):
        mentions = gazetteer.find(text)
        for m in mentions:
            if m.kind == "regio":
                region_score[m.name] += weight
            elif m.kind in ("gemeente", "woonplaats", "voormalige_gemeente") and m.gemeenten:
                share = weight * (1.0 if m.kind != "woonplaats" else 0.5) / len(m.gemeenten)
                if _in_enumeration(text, m, mentions):
                    share *= 3  # "de gemeenten A, B, C en D" says which gemeenten the document is about
                for g in m.gemeenten:
                    gemeente_score[g] += share
                counts[m.name] += 1
        for name in _REGION_NAME_RE.findall(text):
            if gazetteer.is_place(name) or not gazetteer.find(name, strict=False):
                region_score[name] += weight
        national += len(re.findall(r"\blandelijke?\b|\bNederlandse?\b", text))
    gemeenten = _significant(gemeente_score, gazetteer)
    if region_score:
        name, score = max(region_score.items(), key=lambda kv: kv[1])
        if score >= 4:
            return name, "regionaam in de tekst (titel en eerste pagina's tellen zwaarder)", gemeenten, \
                _gemeente_evidence(gemeenten, counts)
    if gemeenten:
        top = gemeenten[0]
        if gemeente_score[top] >= 0.5 * sum(gemeente_score[g] for g in gemeenten):
            return top, "meest genoemde gemeente", gemeenten, _gemeente_evidence(gemeenten, counts)
        provinces = {gazetteer.province_of(g) for g in gemeenten}
        if len(provinces) == 1 and None not in provinces:
            return provinces.pop(), "provincie van de genoemde gemeenten", gemeenten, \
                _gemeente_evidence(gemeenten, counts)
        return "onbekend", "", gemeenten, _gemeente_evidence(gemeenten, counts)
    if national:
        return "landelijk", "geen gemeente of regio genoemd; de tekst spreekt van landelijk/Nederland", [], ""
    return "onbekend", "", [], ""


def _in_enumeration(text: str, mention, mentions) -> bool:
    """Whether the mention stands in one sentence with two or more other gemeenten."""
    start = max(text.rfind(".", 0, mention.start), text.rfind("\n\n", 0, mention.start))
    ends = [i for i in (text.find(".", mention.end), text.find("\n\n", mention.end)) if i >= 0]
    end = min(ends) if ends else len(text)
    names = {g for m in mentions if start <= m.start and m.end <= end and m.kind != "regio" for g in m.gemeenten}
    return len(names) >= 3


def _significant(scores: dict[str, float], gazetteer: Gazetteer) -> list[str]:
    """Gemeenten that weigh at least a fifth of the most-named one (a passing woonplaats is not enough)."""
    if not scores:
        return []
    top = max(scores.values())
    kept = [g for g, s in scores.items() if s >= max(1.0, 0.2 * top)]
    return sorted(kept, key=lambda g: (-scores[g], g))


def _gemeente_evidence(gemeenten: list[str], counts: Counter[str]) -> str:
    return "gemeenten en woonplaatsen die de tekst noemt, gewogen naar titel, eerste pagina's en aantal" \
        if gemeenten else ""


# --- organisation ----------------------------------------------------------------------------------


def _tidy_org(text: str) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    return text[:200]


def _organisation(raw: RawDocument, doc_type: str, gemeenten: list[str], gazetteer: Gazetteer) -> tuple[str, str]:
    pages = _text_pages(raw)
    first = "\n".join(pages[:FIRST_PAGES])
    byline = _BYLINE_RE.search(first)
    if byline:
        return _tidy_org(byline.group("org")), "'opgesteld door' op de eerste pagina's"
    author = str(raw.file_meta.get("author", ""))
    if _ORG_RE.search(author):
        return _tidy_org(author), "auteur in de metadata van het bestand"
    if doc_type in ("collegebesluit", "raadsvoorstel", "raadsbesluit", "raadsinformatiebrief") and gemeenten:
        body = "College van B&W" if doc_type == "collegebesluit" else "Gemeenteraad"
        return f"{body} {gemeenten[0]}", "documentsoort en gemeente"
    scores: Counter[str] = Counter()
    distinct: dict[str, str] = {}
    for n, page in enumerate(pages):
        for m in _ORG_RE.finditer(page):
            name = _tidy_org(m.group("kw")[:1].upper() + m.group("kw")[1:] + m.group("rest"))
            name = re.split(r"/|\s{2,}", name)[0]
            if not gazetteer.find(m.group("rest"), strict=False) and m.group("kw").lower() in ("gemeente", "gemeenten"):
                continue
            # "Stichting X" names an organisation; "de gemeente X" in running text often a recipient
            weight = (3.0 if n < 2 else 1.0) * (1.0 if m.group("kw")[:1].isupper() else 0.3)
            scores[name] += weight
            own = [w for w in m.group("rest").split()
                   if w[:1].isupper() and not gazetteer.is_place(w) and w.lower() not in _DIRECTION_WORDS]
            if own:
                distinct[name] = " ".join(own)
    whole = "\n".join(pages)
    for name, own in distinct.items():
        # an organisation the text keeps naming by its own name ("WIJ") is the one it speaks for
        scores[name] += 0.25 * len(re.findall(rf"(?<![\w-]){re.escape(own)}(?![\w-])", whole))
    if scores:
        name, score = scores.most_common(1)[0]
        if score >= 1:
            return name, "organisatienaam die de tekst het vaakst noemt (eerste pagina's tellen zwaarder)"
    agent = _AGENT_RE.search(first)
    if agent:
        return _tidy_org(agent.group("org")), "'hebben ... samen met' op de eerste pagina's"
    return "", ""


# --- all together -----------------------------------------------------------------------------------


def derive_metadata(raw: RawDocument, gazetteer: Gazetteer) -> DerivedMeta:
    """Everything the document says about itself (see the module docstring for the rules)."""
    evidence: dict[str, str] = {}
    provisional = _form_field_title(raw) or (
        raw.file_meta.get("title", "") if meaningful_file_title(str(raw.file_meta.get("title", ""))) else ""
    ) or _first_heading_block(raw, gazetteer) or _running_title(raw)
    doc_type, evidence["doc_type"] = _doc_type(provisional, raw)
    region, evidence["region"], gemeenten, evidence["gemeenten"] = _places(raw, provisional, gazetteer)
    title, evidence["title"] = _title(raw, doc_type, region, gazetteer)
    year, evidence["year"] = _year(title, raw)
    organisation, evidence["organisation"] = _organisation(raw, doc_type, gemeenten, gazetteer)
    return DerivedMeta(title=title, organisation=organisation, year=year, doc_type=doc_type, region=region,
                       gemeenten=gemeenten, evidence={k: v for k, v in evidence.items() if v})
