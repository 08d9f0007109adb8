"""The LLM step streamed (assistant.answer.llm.LLMAnswerer.generate, assistant.answer.streaming) with
FakeListChatModel on the tiny index: progress while it writes, only verified sentences in the end,
and every way the extractive answer stays (unsupported, not in the sources, timeout, error)."""

from __future__ import annotations

import time

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.answer.engine import Assistant
from assistant.answer.llm import Generation, Progress
from assistant.answer.prompt import NOT_IN_SOURCES
from assistant.answer.streaming import generation, replaced
from fakes import HashEmbedder

QUESTION = "wat is de wachttijd voor jeugdhulp in weken?"
GOOD = "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken [1]."


class CountingModel(FakeListChatModel):
    """FakeListChatModel that counts the chunks it streamed (to see a stream stopped early)."""

    streamed: int = 0

    def _stream(self, *args, **kwargs):
        for chunk in super()._stream(*args, **kwargs):
            self.streamed += 1
            yield chunk


def _bot(settings, model, **overrides) -> Assistant:
    return Assistant(settings.model_copy(update=overrides), embedder=HashEmbedder(), chat_model=model).warm_up()


def _run(bot: Assistant, question: str = QUESTION):
    first = bot.answer(question, generate=False)
    items = list(generation(bot, first))
    return first, items, items[-1]


def test_a_verified_answer_replaces_the_extractive_one(tiny_settings):
    bot = _bot(tiny_settings, CountingModel(responses=[GOOD]))
    first, items, end = _run(bot)
    assert first.mode == "extractive" and first.route == "extractive"
    assert isinstance(end, Generation) and end.outcome == "used" and end.used
    assert all(isinstance(i, Progress) for i in items[:-1]) and items[0].tokens == 0
    assert [i.tokens for i in items[:-1]] == sorted(i.tokens for i in items[:-1])  # tokens only grow
    final = replaced(first, end)
    assert final.answer == "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken. [1]"
    assert final.mode == "llm" and final.route == "llm" and final.question == first.question
    assert [c.n for c in final.citations] == [1] and "zes weken" in final.citations[0].quote
    assert final.citations[0].chunk_id == first.citations[0].chunk_id
    assert final.timings_ms["llm"] > 0 and final.timings_ms["total"] >= first.timings_ms["total"]
    assert end.raw == GOOD and end.prompt_estimate <= 600 and end.completion_tokens == len(GOOD)


def test_a_marker_after_the_full_stop_stays_with_its_sentence(tiny_settings):
    bot = _bot(tiny_settings, FakeListChatModel(responses=["De wachttijd voor jeugdhulp is gemiddeld zes weken. [1]"]))
    _, _, end = _run(bot)
    assert end.outcome == "used" and end.composition.answer.endswith("zes weken. [1]")


@pytest.mark.parametrize("reply", [
    "Het loket rekent 40 euro per aanmelding [1].",  # a number the passage does not hold
    "Noordwaard [1].",  # a bare name says nothing
    "De wachttijd is zes weken.",  # no source marker
    "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken [4].",  # a source the prompt does not have
    "De provincie betaalt alle reiskosten van ouders en leerlingen [1].",  # not in the passage
])
def test_nothing_verifiable_leaves_the_extractive_answer(tiny_settings, reply):
    bot = _bot(tiny_settings, FakeListChatModel(responses=[reply]))
    first, _, end = _run(bot)
    assert end.outcome == "unsupported" and end.composition is None and replaced(first, end) is None
    assert bot.answer(QUESTION).answer == first.answer  # the blocking path falls back alike


def test_only_the_verified_sentences_survive_a_mixed_reply(tiny_settings):
    reply = GOOD + " Het telefoonnummer van het loket is 030-9999999 [1]. Een zin zonder bron."
    bot = _bot(tiny_settings, FakeListChatModel(responses=[reply]))
    _, _, end = _run(bot)
    assert end.outcome == "used"
    assert end.composition.answer == "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken. [1]"


def test_not_in_the_sources_stops_the_stream_and_keeps_the_extractive_answer(tiny_settings):
    model = CountingModel(responses=[NOT_IN_SOURCES + " want de bronnen zeggen er niets over, dus ik stop hier."])
    bot = _bot(tiny_settings, model)
    _, _, end = _run(bot)
    assert end.outcome == "not_in_sources" and end.composition is None
    assert model.streamed == len(NOT_IN_SOURCES)  # closed as soon as the marker was complete


def test_the_stream_stops_once_a_fourth_sentence_begins(tiny_settings):
    sentence = "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken [1]. "
    model = CountingModel(responses=[sentence * 6])
    bot = _bot(tiny_settings, model)
    _, _, end = _run(bot)
    assert end.outcome == "used" and end.composition.answer.count("[1]") == 3
    assert model.streamed < len(sentence) * 4


def test_a_slow_model_times_out_and_the_stream_is_closed(tiny_settings):
    model = CountingModel(responses=[GOOD * 4], sleep=0.05)  # about 12 s for the whole reply
    bot = _bot(tiny_settings, model, llm_timeout_s=0.4)
    started = time.perf_counter()
    first, _, end = _run(bot)
    assert end.outcome == "timeout" and end.composition is None and replaced(first, end) is None
    assert time.perf_counter() - started < 2.0 and model.streamed < 20
    assert bot.answer(QUESTION).mode == "extractive"


def test_a_model_error_mid_stream_keeps_the_extractive_answer(tiny_settings):
    bot = _bot(tiny_settings, FakeListChatModel(responses=[GOOD], error_on_chunk_number=5))
    first, _, end = _run(bot)
    assert end.outcome == "error" and end.composition is None
    assert bot.answer(QUESTION).answer == first.answer


def test_the_extractive_answer_comes_without_calling_the_model(tiny_settings):
    model = CountingModel(responses=[GOOD])
    bot = _bot(tiny_settings, model)
    first = bot.answer(QUESTION, generate=False)
    assert model.streamed == 0 and model.i == 0 and first.mode == "extractive"
    blocking = bot.answer(QUESTION)
    assert blocking.mode == "llm" and blocking.route == "llm" and blocking.answer.endswith("zes weken. [1]")


def test_no_generation_without_an_llm_or_for_a_refusal_or_a_list(tiny_settings, tiny_assistant):
    assert list(generation(tiny_assistant, tiny_assistant.answer(QUESTION, generate=False))) == []
    bot = _bot(tiny_settings, CountingModel(responses=[GOOD]))
    refused = bot.answer("wat vinden de ouders van de kantine?", generate=False)
    listed = bot.answer("welke pijlers heeft het ondersteuningsplan?", generate=False)
    assert refused.refused and listed.route == "list"
    assert list(generation(bot, refused)) == [] and list(generation(bot, listed)) == []
    assert bot.llm.model.streamed == 0
