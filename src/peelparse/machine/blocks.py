"""Paragraphs and lists, built from text and bullet tokens, each value with its exact span.

One builder serves every part of a page that holds prose (summary, question, observations,
pillar block, section), so the rules for soft line breaks, lead-ins and list ends live here once.
"""

from __future__ import annotations

from ..input.source import Span
from ..lex import lexicon as lx
from ..lex.tokens import Token, TokenKind
from ..records import Block, Heading, new_list, new_paragraph

__all__ = ["BlockBuilder", "ItemCollector", "value_span"]


_new = tuple.__new__  # builds a span without the named tuple's keyword handling
# Read once: in Python 3.11 reading an enum member through its class runs the enum metaclass's
# ``__getattr__`` hook.
_BULLET = TokenKind.BULLET


def value_span(text: str, token: Token) -> Span:
    """The span of exactly the characters ``token.text`` was read from: no line break, no
    white space around it, no bullet marker."""
    start, end, value = token.start, token.end, token.text
    # The common line is printed as it is read: then its value is the line without its break.
    # (Lengths, not characters, are compared: a page and a line of it can differ in their
    # strings' internal width, which makes a character comparison slow.) A value is never
    # longer than its line, so one character more, a line feed, is that line feed.
    extra = end - start - len(value)
    if extra == 1 and text[end - 1] == "\n":
        return _new(Span, (start, end - 1))
    if end > start and text[end - 1] == "\n":
        end -= 1
    if end > start and text[end - 1] == "\r":
        end -= 1
    if end - start == len(value):
        return _new(Span, (start, end))
    if token.kind is _BULLET:
        # A bullet's item ends its line: it stands at its length from the end if the page
        # prints it as read, and the search below would find it there first if its first
        # character is not in the marker before it. Printed as read is certain when only its
        # indent (no tab: a column a character), a one-character marker and one space stand
        # before it: nothing could have been folded. This saves the search, which on a page of
        # wider characters than the item also copies the item.
        at = end - len(value)
        before = text[start:at]
        if value[0] not in before and (
            (at - start - 2 == token.value and "\t" not in before) or text.startswith(value, at)
        ):
            return _new(Span, (at, end))
    found = text.find(value, start, end)  # a bullet's item, say (no copy of the line)
    if found >= 0:
        return _new(Span, (found, found + len(value)))
    # White space folded inside the value: from its first to its last printed character.
    raw = text[start:end]
    first = len(raw) - len(raw.lstrip())
    if token.kind is _BULLET and (bullet := lx.BULLET.match(raw)) is not None:
        first = bullet.end()
    last = len(raw.rstrip())
    return _new(Span, (start + first, start + max(first, last)))


#: A paragraph being read: its lines' tokens (text and span are made at build time).
_ParagraphDraft = list[Token]


class _List:
    """A list being read: its lead-in paragraph, and each item's tokens (one per line)."""

    __slots__ = ("items", "lead_in")

    def __init__(self, lead_in: _ParagraphDraft | None) -> None:
        self.lead_in = lead_in
        self.items: list[list[Token]] = []


class BlockBuilder:
    """Collects blocks for one part of a page.

    ``compact`` pages put every block on one line, so each text line is a paragraph of its own;
    in the blank-line rendering, adjacent text lines are one paragraph with a soft line break.
    Blocks keep their tokens while the page is read; texts and spans are made by ``build``.
    """

    __slots__ = ("_blocks", "_compact", "_list", "_page", "_paragraph")

    def __init__(self, page: str, *, compact: bool) -> None:
        self._page = page
        self._compact = compact
        self._blocks: list[_ParagraphDraft | _List | Heading] = []
        #: The paragraph a text line continues if it comes right after the paragraph's last line
        #: (a soft line break), if any: any other block ends it.
        self._paragraph: _ParagraphDraft | None = None
        #: The list the next bullet (or a line glued to the last item) continues, if any.
        self._list: _List | None = None

    def __bool__(self) -> bool:
        return bool(self._blocks)

    def text(self, token: Token) -> None:
        if not self._compact:
            paragraph = self._paragraph
            if paragraph is not None:
                if paragraph[-1].end == token.start:  # nothing read between: a soft line break
                    paragraph.append(token)
                    return
            else:
                current = self._list
                if current is not None and current.items[-1][-1].end == token.start:
                    current.items[-1].append(token)  # a soft break inside a bullet item
                    return
        paragraph = [token]
        self._blocks.append(paragraph)
        self._list = None
        self._paragraph = None if self._compact else paragraph

    def bullet(self, token: Token) -> None:
        current = self._list
        if current is None:
            blocks = self._blocks
            last = blocks[-1] if blocks else None
            if type(last) is list and last[-1].text.endswith(":"):
                blocks.pop()
                current = _List(last)
            else:
                current = _List(None)
            blocks.append(current)
            self._list = current
            self._paragraph = None
        current.items.append([token])

    def heading(self, token: Token) -> None:
        self._blocks.append(Heading(text=token.text, span=value_span(self._page, token)))
        self.close()

    def close(self) -> None:
        """Something else came between: the next line starts a new block."""
        self._paragraph = self._list = None

    def build(self) -> tuple[Block, ...]:
        page = self._page
        blocks: list[Block] = []
        for draft in self._blocks:
            if isinstance(draft, list):
                if len(draft) == 1:  # the common paragraph: one line
                    line = draft[0]
                    blocks.append(new_paragraph(text=line.text, span=value_span(page, line)))
                else:
                    text, span = _joined(page, draft)
                    blocks.append(new_paragraph(text=text, span=span))
            elif isinstance(draft, _List):
                items, spans = _entries(page, draft.items)
                lead_in = draft.lead_in
                lead_in_text, lead_in_span = (
                    (None, None) if lead_in is None else _joined(page, lead_in)
                )
                start = spans[0].start if lead_in_span is None else lead_in_span.start
                blocks.append(
                    new_list(
                        lead_in=lead_in_text,
                        items=items,
                        span=_new(Span, (start, spans[-1].end)),
                        lead_in_span=lead_in_span,
                        item_spans=spans,
                    )
                )
            else:
                blocks.append(draft)
        return tuple(blocks)


def _joined(page: str, tokens: list[Token]) -> tuple[str, Span]:
    """The text of lines read as one (a paragraph, an item), and its span."""
    first = value_span(page, tokens[0])
    if len(tokens) == 1:
        return tokens[0].text, first
    last = value_span(page, tokens[-1])
    return " ".join([token.text for token in tokens]), _new(Span, (first.start, last.end))


def _entries(page: str, entries: list[list[Token]]) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """The texts and spans of list items or collected entries."""
    texts: list[str] = []
    spans: list[Span] = []
    for tokens in entries:
        if len(tokens) == 1:
            line = tokens[0]
            texts.append(line.text)
            spans.append(value_span(page, line))
        else:
            text, span = _joined(page, tokens)
            texts.append(text)
            spans.append(span)
    return tuple(texts), tuple(spans)


class ItemCollector:
    """Entries under "Areas for improvement", "Cause of concern" or "Recommendations"."""

    __slots__ = ("_compact", "_page", "continues", "items")

    def __init__(self, page: str, *, compact: bool) -> None:
        self._page = page
        self._compact = compact
        #: Each entry's tokens (a text line glued to an entry continues it).
        self.items: list[list[Token]] = []
        #: Whether a text line may continue the last entry: a blank line ends it (the walk
        #: sets it to False).
        self.continues = False

    def add(self, token: Token) -> None:
        """A bullet is always a new entry; a text line right after another entry continues it
        in the blank-line rendering (a soft line break)."""
        if token.kind is not _BULLET and self.continues and not self._compact:
            self.items[-1].append(token)
        else:
            self.items.append([token])
        self.continues = True

    def build(self) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        """The entries' texts and spans."""
        return _entries(self._page, self.items)
