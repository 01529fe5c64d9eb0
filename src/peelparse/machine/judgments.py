"""Judgment sentences on overview pages: "The extent to which … is good."

Judgments are read from the summary's paragraphs, which keep them as the paragraphs they are.
The three always come in the order effectiveness, efficiency, legitimacy, so a judgment takes
the pillar of its position; a sentence whose wording names another pillar gets a diagnostic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from ..diagnostics import Code
from ..input.source import Span
from ..lex.lexicon import GRADES
from ..records import Block, Grade, Judgment, ListBlock, Paragraph, Pillar

__all__ = ["read_judgments"]

_ORDER = (Pillar.EFFECTIVENESS, Pillar.EFFICIENCY, Pillar.LEGITIMACY)

#: How a judgment paragraph opens: 2015–2018/19 "the extent to which", and the three 2014 items.
_OPENING = regex.compile(
    r"""(?:the[ ]extent[ ]to[ ]which
        | in[ ]terms[ ]of[ ]its[ ]effectiveness
        | the[ ]efficiency[ ]with[ ]which
        | the[ ]force[ ]is[ ]acting[ ]to[ ]achieve[ ]fairness
        | the[ ]available[ ]evidence[ ]suggests[ ]that[ ]the[ ]force[ ]is[ ]acting)\b""",
    regex.IGNORECASE | regex.VERBOSE,
)
#: A sentence ends at ". " before a capital letter (or at the end of the paragraph).
_SENTENCE_END = regex.compile(r"\.(?= ?[A-Z])")
_GRADE_WORDS = r"requires[ ]improvement|not[ ]yet[ ]graded|not[ ]graded|good|outstanding|inadequate"
#: The grade at the sentence's end: "is good.", "is: good.", ": not yet graded.", "good; and".
_TAIL = regex.compile(
    rf"(?:\bis\b[ ]?:?|:)?[ ]?(?P<grade>{_GRADE_WORDS})[ ]?[.;]?(?:[ ]and)?$",
    regex.IGNORECASE | regex.VERBOSE,
)
#: 2014 items state the grade inside the sentence: "the force is good at …", "requires …".
_INNER = regex.compile(
    r"\b(?:is|be)[ ](?P<grade>good|outstanding|inadequate)\b"
    r"|\b(?P<grade>requires[ ]improvement)\b",
    regex.IGNORECASE | regex.VERBOSE,
)
_PILLAR_WORDS = regex.compile(
    r"\b(?:(?P<effectiveness>effective(?:ness|ly)?)|(?P<efficiency>efficien(?:t|tly|cy))"
    r"|(?P<legitimacy>legitima(?:te|tely|cy)|fairness))\b",
    regex.IGNORECASE,
)

Report = Callable[[Code, str, Span], None]

#: Seconds any one pattern may run on one paragraph. The patterns are linear, so this is a
#: guard against the unforeseen on hostile input; a paragraph that hits it gets a diagnostic.
TIMEOUT = 1.0


def _sentence(text: str) -> str:
    match = _SENTENCE_END.search(text, timeout=TIMEOUT)
    return text if match is None else text[: match.end()]


def _grade(sentence: str) -> Grade | None:
    match = _TAIL.search(sentence, timeout=TIMEOUT) or _INNER.search(sentence, timeout=TIMEOUT)
    if match is None:
        return None
    return GRADES[" ".join(match["grade"].casefold().split())]


def _named_pillar(sentence: str) -> Pillar | None:
    # The subject ("Kent Police", "the force") names no pillar; the first pillar word does.
    match = _PILLAR_WORDS.search(sentence, timeout=TIMEOUT)
    if match is None:
        return None
    return Pillar(match.lastgroup)


def _candidates(summary: tuple[Block, ...]) -> Iterator[tuple[str, Span]]:
    """Paragraphs, and list items (HTML may mark the three judgments up as a list)."""
    for block in summary:
        if isinstance(block, Paragraph):
            yield block.text, block.span or Span(0, 0)
        elif isinstance(block, ListBlock):
            spans = block.item_spans or (Span(0, 0),) * len(block.items)
            yield from zip(block.items, spans, strict=True)


def read_judgments(summary: tuple[Block, ...], report: Report) -> tuple[Judgment, ...]:
    """The judgments among ``summary``'s paragraphs (or list items), in order."""
    judgments: list[Judgment] = []
    for text, span in _candidates(summary):
        if _OPENING.match(text) is None:
            continue
        try:
            sentence = _sentence(text)
            named = _named_pillar(sentence)
            grade = _grade(sentence)
        except TimeoutError:
            report(
                Code.REGEX_TIMEOUT,
                f"reading this judgment took over {TIMEOUT} s; left as a paragraph",
                span,
            )
            continue
        position = len(judgments)
        pillar = _ORDER[position] if position < len(_ORDER) else named
        if named is not None and pillar is not None and named is not pillar:
            report(
                Code.JUDGMENT_PILLAR_MISMATCH,
                f"judgment {position + 1} names {named.value} but stands where "
                f"{pillar.value} belongs; read as {pillar.value}",
                span,
            )
        judgments.append(Judgment(pillar=pillar, grade=grade, text=sentence, span=span))
    return tuple(judgments)
