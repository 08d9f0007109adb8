"""Deadlines, durations, ages, periods, rates and amounts, normalised where that is easy.

* a number (digits or a Dutch number word) with a time unit: ``binnen acht weken`` (deadline,
  8 weeks), ``uiterlijk 6 weken na de aanvraag`` (deadline, anchor ``de aanvraag``), ``gedurende 3
  maanden`` (duration), ``vanaf 12 jaar`` / ``12 jaar en ouder`` (age), ``2 uren per week`` (rate);
  the word before the number decides the measure (word lists in ``words.yaml``);
* a period: ``2019-2022``, ``2023 t/m 2026``, ``januari 2024 tot en met december 2024``;
* an amount: ``€ 800.000``, ``€ 2,5 miljoen``, ``1,2 miljoen euro``.

``about`` holds the content words of the sentence (stop words and the quantity itself left
out), so a deadline can be matched to what it is a deadline of.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stop_words import get_stop_words

from assistant.core.types import Block, CleanDocument
from ingest.structure.base import place, quote, sentence_spans, trim_phrase, words_of
from assistant.core.structure import Quantity
from ingest.structure.words import structure_words

ABOUT_MAX_WORDS = 8
ANCHOR_MAX_WORDS = 6
CUE_WINDOW_WORDS = 4
_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december")
_PERIOD = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})\s*(?:[-–/]|t/m|tot en met|tot)\s*((?:19|20)?\d{2})(?![\w/.-])")
_MONTH_PERIOD = re.compile(
    rf"(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+((?:19|20)\d{{2}})\s+(?:tot en met|t/m|tot)\s+(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+((?:19|20)\d{{2}})",
    re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?:€|EUR\b)\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}|-{1,2}))?(?:\s*(miljoen|mln\.?|miljard|mld\.?|duizend))?",
                            re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?\s*(miljoen|mln\.?|miljard|mld\.?|duizend)?\s+euro\b",
                           re.IGNORECASE)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(w.lower() for w in get_stop_words("dutch"))


@lru_cache(maxsize=1)
def _span_pattern() -> re.Pattern[str]:
    words = structure_words().quantity
    numbers = "|".join(sorted((re.escape(w) for w in words.numbers), key=len, reverse=True))
    units = "|".join(sorted((re.escape(f) for forms in words.units.values() for f in forms), key=len, reverse=True))
    num = rf"(?:\d+(?:,\d+)?|{numbers})"
    return re.compile(rf"(?<![\w.,])(?P<num>{num})(?:\s*(?:tot|à|a|-|–|of|en)\s*(?P<num2>{num}))?\s+(?P<unit>{units})(?![\w])",
                      re.IGNORECASE)


def extract_quantities(doc: CleanDocument) -> list[Quantity]:
    """All quantities of ``doc`` in document order."""
    out: list[Quantity] = []
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        for a, b in sentence_spans(block):
            out.extend(_in_sentence(doc, block, a, b))
    return out


def _number(token: str | None) -> float | None:
    if token is None:
        return None
    low = token.lower()
    words = structure_words().quantity.numbers
    if low in words:
        return words[low]
    try:
        return float(low.replace(",", "."))
    except ValueError:
        return None


def _about(sentence: str, span: tuple[int, int]) -> list[str]:
    stop = _stop_words()
    text = sentence[: span[0]] + " " + sentence[span[1]:]
    out: list[str] = []
    for w in words_of(text):
        low = w.lower()
        if low not in stop and not low.isdigit() and len(low) > 2 and low not in (x.lower() for x in out):
            out.append(w)
        if len(out) >= ABOUT_MAX_WORDS:
            break
    return out


def _cue_before(sentence: str, start: int, cues: tuple[str, ...]) -> str:
    """The longest cue that ends right before ``start`` (within a few words)."""
    before = sentence[:start].lower().rstrip()
    tail = " ".join(before.split()[-CUE_WINDOW_WORDS:])
    best = ""
    for cue in cues:
        if (tail == cue or tail.endswith(" " + cue)) and len(cue) > len(best):
            best = cue
    return best


def _anchor(sentence: str, end: int) -> str:
    words = structure_words().quantity
    after = sentence[end:].lstrip()
    low = after.lower()
    for cue in sorted(words.anchor_cues, key=len, reverse=True):
        if low.startswith(cue + " "):
            rest = re.split(r"[,;:.()]|\s(?:en|of|om|zodat|waarna|dan)\s", after[len(cue):])[0]
            return trim_phrase(" ".join(rest.split()[:ANCHOR_MAX_WORDS]))
    return ""


def _measure(sentence: str, m: re.Match[str]) -> tuple[str, str, str]:
    """``(measure, cue, rate unit)`` of a number with a time unit."""
    words = structure_words().quantity
    unit = words.unit_of(m.group("unit")) or ""
    after = sentence[m.end():].lower()
    per = re.match(rf"\s+(?:{'|'.join(map(re.escape, words.rate_per))})\s+(\w+)", after)
    if per and words.unit_of(per.group(1)):
        return "rate", per.group(0).strip(), words.unit_of(per.group(1)) or ""
    if unit == "jaar":
        cue = _cue_before(sentence, m.start(), words.age_before)
        upper = _number(m.group("num2"))
        person = set(sentence[: m.start()].lower().split()[-3:]) & words.age_nouns
        if cue == "van" and not (upper and upper >= 12):
            cue = ""  # ``een pilot van één jaar`` is a duration; ``van 0 tot 23 jaar`` an age
        if cue or person or (upper is not None and upper >= 12) \
                or any(after.startswith(" " + c) for c in words.age_after) or re.match(r"-?jarige", after):
            return "age", cue, ""
    cue = _cue_before(sentence, m.start(), words.deadline_cues)
    if cue and cue not in ("voor",):
        return "deadline", cue, ""
    cue = _cue_before(sentence, m.start(), words.duration_cues)
    return "duration", cue, ""


def _in_sentence(doc: CleanDocument, block: Block, a: int, b: int) -> list[Quantity]:
    sentence = block.text[a:b]
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, **fields) -> None:
        if any(start < y and x < end for x, y in taken):
            return
        taken.append((start, end))
        q = quote(block, a + start, a + end)
        found.append(Quantity(**place(doc, block), quotes=[q, quote(block, a, b)], text=q.text,
                              about=_about(sentence, (start, end)), **fields))

    for m in _AMOUNT_BEFORE.finditer(sentence):
        add(m.start(), m.end(), measure="amount", unit="euro", value=_euros(m.group(1), m.group(2), m.group(3)))
    for m in _AMOUNT_AFTER.finditer(sentence):
        add(m.start(), m.end(), measure="amount", unit="euro", value=_euros(m.group(1), m.group(2), m.group(3)))
    for m in _MONTH_PERIOD.finditer(sentence):
        add(m.start(), m.end(), measure="period", unit="jaar", value=float(m.group(1)), end_value=float(m.group(2)))
    for m in _PERIOD.finditer(sentence):
        start, end = int(m.group(1)), m.group(2)
        stop = int(end) if len(end) == 4 else int(str(start)[:2] + end)
        if stop > start:
            cue = next((c for c in structure_words().quantity.period_cues
                        if c in sentence[max(0, m.start() - 25):m.start()].lower()), "")
            add(m.start(), m.end(), measure="period", unit="jaar", value=float(start), end_value=float(stop), cue=cue)
    for m in _span_pattern().finditer(sentence):
        value = _number(m.group("num"))
        if value is None and m.group("num").lower() not in structure_words().quantity.numbers:
            continue
        measure, cue, per = _measure(sentence, m)
        unit = structure_words().quantity.unit_of(m.group("unit")) or ""
        end = m.end()
        if measure == "rate":
            end = m.end() + len(sentence[m.end():]) - len(sentence[m.end():].lstrip()) + len(cue)
            unit = f"{unit}/{per}"
        start = m.start()
        cue_start = sentence.lower().rfind(cue, 0, m.start()) if cue and measure != "rate" else -1
        if cue_start >= 0:
            start = cue_start
        add(start, end, measure=measure, unit=unit, value=value, end_value=_number(m.group("num2")), cue=cue,
            anchor=_anchor(sentence, m.end()) if measure == "deadline" else "")
    return sorted(found, key=lambda q: q.quotes[0].start)


def _euros(whole: str, cents: str | None, multiplier: str | None) -> float:
    value = float(whole.replace(".", ""))
    if cents and cents.isdigit():
        value += float(f"0.{cents}")
    if multiplier:
        value *= structure_words().quantity.money_multipliers.get(multiplier.lower(), 1)
    return value
