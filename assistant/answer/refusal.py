"""Every rule by which Wegwijs declines to answer, with its Dutch message.

Wegwijs says only what its sources say. When they do not hold the answer it says so in one
sentence, names the rule (recorded in ``Answer.refusal_reason``) and points to the nearest
passages. The rules, in the order they are checked:

- ``no_passages``: retrieval found nothing (an empty index or a filter that excludes everything);
- ``directive``: the question tells Wegwijs to assert something or to drop its rules;
- ``place_not_covered``: the question is about a place no indexed document covers;
- ``fact_missing``: one specific fact is asked (a phone number, a date, a count ...) and no
  retrieved sentence about the subject holds one (see :mod:`assistant.answer.evidence`);
- ``unsupported``: too little of the question's content occurs in the best passages.

Example::

    refusal = before_reading(analysis, hits)
    if refusal:
        return refuse(refusal, hits)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.citations import Citations
from assistant.core.lexicon import lexicon
from assistant.core.types import Composition, Hit, QueryAnalysis

NEAREST = 2  # passages offered after a refusal
NAMED_MISSING = 3  # question words a refusal names as not found


@dataclass(frozen=True)
class Refusal:
    """Why an answer is declined: a stable rule name and one Dutch sentence for the user."""

    rule: str
    message: str


def before_reading(analysis: QueryAnalysis, hits: list[Hit]) -> Refusal | None:
    """The rules decided before any sentence is read: no passages, a directive, a place not covered."""
    if not hits:
        return Refusal("no_passages", "Er zijn geen passages gevonden voor deze vraag.")
    if analysis.intent.directive:
        return Refusal("directive", "Wegwijs zegt alleen wat de bronnen zeggen en volgt geen opdrachten om iets "
                                    "anders te beweren of instructies te tonen.")
    if analysis.unknown_places and not analysis.regions:
        places = ", ".join(p.title() for p in analysis.unknown_places)
        covered = ", ".join(sorted({h.chunk.region for h in hits if h.chunk.region}))
        return Refusal("place_not_covered", f"Wegwijs heeft geen plannen voor {places}; de bronnen gaan over "
                                            f"{covered}.")
    return None


def fact_missing(analysis: QueryAnalysis) -> Refusal:
    """No retrieved sentence about the subject holds the kind of fact asked for."""
    label = lexicon().answer_type(analysis.answer_type).label if analysis.answer_type else "gegeven"
    return Refusal("fact_missing", f"De bronnen die Wegwijs kent noemen hier geen {label}.")


def unsupported(missing: list[str] | None = None) -> Refusal:
    """The best passages hold too little of what the question asks; ``missing``: the question's
    words they do not hold, named in the message (at most ``NAMED_MISSING``)."""
    if missing:
        named = missing[:NAMED_MISSING]
        words = ", ".join(f"‘{w}’" for w in named[:-1]) + (" en " if len(named) > 1 else "") + f"‘{named[-1]}’"
        return Refusal("unsupported", f"De bronnen die Wegwijs kent zeggen niets over {words}.")
    return Refusal("unsupported", "De bronnen die Wegwijs kent beantwoorden deze vraag niet.")


def refuse(refusal: Refusal, hits: list[Hit], support: float = 0.0) -> Composition:
    """The refusal as an answer: one sentence on what is missing, then the nearest passages, cited."""
    citations = Citations()
    for hit in hits[:NEAREST]:
        citations.add(hit.chunk, first_sentence(hit.chunk.text))
    text = refusal.message
    if citations:
        pointers = "; ".join(f"{c.title}" + (f", p. {c.page}" if c.page else "") + f" [{c.n}]" for c in citations)
        text += f"\nHet dichtst in de buurt: {pointers}."
    return Composition(text, list(citations), True, support, refusal.message, refusal_rule=refusal.rule)


def first_sentence(text: str) -> str:
    match = re.match(r"(.{20,300}?[.!?])(\s|$)", text, flags=re.S)
    return (match.group(1) if match else text[:300]).strip()
