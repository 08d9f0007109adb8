"""The lexicon (assistant/core/lexicon/*.yaml) and the code that reads it agree.

Code asks for word sets and patterns by name; a name the data lacks is a KeyError only when that
line runs, perhaps on one rare question. These checks find every name the code uses (by reading
the source, not by running it) and every entry of the data, so a renamed or dropped entry fails
here at once. The tests sit in one class whose name carries "unit", so the fast selection
(``-k unit``) picks them up with the other unit tests.
"""

from __future__ import annotations

import ast
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from assistant.core import lexicon as lexicon_module
from assistant.core.lexicon import LEXICON_DIR, lexicon, lexicon_files, lexicon_version
from assistant.core.text import fold
from assistant.core.types import SPECIFIC_FACTS

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ["assistant", "ingest", "ui", "evals", "scripts"]
# calls whose first argument names a lexicon entry: <receiver>.pattern("x"), .words("x"),
# .answer_type("x"), word_terms("x"), and in the intent module on("x") (a pattern tried on a text)
NAMED = {"pattern": "pattern", "words": "words", "answer_type": "answer_type"}


def _raw(name: str) -> dict:
    return yaml.safe_load((LEXICON_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def _is_lexicon(node: ast.expr) -> bool:
    """``lex`` / ``lexicon()`` / ``lexicon_module.lexicon()``: a receiver that is the lexicon."""
    if isinstance(node, ast.Name):
        return node.id in {"lex", "lexicon"}
    if isinstance(node, ast.Call):
        func = node.func
        return (isinstance(func, ast.Name) and func.id == "lexicon") or \
            (isinstance(func, ast.Attribute) and func.attr == "lexicon")
    return False


def _names_used() -> dict[str, set[tuple[str, str]]]:
    """Per kind ("pattern", "words", "answer_type"): (name, where) for every literal name in the code."""
    used: dict[str, set[tuple[str, str]]] = {"pattern": set(), "words": set(), "answer_type": set()}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            if "lexicon" not in source and "word_terms" not in source:
                continue  # a module that never reaches the lexicon (most of them): not parsed
            tree = ast.parse(source)
            where = str(path.relative_to(ROOT))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                arg = node.args[0]
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in NAMED and _is_lexicon(func.value):
                    used[NAMED[func.attr]].add((arg.value, f"{where}:{node.lineno}"))
                elif isinstance(func, ast.Name) and func.id == "word_terms":
                    used["words"].add((arg.value, f"{where}:{node.lineno}"))
                elif isinstance(func, ast.Name) and func.id == "on" and path.name == "intent.py":
                    used["pattern"].add((arg.value, f"{where}:{node.lineno}"))
    return used


@lru_cache(maxsize=1)
def _names_used_in_the_code() -> dict[str, set[tuple[str, str]]]:
    return _names_used()


class TestLexiconUnit:
    def test_every_named_pattern_compiles(self):
        problems = []
        for name, source in _raw("questions")["patterns"].items():
            try:
                re.compile(source)
            except re.error as exc:
                problems.append(f"{name}: {exc}")
        assert not problems, problems

    def test_every_answer_type_compiles_and_has_a_dutch_label(self):
        types = _raw("questions")["answer_types"]
        names = [t["name"] for t in types]
        assert len(names) == len(set(names)), names
        for kind in types:
            re.compile(kind["asks"]), re.compile(kind["needs"])
            assert kind["label"].strip() and kind["label"] == kind["label"].lower(), kind
        # the refusal "De bronnen noemen hier geen <label> voor." exists for every specific fact
        assert SPECIFIC_FACTS <= set(names)
        assert lexicon().answer_type("phone").label == "telefoonnummer"

    def test_the_duration_amount_takes_every_unit_the_question_may_name(self):
        lex = lexicon()
        template = lex.pattern("duration_amount").pattern
        assert "UNIT" in template
        for unit in ("weken", "dagen", "maanden"):
            assert lex.pattern("duration_unit").search(f"hoeveel {unit}")
            narrowed = re.compile(template.replace("UNIT", unit[:-2]))
            assert narrowed.search(f"binnen drie {unit}")

    def test_every_list_noun_compiles_and_names_a_record_kind(self):
        from assistant.core.records import KINDS

        for noun in _raw("questions")["list_nouns"]:
            re.compile(noun["pattern"])
            assert noun["kind"] in KINDS and noun["label"].strip(), noun

    def test_every_pattern_and_word_set_the_code_names_exists(self):
        lex = lexicon()
        used = _names_used_in_the_code()
        assert used["pattern"] and used["words"], "the scan found no lexicon calls: the code changed shape"
        missing = [f"pattern {n!r} ({w})" for n, w in used["pattern"] if n not in lex._patterns]
        missing += [f"words {n!r} ({w})" for n, w in used["words"] if n not in _raw("words")]
        missing += [f"answer_type {n!r} ({w})" for n, w in used["answer_type"]
                    if n not in {t.name for t in lex.answer_types}]
        assert not missing, missing

    def test_every_pattern_and_word_set_of_the_data_is_used_by_the_code(self):
        used = _names_used_in_the_code()
        patterns = {n for n, _ in used["pattern"]}
        word_sets = {n for n, _ in used["words"]}
        unused = sorted(set(_raw("questions")["patterns"]) - patterns)
        unused += sorted(set(_raw("words")) - word_sets)
        assert not unused, f"entries no code reads (drop them or use them): {unused}"

    def test_the_scan_sees_a_name_the_data_lacks(self, tmp_path, monkeypatch):
        # the check above must be able to fail: a module asking for an unknown name is reported
        package = tmp_path / "assistant"
        package.mkdir()
        (package / "probe.py").write_text('from assistant.core.lexicon import lexicon\n'
                                          'lexicon().pattern("no_such_pattern")\n', encoding="utf-8")
        monkeypatch.setitem(globals(), "ROOT", tmp_path)
        monkeypatch.setitem(globals(), "PACKAGES", ["assistant"])
        assert _names_used()["pattern"] == {("no_such_pattern", "assistant/probe.py:2")}

    def test_word_sets_are_folded_lowercase_without_duplicates(self):
        for name, entries in _raw("words").items():
            assert entries, name
            assert len(entries) == len(set(entries)), name
            assert [w for w in entries if w != fold(w).strip()] == [], name

    def test_a_missing_name_fails_at_once(self):
        with pytest.raises(KeyError):
            lexicon().pattern("no_such_pattern")
        with pytest.raises(KeyError):
            lexicon().words("no_such_words")

    def test_the_lexicon_is_read_once(self):
        assert lexicon() is lexicon()

    def test_the_version_changes_when_a_data_file_changes(self, tmp_path, monkeypatch):
        copy = tmp_path / "lexicon"
        shutil.copytree(LEXICON_DIR, copy)
        monkeypatch.setattr(lexicon_module, "LEXICON_DIR", copy)
        assert [p.name for p in lexicon_files()] == sorted(p.name for p in LEXICON_DIR.glob("*.yaml"))
        before = lexicon_version()
        words = copy / "words.yaml"
        words.write_text(words.read_text(encoding="utf-8") + "\n# a comment is a change too\n", encoding="utf-8")
        assert lexicon_version() != before
