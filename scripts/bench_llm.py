"""The LLM setting on a real model: llama-cpp-python's server with the bundled GGUF, on loopback.

Not part of CI (it needs llama-cpp-python built with the flags in the README and ~20 s an answer).
It joins the GGUF if needed (scripts/join_gguf.py), starts ``python -m llama_cpp.server`` on
127.0.0.1, waits until it answers, and asks every question of each set twice in one pass, as the
web chat does: the extractive answer at once (``generate=False``), then the LLM's verified rewrite
of it. Per set it prints, for the extractive default and for the LLM setting: must_include,
citation support, median words; for the LLM: how often its answer was used or fell back
(timeout, unsupported, not in the sources, error), seconds per answer (mean, p50, p95) and
prompt/completion tokens per answer. The server is stopped at the end, also on Ctrl+C.

Sets: ``dev`` (evals/questions.jsonl), ``heldout`` (evals/heldout.jsonl: aggregates only, never
per question), ``external`` (../shared/external-dev: the project corpus plus the external
originals, in an index of its own under the data folder, built first if needed).

Usage::

    WEGWIJS_DATA_DIR=/tmp/wegwijs-llm nice -n 10 python scripts/bench_llm.py --limit 20 --timeout 60
"""

from __future__ import annotations

import argparse
import json
import os
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

OUTCOMES = ("used", "timeout", "unsupported", "not_in_sources", "error", "empty")


# -- the server ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(model: Path, port: int, threads: int, ctx: int, log_path: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(port), "--n_threads", str(threads), "--n_ctx", str(ctx)]
    print("Server:", " ".join(command), flush=True)
    log = log_path.open("w", encoding="utf-8")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(process: subprocess.Popen, port: int, log_path: Path, timeout_s: float = 300.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"de LLM-server stopte (code {process.returncode}):\n"
                               + log_path.read_text(encoding="utf-8", errors="replace")[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
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


# -- one set --------------------------------------------------------------------------------------
def run_set(bot, items, progress: str) -> dict:
    """Both answers to every question, scored; returns per-question rows (never printed for heldout)."""
    from assistant.answer.llm import Generation
    from assistant.answer.streaming import generation, replaced, rewritable
    from assistant.core.types import Message
    from evals.scoring import score_answer

    rows = []
    for k, item in enumerate(items, start=1):
        history = [Message(role=m.role, content=m.content) for m in item.history]
        started = time.perf_counter()
        first = bot.answer(item.question, history=history, region=item.region, generate=False)
        extractive_s = time.perf_counter() - started
        row = {"id": item.id, "type": item.type, "extractive_s": extractive_s, "outcome": None}
        final = first
        if rewritable(bot, first):
            generated = next(i for i in generation(bot, first) if isinstance(i, Generation))
            final = replaced(first, generated) or first
            row.update(outcome=generated.outcome, llm_s=generated.seconds, prompt_tokens=generated.prompt_tokens,
                       prompt_estimate=generated.prompt_estimate, completion_tokens=generated.completion_tokens,
                       raw=generated.raw)
        for name, answer in (("extractive", first), ("llm", final)):
            score = score_answer(item, answer.answer, answer.refused, [(c.n, c.text) for c in answer.citations],
                                 [r.text for r in answer.retrieved])
            row[name] = {"must_include": score.must_include, "citation_support": score.citation_support,
                         "words": len(answer.answer.split()), "refused": answer.refused, "answer": answer.answer}
        rows.append(row)
        print(f"\r{progress}: {k}/{len(items)} ({row['outcome'] or 'geen LLM-stap'})".ljust(60), end="", flush=True)
    print(flush=True)
    return {"rows": rows}


def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _pct(values: list[float], q: float) -> float | None:
    from evals.scoring import percentile

    return percentile(values, q)


def summarize(rows: list[dict]) -> dict:
    """The figures of one set (aggregates only)."""
    out: dict = {"questions": len(rows)}
    for name in ("extractive", "llm"):
        answered = [r[name] for r in rows if not r[name]["refused"]]
        out[name] = {"must_include": _mean(r[name]["must_include"] for r in rows),
                     "citation_support": _mean(r[name]["citation_support"] for r in rows),
                     "median_words": statistics.median([a["words"] for a in answered]) if answered else None}
    tried = [r for r in rows if r["outcome"] is not None]
    counts = Counter(r["outcome"] for r in tried)
    out["llm_attempted"] = len(tried)
    out["outcomes"] = {o: counts.get(o, 0) for o in OUTCOMES}
    out["used_share"] = counts.get("used", 0) / len(tried) if tried else None
    extractive_s = [r["extractive_s"] for r in rows]
    total_s = [r["extractive_s"] + r.get("llm_s", 0.0) for r in tried]
    out["seconds"] = {"extractive": _stats(extractive_s), "llm_total": _stats(total_s),
                      "llm_used": _stats([r["extractive_s"] + r["llm_s"] for r in tried if r["outcome"] == "used"])}
    out["tokens"] = {"prompt_reported": _mean(r["prompt_tokens"] for r in tried),
                     "prompt_estimate": _mean(r["prompt_estimate"] for r in tried),
                     "completion": _mean(r["completion_tokens"] for r in tried)}
    return out


def _stats(values: list[float]) -> dict:
    return {"mean": _mean(values), "p50": _pct(values, 50), "p95": _pct(values, 95), "n": len(values)}


def print_summary(name: str, s: dict) -> None:
    def f(v, digits=2):
        return "-" if v is None else f"{v:.{digits}f}"

    print(f"\n== {name}: {s['questions']} vragen, LLM-stap bij {s['llm_attempted']} "
          "(niet bij weigeringen, lijsten en contactroutes)")
    print(f"  {'':12s} {'must_include':>13s} {'bronsteun':>10s} {'mediaan woorden':>16s}")
    for system in ("extractive", "llm"):
        m = s[system]
        print(f"  {system:12s} {f(m['must_include']):>13s} {f(m['citation_support']):>10s} "
              f"{f(m['median_words'], 0):>16s}")
    o = s["outcomes"]
    print(f"  LLM-antwoord gebruikt: {o['used']} van {s['llm_attempted']} ({f(s['used_share'])}); teruggevallen: "
          f"timeout {o['timeout']}, niet gesteund {o['unsupported']}, 'niet in bronnen' {o['not_in_sources']}, "
          f"fout {o['error']}, leeg {o['empty']}")
    for label, key in (("extractief", "extractive"), ("met LLM (totaal)", "llm_total"), ("LLM gebruikt", "llm_used")):
        st = s["seconds"][key]
        print(f"  seconden per antwoord, {label:17s}: gem. {f(st['mean'], 1)}  p50 {f(st['p50'], 1)}  "
              f"p95 {f(st['p95'], 1)}  (n={st['n']})")
    t = s["tokens"]
    print(f"  tokens per LLM-antwoord: prompt {f(t['prompt_reported'], 0)} (server) / {f(t['prompt_estimate'], 0)} "
          f"(schatting), antwoord {f(t['completion'], 0)}")


# -- main -----------------------------------------------------------------------------------------
def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _sets(args, settings) -> list[tuple[str, object, Path, bool]]:
    """(name, settings, questions file, per-question output allowed) per chosen set."""
    from evals.external import external_settings

    chosen = []
    for name in args.sets.split(","):
        if name == "dev":
            chosen.append((name, settings, ROOT / "evals" / "questions.jsonl", True))
        elif name == "heldout":
            chosen.append((name, settings, ROOT / "evals" / "heldout.jsonl", False))
        elif name == "external":
            external = Path(args.external).resolve()
            chosen.append((name, external_settings(settings, external), external / "questions.jsonl", True))
        else:
            raise SystemExit(f"Onbekende set '{name}' (kies uit dev, heldout, external).")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="De LLM-stand op een echt model (llama-cpp-python-server).")
    parser.add_argument("--limit", type=int, default=None, help="alleen de eerste N vragen per set")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconden voor één LLM-antwoord")
    parser.add_argument("--sets", default="dev,heldout,external", help="dev, heldout, external (komma's)")
    parser.add_argument("--external", default=str(ROOT.parent / "shared" / "external-dev"))
    parser.add_argument("--model", default=None, help="GGUF-bestand (standaard: het meegeleverde, samengevoegd)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--out", default=None, help="JSON met de cijfers (standaard <data>/bench-llm.json)")
    args = parser.parse_args(argv)

    from assistant.core.settings import get_settings
    from evals.run import load_questions, open_assistant

    settings = get_settings()
    try:
        model = Path(args.model) if args.model else bundled_model(settings.data_dir / "models")
    except JoinError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    port = args.port or free_port()
    log_path = settings.data_dir / "llama-server.log"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _interrupt)  # a kill stops the server too, like Ctrl+C
    process = start_server(model, port, args.threads, args.ctx, log_path)
    results: dict = {"command": " ".join(["python scripts/bench_llm.py", *(argv or sys.argv[1:])]),
                     "model": model.name, "threads": args.threads, "timeout_s": args.timeout, "sets": {}}
    try:
        started = time.monotonic()
        wait_ready(process, port, log_path)
        print(f"Server klaar na {time.monotonic() - started:.0f} s op poort {port}.", flush=True)
        llm = {"llm_base_url": f"http://127.0.0.1:{port}/v1", "llm_model": model.stem, "llm_timeout_s": args.timeout}
        for name, set_settings, questions, per_question in _sets(args, settings):
            bot = open_assistant(set_settings.model_copy(update=llm), ingest_first=name == "external")
            items = load_questions(questions)[: args.limit]
            bot.embedder.embed_query_array("opwarmen")
            run = run_set(bot, items, name)
            summary = summarize(run["rows"])
            print_summary(name, summary)
            results["sets"][name] = {"summary": summary, **({"questions": run["rows"]} if per_question else {})}
    except KeyboardInterrupt:
        print("\nAfgebroken; de server wordt gestopt.", file=sys.stderr)
        return 130
    finally:
        stop_server(process)
        out = Path(args.out) if args.out else settings.data_dir / "bench-llm.json"
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"Cijfers: {out}; serverlog: {log_path}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    raise SystemExit(main())
