"""HTML front-end: lay a page's HTML out as text the way a browser would, line by line.

The output is the blank-line rendering of the page (one block per paragraph, heading or table
row; list items one per line with their bullet; ``<br>`` a soft line break) plus, for every
line, the HTML source line it came from. The text tokenizer then classifies those lines, so the
machine sees the same token vocabulary whatever the input was, and never touches lxml.

Furniture that a saved text never shows is dropped here: ``head``, scripts, styles, navigation,
the site's header and footer (an ``<article>``'s own are kept: they hold its title and date),
forms, cookie banners and hidden elements. lxml is imported only when HTML is
read, and is configured never to touch the network or load a DTD.
"""

from __future__ import annotations

import html
import io
import re
from array import array
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, cast

from attrs import frozen

from ..diagnostics import Code

if TYPE_CHECKING:  # pragma: no cover
    from lxml.etree import HTMLPullParser, _Element

__all__ = ["Extracted", "Problem", "extract_text", "looks_like_html"]

#: Characters of markup fed to the parser at a time: the parsed part of the tree is freed as
#: the layout goes, so memory holds the markup, the layout and one chunk's elements.
CHUNK = 1 << 16
#: libxml2's nesting limit with ``huge_tree`` (it stops reading there).
MAX_DEPTH = 2048

#: Elements whose whole subtree is furniture (never shown by a saved text).
_DROPPED = frozenset(
    (
        *("head", "script", "style", "noscript", "template", "nav", "header", "footer"),
        *("aside", "form", "iframe", "object", "embed", "svg", "math", "button", "select"),
        *("option", "textarea", "input", "canvas", "audio", "video", "map", "dialog"),
    )
)
#: Elements that start and end a block (a new paragraph in the layout).
_BLOCKS = frozenset(
    (
        *("address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl"),
        *("dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section"),
        *("summary", "table", "ul", "caption"),
    )
)
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
#: Lists nested deeper than this are indented no further: the indent says "nested", and a
#: hostile page nesting thousands of lists must not cost thousands of spaces an item.
_MAX_INDENT = 8
#: A table's rows are laid out as a list, one item a row, its cells joined by ``_CELL_JOIN``:
#: "Preventing crime – Outstanding" reads as the page means it, and a sentence ending with ":"
#: above the table ("… as follows:") is the list's lead-in.
_CELLS = frozenset(("td", "th"))
_CELL_JOIN = " – "
#: Class or id names of furniture: skip links and screen-reader-only text, and cookie or
#: consent banners (a name about cookies or consent that names a banner; a state name such as
#: "cookies-accepted" or "has-cookie-banner" on a wrapper is not furniture).
_FURNITURE_NAMES = frozenset(
    ("skip-link", "skiplink", "skip-to-content", "visually-hidden", "sr-only", "screen-reader-text",
     "cookie", "cookies", "consent")
)  # fmt: skip
#: Prefixes of names that say what state a page is in, not what an element is.
_STATES = ("has-", "is-", "js-", "no-", "with-", "show-", "hide-")
_BANNER_ENDS = (
    "banner",
    "notice",
    "bar",
    "popup",
    "pop-up",
    "message",
    "dialog",
    "modal",
    "overlay",
)
#: Elements that hold the page itself: never dropped for a name or a screen-reader mark.
_PAGE_ITSELF = frozenset(("html", "body", "main", "article"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_UK_DATE = re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]{0,200}\?>")
_HTML_ANYWHERE = re.compile(r"<(?:html|body)\b[^>]{0,200}>", re.IGNORECASE)


def looks_like_html(head: str) -> bool:
    """True when the first kilobyte shows a doctype or an ``<html>``/``<body>`` element."""
    sample = head[:1024]
    if "<" not in sample:
        return False
    start = sample.lstrip()
    while start.startswith("<!--"):  # comments before the doctype, as saved pages have
        end = start.find("-->")
        if end < 0:
            break
        start = start[end + 3 :].lstrip()
    return bool(_HTML_START.match(start) or _HTML_ANYWHERE.search(sample))


class Problem(NamedTuple):
    """Something the markup made unreadable: a diagnostic code, a message, an HTML line."""

    code: Code
    message: str
    html_line: int


@frozen
class Extracted:
    """The layout: ``text`` plus the HTML source line of each of its lines (1-based)."""

    text: str
    #: One HTML line per line of ``text`` (an ``array`` of ints: pages of a million lines).
    html_lines: array[int]
    #: What the markup made unreadable, for diagnostics.
    problems: tuple[Problem, ...]


class _Layout:
    """Writes lines and the separators between them while the markup is parsed.

    Lines go straight into one ``StringIO`` and their HTML lines into an ``array``, so the
    layout costs a few bytes per character and four per line, whatever the markup.
    """

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.html_lines = array("i")
        self.pieces: list[str] = []
        self.piece_line = 0
        self.prefix = ""
        self.break_before = ""  # the separator the next line gets: "", "\n" or "\n\n"
        self.last_was_item = False
        self.in_pre = 0  # depth of <pre> elements: their newlines are line breaks
        self.open: list[str] = []  # the tags of the open elements
        self.items: list[int] = []  # for each open ``ol``, its items so far
        self.lists = 0  # open list elements
        self.cell_pending = False  # a table cell began after text on the same row
        self.line_has_text = False  # the line being written holds more than white space

    def text(self, value: str, line: int) -> None:
        if self.in_pre and "\n" in value:
            first, *rest = value.split("\n")
            self.text(first, line)
            for offset, part in enumerate(rest, 1):
                self.line_break()
                self.text(part, line + offset)
            return
        if not self.pieces:
            self.piece_line = line
        if value and not value.isspace():
            if self.cell_pending:
                self.pieces.append(_CELL_JOIN)
                self.cell_pending = False
            self.line_has_text = True
        self.pieces.append(value)

    def line_break(self) -> None:
        """``<br>`` (or a newline in ``<pre>``): a soft break; two in a row make a blank line."""
        if self.line_has_text:
            self.end_line("\n")
            return
        self.pieces = []
        if self.html_lines and self.break_before == "\n":
            self.break_before = "\n\n"

    def end_line(self, separator_after: str) -> None:
        """Finish the current line (if it has text); the next line follows ``separator_after``."""
        self.cell_pending = self.line_has_text = False
        joined = "".join(self.pieces)
        content = " ".join(joined.split())
        if content and self.in_pre and not self.prefix:
            # Preformatted text keeps its indentation ("  1. item" is a bullet, "1. x" is not).
            content = joined[: len(joined) - len(joined.lstrip(" "))] + content
        self.pieces = []
        if content:
            origin = self.piece_line
            if self.html_lines:
                self.out.write(self.break_before)
                if self.break_before == "\n\n":
                    self.html_lines.append(origin)  # the blank line
            self.out.write(self.prefix)
            self.out.write(content)
            self.html_lines.append(origin)
            self.last_was_item = bool(self.prefix)
            self.prefix = ""
            self.break_before = separator_after
        elif separator_after == "\n\n" and self.html_lines:
            self.break_before = "\n\n"
            self.last_was_item = False

    def start_item(self, row: bool = False) -> None:
        """A list item (or a table row): one line with its bullet, single-spaced after another
        item."""
        self.end_line("\n")
        marker = "•"
        if not row and self.open and self.open[-1] == "ol":
            self.items[-1] += 1
            marker = f"{self.items[-1]}."
        self.prefix = "  " * min(max(self.lists, 1), _MAX_INDENT) + marker + " "
        if self.html_lines:
            self.break_before = "\n" if self.last_was_item else "\n\n"

    def start(self, tag: str, element: _Element) -> None:
        """An element opens (its own text follows separately)."""
        if tag == "li" or tag == "tr":
            self.start_item(row=tag == "tr")
        elif tag in _BLOCKS:
            self.end_line("\n\n")
            self.in_pre += tag == "pre"
        elif tag == "br":
            self.line_break()
        elif tag in _CELLS and self.line_has_text:
            self.cell_pending = True  # joined to the cells before it once it holds text
        self.open.append(tag)
        if tag in _LISTS:
            self.lists += 1
            if tag == "ol":
                self.items.append(0)

    def end(self, tag: str) -> None:
        """An element closes."""
        self.open.pop()
        if tag in _LISTS:
            self.lists -= 1
            if tag == "ol":
                self.items.pop()
        parent = self.open[-1] if self.open else ""
        if tag == "li" or tag == "tr" or (tag in _LISTS and parent == "li"):
            self.end_line("\n")  # the next item follows on the next line
        elif tag in _BLOCKS:
            self.end_line("\n\n")
        if tag == "pre":  # after its last line, which keeps its indentation
            self.in_pre -= 1

    def finish(self, markup: str) -> tuple[str, array[int]]:
        """The text, ending with a line break as a saved text does, unless the markup was cut
        off inside the page's last text (then, like a cut text, it ends there)."""
        self.end_line("\n\n")
        text = self.out.getvalue()
        if text and not _cut(markup, text):
            text += "\n"
        return text, self.html_lines


def _cut(markup: str, text: str) -> bool:
    """``markup`` stops inside its last text, not after a tag: a download cut off mid-line.

    That is when text follows the last tag and the layout ends with that text's last word (so
    it is not the inside of a dropped element).
    """
    tail_start = markup.rfind(">") + 1
    if markup.rfind("<") >= tail_start:
        return False  # cut inside a tag, or a comment: the last text is whole
    words = html.unescape(markup[max(tail_start, len(markup) - 256) :]).rsplit(None, 1)
    return bool(words) and text.rstrip().endswith(words[-1])


def _hidden(element: _Element, tag: str) -> bool:
    """Hidden from readers, or a cookie banner or skip link, by its attributes.

    The page's own containers are judged only by what truly hides them (``hidden``,
    ``display: none``): sites mark ``body`` or ``main`` with state names ("cookies-accepted")
    and with ``aria-hidden`` while a dialog is open, and the page is still there to read.
    """
    get = element.get
    style = get("style")
    if get("hidden") is not None or (style and _HIDDEN_STYLE.search(style)):
        return tag not in ("html", "body")
    if tag in _PAGE_ITSELF:
        return False
    if (get("aria-hidden") or "").lower() == "true":
        return True
    names = f"{get('class') or ''} {get('id') or ''}".casefold().split()
    return any(_furniture_name(name) for name in names)


def _furniture_name(name: str) -> bool:
    """A class or id that names furniture: ``skip-link``, ``govuk-cookie-banner``,
    ``cookie-notice``, ``consent``; not a state such as ``has-cookie-banner`` or
    ``cookies-accepted``."""
    if name in _FURNITURE_NAMES:
        return True
    return (
        ("cookie" in name or "consent" in name)
        and not name.startswith(_STATES)
        and name.rstrip("s").endswith(_BANNER_ENDS)
    )


def _time_text(element: _Element) -> str:
    """A whole ``<time datetime="2018-03-22">``: the date as the pages print it (22/03/2018),
    unless its own text is already in that form."""
    own = "".join(str(piece) for piece in element.itertext())
    match = _ISO_DATE.match(element.get("datetime") or "")
    if match is None or _UK_DATE.fullmatch(own.strip()):
        return own
    year, month, day = match.groups()
    return f"{day}/{month}/{year}"


def _parser() -> HTMLPullParser:
    from lxml import etree

    # huge_tree: no limit on a text node's length (libxml2 otherwise drops everything after a
    # node of 10 MB) and nesting to 2048 levels. The input is bounded by the caller (max_bytes).
    return etree.HTMLPullParser(
        events=("start", "end"),
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        collect_ids=False,
    )


def _events(parser: HTMLPullParser, markup: str) -> Iterator[tuple[str, _Element]]:
    """The parser's ``start`` and ``end`` events (the only ones asked for), feeding it
    ``markup`` a chunk at a time."""
    for start in range(0, len(markup), CHUNK):
        parser.feed(markup[start : start + CHUNK])
        yield from cast(Iterator[tuple[str, "_Element"]], parser.read_events())
    parser.close()
    yield from cast(Iterator[tuple[str, "_Element"]], parser.read_events())


def extract_text(markup: str) -> Extracted:
    """Lay ``markup`` out as text, one block per paragraph, heading, list item or table row.

    The markup is parsed as a stream: each element is laid out as its events arrive and freed
    once its text and tail have been read, so memory does not grow with the number of
    elements.
    """
    declaration = _XML_DECLARATION.match(markup)
    if declaration is not None:  # XHTML as saved; lxml refuses a str that declares an encoding
        markup = " " * declaration.end() + markup[declaration.end() :]
    from lxml import etree

    layout = _Layout()
    parser = _parser()
    failure: tuple[Problem, ...] = ()
    if markup.strip():
        try:
            _walk(layout, _events(parser, markup))
        except (etree.LxmlError, ValueError) as error:
            line = layout.html_lines[-1] if layout.html_lines else 1
            message = f"the HTML parser failed ({error}); the text after it was not read"
            failure = (Problem(Code.HTML_UNREADABLE, message, line),)
    text, html_lines = layout.finish(markup)
    problems = failure or (*_problems(parser), *_unclosed_comment(markup))
    return Extracted(text=text, html_lines=html_lines, problems=problems)


def _unclosed_comment(markup: str) -> tuple[Problem, ...]:
    """A comment opened and never closed hides the rest of the page; libxml2 says nothing."""
    opened = markup.rfind("<!--")
    if opened < 0 or markup.find("-->", opened + 4) >= 0:
        return ()
    hidden = markup[opened + 4 :]
    if not hidden.strip():
        return ()
    line = markup.count("\n", 0, opened) + 1
    message = (
        f"a comment opened at HTML line {line} never closes: the {len(hidden)} characters after "
        "it are inside it and were not read"
    )
    return (Problem(Code.HTML_UNCLOSED_COMMENT, message, line),)


def _walk(layout: _Layout, events: Iterator[tuple[str, _Element]]) -> None:
    """Lay the events out, freeing each element once read.

    An element's text is complete only at the parser's next event, and its tail at the event
    after its end, so each is read one event late (``pending``). Elements inside a dropped
    element are freed unread; a ``<time>`` is read whole at its end.
    """
    pending: _Element | None = None  # an element whose text (or, once ended, tail) is due
    pending_tail = False
    skipped: _Element | None = None  # a dropped element: nothing inside it is read
    timed: _Element | None = None  # a <time> element: read whole when it ends
    for event, element in events:
        if pending is not None:
            if pending_tail:
                _flush_tail(layout, pending, read=skipped is None)
            elif pending.text:
                layout.text(pending.text, _line(pending))
            pending = None
        if timed is not None:
            if element is timed and event == "end":
                layout.text(_time_text(element), _line(element))
                timed = None
                pending, pending_tail = element, True
            continue
        if skipped is not None:
            if event == "end":
                if element is skipped:
                    skipped = None
                pending, pending_tail = element, True
            continue
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "end":
            layout.end(tag)
            pending, pending_tail = element, True
        elif (tag in _DROPPED and not _of_content(tag, layout.open)) or _hidden(element, tag):
            skipped = element
        elif tag == "time" and _ISO_DATE.match(element.get("datetime") or ""):
            timed = element
        else:
            layout.start(tag, element)
            pending, pending_tail = element, False
    if pending is not None and pending_tail:  # the root, which has no tail to wait for
        _flush_tail(layout, pending, read=True)


#: Where a ``header`` or ``footer`` belongs to the content (an article's title, its byline)
#: rather than to the site around it.
_CONTENT_ROOTS = frozenset(("main", "article", "section"))


def _of_content(tag: str, open_tags: list[str]) -> bool:
    """A ``header``/``footer`` inside the page's content: kept, unlike the site's own."""
    return tag in ("header", "footer") and any(t in _CONTENT_ROOTS for t in open_tags)


def _flush_tail(layout: _Layout, element: _Element, *, read: bool) -> None:
    """Lay out the tail of an element that has ended, then free the element."""
    if read and element.tail:
        layout.text(element.tail, _line(element))
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)  # its subtree and tail are read: free them


def _problems(parser: HTMLPullParser) -> tuple[Problem, ...]:
    """The parser's fatal errors: it stopped reading, so the rest of the page is lost."""
    for entry in parser.feed_error_log:
        if entry.level_name != "FATAL" and entry.type_name not in _STOPS:
            continue
        line = entry.line or 1
        if "depth" in entry.message.lower():
            message = (
                f"markup nested deeper than {MAX_DEPTH} levels at HTML line {line}; the parser "
                "stops there, so the text from there on was not read"
            )
            return (Problem(Code.HTML_TOO_DEEP, message, line),)
        message = (
            f"the HTML parser stopped at HTML line {line} ({entry.message.strip()}); the text "
            "from there on was not read"
        )
        return (Problem(Code.HTML_UNREADABLE, message, line),)
    return ()


_STOPS = frozenset(("ERR_RESOURCE_LIMIT", "ERR_NO_MEMORY", "ERR_INTERNAL_ERROR"))


def _line(element: _Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 1
