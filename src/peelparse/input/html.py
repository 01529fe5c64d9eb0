"""HTML front-end: lay a page's HTML out as text the way a browser would, line by line.

The output is the blank-line rendering of the page (one block per paragraph, heading or table
row; list items one per line with their bullet; ``<br>`` a soft line break) plus, for every
line, the HTML source line it came from. The text tokenizer then classifies those lines, so the
machine sees the same token vocabulary whatever the input was, and never touches lxml.

Furniture that a saved text never shows is dropped here: ``head``, scripts, styles, navigation,
headers, footers, forms, cookie banners and hidden elements. lxml is imported only when HTML is
read, and is configured never to touch the network or load a DTD.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from attrs import frozen

from ..diagnostics import Code

if TYPE_CHECKING:  # pragma: no cover
    from lxml.etree import _Element

__all__ = ["Extracted", "extract_text", "looks_like_html"]

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
        *("summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "caption"),
    )
)
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_CELLS = frozenset(("td", "th"))
_FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:cookie|cookies|consent|skip-link|skiplink|visually-hidden|sr-only)(?:$|[\s_-])",
    re.IGNORECASE,
)
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


@frozen
class Extracted:
    """The layout: ``text`` plus the HTML source line of each of its lines (1-based)."""

    text: str
    html_lines: tuple[int, ...]
    #: Problems met while reading the markup, as (code, message, html line).
    problems: tuple[tuple[Code, str, int], ...]


class _Layout:
    """Collects lines and the separators between them while the tree is walked."""

    def __init__(self) -> None:
        self.text_parts: list[str] = []
        self.html_lines: list[int] = []
        self.pieces: list[str] = []
        self.piece_line = 0
        self.prefix = ""
        self.break_before = ""  # the separator the next line gets: "", "\n" or "\n\n"
        self.last_was_item = False
        self.in_pre = 0  # depth of <pre> elements: their newlines are line breaks

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
        self.pieces.append(value)

    def line_break(self) -> None:
        """``<br>`` (or a newline in ``<pre>``): a soft break; two in a row make a blank line."""
        if "".join(self.pieces).strip():
            self.end_line("\n")
            return
        self.pieces = []
        if self.html_lines and self.break_before == "\n":
            self.break_before = "\n\n"

    def end_line(self, separator_after: str) -> None:
        """Finish the current line (if it has text); the next line follows ``separator_after``."""
        joined = "".join(self.pieces)
        content = " ".join(joined.split())
        if content and self.in_pre and not self.prefix:
            # Preformatted text keeps its indentation ("  1. item" is a bullet, "1. x" is not).
            content = joined[: len(joined) - len(joined.lstrip(" "))] + content
        self.pieces = []
        if content:
            origin = self.piece_line
            if self.html_lines:
                self.text_parts.append(self.break_before)
                if self.break_before == "\n\n":
                    self.html_lines.append(origin)  # the blank line
            self.text_parts.append(self.prefix + content)
            self.html_lines.append(origin)
            self.last_was_item = bool(self.prefix)
            self.prefix = ""
            self.break_before = separator_after
        elif separator_after == "\n\n" and self.html_lines:
            self.break_before = "\n\n"
            self.last_was_item = False

    def start_item(self, marker: str, depth: int) -> None:
        """A list item: one line with its bullet, single-spaced after another item."""
        self.end_line("\n")
        self.prefix = "  " * depth + marker + " "
        if self.html_lines:
            self.break_before = "\n" if self.last_was_item else "\n\n"


def _hidden(element: _Element) -> bool:
    """Hidden from readers, or a cookie banner or skip link, by its attributes."""
    get = element.get
    if get("hidden") is not None or (get("aria-hidden") or "").lower() == "true":
        return True
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    marks = f"{get('class') or ''} {get('id') or ''}"
    return len(marks) > 1 and _FURNITURE_WORDS.search(marks) is not None


def _list_depth(element: _Element) -> int:
    depth = 0
    parent = element.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag.lower() in _LISTS:
            depth += 1
        parent = parent.getparent()
    return max(depth, 1)


def _parent_tag(element: _Element) -> str:
    parent = element.getparent()
    return parent.tag.lower() if parent is not None and isinstance(parent.tag, str) else ""


def _marker(item: _Element) -> str:
    parent = item.getparent()
    if parent is not None and isinstance(parent.tag, str) and parent.tag.lower() == "ol":
        return f"{parent.index(item) + 1}."
    return "•"


def _time_text(element: _Element) -> str | None:
    """``<time datetime="2018-03-22">`` as the pages print dates (22/03/2018), when its own
    text is not already in that form."""
    stamp = element.get("datetime") or ""
    own = "".join(str(piece) for piece in element.itertext()).strip()
    match = _ISO_DATE.match(stamp)
    if match is None or _UK_DATE.fullmatch(own):
        return None
    year, month, day = match.groups()
    return f"{day}/{month}/{year}"


def extract_text(markup: str) -> Extracted:
    """Lay ``markup`` out as text, one block per paragraph, heading, list item or table row."""
    from lxml import etree

    parser = etree.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, collect_ids=False
    )
    problems: list[tuple[Code, str, int]] = []
    declaration = _XML_DECLARATION.match(markup)
    if declaration is not None:  # XHTML as saved; lxml refuses a str that declares an encoding
        markup = " " * declaration.end() + markup[declaration.end() :]
    try:
        root = etree.fromstring(markup, parser) if markup.strip() else None
    except (etree.ParserError, ValueError) as error:
        problems.append((Code.HTML_UNREADABLE, f"the HTML could not be read: {error}", 1))
        root = None
    for entry in parser.error_log:
        if "depth" in entry.message.lower():
            problems.append(
                (
                    Code.HTML_TOO_DEEP,
                    f"markup nested too deeply ({entry.message.strip()}); text inside the "
                    "deepest elements was not read",
                    entry.line or 1,
                )
            )
            break
    layout = _Layout()
    if root is None:
        return Extracted(text="", html_lines=(), problems=tuple(problems))
    walk = etree.iterwalk(root, events=("start", "end"))
    skipped: _Element | None = None  # a dropped element: only its tail is read
    for event, element in walk:
        if event == "end":
            if element is skipped:
                skipped = None
            else:
                _end(layout, element)
            _tail(layout, element)
            continue
        tag = element.tag
        if not isinstance(tag, str):
            continue  # an entity or processing instruction: only its tail is text
        tag = tag.lower()
        if tag in _DROPPED or _hidden(element):
            skipped = element
            walk.skip_subtree()
            continue
        line = _line(element)
        if tag == "li":
            layout.start_item(_marker(element), _list_depth(element))
        elif tag in _BLOCKS:
            layout.end_line("\n\n")
            layout.in_pre += tag == "pre"
        elif tag == "br":
            layout.line_break()
        elif tag in _CELLS and layout.pieces:
            layout.text("\t", line)
        elif tag == "time" and (replacement := _time_text(element)) is not None:
            layout.text(replacement, line)
            skipped = element
            walk.skip_subtree()
            continue
        if element.text:
            layout.text(element.text, line)
    layout.end_line("\n\n")
    return Extracted(
        text="".join(layout.text_parts),
        html_lines=tuple(layout.html_lines),
        problems=tuple(problems),
    )


def _end(layout: _Layout, element: _Element) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag == "pre":
        layout.in_pre -= 1
    if tag == "li" or (tag in _LISTS and _parent_tag(element) == "li"):
        layout.end_line("\n")  # the next item follows on the next line
    elif tag in _BLOCKS:
        layout.end_line("\n\n")


def _line(element: _Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 1


def _tail(layout: _Layout, element: _Element) -> None:
    if element.tail:
        layout.text(element.tail, _line(element))
