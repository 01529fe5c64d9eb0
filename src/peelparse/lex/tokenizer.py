"""Text front-end: split a page into lines and classify each line on its own.

``tokenize`` is pure and lossless: every character of the input belongs to exactly one token,
so ``"".join(text[t.start:t.end] for t in tokens) == text``. A line is one token, except a link
glued to the next paragraph ("Read more about KentThis is …"), which becomes two, and a run of
blank lines, which is one ``BLANK`` token (blank lines mean "a new block", however many).
"""

from __future__ import annotations

import datetime
import re

from ..input.source import LINE_BREAK_SPLIT
from . import lexicon as lx
from .tokens import Token, TokenKind

__all__ = ["classify", "tokenize"]

K = TokenKind

#: Lines that are exactly one of these strings (after folding) have a fixed kind.
_EXACT: dict[str, tuple[TokenKind, object]] = {}
for _text in lx.FURNITURE_LINES:
    _EXACT[_text] = (K.FURNITURE, None)
for _text, _grade in lx.GRADES.items():
    _EXACT[_text] = (K.GRADE, _grade)
for _text, _pillar in lx.PILLAR_LINES.items():
    _EXACT[_text] = (K.PILLAR, _pillar)
for _text in lx.SECTION_HEADINGS:
    _EXACT[_text] = (K.SECTION, None)
for _text in lx.OBSERVATIONS:
    _EXACT[_text] = (K.OBSERVATIONS, None)
for _text in lx.AREAS_FOR_IMPROVEMENT:
    _EXACT[_text] = (K.AREAS_FOR_IMPROVEMENT, None)
for _text in lx.CAUSE_OF_CONCERN:
    _EXACT[_text] = (K.CAUSE_OF_CONCERN, None)
for _text in lx.RECOMMENDATIONS:
    _EXACT[_text] = (K.RECOMMENDATIONS, None)
for _text, _pillar in lx.HEADLINES_FOLDED.items():
    _EXACT[_text] = (K.HEADLINE, _pillar)

#: Headings and headlines a page cut off mid-line may end with ("Questions for Ef", "HM In").
_PREFIXABLE: tuple[tuple[str, TokenKind, object], ...] = tuple(
    (text, kind, value)
    for text, (kind, value) in _EXACT.items()
    if kind in (K.HEADLINE, K.SECTION, K.OBSERVATIONS, K.AREAS_FOR_IMPROVEMENT, K.CAUSE_OF_CONCERN)
)
_MIN_PREFIX = 4
#: First characters a bullet line can have; other lines skip the bullet pattern.
_BULLET_STARTS = frozenset(" \t\u00a0•-*●▪◦‣∙·0123456789")


def _date(match: re.Match[str]) -> datetime.date | None:
    if match["year"] is None or len(match["year"]) != 4:
        return None
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


#: Lines that may be a title end with a year or a "/yy" cycle.
_TITLE_MAX = 60
#: Longer lines are never headings, numbers, dates or grades: only exact lines and prose.
_SHORT = 100
_QUESTION_WORDS = ("How", "To what", "Does", "Do ", "What", "Is ", "Are ", "Has ", "Have ",
                   "Why", "Which", "Can ", "Where", "When", "Who")  # fmt: skip
_FURNITURE_STARTS = ("contact", "read ", "view ", "detailed ", "peel:")
#: White space other than the plain space, which folding turns into a space.
_OTHER_SPACE = re.compile(r"[^\S ]")


def classify(text: str, *, cut: bool = False) -> tuple[TokenKind, object]:
    """Kind and parsed value of one line's folded ``text`` (never empty).

    ``cut`` says the line is the last of a page that stops mid-line: it may be an unfinished
    question or heading, and is never promoted to a sub-heading. The checks run cheapest
    first: most lines are long prose, which only an exact-line lookup and a few character tests
    have to look at.
    """
    folded = text.casefold()
    exact = _EXACT.get(folded)
    if exact is not None:
        return exact
    length = len(text)
    first = text[0]
    last = text[-1]
    if length <= _SHORT:
        if length <= 2 and first in "0123456789" and lx.NUMBER.fullmatch(text):
            return K.NUMBER, int(text)
        if first in "Ll" and folded.startswith("last updated"):
            match = lx.LAST_UPDATED.fullmatch(text)
            if match is not None:
                complete = match["year"] is not None and len(match["year"]) == 4
                return K.LAST_UPDATED, (_date(match), complete)
        if first in "Qq" and folded.startswith("questions for"):
            match = lx.QUESTIONS_FOR.fullmatch(text)
            if match is not None:
                return K.QUESTIONS_FOR, lx.PILLAR_LINES.get((match["rest"] or "").casefold())
        if length <= _TITLE_MAX and last in "0123456789":
            match = lx.TITLE.fullmatch(text)
            if match is not None:
                return K.TITLE, match
        if first in "Pp" and folded.startswith("published") and lx.PUBLISHED.fullmatch(text):
            return K.PUBLISHED, None
    if (
        first in "CRVDPcrvdp"
        and folded.startswith(_FURNITURE_STARTS)
        and (lx.FURNITURE_PATTERN.fullmatch(text) or lx.READ_MORE.fullmatch(text))
    ):
        return K.FURNITURE, None
    if "Majest" in text and (match := lx.INSPECTOR.fullmatch(text)) is not None:
        return K.INSPECTOR, (match["name"].strip(), match["role"])
    if last == "?" and text.startswith(_QUESTION_WORDS) and lx.QUESTION.fullmatch(text):
        return K.QUESTION, None
    if cut:
        return _cut_line(text)
    if (
        length <= 80
        and last not in ".:;,!?"
        and first.isupper()
        and text.count(" ") < lx.HEADING_MAX_WORDS
        and lx.HEADING.fullmatch(text) is not None
    ):
        return K.HEADING, None
    return K.TEXT, None


def _cut_line(text: str) -> tuple[TokenKind, object]:
    """A last line cut off mid-line: an unfinished question or heading, else text."""
    if lx.QUESTION_START.match(text) or (
        len(text) >= _MIN_PREFIX and any(q.startswith(text) for q in lx.STOCK_QUESTIONS)
    ):
        return K.QUESTION, None
    if len(text) >= _MIN_PREFIX:
        folded = text.casefold()
        for whole, kind, value in _PREFIXABLE:
            if whole.startswith(folded):
                return kind, value
    return K.TEXT, None


def _fold(raw: str) -> str:
    """Trim and fold white space, cheaply for the common line that needs nothing.

    A line needs folding when it starts or ends with white space, or holds two spaces, a tab,
    or any white space but the plain space (which ``str.split`` would fold).
    """
    if (
        raw
        and not raw[0].isspace()
        and not raw[-1].isspace()
        and "  " not in raw
        and "\t" not in raw
        and (raw.isascii() or not _OTHER_SPACE.search(raw))
    ):
        return raw
    return " ".join(raw.split())


def tokenize(text: str) -> tuple[Token, ...]:
    """Classify every line of ``text``; the tokens tile the text exactly."""
    tokens: list[Token] = []
    append = tokens.append
    if "\r" in text:
        parts = LINE_BREAK_SPLIT.split(text)
        lines = parts[0::2]
        breaks = [len(b) for b in parts[1::2]]
        breaks.append(0)
    else:
        lines = text.split("\n")
        breaks = [1] * len(lines)
        breaks[-1] = 0
    if text.startswith("\ufeff"):
        lines[0] = lines[0][1:]
        bom = 1
    else:
        bom = 0
    cut_page = bool(text) and text[-1] not in "\r\n"
    last_line = len(lines)
    start = 0
    blank = K.BLANK
    blank_from: tuple[int, int] | None = None  # (offset, line) where a blank run began
    for number, raw in enumerate(lines, 1):
        content_end = start + len(raw) + (bom if number == 1 else 0)
        end = content_end + breaks[number - 1]
        if end == start:
            break  # the empty piece after a final line break
        content = _fold(raw) if raw else ""
        if not content:
            if blank_from is None:  # a run of blank lines becomes one token when it ends
                blank_from = (start, number)
            start = end
            continue
        if blank_from is not None:
            append(Token(blank, "", blank_from[0], start, blank_from[1], 1))
            blank_from = None
        first = raw[0]
        if first in _BULLET_STARTS:
            bullet = lx.BULLET.match(raw)
            if bullet is not None and (bullet["indent"] or not first.isdigit()):
                item = _fold(raw[bullet.end() :])
                if item:
                    depth = len(bullet["indent"].expandtabs(4))
                    append(Token(K.BULLET, item, start, end, number, 1, depth))
                    start = end
                    continue
        cut = cut_page and number == last_line
        if first == "R" and content.startswith("Read more about "):
            glued = _split_glued_link(raw, content)
            if glued is not None:
                offset = content_end - len(raw) + glued
                link = content[: glued - _leading(raw)]
                append(Token(K.FURNITURE, link, start, offset, number, 1))
                rest = _fold(text[offset:content_end])
                kind, value = classify(rest, cut=cut)
                append(Token(kind, rest, offset, end, number, offset - start + 1, value))
                start = end
                continue
        kind, value = classify(content, cut=cut)
        append(Token(kind, content, start, end, number, 1, value))
        start = end
    if blank_from is not None:
        append(Token(blank, "", blank_from[0], start, blank_from[1], 1))
    return tuple(tokens)


def _leading(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def _split_glued_link(raw: str, content: str) -> int | None:
    """Offset in ``raw`` where a "Read more about <Force>" link ends, if text is glued to it.

    None when the line is not such a link, is the link alone (plain furniture), or is followed
    by a space (then it is a sentence, not a glued link).
    """
    match = lx.READ_MORE.match(content)
    if match is None or match.end() == len(content) or not content[match.end()].isupper():
        return None
    if not raw.lstrip().startswith(match.group()):
        return None  # unusual spacing inside the link: leave the line whole
    return _leading(raw) + match.end()
