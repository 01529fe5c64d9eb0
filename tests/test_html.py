"""The HTML front-end: the same records as the text, furniture dropped, hostile markup safe."""

from __future__ import annotations

import html
import resource
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peelparse
from helpers import HTML, fixture_pages, read_page, url_of
from peelparse import Report
from peelparse.input.html import extract_text, looks_like_html

PAGES = fixture_pages()


def without_positions(report: Report) -> Report:
    """A report with source and diagnostics' positions left out (they differ by design)."""
    return attrs.evolve(report, source=None, diagnostics=(), text=None)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_html_and_text_give_equal_records(page: Path) -> None:
    markup = HTML / f"{page.stem}.html"
    from_text = peelparse.parse(read_page(page), url=url_of(page))
    from_html = peelparse.parse(markup.read_bytes(), url=url_of(page))
    assert without_positions(from_html) == without_positions(from_text)
    assert [d.code for d in from_html.diagnostics] == [d.code for d in from_text.diagnostics]


def _closing(text: str, tags: str) -> str:
    """The closing tags, unless the text was cut off (no final line break): then so is the
    markup, inside its last element."""
    return tags if text.endswith(("\n", "\r")) else ""


def _as_pre(text: str) -> str:
    return f"<html><body><pre>{html.escape(text)}" + _closing(text, "</pre></body></html>")


def _as_br_lines(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markup = "<!DOCTYPE html><body><div>" + "<br>\n".join(map(html.escape, lines))
    return markup + _closing(text, "</div>")


@pytest.mark.parametrize("render", [_as_pre, _as_br_lines])
def test_other_markups_of_the_same_text_give_the_same_records(
    render: Callable[[str], str],
) -> None:
    for page in PAGES:
        text = read_page(page).lstrip("\ufeff")
        if render is _as_br_lines and "\n  1. " in text:
            # After <br> a browser drops the indent that makes "  1. item" a list item.
            continue
        from_text = peelparse.parse(text, url=url_of(page))
        from_html = peelparse.parse(render(text), url=url_of(page))
        assert without_positions(from_html) == without_positions(from_text), page.name


def test_every_text_fixture_has_its_html_twin() -> None:
    assert sorted(p.stem for p in HTML.glob("*.html")) == [p.stem for p in PAGES]


def test_html_positions_point_into_the_html_file() -> None:
    markup = (HTML / "pillar-2016-misplaced-lines.html").read_text("utf-8")
    report = peelparse.parse(markup)
    stray = next(d for d in report.diagnostics if d.code == "stray-grade")
    assert stray.html_line is not None
    assert "Outstanding" in markup.splitlines()[stray.html_line - 1]
    assert "(HTML line" in str(stray)
    question_free = report.summary[0]
    assert question_free.span is not None
    line = report.html_line(question_free.span)
    assert line is not None
    assert "Wiltshire Police is good" in markup.splitlines()[line - 1]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<!DOCTYPE html><p>x", True),
        ("  <!-- saved --><html lang=en>", True),
        ("<body><p>x</p>", True),
        ("Kent PEEL 2017\n\n<b>not a page</b>", False),
        ("Kent PEEL 2017\nHow well does the force use <html> tags?", True),
        ("Kent PEEL 2017", False),
    ],
)
def test_html_detection(head: str, expected: bool) -> None:
    assert looks_like_html(head) is expected


def test_format_can_be_forced() -> None:
    text = "<p>Kent PEEL 2017</p>"
    assert peelparse.parse(text).kind is peelparse.PageKind.UNKNOWN  # read as text
    assert peelparse.parse(text, format="html").id == "peel-2017/kent"
    as_text = peelparse.parse("<html><body><p>Good</p>", format="text")
    assert as_text.title == "<html><body><p>Good</p>"


def test_furniture_the_text_never_shows_is_dropped() -> None:
    markup = """<html><head><title>T</title><style>p{}</style></head><body>
    <noscript>Enable scripts</noscript><template><p>tpl</p></template>
    <nav>Menu</nav><header>Header</header><aside>Related</aside><form>Search</form>
    <div class="govuk-cookie-banner">Cookies</div><div id="consent">Consent</div>
    <p hidden>Hidden</p><p aria-hidden="true">Aria</p><p style="display:none">None</p>
    <main><h1>Kent PEEL 2017</h1><p>Kent Police is good.</p></main>
    <footer>Footer</footer><script>var x = "<p>script</p>";</script></body></html>"""
    extracted = extract_text(markup)
    assert extracted.text == "Kent PEEL 2017\n\nKent Police is good.\n"


def test_layout_of_lists_tables_breaks_definitions_and_divs() -> None:
    markup = """<body><p>Lead:</p><ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>
    <ol><li>one</li><li>two</li></ol><table><tr><th>Pillar</th><td>Grade</td></tr>
    <tr><td>Effectiveness</td><td>Good</td></tr></table><dl><dt>Term</dt><dd>Meaning</dd></dl>
    <div>Loose<div>inner</div>tail<br>next</div><p>Last updated
    <time datetime="2018-03-22">22 March 2018</time></p></body>"""
    assert extract_text(markup).text == (
        "Lead:\n\n  • a\n    • a1\n  • b\n\n  1. one\n  2. two\n\n  • Pillar – Grade\n"
        "  • Effectiveness – Good\n\nTerm\n\nMeaning\n\nLoose\n\ninner\n\ntail\nnext\n\n"
        "Last updated 22/03/2018\n"
    )


def test_bytes_follow_meta_charset_and_fall_back_with_a_diagnostic() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted”</p>'
    report = peelparse.parse(page.encode("cp1252"))
    assert report.title == "Café “quoted”"
    undeclared = peelparse.parse(b"<html><body><p>Caf\xe9 is good.</p></body></html>")
    assert undeclared.title == "Café is good."
    assert [d.code for d in undeclared.diagnostics] == ["encoding-fallback"]
    bom = peelparse.parse("\ufeff<html><body><h1>Kent PEEL 2017</h1>".encode("utf-16-le"))
    assert bom.id == "peel-2017/kent"


# ------------------------------------------------------------------------------ hostile HTML


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_entity_bomb_is_not_expanded() -> None:
    bomb = (
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
        + "]><html><body><p>&i;</p><p>Kent Police is good.</p></body></html>"
    )
    before = _peak_rss_mb()
    report = peelparse.parse(bomb)
    assert _peak_rss_mb() - before < 200
    texts = [b.text for s in report.sections for b in s.blocks if hasattr(b, "text")]
    texts += [b.text for b in report.summary if hasattr(b, "text")]
    assert all(len(t) < 1000 for t in texts)


def test_external_entities_and_dtds_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    markup = (
        f'<!DOCTYPE html SYSTEM "file://{tmp_path}/missing.dtd" [<!ENTITY x SYSTEM '
        f'"file://{secret}">]><html><body><p>&x; Kent Police is good.</p></body></html>'
    )
    report = peelparse.parse(markup)
    assert "TOP SECRET" not in peelparse.to_json(report)
    network = '<!DOCTYPE html SYSTEM "http://192.0.2.1/x.dtd"><html><body><p>ok</p></body></html>'
    assert peelparse.parse(network).title == "ok"


def test_hundred_thousand_nested_elements() -> None:
    markup = "<html><body>" + "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    markup += "<p>After the nest.</p></body></html>"
    report = peelparse.parse(markup)
    assert "html-too-deep" in [d.code for d in report.diagnostics]
    with pytest.raises(peelparse.PeelParseError, match="html-too-deep"):
        peelparse.parse(markup, strict=True)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<html><body><p>One<p>Two<li>Item</body>", "One\n\nTwo\n\n  • Item\n"),
        ("<html><body><ul><li>a</li></li><li>b</ul><p>c</p>", "  • a\n  • b\n\nc\n"),
        ("<html><body><p><b>bold <i>both</b> italic</i></p>", "bold both italic\n"),
        # Cut off inside the last text: no final line break, as for a cut text.
        ("<html><body><div><p>unclosed div", "unclosed div"),
        ("<html><body>&amp;&lt;&nbsp;&#8217;&unknown;", "&< ’&unknown;"),
    ],
)
def test_malformed_markup_is_read_as_browsers_do(markup: str, expected: str) -> None:
    assert extract_text(markup).text == expected


# ------------------------------------------------------------------------------- properties

_TAGS = ["p", "div", "span", "li", "ul", "h2", "b", "table", "tr", "td", "br", "section", "a"]
_WORDS = ["Kent", "PEEL", "2017", "Good", "force", "is", "good", "Areas", "for", "improvement"]


@st.composite
def html_documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Random nested markup and the words of its text nodes."""
    words: list[str] = []
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(_TAGS))
        if choice == 0:
            parts.append(f"<{tag}>")
        elif choice == 1:
            parts.append(f"</{tag}>")
        else:
            word = draw(st.sampled_from(_WORDS))
            words.append(word)
            parts.append(f" {word} ")
    return "".join(parts), words


@settings(max_examples=200, deadline=None)
@given(html_documents())
def test_generated_html_never_raises_and_keeps_every_word(doc: tuple[str, list[str]]) -> None:
    markup, words = doc
    report = peelparse.parse(markup)
    laid_out = extract_text(markup).text
    markers = {"•", "–", *(f"{n}." for n in range(1, 100))}  # bullets, and a row's cell joiner
    assert [w for w in laid_out.split() if w not in markers] == words
    record = peelparse.to_json(report)
    for word in set(words):
        assert word in record or any(d.code for d in report.diagnostics)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_text_as_html_never_raises(text: str) -> None:
    assert isinstance(peelparse.parse(text, format="html"), Report)


def test_judgments_marked_up_as_a_list_are_still_judgments() -> None:
    markup = (
        "<html><body><h1>Kent 2018/19</h1><p>Kent Police was inspected in tranche one and we "
        "found:</p><ul><li>the extent to which the force is effective at reducing crime and "
        "keeping people safe is good.</li><li>the extent to which the force operates "
        "efficiently and sustainably is outstanding.</li><li>the extent to which the force "
        "treats the public and its workforce legitimately requires improvement.</li></ul>"
        "</body></html>"
    )
    report = peelparse.parse(markup)
    assert [(j.pillar.value, j.grade.value) for j in report.judgments] == [  # type: ignore[union-attr]
        ("effectiveness", "good"),
        ("efficiency", "outstanding"),
        ("legitimacy", "requires_improvement"),
    ]
    listing = report.summary[0]
    assert isinstance(listing, peelparse.ListBlock)
    assert report.judgments[1].span == listing.item_spans[1]


def test_an_articles_own_header_is_content_the_sites_is_furniture() -> None:
    markup = (
        "<html><body><header class=site><nav>Home</nav><p>HMICFRS</p></header><main><article>"
        '<header class="entry-header"><h1 class="entry-title">Kent PEEL 2017</h1>'
        "<p>Effectiveness</p></header><p>The force is good.</p>"
        '<footer class="entry-footer"><p>Posted in PEEL</p></footer></article></main>'
        "<footer><p>Crown copyright</p></footer></body></html>"
    )
    report = peelparse.parse(markup)
    assert (report.id, report.title) == ("peel-2017/kent/effectiveness", "Kent PEEL 2017")
    assert [b.text for b in report.summary] == [  # type: ignore[union-attr]
        "The force is good.",
        "Posted in PEEL",
    ]
