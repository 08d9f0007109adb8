"""Pure scoring for evaluation runs: gold questions and system outputs in, figures out.

Nothing here loads a model, reads a file or looks at the clock, so every rule is unit-tested on
hand-made cases (tests/evals/test_scoring.py). The rules, in short:

- a gold quote is *found* in a passage when ``squash(quote)`` is a substring of
  ``squash(passage)``: letters and digits only, folded, so hyphenation, line breaks, spacing,
  ligatures and a split ``ij`` do not matter;
- retrieval (top 10 of the ranked list): hit@k (some gold quote in the top k), recall@k (share of
  the item's gold quotes found in the top k), reciprocal rank of the first passage holding one;
- answers: share of ``must_include`` strings in the answer, list completeness, citation support
  (a cited passage holds a gold quote), marker validity, at least one citation when not refused;
- refusals: unanswerable items refused, answerable items wrongly refused.

A question that errored is scored as an empty, unrefused answer with nothing retrieved: it counts
against every metric instead of silently dropping out of the averages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from pydantic import BaseModel, Field

from assistant.core.text import fold, squash
from evals.readability import readability

KS = (1, 3, 5, 10)
RANK_DEPTH = 10  # MRR and recall are computed over the top 10 for every system alike
QUESTION_TYPES = ("fact", "list", "responsible_party", "route", "contact", "comparison", "numeric",
                  "unanswerable", "followup")

_MARKER_RE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


# -- gold data -------------------------------------------------------------------------------
class GoldSource(BaseModel):
    doc: str
    quote: str


class GoldMessage(BaseModel):
    role: str
    content: str


class GoldItem(BaseModel):
    """One line of evals/questions.jsonl (schema in ../shared/CONTRACTS.md)."""

    id: str
    type: str
    region: str | None = None
    question: str
    history: list[GoldMessage] = Field(default_factory=list)
    answer: str = ""
    must_include: list[str] = Field(default_factory=list)
    sources: list[GoldSource] = Field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def quotes(self) -> list[str]:
        return [s.quote for s in self.sources if squash(s.quote)]


# -- text matching ---------------------------------------------------------------------------
def quote_found(quote: str, passage: str) -> bool:
    """True when the gold quote occurs in the passage, ignoring everything but letters and digits."""
    needle = squash(quote)
    return bool(needle) and needle in squash(passage)


def normalize(text: str) -> str:
    """Folded (lowercase, no diacritics) with whitespace collapsed to single spaces."""
    return " ".join(fold(text).split())


def _squash_with_word_starts(text: str) -> tuple[str, set[int]]:
    """``squash(text)`` plus the positions in it where a word of the folded text begins."""
    squashed: list[str] = []
    starts: set[int] = set()
    for word in re.findall(r"[0-9a-z]+", fold(text)):
        starts.add(sum(map(len, squashed)))
        squashed.append(word)
    return "".join(squashed), starts


def text_contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` after folding and whitespace normalisation, or squashed.

    The squashed comparison (hyphens, spacing and punctuation ignored) only counts a match that
    starts where a word starts, so a short item such as ``MDO`` is not found across the words
    ``team dossier``.
    """
    if not needle.strip():
        return False
    if normalize(needle) in normalize(haystack):
        return True
    squashed = squash(needle)
    if not squashed:
        return False
    target, starts = _squash_with_word_starts(haystack)
    at = target.find(squashed)
    while at != -1:
        if at in starts:
            return True
        at = target.find(squashed, at + 1)
    return False


def share_present(answer: str, items: Sequence[str]) -> float | None:
    """Share of ``items`` present in ``answer``; None when there is nothing to look for."""
    items = [i for i in items if i.strip()]
    if not items:
        return None
    return sum(text_contains(answer, i) for i in items) / len(items)


# -- retrieval -------------------------------------------------------------------------------
def quote_ranks(quotes: Sequence[str], passages: Sequence[str], depth: int = RANK_DEPTH) -> list[int | None]:
    """Per quote, the 1-based rank of the first of the top ``depth`` passages holding it (or None)."""
    squashed = [squash(p) for p in passages[:depth]]
    ranks: list[int | None] = []
    for quote in quotes:
        needle = squash(quote)
        ranks.append(next((i for i, p in enumerate(squashed, start=1) if needle and needle in p), None))
    return ranks


@dataclass
class RetrievalScore:
    hit: dict[int, bool]
    recall: dict[int, float]
    rr: float
    first_rank: int | None


def score_retrieval(quotes: Sequence[str], passages: Sequence[str], ks: Iterable[int] = KS) -> RetrievalScore | None:
    """hit@k, recall@k and reciprocal rank of one ranked list; None when there are no gold quotes."""
    if not quotes:
        return None
    ranks = quote_ranks(quotes, passages)
    found = [r for r in ranks if r is not None]
    first = min(found) if found else None
    return RetrievalScore(
        hit={k: first is not None and first <= k for k in ks},
        recall={k: sum(1 for r in found if r <= k) / len(quotes) for k in ks},
        rr=1.0 / first if first else 0.0,
        first_rank=first,
    )


# -- answers ---------------------------------------------------------------------------------
def cited_markers(answer: str) -> list[int]:
    """The numbers of all ``[n]`` markers in the answer (``[1, 2]`` counts as 1 and 2), in order."""
    numbers: list[int] = []
    for match in _MARKER_RE.finditer(answer):
        numbers.extend(int(n) for n in re.split(r"\s*[,;]\s*", match.group(1)))
    return numbers


@dataclass
class MarkerCheck:
    markers_valid: bool  # every [n] in the answer exists among the citations
    citations_referenced: bool  # every citation is referenced by some [n]
    unknown: list[int] = field(default_factory=list)
    unreferenced: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.markers_valid and self.citations_referenced


def check_markers(answer: str, citation_numbers: Sequence[int]) -> MarkerCheck:
    used = set(cited_markers(answer))
    known = set(citation_numbers)
    unknown = sorted(used - known)
    unreferenced = sorted(known - used)
    return MarkerCheck(not unknown, not unreferenced, unknown, unreferenced)


def citation_support(quotes: Sequence[str], cited_texts: Sequence[str]) -> tuple[bool, float] | None:
    """(some cited passage holds a gold quote, share of cited passages that hold one).

    None when there are no gold quotes or nothing was cited (the latter is scored by
    ``has_citation``).
    """
    if not quotes or not cited_texts:
        return None
    holding = [any(quote_found(q, text) for q in quotes) for text in cited_texts]
    return any(holding), sum(holding) / len(holding)


# -- one question ----------------------------------------------------------------------------
@dataclass
class QuestionScore:
    """Everything measured for one question and one system; None means not applicable."""

    id: str
    type: str
    system: str
    answerable: bool
    error: str | None = None
    # retrieval
    hit: dict[int, bool] | None = None
    recall: dict[int, float] | None = None
    rr: float | None = None
    first_rank: int | None = None
    # answers (Wegwijs only)
    refused: bool | None = None
    must_include: float | None = None
    list_share: float | None = None
    list_complete: bool | None = None
    citation_support: bool | None = None
    citation_precision: float | None = None
    markers_valid: bool | None = None
    citations_referenced: bool | None = None
    has_citation: bool | None = None
    # readability of an answered question (evals.readability)
    words: int | None = None
    fragment: str | None = None
    lead_holds: bool | None = None
    latency_ms: float | None = None
    wall_ms: float | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("hit", "recall"):
            if data[key] is not None:
                data[key] = {str(k): v for k, v in data[key].items()}
        return data


def _apply_retrieval(score: QuestionScore, item: GoldItem, passages: Sequence[str]) -> None:
    retrieval = score_retrieval(item.quotes, passages)
    if retrieval is None:
        return
    score.hit, score.recall, score.rr, score.first_rank = (retrieval.hit, retrieval.recall, retrieval.rr,
                                                           retrieval.first_rank)
    if not retrieval.hit[5]:
        score.problems.append("geen bronquote in top 10" if retrieval.first_rank is None
                              else f"eerste bronquote pas op plaats {retrieval.first_rank}")


def score_retrieval_only(item: GoldItem, system: str, passages: Sequence[str],
                         error: str | None = None) -> QuestionScore:
    """Score a baseline (a ranked list of passage texts, no answer) on one question."""
    score = QuestionScore(id=item.id, type=item.type, system=system, answerable=item.answerable, error=error)
    _apply_retrieval(score, item, [] if error else passages)
    if error:
        score.problems.insert(0, f"fout: {error}")
    return score


def score_answer(item: GoldItem, answer: str, refused: bool, citations: Sequence[tuple[int, str]],
                 passages: Sequence[str], latency_ms: float | None = None, wall_ms: float | None = None,
                 error: str | None = None, system: str = "wegwijs") -> QuestionScore:
    """Score a full answer on one question.

    Args:
        citations: ``(n, passage text)`` per citation.
        passages: the ranked retrieved passage texts, best first.
        error: set when the system raised; the answer then counts as empty and not refused.
    """
    if error:
        answer, refused, citations, passages, latency_ms = "", False, [], [], None
    score = QuestionScore(id=item.id, type=item.type, system=system, answerable=item.answerable, error=error,
                          refused=refused, latency_ms=latency_ms, wall_ms=wall_ms)
    if error:
        score.problems.append(f"fout: {error}")
    _apply_retrieval(score, item, passages)
    marks = check_markers(answer, [n for n, _ in citations])
    score.markers_valid, score.citations_referenced = marks.markers_valid, marks.citations_referenced
    if not marks.markers_valid:
        score.problems.append(f"onbekende bronverwijzing(en) {marks.unknown}")
    if not marks.citations_referenced:
        score.problems.append(f"bron(nen) {marks.unreferenced} niet in de tekst aangehaald")
    if not item.answerable:
        if not refused:
            score.problems.append("onbeantwoordbare vraag toch beantwoord")
        return score
    if refused:
        score.problems.append("ten onrechte geweigerd")
    score.has_citation = None if refused else (bool(citations) and bool(cited_markers(answer)))
    if score.has_citation is False:
        score.problems.append("antwoord zonder bronverwijzing")
    score.must_include = share_present(answer, item.must_include)
    if score.must_include is not None and score.must_include < 1:
        missing = [m for m in item.must_include if m.strip() and not text_contains(answer, m)]
        score.problems.append(f"ontbreekt in antwoord: {missing}")
    if item.type == "list":
        score.list_share = score.must_include
        score.list_complete = None if score.list_share is None else score.list_share == 1.0
    if not refused and not error:
        read = readability(answer, item.must_include, contains=text_contains)
        score.words, score.fragment, score.lead_holds = read.words, read.fragment, read.lead_holds
        if read.fragment:
            score.problems.append(f"machinefragment in antwoord: {read.fragment!r}")
    support = citation_support(item.quotes, [text for _, text in citations])
    if support is not None:
        score.citation_support, score.citation_precision = support
        if not score.citation_support:
            score.problems.append("geen aangehaalde bron bevat een goudquote")
    return score


# -- aggregation -----------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100) like numpy's default; None when empty."""
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def _mean(values: Iterable[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def aggregate(scores: Sequence[QuestionScore]) -> dict[str, float | int | None]:
    """Averages over the questions where a metric applies; None where it applies to none."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    with_gold = [s for s in scores if s.hit is not None]
    out: dict[str, float | int | None] = {
        "n": len(scores),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "n_retrieval": len(with_gold),
        "errors": sum(1 for s in scores if s.error),
        "error_rate": _mean(s.error is not None for s in scores),
    }
    for k in KS:
        out[f"hit@{k}"] = _mean(s.hit[k] for s in with_gold)
    for k in (5, 10):
        out[f"recall@{k}"] = _mean(s.recall[k] for s in with_gold)
    out["mrr"] = _mean(s.rr for s in with_gold)
    answer_keys = ("must_include", "list_share", "list_complete", "citation_support", "citation_precision",
                   "markers_valid", "citations_referenced", "has_citation")
    for key in answer_keys:
        out[key] = _mean(getattr(s, key) for s in scores)
    has_answers = any(s.refused is not None for s in scores)
    out["unanswerable_refused"] = _mean(s.refused for s in unanswerable) if has_answers else None
    out["answerable_wrongly_refused"] = _mean(s.refused for s in answerable) if has_answers else None
    answered = [s for s in scores if s.words is not None]
    lengths = [s.words for s in answered if s.type != "list"]
    out["n_answered"] = len(answered)
    out["words_median"] = percentile(lengths, 50)  # non-list answers
    out["words_p90"] = percentile(lengths, 90)
    out["fragment_rate"] = _mean(s.fragment is not None for s in answered)
    out["lead_must_include"] = _mean(s.lead_holds for s in answered)
    latencies = [s.latency_ms for s in scores if s.latency_ms is not None]
    walls = [s.wall_ms for s in scores if s.wall_ms is not None]
    out["latency_p50_ms"], out["latency_p95_ms"] = percentile(latencies, 50), percentile(latencies, 95)
    out["wall_p50_ms"], out["wall_p95_ms"] = percentile(walls, 50), percentile(walls, 95)
    return out


def aggregate_by_type(scores: Sequence[QuestionScore]) -> dict[str, dict[str, float | int | None]]:
    """:func:`aggregate` per question type, in the contract's type order (unknown types last)."""
    types = [t for t in QUESTION_TYPES if any(s.type == t for s in scores)]
    types += sorted({s.type for s in scores} - set(types))
    return {t: aggregate([s for s in scores if s.type == t]) for t in types}


def reachability(items: list[GoldItem], texts: list[str]) -> float | None:
    """Share of gold quotes that occur in some chunk at all: the ceiling for recall."""
    quotes = [q for item in items for q in item.quotes]
    if not quotes:
        return None
    return sum(any(quote_found(q, t) for t in texts) for q in quotes) / len(quotes)


# -- thresholds ------------------------------------------------------------------------------
def lookup(metrics: dict, key: str):
    """``wegwijs.hit@5`` (overall) or ``wegwijs.list.list_complete`` (per type) in metrics.json."""
    system, _, rest = key.partition(".")
    block = metrics["systems"].get(system)
    if block is None:
        return None
    if "." in rest:
        qtype, _, metric = rest.partition(".")
        return block["per_type"].get(qtype, {}).get(metric)
    return block["overall"].get(rest)


def check_thresholds(metrics: dict, thresholds: dict) -> list[str]:
    """Messages for every metric below its minimum or above its maximum (empty: all pass)."""
    failures = []
    for bound, compare, word in (("min", lambda v, t: v >= t, "onder het minimum"),
                                 ("max", lambda v, t: v <= t, "boven het maximum")):
        for key, limit in thresholds.get(bound, {}).items():
            value = lookup(metrics, key)
            if value is None:
                failures.append(f"{key}: niet gemeten (drempel {limit})")
            elif not compare(value, limit):
                failures.append(f"{key} = {value:.3f} ligt {word} {limit}")
    return failures
