"""The evaluation run: Wegwijs and three baselines on the question set, scored and reported.

Usage::

    python -m evals run [--questions FILE] [--out DIR] [--limit N] [--no-baselines] [--check]

Wegwijs runs as a user meets it: the real :class:`assistant.answer.engine.Assistant` with
``get_settings()``, each question with its history and region. When there is no index yet the
ingest runs first. The baselines (evals/baselines.py) run over the raw corpus files in the same
run, so their figures always belong to the same questions and corpus. ``--check`` compares the
overall figures with evals/thresholds.json and exits non-zero when one falls short (the CI gate).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from evals.scoring import (
    QUESTION_TYPES,
    GoldItem,
    QuestionScore,
    aggregate,
    aggregate_by_type,
    check_thresholds,
    quote_found,
    reachability,
    score_answer,
    score_retrieval_only,
)

EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = EVALS_DIR / "questions.jsonl"
DEFAULT_OUT = EVALS_DIR / "reports" / "latest"
DEFAULT_THRESHOLDS = EVALS_DIR / "thresholds.json"
TOP_N_SHOWN = 5


class EvalError(RuntimeError):
    """A problem the person running the evaluation must fix (message in Dutch)."""


# -- input -----------------------------------------------------------------------------------
def load_questions(path: Path) -> list[GoldItem]:
    """Read and validate the question set; every problem is reported with its line number."""
    if not path.is_file():
        raise EvalError(f"Vragenbestand '{path}' bestaat niet. Geef een ander bestand met --questions, "
                        "of maak evals/questions.jsonl (schema: ../shared/CONTRACTS.md).")
    items: list[GoldItem] = []
    problems: list[str] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = GoldItem.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"regel {n}: geen geldige JSON ({exc.msg})")
            continue
        except ValidationError as exc:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) or "?" for e in exc.errors())
            problems.append(f"regel {n}: velden kloppen niet met het schema ({fields})")
            continue
        if item.type not in QUESTION_TYPES:
            problems.append(f"regel {n} ({item.id}): onbekend type '{item.type}'")
        if item.id in seen:
            problems.append(f"regel {n}: id '{item.id}' komt dubbel voor")
        seen.add(item.id)
        items.append(item)
    if problems:
        raise EvalError(f"Het vragenbestand '{path}' heeft fouten:\n  " + "\n  ".join(problems))
    if not items:
        raise EvalError(f"Het vragenbestand '{path}' bevat geen vragen.")
    return items


def check_gold_quotes(items: list[GoldItem], corpus_dir: Path, external_dir: Path | None = None) -> list[str]:
    """Warnings for gold quotes that do not occur in the file they name (a data problem)."""
    from evals.external import text_of

    texts: dict[str, str | None] = {}
    warnings: list[str] = []
    for item in items:
        for source in item.sources:
            if source.doc not in texts:
                texts[source.doc] = text_of(corpus_dir / source.doc, external_dir)
            text = texts[source.doc]
            if text is None:
                warnings.append(f"{item.id}: bronbestand '{source.doc}' bestaat niet in {corpus_dir}")
            elif not quote_found(source.quote, text):
                warnings.append(f"{item.id}: goudquote staat niet in '{source.doc}': {source.quote[:80]!r}")
    return warnings


# -- Wegwijs ---------------------------------------------------------------------------------
def describe_error(exc: BaseException) -> str:
    """``Type: message (file:line in function)`` of the innermost frame, to find the bug fast."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        try:
            name = str(Path(last.filename).resolve().relative_to(EVALS_DIR.parent))
        except ValueError:
            name = Path(last.filename).name
        where = f" ({name}:{last.lineno} in {last.name})"
    return f"{type(exc).__name__}: {exc}{where}"


def index_staleness(settings) -> str | None:
    """A warning when ingest code or corpus files are newer than the index in use, else None."""
    from assistant.core.index import read_state

    state = read_state(settings)
    if state is None:
        return None
    roots = [EVALS_DIR.parent / "ingest", settings.corpus_dir]
    newer = sorted(p.name for root in roots if root.is_dir() for p in root.rglob("*")
                   if p.is_file() and p.suffix in (".py", ".txt", ".md", ".yaml", ".yml", ".json", ".pdf", ".docx",
                                                   ".html") and p.stat().st_mtime > state.current_as_of)
    if not newer:
        return None
    return (f"de index ({state.generation}) is ouder dan {', '.join(newer[:5])}"
            f"{' ...' if len(newer) > 5 else ''}; draai met --ingest om hem eerst bij te werken.")


def open_assistant(settings, ingest_first: bool = False):
    """The real assistant, warmed up; runs the ingest first when there is no index yet (or when asked)."""
    from assistant.answer.engine import Assistant
    from assistant.core.index import IndexError_

    if not ingest_first:
        try:
            return Assistant(settings).warm_up()
        except IndexError_ as exc:
            print(f"Geen bruikbare index ({exc}). Eerst de ingest draaien ...", flush=True)
    try:
        from ingest.pipeline import IngestError, run_ingest
    except ImportError as exc:
        raise EvalError(f"De ingest is nog niet beschikbaar ({exc}); draai later opnieuw.") from exc
    try:
        print(run_ingest(settings, progress=True).summary(), flush=True)
    except IngestError as exc:
        raise EvalError(f"De ingest is mislukt: {exc}") from exc
    return Assistant(settings).warm_up()


def run_wegwijs(bot, items: list[GoldItem], progress: bool = True
                ) -> tuple[list[QuestionScore], dict[str, dict], dict[str, list[tuple[str, str]]]]:
    """Ask every question; a question that raises is recorded with its error and the run goes on.

    Returns the scores, a summary of each answer for the report, and each ranked list as
    ``(chunk_id, text)`` pairs.
    """
    from tqdm import tqdm

    from assistant.core.types import Message

    scores: list[QuestionScore] = []
    outputs: dict[str, dict] = {}
    ranked: dict[str, list[tuple[str, str]]] = {}
    for item in tqdm(items, desc="Wegwijs", unit="vraag", disable=not progress):
        history = [Message(role=m.role, content=m.content) for m in item.history]
        started = time.perf_counter()
        try:
            answer = bot.answer(item.question, history=history, region=item.region)
            error = answer.error
        except Exception as exc:  # noqa: BLE001 - one failing question must not end the run
            answer, error = None, describe_error(exc)
        wall_ms = (time.perf_counter() - started) * 1000
        if answer is None:
            scores.append(score_answer(item, "", False, [], [], wall_ms=wall_ms, error=error))
            outputs[item.id] = {"answer": "", "refused": False, "citations": [], "retrieved": [], "error": error}
            continue
        passages = [r.text for r in answer.retrieved]
        ranked[item.id] = [(r.chunk_id, r.text) for r in answer.retrieved]
        scores.append(score_answer(item, answer.answer, answer.refused, [(c.n, c.text) for c in answer.citations],
                                   passages, latency_ms=answer.timings_ms.get("total"), wall_ms=wall_ms, error=error))
        outputs[item.id] = {
            "answer": answer.answer, "refused": answer.refused, "mode": answer.mode, "error": error,
            "route": answer.route, "refusal_reason": answer.refusal_reason,
            "rewritten_question": answer.rewritten_question, "region": answer.region,
            "citations": [{"n": c.n, "chunk_id": c.chunk_id, "page": c.page,
                           "holds_gold": any(quote_found(q, c.text) for q in item.quotes)} for c in answer.citations],
            "retrieved": [{"chunk_id": r.chunk_id, "score": r.score, "text": r.text[:120],
                           "holds_gold": any(quote_found(q, r.text) for q in item.quotes)}
                          for r in answer.retrieved[:TOP_N_SHOWN]],
            "timings_ms": answer.timings_ms,
        }
    return scores, outputs, ranked


def score_documents_only(items: list[GoldItem], ranked: dict[str, list[tuple[str, str]]], records: set[str],
                         errors: dict[str, str | None]) -> list[QuestionScore]:
    """Wegwijs's ranked lists with the inventory records (chunk ids in ``records``) left out.

    Inventory records quote their sources, so they can hold a gold quote; this view shows how
    much of Wegwijs's retrieval lead over the baselines remains on document passages alone.
    """
    return [score_retrieval_only(item, "wegwijs_docs", [t for c, t in ranked.get(item.id, []) if c not in records],
                                 error=errors.get(item.id)) for item in items if item.quotes]


# -- baselines -------------------------------------------------------------------------------
def run_baselines(suite, items: list[GoldItem], progress: bool = True) -> tuple[dict[str, list[QuestionScore]],
                                                                                dict[str, dict]]:
    """Retrieval scores of the three baselines on the items that have gold quotes."""
    from tqdm import tqdm

    from evals.baselines import BASELINES, baseline_query

    scores: dict[str, list[QuestionScore]] = {name: [] for name in BASELINES}
    outputs: dict[str, dict] = {}
    for item in tqdm([i for i in items if i.quotes], desc="Baselines", unit="vraag", disable=not progress):
        query = baseline_query(item.question, [(m.role, m.content) for m in item.history])
        try:
            results, error = suite.search_all(query, k=10), None
        except Exception as exc:  # noqa: BLE001
            results, error = {name: [] for name in BASELINES}, f"{type(exc).__name__}: {exc}"
        outputs[item.id] = {"query": query}
        for name, docs in results.items():
            score = score_retrieval_only(item, name, [d.page_content for d in docs], error=error)
            scores[name].append(score)
            outputs[item.id][name] = {"first_rank": score.first_rank,
                                      "top": [d.metadata["chunk_id"] for d in docs[:TOP_N_SHOWN]],
                                      "chars_top10": [len(d.page_content) for d in docs[:10]]}
    return scores, outputs


# -- the run ---------------------------------------------------------------------------------
def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=EVALS_DIR, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _mean_chars(ranked: dict[str, list[tuple[str, str]]]) -> int:
    return _mean_len([text for pairs in ranked.values() for _, text in pairs[:10]])


def _system_block(scores: list[QuestionScore]) -> dict:
    return {"overall": aggregate(scores), "per_type": aggregate_by_type(scores)}


def _mean_len(texts: list[str]) -> int:
    return round(sum(map(len, texts)) / max(len(texts), 1))


def _refusal_rules(scores: list[QuestionScore], outputs: dict[str, dict]) -> dict[str, dict[str, int]]:
    """Per refusal rule: how many answerable and unanswerable questions it refused."""
    rules: dict[str, dict[str, int]] = {}
    for score in scores:
        out = outputs.get(score.id) or {}
        if out.get("refused"):
            rule = out.get("refusal_reason") or "onbekend"
            counts = rules.setdefault(rule, {"beantwoordbaar": 0, "onbeantwoordbaar": 0})
            counts["beantwoordbaar" if score.answerable else "onbeantwoordbaar"] += 1
    return dict(sorted(rules.items()))


def _wegwijs_phase(bot, items: list[GoldItem], progress: bool) -> tuple[dict, dict, dict, dict]:
    """Run and score Wegwijs; returns systems, per-system scores, answer summaries and run facts."""
    bot.embedder.embed_query_array("opwarmen")  # load the model before the clock runs per question
    scores, outputs, ranked = run_wegwijs(bot, items, progress=progress)
    records = {c.chunk_id for c in bot.index.chunks if c.kind == "record"}
    docs_only = score_documents_only(items, ranked, records, {s.id: s.error for s in scores})
    systems = {"wegwijs": _system_block(scores), "wegwijs_docs": _system_block(docs_only)}
    # how the answers were made: extractive sentences, curated inventory records, or an LLM
    modes = {s.id: (outputs.get(s.id) or {}).get("mode") or "fout" for s in scores}
    systems["wegwijs"]["per_mode"] = {m: aggregate([s for s in scores if modes[s.id] == m])
                                      for m in sorted(set(modes.values()))}
    # which route made each answer, and which rule refused the refused ones
    routes = {s.id: (outputs.get(s.id) or {}).get("route") or "fout" for s in scores}
    systems["wegwijs"]["per_route"] = {r: aggregate([s for s in scores if routes[s.id] == r])
                                       for r in sorted(set(routes.values()))}
    systems["wegwijs"]["refusal_rules"] = _refusal_rules(scores, outputs)
    texts = [c.text for c in bot.index.chunks]
    facts = {"reachable_gold_quotes": {"wegwijs": reachability(items, texts)},
             "mean_passage_chars": {"wegwijs": _mean_len(texts)},
             "mean_retrieved_chars": {"wegwijs": _mean_chars(ranked)}}
    return systems, {"wegwijs": scores, "wegwijs_docs": docs_only}, outputs, facts


def _baseline_phase(bot, items: list[GoldItem], settings, cache_dir: Path, progress: bool, facts: dict
                    ) -> tuple[dict, dict, dict]:
    """Build, run and score the baselines; adds their facts to ``facts``."""
    from evals.baselines import BaselineSuite, describe

    suite = BaselineSuite.build(settings, cache_dir, embedder=bot.embedder, progress=progress)
    baseline_scores, outputs = run_baselines(suite, items, progress=progress)
    systems = {name: _system_block(scores) for name, scores in baseline_scores.items()}
    facts["baselines"] = describe(suite)
    for name in baseline_scores:
        lengths = [n for out in outputs.values() for n in out[name]["chars_top10"]]
        facts["mean_retrieved_chars"][name] = round(sum(lengths) / max(len(lengths), 1))
    raw_texts = [d.page_content for d in suite.docs]
    facts["reachable_gold_quotes"]["raw_1000_200"] = reachability(items, raw_texts)
    facts["mean_passage_chars"]["raw_1000_200"] = _mean_len(raw_texts)
    return systems, baseline_scores, outputs


def evaluate(args: argparse.Namespace) -> int:
    from assistant.core.settings import get_settings
    from evals import report

    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    settings = get_settings()
    external = Path(args.external).resolve() if args.external else None
    questions_path = Path(args.questions) if args.questions else (external / "questions.jsonl" if external
                                                                   else DEFAULT_QUESTIONS)
    if external is not None:
        from evals.external import external_settings

        if not external.is_dir():
            raise EvalError(f"De map '{external}' bestaat niet (verwacht: documenten en questions.jsonl).")
        settings = external_settings(settings, external, questions_path)
        print(f"Externe set: corpus {settings.corpus_dir} (projectcorpus + originelen uit {external})", flush=True)
    items = load_questions(questions_path)
    if args.limit:
        items = items[: args.limit]
    warnings = check_gold_quotes(items, settings.corpus_dir, external)
    for warning in warnings:
        print(f"Let op: {warning}", file=sys.stderr)

    bot = open_assistant(settings, ingest_first=args.ingest or external is not None)
    stale = index_staleness(settings)
    if stale:
        warnings.append(f"index: {stale}")
        print(f"Let op: {stale}", file=sys.stderr)
    phases = {"opstart_en_index_s": round(time.perf_counter() - t0, 1)}
    t1 = time.perf_counter()
    systems, per_system, wegwijs_out, run_info = _wegwijs_phase(bot, items, not args.quiet)
    phases["wegwijs_s"] = round(time.perf_counter() - t1, 1)
    baseline_out: dict[str, dict] = {}
    if not args.no_baselines:
        t2 = time.perf_counter()
        cache_dir = Path(args.cache_dir) if args.cache_dir else settings.data_dir / "eval-cache"
        baseline_systems, baseline_scores, baseline_out = _baseline_phase(bot, items, settings, cache_dir,
                                                                          not args.quiet, run_info)
        systems.update(baseline_systems)
        per_system.update(baseline_scores)
        phases["baselines_s"] = round(time.perf_counter() - t2, 1)

    duration = time.perf_counter() - t0
    run_info.update({
        "started_at": started.isoformat(timespec="seconds"), "duration_s": round(duration, 1), "phases": phases,
        "questions_file": str(questions_path),
        "questions_sha256": hashlib.sha256(questions_path.read_bytes()).hexdigest()[:16],
        "questions": len(items), "limit": args.limit, "git_commit": _git_commit(),
        "wegwijs_chunks": len(bot.index.chunks), "embedder": bot.embedder.embedder_id,
        "top_k": settings.top_k, "candidate_k": settings.candidate_k, "llm": bool(settings.llm_base_url),
        "warnings": warnings,
        "command": "python -m evals run " + " ".join(args.raw_argv),
    })
    records = []
    for item in items:
        scores = {name: next((s.to_dict() for s in lst if s.id == item.id), None) for name, lst in per_system.items()}
        records.append({"id": item.id, "type": item.type, "region": item.region, "question": item.question,
                        "history": [m.model_dump() for m in item.history], "must_include": item.must_include,
                        "gold_quotes": item.quotes, "wegwijs": wegwijs_out.get(item.id),
                        "baselines": baseline_out.get(item.id), "scores": scores})
    metrics = {"run": run_info, "systems": systems, "questions": records}

    out_dir = Path(args.out)
    report.write_report(metrics, out_dir)
    print()
    print(report.headline_text(metrics))
    print(f"\nTotale looptijd: {duration:.1f} s voor {len(items)} vragen "
          f"({duration / max(len(items), 1):.2f} s per vraag). Rapport: {out_dir / 'report.md'}")
    if args.check:
        return _gate(metrics, Path(args.thresholds))
    return 0


def _gate(metrics: dict, path: Path) -> int:
    if not path.is_file():
        print(f"Fout: drempelbestand '{path}' bestaat niet.", file=sys.stderr)
        return 2
    failures = check_thresholds(metrics, json.loads(path.read_text(encoding="utf-8")))
    if failures:
        print("\nDREMPELS NIET GEHAALD:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print(f"\nAlle drempels uit {path.name} gehaald.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals", description="Evaluatie van Wegwijs met baselines.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="draai de evaluatie en schrijf het rapport")
    p.add_argument("--questions", default=None, help="vragenbestand (JSONL; standaard evals/questions.jsonl, "
                                                     "met --external: MAP/questions.jsonl)")
    p.add_argument("--external", default=None, metavar="MAP",
                   help="evalueer op het projectcorpus plus de originele documenten uit MAP (eigen index)")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="map voor het rapport")
    p.add_argument("--limit", type=int, default=None, help="alleen de eerste N vragen")
    p.add_argument("--no-baselines", action="store_true", help="sla de baselines over")
    p.add_argument("--ingest", action="store_true", help="werk eerst de index bij (alleen gewijzigde documenten)")
    p.add_argument("--check", action="store_true", help="vergelijk met de drempels; exitcode 1 bij tekort")
    p.add_argument("--thresholds", default=str(DEFAULT_THRESHOLDS), help="drempelbestand voor --check (standaard evals/thresholds.json)")
    p.add_argument("--cache-dir", default=None, help="cache voor baseline-embeddings (standaard .wegwijs/eval-cache)")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalken")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.raw_argv = argv[1:]
    if args.limit is not None and args.limit < 1:
        print("Fout: --limit moet minstens 1 zijn.", file=sys.stderr)
        return 2
    try:
        return evaluate(args)
    except EvalError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
