"""The actions and guards the family tables are written in.

An action reads one token into the walk; a guard answers a question about the walk and the
token. Neither changes the state (the tables do that) nor asks what kind of page this is (the
table was chosen for the page before the walk began).
"""

from __future__ import annotations

from ..diagnostics import Code
from ..input.source import Span
from ..lex import lexicon as lx
from ..lex.tokens import Token, TokenKind
from ..records import Inspector
from .walk import PillarDraft, SectionDraft, Walk

K = TokenKind
# Read once: in Python 3.11 reading an enum member through its class runs the enum metaclass's
# ``__getattr__`` hook.
_LAST_UPDATED = K.LAST_UPDATED

# ---------------------------------------------------------------------------------- prose


def text(walk: Walk, token: Token) -> None:
    walk.prose.text(token)


def bullet(walk: Walk, token: Token) -> None:
    walk.prose.bullet(token)


def line(walk: Walk, token: Token) -> None:
    """A line that is a paragraph of its own (a date, a grade), whatever stands next to it."""
    walk.prose.close()
    walk.prose.text(token)
    walk.prose.close()


def heading(walk: Walk, token: Token) -> None:
    """A sub-heading, unless it is a short line of a paragraph (a soft line break)."""
    if walk.glued_to_previous(token) or walk.glued_to_next(token):
        walk.prose.text(token)
    else:
        walk.prose.heading(token)


def heading_block(walk: Walk, token: Token) -> None:
    """A structural line where its structure does not apply: kept as a heading."""
    walk.prose.heading(token)


def open_section(walk: Walk, token: Token) -> None:
    walk.sections.append(SectionDraft(walk, token))
    walk.prose = walk.sections[-1].blocks


def heading_shaped(walk: Walk, token: Token) -> bool:
    """A short line that starts with a capital and ends without punctuation."""
    return lx.heading_shaped(token.text)


#: Lines shaped like headings (with heading-shaped text): a section's heading when they stand
#: alone on a page that is no report, else text.
SHORT_LINES = frozenset((K.HEADING, K.CONTACT, K.SECTION, K.OBSERVATIONS,
                         K.AREAS_FOR_IMPROVEMENT, K.CAUSE_OF_CONCERN, K.RECOMMENDATIONS,
                         K.PILLAR, K.QUESTIONS_FOR))  # fmt: skip


def stands_alone(walk: Walk, token: Token) -> bool:
    """A blank line (or the page's edge) above and below. The compact rendering has no blank
    lines: there a heading-shaped line stands alone unless it is one of three or more in a row
    (an address block: a name, a title, a force), which are text; one or two in a row (a
    heading, a heading and its sub-heading) are headings. Runs are counted by ``run_heading``
    and ``run_text``."""
    if walk.compact:
        length = _run_length(walk, token)
        return length == 1 or (length == 2 and not _heading_like(walk, walk.upcoming))
    return not (walk.glued_to_previous(token) or walk.glued_to_next(token))


def run_heading(walk: Walk, token: Token) -> None:
    """A heading-shaped line that stands alone: a section's heading (its run counted)."""
    walk.short_run = (token.end, _run_length(walk, token))
    open_section(walk, token)


def run_text(walk: Walk, token: Token) -> None:
    """A heading-shaped line that does not stand alone: text. On a compact page, where the
    second line of a run shows it is an address block, the first one, read as a heading, is
    made text again."""
    length = _run_length(walk, token)
    if walk.compact and length == 2:
        opened = walk.sections[-1] if walk.sections else None
        if opened is not None and opened.token is walk.previous and not opened.blocks:
            walk.sections.pop()
            walk.prose = walk.sections[-1].blocks if walk.sections else walk.summary
            walk.prose.text(opened.token)
    walk.short_run = (token.end, length)
    walk.prose.text(token)


def _run_length(walk: Walk, token: Token) -> int:
    end, length = walk.short_run
    return length + 1 if end == token.start else 1


def _heading_like(walk: Walk, token: Token | None) -> bool:
    if token is None:
        return False
    kind = token.kind
    return kind in SHORT_LINES or (kind is K.TEXT and heading_shaped(walk, token))


# --------------------------------------------------------------------------- diagnostics


def stray_grade(walk: Walk, token: Token) -> None:
    walk.diagnose(
        Code.STRAY_GRADE, f"grade line {token.text!r} follows no date, question or pillar", token
    )


def stray_date(walk: Walk, token: Token) -> None:
    walk.diagnose(Code.STRAY_DATE, "a 'Last updated' line where no date belongs", token)


def orphan_number(walk: Walk, token: Token) -> None:
    walk.orphan_number(token)


def repeated_title(walk: Walk, token: Token) -> None:
    walk.diagnose(Code.REPEATED_TITLE, f"a second title {token.text!r}: pages run together?", token)


# -------------------------------------------------------------------------------- header


def read_title(walk: Walk, token: Token) -> None:
    walk.title = token


def pillar_line(walk: Walk, token: Token) -> None:
    walk.set_pillar(token.pillar, token)


def summary_pillar(walk: Walk, token: Token) -> None:
    """A pillar line below the header: the page's pillar, or a heading naming another."""
    if walk.pillar is None or walk.pillar is token.pillar:
        walk.set_pillar(token.pillar, token)
    else:
        walk.prose.heading(token)


def stock_headline(walk: Walk, token: Token) -> None:
    walk.headline = token
    walk.set_pillar(token.pillar, token)


def headline(walk: Walk, token: Token) -> None:
    walk.headline = token


def headline_free(walk: Walk, token: Token) -> bool:
    """No headline and no date read yet: a stock headline here is the page's."""
    return walk.headline is None and walk.date is None


def question_as_headline(walk: Walk, token: Token) -> bool:
    """A question line is the headline only right under a title or pillar line (compact
    2014 pages start with a summary paragraph, and then a first question is a question)."""
    return headline_free(walk, token) and (walk.title is not None or walk.pillar is not None)


def headline_before_summary(walk: Walk, token: Token) -> bool:
    return headline_free(walk, token) and not walk.summary


def page_date(walk: Walk, token: Token) -> None:
    if walk.date is not None or walk.questions:
        stray_date(walk, token)
    elif walk.date_of(token) is not None:
        walk.date = token


def section_date(walk: Walk, token: Token) -> None:
    """A date under a report's section on an "Other inspections" page: the page's date."""
    if walk.date is not None:
        stray_date(walk, token)
    elif walk.date_of(token) is not None:
        walk.date = token


def page_grade(walk: Walk, token: Token) -> None:
    if walk.grade is not None:
        stray_grade(walk, token)
    else:
        walk.grade = token


def after_date(walk: Walk, token: Token) -> bool:
    previous = walk.previous
    return previous is not None and previous.kind is _LAST_UPDATED


# ----------------------------------------------------------------------------- questions


def number(walk: Walk, token: Token) -> None:
    walk.close_number()
    walk.number = token


def questions_for(walk: Walk, token: Token) -> None:
    walk.set_pillar(token.pillar, token)
    walk.close_number()
    if walk.questions:
        walk.questions[-1].blocks.close()


def question(walk: Walk, token: Token) -> None:
    walk.open_question(token)
    walk.collector = None


def repeated_question(walk: Walk, token: Token) -> bool:
    """The question line just read, printed again with nothing between."""
    if not walk.questions or walk.number is not None:
        return False
    last = walk.questions[-1]
    return last.token.text == token.text and not last.has_content and last.grade is None


def duplicate_question(walk: Walk, token: Token) -> None:
    walk.diagnose(Code.DUPLICATE_LINE, "question line printed twice", token)


def question_grade(walk: Walk, token: Token) -> None:
    last = walk.questions[-1]
    if last.grade is None and not last.has_content:
        last.grade = token
    else:
        stray_grade(walk, token)


def question_text(walk: Walk, token: Token) -> None:
    if walk.number is not None:
        walk.close_number()
    walk.prose.text(token)


def recommendation_lead_in(walk: Walk, token: Token) -> bool:
    """After a cause of concern, "To address this cause of concern, we recommend …:" starts
    the recommendations (their heading is an empty slot)."""
    concerns = walk.questions[-1].concern
    return (
        concerns is not None
        and bool(concerns.items)
        and lx.RECOMMENDATION_LEAD_IN.match(token.text) is not None
    )


def start_recommendations(walk: Walk, token: Token) -> None:
    """The lead-in is the first entry of the recommendations."""
    walk.close_number()
    question = walk.questions[-1]
    question.recommend = walk.collector = question.recommend or walk.new_collector()
    walk.collector.add(token)


def areas(walk: Walk, token: Token) -> None:
    _items_heading(walk)
    question = walk.questions[-1]
    question.areas = walk.collector = question.areas or walk.new_collector()


def concern(walk: Walk, token: Token) -> None:
    _items_heading(walk)
    question = walk.questions[-1]
    question.concern = walk.collector = question.concern or walk.new_collector()


def recommendations(walk: Walk, token: Token) -> None:
    _items_heading(walk)
    question = walk.questions[-1]
    question.recommend = walk.collector = question.recommend or walk.new_collector()


def _items_heading(walk: Walk) -> None:
    walk.close_number()
    walk.questions[-1].blocks.close()


def entry(walk: Walk, token: Token) -> None:
    """A bullet, or a paragraph, under one of the three item headings."""
    collector = walk.collector
    if collector is not None:
        collector.add(token)


def first_entry(walk: Walk, token: Token) -> bool:
    return walk.collector is None or not walk.collector.items


def soft_break(walk: Walk, token: Token) -> bool:
    """This line continues the one above (blank rendering, no blank line between)."""
    previous = walk.previous
    return not walk.compact and previous is not None and previous.end == token.start


def after_lead_in(walk: Walk, token: Token) -> bool:
    previous = walk.previous
    return previous is not None and previous.text.endswith(":")


def end_items(walk: Walk, token: Token) -> None:
    """Back to the question's own blocks."""
    walk.collector = None
    walk.questions[-1].blocks.close()


# ------------------------------------------------------------------------------ overview


def sign(walk: Walk, token: Token) -> None:
    signed = token.signed
    span = walk.span(token)
    name_span = role_span = None
    if span is not None and walk.text.startswith(token.text, span.start):
        at = span.start
        name_span = Span(at + signed.name_at, at + signed.name_at + len(signed.name))
        role_span = Span(at + signed.role_at, at + signed.role_at + len(signed.role))
    walk.inspector = Inspector(
        name=signed.name, role=signed.role, span=span, name_span=name_span, role_span=role_span
    )
    walk.prose = walk.observations


def signed_already(walk: Walk, token: Token) -> bool:
    return walk.inspector is not None


def duplicate_signature(walk: Walk, token: Token) -> None:
    walk.diagnose(Code.DUPLICATE_LINE, "inspector line printed again", token)


def observations(walk: Walk, token: Token) -> None:
    walk.prose = walk.observations
    walk.observations.close()


def open_block(walk: Walk, token: Token) -> PillarDraft:
    block = PillarDraft(walk, token)
    walk.pillars.append(block)
    walk.prose = block.blocks
    return block


def block_pillar(walk: Walk, token: Token) -> None:
    """A pillar line opens a pillar block."""
    open_block(walk, token).pillar = token.pillar


def new_block_headline(walk: Walk, token: Token) -> None:
    """A stock headline below the summary or observations opens a pillar block (the tables
    give it headline lines only, which name their pillar or None)."""
    block = open_block(walk, token)
    block.headline = token
    block.pillar = token.pillar


def block_headline(walk: Walk, token: Token) -> None:
    """A headline: of the block its pillar line just opened, else of a new block (the tables
    give it headline lines only)."""
    current = walk.pillars[-1] if walk.pillars else None
    if current is None or not current.fresh or current.headline is not None:
        current = open_block(walk, token)
    current.headline = current.last = token
    if current.pillar is None:
        current.pillar = token.pillar


def block_date(walk: Walk, token: Token) -> None:
    block = walk.pillars[-1]
    if block.date is not None or block.blocks:
        stray_date(walk, token)
    elif walk.date_of(token) is not None:
        block.date = token


def block_grade(walk: Walk, token: Token) -> None:
    block = walk.pillars[-1]
    if block.grade is None and not block.blocks:
        block.grade = token
    else:
        stray_grade(walk, token)
