"""Text front-end: split a page into lines and classify each line on its own.

``iter_tokens`` is lossless: every character of the input belongs to exactly one token, so
``"".join(text[t.start:t.end] for t in tokens) == text``. A line is one token, except a link
glued to the next paragraph ("Read more about KentThis is …"), which becomes two, and a run of
blank lines, which is one ``BLANK`` token (blank lines mean "a new block", however many). Tokens
are produced one at a time and the page is split in chunks, so a huge page never costs a list
of all its lines.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from ..forces import lookup
from ..input.source import LINE_BREAK_SPLIT
from . import lexicon as lx
from .tokens import Dated, Pillared, Signed, Titled, Token, TokenKind, Value

__all__ = ["classify", "fold", "iter_tokens", "tokenize"]

K = TokenKind

#: Lines that are exactly one of these strings (after folding and casefolding) have a fixed kind
#: and value; the values are shared, never built per line.
_EXACT: dict[str, tuple[TokenKind, Value]] = {}
for _text in lx.FURNITURE_LINES:
    _EXACT[_text] = (K.FURNITURE, None)
for _text, _grade in lx.GRADES.items():
    _EXACT[_text] = (K.GRADE, _grade)
for _text, _pillar in lx.PILLAR_LINES.items():
    _EXACT[_text] = (K.PILLAR, Pillared(_pillar))
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
    _EXACT[_text] = (K.HEADLINE, Pillared(_pillar))

# Kinds and values that hot code returns or compares with, made once: in Python 3.11 each read of
# an enum member through its class runs the enum metaclass's ``__getattr__`` hook.
_TEXT: tuple[TokenKind, Value] = (K.TEXT, None)
_QUESTION: tuple[TokenKind, Value] = (K.QUESTION, None)
_HEADING: tuple[TokenKind, Value] = (K.HEADING, None)
_FURNITURE, _BLANK, _BULLET = K.FURNITURE, K.BLANK, K.BULLET

_QUESTIONS_FOR: dict[str, Pillared] = {
    name: Pillared(pillar) for name, pillar in lx.PILLAR_LINES.items()
}
_NO_PILLAR = Pillared(None)
_MIN_PREFIX = 4
#: No exact line is longer than this: longer lines skip the casefold and the lookup's hash.
_EXACT_MAX = max(map(len, _EXACT))
#: Every prefix of the headings and headlines a page cut off mid-line may end with ("Questions
#: for Ef", "HM In"), with the kind and value of the whole line.
_PREFIXES: dict[str, tuple[TokenKind, Value]] = {}
for _text, (_kind, _value) in _EXACT.items():
    if _kind in (K.HEADLINE, K.SECTION, K.OBSERVATIONS, K.AREAS_FOR_IMPROVEMENT,
                 K.CAUSE_OF_CONCERN):  # fmt: skip
        for _length in range(_MIN_PREFIX, len(_text) + 1):
            _seen = _PREFIXES.setdefault(_text[:_length], (_kind, _value))
            if _seen != (_kind, _value) and _seen[0] is _kind is K.HEADLINE:
                _PREFIXES[_text[:_length]] = (_kind, _NO_PILLAR)  # shared by two pillars
#: First characters a bullet line can have; other lines skip the bullet pattern.
_BULLET_STARTS = frozenset(" \t\u00a0•-*●▪◦‣∙·0123456789")
#: The longest signature line the inspector pattern reads.
_SIGNATURE_MAX = 240
#: Lines that may be a title end with a year or a "/yy" cycle.
_TITLE_MAX = 60
#: Longer lines are never headings, numbers, dates or grades: only exact lines and prose.
_SHORT = 100
#: The first characters of the exact lines longer than ``_SHORT`` (site banners): a line of
#: that length is casefolded whole only when its first characters fold to one of these (a
#: line's folded start is the fold of its start).
_HEAD = 16
_LONG_EXACT_HEADS = frozenset(text[:_HEAD] for text in _EXACT if len(text) > _SHORT)
_QUESTION_WORDS = ("How", "To what", "Does", "Do ", "What", "Is ", "Are ", "Has ", "Have ",
                   "Why", "Which", "Can ", "Where", "When", "Who")  # fmt: skip
_LINK_STARTS = ("contact", "read ", "view ", "detailed ", "peel:")
#: A page is split into chunks of about this many characters, at line breaks.
CHUNK = 1 << 16


def _date(match: re.Match[str]) -> Dated:
    year = match["year"]
    if year is None or len(year) != 4:
        return Dated(None, False)
    try:
        return Dated(datetime.date(int(year), int(match["month"]), int(match["day"])), True)
    except ValueError:
        return Dated(None, True)


def _title(match: re.Match[str]) -> Titled | None:
    """A title's payload, when its name is a force, or any name's shape beside ``PEEL``."""
    name = match["name"]
    peel = match["peel"] is not None
    force = lookup(name)
    if force is None and not (peel and lx.UNKNOWN_FORCE_NAME.fullmatch(name)):
        return None
    return Titled(name, int(match["year"]), match["end"], peel)


def _inspector(match: re.Match[str]) -> Signed:
    name = match["name"]
    stripped = name.strip()
    return Signed(stripped, match["role"], name.index(stripped), match.start("role"))


#: Classifications of short lines, which pages repeat ("Good", "Areas for improvement", stock
#: questions, banners, dates): one dict lookup instead of the checks below. Bounded: emptied
#: when full. Sharing values is safe, they are frozen.
_CLASSIFIED: dict[str, tuple[TokenKind, Value]] = {}
_CLASSIFIED_MAX = 4096


def classify(text: str, *, cut: bool = False) -> tuple[TokenKind, Value]:
    """Kind and parsed value of one line's folded ``text`` (never empty).

    ``cut`` says the line is the last of a page that stops mid-line: it may be an unfinished
    question or heading, and is never promoted to a sub-heading.
    """
    if cut or len(text) > _SHORT:
        return _classify(text, cut)
    found = _CLASSIFIED.get(text)
    if found is None:
        if len(_CLASSIFIED) >= _CLASSIFIED_MAX:
            _CLASSIFIED.clear()
        found = _CLASSIFIED[text] = _classify(text, False)
    return found


def _classify(text: str, cut: bool) -> tuple[TokenKind, Value]:
    """``classify`` without the cache. The checks run cheapest first: most lines are long
    prose, which only a few character tests have to look at."""
    length = len(text)
    first = text[0]
    last = text[-1]
    if length > _EXACT_MAX:  # prose, a long link line, or a long question
        if first == "R" and _link(text) is _FURNITURE:
            return _FURNITURE, None
        if last == "?" and text.startswith(_QUESTION_WORDS) and lx.QUESTION.fullmatch(text):
            return _QUESTION
        if length <= _SIGNATURE_MAX and "Majest" in text:
            match = lx.INSPECTOR.fullmatch(text)
            if match is not None:
                return K.INSPECTOR, _inspector(match)
        return _cut_line(text, text) if cut else _TEXT
    if length <= _SHORT or text[:_HEAD].casefold()[:_HEAD] in _LONG_EXACT_HEADS:
        folded = text.casefold()
        exact = _EXACT.get(folded)
        if exact is not None:
            return exact
    else:  # casefolding a line of prose costs more than all the other tests together
        # Only a cut line's folded form is read below ("" stands for "not folded").
        folded = text.casefold() if cut else ""
    if length <= _SHORT:
        if length <= 2 and first in "0123456789" and lx.NUMBER.fullmatch(text):
            return K.NUMBER, int(text)
        if first in "Ll" and folded.startswith("last updated"):
            match = lx.LAST_UPDATED.fullmatch(text)
            if match is not None:
                return K.LAST_UPDATED, _date(match)
        if first in "Qq" and folded.startswith("questions for"):
            match = lx.QUESTIONS_FOR.fullmatch(text)
            if match is not None:
                return K.QUESTIONS_FOR, _QUESTIONS_FOR.get(
                    (match["rest"] or "").casefold(), _NO_PILLAR
                )
        if length <= _TITLE_MAX and last in "0123456789":
            match = lx.TITLE.fullmatch(text)
            if match is not None and (title := _title(match)) is not None:
                return K.TITLE, title
        if first in "Pp" and folded.startswith("published") and lx.PUBLISHED.fullmatch(text):
            return K.PUBLISHED, None
    if first in "CRVDPcrvdp" and text[:9].casefold().startswith(_LINK_STARTS):
        kind = _link(text)
        if kind is not None:
            return kind, None
    if "Majest" in text and (match := lx.INSPECTOR.fullmatch(text)) is not None:
        return K.INSPECTOR, _inspector(match)
    if last == "?" and text.startswith(_QUESTION_WORDS) and lx.QUESTION.fullmatch(text):
        return _QUESTION
    if cut:
        return _cut_line(text, folded)
    if lx.heading_shaped(text) and lx.HEADING.fullmatch(text) is not None:
        return _HEADING
    return _TEXT


def _link(text: str) -> TokenKind | None:
    """Furniture by shape, or a line that is furniture only on some pages."""
    if lx.FURNITURE_PATTERN.fullmatch(text) or _read_more(text):
        return K.FURNITURE
    if (match := lx.READ_FULL_REPORT.fullmatch(text)) is not None:
        return K.FURNITURE if lookup(match["name"].rstrip(".")) is not None else None
    if lx.CONTACT.fullmatch(text):
        return K.CONTACT
    if lx.LINK_TITLE.fullmatch(text):
        return K.REPORT_LINK
    return None


def _read_more(text: str) -> bool:
    """ "Read more about <Force>[ <year>]": a link to the force's page."""
    match = lx.READ_MORE.fullmatch(text)
    return match is not None and lookup(match["name"]) is not None


def _cut_line(text: str, folded: str) -> tuple[TokenKind, Value]:
    """A last line cut off mid-line: an unfinished heading or headline, question, or text."""
    prefix = _PREFIXES.get(folded)
    if prefix is not None:
        return prefix
    if lx.QUESTION_START.match(text) or text in lx.STOCK_QUESTION_PREFIXES:
        return _QUESTION
    return _TEXT


def fold(raw: str) -> str:
    """Trim and fold white space: the one rule for every line (``str.split``'s white space)."""
    return " ".join(raw.split())


def _is_folded(raw: str, spaced: bool) -> bool:
    """Whether ``fold`` would leave ``raw`` (not empty) as it is, tested without splitting it:
    no space at either end, none doubled, and no other white space: printable, unless ``raw``
    is ASCII and its chunk holds no other ASCII white space (``spaced``: the chunk holds ASCII
    white space other than spaces and line feeds)."""
    return (
        raw[0] != " "
        and raw[-1] != " "
        and "  " not in raw
        and ((not spaced and raw.isascii()) or raw.isprintable())
    )


def _folded(raw: str, spaced: bool) -> str:
    """``fold(raw)``, without splitting a text that is folded already."""
    return raw if raw and _is_folded(raw, spaced) else fold(raw)


#: Bullet markers on a folded line, which has no indent and one space after its marker.
_MARKS = frozenset("•●▪◦‣∙·*-")
#: The ASCII characters that ``str.split()`` (so the folding rule) takes for white space, but
#: the plain space and the line feed that chunks are split at.
_ASCII_SPACE = tuple(c for c in map(chr, range(128)) if c.isspace() and c not in " \n")


def _lines(text: str) -> Iterator[tuple[list[str], list[int], bool]]:
    """The page in chunks ending at line breaks: each chunk's lines, the length of each line's
    break (0 for a last line without one), and whether the chunk holds ASCII white space other
    than spaces and line feeds (a few searches of the chunk cost less than a test of every
    line)."""
    start = 0
    size = len(text)
    while start < size:
        stop = start + CHUNK
        if stop >= size:
            stop = size
        else:
            cut = text.rfind("\n", start, stop)
            if cut < 0:
                cut = text.rfind("\r", start, stop)
            if cut < 0:  # one line longer than a chunk: take it whole
                found = _next_break(text, stop)
                cut = size - 1 if found < 0 else found
            if text[cut] == "\r" and text.startswith("\n", cut + 1):
                cut += 1
            stop = cut + 1
        chunk = text[start:stop] if start or stop < size else text
        if "\r" in chunk:
            parts = LINE_BREAK_SPLIT.split(chunk)
            lines = parts[0::2]
            breaks = [len(b) for b in parts[1::2]]
            breaks.append(0)
            spaced = True
        else:
            lines = chunk.split("\n")
            breaks = [1] * len(lines)
            breaks[-1] = 0
            spaced = any(space in chunk for space in _ASCII_SPACE)
        if lines[-1] == "":
            lines.pop()
            breaks.pop()
        yield lines, breaks, spaced
        start = stop


def _next_break(text: str, start: int) -> int:
    found = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    return min(found) if found else -1


_new = tuple.__new__  # builds a token without the named tuple's keyword handling: the hot path


#: What short lines read as (kind, text, value), by the line as printed: pages repeat their
#: short lines ("Good", "Areas for improvement", numbers, dates, stock questions, banners), so
#: the folding, bullet and kind tests run once per distinct line. Bounded: emptied when full.
#: Only lines that make one token are kept (not a cut last line, not a glued link).
_READ: dict[str, tuple[TokenKind, str, Value]] = {}
_READ_MAX = 4096


def _remember(raw: str, read: tuple[TokenKind, str, Value]) -> None:
    if len(_READ) >= _READ_MAX:
        _READ.clear()
    _READ[raw] = read


def iter_tokens(text: str, *, blanks: bool = True) -> Iterator[Token]:
    """Classify every line of ``text``, one token at a time; the tokens tile the text.

    ``blanks=False`` leaves out the ``BLANK`` tokens, for a reader that sees a blank line as
    the gap between two tokens' offsets (the parser: a third of a page's tokens are blank).
    """
    bom = 1 if text.startswith("\ufeff") else 0
    cut_page = bool(text) and text[-1] not in "\r\n"
    size = len(text)
    new, token = _new, Token
    read_before, classified, short = _READ.get, _CLASSIFIED.get, _SHORT
    blank, bullet_kind = _BLANK, _BULLET
    bullet_starts, marks, is_folded = _BULLET_STARTS, _MARKS, _is_folded
    blank_from: tuple[int, int] | None = None  # (offset, line) where a blank run began
    start = 0
    number = 0
    for lines, breaks, spaced in _lines(text):
        for raw, line_break in zip(lines, breaks, strict=True):
            number += 1
            end = start + len(raw) + line_break
            if bom and number == 1:
                raw = raw[1:]
            if not raw:
                if blank_from is None and blanks:  # a run of blank lines is one token when it ends
                    blank_from = (start, number)
                start = end
                continue
            cut = cut_page and end == size
            known = None if cut or len(raw) > short else read_before(raw)
            if known is not None:
                if blank_from is not None:
                    yield new(token, (blank, "", blank_from[0], start, blank_from[1], 1, None))
                    blank_from = None
                kind, content, value = known
                yield new(token, (kind, content, start, end, number, 1, value))
                start = end
                continue
            first = raw[0]
            clean = is_folded(raw, spaced)  # the folding rule is skipped where it changes nothing
            if not clean and raw.isspace():
                if blank_from is None and blanks:
                    blank_from = (start, number)
                start = end
                continue
            if blank_from is not None:
                yield new(token, (blank, "", blank_from[0], start, blank_from[1], 1, None))
                blank_from = None
            read: tuple[TokenKind, str, Value] | None = None
            if clean:  # no indent, one space after a marker: the pattern's answer, cheaply
                if first in marks and raw.startswith(" ", 1):
                    read = (bullet_kind, raw[2:], 0)
            elif first == " " and (body := raw.lstrip(" "))[0] in marks and body[1:2] == " ":
                # An indent of spaces, a marker and a space: the pattern's answer, cheaply (what
                # follows the space is folded either way).
                item = _folded(body[2:], spaced)
                if item:
                    read = (bullet_kind, item, len(raw) - len(body))
            elif first in bullet_starts:
                bullet = lx.BULLET.match(raw)
                if bullet is not None and (bullet["indent"] or not first.isdigit()):
                    item = _folded(raw[bullet.end() :], spaced)
                    if item:
                        read = (bullet_kind, item, len(bullet["indent"].expandtabs(4)))
            if read is None:
                content = raw if clean else fold(raw)
                if first == "R" and content.startswith("Read more about "):
                    glued = _split_glued_link(raw, content)
                    if glued is not None:
                        content_end = end - line_break
                        offset = content_end - len(raw) + glued
                        link = content[: glued - _leading(raw)]
                        yield new(token, (_FURNITURE, link, start, offset, number, 1, None))
                        rest = fold(text[offset:content_end])
                        kind, value = classify(rest, cut=cut)
                        yield new(
                            token, (kind, rest, offset, end, number, offset - start + 1, value)
                        )
                        start = end
                        continue
                if cut or len(content) > short:
                    kind, value = _classify(content, cut)
                else:
                    found = classified(content)
                    kind, value = classify(content) if found is None else found
                read = (kind, content, value)
            if not cut and len(raw) <= short:
                _remember(raw, read)
            yield new(token, (read[0], read[1], start, end, number, 1, read[2]))
            start = end
    if blank_from is not None:
        yield new(token, (blank, "", blank_from[0], start, blank_from[1], 1, None))


def tokenize(text: str) -> tuple[Token, ...]:
    """Every token of ``text`` (see ``iter_tokens``, which the parser itself uses)."""
    return tuple(iter_tokens(text))


def _leading(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def _split_glued_link(raw: str, content: str) -> int | None:
    """Offset in ``raw`` where a "Read more about <Force>" link ends, if text is glued to it.

    None when the line is not such a link, is the link alone (plain furniture), or is followed
    by a space (then it is a sentence, not a glued link).
    """
    glue = lx.GLUE.search(content, len("Read more about "))
    if glue is None or not _read_more(content[: glue.end()]):
        return None
    link = content[: glue.end()]
    if not raw.lstrip().startswith(link):
        return None  # unusual spacing inside the link: leave the line whole
    return _leading(raw) + len(link)
