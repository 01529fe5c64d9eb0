"""The JSON Schema (draft 2020-12) of a record, as ``to_dict`` and the command line write it.

A record is a report (``docs/records.md``) or, from the command line, an error record for an
input that could not be read. The schema allows extra fields (the contract may grow) but
requires every contract field, with its type and, for closed vocabularies, its values.
"""

from __future__ import annotations

from typing import Any

from ..records import SCHEMA_VERSION, Grade, PageKind, Pillar, Severity

__all__ = ["record_schema"]

Schema = dict[str, Any]


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Schema], *, extra: bool = True) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": extra,
    }


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
SPAN: Schema = {"type": "array", "items": INTEGER, "minItems": 2, "maxItems": 2}
DATE: Schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
GRADE: Schema = _nullable({"enum": [g.value for g in Grade]})
PILLAR: Schema = _nullable({"enum": [p.value for p in Pillar]})
BLOCKS: Schema = _array({"$ref": "#/$defs/block"})


def record_schema() -> Schema:
    """The schema every record validates against."""
    block = {
        "oneOf": [
            _object({"type": {"const": "paragraph"}, "text": STRING}),
            _object(
                {"type": {"const": "list"}, "lead_in": _nullable(STRING), "items": _array(STRING)}
            ),
            _object({"type": {"const": "heading"}, "text": STRING}),
        ]
    }
    question = _object(
        {
            "number": _nullable(INTEGER),
            "text": STRING,
            "grade": GRADE,
            "blocks": BLOCKS,
            "areas_for_improvement": _array(STRING),
            "causes_of_concern": _array(STRING),
            "recommendations": _array(STRING),
        }
    )
    report = _object(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "source": _nullable(STRING),
            "url": _nullable(STRING),
            "id": _nullable(STRING),
            "kind": {"enum": [k.value for k in PageKind]},
            "force": _nullable(STRING),
            "force_id": _nullable(STRING),
            "year": _nullable(INTEGER),
            "cycle": _nullable(STRING),
            "pillar": PILLAR,
            "title": _nullable(STRING),
            "headline_question": _nullable(STRING),
            "last_updated": _nullable(DATE),
            "grade": GRADE,
            "summary": BLOCKS,
            "questions": _array(question),
            "judgments": _array(_object({"pillar": PILLAR, "grade": GRADE, "text": STRING})),
            "inspector": _nullable(_object({"name": STRING, "role": STRING})),
            "observations": BLOCKS,
            "pillars": _array(
                _object(
                    {
                        "pillar": PILLAR,
                        "headline_question": _nullable(STRING),
                        "last_updated": _nullable(DATE),
                        "grade": GRADE,
                        "summary": BLOCKS,
                    }
                )
            ),
            "sections": _array(_object({"heading": STRING, "blocks": BLOCKS})),
            "diagnostics": _array(
                _object(
                    {
                        "code": STRING,
                        "message": STRING,
                        "line": {"type": "integer", "minimum": 1},
                        "column": {"type": "integer", "minimum": 1},
                        "severity": {"enum": [s.value for s in Severity]},
                        "html_line": _nullable({"type": "integer", "minimum": 1}),
                    }
                )
            ),
        }
    )
    report["properties"]["status"] = {"const": "ok"}
    error = _object(
        {
            "source": _nullable(STRING),
            "status": {"const": "error"},
            "error": _object({"code": STRING, "message": STRING}),
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://peelparse.invalid/schema/record-1.json",
        "title": "peelparse record (schema_version 1)",
        "description": "One PEEL page's record, or an error record for an input that failed.",
        "oneOf": [{"$ref": "#/$defs/report"}, {"$ref": "#/$defs/error"}],
        "$defs": {"report": report, "error": error, "block": block, "span": SPAN},
    }
