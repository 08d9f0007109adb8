"""Scoring rules of the evaluation runs, on hand-made cases (no models, no files)."""

from __future__ import annotations

import pytest

from evals.scoring import (
    GoldItem,
    aggregate,
    aggregate_by_type,
    check_markers,
    cited_markers,
    percentile,
    quote_found,
    score_answer,
    score_retrieval,
    score_retrieval_only,
    share_present,
    text_contains,
)

PASSAGE = ("De jeugd- en gezinscoach werkt nauw samen met de school. Het samenwerkingsverband "
           "regelt de toelaatbaarheidsverklaring via de Commissie van Toewijzing.")


def _item(**kw) -> GoldItem:
    base = {"id": "t1", "type": "fact", "question": "wie geeft de tlv af?", "must_include": ["Commissie van Toewijzing"],
            "sources": [{"doc": "nk.txt", "quote": "regelt de toelaatbaarheidsverklaring via de Commissie van Toewijzing"}]}
    base.update(kw)
    return GoldItem.model_validate(base)


# -- quote matching ----------------------------------------------------------------------------
def test_quote_found_exact_and_missed():
    assert quote_found("werkt nauw samen met de school", PASSAGE)
    assert not quote_found("werkt nauw samen met de gemeente", PASSAGE)


def test_quote_found_across_hyphenation_line_breaks_and_split_ij():
    raw_quote = "Het samen-\n\nwerkings verband regelt de toelaatbaar-\nheidsverklaring"
    assert quote_found(raw_quote, PASSAGE)
    # the reverse too: a raw passage with a split 'ij' and a ligature holds the clean quote
    raw_passage = "Wi j  zi jn mogeli jk te laat met de ﬁnanciering.\n\n 22Ondersteuningsplan"
    assert quote_found("Wij zijn mogelijk te laat met de financiering", raw_passage)
    assert quote_found("Zíjn  MOGELIJK", raw_passage)  # case and diacritics fold away


def test_empty_quote_is_never_found():
    assert not quote_found(" -- ", PASSAGE)
    assert not quote_found("", PASSAGE)


# -- retrieval ---------------------------------------------------------------------------------
def test_retrieval_hits_recall_and_reciprocal_rank():
    passages = ["niets relevants", "ook niet", "Quote A staat hier.", "x", "y", "z", "Quote B staat hier"]
    score = score_retrieval(["quote a", "quote-B", "quote C"], passages)
    assert score.first_rank == 3
    assert score.rr == pytest.approx(1 / 3)
    assert score.hit == {1: False, 3: True, 5: True, 10: True}
    assert score.recall[5] == pytest.approx(1 / 3)
    assert score.recall[10] == pytest.approx(2 / 3)


def test_retrieval_miss_and_depth_limit():
    passages = ["x"] * 10 + ["de quote op plaats elf"]
    score = score_retrieval(["quote op plaats elf"], passages)
    assert score.first_rank is None and score.rr == 0.0 and not any(score.hit.values())
    assert score_retrieval([], passages) is None


def test_mrr_is_mean_of_reciprocal_ranks():
    item = _item(sources=[{"doc": "d", "quote": "gouden zin"}])
    ranked = [["gouden zin"], ["x", "gouden zin"], ["x", "y", "z", "gouden zin"], ["x"]]
    scores = [score_retrieval_only(item, "bm25", p) for p in ranked]
    agg = aggregate(scores)
    assert agg["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 4 + 0) / 4)
    assert agg["hit@1"] == pytest.approx(0.25)
    assert agg["hit@3"] == pytest.approx(0.5)
    assert agg["hit@5"] == pytest.approx(0.75)
    # baselines have no answers: answer metrics and refusal rates are not applicable
    assert agg["must_include"] is None and agg["answerable_wrongly_refused"] is None


# -- answers -----------------------------------------------------------------------------------
def test_text_contains_folds_and_squashes():
    assert text_contains("De  Commissie\nvan toewijzing beslist.", "commissie van Toewijzing")
    assert text_contains("Het onderwijszorgarrangement", "onderwijs-zorgarrangement")
    assert text_contains("Café Leerplein", "cafe leerplein")
    assert not text_contains("Leerplicht", "Leerplein")
    assert text_contains("een Totaal Ontwikkelplan", "totaal ontwikkel-plan")  # squashed, from a word start
    assert not text_contains("het team dossier", "MDO")  # squashed, but across a word boundary
    assert share_present("a b", []) is None


def test_markers_invalid_and_unreferenced():
    assert cited_markers("Zo [1]. En zo [2, 3] en [4][5].") == [1, 2, 3, 4, 5]
    bad = check_markers("Dit staat er [1] en dit [3].", [1, 2])
    assert not bad.markers_valid and bad.unknown == [3]
    assert not bad.citations_referenced and bad.unreferenced == [2]
    assert check_markers("Goed [1] [2].", [1, 2]).ok


def test_answer_with_invalid_marker_is_a_failure():
    item = _item()
    score = score_answer(item, "De Commissie van Toewijzing [2].", False, [(1, PASSAGE)], [PASSAGE])
    assert score.markers_valid is False
    assert score.citations_referenced is False
    assert score.must_include == 1.0 and score.citation_support is True and score.hit[1]
    assert any("onbekende bronverwijzing" in p for p in score.problems)


def test_good_answer_has_no_problems():
    item = _item()
    score = score_answer(item, "Dat doet de Commissie van Toewijzing [1].", False, [(1, PASSAGE)], [PASSAGE],
                         latency_ms=12.0, wall_ms=15.0)
    assert score.problems == []
    assert score.has_citation and score.citation_precision == 1.0


def test_citation_support_needs_a_gold_quote_in_a_cited_passage():
    item = _item()
    other = "Een heel andere passage over leerplicht."
    score = score_answer(item, "De Commissie van Toewijzing [1].", False, [(1, other)], [PASSAGE, other])
    assert score.citation_support is False and score.citation_precision == 0.0


def test_refusals():
    unanswerable = _item(id="u1", type="unanswerable", must_include=[], sources=[])
    refused = score_answer(unanswerable, "Dat staat niet in de bronnen.", True, [], ["x"])
    answered = score_answer(unanswerable, "Het is 06-12345678 [1].", False, [(1, "x")], ["x"])
    wrongly = score_answer(_item(id="a1"), "Dat staat niet in de bronnen.", True, [], [PASSAGE])
    assert refused.problems == [] and refused.hit is None
    assert "onbeantwoordbare vraag toch beantwoord" in answered.problems
    assert wrongly.has_citation is None and "ten onrechte geweigerd" in wrongly.problems
    agg = aggregate([refused, answered, wrongly])
    assert agg["unanswerable_refused"] == pytest.approx(0.5)
    assert agg["answerable_wrongly_refused"] == pytest.approx(1.0)


def test_list_completeness():
    item = _item(type="list", must_include=["OZA Spinaker VO", "De Boei", "Focus"])
    partial = score_answer(item, "Lopende pilots: OZA Spinaker VO [1] en De Boei [1].", False, [(1, PASSAGE)], [])
    full = score_answer(item, "OZA Spinaker VO, De Boei en Focus [1].", False, [(1, PASSAGE)], [])
    assert partial.list_share == pytest.approx(2 / 3) and partial.list_complete is False
    assert full.list_share == 1.0 and full.list_complete is True
    assert score_answer(_item(), "Commissie van Toewijzing [1]", False, [(1, PASSAGE)], []).list_complete is None


def test_error_counts_against_every_metric():
    score = score_answer(_item(), "genegeerd", False, [(1, PASSAGE)], [PASSAGE], latency_ms=5, wall_ms=9,
                         error="RuntimeError: kapot")
    assert score.hit[10] is False and score.must_include == 0.0 and score.has_citation is False
    assert score.latency_ms is None and score.problems[0].startswith("fout:")
    assert aggregate([score])["error_rate"] == 1.0


def test_per_type_aggregation_and_latency_percentiles():
    fact = _item(id="f1")
    lst = _item(id="l1", type="list", must_include=["Commissie van Toewijzing", "Leerplein"])
    unans = _item(id="u1", type="unanswerable", must_include=[], sources=[])
    scores = [
        score_answer(fact, "Commissie van Toewijzing [1]", False, [(1, PASSAGE)], [PASSAGE], latency_ms=10),
        score_answer(fact, "weet ik niet", True, [], ["x"], latency_ms=30),
        score_answer(lst, "Commissie van Toewijzing [1]", False, [(1, PASSAGE)], ["x", PASSAGE], latency_ms=20),
        score_answer(unans, "Niet in de bronnen.", True, [], [], latency_ms=40),
    ]
    by_type = aggregate_by_type(scores)
    assert list(by_type) == ["fact", "list", "unanswerable"]
    assert by_type["fact"]["n"] == 2 and by_type["fact"]["hit@1"] == pytest.approx(0.5)
    assert by_type["fact"]["answerable_wrongly_refused"] == pytest.approx(0.5)
    assert by_type["list"]["list_share"] == pytest.approx(0.5) and by_type["list"]["list_complete"] == 0.0
    assert by_type["list"]["mrr"] == pytest.approx(0.5)
    assert by_type["unanswerable"]["unanswerable_refused"] == 1.0 and by_type["unanswerable"]["hit@5"] is None
    overall = aggregate(scores)
    assert overall["n_retrieval"] == 3 and overall["latency_p50_ms"] == pytest.approx(25.0)
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95) == pytest.approx(19.05)
    assert percentile([], 50) is None


def test_threshold_gate_reports_what_fell_short():
    from evals.scoring import check_thresholds

    metrics = {"systems": {"wegwijs": {"overall": {"hit@5": 0.8, "latency_p95_ms": 900.0, "mrr": None},
                                       "per_type": {"list": {"list_complete": 0.5}}}}}
    thresholds = {"comment": "x", "min": {"wegwijs.hit@5": 0.75, "wegwijs.list.list_complete": 0.6, "wegwijs.mrr": 0.1},
                  "max": {"wegwijs.latency_p95_ms": 500}}
    failures = check_thresholds(metrics, thresholds)
    assert len(failures) == 3
    assert any(f.startswith("wegwijs.list.list_complete = 0.500") for f in failures)
    assert any("latency_p95_ms" in f and "maximum" in f for f in failures)
    assert any("wegwijs.mrr: niet gemeten" in f for f in failures)
    assert check_thresholds(metrics, {"min": {"wegwijs.hit@5": 0.8}}) == []


def test_report_files_from_hand_made_scores(tmp_path):
    from evals.report import headline_text, write_report

    fact, unans = _item(id="f1"), _item(id="u1", type="unanswerable", must_include=[], sources=[])
    wegwijs = [score_answer(fact, "Commissie van Toewijzing [1]", False, [(1, PASSAGE)], [PASSAGE], latency_ms=10),
               score_answer(unans, "Niet in de bronnen.", True, [], [], latency_ms=20)]
    bm25 = [score_retrieval_only(fact, "bm25", ["x", PASSAGE])]
    block = lambda scores: {"overall": aggregate(scores), "per_type": aggregate_by_type(scores)}
    metrics = {
        "run": {"started_at": "2026-01-01T00:00:00+00:00", "duration_s": 1.0, "questions_file": "q.jsonl",
                "questions_sha256": "abc", "questions": 2, "git_commit": None, "embedder": "fake", "wegwijs_chunks": 3,
                "llm": False, "command": "python -m evals run", "warnings": ["let op"]},
        "systems": {"wegwijs": block(wegwijs), "bm25": block(bm25)},
        "questions": [{"id": s.id, "type": s.type, "region": None, "question": "?", "history": [], "must_include": [],
                       "gold_quotes": [], "wegwijs": {"answer": "a", "refused": False, "retrieved": []},
                       "baselines": None, "scores": {"wegwijs": s.to_dict()}} for s in wegwijs],
    }
    metrics["questions"][0]["scores"]["wegwijs"]["problems"] = ["kapot"]
    write_report(metrics, tmp_path)
    for name in ("report.md", "report.html", "metrics.json", "failures.jsonl", "hit_at_k.png", "hit5_per_type.png"):
        assert (tmp_path / name).is_file(), name
    assert "data:image/png;base64," in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert len((tmp_path / "failures.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    text = headline_text(metrics)
    assert "hit@5" in text and "n.v.t." in text
