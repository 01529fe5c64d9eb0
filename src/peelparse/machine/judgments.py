"""Judgment sentences on overview pages: "The extent to which … is good."

Judgments are read from the summary's paragraphs, which keep them as the paragraphs they are.
The three always come in the order effectiveness, efficiency, legitimacy, so a judgment takes
the pillar of its position; a sentence whose wording names another pillar gets a diagnostic.
2014 pages state one grade this way, for efficiency ("the efficiency with which the force
carries out its responsibilities is good; and"); their effectiveness and legitimacy clauses are
prose ("the force is good at …").

Every pattern here is anchored or runs over a bounded slice (a sentence's first few hundred
characters, its last few dozen), so a paragraph of any length costs the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Code, Reporter
from ..input.source import Span
from ..lex.lexicon import GRADES
from ..records import Block, Grade, Judgment, ListBlock, Paragraph, Pillar

__all__ = ["read_judgments"]

_ORDER = (Pillar.EFFECTIVENESS, Pillar.EFFICIENCY, Pillar.LEGITIMACY)

#: How a judgment paragraph opens, and the pillar it is about when the opening says so.
_OPENINGS = (
    (re.compile(r"the extent to which\b", re.IGNORECASE), None),
    (
        re.compile(r"the efficiency with which the force carries out its\b", re.IGNORECASE),
        Pillar.EFFICIENCY,
    ),
)
#: A judgment sentence is never longer than this; longer text is read only this far.
_SENTENCE_MAX = 600
#: The grade is in the sentence's last few words.
_TAIL_MAX = 48
#: A sentence ends at ". " before a capital letter (or at the end of the paragraph).
_SENTENCE_END = re.compile(r"\.(?= ?[A-Z])")
_GRADE_WORDS = ("requires improvement", "not yet graded", "not graded", "good", "outstanding",
                "inadequate")  # fmt: skip
#: The grade at the sentence's end: "is good.", "is: good.", ": not yet graded.", "good; and".
_TAIL = re.compile(
    rf"(?:\bis\b ?:?|:)? ?\b(?P<grade>{'|'.join(_GRADE_WORDS)}) ?[.;]?(?: and)?$", re.IGNORECASE
)
#: The longest text ``_TAIL`` matches ("is : ", a grade, " . and", and a line break that ``$``
#: may stand before): a match never starts further than this from the end, so the search
#: starts there rather than trying every position of the tail.
_TAIL_LONGEST = len("is : ") + max(map(len, _GRADE_WORDS)) + len(" . and") + 1
_PILLAR_WORDS = re.compile(
    r"\b(?:(?P<effectiveness>effective(?:ness|ly)?)|(?P<efficiency>efficien(?:t|tly|cy))"
    r"|(?P<legitimacy>legitima(?:te|tely|cy)|fairness))\b",
    re.IGNORECASE,
)


def _sentence(text: str) -> str:
    head = text[:_SENTENCE_MAX]
    match = _SENTENCE_END.search(head)
    return head if match is None else head[: match.end()]


def _grade(sentence: str) -> tuple[Grade | None, int, int]:
    """The grade at the sentence's end, and where its words stand in the sentence."""
    offset = max(0, len(sentence) - _TAIL_MAX)
    tail = sentence[offset:]
    if tail.isascii() and "\n" not in tail:
        found = _ascii_grade(tail.lower())
        if found is None:
            return None, 0, 0
        word, at = found
        return GRADES[word], offset + at, offset + at + len(word)
    match = _TAIL.search(tail, max(0, len(tail) - _TAIL_LONGEST))
    if match is None:
        return None, 0, 0
    grade = GRADES[" ".join(match["grade"].casefold().split())]
    return grade, offset + match.start("grade"), offset + match.end("grade")


#: What ``_TAIL`` lets follow the grade: `` ?[.;]?(?: and)?``.
_AFTER_GRADE = tuple(
    space + stop + also for space in ("", " ") for stop in ("", ".", ";") for also in ("", " and")
)


def _ascii_grade(tail: str) -> tuple[str, int] | None:
    """``_TAIL``'s answer for a lower-cased ASCII tail without a line break, by comparing
    endings: the pattern is anchored at the end, and no grade word can end where another
    (or an ending) does, so at most one grade word fits; ``\b`` before it is the only other
    condition (the prefix before it is optional). Gives the grade word and where it starts."""
    for after in _AFTER_GRADE:
        if tail.endswith(after):
            body = tail[: len(tail) - len(after)]
            for word in _GRADE_WORDS:
                if body.endswith(word):
                    at = len(body) - len(word)
                    if at == 0 or not (body[at - 1].isalnum() or body[at - 1] == "_"):
                        return word, at
    return None


def _named_pillar(sentence: str) -> Pillar | None:
    # The subject ("Kent Police", "the force") names no pillar; the first pillar word does.
    match = _PILLAR_WORDS.search(sentence)
    return None if match is None or match.lastgroup is None else Pillar(match.lastgroup)


def _candidates(summary: tuple[Block, ...]) -> Iterator[tuple[str, Span | None]]:
    """Paragraphs, and list items (HTML may mark the three judgments up as a list)."""
    for block in summary:
        if isinstance(block, Paragraph):
            yield block.text, block.span
        elif isinstance(block, ListBlock):
            spans = block.item_spans or (None,) * len(block.items)
            yield from zip(block.items, spans, strict=True)


def _opening(text: str) -> tuple[bool, Pillar | None]:
    for pattern, pillar in _OPENINGS:
        if pattern.match(text):
            return True, pillar
    return False, None


def read_judgments(
    summary: tuple[Block, ...], reporter: Reporter, page: str
) -> tuple[Judgment, ...]:
    """The judgments among ``summary``'s paragraphs (or list items), in order; ``page`` is the
    text they were read from."""
    judgments: list[Judgment] = []
    for text, span in _candidates(summary):
        opens, fixed = _opening(text)
        if not opens:
            continue
        sentence = _sentence(text)
        named = _named_pillar(sentence)
        pillar = fixed
        if pillar is None:
            position = len(judgments)
            pillar = _ORDER[position] if position < len(_ORDER) else named
            if named is not None and pillar is not None and named is not pillar and span:
                reporter.report(
                    Code.JUDGMENT_PILLAR_MISMATCH,
                    f"judgment {position + 1} names {named.value} but stands where "
                    f"{pillar.value} belongs; read as {pillar.value}",
                    span,
                )
        grade, start, end = _grade(sentence)
        sentence_span = grade_span = None
        if span is not None and page.startswith(sentence, span.start):
            # The page prints the sentence as read: its span, and its grade's words.
            at = span.start
            sentence_span = Span(at, at + len(sentence))
            grade_span = Span(at + start, at + end) if grade is not None else None
        judgments.append(
            Judgment(
                pillar=pillar,
                grade=grade,
                text=sentence,
                span=sentence_span or span,
                grade_span=grade_span,
            )
        )
    return tuple(judgments)
