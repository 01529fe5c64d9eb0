"""What the inspectorate's pages say, as data: forces, headlines, grades, headings, furniture.

Every pattern is compiled once, anchored, free of nested quantifiers and ASCII-explicit where
it reads digits (``[0-9]``, not ``\\d``; a name's letters, as in ``CONTACT``, may be any
script's), so matching time is linear in the line length whatever the input. Texts are matched
after white space has been folded, so patterns use single spaces.

These patterns run once or more per line of every page, so they use the standard library's
``re``, which is two to four times faster per call than ``regex`` on such short anchored
patterns (see docs/performance.md); being linear, they need no time limit. The sentence-level
patterns of ``judgments.py`` run over bounded slices of a paragraph (around a grade word), so
they need none either; ``regex`` serves where Unicode classes matter (``forces.slug``).
"""

from __future__ import annotations

import re

from attrs import frozen

from ..forces import FORCES
from ..records import Grade, Pillar

#: Every spelling of a force a page prints in titles, links and prose: the short names and the
#: official names (the registry is ``peelparse.forces``).
FORCE_SPELLINGS: tuple[str, ...] = tuple(
    sorted(
        {spelling for force in FORCES for spelling in (force.name, *force.official_names)},
        key=len,
        reverse=True,
    )
)
_FORCE_ALTERNATION = "|".join(re.escape(name) for name in FORCE_SPELLINGS)

#: ``<Force> PEEL 2017`` (pillar pages), ``<Force> 2017`` and ``<Force> 2018/19`` (overviews).
#: ``name`` is checked against the registry; a name that is no force is a title only with
#: ``PEEL`` and a name's shape (a few capitalised words).
TITLE = re.compile(
    r"(?P<name>[^ ].{0,50}?)[ ](?P<peel>PEEL[ ])?(?P<year>20[0-9]{2})(?:/(?P<end>[0-9]{2}))?"
)
UNKNOWN_FORCE_NAME = re.compile(r"[A-Z][A-Za-z'’.&-]*(?:[ ][A-Za-z'’.&-]+){0,5}")

PILLAR_LINES: dict[str, Pillar | None] = {
    "effectiveness": Pillar.EFFECTIVENESS,
    "efficiency": Pillar.EFFICIENCY,
    "legitimacy": Pillar.LEGITIMACY,
    "leadership": Pillar.LEADERSHIP,
    "other inspections": None,
}

#: The stock headline questions (page headers and overview pillar blocks), by cycle.
HEADLINES: dict[str, Pillar | None] = {
    "How well the force tackles crime": Pillar.EFFECTIVENESS,
    "How well the force delivers value for money": Pillar.EFFICIENCY,
    "Does the force act with integrity and provide a service the public expects?": (
        Pillar.LEGITIMACY
    ),
    "How effective is the force at keeping people safe and reducing crime?": (Pillar.EFFECTIVENESS),
    "How efficient is the force at keeping people safe and reducing crime?": Pillar.EFFICIENCY,
    "How legitimate is the force at keeping people safe and reducing crime?": Pillar.LEGITIMACY,
    "How effectively does the force reduce crime and keep people safe?": Pillar.EFFECTIVENESS,
    "How efficiently does the force operate and how sustainable are its services to the "
    "public?": Pillar.EFFICIENCY,
    "How legitimately does the force treat the public and its workforce?": Pillar.LEGITIMACY,
    "How well has the force performed in our other inspections?": None,
}
HEADLINES_FOLDED: dict[str, Pillar | None] = {k.casefold(): v for k, v in HEADLINES.items()}

GRADES: dict[str, Grade] = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "adequate": Grade.ADEQUATE,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
    "ungraded": Grade.UNGRADED,
    "not graded": Grade.UNGRADED,
    "not being graded": Grade.UNGRADED,
    "to be graded": Grade.NOT_YET_GRADED,
    "not yet graded": Grade.NOT_YET_GRADED,
}

#: 2021+ report headings and observation headings, folded to lower case.
SECTION_HEADINGS: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "Overall summary",
        "Our judgments",
        "Important changes to PEEL",
        "PEEL 2023–2025",
        "PEEL 2023-2025",
        "Terminology in this report",
        "The operating context for Welsh forces",
        "HM Inspector’s observations",
        "HM Inspector's observations",
        "HM Inspector’s summary",
        "HM Inspector's summary",
    )
)

OBSERVATIONS = frozenset(("hmi's observations", "hmi’s observations"))

#: Site furniture quoted exactly (folded to lower case), from the page-format catalogue.
FURNITURE_LINES: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "Skip to content",
        "English Cymraeg",
        "Promoting improvements",
        "in policing and fire & rescue",
        "services to make everyone safer",
        "Proposed policing inspection programme and framework 2025–29: For consultation",
        "We would like your views on whether this programme covers the the right themes and "
        "areas of policing.",
        "Proposed fire and rescue services inspection programme and framework 2025–27: For "
        "consultation",
        "We would like your views on whether this programme covers the right areas of FRSs’ "
        "activities.",
        "HMICFRS is consulting on our proposed policing and fire & rescue services inspection "
        "programmes",
        "Please give us your views on these programmes by 5pm on Monday 19 February 2018.",
        "HMIC is consulting on its proposed inspection programme for 2017/18",
        "Please give us your views by 5pm on Friday 24 February 2017.",
        "Planned website downtime",
        "The HMICFRS website will be unavailable for a short time from 11am on Thursday 18 "
        "April while we carry out essential maintenance. We apologise for any inconvenience "
        "this may cause.",
        "Help us improve our reports",
        "Please fill in this survey about our PEEL inspection reports by 5pm on 25 October 2019.",
        "Os hoffech chi ddarllen hwn trwy’r Gymraeg (PDF document)",
        "Os hoffech chi ddarllen hwn trwy'r Gymraeg (PDF document)",
        "Read the transcript of the video",
        "Download the full report",
        "Get the report",
        "Zoe Billingham",
    )
)

#: Furniture by shape: link lines whose wording varies with the name or number.
FURNITURE_PATTERN = re.compile(
    r"""
      Contact[ ](?:HMICFRS|.{1,60}?[ ]\(e-mail[ ]address\))
    | Read[ ]more[ ]about[ ]my[ ]assessment[ ]of[ ].*
    | View[ ]the[ ]five[ ]questions[ ]for[ ](?:effectiveness|efficiency|legitimacy|leadership)
    | Detailed[ ]findings[ ]for[ ]question[ ][0-9]{1,2}
    """,
    re.VERBOSE | re.IGNORECASE,
)
#: "Read the full report for <Full force name>": a link only when it names a force.
READ_FULL_REPORT = re.compile(r"Read the full report for (?P<name>.{2,60})", re.IGNORECASE)

#: Lines that are furniture on report pages and content elsewhere: "Contact <Name>" (furniture
#: right under the inspector's signature) and the report's link title (furniture on overview
#: pages, the title of a publication page).
CONTACT = re.compile(r"Contact[ ](?-i:[A-Z][\w’'.-]*(?:[ ][A-Z][\w’'.-]*){0,3})", re.IGNORECASE)
_LINK_TITLE = (
    r"PEEL:[ ]Police[ ]effectiveness,[ ]efficiency[ ]and[ ]legitimacy[ ]"
    r"20[0-9]{2}/[0-9]{2}[ ][–-][ ]"
)
LINK_TITLE = re.compile(_LINK_TITLE + ".*", re.IGNORECASE)

#: "Read more about <Force>" or "… <Force> 2016", alone or glued to the next paragraph.
#: ``name`` must be a force's spelling (the registry decides).
READ_MORE = re.compile(r"Read more about (?P<name>.{2,60}?)(?: 20[0-9]{2}(?:/[0-9]{2})?)?")
#: Where a glued link ends: its last letter or digit right before the paragraph's capital.
GLUE = re.compile(r"[a-z0-9)](?=[A-Z])")

PUBLISHED = re.compile(r"Published(?: on)?: [0-9]{1,2} [A-Z][a-z]+ [0-9]{4}", re.IGNORECASE)

LAST_UPDATED = re.compile(
    r"""Last[ ]updated:?
        (?:[ ](?P<day>[0-9]{1,2})(?:/(?P<month>[0-9]{1,2})(?:/(?P<year>[0-9]{1,4}))?)?/?)?""",
    re.VERBOSE | re.IGNORECASE,
)

QUESTIONS_FOR = re.compile(r"Questions for(?: (?P<rest>.*))?", re.IGNORECASE)

NUMBER = re.compile(r"[0-9]{1,2}")

#: A question line: starts like a question, ends with "?". Bounded to one screenful.
QUESTION = re.compile(
    r"(?:How|To what extent|Does|Do|What|Is|Are|Has|Have|Why|Which|Can|Where|When|Who)"
    r"\b[^\n]{0,400}\?"
)
#: The opening words of a question, for a last line cut off before its "?".
#: How inspection questions open; prose rarely does ("What …" and "Does …" often do).
QUESTION_START = re.compile(r"(?:How|To what extent)\b")

#: The numbered questions of the pillar pages of 2016 to 2018/19, by cycle and pillar, for a
#: graded question whose printed number was lost (it was an image; docs/grades.md).
NUMBERED_QUESTIONS: dict[tuple[str, Pillar], tuple[str, ...]] = {
    **{
        (cycle, Pillar.EFFECTIVENESS): (
            "How effective is the force at preventing crime, tackling anti-social behaviour "
            "and keeping people safe?",
            "How effective is the force at investigating crime and reducing re-offending?",
            "How effective is the force at protecting those who are vulnerable from harm, "
            "and supporting victims?",
            "How effective is the force at tackling serious and organised crime?",
            "How effective are the force’s specialist capabilities?",
        )
        for cycle in ("2016", "2017", "2018/19")
    },
    ("2016", Pillar.EFFICIENCY): (
        "How well does the force understand the current and likely future demand?",
        "How well does the force use its resources to manage current demand?",
    ),
    ("2017", Pillar.EFFICIENCY): ("How well does the force understand demand?",),
    ("2018/19", Pillar.EFFICIENCY): (
        "How well does the force use its resources to meet the demand it faces?",
        "How well does the force plan for the future?",
    ),
    **{
        (cycle, Pillar.LEGITIMACY): (
            "To what extent does the force treat all of the people it serves with fairness "
            "and respect?",
            "How well does the force ensure that its workforce behaves ethically and lawfully?",
        )
        for cycle in ("2016", "2017", "2018/19")
    },
}

#: The stock inspection questions of every cycle, for a last line cut off before its "?": a
#: prefix of one of these is a question.
STOCK_QUESTIONS: tuple[str, ...] = (
    "How effective is the force at reducing crime and preventing offending?",
    "How effective is the force at investigating offending?",
    "How effective is the force at tackling anti-social behaviour?",
    "To what extent is the force efficient?",
    "To what extent is the force taking steps to ensure a secure financial position for the "
    "short and long term?",
    "To what extent has the force got an affordable way of providing policing?",
    "To what extent does the force ensure that the workforce acts with integrity?",
    "What are the public perceptions of the force?",
    "How effective is the force at preventing crime and anti-social behaviour, and keeping "
    "people safe?",
    "How effective is the force at investigating crime and managing offenders?",
    "How well does the force use its resources to meet its demand?",
    "How sustainable and affordable is the workforce model?",
    "To what extent does practice and behaviour reinforce the wellbeing of staff and an "
    "ethical culture?",
    "To what extent are forces recording crimes in accordance with the Home Office Counting Rules?",
    "How well does the force understand, engage with and treat fairly the people it serves to "
    "maintain and improve its legitimacy?",
    "How well does the force have a clear understanding of the current state of its "
    "leadership at every level?",
    *dict.fromkeys(text for texts in NUMBERED_QUESTIONS.values() for text in texts),
    "How well does the force understand leadership?",
    *HEADLINES,
)

AREAS_FOR_IMPROVEMENT = frozenset(("areas for improvement", "area for improvement"))
CAUSE_OF_CONCERN = frozenset(("cause of concern", "causes of concern"))
RECOMMENDATIONS = frozenset(("recommendations", "recommendation"))

#: "<Name>, Her Majesty’s Inspector of Constabulary" and its variants.
INSPECTOR = re.compile(
    r"(?P<name>[^,]{2,80}), (?P<role>(?:Her|His) Majesty[’']s (?:Chief )?Inspector of "
    r"[A-Za-z&’', ]{3,120}?)\.?"
)

#: A bullet: "  • item", "- item", "    • nested", "  1. item" (on the raw line).
BULLET = re.compile(r"(?P<indent>[ \t\u00a0]*)(?:[•●▪◦‣∙·*-]|[0-9]{1,3}[.)])[ \t\u00a0]+")

#: A line longer than this is never heading-shaped, nor one of more words.
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
#: A sub-heading candidate: short, starts with a capital, no final punctuation.
HEADING = re.compile(rf"[A-Z][^.:;,!?]{{0,{HEADING_MAX_CHARS - 2}}}[A-Za-z0-9)’'\"]")


def heading_shaped(text: str) -> bool:
    """A short line (``text``, folded, not empty) that starts with a capital and ends without
    punctuation: the cheap tests that a sub-heading passes before ``HEADING``."""
    return (
        len(text) <= HEADING_MAX_CHARS
        and text[-1] not in ".:;,!?"
        and text[0].isupper()
        and text.count(" ") < HEADING_MAX_WORDS
    )


#: Marks a detailed-findings page.
FINDINGS_MARKER = "We set out our detailed findings below"

#: A paragraph that starts the recommendations when the "Recommendations" heading is missing.
RECOMMENDATION_LEAD_IN = re.compile(r"To address (?:this|these) causes? of concern", re.IGNORECASE)

#: Every prefix (four characters or more) of a stock question, for a last line cut off before
#: its "?": one set lookup instead of forty comparisons.
STOCK_QUESTION_PREFIXES: frozenset[str] = frozenset(
    question[:length] for question in STOCK_QUESTIONS for length in range(4, len(question) + 1)
)

# ------------------------------------------------------------------------ what kind of page


@frozen
class Marker:
    """A line that says what kind of page this is.

    ``literal`` is searched for first (a fast substring search); ``pattern``, when given, must
    then match from the start of the literal's line, so a page costs a few substring searches
    however long it is, and a marker never matches in the middle of other text.
    """

    literal: str
    pattern: re.Pattern[str] | None = None

    def find(self, text: str) -> int | None:
        """The offset where the first line carrying the marker starts, or None.

        Each line is looked at once, however often the literal occurs in it, and every search
        runs forward from the last line looked at, so a page costs one pass whatever it holds.
        """
        literal, pattern = self.literal, self.pattern
        since = 0  # the start of the first line not yet looked at
        at = text.find(literal)
        while at >= 0:
            line = max(text.rfind("\n", since, at), text.rfind("\r", since, at), since - 1) + 1
            if pattern is None or pattern.match(text, line):
                return line
            end = _BREAK.search(text, at)
            if end is None:
                return None
            since = end.end()
            at = text.find(literal, since)
        return None


_BREAK = re.compile(r"[\r\n]")


def _line(words: str) -> Marker:
    """A marker that is a whole line."""
    return Marker(words, re.compile(r"[ \t]*" + re.escape(words) + _EOL))


def _starting(literal: str, pattern: str, flags: int = 0) -> Marker:
    """A marker whose line starts with ``pattern``."""
    return Marker(literal, re.compile(r"[ \t]*" + pattern, flags))


def first_marker(markers: tuple[Marker, ...], text: str) -> int | None:
    """Where the first line carrying any of ``markers`` starts."""
    found = [at for marker in markers if (at := marker.find(text)) is not None]
    return min(found) if found else None


_SIGNATURE = r"[^,\r\n]{2,80},[ ](?:Her|His)[ ]Majesty[’']s[ ]Inspector[ ]of[ ]"
#: The end of a line: trailing white space, then a line break or the end of the page.
_EOL = r"[ \t]*(?:[\r\n]|$)"

#: Lines that say a page is a 2021+ force assessment.
ASSESSMENT_MARKERS = tuple(
    _line(h)
    for h in ("Overall summary", "Our judgments", "Important changes to PEEL", "PEEL 2023–2025",
              "PEEL 2023-2025")
)  # fmt: skip
#: Lines that say a page without a title is a force's overview.
OVERVIEW_MARKERS = (
    _starting("observations", r"HMI['’]s observations"),
    _starting("Inspector of Constabulary", _SIGNATURE + "Constabulary"),
    _starting("Read more about ", "Read more about "),
    _starting("xtent to which", "the extent to which", re.IGNORECASE),
    _starting("his is ", r"this is (?:the first peel|hmic)", re.IGNORECASE),
    _starting("vailable evidence indicates", "the available evidence indicates", re.IGNORECASE),
    _line("To be graded"),
)
#: Lines that are evidence of a pillar page without a title.
PILLAR_MARKERS = (
    _starting("Questions for", "Questions for"),
    _starting(
        "force",
        r"(?:How|To what extent)\b[^\r\n]{0,300}\bforce\b[^\r\n]{0,300}\?[ \t]*(?:[\r\n]|$)",
    ),
)
#: Each stock headline as a whole line: two different ones make an overview.
HEADLINE_MARKERS = tuple(_line(headline) for headline in HEADLINES)
#: The "Other inspections" line that opens an other-inspections page.
OTHER_INSPECTIONS = _line("Other inspections")

#: Lines that only pages that are not police reports print, by family (docs/page-formats.md,
#: "Pages that are not reports").
NOT_A_REPORT_MARKERS: dict[str, tuple[Marker, ...]] = {
    "fire_and_rescue": (
        Marker("first annual assessment of fire and rescue services"),
        _starting("Inspector of Fire", _SIGNATURE + r"Fire (?:and|&) Rescue Services\.?" + _EOL),
        Marker("How effective is the fire and rescue service at"),
        _starting("xtent to which the service", r"the extent to which the service\b", re.I),
        _line("HM Inspector's summary"),  # with an ASCII apostrophe: police pages print ’
    ),
    "grade_overview": (
        Marker("This is an overview of the grades forces"),
        _line("An accessible grades table is also available"),
        _line("Group by region"),
        _line("Accessible Table"),
    ),
    "explainer": (
        _starting(" questions", r"PEEL 20[0-9]{2} questions" + _EOL),
        _starting("Definition: a", "Definition: an? "),
        _line("Headline question"),
        _starting("Core question", r"Core question\b"),
    ),
    "force_landing_page": (
        Marker(" is HMI for "),
        Marker(" HMICFRS policing region"),
        _starting("Key facts", "Key facts [–-] "),
        Marker("we carried out a PEEL inspection of"),
    ),
    "news": (
        _starting(" said:", r"[^\r\n]*?HM Inspector of Constabulary [^\r\n]{1,80}? said:"),
        Marker("HMICFRS judged that"),
        Marker("orce press releases"),
    ),
    "publication": (
        _line("Letter information"),
        _starting("Sent on:", "Sent on:"),
    ),
}  # fmt: skip
#: Lines that only pages that are not police reports print as their first line.
NOT_A_REPORT_TITLES = re.compile(
    r"""
      (?P<fire_and_rescue>\b(?:[Ff]ire[ ](?:and|&)[ ][Rr]escue|FRS)\b
          |^Service[ ]Assessment[ ]Data[ ]Table\b)
    | (?P<explainer>^(?:[0-9]{4}[ ]PEEL[ ]assessment|What[ ]is[ ]PEEL\?|How[ ]we[ ]inspect[ ]PEEL
          |PEEL[ ]assessments[ ]20[0-9]{2}/[0-9]{2}|National[ ]PEEL[ ]reports|Cause[ ]of[ ]concern
          |More[ ]about[ ]this[ ]area)$)
    | (?P<force_landing_page>[ ]PEEL[ ]Assessments[ ]20[0-9]{2}/20[0-9]{2}$)
    | (?P<publication>^(?:State[ ]of[ ]Policing\b|PEEL[ ]spotlight[ ]report\b
          |PEEL[ ]20[0-9]{2}/[0-9]{2}[ ][–-][ ]An[ ]inspection[ ]of[ ]
          |"""
    + _LINK_TITLE
    + r""")
        |:[ ]PEEL[ ]Cause[ ]of[ ]concern[ ]revisit[ ]letter)
    | (?P<news>\b[Ff]orce[ ]press[ ]releases\b)
    | (?P<grade_overview>^This[ ]is[ ]an[ ]overview[ ]of[ ]the[ ]grades[ ]forces\b)
    """,
    re.VERBOSE,
)
#: A title naming a police force by its full name alone ("Durham Constabulary"): a landing page.
FULL_FORCE_NAME = re.compile(r".{2,50}[ ](?:Police|Constabulary|Police Service)")
#: A force's official name ("Cleveland Police") anywhere in a line: non-report pages name
#: forces so ("<Full force name> needs to improve in some areas"); report titles do not.
OFFICIAL_NAME_IN_LINE = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(name)
        for name in sorted({n for force in FORCES for n in force.official_names}, key=len)[::-1]
    )
    + r")\b"
)
#: The longest news headline: longer first lines are prose.
HEADLINE_MAX = 150

#: A PEEL cycle named in a page's first line ("2017 PEEL assessment", "PEEL 2021/22 – …").
PEEL_CYCLE = re.compile(r"\b(?P<year>20[0-9]{2})(?:[/–-](?P<end>[0-9]{2}(?:[0-9]{2})?))?\b")
#: A police force named anywhere in a line, not followed by a fire and rescue service's words.
FORCE_IN_TEXT = re.compile(
    rf"\b(?P<name>{_FORCE_ALTERNATION})\b(?![ ](?:[Ff]ire\b|FRS\b|and[ ][Rr]escue\b))"
)
