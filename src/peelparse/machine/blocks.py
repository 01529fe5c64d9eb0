"""Paragraphs and lists, built from text and bullet tokens, each value with its exact span.

One builder serves every part of a page that holds prose (summary, question, observations,
pillar block, section), so the rules for soft line breaks, lead-ins and list ends live here once.
"""

from __future__ import annotations

from ..input.source import Span
from ..lex import lexicon as lx
from ..lex.tokens import Token, TokenKind
from ..records import Block, Heading, ListBlock, Paragraph

__all__ = ["BlockBuilder", "ItemCollector", "value_span"]


_new = tuple.__new__  # builds a span without the named tuple's keyword handling


def value_span(text: str, token: Token) -> Span:
    """The span of exactly the characters ``token.text`` was read from: no line break, no
    white space around it, no bullet marker."""
    start, end, value = token.start, token.end, token.text
    # The common line is printed as it is read: then its value is the line without its break.
    # (Lengths, not characters, are compared: a page and a line of it can differ in their
    # strings' internal width, which makes a character comparison slow.)
    if end > start and text[end - 1] == "\n":
        end -= 1
    if end > start and text[end - 1] == "\r":
        end -= 1
    if end - start == len(value):
        return _new(Span, (start, end))
    raw = text[start:end]
    found = raw.find(value)
    if found >= 0:
        return _new(Span, (start + found, start + found + len(value)))
    # White space folded inside the value: from its first to its last printed character.
    first = len(raw) - len(raw.lstrip())
    if token.kind is TokenKind.BULLET and (bullet := lx.BULLET.match(raw)) is not None:
        first = bullet.end()
    last = len(raw.rstrip())
    return _new(Span, (start + first, start + max(first, last)))


class _Paragraph:
    __slots__ = ("end", "start", "stop", "texts")

    def __init__(self, texts: list[str], span: Span, stop: int) -> None:
        self.texts = texts
        self.start, self.end = span
        #: Where the last line ends, its break included: only a line starting here continues.
        self.stop = stop

    @property
    def text(self) -> str:
        return " ".join(self.texts)


class _List:
    __slots__ = ("end", "item_spans", "items", "lead_in", "start")

    def __init__(self, lead_in: _Paragraph | None, start: int) -> None:
        self.lead_in = lead_in
        self.items: list[str] = []
        self.item_spans: list[Span] = []
        self.start = start
        self.end = start


class BlockBuilder:
    """Collects blocks for one part of a page.

    ``compact`` pages put every block on one line, so each text line is a paragraph of its own;
    in the blank-line rendering, adjacent text lines are one paragraph with a soft line break.
    """

    __slots__ = ("_blocks", "_compact", "_open", "_source")

    def __init__(self, source: str, *, compact: bool) -> None:
        self._source = source
        self._compact = compact
        self._blocks: list[_Paragraph | _List | Heading] = []
        #: The block that the next line may continue, if any.
        self._open: _Paragraph | _List | None = None

    def __bool__(self) -> bool:
        return bool(self._blocks)

    def gap(self) -> None:
        """A blank line: nothing continues across it except a list."""
        if isinstance(self._open, _Paragraph):
            self._open = None

    def text(self, token: Token) -> None:
        current = self._open
        span = value_span(self._source, token)
        if current is not None and not self._compact:
            if isinstance(current, _Paragraph):
                if current.stop == token.start:  # nothing read between: a soft line break
                    current.texts.append(token.text)
                    current.end, current.stop = span.end, token.end
                    return
            elif current.items and current.end == token.start:
                # A soft break inside a bullet item.
                current.items[-1] += " " + token.text
                current.item_spans[-1] = _new(Span, (current.item_spans[-1].start, span.end))
                current.end = token.end
                return
        paragraph = _Paragraph([token.text], span, token.end)
        self._blocks.append(paragraph)
        self._open = None if self._compact else paragraph

    def bullet(self, token: Token) -> None:
        current = self._open
        span = value_span(self._source, token)
        if not isinstance(current, _List):
            last = self._blocks[-1] if self._blocks else None
            if isinstance(last, _Paragraph) and last.text.endswith(":"):
                self._blocks.pop()
                current = _List(last, last.start)
            else:
                current = _List(None, span.start)
            self._blocks.append(current)
            self._open = current
        current.items.append(token.text)
        current.item_spans.append(span)
        # A line glued to this one continues the item: compare raw extents, not values.
        current.end = token.end

    def heading(self, token: Token) -> None:
        self._blocks.append(Heading(text=token.text, span=value_span(self._source, token)))
        self._open = None

    def close(self) -> None:
        """Something else came between: the next line starts a new block."""
        self._open = None

    def build(self) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for draft in self._blocks:
            if isinstance(draft, _Paragraph):
                blocks.append(Paragraph(text=draft.text, span=_new(Span, (draft.start, draft.end))))
            elif isinstance(draft, _List):
                lead_in = draft.lead_in
                spans = tuple(draft.item_spans)
                blocks.append(
                    ListBlock(
                        lead_in=None if lead_in is None else lead_in.text,
                        items=tuple(draft.items),
                        span=Span(draft.start, spans[-1].end),
                        lead_in_span=None if lead_in is None else Span(lead_in.start, lead_in.end),
                        item_spans=spans,
                    )
                )
            else:
                blocks.append(draft)
        return tuple(blocks)


class ItemCollector:
    """Entries under "Areas for improvement", "Cause of concern" or "Recommendations"."""

    __slots__ = ("_compact", "_continues", "_source", "items", "spans")

    def __init__(self, source: str, *, compact: bool) -> None:
        self._source = source
        self._compact = compact
        self.items: list[str] = []
        self.spans: list[Span] = []
        self._continues = False

    def add(self, token: Token) -> None:
        """A bullet is always a new entry; a text line right after another entry continues it
        in the blank-line rendering (a soft line break)."""
        span = value_span(self._source, token)
        if token.kind is not TokenKind.BULLET and self._continues and not self._compact:
            self.items[-1] += " " + token.text
            self.spans[-1] = _new(Span, (self.spans[-1].start, span.end))
        else:
            self.items.append(token.text)
            self.spans.append(span)
        self._continues = True

    def gap(self) -> None:
        self._continues = False
