"""The lexicon: every word list and language pattern of Wegwijs, read once from data files.

The files live next to this module in ``lexicon/`` (YAML, one topic each; their headers say what
each entry is for):

- ``words.yaml``: named word sets (extra stop words, generic question words, ask-words, filler ...);
- ``concepts.yaml``: concept tags and their surface forms;
- ``abbreviations.yaml``: what abbreviations stand for, and synonym groups for record lookup;
- ``levels.yaml``: school levels named in questions and filters;
- ``questions.yaml``: the kinds of fact a question asks for and the named question/passage patterns;
- ``needs.yaml``: why a school or coach looks for a contact.

Places are not words: they come from the gazetteer (:mod:`assistant.core.places`) and from what
the index covers. Nothing here names a place, a document or an organisation of one region.

Code asks for an entry by name (``lexicon().pattern("directive")``, ``lexicon().words("generic")``);
a missing name is a KeyError at once, not a silent empty list.

Example::

    lex = lexicon()
    lex.pattern("list_ask").search("welke oza's zijn er?")
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.core.yamlio import safe_load

LEXICON_DIR = Path(__file__).parent / "lexicon"


@dataclass(frozen=True)
class AnswerType:
    """A kind of fact a question can ask for (phone, date, count ...)."""

    name: str
    asks: re.Pattern  # the question asks for it
    needs: re.Pattern  # a passage holds one
    label: str  # Dutch name, for "De bronnen noemen hier geen <label> voor."


@dataclass(frozen=True)
class ListNoun:
    """A noun that makes a list question ask for one kind of inventory record."""

    pattern: re.Pattern
    kind: str
    label: str


class Lexicon:
    """The loaded lexicon. Build with :func:`lexicon` (loaded once per process)."""

    def __init__(self, data: dict[str, dict]) -> None:
        self._data = data
        self._words = {k: frozenset(v) for k, v in data["words"].items()}
        questions = data["questions"]
        self._patterns = {k: re.compile(v) for k, v in questions["patterns"].items()}
        self.answer_types = [AnswerType(t["name"], re.compile(t["asks"]), re.compile(t["needs"]), t["label"])
                             for t in questions["answer_types"]]
        self.list_nouns = [ListNoun(re.compile(n["pattern"]), n["kind"], n["label"]) for n in questions["list_nouns"]]
        self.concepts: dict[str, list[str]] = dict(data["concepts"])
        self.expansions: dict[str, str] = dict(data["abbreviations"]["expansions"])
        self.synonym_groups = [frozenset(g) for g in data["abbreviations"]["synonym_groups"]]
        self.level_words: dict[str, str] = dict(data["levels"]["question_words"])
        self.level_phrases = {k: frozenset(v) for k, v in data["levels"]["phrases"].items()}
        needs = data["needs"]
        self.need_patterns = [(tag, re.compile(p)) for tag, p in needs["patterns"].items()]
        self.need_labels: dict[str, str] = dict(needs["labels"])
        self.concept_needs: dict[str, str] = dict(needs["concepts"])

    def strings(self) -> list[str]:
        """Every string the lexicon's files hold (keys included): what the ingest stems for it."""
        found: list[str] = []

        def walk(value) -> None:
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict):
                for key, item in value.items():
                    found.append(str(key))
                    walk(item)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    walk(item)

        walk(self._data)
        return found

    def words(self, name: str) -> frozenset[str]:
        """A named word set of ``words.yaml``."""
        return self._words[name]

    def pattern(self, name: str) -> re.Pattern:
        """A named pattern of ``questions.yaml`` (compiled once)."""
        return self._patterns[name]

    def answer_type(self, name: str) -> AnswerType:
        return next(t for t in self.answer_types if t.name == name)


def lexicon_files() -> list[Path]:
    return sorted(LEXICON_DIR.glob("*.yaml"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, read from the data files on first use."""
    data = {path.stem: safe_load(path.read_text(encoding="utf-8")) for path in lexicon_files()}
    return Lexicon(data)


def lexicon_version() -> str:
    """Hash of the lexicon files: part of the text-analysis version of an index."""
    digest = hashlib.sha256()
    for path in lexicon_files():
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]
