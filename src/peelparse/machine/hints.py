"""What a page's address says about it: force, cycle, pillar and kind.

The site's paths are ``/peel-2017/kent/``, ``/peel-2017/kent/efficiency/``,
``/peel-2018/kent/efficiency/detailed-findings/`` and ``/peel-reports/kent-2021-22/``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import regex
from attrs import frozen

from ..lex.lexicon import FORCE_BY_SLUG
from ..records import PageKind, Pillar

__all__ = ["UrlHint", "read_url"]

_PILLAR_SLUGS = {p.value: p for p in Pillar}

_PEEL_PATH = regex.compile(
    r"""/peel-(?P<year>20[0-9]{2})/(?P<force>[a-z0-9-]{2,60})
        (?:/(?P<part>effectiveness|efficiency|legitimacy|leadership|other-inspections))?
        (?:/(?P<findings>detailed-findings))?/?$""",
    regex.VERBOSE,
)
_REPORT_PATH = regex.compile(
    r"/peel-(?:reports|assessments?)/(?P<force>[a-z0-9-]{2,60}?)-(?P<year>20[0-9]{2})"
    r"-(?P<end>[0-9]{2}|[0-9]{4})/?$"
)


@frozen(kw_only=True)
class UrlHint:
    """Values read from an address; None where the address does not say."""

    url: str
    kind: PageKind | None = None
    force: str | None = None
    year: int | None = None
    cycle: str | None = None
    pillar: Pillar | None = None


def cycle_name(year: int, end: str | None) -> str:
    """The cycle as pages print it: ``2017``, ``2018/19``, ``2021/22``, ``2023–2025``."""
    if end is None:
        return "2018/19" if year == 2018 else str(year)
    if len(end) == 4:
        return f"{year}–{end}"
    if year >= 2023:
        return f"{year}–20{end}"
    return f"{year}/{end}"


def _force(slug: str) -> str:
    return FORCE_BY_SLUG.get(slug) or " ".join(w.capitalize() for w in slug.split("-"))


def read_url(url: str) -> UrlHint | None:
    """The hint in ``url``, or None when its path is not a PEEL report address."""
    path = urlsplit(url).path.lower() if "://" in url else url.lower()
    match = _PEEL_PATH.search(path)
    if match is not None:
        year = int(match["year"])
        part = match["part"]
        kind = PageKind.OVERVIEW
        if match["findings"]:
            kind = PageKind.FINDINGS
        elif part:
            kind = PageKind.PILLAR
        return UrlHint(
            url=url,
            kind=kind,
            force=_force(match["force"]),
            year=year,
            cycle=cycle_name(year, None),
            pillar=_PILLAR_SLUGS.get(part or ""),
        )
    match = _REPORT_PATH.search(path)
    if match is not None:
        year = int(match["year"])
        return UrlHint(
            url=url,
            kind=PageKind.ASSESSMENT,
            force=_force(match["force"]),
            year=year,
            cycle=cycle_name(year, match["end"]),
        )
    return None
