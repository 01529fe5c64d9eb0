"""Report records built by hand for the grades table's tests: pages stating grades where
real pages do, without going through the parser."""

from __future__ import annotations

import datetime

from peelparse.records import Grade, Judgment, PageKind, Pillar, PillarSummary, Question, Report

__all__ = ["REAL", "E", "F", "L", "day", "overview", "pillar_page", "question"]

E, F, L = Pillar.EFFECTIVENESS, Pillar.EFFICIENCY, Pillar.LEGITIMACY
REAL = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.ADEQUATE,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def pillar_page(
    force_id: str = "kent",
    cycle: str = "2016",
    pillar: Pillar = E,
    grade: Grade | None = Grade.GOOD,
    last_updated: str | None = "2017-03-02",
    questions: tuple[Question, ...] = (),
    kind: PageKind = PageKind.PILLAR,
    source: str | None = None,
    **fields: object,
) -> Report:
    year = int(cycle[:4])
    page_id = f"peel-{year}/{force_id}/{pillar.value}"
    if kind is PageKind.FINDINGS:
        page_id += "/detailed-findings"
    values: dict[str, object] = {
        "source": source or f"{page_id.replace('/', '_')}.txt",
        "id": page_id,
        "kind": kind,
        "force": force_id.replace("-", " ").title(),
        "force_id": force_id,
        "year": year,
        "cycle": cycle,
        "pillar": pillar,
        "last_updated": day(last_updated) if last_updated else None,
        "grade": grade,
        "questions": questions,
        **fields,
    }
    return Report(**values)  # type: ignore[arg-type]


def overview(
    force_id: str = "kent",
    cycle: str = "2016",
    judgments: dict[Pillar, Grade] | None = None,
    blocks: dict[Pillar, tuple[Grade, str | None]] | None = None,
    source: str | None = None,
    **fields: object,
) -> Report:
    year = int(cycle[:4])
    values: dict[str, object] = {
        "source": source or f"peel-{year}_{force_id}.txt",
        "id": f"peel-{year}/{force_id}",
        "kind": PageKind.OVERVIEW,
        "force": force_id.replace("-", " ").title(),
        "force_id": force_id,
        "year": year,
        "cycle": cycle,
        "judgments": tuple(
            Judgment(pillar=p, grade=g, text=f"… {p.value} … {g.value}.")
            for p, g in (judgments or {}).items()
        ),
        "pillars": tuple(
            PillarSummary(
                pillar=p,
                headline_question=None,
                last_updated=day(d) if d else None,
                grade=g,
            )
            for p, (g, d) in (blocks or {}).items()
        ),
        **fields,
    }
    return Report(**values)  # type: ignore[arg-type]


def question(number: int | None, text: str, grade: Grade | None) -> Question:
    return Question(number=number, text=text, grade=grade)
