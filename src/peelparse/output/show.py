"""A report as a person reads it: a tree of its values, each with the line it came from.

``peelparse show`` prints this tree. Every value whose span is known carries ``L<line>``: the
line of the file that was given (for HTML input, the line of the HTML source). Spans are read
by ``span_of`` alone: an element's own ``span``, or for a single value such as the title the
attribute named in ``VALUE_SPANS``; a value without a span simply shows no line.

Rich renders the tree (colour on a terminal, none when piped or with ``NO_COLOR``, text wrapped
to the terminal's width); it is imported only when a tree is drawn.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..input.source import Span
from ..records import (
    Block,
    Grade,
    Heading,
    ListBlock,
    Paragraph,
    Question,
    Report,
    Severity,
)

if TYPE_CHECKING:
    from rich.text import Text
    from rich.tree import Tree

__all__ = ["VALUE_SPANS", "grade_name", "plural", "render", "show", "span_of", "visible"]

#: Where the span of a single value is read: ``(record, field)`` → attribute names, the first
#: one present and set wins. Any other ``field`` is looked up as ``<field>_span``.
VALUE_SPANS: dict[str, tuple[str, ...]] = {
    "title": ("title_span",),
    "headline_question": ("headline_question_span",),
    "last_updated": ("last_updated_span",),
    "grade": ("grade_span",),
}

#: Summary blocks shown without ``full``; longer texts are cut at this many characters.
FIRST_BLOCKS = 3
CUT = 240

_GRADE_STYLE = {
    Grade.OUTSTANDING: "bold green",
    Grade.GOOD: "green",
    Grade.ADEQUATE: "yellow",
    Grade.REQUIRES_IMPROVEMENT: "red",
    Grade.INADEQUATE: "bold red",
    Grade.UNGRADED: "dim",
    Grade.NOT_YET_GRADED: "dim",
}


#: Characters a terminal would obey rather than show (escape sequences that clear the screen,
#: write the clipboard or hide text; bidirectional overrides), shown as escapes instead.
_VISIBLE: dict[int, str] = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as escapes."""
    return text.translate(_VISIBLE)


def span_of(record: object, field: str | None = None) -> Span | None:
    """The span of ``record`` itself, or of one of its single values (``field``)."""
    if field is None:
        names: Sequence[str] = ("span",)
    else:
        names = VALUE_SPANS.get(field, (f"{field}_span",))
    for name in names:
        span = getattr(record, name, None)
        if isinstance(span, tuple) and len(span) == 2:
            return Span(*span)
    return None


def grade_name(grade: Grade | None) -> str:
    """``Requires improvement`` for ``Grade.REQUIRES_IMPROVEMENT``; ``no grade shown`` for None."""
    if grade is None:
        return "no grade shown"
    return grade.value.replace("_", " ").capitalize()


class _Drawer:
    """Builds the tree for one report."""

    def __init__(self, report: Report, *, full: bool) -> None:
        from rich.text import Text
        from rich.tree import Tree

        self.report = report
        self.full = full
        self.Text = Text
        self.Tree = Tree
        self.html = bool(report.text is not None and report.text.html_lines)

    # pieces -------------------------------------------------------------------------------

    def line(self, span: Span | None) -> str:
        """``L30`` for ``span`` ('' when unknown or the report has no text)."""
        if span is None or self.report.text is None:
            return ""
        if self.html:
            html_line = self.report.html_line(span)
            return f"L{html_line}" if html_line is not None else ""
        return f"L{self.report.line_column(span)[0]}"

    def label(self, span: Span | None, *parts: str | tuple[str, str] | Text) -> Text:
        """A node's text: its line (dim) then ``parts`` (plain, ``(text, style)`` or Text)."""
        text = self.Text()
        where = self.line(span)
        if where:
            text.append(where, style="dim cyan")
            text.append(" ")
        for part in parts:
            if isinstance(part, str):
                text.append(visible(part))
            elif isinstance(part, tuple):
                text.append(visible(part[0]), part[1])
            else:
                text.append_text(part)
        return text

    def grade(self, grade: Grade | None) -> tuple[str, str]:
        return grade_name(grade), "dim" if grade is None else _GRADE_STYLE[grade]

    def cut(self, text: str) -> str:
        if self.full or len(text) <= CUT:
            return text
        return text[: CUT - 1].rstrip() + "…"

    # sections -----------------------------------------------------------------------------

    def header(self, tree: Tree) -> None:
        report = self.report
        kind = [("kind ", "bold"), report.kind.value]
        for name, value in (
            ("force", report.force),
            ("cycle", report.cycle),
            ("pillar", report.pillar.value if report.pillar else None),
        ):
            if value is not None:
                kind += [" · ", (f"{name} ", "bold"), value]
        tree.add(self.label(None, *kind))
        if report.headline_question:
            tree.add(
                self.label(
                    span_of(report, "headline_question"),
                    ("headline ", "bold"),
                    report.headline_question,
                )
            )
        tree.add(self.label(span_of(report, "grade"), ("grade ", "bold"), self.grade(report.grade)))
        if report.last_updated is not None:
            tree.add(
                self.label(
                    span_of(report, "last_updated"),
                    ("last updated ", "bold"),
                    _date(report.last_updated),
                )
            )
        if report.source is not None:
            tree.add(self.label(None, ("source ", "bold"), report.source))
        if report.url is not None and report.url != report.source:
            tree.add(self.label(None, ("url ", "bold"), report.url))
        if report.inspector is not None:
            inspector = report.inspector
            tree.add(
                self.label(
                    span_of(inspector),
                    ("inspector ", "bold"),
                    f"{inspector.name}, {inspector.role}",
                )
            )

    def blocks(self, parent: Tree, blocks: Sequence[Block], *, first: int | None) -> None:
        """``blocks`` under ``parent``; without ``full`` only the ``first`` few (None: all)."""
        shown = blocks if self.full or first is None else blocks[:first]
        for block in shown:
            self.block(parent, block)
        if len(shown) < len(blocks):
            rest = len(blocks) - len(shown)
            parent.add(self.Text(f"… {plural(rest, 'more block')} (--full shows all)", "dim"))

    def block(self, parent: Tree, block: Block) -> None:
        if isinstance(block, Paragraph):
            parent.add(self.label(span_of(block), self.cut(block.text)))
        elif isinstance(block, Heading):
            parent.add(self.label(span_of(block), (block.text, "bold")))
        else:
            self.list(parent, block)

    def list(self, parent: Tree, block: ListBlock) -> None:
        lead_in = block.lead_in or "list"
        node = parent.add(
            self.label(
                span_of(block),
                (lead_in, "italic"),
                (f"  {plural(len(block.items), 'item')}", "dim"),
            )
        )
        self.entries(node, block.items, block.item_spans)

    def entries(self, parent: Tree, texts: Sequence[str], spans: Sequence[Span]) -> None:
        for position, text in enumerate(texts):
            span = spans[position] if position < len(spans) else None
            parent.add(self.label(span, ("• ", "dim"), self.cut(text)))

    def prose(self, blocks: Sequence[Block]) -> str:
        """``5 paragraphs, 2 lists``."""
        kinds = [
            plural(sum(isinstance(b, kind) for b in blocks), name)
            for kind, name in ((Paragraph, "paragraph"), (ListBlock, "list"), (Heading, "heading"))
            if any(isinstance(b, kind) for b in blocks)
        ]
        return ", ".join(kinds) or "no text"

    def question(self, parent: Tree, question: Question) -> None:
        number = f"{question.number}. " if question.number is not None else ""
        label = self.label(
            span_of(question),
            (f"question {number}", "bold"),
            question.text,
            "  ",
            self.grade(question.grade),
        )
        graded = self.line(span_of(question, "grade"))
        if graded and graded != self.line(span_of(question)):
            label.append(f" {graded}", style="dim cyan")  # the grade's own line
        node = parent.add(label)
        if self.full:
            self.blocks(node, question.blocks, first=None)
        else:
            node.add(self.Text(self.prose(question.blocks), "dim"))
            for block in question.blocks:
                if isinstance(block, ListBlock):
                    self.list(node, block)
        for name, texts, spans in (
            ("areas for improvement", question.areas_for_improvement,
             question.areas_for_improvement_spans),
            ("causes of concern", question.causes_of_concern, question.causes_of_concern_spans),
            ("recommendations", question.recommendations, question.recommendations_spans),
        ):  # fmt: skip
            if texts:
                group = node.add(self.Text(f"{name} ({len(texts)})", "bold"))
                self.entries(group, texts, spans)

    def body(self, tree: Tree) -> None:
        report = self.report
        if report.summary:
            node = tree.add(self.Text(f"summary ({self.prose(report.summary)})", "bold"))
            self.blocks(node, report.summary, first=FIRST_BLOCKS)
        if report.questions:
            node = tree.add(self.Text(f"questions ({len(report.questions)})", "bold"))
            for question in report.questions:
                self.question(node, question)
        if report.judgments:
            node = tree.add(self.Text(f"judgments ({len(report.judgments)})", "bold"))
            for judgment in report.judgments:
                pillar = judgment.pillar.value if judgment.pillar else "no pillar"
                node.add(
                    self.label(
                        span_of(judgment),
                        (f"{pillar} ", "bold"),
                        self.grade(judgment.grade),
                        "  ",
                        (self.cut(judgment.text), "dim"),
                    )
                )
        if report.pillars:
            node = tree.add(self.Text(f"pillars ({len(report.pillars)})", "bold"))
            for block in report.pillars:
                parts: list[str | tuple[str, str]] = [
                    (f"{block.pillar.value if block.pillar else 'pillar'} ", "bold"),
                    self.grade(block.grade),
                ]
                if block.last_updated is not None:
                    parts.append(f"  updated {_date(block.last_updated)}")
                branch = node.add(self.label(span_of(block), *parts))
                if block.headline_question:
                    branch.add(
                        self.label(
                            span_of(block, "headline_question"),
                            (block.headline_question, "italic"),
                        )
                    )
                self.blocks(branch, block.summary, first=1)
        if report.sections:
            node = tree.add(self.Text(f"sections ({len(report.sections)})", "bold"))
            for section in report.sections:
                heading = node.add(
                    self.label(
                        span_of(section),
                        (section.heading, "bold"),
                        (f"  {self.prose(section.blocks)}", "dim"),
                    )
                )
                self.blocks(heading, section.blocks, first=1)
        if report.observations:
            node = tree.add(self.Text(f"observations ({self.prose(report.observations)})", "bold"))
            self.blocks(node, report.observations, first=FIRST_BLOCKS)
        self.diagnostics(tree)

    def diagnostics(self, tree: Tree) -> None:
        found = self.report.diagnostics
        if not found:
            tree.add(self.Text("diagnostics: none", "dim"))
            return
        node = tree.add(self.Text(f"diagnostics ({len(found)})", "bold"))
        for diagnostic in found:
            style = "red" if diagnostic.severity is Severity.ERROR else "yellow"
            if self.html and diagnostic.html_line is not None:
                where = f"L{diagnostic.html_line}"
            else:
                where = f"L{diagnostic.line}:{diagnostic.column}"
            node.add(
                self.Text.assemble(
                    (where, "dim cyan"),
                    " ",
                    (f"{diagnostic.severity.value} [{diagnostic.code}]", style),
                    " ",
                    diagnostic.message,
                )
            )

    def tree(self) -> Tree:
        report = self.report
        title = report.title or "(no title)"
        root = self.label(span_of(report, "title"), (title, "bold"))
        if report.id is not None:
            root.append(f"  {report.id}", style="dim")
        if self.html:
            root.append("  (lines of the HTML source)", style="dim")
        tree = self.Tree(root, guide_style="dim")
        self.header(tree)
        self.body(tree)
        return tree


def render(report: Report, *, full: bool = False) -> Tree:
    """The report as a ``rich`` tree; ``full`` shows every paragraph, uncut."""
    return _Drawer(report, full=full).tree()


def show(
    report: Report,
    *,
    file: IO[str] | None = None,
    full: bool = False,
    color: bool | None = None,
    width: int | None = None,
) -> None:
    """Print the tree to ``file`` (default stdout). ``color`` None: on a terminal, unless the
    ``NO_COLOR`` variable is set; text is wrapped to ``width`` (default: the terminal's)."""
    from rich.console import Console

    if color is None and os.environ.get("NO_COLOR"):
        color = False  # no-color.org; rich alone would still print bold and dim
    options: dict[str, Any] = {}
    if color is not None:
        options = {"force_terminal": color, "no_color": not color}

    class Quiet(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit with status 1; the command line ends a closed pipe its own way.
            self.quiet = True
            raise BrokenPipeError

    console = Quiet(file=file, highlight=False, markup=False, emoji=False, width=width, **options)
    console.print(render(report, full=full))


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def plural(number: int, noun: str) -> str:
    """``number`` and ``noun``, with an ``s`` unless there is one: ``plural(2, "page")`` is
    ``"2 pages"``. The command line's summaries use it too (``peelparse.cli.common``)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
