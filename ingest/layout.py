"""Re-flow extracted lines into paragraphs, list items and headings.

The line stream keeps three kinds of gaps: a blank line, a space-only line (a hard paragraph
break in 000 and 004) and a page break. Some pages put a blank line between *every* line of a
paragraph (000, 002); on such pages a blank line alone is no evidence of a paragraph end, so the
decision falls to the text itself: a line ending a sentence whose successor's first word would
still have fitted on it ends the paragraph (the PDF only wraps when the next word does not fit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.tables import TLine
from ingest.textrules import ends_sentence, first_word

BULLET = re.compile(r"^(?:[•▪◦·●○■⦁‣⁃∙◆◇►▶➢\-–*]|o(?=\s)|\.(?=\s))\s+")
ORDERED = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)])\s+")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
MD_TABLE = re.compile(r"^\|.*\|$")
FOOTNOTE = re.compile(r"^\d{1,2}\s{1,2}(?=[A-Z‘“(])")
_PART = re.compile(r"^(?:Deel\s+[A-Z0-9]+|Bijlage(?:\s+\d+)?|Hoofdstuk\s+\d+)(?:\s*$|\s*[:.–-]\s*\S)")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s*(?=[A-Z‘“'(])")


_FUNCTION_WORDS = {
    "de", "het", "een", "van", "en", "of", "in", "op", "te", "voor", "met", "aan", "bij", "naar",
    "om", "die", "dat", "als", "tot", "door", "is", "zijn", "wordt", "worden", "we", "wij", "dit",
    "deze", "hun", "haar", "zijn", "er", "ook", "niet", "nog", "zo", "maar", "dan", "over", "uit",
}


@dataclass
class Draft:
    """A block before offsets are known."""

    kind: str  # heading | paragraph | list_item | table_row
    lines: list[str]
    page: int | None
    rank: int | None = None  # heading depth: 0 part/annex, 1.. numbered depth, 99 unnumbered
    text: str = ""
    footnote: bool = False


def heading_rank(text: str) -> int | None:
    """Heading depth of a one-line block, or None when it does not read as a heading.

    ``## 1. Inleiding`` -> 2; ``Deel B1: Activiteitenplan``, ``Bijlage 7: ...`` -> 0;
    ``3.3. Inschakelen`` -> 2; ``1 Beleid rond de ondersteuning`` -> 1;
    a short capitalised line without final period (``Regionale cijfers``) -> 99.
    """
    text = text.strip()
    md = MD_HEADING.match(text)
    if md:
        return len(md.group(1))
    if not text or "http" in text or "www." in text or len(text) > 100:
        return None
    if _PART.match(text):
        if not text.endswith((",", ";")) and not re.search(r"\b(van|dit|dat|het|de)\s*$", text):
            return 0
    if text.endswith((".", ",", ";", ":", "___")) and not re.fullmatch(r"\d{1,2}(\.\d{1,2})*\.", text):
        return None
    if re.match(r"^[^\W\d_][\w/ -]{0,30}: *[\d\w]", text) and re.match(r"^[^:]+: *[\da-z@]", text) \
            or " | " in text:
        return None  # a "Key: value" line (``Datum: 24 november 2022``), not a title
    words = text.split()
    if re.search(r"[a-z]{2}[.!?] +[A-Z]", text) or words[-1].lower() in _FUNCTION_WORDS \
            or re.search(r"(\s[Xx×✓])+$", text):
        return None  # two sentences, a line that wraps on, a matrix row with its crosses
    num = _NUMBERED.match(text)
    if num and len(text) <= 110 and len(words) <= 16:
        return num.group(1).count(".") + 1
    if num:
        return None
    if len(text) > 70 or len(words) > 10:
        return None
    first = text[:1]
    if not first.isalpha() or not first.isupper():
        return None  # also quotes (``“Ik wil één coach”``) and bracketed sources
    if text.endswith("?") and len(words) > 9:
        return None
    if words[-1].lower() in _FUNCTION_WORDS:
        return None
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3 or all(c.isupper() for c in letters):
        return None  # diagram labels (``OUDERS``, ``EN ZORG``)
    return 99


def is_block_start(text: str) -> bool:
    return bool(BULLET.match(text) or ORDERED.match(text) or MD_HEADING.match(text) or MD_TABLE.match(text))


def _interleaved_pages(stream: list[TLine]) -> set[int | None]:
    """Pages where blank lines fall inside paragraphs: most line pairs are blank-separated
    and several of those pairs continue one sentence (``Voor de meeste leerlingen`` / blank /
    ``is dat al geregeld``)."""
    stats: dict[int | None, list[int]] = {}
    prev: TLine | None = None
    blank_between = False
    for line in stream:
        if line.kind == "pagebreak":
            prev, blank_between = None, False
            continue
        if line.kind != "text":
            blank_between = blank_between or line.kind == "blank"
            continue
        s = stats.setdefault(line.page, [0, 0, 0])
        if prev is not None:
            s[0] += 1
            if blank_between:
                s[1] += 1
                if not ends_sentence(prev.text) and line.text[:1].islower():
                    s[2] += 1
        prev, blank_between = line, False
    # without pages (Markdown, docx) a blank line is a paragraph break by definition
    return {page for page, (n, blank, cont) in stats.items()
            if page is not None and n >= 4 and blank / n >= 0.5 and cont >= 2}


def reflow(stream: list[TLine], start: int, end: int, join) -> list[Draft]:
    """Group ``stream[start:end]`` into drafts (paragraphs, list items, heading candidates).

    Args:
        join: ``join(a, b) -> str`` that glues two lines (dehyphenation lives there).
    """
    interleaved = _interleaved_pages(stream)
    texts = [(k, stream[k]) for k in range(start, end) if stream[k].kind == "text"]
    drafts: list[Draft] = []  # every draft is listed when created; ``cur`` may point back
    cur: Draft | None = None
    gap = "start"
    prev_k = start - 1
    last_number: tuple[int, ...] | None = None  # of the last draft that opened with a section number
    for n, (k, line) in enumerate(texts):
        gap = _gap(stream, prev_k, k)
        prev_k = k
        text = line.text.strip()
        if cur is None:
            cur = _new_draft(text, line.page)
            drafts.append(cur)
            last_number = section_number(text)
            continue
        last = cur.lines[-1]
        resumed = _interrupted(drafts, cur, text, gap)
        if resumed is not None:
            cur = resumed
            cur.lines.append(text)
            continue
        width = _local_width(texts, n)
        after = texts[n + 1][1].text.strip() if n + 1 < len(texts) else None
        number = section_number(text)
        numbered = gap != "none" and (heading_rank(text) or 99) < 99
        resumes_numbering = number is not None and _next_number(last_number, number) and _would_fit(last, text, width)
        if _breaks(cur, last, text, gap, line.page in interleaved, width) or \
                ((ends_sentence(last) or numbered or resumes_numbering) and _standalone(text, after, width)):
            cur = _new_draft(text, line.page)
            drafts.append(cur)
            last_number = number or last_number
        else:
            cur.lines.append(text)
    for draft in drafts:
        draft.text = draft.lines[0]
        for line in draft.lines[1:]:
            draft.text = join(draft.text, line)
    return drafts


def section_number(text: str) -> tuple[int, ...] | None:
    """The section number a heading-like line opens with (``3.2 Vormen`` -> (3, 2)); None for other
    lines and for contents lines (dot leaders to a page number)."""
    if "...." in text or "…" in text or (heading_rank(text) or 99) == 99:
        return None
    m = _NUMBERED.match(text.strip())
    return tuple(int(part) for part in m.group(1).split(".")) if m else None


def _next_number(prev: tuple[int, ...] | None, number: tuple[int, ...]) -> bool:
    """``number`` is the section that follows ``prev``: its next sibling (2.3 -> 2.4), its first
    child (2 -> 2.1) or the next section of a level above (2.3 -> 3)."""
    if prev is None:
        return False
    if number == prev + (1,):
        return True
    depth = len(number)
    return depth <= len(prev) and number[:-1] == prev[: depth - 1] and number[-1] == prev[depth - 1] + 1


def _interrupted(drafts: list[Draft], cur: Draft, text: str, gap: str) -> Draft | None:
    """The paragraph a new page resumes after a text box interrupted it.

    A page that starts in mid-sentence (lowercase) while the text just before it ended a
    sentence continues an earlier paragraph that stopped without punctuation (001 page 9,
    ``... de gezamenlijke bestuurlijke kaders`` / box / box / `` vastgesteld. De ...``; the
    sidebars of 002's chapter pages).
    """
    if gap != "page" or not text[:1].islower() or not ends_sentence(cur.lines[-1]):
        return None
    for draft in reversed(drafts[-6:-1]):
        end = draft.lines[-1].rstrip()
        if draft.kind == "paragraph" and not ends_sentence(end) and not end.endswith((",", ";")) \
                and len(" ".join(draft.lines)) > 60 and heading_rank(" ".join(draft.lines)) is None:
            return draft
    return None


def _new_draft(text: str, page: int | None) -> Draft:
    kind = "list_item" if BULLET.match(text) or ORDERED.match(text) else "paragraph"
    if MD_HEADING.match(text):
        kind = "heading"
    if MD_TABLE.match(text):
        kind = "table_row"
    return Draft(kind=kind, lines=[text], page=page, footnote=bool(FOOTNOTE.match(text)))


def _gap(stream: list[TLine], prev_k: int, k: int) -> str:
    kinds = {stream[j].kind for j in range(max(prev_k + 1, 0), k)}
    if "pagebreak" in kinds:
        return "page"
    if "break" in kinds:
        return "strong"
    if "blank" in kinds:
        return "blank"
    return "none"


def _local_width(texts: list[tuple[int, TLine]], n: int) -> int:
    page = texts[n][1].page
    window = [len(t.text.strip()) for _, t in texts[max(0, n - 5) : n + 4] if t.page == page]
    return max(window) if window else 0


def _would_fit(line: str, following: str, width: int) -> bool:
    """The first word of ``following`` would still have fitted on ``line``: the PDF did not wrap
    there. Proportional fonts make line widths vary a little, hence the margin."""
    return len(line) + 1 + len(first_word(following)) <= width - max(2.0, width * 0.06)


def _standalone(text: str, after: str | None, width: int) -> bool:
    """A heading-like line that the PDF did not wrap: the next line's first word would have
    fitted on it, and the next line starts a new sentence."""
    if heading_rank(text) is None or ends_sentence(text) or text.endswith("-"):
        return False
    if after is None or is_block_start(after):
        return True
    if after[:1].islower():
        return False
    return _would_fit(text, after, width)


def _breaks(cur: Draft, last: str, text: str, gap: str, interleaved: bool, width: int) -> bool:
    """True when ``text`` starts a new block after ``last`` (the current block's last line)."""
    if cur.kind not in ("heading", "table_row") and (
            last.count("(") > last.count(")") or last.count("‘") > last.count("’")):
        return False  # an open bracket or quote: ``een ‘plan`` / ``– do – check – act’ cyclus``
    if cur.kind in ("heading", "table_row") or is_block_start(text):
        return True
    if FOOTNOTE.match(text) and gap in ("strong", "blank", "page") and len(text) > 30:
        return True
    if cur.footnote and gap == "page":
        return True
    if cur.footnote and heading_rank(cur.lines[0]) is None and not FOOTNOTE.match(text):
        return False  # a footnote runs to the foot of its page
    fits = _would_fit(last, text, width)
    if text[:1].islower() and gap != "strong":
        return False  # a wrapped line: lowercase continuation
    rank = heading_rank(last) if len(cur.lines) == 1 else None
    if rank is not None and rank != 99 and not last.endswith("-") and (cur.kind != "list_item" or fits):
        return True  # numbered heading / annex title on its own line
    if last.endswith("-"):
        return False
    if gap in ("page", "strong", "blank") and heading_rank(text) is not None and not text[:1].islower() \
            and ((ends_sentence(last) and (fits or not interleaved)) or gap != "blank" or not interleaved):
        return True
    if gap == "page" and text[:1].isupper() and (ends_sentence(last) or cur.kind == "list_item" or fits):
        return True  # a new page that starts a new sentence after a finished line
    starts_low = text[:1].islower() or text[:1] in "(/&"
    if gap == "strong" and not (starts_low and not ends_sentence(last)):
        return True
    if starts_low:
        return False
    if gap == "blank" and not interleaved:
        return True
    if len(cur.lines) == 1 and heading_rank(last) == 99 and cur.kind == "paragraph" and fits:
        return True
    if len(cur.lines) == 2 and cur.kind == "paragraph" and fits and not text[:1].islower():
        joined = " ".join(cur.lines)
        if len(joined) <= 60 and heading_rank(joined) == 99:
            return True  # a title wrapped in a narrow column (``Preventief en vraaggericht`` / ``werken``)
    if len(cur.lines) == 1 and cur.kind == "list_item" and not ends_sentence(last) and fits \
            and not last.endswith((",", ";")) and first_word(text)[:1].isupper():
        return True  # a bullet that titles the paragraph under it (001: ``• Pilots evalueren en borgen``)
    if ends_sentence(last) and fits:
        return True
    return False
