"""Assembling an extractive answer: the lead sentence, the sentences that add to it, the list it announces.

- :func:`choose_shown`: from the scored candidate sentences, the lead (the best one) and at most
  ``MAX_SUPPORT`` more, each only when it holds something the question asks that the sentences
  before it do not; every sentence as the reader sees it: an inventory record's sentence is
  replaced by the plan sentence it restates (:func:`assistant.answer.shape.plan_origins`);
- :func:`compose_shown`: the answer text, "lead [1]" and "- sentence [2]" lines, and its citations.

A sentence that announces a list ("... de volgende afspraken:") brings the items after it; one that
ends in a colon without items brings the sentence that completes it.

Example::

    shown = choose_shown(index, candidates, wanted, analysis, spread=0.1, max_passages=4)
    composition = compose_shown(index, shown, analysis, support)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.answer.citations import Citations
from assistant.answer.evidence import Candidate
from assistant.answer.matching import prefix_match, terms
from assistant.answer.shape import plain, plan_origins, record_fields, record_sentence, record_text, subject_of
from assistant.core.records import PARTY_LABEL, PROSE_LABELS, VALUE_PHRASES
from assistant.core.index import Index
from assistant.core.lexicon import lexicon
from assistant.core.text import fold
from assistant.core.types import Composition, QueryAnalysis

MAX_SUPPORT = 2  # source sentences after the lead
WORD_BUDGET = 60  # past this many words a sentence joins only with a question term not yet answered
NEW_TERMS = 0.5  # share of a sentence's terms the answer must not hold yet for it to add something
MAX_ITEMS = 8  # list items brought along by one announcing sentence
SAME_TERMS = 0.8  # term overlap (Jaccard) at which two sentences say the same
CONTEXT_WORDS = 40  # a sentence and the one its anaphor refers to are shown together up to this length
POINTER_WORDS = 3  # a pronominal adverb ("hiervoor", "daarmee") this early in a sentence points back
DEMONSTRATIVE_WORDS = 8  # ... and a demonstrative ("dit", "deze") this early


@dataclass
class Shown:
    """One sentence of the answer: the passage sentence it cites, and the text the reader sees."""

    cited: Candidate
    text: str
    items: list[Candidate] = field(default_factory=list)
    origin: Candidate | None = None  # a record's wording shown: the plan line it rests on, cited too
    also: list[Candidate] = field(default_factory=list)  # other passages that say it, cited only


def readable(index: Index, cand: Candidate, analysis: QueryAnalysis, wanted: set[str],
             query_vector: np.ndarray | None = None, lead: bool = False) -> Shown | None:
    """``cand`` as the answer shows it; a record's sentence becomes the plan sentence it restates.

    A record's own wording (its label removed, :func:`record_sentence`) is shown, with the plan
    line it rests on cited too, when no plan line is found, when the plan line holds fewer of the
    question's terms or lacks the fact a fact question asks for, and as the lead (a record's
    sentence is written to answer); otherwise the plan line itself. A bare record value without a
    subject or plan line is not shown at all (None).
    """
    if index.chunks[cand.chunk_index].kind != "record":
        cand = in_context(index, cand)
        return Shown(cand, plain(cand.text))
    origins = plan_origins(index, cand, wanted, query_vector)
    origin, others = (origins[0], origins[1:]) if origins else (None, [])
    own = record_sentence(cand.text, subject_of(index, cand.chunk_index))
    if own is not None:
        own = _with_contact_lines(index, cand, own, analysis)
    if own is None:
        return Shown(origin, plain(origin.text), also=others) if origin is not None else None
    if origin is None:
        return Shown(cand, own)
    loses_fact = analysis.evidence is not None and not analysis.evidence.search(origin.text)
    if lead or loses_fact or _asked(wanted, origin.text) < _asked(wanted, own):
        return Shown(cand, own, origin=origin, also=others)
    return Shown(origin, plain(origin.text), also=others)


def in_context(index: Index, cand: Candidate) -> Candidate:
    """A plan sentence with the sentence its anaphor points to ("Deze hulp valt onder ..." takes the
    sentence before it) or that points back to it (the next sentence opens with "Deze", "Daarom"
    ...), while the two stay within ``CONTEXT_WORDS`` words."""
    anaphors, demonstratives = lexicon().words("anaphors"), lexicon().words("demonstratives")
    text = index.chunks[cand.chunk_index].text
    spans, _ = index.sentences_of(cand.chunk_index)
    at = next((k for k, (a, b) in enumerate(spans) if a <= cand.start < b), None)
    if at is None:
        return cand

    def opens_with_anaphor(k: int) -> bool:
        first = text[spans[k][0]:spans[k][1]].strip().split(" ", 1)[0]
        return fold(first) in anaphors

    def refers_back(k: int) -> bool:
        """Opens with an anaphor, has a pronominal adverb among its first words ("Meld je
        hiervoor aan bij ...", "Neem daarvoor contact op": Dutch puts it after the verb), or a
        demonstrative a little further on ("Wij vragen dit dan ...", "Met toestemming kan je ook
        met deze collega's ...")."""
        head = [fold(w.strip(",.:;")) for w in text[spans[k][0]:spans[k][1]].split()[:DEMONSTRATIVE_WORDS]]
        return opens_with_anaphor(k) or any(w in anaphors and w.startswith(("hier", "daar")) for w in head[:POINTER_WORDS]) \
            or any(w in demonstratives for w in head)

    def words(a: int, b: int) -> int:
        return len(text[a:b].split())

    start, end = cand.start, cand.end
    if opens_with_anaphor(at) and at > 0:
        prev = text[spans[at - 1][0]:spans[at - 1][1]].strip()
        if prev.endswith((".", "!", "?")) and words(spans[at - 1][0], end) <= CONTEXT_WORDS:
            start = spans[at - 1][0]
    if at + 1 < len(spans) and refers_back(at + 1) and words(start, spans[at + 1][1]) <= CONTEXT_WORDS \
            and not cand.text.rstrip().endswith(":"):
        end = spans[at + 1][1]
    if (start, end) == (cand.start, cand.end):
        return cand
    return Candidate(cand.hit_rank, cand.chunk_index, start, end, text[start:end].strip(), cand.score, cand.dense,
                     cand.lexical)


def _asked(wanted: set[str], text: str) -> int:
    held = terms(text)
    return sum(1 for t in wanted if prefix_match(t, held))


def _with_contact_lines(index: Index, cand: Candidate, own: str, analysis: QueryAnalysis) -> str:
    """A record's contact line ("E-mail: ...") with the record's first line naming whose it is; and,
    for a question after contact details, a record's first line with all its contact lines."""
    contact_line = lexicon().pattern("contact_line")
    spans, _ = index.sentences_of(cand.chunk_index)
    text = index.chunks[cand.chunk_index].text
    lines = [text[s:e].strip() for s, e in spans]
    if not lines:
        return own
    if contact_line.search(own):
        head = record_sentence(lines[0]) if spans[0][0] < cand.start else None
        return f"{head.rstrip('.')}. {own}" if head else own
    if analysis.intent.contact_details and spans[0][0] >= cand.start:
        details = [line for line in lines[1:] if contact_line.search(line)]
        if details:
            return " ".join([own.rstrip(".") + ".", *details])
    return own


def choose_shown(index: Index, candidates: list[Candidate], wanted: set[str], analysis: QueryAnalysis,
                 spread: float, max_passages: int, query_vector: np.ndarray | None = None) -> list[Shown]:
    """The lead and the sentences that add to it, from candidates within ``spread`` of the best.

    A sentence after the lead joins when it holds a question term, or (a comparison) a region, the
    answer does not hold yet; or, while the answer is shorter than ``WORD_BUDGET`` words, when most
    of its terms are new. The plan line behind a lead taken from a record comes first among them.
    A comparison that still lacks one of its regions takes that region's best sentence, at any score.
    """
    ranked = sorted(candidates, key=lambda c: -c.score)
    best = ranked[0].score
    regions = set(analysis.regions) if len(analysis.regions) > 1 else set()
    limit = MAX_SUPPORT + max(0, len(regions) - 2)
    shown: list[Shown] = []
    covered: set[str] = set()  # question terms and regions the answer holds
    said: set[str] = set()  # all terms the answer holds
    passages: list[int] = []
    words = 0

    def offer(view: Shown, behind_lead: bool = False) -> bool:
        nonlocal words
        twin = next((other for other in shown if _same(view, other, ignore_origin=behind_lead)), None)
        if twin is not None:  # says what the answer says: its passage is cited with it, if room is left
            if not behind_lead:
                pending.append((twin, [view.cited, *([view.origin] if view.origin else []), *view.also]))
            return False
        held = terms(view.text)
        found = {t for t in wanted if prefix_match(t, held)}
        region = index.chunks[view.cited.chunk_index].region
        if region in regions:
            found.add(f"§region:{region}")
        if shown and not found - covered and (words >= WORD_BUDGET or len(held - said) < NEW_TERMS * len(held)):
            return False  # restates what the answer says, or the answer is long enough without it
        cited = {view.cited.chunk_index} | ({view.origin.chunk_index} if view.origin else set())
        if len(set(passages) | cited) > cap:
            return False
        passages.extend(ci for ci in cited if ci not in passages)
        also, view.also = view.also, []
        pending.append((view, also))
        shown.append(view)
        covered.update(found)
        said.update(held)
        words += len(view.text.split())
        return True

    pending: list[tuple[Shown, list[Candidate]]] = []  # passages that also say a shown sentence
    cap = max_passages

    merged: set[int] = set()  # candidates said within the lead
    for cand in ranked:
        if cand.score < best - spread or len(shown) > limit:
            break
        if id(cand) in merged:
            continue
        view = readable(index, cand, analysis, wanted, query_vector, lead=not shown)
        if view is None:
            continue
        if not shown:
            view = _plan_twin(index, view, ranked, analysis) or _with_record_values(
                index, view, cand, [c for c in ranked if c.score >= best - spread], merged, analysis.intent.who)
        if offer(view) and len(shown) == 1 and view.origin is not None:
            offer(Shown(view.origin, plain(view.origin.text)), behind_lead=True)
    for region in sorted(regions, key=lambda r: analysis.regions.index(r)):  # a comparison answers for each region
        if f"§region:{region}" in covered or not shown:
            continue
        cap = max(cap, len(passages) + 2)  # room for the region's sentence and the plan line behind it
        own = [c for c in ranked if index.chunks[c.chunk_index].region == region]
        for cand in own[:MAX_SUPPORT]:
            view = readable(index, cand, analysis, wanted, query_vector)
            if view is not None and offer(view):
                break
    cap = max_passages
    for view, others in pending:  # cited as well, in the passages the shown sentences leave
        for other in others:
            if other.chunk_index not in passages and len(passages) < cap:
                passages.append(other.chunk_index)
                view.also.append(other)
    if not shown:  # only bare record values: the best plan sentence, else the best sentence as stored
        plan = [c for c in ranked if index.chunks[c.chunk_index].kind != "record"]
        shown = [Shown(plan[0], plain(plan[0].text))] if plan else [Shown(ranked[0], plain(ranked[0].text))]
    for rank, view in enumerate(shown):
        view.items = _following(index, view.cited, listing=analysis.intent.listing and rank == 0)
    return shown


def _with_record_values(index: Index, view: Shown, cand: Candidate, near: list[Candidate], merged: set[int],
                        who: bool = False) -> Shown:
    """A lead in a record's own words takes the record's other values the question is close to
    ("..., door netwerkgroep monitoring"): one sentence about one record, not a bullet per field.
    A question after who does something always takes the record's party ("Wie: ...")."""
    if view.cited is not cand or index.chunks[cand.chunk_index].kind != "record":
        return view
    values = []
    if who:
        text = index.chunks[cand.chunk_index].text
        spans, _ = index.sentences_of(cand.chunk_index)
        values += [f"{label}: {value}" for a, b in spans if a != cand.start
                   for label, value in record_fields(text[a:b]) if label == PARTY_LABEL]
    for other in sorted((c for c in near if c.chunk_index == cand.chunk_index and c is not cand), key=lambda c: c.start):
        fields = [(label, value) for label, value in record_fields(other.text)
                  if label in VALUE_PHRASES or label in PROSE_LABELS or label is None]
        if fields:
            values += [f"{label}: {value}" if label else value for label, value in fields]
            merged.add(id(other))
    if not values:
        return view
    text = record_text([cand.text, *values], subject_of(index, cand.chunk_index))
    return Shown(view.cited, text or view.text, origin=view.origin, also=view.also)


def _plan_twin(index: Index, view: Shown, ranked: list[Candidate], analysis: QueryAnalysis) -> Shown | None:
    """For a fact question, a lead taken from a record gives way to a plan sentence holding the same
    fact ("jeugdigen van 0 tot 23 jaar"): the record restates the plan, the plan is what the coach checks."""
    if analysis.evidence is None or index.chunks[view.cited.chunk_index].kind != "record":
        return None
    wanted = {fold(m.group(0)).strip() for m in analysis.evidence.finditer(view.text)} - {""}
    for cand in ranked:
        if index.chunks[cand.chunk_index].kind == "record":
            continue
        if wanted & {fold(m.group(0)).strip() for m in analysis.evidence.finditer(cand.text)}:
            return Shown(cand, plain(cand.text))
    return None


def _same(a: Shown, b: Shown, ignore_origin: bool = False) -> bool:
    """Two sentences that say the same: the same passage text, equal words, or nearly equal terms
    (``ignore_origin``: the plan line ``b`` rests on does not count as saying what ``b`` says)."""
    for x in filter(None, (a.cited, a.origin)):
        for y in filter(None, (b.cited, None if ignore_origin else b.origin)):
            if x.chunk_index == y.chunk_index and x.start < y.end and y.start < x.end:
                return True
    if fold(a.text) == fold(b.text):
        return True
    ta, tb = terms(a.text), terms(b.text)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= SAME_TERMS


def _following(index: Index, cand: Candidate, listing: bool) -> list[Candidate]:
    """What a sentence brings along from its passage: the items of the list it announces (a colon
    or "1." at its end; for a list question, the items after the lead), or, when it ends in a
    colon and no items follow, the one sentence that completes it."""
    lex = lexicon()
    opens, item_mark = lex.pattern("opens_numbered_list"), lex.pattern("item_mark")
    tail = cand.text.rstrip()[-12:]
    announces = ":" in tail or bool(opens.search(tail))
    if not announces and not listing:
        return []
    chunk = index.chunks[cand.chunk_index]
    spans, _ = index.sentences_of(cand.chunk_index)
    after = []
    for start, end in spans:
        text = chunk.text[start:end].strip()
        if start >= cand.end and len(text) >= 3:
            after.append(Candidate(cand.hit_rank, cand.chunk_index, start, end, text, 0.0, 0.0, 0.0))
    items = [c for c in after if item_mark.match(c.text)]
    if not announces:
        return items[:MAX_ITEMS]
    return after[:MAX_ITEMS] if not after or item_mark.match(after[0].text) or opens.search(tail) else after[:1]


def _completes(view: Shown) -> Candidate | None:
    """The sentence that completes a label ("Handtekening ouder(s)/verzorger(s):"), if ``view`` is one."""
    items = view.items
    if len(items) == 1 and view.text.rstrip().endswith(":") and not lexicon().pattern("item_mark").match(items[0].text):
        return items[0]
    return None


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.chunk_index == b.chunk_index and a.start < b.end and b.start < a.end


def _without_repeats(shown: list[Shown]) -> list[Shown]:
    """The lines without what the answer already holds: first a label whose completing sentence
    the answer shows on its own (it would add only the label), then a sentence that is an item
    another line brings along."""
    def completion_shown(view: Shown) -> bool:
        done = _completes(view)
        return done is not None and any(other is not view and _overlaps(other.cited, done) for other in shown)

    kept = [view for view in shown if not completion_shown(view)]
    return [view for view in kept
            if not any(other is not view and any(_overlaps(view.cited, item) for item in other.items) for other in kept)]


def compose_shown(index: Index, shown: list[Shown], analysis: QueryAnalysis, support: float) -> Composition:
    """The answer: the lead on the first line, then "- sentence [n]" lines, items under what announced them."""
    citations = Citations()
    lines: list[str] = []
    shown = _without_repeats(shown)
    for rank, view in enumerate(shown):
        n = citations.add(index.chunks[view.cited.chunk_index], view.cited.text, merge=True)
        items = view.items
        text = view.text
        if _completes(view) is not None:
            # "Besluit College d.d. 25 januari 2022:" completed by the sentence that follows it
            citations.add(index.chunks[items[0].chunk_index], items[0].text, merge=True)
            text, items = f"{text} {plain(items[0].text)}", []
        marks = [n]
        for other in ([view.origin] if view.origin is not None else []) + view.also:
            m = citations.add(index.chunks[other.chunk_index], other.text, merge=True)
            marks += [m] if m not in marks else []
        marks = ", ".join(map(str, marks))
        lines.append(f"{text} [{marks}]" if rank == 0 else f"- {text} [{marks}]")
        indent = "  " if rank else ""
        for item in items:
            m = citations.add(index.chunks[item.chunk_index], item.text, merge=True)
            lines.append(f"{indent}- {plain(item.text)} [{m}]")
    return Composition("\n".join(lines), list(citations), False, support, route="extractive")
