"""What a page's address says about it: force, cycle, pillar and kind, or that it is no report.

Report paths are ``/peel-2017/kent/``, ``/peel-2017/kent/efficiency/``,
``/peel-2018/kent/efficiency/detailed-findings/``, ``/peel-2015/kent/other-inspections/`` and
``/peel-reports/kent-2021-22/``; the force must be one of the 43 for the address to count as a
report's. Addresses of the site's other pages (fire and rescue, news, publications, explainers,
force profiles) say the page is not a report. Any other address says nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from attrs import frozen

from ..forces import Force, lookup
from ..records import PageKind, Pillar

__all__ = ["UrlHint", "cycle_name", "read_url"]

_PILLAR_SLUGS = {p.value: p for p in Pillar}

_PEEL_PATH = re.compile(
    r"""/peel-(?P<year>20[0-9]{2})/(?P<force>[a-z0-9-]{2,60})
        (?:/(?P<part>effectiveness|efficiency|legitimacy|leadership|other-inspections))?
        (?:/(?P<findings>detailed-findings))?/?$""",
    re.VERBOSE,
)
_REPORT_PATH = re.compile(
    r"/peel-(?:reports|assessments?)/(?P<force>[a-z0-9-]{2,60}?)-(?P<year>20[0-9]{2})"
    r"-(?P<end>[0-9]{2}|[0-9]{4})/?$"
)
#: Path segments of the site's pages that are not police reports, and what they are.
_NOT_REPORTS: dict[str, str] = {
    "fire": "a fire and rescue address",
    "news": "a news address",
    "news-feed": "a news address",
    "publication": "a publications address",
    "publications": "a publications address",
    "glossary": "an explainer's address",
    "what-is-peel": "an explainer's address",
    "how-we-inspect": "an explainer's address",
    "national-peel-reports": "an explainer's address",
    "police-force": "a force profile's address",
    "police-forces": "a force profile's address",
}
#: A longer address is no page's: read no further than this.
_MAX_URL = 2_000


def _not_a_report(path: str) -> str | None:
    """What the address of a page that is no report says it is, from its path's segments."""
    for segment in path.split("/"):
        if segment.startswith("frs") or "fire-and-rescue" in segment:
            return _NOT_REPORTS["fire"]
        if segment in _NOT_REPORTS:
            return _NOT_REPORTS[segment]
    return None


@frozen(kw_only=True)
class UrlHint:
    """Values read from an address; ``kind`` UNKNOWN with ``note`` for a non-report address."""

    url: str
    kind: PageKind
    note: str | None = None
    force: Force | None = None
    year: int | None = None
    cycle: str | None = None
    pillar: Pillar | None = None
    other_inspections: bool = False
    #: A fire and rescue service's address (filed under a county's name, not a police force's).
    fire_and_rescue: bool = False

    @property
    def is_report(self) -> bool:
        return self.kind is not PageKind.UNKNOWN


def cycle_name(year: int, end: str | None) -> str:
    """The cycle's canonical ASCII name: ``2017``, ``2018/19``, ``2021/22``, ``2023/25``."""
    if end is None:
        return f"{year}/{(year + 1) % 100:02d}" if year >= 2018 else str(year)
    return f"{year}/{end[-2:]}"


def _path(url: str) -> str | None:
    if len(url) > _MAX_URL:
        return None
    try:
        path = urlsplit(url).path if "://" in url else url
    except ValueError:
        return None
    return path.lower()


def read_url(url: str) -> UrlHint | None:
    """The hint in ``url``; None when the address says nothing peelparse knows (never raises)."""
    path = _path(url)
    if path is None:
        return None
    match = _PEEL_PATH.search(path)
    if match is not None and (force := lookup(match["force"])) is not None:
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
            force=force,
            year=year,
            cycle=cycle_name(year, None),
            pillar=_PILLAR_SLUGS.get(part or ""),
            other_inspections=part == "other-inspections",
        )
    match = _REPORT_PATH.search(path)
    if match is not None and (force := lookup(match["force"])) is not None:
        year = int(match["year"])
        return UrlHint(
            url=url,
            kind=PageKind.ASSESSMENT,
            force=force,
            year=year,
            cycle=cycle_name(year, match["end"]),
        )
    note = _not_a_report(path)
    if note is None:
        return None
    fire = note == _NOT_REPORTS["fire"]
    return UrlHint(url=url, kind=PageKind.UNKNOWN, note=note, fire_and_rescue=fire)
