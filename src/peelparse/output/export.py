"""Records to and from the JSON contract (``docs/records.md``, schema_version 1).

``to_dict`` gives exactly the contract's fields in the contract's order; ``spans=True`` adds a
``"span": [start, end]`` to every element (an extra field the contract allows). ``from_dict``
reads either form back into records equal to the originals.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..input.source import Span
from ..records import (
    SCHEMA_VERSION,
    Block,
    Diagnostic,
    Grade,
    Heading,
    Inspector,
    Judgment,
    ListBlock,
    PageKind,
    Paragraph,
    Pillar,
    PillarSummary,
    Question,
    Report,
    Section,
    Severity,
)

__all__ = ["from_dict", "from_json", "to_dict", "to_json"]

JSONDict = dict[str, Any]


def _value(member: Pillar | Grade | None) -> str | None:
    return None if member is None else member.value


def _date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


class _Writer:
    def __init__(self, spans: bool) -> None:
        self.spans = spans

    def _with_span(self, data: JSONDict, span: Span | None) -> JSONDict:
        if self.spans:
            data["span"] = None if span is None else [span.start, span.end]
        return data

    def block(self, block: Block) -> JSONDict:
        if isinstance(block, Paragraph):
            return self._with_span({"type": "paragraph", "text": block.text}, block.span)
        if isinstance(block, ListBlock):
            data: JSONDict = {"type": "list", "lead_in": block.lead_in, "items": list(block.items)}
            if self.spans:
                data["item_spans"] = [[s.start, s.end] for s in block.item_spans]
            return self._with_span(data, block.span)
        return self._with_span({"type": "heading", "text": block.text}, block.span)

    def blocks(self, blocks: Sequence[Block]) -> list[JSONDict]:
        return [self.block(b) for b in blocks]

    def question(self, q: Question) -> JSONDict:
        data: JSONDict = {
            "number": q.number,
            "text": q.text,
            "grade": _value(q.grade),
            "blocks": self.blocks(q.blocks),
            "areas_for_improvement": list(q.areas_for_improvement),
            "causes_of_concern": list(q.causes_of_concern),
            "recommendations": list(q.recommendations),
        }
        return self._with_span(data, q.span)

    def report(self, r: Report) -> JSONDict:
        inspector = None
        if r.inspector is not None:
            inspector = self._with_span(
                {"name": r.inspector.name, "role": r.inspector.role}, r.inspector.span
            )
        data: JSONDict = {
            "schema_version": r.schema_version,
            "source": r.source,
            "url": r.url,
            "id": r.id,
            "kind": r.kind.value,
            "force": r.force,
            "force_id": r.force_id,
            "year": r.year,
            "cycle": r.cycle,
            "pillar": _value(r.pillar),
            "title": r.title,
            "headline_question": r.headline_question,
            "last_updated": _date(r.last_updated),
            "grade": _value(r.grade),
            "summary": self.blocks(r.summary),
            "questions": [self.question(q) for q in r.questions],
            "judgments": [
                self._with_span(
                    {"pillar": _value(j.pillar), "grade": _value(j.grade), "text": j.text}, j.span
                )
                for j in r.judgments
            ],
            "inspector": inspector,
            "observations": self.blocks(r.observations),
            "pillars": [
                self._with_span(
                    {
                        "pillar": _value(p.pillar),
                        "headline_question": p.headline_question,
                        "last_updated": _date(p.last_updated),
                        "grade": _value(p.grade),
                        "summary": self.blocks(p.summary),
                    },
                    p.span,
                )
                for p in r.pillars
            ],
            "sections": [
                self._with_span({"heading": s.heading, "blocks": self.blocks(s.blocks)}, s.span)
                for s in r.sections
            ],
            "diagnostics": [
                self._with_span(
                    {
                        "code": d.code,
                        "message": d.message,
                        "line": d.line,
                        "column": d.column,
                        "severity": d.severity.value,
                        "html_line": d.html_line,
                    },
                    d.span,
                )
                for d in r.diagnostics
            ],
        }
        return data


def to_dict(report: Report, *, spans: bool = False) -> JSONDict:
    """The report as the JSON contract's dict (plus spans when asked)."""
    return _Writer(spans).report(report)


def to_json(report: Report, *, spans: bool = False, indent: int | None = 2) -> str:
    """The report as JSON text; characters are kept as they are (no ``\\u`` escapes)."""
    return json.dumps(to_dict(report, spans=spans), ensure_ascii=False, indent=indent)


# ---------------------------------------------------------------------------- reading back


def _span(data: Mapping[str, Any], key: str = "span") -> Span | None:
    value = data.get(key)
    return None if value is None else Span(int(value[0]), int(value[1]))


def _enum_or_none(cls: type[Pillar] | type[Grade], value: str | None) -> Any:
    return None if value is None else cls(value)


def _read_date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _read_block(data: Mapping[str, Any]) -> Block:
    kind = data["type"]
    if kind == "paragraph":
        return Paragraph(text=data["text"], span=_span(data))
    if kind == "list":
        item_spans = tuple(Span(s[0], s[1]) for s in data.get("item_spans", ()))
        return ListBlock(
            lead_in=data["lead_in"], items=tuple(data["items"]), span=_span(data),
            item_spans=item_spans,
        )  # fmt: skip
    if kind == "heading":
        return Heading(text=data["text"], span=_span(data))
    raise ValueError(f"unknown block type {kind!r}")


def _read_blocks(items: Sequence[Mapping[str, Any]]) -> tuple[Block, ...]:
    return tuple(_read_block(b) for b in items)


def from_dict(data: Mapping[str, Any]) -> Report:
    """Rebuild a report from ``to_dict``'s output (or parsed JSON)."""
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"schema_version {version!r} is not supported (expected 1)")
    inspector = data.get("inspector")
    return Report(
        schema_version=version,
        source=data["source"],
        url=data["url"],
        id=data["id"],
        kind=PageKind(data["kind"]),
        force=data["force"],
        force_id=data["force_id"],
        year=data["year"],
        cycle=data["cycle"],
        pillar=_enum_or_none(Pillar, data["pillar"]),
        title=data["title"],
        headline_question=data["headline_question"],
        last_updated=_read_date(data["last_updated"]),
        grade=_enum_or_none(Grade, data["grade"]),
        summary=_read_blocks(data["summary"]),
        questions=tuple(
            Question(
                number=q["number"],
                text=q["text"],
                grade=_enum_or_none(Grade, q["grade"]),
                blocks=_read_blocks(q["blocks"]),
                areas_for_improvement=tuple(q["areas_for_improvement"]),
                causes_of_concern=tuple(q["causes_of_concern"]),
                recommendations=tuple(q["recommendations"]),
                span=_span(q),
            )
            for q in data["questions"]
        ),
        judgments=tuple(
            Judgment(
                pillar=_enum_or_none(Pillar, j["pillar"]),
                grade=_enum_or_none(Grade, j["grade"]),
                text=j["text"],
                span=_span(j),
            )
            for j in data["judgments"]
        ),
        inspector=None
        if inspector is None
        else Inspector(name=inspector["name"], role=inspector["role"], span=_span(inspector)),
        observations=_read_blocks(data["observations"]),
        pillars=tuple(
            PillarSummary(
                pillar=_enum_or_none(Pillar, p["pillar"]),
                headline_question=p["headline_question"],
                last_updated=_read_date(p["last_updated"]),
                grade=_enum_or_none(Grade, p["grade"]),
                summary=_read_blocks(p["summary"]),
                span=_span(p),
            )
            for p in data["pillars"]
        ),
        sections=tuple(
            Section(heading=s["heading"], blocks=_read_blocks(s["blocks"]), span=_span(s))
            for s in data["sections"]
        ),
        diagnostics=tuple(
            Diagnostic(
                code=d["code"],
                message=d["message"],
                line=d["line"],
                column=d["column"],
                severity=Severity(d.get("severity", "error")),
                html_line=d.get("html_line"),
                span=_span(d),
            )
            for d in data["diagnostics"]
        ),
    )


def from_json(text: str) -> Report:
    """Rebuild a report from ``to_json``'s output."""
    return from_dict(json.loads(text))
