"""No name, title or phrase of a corpus document appears in the code or the word lists.

Wegwijs must understand a plan it has never seen as well as the ones it started from, so a fact
about one plan (its region, its gemeenten, an organisation it names, a sentence of it) belongs in
``corpus/`` (manifest, inventories) or is derived from the document, never in ``assistant/``,
``ingest/`` or ``ui/``. The names are taken from the corpus itself and from the documents of
``../shared/external-dev``:

- the manifest's titles, organisations, regions and gemeenten, and the inventory's region names,
  aliases and gemeenten;
- every place the gazetteer finds in the documents;
- proper nouns: capitalised words that never occur in lower case in any document and are not
  common Dutch words (simplemma), nor compounds of common Dutch words; plus the capitalised words
  of the inventory's party and arrangement names that never occur in lower case;
- phrases: six-word sequences that occur in exactly one document and hold a word that is not
  everyday Dutch (a name, a term of that plan).

Checked are every string literal of the code (docstrings included, for names) and every string
of the data files under ``assistant/`` and ``ingest/`` (the gazetteer's own data excepted: a list of
places is what it is).
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest
import simplemma
import yaml

from assistant.core.places import load_gazetteer
from assistant.core.text import fold

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT.parent / "shared" / "external-dev"
PACKAGES = ("assistant", "ingest", "ui")
PLACE_DATA = ROOT / "assistant" / "core" / "data"
# English words of the code that a document happens to print capitalised ("Self", "Health")
ENGLISH = frozenset({"self", "health", "none", "true", "false"})
# direction words are parts of many place names, never a name by themselves
DIRECTIONS = frozenset({"noord", "zuid", "oost", "west", "midden"})


def _documents() -> dict[str, str]:
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").iterdir())
            if p.suffix in (".txt", ".md")}
    if not EXTERNAL.is_dir():
        pytest.fail(f"{EXTERNAL} ontbreekt: de externe documenten horen naast de checkout te staan")
    docs.update({p.name: p.read_text(encoding="utf-8") for p in sorted(EXTERNAL.glob("*.txt"))
                 if not p.name.endswith(".source.txt")})
    return docs


@lru_cache(maxsize=None)
def _common(word: str, parts: int = 3) -> bool:
    """A common Dutch word, or a compound of up to three common words (a linking s allowed):
    "jeugdconsulent", "leerplichtwet", "onderwijszorgarrangement"."""
    lower = word.lower()
    if simplemma.is_known(lower, lang="nl"):
        return True
    if parts < 2:
        return False
    for i in range(3, len(lower) - 2):
        head, tail = lower[:i], lower[i:]
        if simplemma.is_known(head, lang="nl") and (_common(tail, parts - 1) or
                                                   (tail.startswith("s") and _common(tail[1:], parts - 1))):
            return True
    return False


@lru_cache(maxsize=1)
def corpus_names() -> frozenset[str]:
    docs = _documents()
    lower = {fold(w) for text in docs.values() for w in re.findall(r"\b[a-zà-ÿ][a-zà-ÿ-]{3,}\b", text)}
    names: set[str] = set()
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    for doc in manifest["documents"]:
        names.update(fold(doc[k]) for k in ("title", "organisation", "region") if doc.get(k))
        names.update(fold(g) for g in doc.get("gemeenten", []))
    inventories = ROOT / "corpus" / "inventories"
    regions = yaml.safe_load((inventories / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    for region in regions:
        names.update(fold(n) for n in (region["name"], *region.get("aliases", [])))
        for member in region["gemeenten"]:
            names.update(fold(n) for n in (member["name"], *member.get("aliases", [])))
    # the places the documents name: gemeenten, provinces, regions, and woonplaatsen of their own
    # gemeenten (a woonplaats elsewhere named like a surname or a word is no fact of a plan)
    gazetteer = load_gazetteer()
    mentions = [m for text in docs.values() for m in gazetteer.find(text)]
    own = {g for m in mentions if m.kind == "gemeente" for g in m.gemeenten}
    names.update(fold(m.text) for m in mentions if m.kind != "woonplaats" or set(m.gemeenten) & own)
    for text in docs.values():
        for word in re.findall(r"(?<=[a-z,;] )[A-Z][a-zà-ÿ]{3,}\b", text):
            if fold(word) not in lower and not _common(word):
                names.add(fold(word))
    for name in ("contacts.yaml", "arrangements.yaml"):
        data = yaml.safe_load((inventories / name).read_text(encoding="utf-8"))
        for record in next(iter(data.values())):
            for field in ("party", "name", *(["providers", "schools"] if name == "arrangements.yaml" else [])):
                values = record.get(field) or []
                for value in [values] if isinstance(values, str) else values:
                    names.update(fold(w) for w in re.findall(r"\b[A-Z][a-zà-ÿ]{3,}\b", value)
                                 if fold(w) not in lower and not _common(w))
    return frozenset(n for n in names if len(n) >= 4 and n not in ENGLISH | DIRECTIONS)


@lru_cache(maxsize=1)
def corpus_phrases() -> frozenset[str]:
    seen: dict[str, set[str]] = {}
    for name, text in _documents().items():
        for gram in _grams(text):
            seen.setdefault(gram, set()).add(name)
    # a sequence of everyday words ("de gemeente waar de leerling woont") says nothing of one plan;
    # one holding a word of its own (a name, a term of the plan) does
    return frozenset(g for g, where in seen.items() if len(where) == 1
                     and any(not w.isdigit() and len(w) > 3 and not _common(w) for w in g.split()))


def _grams(text: str, n: int = 6) -> set[str]:
    words = re.findall(r"[a-z0-9à-ÿ]+", fold(text))
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def _strings() -> list[tuple[str, str, bool]]:
    """(where, string, is_docstring) for every string literal and data-file string."""
    out: list[tuple[str, str, bool]] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                          and node.body and isinstance(node.body[0], ast.Expr)
                          and isinstance(node.body[0].value, ast.Constant)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    out.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value, id(node) in docstrings))
        for path in sorted((ROOT / package).rglob("*.y*ml")):
            if PLACE_DATA not in path.parents:
                out.extend((str(path.relative_to(ROOT)), s, False) for s in _yaml_strings(
                    yaml.safe_load(path.read_text(encoding="utf-8"))))
    return out


def _yaml_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_yaml_strings(k), *_yaml_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _yaml_strings(v)]
    return []


def test_no_corpus_name_in_code_or_word_lists():
    names = corpus_names()
    found = sorted({(fold(word), where) for where, text, _ in _strings()
                    for word in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'-]*[A-Za-zÀ-ÿ]", text) if fold(word) in names})
    assert not found, "namen uit het corpus in code of woordenlijsten:\n" + "\n".join(f"  {w}: {at}" for w, at in found)


def test_no_phrase_of_one_document_in_code_or_word_lists():
    phrases = corpus_phrases()
    found = sorted({(gram, where) for where, text, docstring in _strings() if not docstring
                    for gram in _grams(text) & phrases})
    assert not found, "zinsdelen uit één document in code of woordenlijsten:\n" + "\n".join(
        f"  {g!r}: {at}" for g, at in found)


def test_the_check_finds_names_and_phrases_it_is_meant_to_find():
    """The check is not empty: the corpus's own regions, gemeenten and organisations are in it."""
    names = corpus_names()
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    assert all(fold(doc["region"]) in names for doc in manifest["documents"] if doc.get("region"))
    assert sum(1 for doc in manifest["documents"] for g in doc.get("gemeenten", []) if fold(g) in names) >= 10
    assert len(corpus_phrases()) > 2_000
