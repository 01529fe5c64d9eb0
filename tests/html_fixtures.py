# ruff: noqa: E501  (the page chrome below keeps the long lines a site serves)
"""Write every text fixture again as HTML, marked up the way the inspectorate's site does.

Run ``python tests/html_fixtures.py`` after adding or changing a text fixture; the differential
test then checks that the HTML and the text of each page give equal records. The markup is
built from the text's own layout (blocks, bullets, soft line breaks) and a few line shapes
(title, grade, headings), independently of peelparse, and wraps the page in the site chrome
that a saved text never shows: head, skip link, header navigation, footer links. A text that
does not end with a line break was cut off (so its last line may be unfinished): its HTML is
cut off too, inside its last element, with no closing tags and no footer.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
OUT = FIXTURES / "html"

GRADES = {"good", "outstanding", "requires improvement", "inadequate", "ungraded", "adequate",
          "to be graded", "not being graded", "not graded"}  # fmt: skip
BULLET = re.compile(r"^(\s*)(?:•|-|[0-9]+\.)\s+(.*)$")
DATE = re.compile(r"^Last updated ([0-9]{2})/([0-9]{2})/([0-9]{4})$")
CLOSING_TAGS = re.compile(r"(?:\s*</[a-z0-9]+>)+\s*$")
TITLE = re.compile(r"^[A-Z][A-Za-z -]+ (?:PEEL )?20[0-9]{2}(?:/[0-9]{2})?$")

HEAD = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} - HMICFRS</title>
<link rel="stylesheet" href="/assets/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.visually-hidden {{ position: absolute; }}</style>
</head>
<body class="page">
<div id="cookie-banner" class="cookie-banner"><p>We use cookies to improve this site.</p><button>Accept</button></div>
<header class="site-header"><nav aria-label="Main"><ul><li><a href="/hmicfrs/">Home</a></li><li><a href="/hmicfrs/our-work/">Our work</a></li><li><a href="/hmicfrs/publications/">Publications</a></li></ul></nav>
<form class="search" action="/search"><label>Search<input name="q"></label></form></header>
<main id="main-content">
"""
FOOT = """</main>
<footer class="site-footer"><ul><li><a href="/hmicfrs/accessibility/">Accessibility</a></li><li><a href="/hmicfrs/privacy/">Privacy</a></li><li><a href="/hmicfrs/contact/">Contact us</a></li></ul><p>© Crown copyright</p></footer>
<script src="/assets/site.js"></script>
</body>
</html>
"""


def inline(text: str) -> str:
    """Escape, and mark up a glued "Read more about …" link as the link it was."""
    match = re.match(r"^(Read more about [A-Z][A-Za-z -]*?)([A-Z][a-z]+ .*)$", text)
    if match and not match.group(1).endswith(" "):
        link, rest = match.groups()
        return f'<a href="/hmicfrs/force/">{html.escape(link)}</a>{html.escape(rest)}'
    return html.escape(text)


def block_html(lines: list[str], first: bool) -> str:
    """One block of the text (its lines) as an element."""
    if all(BULLET.match(line) for line in lines):
        items = []
        depth0 = len(BULLET.match(lines[0]).group(1))  # type: ignore[union-attr]
        ordered = lines[0].strip()[0].isdigit()
        for line in lines:
            indent, item = BULLET.match(line).groups()  # type: ignore[union-attr]
            nested = len(indent) > depth0
            body = f"<li>{html.escape(item)}</li>"
            items.append(f"<ul>{body}</ul>" if nested else body)
        tag = "ol" if ordered else "ul"
        joined = "\n".join(items).replace("</li>\n<ul>", "<ul>").replace("</ul>", "</ul></li>")
        return f"<{tag}>\n{joined}\n</{tag}>"
    text = lines[0].strip()
    if len(lines) == 1:
        if text == "Skip to content":
            return '<a class="skip-link" href="#main-content">Skip to content</a>'
        if first and TITLE.match(text):
            return f'<h1 class="page-title">{html.escape(text)}</h1>'
        if text.lower() in GRADES:
            slug = text.lower().replace(" ", "-")
            return f'<div class="grade-badge grade-badge--{slug}"><span>{html.escape(text)}</span></div>'
        date = DATE.match(text)
        if date:
            day, month, year = date.groups()
            return (f'<p class="last-updated">Last updated <time datetime="{year}-{month}-{day}">'
                    f"{day}/{month}/{year}</time></p>")  # fmt: skip
        if len(text) < 70 and not text.endswith((".", ":", ";", ",")) and not first:
            return f"<h2>{html.escape(text)}</h2>"
    if len(lines) == 2 and DATE.match(lines[0].strip()):
        return block_html([lines[0]], first) + "\n" + block_html([lines[1]], first)
    body = "<br>\n".join(inline(line.strip()) for line in lines)
    return f"<p>{body}</p>"


def to_html(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    rows = text.split("\n")
    compact = "\n\n" not in text.strip("\n")
    blocks: list[list[str]] = []
    current: list[str] = []
    for row in rows:
        if not row.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        if compact and current and not (BULLET.match(row) and BULLET.match(current[-1])):
            blocks.append(current)
            current = []
        current.append(row)
    if current:
        blocks.append(current)
    title = next((b[0] for b in blocks if b[0].strip() != "Skip to content"), "Page")
    body = []
    first = True
    for block in blocks:
        body.append(block_html(block, first))
        if block[0].strip() != "Skip to content":
            first = False
    head = HEAD.format(title=html.escape(title.strip()))
    if not text.endswith("\n"):
        # A text without a final line break is cut off there; so is its HTML, mid-element.
        return head + "\n".join([*body[:-1], CLOSING_TAGS.sub("", body[-1])])
    return head + "\n".join(body) + "\n" + FOOT


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for page in sorted(FIXTURES.glob("*.txt")):
        markup = to_html(page.read_bytes().decode("utf-8"))
        (OUT / f"{page.stem}.html").write_text(markup, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
