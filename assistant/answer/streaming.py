"""Step 4 for streaming UIs: the extractive answer shows at once, the verified LLM answer replaces it.

The web chat and the API's event stream first show ``Assistant.answer(..., generate=False)``: the
extractive answer, in well under a second. Then :func:`generation` streams the LLM's attempt
(:class:`~assistant.answer.llm.Progress` while tokens arrive, one
:class:`~assistant.answer.llm.Generation` at the end); :func:`replaced` turns a generation that
survived verification into the answer that replaces the first one. When the LLM errs, times out
or says nothing verifiable, there is no replacement: the extractive answer simply stays.

Example::

    first = bot.answer(question, generate=False)
    show(first)
    for item in generation(bot, first):
        if isinstance(item, Generation) and item.used:
            show(replaced(first, item))
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from assistant.answer.llm import Generation, Progress
from assistant.core.types import Answer

log = logging.getLogger(__name__)


def rewritable(bot, answer: Answer) -> bool:
    """An LLM is configured and the answer is extractive sentences (not a refusal, list or route)."""
    return getattr(bot, "llm", None) is not None and not answer.refused and answer.route == "extractive"


def generation(bot, answer: Answer) -> Iterator[Progress | Generation]:
    """The LLM's attempt at a short answer over the passages ``answer`` cites; empty without an LLM."""
    if not rewritable(bot, answer):
        return iter(())
    return _logged(bot.llm.generate(answer.rewritten_question or answer.question, answer.citations, bot.index))


def _logged(items: Iterator[Progress | Generation]) -> Iterator[Progress | Generation]:
    for item in items:
        if isinstance(item, Generation):
            log.info("Antwoord van het taalmodel: %s (%.1f s, %s prompttokens geschat, %s tokens geschreven)",
                     item.outcome, item.seconds, item.prompt_estimate, item.completion_tokens)
        yield item


def replaced(answer: Answer, generated: Generation) -> Answer | None:
    """The answer that replaces ``answer``: the verified LLM text with its own citations; None when
    the generation was not used."""
    composition = generated.composition
    if composition is None:
        return None
    timings = dict(answer.timings_ms)
    timings["llm"] = round(generated.seconds * 1000, 2)
    timings["total"] = round(timings.get("total", 0.0) + timings["llm"], 2)
    return answer.model_copy(update={"answer": composition.answer, "citations": composition.citations,
                                     "mode": "llm", "route": "llm", "timings_ms": timings})
