"""The evaluation report: report.md, report.html (self-contained), plots, metrics.json, failures.jsonl.

The report is built once as a list of blocks (headings, paragraphs, tables, images, code) and
rendered to Markdown and to HTML from that list, so both always hold the same content. Figures
come only from ``metrics`` as evals/run.py assembles it; nothing is computed twice.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from evals.baselines import BASELINES, LABELS

NA = "n.v.t."
KS = (1, 3, 5, 10)

# (key in the aggregate, label, kind) -- kind: rate (shown as %), ms, count
HEADLINE_ROWS = [
    ("hit@1", "hit@1", "rate"), ("hit@3", "hit@3", "rate"), ("hit@5", "hit@5", "rate"), ("hit@10", "hit@10", "rate"),
    ("recall@5", "recall@5", "rate"), ("recall@10", "recall@10", "rate"), ("mrr", "MRR@10", "float"),
    ("must_include", "must_include-dekking", "rate"), ("list_complete", "lijst compleet", "rate"),
    ("list_share", "lijst: aandeel items", "rate"), ("citation_support", "bronsteun (citaat bevat goudquote)", "rate"),
    ("citation_precision", "citaatprecisie", "rate"), ("markers_valid", "[n]-verwijzingen geldig", "rate"),
    ("citations_referenced", "alle citaten aangehaald", "rate"), ("has_citation", "antwoord met bron", "rate"),
    ("unanswerable_refused", "onbeantwoordbaar geweigerd", "rate"),
    ("answerable_wrongly_refused", "beantwoordbaar ten onrechte geweigerd", "rate"),
    ("lead_must_include", "eerste zin bevat must_include", "rate"),
    ("words_median", "woorden per antwoord, mediaan (geen lijst)", "count"),
    ("words_p90", "woorden per antwoord, p90 (geen lijst)", "count"),
    ("fragment_rate", "antwoorden met machinefragment", "rate"),
    ("error_rate", "fouten", "rate"), ("latency_p50_ms", "latentie p50 (timings_ms.total)", "ms"),
    ("latency_p95_ms", "latentie p95", "ms"), ("wall_p50_ms", "wandkloktijd p50 per vraag", "ms"),
    ("wall_p95_ms", "wandkloktijd p95 per vraag", "ms"),
]
TYPE_RETRIEVAL_COLS = [("hit@5", "rate"), ("mrr", "float")]
TYPE_ANSWER_COLS = [("must_include", "must_include", "rate"), ("list_complete", "lijst compleet", "rate"),
                    ("citation_support", "bronsteun", "rate"), ("markers_valid", "[n] geldig", "rate"),
                    ("lead_must_include", "eerste zin", "rate"), ("words_median", "woorden", "count"),
                    ("unanswerable_refused", "geweigerd (onb.)", "rate"),
                    ("answerable_wrongly_refused", "ten onrechte geweigerd", "rate"),
                    ("latency_p50_ms", "p50", "ms")]


def fmt(value, kind: str = "rate") -> str:
    if value is None:
        return NA
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "ms":
        return f"{value:.0f} ms"
    if kind == "count":
        return str(int(value))
    return f"{value:.3f}"


def _systems(metrics: dict) -> list[str]:
    return [s for s in ("wegwijs", "wegwijs_docs", *BASELINES) if s in metrics["systems"]]


# -- content ---------------------------------------------------------------------------------
def headline_table(metrics: dict) -> tuple[list[str], list[list[str]]]:
    systems = _systems(metrics)
    overall = {s: metrics["systems"][s]["overall"] for s in systems}
    headers = ["metriek"] + [LABELS.get(s, s) for s in systems]
    rows = [["vragen (met goudquote)"] + [f"{overall[s]['n']} ({overall[s]['n_retrieval']})" for s in systems]]
    for key, label, kind in HEADLINE_ROWS:
        rows.append([label] + [fmt(overall[s].get(key), kind) for s in systems])
    return headers, rows


def headline_text(metrics: dict) -> str:
    """The headline table as aligned plain text, for stdout."""
    headers, rows = headline_table(metrics)
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def per_type_tables(metrics: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    systems = _systems(metrics)
    wegwijs = metrics["systems"]["wegwijs"]["per_type"]
    types = list(wegwijs)
    headers = ["type", "n"]
    for key, _ in TYPE_RETRIEVAL_COLS:
        headers += [f"{key.upper() if key == 'mrr' else key} {LABELS.get(s, s)}" for s in systems]
    rows = []
    for t in types:
        row = [t, str(wegwijs[t]["n"])]
        for key, kind in TYPE_RETRIEVAL_COLS:
            row += [fmt(metrics["systems"][s]["per_type"].get(t, {}).get(key), kind) for s in systems]
        rows.append(row)
    answer_headers = ["type", "n"] + [label for _, label, _ in TYPE_ANSWER_COLS]
    answer_rows = [[t, str(wegwijs[t]["n"])] + [fmt(wegwijs[t].get(k), kind) for k, _, kind in TYPE_ANSWER_COLS]
                   for t in types]
    return [("Retrieval per type (hit@5 en MRR@10, alle systemen)", headers, rows),
            ("Antwoorden per type (Wegwijs)", answer_headers, answer_rows)]


def failures(metrics: dict) -> list[dict]:
    """Questions where some Wegwijs check failed, with what was retrieved and answered."""
    out = []
    for record in metrics["questions"]:
        score = record["scores"].get("wegwijs")
        if not score or not score["problems"]:
            continue
        baselines = record.get("baselines") or {}
        out.append({"id": record["id"], "type": record["type"], "region": record["region"],
                    "question": record["question"], "history": record["history"], "problems": score["problems"],
                    "must_include": record["must_include"], "gold_quotes": record["gold_quotes"],
                    "wegwijs": record["wegwijs"], "first_rank": score["first_rank"],
                    "baseline_first_rank": {n: baselines[n]["first_rank"] for n in BASELINES if n in baselines}})
    return out


def _blocks(metrics: dict, plots: dict[str, Path]) -> list[tuple]:
    run = metrics["run"]
    reach = run.get("reachable_gold_quotes", {})
    blocks: list[tuple] = [
        ("h", 1, "Evaluatie Wegwijs"),
        ("p", f"Gestart {run['started_at']}, looptijd {run['duration_s']} s "
              f"({', '.join(f'{k} {v}' for k, v in run.get('phases', {}).items())}), {run['questions']} vragen uit "
              f"{run['questions_file']} (sha256 {run['questions_sha256']}), commit {run.get('git_commit') or '?'}, "
              f"embedder {run['embedder']}, {run['wegwijs_chunks']} Wegwijs-passages, "
              f"LLM {'aan' if run['llm'] else 'uit (extractief)'}. Commando: `{run['command']}`."),
        ("p", "Een goudquote telt als gevonden in een passage als de quote, teruggebracht tot alleen letters en "
              "cijfers (gevouwen), in de passage zo teruggebracht voorkomt. hit@k: een goudquote in de top k; "
              "recall@k: aandeel van de goudquotes van een vraag in de top k; MRR over de top 10. Een vraag die "
              "een fout gaf telt als leeg antwoord. Baselines (ruwe bestanden, RecursiveCharacterTextSplitter "
              "1000/200, geen opschoning) krijgen de vraag plus eerdere gebruikersbeurten, geen regiofilter "
              "(Wegwijs krijgt geschiedenis en regio zoals in de chat); zij hebben geen antwoordcomponent, dus hun antwoordmetrieken zijn n.v.t. "
              "'Wegwijs, alleen documentpassages' is dezelfde ranglijst zonder inventarisrecords (die citeren hun "
              "bron letterlijk en kunnen zo een goudquote bevatten); de overige passages schuiven op."),
        ("p", "Bereikbare goudquotes (staan in zijn geheel in minstens één passage, plafond voor recall): "
              + ", ".join(f"{k} {fmt(v)}" for k, v in reach.items()) + ". Gemiddelde passagelengte (tekens; "
              "langere passages maken hit@k makkelijker): "
              + ", ".join(f"{k} {v}" for k, v in run.get("mean_passage_chars", {}).items())
              + "; van de top 10 die elk systeem teruggaf: "
              + ", ".join(f"{LABELS.get(k, k)} {v}" for k, v in run.get("mean_retrieved_chars", {}).items()) + "."),
        ("h", 2, "Kerncijfers"),
        ("table", *headline_table(metrics)),
    ]
    for name, path in plots.items():
        blocks.append(("img", path, name))
    blocks.append(("h", 2, "Per vraagtype"))
    for title, headers, rows in per_type_tables(metrics):
        blocks += [("h", 3, title), ("table", headers, rows)]
    per_mode = metrics["systems"]["wegwijs"].get("per_mode") or {}
    if per_mode:
        cols = [("hit@5", "hit@5", "rate"), ("must_include", "must_include", "rate"),
                ("citation_support", "bronsteun", "rate"), ("unanswerable_refused", "geweigerd (onb.)", "rate"),
                ("answerable_wrongly_refused", "ten onrechte geweigerd", "rate")]
        blocks += [("h", 3, "Antwoorden per antwoordwijze (Wegwijs)"),
                   ("p", "extractive: zinnen uit de passages; inventory: samengestelde inventarisrecords "
                         "(corpus/inventories, met de hand samengesteld); llm: gegenereerd. Zijn inventarisrecords "
                         "geschreven naar aanleiding van vragen uit deze set, dan meten die cijfers de inventaris, "
                         "niet hoe Wegwijs met nieuwe vragen omgaat."),
                   ("table", ["wijze", "n"] + [label for _, label, _ in cols],
                    [[m, str(agg["n"])] + [fmt(agg.get(k), kind) for k, _, kind in cols] for m, agg in per_mode.items()])]
    blocks += _route_blocks(metrics["systems"]["wegwijs"])
    if run.get("warnings"):
        blocks += [("h", 2, "Waarschuwingen (gouddata, index)"), ("ul", run["warnings"])]
    fails = failures(metrics)
    blocks.append(("h", 2, f"Mislukte vragen ({len(fails)})"))
    for f in fails:
        w = f["wegwijs"] or {}
        ranks = ", ".join(f"{LABELS[n]}: {r or '-'}" for n, r in f["baseline_first_rank"].items())
        lines = [f"type {f['type']}, regio {f['region'] or '-'}; problemen: " + "; ".join(f["problems"]),
                 f"eerste goudquote op plaats: Wegwijs {f['first_rank'] or '-'}" + (f"; {ranks}" if ranks else "")]
        if f["history"]:
            lines.append("geschiedenis: " + " | ".join(f"{m['role']}: {m['content'][:100]}" for m in f["history"]))
        if f["must_include"]:
            lines.append(f"must_include: {f['must_include']}")
        lines += [f"goudquote: {q[:160]}" for q in f["gold_quotes"][:3]]
        blocks += [("h", 3, f"{f['id']}: {f['question']}"), ("ul", lines)]
        retrieved = [[str(i), r["chunk_id"], "ja" if r["holds_gold"] else "", r["text"].replace("\n", " ")]
                     for i, r in enumerate(w.get("retrieved", []), start=1)]
        if retrieved:
            blocks.append(("table", ["#", "chunk", "goud", "begin van de passage"], retrieved))
        answer = w.get("error") or w.get("answer") or ""
        blocks.append(("pre", f"{'[GEWEIGERD] ' if w.get('refused') else ''}{answer[:900]}"))
    return blocks


# -- rendering -------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(blocks: list[tuple]) -> str:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append("#" * block[1] + " " + block[2])
        elif kind == "p":
            out.append(block[1])
        elif kind == "ul":
            out.append("\n".join(f"- {_md_cell(line)}" for line in block[1]))
        elif kind == "table":
            headers, rows = block[1], block[2]
            out.append("\n".join(["| " + " | ".join(map(_md_cell, headers)) + " |",
                                  "|" + "|".join("---" for _ in headers) + "|",
                                  *("| " + " | ".join(map(_md_cell, r)) + " |" for r in rows)]))
        elif kind == "img":
            out.append(f"![{block[2]}]({block[1].name})")
        elif kind == "pre":
            out.append("```text\n" + block[1].replace("```", "'''") + "\n```")
    return "\n\n".join(out) + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.3em .6em}"
        "th{background:#f0f0f0}td:not(:first-child){text-align:right}pre{white-space:pre-wrap;background:#f7f7f7;"
        "padding:.8em;border-radius:4px}img{max-width:100%}")


def render_html(blocks: list[tuple]) -> str:
    esc = html.escape
    out = ["<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Evaluatie Wegwijs</title>",
           f"<style>{_CSS}</style></head><body>"]
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append(f"<h{block[1]}>{esc(block[2])}</h{block[1]}>")
        elif kind == "p":
            out.append(f"<p>{esc(block[1])}</p>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in block[1])
            body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block[2])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif kind == "img":
            data = base64.b64encode(block[1].read_bytes()).decode("ascii")
            out.append(f"<p><img alt='{esc(block[2])}' src='data:image/png;base64,{data}'></p>")
        elif kind == "pre":
            out.append(f"<pre>{esc(block[1])}</pre>")
    out.append("</body></html>")
    return "\n".join(out)


# -- plots -----------------------------------------------------------------------------------
_STYLE = {"wegwijs": ("#1f77b4", "-"), "wegwijs_docs": ("#1f77b4", ":"), "bm25": ("#ff7f0e", "-"),
          "dense": ("#2ca02c", "-"), "langchain": ("#d62728", "--")}


def make_plots(metrics: dict, out_dir: Path) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = _systems(metrics)
    plots: dict[str, Path] = {}

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for s in systems:
        values = [metrics["systems"][s]["overall"].get(f"hit@{k}") for k in KS]
        if all(v is not None for v in values):
            color, style = _STYLE.get(s, (None, "-"))
            ax.plot(KS, [v * 100 for v in values], marker="o", color=color, linestyle=style, label=LABELS.get(s, s))
    ax.set(xlabel="k", ylabel="hit@k (%)", title="hit@k per systeem (beantwoordbare vragen)", xticks=list(KS),
           ylim=(0, 100))
    ax.grid(alpha=.3)
    ax.legend(fontsize=8, loc="lower right")
    plots["hit@k per systeem"] = _save(fig, out_dir / "hit_at_k.png")

    bars = [s for s in systems if s != "wegwijs_docs"]
    types = [t for t, agg in metrics["systems"]["wegwijs"]["per_type"].items() if agg.get("hit@5") is not None]
    if types:
        fig, ax = plt.subplots(figsize=(max(7, 1.1 * len(types)), 4.6))
        width = 0.8 / len(bars)
        for i, s in enumerate(bars):
            values = [(metrics["systems"][s]["per_type"].get(t, {}).get("hit@5") or 0) * 100 for t in types]
            ax.bar([x + i * width for x in range(len(types))], values, width, label=LABELS.get(s, s),
                   color=_STYLE.get(s, (None, ""))[0])
        ax.set_xticks([x + width * (len(bars) - 1) / 2 for x in range(len(types))], types, rotation=20)
        ax.set(ylabel="hit@5 (%)", title="hit@5 per vraagtype", ylim=(0, 105))
        ax.grid(axis="y", alpha=.3)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(bars))
        plots["hit@5 per vraagtype"] = _save(fig, out_dir / "hit5_per_type.png")
    return plots


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def write_report(metrics: dict, out_dir: Path) -> None:
    """Write metrics.json, failures.jsonl, the plots, report.md and report.html into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    with (out_dir / "failures.jsonl").open("w", encoding="utf-8") as fh:
        for failure in failures(metrics):
            fh.write(json.dumps(failure, ensure_ascii=False) + "\n")
    blocks = _blocks(metrics, make_plots(metrics, out_dir))
    (out_dir / "report.md").write_text(render_markdown(blocks), encoding="utf-8")
    (out_dir / "report.html").write_text(render_html(blocks), encoding="utf-8")


def _route_blocks(wegwijs: dict) -> list[tuple]:
    """Answers per route (contact, list, extractive, llm) and the refusals per rule."""
    blocks: list[tuple] = []
    per_route = wegwijs.get("per_route") or {}
    if per_route:
        cols = [("must_include", "must_include", "rate"), ("citation_support", "bronsteun", "rate"),
                ("unanswerable_refused", "geweigerd (onb.)", "rate"),
                ("answerable_wrongly_refused", "ten onrechte geweigerd", "rate")]
        blocks += [("h", 3, "Antwoorden per route (Wegwijs)"),
                   ("table", ["route", "n"] + [label for _, label, _ in cols],
                    [[r, str(agg["n"])] + [fmt(agg.get(k), kind) for k, _, kind in cols] for r, agg in per_route.items()])]
    rules = wegwijs.get("refusal_rules") or {}
    if rules:
        blocks += [("h", 3, "Weigeringen per regel"),
                   ("table", ["regel", "beantwoordbaar", "onbeantwoordbaar"],
                    [[rule, str(c["beantwoordbaar"]), str(c["onbeantwoordbaar"])] for rule, c in rules.items()])]
    return blocks
