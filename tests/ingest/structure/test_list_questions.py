"""The list questions of the external-dev set, answered completely by one derived enumeration.

``list_questions.jsonl`` is a copy of the ``type: list`` questions of ../shared/external-dev/
questions.jsonl. A question counts as complete when every must_include phrase stands in the
items of one derived list; d022 also needs the list's lead-in context (its first requirement,
the budgetplan, is said in the sentence before ``Daarna onderzoek je de voorwaarden:``).
"""

from __future__ import annotations

import json

import pytest
from structure_support import EXTERNAL_DIR, STRUCTURE, external

from assistant.core.types import DocMeta
from ingest.clean import clean_document
from ingest.loaders import load
from ingest.structure.lists import extract_enumerations

NEEDS_CONTEXT = {"d022"}


def _questions() -> list[dict]:
    return [json.loads(line) for line in (STRUCTURE / "list_questions.jsonl").read_text(encoding="utf-8").splitlines()]


def complete_in(enums, must_include: list[str], with_context: bool) -> bool:
    """Whether one enumeration holds every must_include phrase (case-insensitive)."""
    wanted = [m.lower() for m in must_include]
    for enum in enums:
        text = " | ".join(item.text for item in enum.items)
        if with_context:
            text = f"{enum.context} {enum.lead_in} | {text}"
        if all(m in text.lower() for m in wanted):
            return True
    return False


def _check(enums_of) -> dict[str, tuple[bool, bool]]:
    results = {}
    for q in _questions():
        enums = enums_of(q["sources"][0]["doc"])
        results[q["id"]] = (complete_in(enums, q["must_include"], False), complete_in(enums, q["must_include"], True))
    return results


def test_every_list_question_is_answered_by_one_derived_list_on_the_original_pages():
    results = _check(lambda name: extract_enumerations(external(name)))
    assert len(results) == 11
    assert {qid for qid, (items, _) in results.items() if not items} == NEEDS_CONTEXT
    assert all(with_context for _, with_context in results.values())


@pytest.mark.slow
def test_list_questions_on_the_whole_original_documents():
    """The same on the full originals in ../shared/external-dev (loaded with pypdf / python-docx)."""
    assert EXTERNAL_DIR.is_dir(), f"external-dev set not found at {EXTERNAL_DIR}"
    live = [json.loads(line) for line in (EXTERNAL_DIR / "questions.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip() and json.loads(line)["type"] == "list"]
    assert [q["id"] for q in live] == [q["id"] for q in _questions()], "list_questions.jsonl is out of date"
    cache: dict[str, list] = {}

    def enums_of(name: str):
        if name not in cache:
            path = EXTERNAL_DIR / name
            raw = load(path, DocMeta(doc_id=path.stem, file=name, title=path.stem))
            cache[name] = extract_enumerations(clean_document(raw))
        return cache[name]

    results = _check(enums_of)
    assert {qid for qid, (items, _) in results.items() if not items} == NEEDS_CONTEXT
    assert all(with_context for _, with_context in results.values())
