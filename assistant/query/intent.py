"""What a question asks for, decided once per question: :func:`classify` gives an :class:`Intent`.

Every later step (retrieval's evidence bonus, the router, the composer, the refusal rules) reads
the intent instead of matching the question again. The patterns are data
(``assistant/core/lexicon/questions.yaml``); this module only says which pattern decides what,
and on which text: the user's own words (``question``) or the question with a follow-up resolved
(``rewritten``).

Example::

    intent = classify("wat is het telefoonnummer van het cjg?", "wat is het telefoonnummer van het cjg?")
    intent.answer_type, intent.contact_details
"""

from __future__ import annotations

import re

from assistant.core.lexicon import lexicon
from assistant.core.text import fold
from assistant.core.types import Intent


def answer_type_of(question: str) -> tuple[str | None, re.Pattern | None]:
    """The first answer type whose question pattern matches, and the evidence it needs.

    A duration asked in a unit ("wachttijd in weken") needs that unit, not "4 jaar" somewhere.
    """
    folded = fold(question)
    lex = lexicon()
    for kind in lex.answer_types:
        if kind.asks.search(folded):
            evidence = kind.needs
            unit = lex.pattern("duration_unit").search(folded) if kind.name == "duration" else None
            if unit:
                evidence = re.compile(lex.pattern("duration_amount").pattern.replace("UNIT", unit.group(1)[:-2]))
            return kind.name, evidence
    return None, None


def classify(question: str, rewritten: str) -> Intent:
    """The intent of ``question`` (as typed) and ``rewritten`` (a follow-up resolved)."""
    lex = lexicon()
    asked, resolved = fold(question), fold(rewritten)
    answer_type, evidence = answer_type_of(question)

    def on(name: str, text: str) -> bool:
        return bool(lex.pattern(name).search(text))

    return Intent(
        answer_type=answer_type, evidence=evidence,
        definition=on("definition", resolved), definition_broad=on("definition_broad", asked),
        listing=on("list_question", asked), list_ask=on("list_ask", resolved),
        enumeration=on("enumeration_ask", resolved), enumeration_what=on("enumeration_what", resolved),
        whom_to_contact=on("whom_to_contact", resolved) and not on("not_a_route", resolved),
        contact_details=on("contact_details", asked),
        who=on("asks_who", asked), directive=on("directive", asked),
        followup=rewritten != question, several=asks_several(resolved))


def asks_several(folded: str) -> bool:
    """Whether a question asks for more than one item: an explicit ask ("noem", "alle", "uit welke
    ... bestaat") or "welke" before a plural noun ("welke eisen", not "welke zorgverzekeraar")."""
    lex = lexicon()
    if lex.pattern("several").search(folded):
        return True
    # "welke" asks the question only when it comes first: "wie bepaalt welke leerlingen ..." asks who
    first = lex.pattern("question_word").search(folded)
    if first is None or first.group(1) != "welke":
        return False
    return any(_plural(m.group(1)) for m in lex.pattern("which_noun").finditer(folded))


def _plural(word: str) -> bool:
    """A Dutch plural noun by its ending: -en, -'s, or -s after a vowel or l, m, n, r ("eisen",
    "oja's", "niveaus", "partners"; not "zorgverzekeraar", "periode", "proces")."""
    return (len(word) > 4 and word.endswith("en")) or word.endswith("'s") or (
        len(word) > 3 and word.endswith("s") and word[-2] in "aeioulmnr" and not word.endswith("ss"))
