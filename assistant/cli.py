"""Command line: ``wegwijs ingest | ask | serve | feedback | eval`` (also ``python -m assistant ...``).

Messages for people are Dutch; JSON output follows ../shared/CONTRACTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.core.settings import Settings, get_settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    if getattr(args, "corpus", None):
        settings = settings.model_copy(update={"corpus_dir": Path(args.corpus).resolve()})
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import IngestError, run_ingest

    settings = _settings(args)
    try:
        report = run_ingest(settings, progress=not args.quiet)
    except IngestError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def _answer_line(bot, item: dict, default_region: str | None) -> dict:
    from assistant.core.types import Answer, Message

    question = str(item.get("question") or "")
    try:
        history = [Message.model_validate(m) for m in item.get("history") or []]
        answer = bot.answer(question, history=history, region=item.get("region") or default_region)
    except Exception as exc:  # noqa: BLE001 - one bad question must not end a batch
        answer = Answer(question=question, answer="", refused=False, error=f"{type(exc).__name__}: {exc}")
    data = answer.model_dump()
    if "id" in item:
        data["id"] = item["id"]
    return data


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.answer.engine import Assistant
    from assistant.core.index import IndexError_

    settings = _settings(args)
    bot = Assistant(settings)
    try:
        bot.warm_up()
    except IndexError_ as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    if args.batch:
        path = Path(args.batch)
        if not path.is_file():
            print(f"Fout: batchbestand '{path}' bestaat niet.", file=sys.stderr)
            return 1
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("geen JSON-object")
            except ValueError as exc:
                print(json.dumps({"id": None, "line": n, "question": "", "answer": "", "refused": False,
                                  "citations": [], "retrieved": [], "timings_ms": {},
                                  "error": f"Regel {n} is geen geldig JSON-object: {exc}"}, ensure_ascii=False))
                continue
            print(json.dumps(_answer_line(bot, item, args.region), ensure_ascii=False), flush=True)
        return 0
    if not args.question or not args.question.strip():
        print("Fout: geef een vraag, bijvoorbeeld: wegwijs ask \"wie pakt de 5a-vrijstellingen op?\"", file=sys.stderr)
        return 2
    answer = bot.answer(args.question, region=args.region)
    if args.json:
        print(answer.model_dump_json(indent=2))
    else:
        print(answer.answer)
        for c in answer.citations:
            page = f", p. {c.page}" if c.page else ""
            print(f"  [{c.n}] {c.title}{page} — {c.section}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.server import serve

    if args.workers < 1:
        print("Fout: --workers moet 1 of meer zijn.", file=sys.stderr)
        return 2
    return serve(_settings(args), host=args.host, port=args.port, workers=args.workers)


# -- feedback: export and purge (what the web chat and /api/feedback stored, already scrubbed) ----------
def _feedback_store(settings: Settings):
    from ui.feedback import FeedbackStore

    return FeedbackStore(settings.feedback_db, retention_days=settings.feedback_retention_days).create()


def cmd_feedback_export(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _feedback_store(settings)
    out = Path(args.out) if args.out else None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.touch(mode=0o600)  # feedback is about pupils, even scrubbed: readable by the owner only
    handle = out.open("w", encoding="utf-8") if out is not None else sys.stdout
    n = 0
    try:
        for row in store.export():
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    finally:
        if out is not None:
            handle.close()
    where = f" naar {out}" if out is not None else ""
    print(f"{n} feedbackregel{'s' if n != 1 else ''} geëxporteerd{where} (bewaartermijn "
          f"{settings.feedback_retention_days} dagen; oudere regels zijn al verwijderd).", file=sys.stderr)
    return 0


def cmd_feedback_purge(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _feedback_store(settings)
    if args.all:
        removed = store.purge(None)
        print(f"Alle feedback verwijderd ({removed} regel{'s' if removed != 1 else ''}).")
        return 0
    days = args.older_than_days if args.older_than_days is not None else settings.feedback_retention_days
    if days < 0:
        print("Fout: --older-than-days moet 0 of meer zijn.", file=sys.stderr)
        return 2
    removed = store.purge(days)
    print(f"{removed} feedbackregel{'s' if removed != 1 else ''} ouder dan {days:g} dagen verwijderd; "
          f"{store.count()} over.")
    return 0


def _add_feedback_commands(sub) -> None:
    p = sub.add_parser("feedback", help="exporteer of verwijder opgeslagen feedback")
    actions = p.add_subparsers(dest="action", required=True)
    e = actions.add_parser("export", help="alle feedback als JSON-regels (naar stdout of --out)")
    e.add_argument("--out", help="schrijf naar dit bestand in plaats van naar stdout")
    e.set_defaults(func=cmd_feedback_export)
    d = actions.add_parser("purge", help="verwijder feedback (standaard: ouder dan de bewaartermijn)")
    which = d.add_mutually_exclusive_group()
    which.add_argument("--older-than-days", type=float, help="verwijder regels ouder dan dit aantal dagen")
    which.add_argument("--all", action="store_true", help="verwijder alle feedback")
    d.set_defaults(func=cmd_feedback_purge)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wegwijs", description="Wegwijs: antwoorden met bronnen over "
                                     "onderwijs-jeugdhulparrangementen.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="bouw of werk de index bij")
    p.add_argument("--corpus", help="corpusmap (standaard: corpus/)")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="stel een vraag")
    p.add_argument("question", nargs="?", default="")
    p.add_argument("--json", action="store_true", help="antwoord als JSON (zie CONTRACTS.md)")
    p.add_argument("--region", help="beperk tot een regio (zie /readyz of de webchat voor de regio's van de index)")
    p.add_argument("--batch", help="JSONL-bestand met per regel {id, question, history?, region?}")
    p.add_argument("--corpus", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="start de webchat en de API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1,
                   help="aantal serverprocessen; elk laadt dezelfde index en volgt een nieuwe generatie")
    p.add_argument("--corpus", help="corpusmap (standaard: corpus/)")
    p.set_defaults(func=cmd_serve)

    _add_feedback_commands(sub)

    # "eval" is routed to evals.run in main(); listed here for the help text
    sub.add_parser("eval", help="draai de evaluatie (zelfde als python -m evals run; alle opties gaan door)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["eval"]:  # every option goes to the evaluation runner unchanged
        from evals.run import main as eval_main

        return eval_main(["run", *argv[1:]])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
