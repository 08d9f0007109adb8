"""scripts/bench_llm.py without the real model: the server's start, readiness and stop with a stand-in
process, llama.cpp's timing lines, the spread sample, and one set asked and scored (by the
evaluation's own scoring) on the tiny invented corpus against the fake OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "assistant" / "answer"))
_SPEC = importlib.util.spec_from_file_location("bench_llm", ROOT / "scripts" / "bench_llm.py")
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)

QUESTION = "wat is de wachttijd voor jeugdhulp in weken?"
GOOD = "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken [1]."

PERF_LOG = """llama_perf_context_print:        load time =    1200.00 ms
llama_perf_context_print: prompt eval time =    8000.00 ms /   400 tokens (   20.00 ms per token,    50.00 tokens per second)
llama_perf_context_print:        eval time =    3000.00 ms /    30 runs   (  100.00 ms per token,    10.00 tokens per second)
llama_perf_context_print:       total time =   11000.00 ms /   430 tokens
INFO:     127.0.0.1:5555 - "POST /v1/chat/completions HTTP/1.1" 200 OK
llama_perf_context_print: prompt eval time =    2000.00 ms /   100 tokens (   20.00 ms per token,    50.00 tokens per second)
llama_perf_context_print:        eval time =    1000.00 ms /    10 runs   (  100.00 ms per token,    10.00 tokens per second)
"""


def test_a_sample_is_spread_over_the_whole_set():
    items = list(range(10))
    assert bench.spread(items, 3) == [0, 3, 6] and bench.spread(items, 5) == [0, 2, 4, 6, 8]
    assert bench.spread(items, None) == items and bench.spread(items, 25) == items


def test_the_servers_own_timings_are_summed_over_a_stretch_of_its_log():
    timings = bench.server_timings(PERF_LOG)
    assert timings["prompt_tokens"] == 500 and timings["generated_tokens"] == 40
    assert timings["prompt_tps"] == pytest.approx(50.0) and timings["generation_tps"] == pytest.approx(10.0)
    assert bench.server_timings("geen tijden")["prompt_tps"] is None


def test_the_server_command_stays_on_loopback_with_the_threads_asked():
    command = bench.server_command("/opt/llm/bin/python", Path("m.gguf"), 8123, 3, 2048)
    assert command[:3] == ["/opt/llm/bin/python", "-m", "llama_cpp.server"]
    assert command[command.index("--host") + 1] == "127.0.0.1" and command[command.index("--n_threads") + 1] == "3"
    assert command[command.index("--port") + 1] == "8123" and command[command.index("--model") + 1] == "m.gguf"


def test_a_server_is_waited_for_until_its_models_answer_and_stopped(tmp_path):
    (tmp_path / "www" / "v1").mkdir(parents=True)
    (tmp_path / "www" / "v1" / "models").write_text('{"data": []}', encoding="utf-8")
    port = bench.free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
               str(tmp_path / "www")]
    process = bench.start_server(command, tmp_path / "server.log")
    try:
        bench.wait_ready(process, port, tmp_path / "server.log", timeout_s=20)
        assert process.poll() is None
    finally:
        bench.stop_server(process)
    assert process.poll() is not None


def test_a_server_that_dies_is_reported_with_its_log(tmp_path):
    command = [sys.executable, "-c", "import sys; print('kapot'); sys.exit(3)"]
    process = bench.start_server(command, tmp_path / "server.log")
    with pytest.raises(RuntimeError, match=r"stopte \(code 3\)[\s\S]*kapot"):
        bench.wait_ready(process, bench.free_port(), tmp_path / "server.log", timeout_s=20)


def test_an_illegal_instruction_points_at_the_build_flags(tmp_path):
    command = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGILL)"]
    process = bench.start_server(command, tmp_path / "server.log")
    with pytest.raises(RuntimeError, match="CMAKE_ARGS"):
        bench.wait_ready(process, bench.free_port(), tmp_path / "server.log", timeout_s=20)


@pytest.fixture(scope="module")
def tiny_settings(tmp_path_factory):
    from answer_support import build_settings

    return build_settings(tmp_path_factory.mktemp("bench-tiny"))


def _items():
    from evals.scoring import GoldItem

    fact = {"id": "f1", "type": "fact", "question": QUESTION, "must_include": ["zes weken"],
            "sources": [{"doc": "plan", "quote": "De wachttijd voor jeugdhulp bedraagt gemiddeld zes weken."}]}
    refusal = {"id": "u1", "type": "unanswerable", "question": "wat vinden de ouders van de kantine?"}
    return [GoldItem.model_validate(fact), GoldItem.model_validate(refusal)]


def test_one_set_is_asked_as_the_web_chat_does_and_scored_by_the_evaluation(tiny_settings):
    from fake_llm_server import FakeChatServer
    from fakes import HashEmbedder

    from assistant.answer.engine import Assistant

    with FakeChatServer(reply=GOOD, delay=0.05, chunk_delay=0.01) as server:
        bot = Assistant(tiny_settings.model_copy(update={"llm_base_url": server.url, "llm_timeout_s": 10}),
                        embedder=HashEmbedder()).warm_up()
        rows = bench.run_set(bot, _items(), "test")
    fact, refusal = rows
    assert fact["outcome"] == "used" and refusal["outcome"] is None  # a refusal gets no LLM step
    assert fact["final"].mode == "llm" and fact["final"].answer.endswith("zes weken. [1]")
    assert fact["llm"].must_include == 1.0 and fact["llm"].citation_support is True
    assert 0.05 <= fact["first_token_s"] < fact["llm_s"] and fact["prompt_tokens"] > 0  # usage from the stream
    summary = bench.summarize(rows, within_s=20)
    assert summary["questions"] == 2 and summary["llm_attempted"] == 1 and summary["fallback_share"] == 0
    assert summary["outcomes"]["used"] == 1 and summary["used_within"] == 1
    assert summary["llm"]["must_include"] == 1.0 and summary["llm"]["citation_support"] == 1.0
    assert summary["llm"]["median_words"] == 8  # "De wachttijd ... zes weken." without its marker
    assert summary["seconds"]["llm_setting"]["n"] == 2 and summary["tokens"]["generation_tps"] > 0


def test_an_unverified_reply_counts_as_a_fallback_and_the_extractive_answer_is_scored(tiny_settings):
    from fakes import HashEmbedder
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.answer.engine import Assistant

    model = FakeListChatModel(responses=["Het loket opent om 09:00 uur op maandag [1]."])
    bot = Assistant(tiny_settings, embedder=HashEmbedder(), chat_model=model).warm_up()
    rows = bench.run_set(bot, _items()[:1], "test")
    summary = bench.summarize(rows, within_s=20)
    assert rows[0]["outcome"] == "unsupported" and rows[0]["final"].mode == "extractive"
    assert summary["fallback_share"] == 1.0 and summary["outcomes"]["unsupported"] == 1
    assert summary["llm"]["must_include"] == summary["extractive"]["must_include"]
    assert rows[0]["prompt_tokens"] is None  # no server to count them: shown as "-"


def test_the_sets_are_named_as_in_the_evaluation(tiny_settings, tmp_path):
    chosen = bench.chosen_sets("cal,held", tiny_settings, tmp_path)
    assert [(name, path.name) for name, _, path in chosen] == [("cal", "questions.jsonl"),
                                                               ("held", "heldout.jsonl")]
    with pytest.raises(SystemExit, match="Onbekende set"):
        bench.chosen_sets("dev", tiny_settings, tmp_path)


def test_a_warm_up_that_fails_is_reported_and_the_run_goes_on(capsys):
    from types import SimpleNamespace

    from assistant.answer.prompt import SYSTEM_PROMPT

    sent = []

    def invoke(messages):
        sent.append(messages)
        raise TimeoutError("te traag")

    bench.warm_up(SimpleNamespace(llm=SimpleNamespace(model=SimpleNamespace(invoke=invoke))))
    assert sent[0][0].content == SYSTEM_PROMPT  # the answers' own prefix, so the server keeps it
    assert "Opwarmen mislukt" in capsys.readouterr().out
