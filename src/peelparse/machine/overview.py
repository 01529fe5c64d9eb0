"""Overview pages: intro and judgments, the inspector's signature, observations, pillar blocks."""

from __future__ import annotations

from ..lex.tokens import TokenKind
from . import actions as a
from .rows import CONTENT, IGNORE
from .table import State, Table, do, goto, when

__all__ = ["TABLE"]

K = TokenKind
S = State

#: The inspector's signature, once; a repeat is left out with a warning.
SIGN = when(a.signed_already, do(a.duplicate_signature), do(a.sign, S.SIGNED))
#: Below the summary, a pillar line or a stock headline opens a pillar block.
BLOCKS = {
    K.PILLAR: do(a.block_pillar, S.PILLAR_BLOCK),
    K.HEADLINE: do(a.new_block_headline, S.PILLAR_BLOCK),
}

TABLE: Table = {
    S.START: ({K.TITLE: do(a.read_title, S.HEADER)}, goto(S.SUMMARY)),
    S.HEADER: ({K.PUBLISHED: IGNORE}, goto(S.SUMMARY)),
    S.SUMMARY: (
        {**CONTENT, **BLOCKS, K.INSPECTOR: SIGN, K.REPORT_LINK: IGNORE,
         K.OBSERVATIONS: do(a.observations, S.OBSERVATIONS)},
        do(a.heading_block),
    ),
    S.SIGNED: (
        {**BLOCKS, K.INSPECTOR: SIGN, K.CONTACT: IGNORE, K.REPORT_LINK: IGNORE,
         K.OBSERVATIONS: do(a.observations, S.OBSERVATIONS)},
        goto(S.OBSERVATIONS),
    ),
    S.OBSERVATIONS: (
        {**CONTENT, **BLOCKS, K.INSPECTOR: SIGN, K.REPORT_LINK: IGNORE},
        do(a.heading_block),
    ),
    S.PILLAR_BLOCK: (
        {**CONTENT, K.PILLAR: do(a.block_pillar), K.HEADLINE: do(a.block_headline),
         K.LAST_UPDATED: do(a.block_date), K.GRADE: do(a.block_grade), K.INSPECTOR: SIGN,
         K.REPORT_LINK: IGNORE, K.OBSERVATIONS: do(a.observations, S.OBSERVATIONS)},
        do(a.heading_block),
    ),
}  # fmt: skip
