"""Fit the sentence model of the extractive composer on the gold sentences of the question sets.

For every answerable question with gold quotes, the composer's candidate sentences (the sentences
of the best retrieved passages, with their features; :mod:`assistant.answer.scoring`) are labelled:
a sentence is gold when it holds a gold quote or most of one. A conditional logit (softmax over the
candidates of one question, L2-regularised) learns the feature weights; then the selection margin
(``spread``) and the lift of the strongest fact are chosen by running the real composer on the
training questions and scoring its answers (must_include, minus a small cost per word).

The held-out set is never used here. Generalisation is shown by fitting on one set and scoring on
the other (documents of the other set were not seen in the fit), printed as a table.

Usage::

    .venv/bin/python scripts/fit_sentence_model.py            # fit on calibration + external-dev, print figures
    .venv/bin/python scripts/fit_sentence_model.py --write    # ... and write assistant/answer/sentence_model.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answer.scoring import FEATURES, MODEL_FILE, SentenceModel, sentence_model  # noqa: E402
from assistant.core.text import squash  # noqa: E402
from assistant.core.types import Message  # noqa: E402
from evals.scoring import share_present  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external-dev"
L2 = 0.05
WORD_COST = 0.002  # an answer of 50 more words must bring 0.1 more must_include to be preferred
SPREADS = (0.05, 0.09, 0.15, 0.25, 0.4, 0.6, 1.0)
LIFTS = (0.1, 0.25, 0.5, 1.0, 2.0)


@dataclass
class Case:
    """One question: its candidates' features and labels, and what the answer must hold."""

    set_name: str
    item: object
    analysis: object
    hits: list
    vector: np.ndarray
    features: np.ndarray  # candidates x FEATURES
    labels: np.ndarray  # 1 for a gold sentence


def is_gold(sentence: str, quotes: list[str]) -> bool:
    """The sentence holds a gold quote, or the quote holds the (long enough) sentence, or the
    sentence holds most of the quote's words."""
    s = squash(sentence)
    for quote in quotes:
        q = squash(quote)
        if not q:
            continue
        if q in s or (len(s) >= 30 and s in q):
            return True
        words = [w for w in quote.lower().split() if len(w) > 2]
        if words and sum(w in sentence.lower() for w in words) / len(words) >= 0.7:
            return True
    return False


def build_cases(set_name: str, settings, questions: Path) -> tuple[object, list[Case]]:
    from assistant.answer.engine import Assistant
    from evals.run import load_questions

    bot = Assistant(settings).warm_up()
    cases = []
    for item in load_questions(questions):
        if not item.answerable or not item.quotes:
            continue
        history = [Message(role=m.role, content=m.content) for m in item.history]
        analysis = bot.analyze(item.question, history, item.region)
        vector = bot.embedder.embed_query_array(analysis.dense_text)
        hits = bot.searcher.search(analysis, 10, query_vector=vector)
        pairs = bot.composer.featured(analysis, hits, vector)
        if not pairs:
            continue
        feats = np.array([[f[name] for name in FEATURES] for _, f in pairs], dtype=float)
        labels = np.array([is_gold(c.text, item.quotes) for c, _ in pairs], dtype=float)
        cases.append(Case(set_name, item, analysis, hits, vector, feats, labels))
    return bot, cases


def fit(cases: list[Case], start: np.ndarray, l2: float = L2, steps: int = 2000, rate: float = 0.02) -> np.ndarray:
    """Weights of a conditional logit over the candidates of each question (questions with a gold
    candidate only), by gradient descent with Adam on standardised features, from ``start``."""
    usable = [c for c in cases if c.labels.any()]
    stacked = np.vstack([c.features for c in usable])
    mean, std = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    scaled = [((c.features - mean) / std, c.labels / c.labels.sum()) for c in usable]
    w = start * std  # the same scores in standardised units
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):
        grad = l2 * (w - start * std)
        for feats, pos in scaled:
            scores = feats @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            grad += feats.T @ (p - pos) / len(scaled)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w / std


def gold_at_1(cases: list[Case], model: SentenceModel) -> float:
    """Share of questions whose best-scoring candidate is a gold sentence."""
    usable = [c for c in cases if c.labels.any()]
    weights = np.array([model.weights.get(name, 0.0) for name in FEATURES])
    return float(np.mean([c.labels[int(np.argmax(c.features @ weights))] for c in usable])) if usable else 0.0


def answer_quality(bots: dict, cases: list[Case], model: SentenceModel) -> tuple[float, float]:
    """Mean must_include of the composer's answers with ``model``, and their median length in words."""
    shares, lengths = [], []
    for case in cases:
        bot = bots[case.set_name]
        composer = replace_model(bot.composer, model)
        composition = composer.compose(case.analysis, case.hits, case.vector)
        share = share_present(composition.answer, case.item.must_include)
        if share is not None:
            shares.append(share)
        lengths.append(len(composition.answer.split()))
    return float(np.mean(shares)) if shares else 0.0, float(np.median(lengths)) if lengths else 0.0


def replace_model(composer, model: SentenceModel):
    from assistant.answer.extractive import ExtractiveComposer

    return ExtractiveComposer(composer.index, composer.facts, composer.max_citations,
                              composer.min_support, composer.passages, model=model)


def choose_selection(bots: dict, cases: list[Case], weights: np.ndarray) -> SentenceModel:
    """The spread and lift that give the best must_include per word on ``cases``."""
    base = SentenceModel(weights=dict(zip(FEATURES, map(float, weights))))
    best, best_value = base, -1.0
    for spread in SPREADS:
        for lift in LIFTS:
            candidate = replace(base, spread=spread, lift=lift)
            share, words = answer_quality(bots, cases, candidate)
            value = share - WORD_COST * words
            if value > best_value:
                best, best_value = candidate, value
    return best


def main(argv: list[str] | None = None) -> int:
    from assistant.core.settings import get_settings
    from evals.external import external_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the fitted model to " + MODEL_FILE.name)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = get_settings()
    bots, cases = {}, []
    bots["cal"], cal = build_cases("cal", settings, ROOT / "evals" / "questions.jsonl")
    bots["ext"], ext = build_cases("ext", external_settings(settings, EXTERNAL), EXTERNAL / "questions.jsonl")
    cases = cal + ext
    current = sentence_model()
    print(f"{len(cal)} + {len(ext)} vragen, {sum(len(c.labels) for c in cases)} kandidaatzinnen, "
          f"{int(sum(c.labels.sum() for c in cases))} goudzinnen")

    rows = [("huidig model", current, current, current)]
    start = np.array([current.weights.get(name, 0.0) for name in FEATURES])
    for data in (("cal", cal), ("ext", ext)):
        with_gold = sum(1 for c in data[1] if c.labels.any())
        print(f"{data[0]}: {with_gold} van {len(data[1])} vragen hebben een goudzin onder de kandidaten")
    for name, train in (("gefit op cal", cal), ("gefit op ext", ext), ("gefit op cal+ext", cases)):
        weights = fit(train, start)
        model = choose_selection(bots, train, weights)
        rows.append((name, model, model, model))
    print("\nmodel               goud@1 cal  goud@1 ext  must_incl cal  must_incl ext  woorden cal  woorden ext")
    final = None
    for name, model, _, _ in rows:
        cal_mi, cal_words = answer_quality(bots, cal, model)
        ext_mi, ext_words = answer_quality(bots, ext, model)
        print(f"{name:18}  {gold_at_1(cal, model):10.3f}  {gold_at_1(ext, model):10.3f}  {cal_mi:13.3f}  "
              f"{ext_mi:13.3f}  {cal_words:11.0f}  {ext_words:11.0f}")
        final = model
    print("\ngewichten (cal+ext):", {k: round(v, 3) for k, v in final.weights.items()},
          f"spread={final.spread} lift={final.lift}")
    if args.write:
        about = {"fitted": True, "date": time.strftime("%Y-%m-%d"), "sets": ["evals/questions.jsonl",
                 "../shared/external-dev/questions.jsonl"], "questions": len(cases),
                 "command": "python scripts/fit_sentence_model.py --write", "l2": L2, "word_cost": WORD_COST}
        MODEL_FILE.write_text(json.dumps({"about": about, "bias": 0.0,
                                          "weights": {k: round(v, 4) for k, v in final.weights.items()},
                                          "spread": final.spread, "lift": final.lift}, indent=2) + "\n",
                              encoding="utf-8")
        print(f"geschreven: {MODEL_FILE}")
    print(f"klaar in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
