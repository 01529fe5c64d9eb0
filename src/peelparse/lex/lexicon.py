"""What the inspectorate's pages say, as data: forces, headlines, grades, headings, furniture.

Every pattern is compiled once, anchored, ASCII-explicit (``[0-9]``, not ``\\d``) and free of
nested quantifiers, so matching time is linear in the line length whatever the input. Texts are
matched after white space has been folded, so patterns use single spaces.

These line patterns run once or more per line of every page, so they use the standard library's
``re``, which is two to four times faster per call than ``regex`` on such short anchored
patterns (see docs/performance.md); being linear, they need no time limit. The sentence-level
patterns, which run over whole paragraphs of any length, use ``regex`` with a timeout
(``judgments.py``).
"""

from __future__ import annotations

import re

from ..records import Grade, Pillar

#: The 43 territorial forces of England and Wales, spelled as page titles print them.
FORCES: tuple[str, ...] = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham",
    "Dyfed-Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire",
    "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire",
    "Merseyside", "Metropolitan", "Norfolk", "North Wales", "North Yorkshire",
    "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire",
    "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
)  # fmt: skip


_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """Force slug as the record ids use it: lower case, non-alphanumeric runs become ``-``."""
    return _NON_ALPHANUMERIC.sub("-", name.lower()).strip("-")


FORCE_BY_SLUG: dict[str, str] = {slug(name): name for name in FORCES}
# Slugs the site uses in addresses besides the plain ones.
FORCE_BY_SLUG.update(
    {
        "metropolitan-police-service": "Metropolitan",
        "hampshire-and-isle-of-wight": "Hampshire",
        "city-of-london-police": "City of London",
    }
)

_FORCE_ALTERNATION = "|".join(re.escape(name) for name in sorted(FORCES, key=len, reverse=True))

#: ``<Force> PEEL 2017`` (pillar pages), ``<Force> 2017`` and ``<Force> 2018/19`` (overviews).
#: A force missing from the list is accepted only with the ``PEEL`` keyword.
TITLE = re.compile(
    rf"""
    (?:
        (?P<force>{_FORCE_ALTERNATION})
      | (?P<other_force>[A-Z][A-Za-z'’.-]*(?:[ ][A-Za-z'’.-]+){{0,5}}?)(?=[ ]PEEL[ ])
    )
    [ ](?P<peel>PEEL[ ])?
    (?P<year>20[0-9]{{2}})(?:/(?P<end>[0-9]{{2}}))?
    """,
    re.VERBOSE,
)

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
#: The headings that say a page is a 2021+ force assessment.
ASSESSMENT_HEADINGS: frozenset[str] = frozenset(
    s.casefold()
    for s in ("Overall summary", "Our judgments", "Important changes to PEEL", "PEEL 2023–2025")
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

#: Furniture by shape: link lines whose wording varies with the force, name or number.
FURNITURE_PATTERN = re.compile(
    r"""
      Contact[ ](?-i:HMICFRS|[A-Z][\w’'.-]*(?:[ ][A-Z][\w’'.-]*){0,3})(?:[ ]\(e-mail[ ]address\))?
    | Read[ ]more[ ]about[ ]my[ ]assessment[ ]of[ ].*
    | Read[ ]the[ ]full[ ]report[ ]for[ ].*
    | View[ ]the[ ]five[ ]questions[ ]for[ ](?:effectiveness|efficiency|legitimacy|leadership)
    | Detailed[ ]findings[ ]for[ ]question[ ][0-9]{1,2}
    | PEEL:[ ]Police[ ]effectiveness,[ ]efficiency[ ]and[ ]legitimacy[ ]20[0-9]{2}/[0-9]{2}
      [ ][–-][ ].*
    """,
    re.VERBOSE | re.IGNORECASE,
)

#: "Read more about <Force>" or "… <Force> 2016", alone or glued to the next paragraph.
READ_MORE = re.compile(
    rf"Read more about (?:{_FORCE_ALTERNATION})(?: 20[0-9]{{2}}(?:/[0-9]{{2}})?)?"
)

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

#: The stock inspection questions of every cycle (page-formats catalogue §9.4), for a last
#: line cut off before its "?": a prefix of one of these is a question.
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
    "How effective is the force at preventing crime, tackling anti-social behaviour and "
    "keeping people safe?",
    "How effective is the force at investigating crime and reducing re-offending?",
    "How effective is the force at protecting those who are vulnerable from harm, and "
    "supporting victims?",
    "How effective is the force at tackling serious and organised crime?",
    "How effective are the force’s specialist capabilities?",
    "How well does the force understand the current and likely future demand?",
    "How well does the force use its resources to manage current demand?",
    "How well does the force understand demand?",
    "How well does the force use its resources to meet the demand it faces?",
    "How well does the force plan for the future?",
    "To what extent does the force treat all of the people it serves with fairness and respect?",
    "How well does the force ensure that its workforce behaves ethically and lawfully?",
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

#: A sub-heading candidate: short, starts with a capital, no final punctuation.
HEADING = re.compile(r"[A-Z][^.:;,!?]{0,78}[A-Za-z0-9)’'\"]")
HEADING_MAX_WORDS = 12

#: Marks a detailed-findings page.
FINDINGS_MARKER = "We set out our detailed findings below"

#: A paragraph that starts the recommendations when the "Recommendations" heading is missing.
RECOMMENDATION_LEAD_IN = re.compile(r"To address (?:this|these) causes? of concern", re.IGNORECASE)
