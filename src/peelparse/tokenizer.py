"""Text front-end: split a page into lines and classify each line on its own.

``tokenize`` is pure and lossless: every character of the input belongs to exactly one token,
so ``"".join(text[t.start:t.end] for t in tokens) == text``. A line is one token, except a link
glued to the next paragraph ("Read more about KentThis is …"), which becomes two.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import regex

from . import lexicon as lx
from .source import LINE_BREAK
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


def _date(match: regex.Match[str]) -> datetime.date | None:
    if match["year"] is None or len(match["year"]) != 4:
        return None
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def classify(text: str, *, cut: bool = False) -> tuple[TokenKind, object]:
    """Kind and parsed value of one line's folded ``text`` (never empty).

    ``cut`` says the line is the last of a page that stops mid-line: it may be an unfinished
    question or heading, and is never promoted to a sub-heading.
    """
    folded = text.casefold()
    exact = _EXACT.get(folded)
    if exact is not None:
        return exact
    first = text[0]
    length = len(text)
    if first.isdigit() and length <= 2 and lx.NUMBER.fullmatch(text):
        return K.NUMBER, int(text)
    if folded.startswith("last updated"):
        match = lx.LAST_UPDATED.fullmatch(text)
        if match is not None:
            complete = match["year"] is not None and len(match["year"]) == 4
            return K.LAST_UPDATED, (_date(match), complete)
    if folded.startswith("questions for"):
        match = lx.QUESTIONS_FOR.fullmatch(text)
        if match is not None:
            return K.QUESTIONS_FOR, lx.PILLAR_LINES.get((match["rest"] or "").casefold())
    if length <= 60 and (match := lx.TITLE.fullmatch(text)) is not None:
        return K.TITLE, match
    if folded.startswith(("contact", "read ", "view ", "detailed ", "peel:")) and (
        lx.FURNITURE_PATTERN.fullmatch(text) or lx.READ_MORE.fullmatch(text)
    ):
        return K.FURNITURE, None
    if folded.startswith("published") and lx.PUBLISHED.fullmatch(text):
        return K.PUBLISHED, None
    if "majesty" in folded and (match := lx.INSPECTOR.fullmatch(text)) is not None:
        return K.INSPECTOR, (match["name"].strip(), match["role"])
    if text.endswith("?") and lx.QUESTION.fullmatch(text):
        return K.QUESTION, None
    if cut:
        if lx.QUESTION_START.match(text):
            return K.QUESTION, None
        if length >= _MIN_PREFIX:
            for whole, kind, value in _PREFIXABLE:
                if whole.startswith(folded):
                    return kind, value
        return K.TEXT, None
    if (
        length <= 80
        and text.count(" ") < lx.HEADING_MAX_WORDS
        and lx.HEADING.fullmatch(text) is not None
    ):
        return K.HEADING, None
    return K.TEXT, None


def _lines(text: str) -> Iterator[tuple[int, int, int]]:
    """``(start, content_end, end)`` of each line; ``end`` includes the line break."""
    if "\r" not in text:
        start = 0
        for piece in text.split("\n"):
            content_end = start + len(piece)
            end = content_end + 1 if content_end < len(text) else content_end
            if end > start:
                yield start, content_end, end
            start = end
        return
    start = 0
    for match in LINE_BREAK.finditer(text):
        yield start, match.start(), match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text), len(text)


def tokenize(text: str) -> tuple[Token, ...]:
    """Classify every line of ``text``; the tokens tile the text exactly."""
    tokens: list[Token] = []
    append = tokens.append
    last_content_end = len(text)
    cut_page = bool(text) and text[-1] not in "\r\n"
    for number, (start, content_end, end) in enumerate(_lines(text), 1):
        raw = text[start:content_end]
        if number == 1 and raw.startswith("\ufeff"):
            raw = raw[1:]
        content = " ".join(raw.split())
        if not content:
            append(Token(K.BLANK, "", start, end, number, 1))
            continue
        bullet = lx.BULLET.match(raw) if raw[0] in _BULLET_STARTS else None
        if bullet is not None and (bullet["indent"] or not raw[0].isdigit()):
            item = " ".join(raw[bullet.end() :].split())
            if item:
                depth = len(bullet["indent"].expandtabs(4))
                append(Token(K.BULLET, item, start, end, number, 1, depth))
                continue
        cut = cut_page and content_end == last_content_end
        if content.startswith("Read more about "):
            glued = _split_glued_link(raw, content)
            if glued is not None:
                offset = start + (content_end - start - len(raw)) + glued
                link = content[: glued - _leading(raw)]
                append(Token(K.FURNITURE, link, start, offset, number, 1))
                rest = " ".join(text[offset:content_end].split())
                kind, value = classify(rest, cut=cut)
                append(Token(kind, rest, offset, end, number, offset - start + 1, value))
                continue
        kind, value = classify(content, cut=cut)
        append(Token(kind, content, start, end, number, 1, value))
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
