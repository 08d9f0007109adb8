"""Gazetteer of Dutch places: gemeenten, woonplaatsen, provinces, regions, former gemeenten.

The facts are data (``assistant/core/data/places_nl.json``, built by
``scripts/build_gazetteer.py`` from CBS and GeoNames tables shipped in registry packages; its
``provenance`` block names them). This module only indexes that file and finds names in text.

Matching works on word tokens folded to lower-case ASCII, so an apostrophe, a hyphen or a
diacritic in a name ("'s-X" / "’s X", "Â-B" / "A B") makes no difference. Every name is looked
up as a sequence of 1..n tokens, longest first, so matches always fall on word boundaries and a
longer name ("X op Y") wins over the shorter one it starts with ("X").

Places whose name is also ordinary Dutch (a woonplaats called like "best", "hoek" or "de wijk")
or is very short (two or three letters) are *ambiguous*: in running text they count only when written as a proper name
(each content word capitalised, not all capitals) and not as the first word of a sentence, where
a capital says nothing. A word is ordinary Dutch when the OpenTaal word list writes it in lower
case (the data file's ``ordinary_words``) or it is a stop word.

Example::

    gazetteer = load_gazetteer()
    mentions = gazetteer.find(question)        # every place named, with the gemeenten it lies in
    gazetteer.gemeente_of(name)                # a woonplaats or former gemeente -> current gemeente(n)
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

DATA_FILE = Path(__file__).parent / "data" / "places_nl.json"

PlaceKind = Literal["gemeente", "provincie", "regio", "voormalige_gemeente", "woonplaats"]
# When one name is several places (a gemeente and a province of one name), the first kind here
# wins unless the word before it says which is meant ("provincie X").
_KIND_ORDER: tuple[PlaceKind, ...] = ("gemeente", "provincie", "regio", "voormalige_gemeente", "woonplaats")
_CONTEXT_WORDS: dict[str, PlaceKind] = {
    "gemeente": "gemeente", "gemeenten": "gemeente", "provincie": "provincie", "regio": "regio",
    "jeugdregio": "regio", "woonplaats": "woonplaats", "dorp": "woonplaats", "kern": "woonplaats",
}
_TOKEN = re.compile(r"[^\W_]+")
_JOIN = re.compile(r"[\s\-'’‘`.]*")  # what may stand between the words of one name
_SENTENCE_END = ".!?"
# Direction words that make a sub-region of a named region ("Zuid-X" for a landstreek X).
_DIRECTIONS = ("noord", "zuid", "oost", "west", "midden", "noordoost", "noordwest", "zuidoost", "zuidwest")


@dataclass(frozen=True)
class Gemeente:
    """A current gemeente: CBS code, common name, official CBS name, province, COROP-gebied."""

    code: str
    name: str
    cbs_name: str
    province: str
    corop: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """A named area above the gemeente: a province, a COROP-gebied or a landstreek.

    ``gemeenten`` lists the member gemeenten where the source gives them (landstreken have none).
    """

    name: str
    kind: Literal["provincie", "corop", "landstreek"]
    gemeenten: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceRef:
    """One gazetteer entry a name can stand for."""

    kind: PlaceKind
    name: str
    gemeenten: tuple[str, ...] = ()  # the current gemeente(n) it lies in or became


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: the words as written, their offsets and what they stand for.

    ``kind`` and ``name`` are the reading chosen (see the module docstring); ``refs`` keeps every
    entry the words can mean; ``gemeenten`` are the current gemeenten the chosen reading lies in
    (empty for provinces and regions).
    """

    text: str
    start: int
    end: int
    kind: PlaceKind
    name: str
    gemeenten: tuple[str, ...]
    refs: tuple[PlaceRef, ...] = field(default=(), compare=False)


def fold_token(token: str) -> str:
    """Lower-case ASCII form of one word ("Â" -> "a")."""
    token = token.lower()
    if token.isascii():
        return token
    return unicodedata.normalize("NFKD", token).encode("ascii", "ignore").decode("ascii")


def name_key(name: str) -> tuple[str, ...]:
    """The folded token sequence a name is indexed under ("'s-Xdorp" -> ("s", "xdorp"))."""
    return tuple(fold_token(t) for t in _TOKEN.findall(name))


def _variants(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Spelling variants of a name that hold for Dutch names in general ("St." = "Sint")."""
    out = [key]
    if "st" in key:
        out.append(tuple("sint" if t == "st" else t for t in key))
    if "sint" in key:
        out.append(tuple("st" if t == "sint" else t for t in key))
    return out


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Dutch function words ("de", "den", "aan"): never the content of a place name."""
    from stop_words import get_stop_words

    return frozenset(fold_token(w) for w in get_stop_words("dutch")) | {"s", "t"}


class Gazetteer:
    """All Dutch places of the data file, indexed for lookup and for finding names in text."""

    def __init__(self, data: dict) -> None:
        provinces = [Region(p["name"], "provincie") for p in data["provinces"]]
        self.gemeenten: tuple[Gemeente, ...] = tuple(
            Gemeente(g["code"], g["name"], g["cbs_name"], g["province"], g["corop"], tuple(g["aliases"]))
            for g in data["gemeenten"])
        by_code = {g.code: g.name for g in self.gemeenten}
        members: dict[str, list[str]] = {}
        for g in self.gemeenten:
            members.setdefault(g.province, []).append(g.name)
        self.regions: tuple[Region, ...] = tuple(
            [Region(p.name, "provincie", tuple(sorted(members.get(p.name, [])))) for p in provinces]
            + [Region(r["name"], r["kind"], tuple(sorted(by_code[c] for c in r["gemeenten"])))
               for r in data["regions"]])
        self.provenance: dict = data.get("provenance", {})
        self._by_name: dict[str, Gemeente] = {g.name: g for g in self.gemeenten}
        self._region_by_name: dict[str, Region] = {r.name: r for r in self.regions}
        index: dict[tuple[str, ...], list[PlaceRef]] = {}

        def add(name: str, ref: PlaceRef) -> None:
            for key in _variants(name_key(name)):
                if key and ref not in index.setdefault(key, []):
                    index[key].append(ref)

        for g in self.gemeenten:
            for name in (g.name, g.cbs_name, *g.aliases):
                add(name, PlaceRef("gemeente", g.name, (g.name,)))
        for p, raw in zip(provinces, data["provinces"]):
            for name in (p.name, *raw["aliases"]):
                add(name, PlaceRef("provincie", p.name))
        for r in data["regions"]:
            add(r["name"], PlaceRef("regio", r["name"]))
        for f in data["former_gemeenten"]:
            add(f["name"], PlaceRef("voormalige_gemeente", f["name"], tuple(by_code[c] for c in f["successors"])))
        for name, codes in data["woonplaatsen"]:
            add(name, PlaceRef("woonplaats", name, tuple(by_code[c] for c in codes)))
        # woonplaatsen that in running text are nearly always something else ("Nederland")
        self._not_in_text = frozenset(name_key(n) for n in data.get("woonplaatsen_not_in_text", ()))
        for refs in index.values():
            refs.sort(key=lambda r: _KIND_ORDER.index(r.kind))
        self._index = index
        self._max_tokens = max(len(k) for k in index)
        self._stops = _stop_words()
        ordinary = frozenset(data.get("ordinary_words", ())) | self._stops
        self._ambiguous = frozenset(k for k in index if self._is_ordinary(k, ordinary))

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> Gazetteer:
        """Read the gazetteer data file (use :func:`load_gazetteer` for the cached instance)."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @staticmethod
    def _is_ordinary(key: tuple[str, ...], ordinary: frozenset[str]) -> bool:
        """Whether a name could be ordinary Dutch: every word is a common word, or it is tiny ("Ee")."""
        return sum(len(t) for t in key) <= 3 or all(t in ordinary for t in key)

    # --- lookups -------------------------------------------------------------------------

    def refs(self, name: str) -> list[PlaceRef]:
        """Every entry ``name`` can stand for (any case, diacritics or hyphenation)."""
        return list(self._index.get(name_key(name), []))

    def is_place(self, word: str) -> bool:
        """Whether ``word`` (one word or a whole name) is the name of a Dutch place or region."""
        return name_key(word) in self._index

    def gemeente(self, name: str) -> Gemeente | None:
        """The current gemeente called ``name`` (or one of its aliases); None if there is none or several."""
        found = {r.name for r in self.refs(name) if r.kind == "gemeente"}
        return self._by_name[found.pop()] if len(found) == 1 else None

    def gemeente_of(self, name: str) -> list[str]:
        """The current gemeente(n) of a gemeente, woonplaats or former gemeente name.

        A name the data does not hold as a whole (a former gemeente "A en B" that merged before
        the data's years) is read for the places it contains. Provinces and regions give [] (use :meth:`region`).
        """
        refs = self.refs(name) or [r for m in self.find(name, strict=False) for r in m.refs]
        out: list[str] = []
        for kind in ("gemeente", "voormalige_gemeente", "woonplaats"):
            for ref in refs:
                if ref.kind == kind:
                    out.extend(g for g in ref.gemeenten if g not in out)
            if out:
                return out
        return out

    def province_of(self, gemeente: str) -> str | None:
        """The province of a gemeente (or of the single gemeente a woonplaats lies in)."""
        names = self.gemeente_of(gemeente)
        provinces = {self._by_name[n].province for n in names}
        return provinces.pop() if len(provinces) == 1 else None

    def region(self, name: str) -> Region | None:
        """The province, COROP-gebied or landstreek called ``name``."""
        for ref in self.refs(name):
            if ref.kind in ("provincie", "regio"):
                return self._region_by_name.get(ref.name)
        return None

    def regions_of(self, gemeente: str) -> list[Region]:
        """The province and the regions with members (COROP-gebied) the gemeente belongs to."""
        names = self.gemeente_of(gemeente)
        return [r for r in self.regions if r.gemeenten and any(n in r.gemeenten for n in names)]

    # --- finding names in text --------------------------------------------------------------

    def find(self, text: str, strict: bool = True) -> list[PlaceMention]:
        """Every place named in ``text``, in text order, longest name first at each position.

        With ``strict`` (running text) ambiguous names need to be written as proper names;
        ``strict=False`` is for a text that is a name already (a manifest field).
        """
        tokens = [(m.start(), m.end(), fold_token(m.group())) for m in _TOKEN.finditer(text)]
        folded = [t[2] for t in tokens]
        out: list[PlaceMention] = []
        i = 0
        while i < len(tokens):
            hit = self._match_at(text, tokens, folded, i, strict)
            if hit is None:
                i += 1
                continue
            length, refs = hit
            start, end = tokens[i][0], tokens[i + length - 1][1]
            kind = self._choose_kind(refs, folded[i - 1] if i else "")
            name = next(r.name for r in refs if r.kind == kind)
            if kind in ("regio", "provincie") and i >= 1 and folded[i - 1] in _DIRECTIONS \
                    and text[tokens[i - 1][1]:start] == "-":
                start = tokens[i - 1][0]  # "Zuid-X": a named part of a region
                name = text[start:end]
                refs = (PlaceRef("regio", name),)
                kind = "regio"
                if out and out[-1].end > start:
                    out.pop()
            if start and text[start - 1] in "'’‘`" and folded[i] in ("s", "t"):
                start -= 1  # "'s-X", "'t X": the apostrophe belongs to the name
            chosen = [r for r in refs if r.kind == kind and r.name == name] or [PlaceRef(kind, name)]
            gemeenten = tuple(dict.fromkeys(g for r in chosen for g in r.gemeenten))
            out.append(PlaceMention(text[start:end], start, end, kind, name, gemeenten, tuple(refs)))
            i += length
        return out

    def _match_at(self, text: str, tokens, folded: list[str], i: int, strict: bool):
        for length in range(min(self._max_tokens, len(tokens) - i), 0, -1):
            key = tuple(folded[i:i + length])
            refs = self._index.get(key)
            if refs is None:
                continue
            if any(not _JOIN.fullmatch(text[tokens[j][1]:tokens[j + 1][0]]) for j in range(i, i + length - 1)):
                continue
            if strict and key in self._not_in_text:
                refs = [r for r in refs if r.kind != "woonplaats"]
                if not refs:
                    continue
            if strict and key in self._ambiguous and not self._written_as_name(text, tokens, i, length):
                continue
            return length, refs
        return None

    def _written_as_name(self, text: str, tokens, i: int, length: int) -> bool:
        """An ambiguous name counts when its content words are capitalised and it does not open a sentence."""
        words = [text[tokens[j][0]:tokens[j][1]] for j in range(i, i + length)]
        content = [w for w in words if fold_token(w) not in self._stops] or words
        if not all(w[0].isupper() and not (len(w) > 1 and w.isupper()) for w in content):
            return False
        before = text[:tokens[i][0]]
        tail = before.rstrip(" \t'’‘`\"“(")
        if not tail.strip() or tail[-1] in _SENTENCE_END:
            return False
        line_start = re.search(r"\n[ \t]*$", before)
        if line_start and not re.search(r"[a-z,]\s*$", before[:line_start.start()]):
            return False  # the first word of a line that does not continue a sentence
        return not re.search(r"(^|\n)[ \t]*[-•*·▪–][ \t]*$", before)  # the first word of a list item

    @staticmethod
    def _choose_kind(refs: list[PlaceRef], previous_word: str) -> PlaceKind:
        wanted = _CONTEXT_WORDS.get(previous_word)
        if wanted and any(r.kind == wanted for r in refs):
            return wanted
        return refs[0].kind


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled data file, read once per process."""
    return Gazetteer.load()
