"""Hypothesis strategies: page-shaped text built from the catalogue's line grammar, and
mutations of the fixture pages."""

from __future__ import annotations

from hypothesis import strategies as st

from helpers import fixture_pages, read_page

FURNITURE = [
    "Skip to content",
    "Os hoffech chi ddarllen hwn trwy’r Gymraeg (PDF document)",
    "Read the transcript of the video",
    "Download the full report",
    "Detailed findings for question 2",
    "View the five questions for effectiveness",
    "Contact HMICFRS",
    "Planned website downtime",
]

_FORCES = ["Kent", "Avon and Somerset", "Dyfed-Powys", "City of London", "Metropolitan"]
_WORDS = ["force", "the", "good", "crime", "public", "officers", "victims", "is", "safe"]

sentence = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(
    lambda words: " ".join(words).capitalize() + "."
)

page_line = st.one_of(
    st.builds(lambda f, y: f"{f} PEEL {y}", st.sampled_from(_FORCES), st.integers(2014, 2018)),
    st.builds(lambda f, y: f"{f} {y}", st.sampled_from(_FORCES), st.sampled_from(
        ["2014", "2016", "2018/19"])),
    st.sampled_from(["Effectiveness", "Efficiency", "Legitimacy", "Other inspections",
                     "Leadership"]),
    st.sampled_from([
        "How effective is the force at keeping people safe and reducing crime?",
        "How efficiently does the force operate and how sustainable are its services to the "
        "public?",
        "How well the force tackles crime",
        "How well does the force plan for the future?",
        "To what extent is the force efficient?",
    ]),
    st.sampled_from(["Last updated 22/03/2018", "Last updated 31/02/2018", "Last updated"]),
    st.sampled_from(["Good", "Requires improvement", "To be graded", "Ungraded", "Outstanding"]),
    st.sampled_from(["Questions for Effectiveness", "1", "3", "Areas for improvement",
                     "Cause of concern", "Recommendations", "HMI's observations",
                     "Overall summary", "Our judgments", "HM Inspector’s summary"]),
    st.sampled_from([
        "Zoë Billingham, Her Majesty’s Inspector of Constabulary",
        "The extent to which the force is effective at keeping people safe and reducing crime "
        "is good.",
        "the extent to which the force operates efficiently and sustainably is: good.",
        "To address this cause of concern, we recommend that the force should:",
        "We set out our detailed findings below. These are the basis for our judgment.",
        "Read more about KentThis is HMICFRS’s fifth PEEL assessment.",
        "Published on: 2 May 2019",
    ]),
    st.sampled_from(FURNITURE),
    sentence,
    sentence.map(lambda s: s[:-1] + ":"),
    sentence.map(lambda s: "  • " + s),
    sentence.map(lambda s: "- " + s),
    st.sampled_from(["Assessing current demand", "Further insights on effectiveness"]),
    st.sampled_from(["", " ", "\u00a0", "\t"]),
)  # fmt: skip

separator = st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n", "\r"])


@st.composite
def pages(draw: st.DrawFn) -> str:
    """A page from the line grammar, in either rendering, possibly cut mid-line."""
    lines = draw(st.lists(page_line, max_size=40))
    joiner = draw(separator)
    text = joiner.join(lines)
    if text and draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


FIXTURE_TEXTS = [read_page(p) for p in fixture_pages()]


def flip_rendering(text: str) -> str:
    """The other rendering of a page: blank-line to compact (no blank lines, "- " bullets) or
    compact to blank-line (a blank line between blocks, "  • " bullets)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "\n\n" in text.strip("\n"):
        return "\n".join(
            "- " + line.strip()[2:] if line.strip().startswith("• ") else line
            for line in lines
            if line.strip()
        )
    return "\n\n".join("  • " + line[2:] if line.startswith("- ") else line for line in lines)


@st.composite
def mutated_fixtures(draw: st.DrawFn) -> str:
    """A fixture page with lines deleted, duplicated, swapped, truncated or injected, or in the
    other rendering."""
    text = draw(st.sampled_from(FIXTURE_TEXTS))
    if draw(st.booleans()):
        text = flip_rendering(text)
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "inject"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "truncate":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        else:
            lines.insert(at, draw(page_line))
    return "\n".join(lines)
