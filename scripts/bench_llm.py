"""The LLM setting on a real model: llama-cpp-python's server with the bundled GGUF, on loopback.

Not part of CI (it needs llama-cpp-python built with the flags in the README, best in a venv of its
own, and 10-40 s an answer on two cores). It joins the GGUF if needed (scripts/join_gguf.py),
starts ``SERVER_PYTHON -m llama_cpp.server`` on 127.0.0.1, waits until ``/v1/models`` answers, and
asks every chosen question twice in one pass, as the web chat does: the extractive answer at once
(``generate=False``), then the LLM's verified rewrite of it (which replaces it only when it passes
verification). Both are scored with the evaluation's own scoring (``evals.scoring.score_answer``
and ``aggregate``), so the figures are those of ``python -m evals run`` on the same questions.

Per set it prints, for the extractive default and the LLM setting: must_include, citation support,
median words; for the LLM step: how often its answer was used or fell back (timeout, not verified,
"not in the sources", error, empty), seconds per answer (mean, p50, p95) and tokens per second
(prompt and generation, from the stream; and the server's own timings from its log when it prints
them). The server is stopped at the end, also on Ctrl+C or a kill.

Sets: ``cal`` (evals/questions.jsonl, the calibration set), ``held`` (evals/heldout.jsonl:
aggregates only, never per question, not even in the JSON), ``ext`` (../shared/external-dev: the
project corpus plus the external originals, in an index of its own under the data folder, built
first if needed). ``--limit N`` takes N questions spread evenly over a set (every k-th), so a
sample covers all question types and documents.

Usage::

    WEGWIJS_DATA_DIR=/tmp/wegwijs-llm nice -n 10 python scripts/bench_llm.py \\
        --server-python /opt/llm-venv/bin/python --threads 2 --sets cal,ext,held --limit 15 --timeout 60
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from join_gguf import JoinError, bundled_model  # noqa: E402

SETS = {"cal": "evals/questions.jsonl", "held": "evals/heldout.jsonl", "ext": None}
FALLBACKS = {"timeout": "timeout", "unsupported": "niet geverifieerd", "not_in_sources": "'niet in bronnen'",
             "error": "fout", "empty": "leeg"}
# llama.cpp's own timings (llama_perf_context_print), printed by the server after an answer
_PERF = re.compile(r"(prompt eval|\beval) time\s*=\s*([\d.]+) ms /\s*(\d+) (?:tokens|runs)")


# -- the server ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(python: str, model: Path, port: int, threads: int, ctx: int) -> list[str]:
    """The command that starts llama-cpp-python's OpenAI-compatible server on loopback."""
    return [python, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
            "--n_threads", str(threads), "--n_ctx", str(ctx)]


def start_server(command: list[str], log_path: Path) -> subprocess.Popen:
    print("Server:", " ".join(command), flush=True)
    log = log_path.open("w", encoding="utf-8")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(process: subprocess.Popen, port: int, log_path: Path, timeout_s: float = 300.0) -> None:
    """Wait until ``/v1/models`` answers 200; raises when the server stops or does not answer in time."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            code = process.returncode
            hint = " (illegal instruction: bouw llama-cpp-python opnieuw met de CMAKE_ARGS uit de README)" \
                if code in (-4, 132) else ""
            raise RuntimeError(f"de LLM-server stopte (code {code}){hint}:\n"
                               + log_path.read_text(encoding="utf-8", errors="replace")[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"de LLM-server antwoordde niet binnen {timeout_s:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def count_tokens(base_url: str | None, text: str) -> int | None:
    """Tokens of ``text`` by the server's own tokenizer (llama-cpp-python's /extras/tokenize/count)."""
    import httpx

    if not base_url:
        return None
    try:
        response = httpx.post(base_url.removesuffix("/v1") + "/extras/tokenize/count", json={"input": text}, timeout=30)
        return int(response.json()["count"]) if response.status_code == 200 else None
    except (httpx.HTTPError, KeyError, ValueError):
        return None


def server_timings(log_text: str) -> dict:
    """llama.cpp's own prompt and generation timings in a stretch of the server log: tokens/s over it."""
    totals = {"prompt eval": [0.0, 0], "eval": [0.0, 0]}
    for kind, ms, tokens in _PERF.findall(log_text):
        totals[kind.strip()][0] += float(ms)
        totals[kind.strip()][1] += int(tokens)
    rate = {k: (t / (ms / 1000) if ms > 0 else None) for k, (ms, t) in totals.items()}
    return {"prompt_tps": rate["prompt eval"], "generation_tps": rate["eval"],
            "prompt_tokens": totals["prompt eval"][1], "generated_tokens": totals["eval"][1]}


def warm_up(bot) -> None:
    """One short request under the answers' own system prompt before the clock runs: the weights are
    paged in and the server keeps the system prompt's tokens (it reuses a common prefix), as it does
    for every answer after the first in a deployment. A failure here is reported, not fatal."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.answer.prompt import SYSTEM_PROMPT

    started = time.monotonic()
    try:
        bot.llm.model.invoke([SystemMessage(SYSTEM_PROMPT),
                              HumanMessage("Bronnen:\n[1] Het loket is open.\n\nVraag: is het loket open?")])
    except Exception as exc:  # noqa: BLE001 - a slow first request must not end the benchmark
        print(f"Opwarmen mislukt na {time.monotonic() - started:.0f} s ({type(exc).__name__}); de meting gaat door.")


# -- one set --------------------------------------------------------------------------------------
def spread(items: list, limit: int | None) -> list:
    """``limit`` items spread evenly over ``items`` (every k-th, starting with the first); all without."""
    if limit is None or limit >= len(items):
        return list(items)
    return [items[(k * len(items)) // limit] for k in range(limit)]


def _score(item, answer, seconds: float):
    from evals.scoring import score_answer

    return score_answer(item, answer.answer, answer.refused, [(c.n, c.text) for c in answer.citations],
                        [r.text for r in answer.retrieved], wall_ms=seconds * 1000)


def ask(bot, item) -> dict:
    """One question as the web chat asks it: the extractive answer, then the LLM's attempt at replacing it.

    Returns both answers, both scores and the LLM step's figures (outcome, seconds, time to the
    first token, token counts).
    """
    from assistant.answer.llm import Generation, Progress
    from assistant.answer.prompt import build_prompt
    from assistant.answer.streaming import generation, replaced, rewritable
    from assistant.core.types import Message

    history = [Message(role=m.role, content=m.content) for m in item.history]
    started = time.perf_counter()
    first = bot.answer(item.question, history=history, region=item.region, generate=False)
    extractive_s = time.perf_counter() - started
    row = {"id": item.id, "type": item.type, "extractive_s": extractive_s, "outcome": None, "final": first}
    if rewritable(bot, first):
        generated, first_token_s = None, None
        for event in generation(bot, first):
            if isinstance(event, Progress) and event.tokens and first_token_s is None:
                first_token_s = event.seconds
            elif isinstance(event, Generation):
                generated = event
        prompt_tokens = generated.prompt_tokens  # reported by the server, if it does
        if prompt_tokens is None:  # llama-cpp-python's stream reports no usage: count the same prompt
            prompt = build_prompt(first.rewritten_question or first.question, first.citations, bot.index,
                                  bot.settings.llm_prompt_tokens)
            counts = [count_tokens(bot.settings.llm_base_url, t) for t in (prompt.system, prompt.user)] \
                if prompt else [None]
            prompt_tokens = None if None in counts else sum(counts)
        row.update(outcome=generated.outcome, llm_s=generated.seconds, first_token_s=first_token_s,
                   prompt_tokens=prompt_tokens, prompt_estimate=generated.prompt_estimate,
                   completion_tokens=generated.completion_tokens, raw=generated.raw,
                   final=replaced(first, generated) or first)
    row["extractive"] = _score(item, first, extractive_s)
    row["llm"] = _score(item, row["final"], extractive_s + row.get("llm_s", 0.0))
    row["words"] = {"extractive": _words(first), "llm": _words(row["final"])}
    return row


def _words(answer) -> int | None:
    return None if answer.refused else len(re.sub(r"\[\d+\]", "", answer.answer).split())


def run_set(bot, items, progress: str) -> list[dict]:
    rows = []
    for k, item in enumerate(items, start=1):
        rows.append(ask(bot, item))
        print(f"\r{progress}: {k}/{len(items)} ({rows[-1]['outcome'] or 'geen LLM-stap'})".ljust(60), end="",
              flush=True)
    print(flush=True)
    return rows


# -- figures ----------------------------------------------------------------------------------------
def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _stats(values: list[float]) -> dict:
    from evals.scoring import percentile

    return {"mean": _mean(values), "p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}


def summarize(rows: list[dict], within_s: float) -> dict:
    """The figures of one set (aggregates only), scored by the evaluation's ``aggregate``."""
    from evals.scoring import aggregate

    out: dict = {"questions": len(rows)}
    for name in ("extractive", "llm"):
        metrics = aggregate([r[name] for r in rows])
        words = [r["words"][name] for r in rows if r["words"][name] is not None]
        out[name] = {"must_include": metrics["must_include"], "citation_support": metrics["citation_support"],
                     "has_citation": metrics["has_citation"], "markers_valid": metrics["markers_valid"],
                     "median_words": statistics.median(words) if words else None}
    tried = [r for r in rows if r["outcome"] is not None]
    counts = Counter(r["outcome"] for r in tried)
    out["llm_attempted"] = len(tried)
    out["outcomes"] = {o: counts.get(o, 0) for o in ("used", *FALLBACKS)}
    out["fallback_share"] = 1 - counts.get("used", 0) / len(tried) if tried else None
    out["within_s"] = within_s
    out["used_within"] = sum(1 for r in tried if r["outcome"] == "used" and r["llm_s"] <= within_s)
    out["seconds"] = {
        "extractive": _stats([r["extractive_s"] for r in rows]),
        "llm_setting": _stats([r["extractive_s"] + r.get("llm_s", 0.0) for r in rows]),
        "llm_step": _stats([r["llm_s"] for r in tried]),
        "first_token": _stats([r["first_token_s"] for r in tried if r["first_token_s"] is not None]),
    }
    prompt_rates = [r["prompt_tokens"] / r["first_token_s"] for r in tried
                    if r["prompt_tokens"] and r["first_token_s"]]
    gen_rates = [(r["completion_tokens"] - 1) / (r["llm_s"] - r["first_token_s"]) for r in tried
                 if r["first_token_s"] is not None and r["completion_tokens"] > 1 and r["llm_s"] > r["first_token_s"]]
    out["tokens"] = {"prompt": _mean(r["prompt_tokens"] for r in tried),
                     "prompt_estimate": _mean(r["prompt_estimate"] for r in tried),
                     "completion": _mean(r["completion_tokens"] for r in tried),
                     "prompt_tps": _mean(prompt_rates), "generation_tps": _mean(gen_rates)}
    return out


def print_summary(name: str, s: dict, server: dict | None = None) -> None:
    def f(v, digits=2):
        return "-" if v is None else f"{v:.{digits}f}"

    print(f"\n== {name}: n={s['questions']} vragen, LLM-stap bij {s['llm_attempted']} "
          "(niet bij weigeringen, lijsten en contactroutes)")
    print(f"  {'':12s} {'must_include':>13s} {'bronsteun':>10s} {'met bron':>9s} {'mediaan woorden':>16s}")
    for system in ("extractive", "llm"):
        m = s[system]
        print(f"  {system:12s} {f(m['must_include']):>13s} {f(m['citation_support']):>10s} "
              f"{f(m['has_citation']):>9s} {f(m['median_words'], 0):>16s}")
    o = s["outcomes"]
    print(f"  LLM-antwoord gebruikt: {o['used']} van {s['llm_attempted']}; teruggevallen: {f(s['fallback_share'])} ("
          + ", ".join(f"{label} {o[key]}" for key, label in FALLBACKS.items()) + ")")
    print(f"  gebruikt en binnen {s['within_s']:.0f} s (de standaard-timeout): {s['used_within']} van "
          f"{s['llm_attempted']}")
    for label, key in (("extractief", "extractive"), ("LLM-stand (alle vragen)", "llm_setting"),
                       ("LLM-stap alleen", "llm_step"), ("tot eerste token", "first_token")):
        st = s["seconds"][key]
        print(f"  seconden, {label:24s}: gem. {f(st['mean'], 1):>5s}  p50 {f(st['p50'], 1):>5s}  "
              f"p95 {f(st['p95'], 1):>5s}  (n={st['n']})")
    t = s["tokens"]
    print(f"  tokens per LLM-antwoord: prompt {f(t['prompt'], 0)} (tokenizer van de server, zonder chatsjabloon; "
          f"schatting {f(t['prompt_estimate'], 0)}), geschreven {f(t['completion'], 0)}")
    print(f"  tokens/s uit de stream: prompt {f(t['prompt_tps'], 1)}, schrijven {f(t['generation_tps'], 1)}")
    if server and (server["prompt_tps"] or server["generation_tps"]):
        print(f"  tokens/s volgens de server: prompt {f(server['prompt_tps'], 1)} ({server['prompt_tokens']} tokens), "
              f"schrijven {f(server['generation_tps'], 1)} ({server['generated_tokens']} tokens)")


def _public(row: dict) -> dict:
    """A question's row for the JSON file (calibration and external sets only)."""
    keep = {k: v for k, v in row.items() if k not in ("final", "extractive", "llm")}
    keep["answer"] = row["final"].answer
    keep["scores"] = {name: {"must_include": row[name].must_include, "citation_support": row[name].citation_support}
                      for name in ("extractive", "llm")}
    return keep


# -- main -----------------------------------------------------------------------------------------
def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def chosen_sets(names: str, settings, external: Path) -> list[tuple[str, object, Path]]:
    """(name, settings, questions file) per chosen set, in the order given."""
    from evals.external import external_settings

    chosen = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        if name not in SETS:
            raise SystemExit(f"Onbekende set '{name}' (kies uit {', '.join(SETS)}).")
        if name == "ext":
            chosen.append((name, external_settings(settings, external), external / "questions.jsonl"))
        else:
            chosen.append((name, settings, ROOT / SETS[name]))
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="De LLM-stand op een echt model (llama-cpp-python-server).")
    parser.add_argument("--sets", default="cal,ext,held", help="cal, ext, held (komma's)")
    parser.add_argument("--limit", type=int, default=None, help="N vragen per set, gelijk over de set verdeeld")
    parser.add_argument("--timeout", type=float, default=None, help="seconden voor één LLM-antwoord "
                        "(standaard WEGWIJS_LLM_TIMEOUT_S)")
    parser.add_argument("--external", default=str(ROOT.parent / "shared" / "external-dev"))
    parser.add_argument("--server-python", default=sys.executable,
                        help="python met llama-cpp-python[server] (standaard deze python)")
    parser.add_argument("--model", default=None, help="GGUF-bestand (standaard: het meegeleverde, samengevoegd)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2, help="--n_threads van de server")
    parser.add_argument("--ctx", type=int, default=4096, help="--n_ctx van de server")
    parser.add_argument("--out", default=None, help="JSON met de cijfers (standaard <data>/bench-llm.json)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.limit is not None and args.limit < 1:
        raise SystemExit("--limit moet minstens 1 zijn.")
    from assistant.core.settings import get_settings
    from evals.run import load_questions, open_assistant

    settings = get_settings()
    default_timeout = settings.llm_timeout_s
    timeout = args.timeout or default_timeout
    try:
        model = Path(args.model) if args.model else bundled_model(settings.data_dir / "models")
    except JoinError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    sets = chosen_sets(args.sets, settings, Path(args.external).resolve())
    port = args.port or free_port()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.data_dir / "llama-server.log"
    signal.signal(signal.SIGTERM, _interrupt)  # a kill stops the server too, like Ctrl+C
    command = server_command(args.server_python, model, port, args.threads, args.ctx)
    results: dict = {"command": " ".join(["python scripts/bench_llm.py", *(argv or sys.argv[1:])]),
                     "server": command, "model": model.name, "threads": args.threads, "timeout_s": timeout,
                     "load_before": os.getloadavg(), "sets": {}}
    process = start_server(command, log_path)
    try:
        started = time.monotonic()
        wait_ready(process, port, log_path)
        print(f"Server klaar na {time.monotonic() - started:.0f} s op poort {port}; timeout {timeout:.0f} s per "
              f"LLM-antwoord; belasting (1 min) {os.getloadavg()[0]:.1f}.", flush=True)
        llm = {"llm_base_url": f"http://127.0.0.1:{port}/v1", "llm_model": model.stem, "llm_timeout_s": timeout}
        for name, set_settings, questions in sets:
            bot = open_assistant(set_settings.model_copy(update=llm), ingest_first=name == "ext")
            items = spread(load_questions(questions), args.limit)
            bot.embedder.embed_query_array("opwarmen")
            warm_up(bot)
            log_from = log_path.stat().st_size
            rows = run_set(bot, items, name)
            summary = summarize(rows, default_timeout)
            server = server_timings(log_path.read_bytes()[log_from:].decode("utf-8", errors="replace"))
            print_summary(name, summary, server)
            results["sets"][name] = {"summary": summary, "server_timings": server,
                                     **({"questions": [_public(r) for r in rows]} if name != "held" else {})}
        results["load_after"] = os.getloadavg()
        print(f"\nBelasting van de machine (1/5/15 min): voor {_load(results['load_before'])}, "
              f"na {_load(results['load_after'])} (2 kernen; andere werk liep mee).")
    except KeyboardInterrupt:
        print("\nAfgebroken; de server wordt gestopt.", file=sys.stderr)
        return 130
    finally:
        stop_server(process)
        out = Path(args.out) if args.out else settings.data_dir / "bench-llm.json"
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        print(f"Cijfers: {out}; serverlog: {log_path}")
    return 0


def _load(values) -> str:
    return "/".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    raise SystemExit(main())
