"""The JSON Schema (draft 2020-12) of a record, as ``to_dict`` and the command line write it.

A record is a report (``docs/records.md``) or, from the command line, an error record for an
input that could not be read. The schema is derived from the record classes, as the JSON is:
it requires every contract field with its type and, for closed vocabularies, its values, and
allows the span fields and any field a later version may add.
"""

from __future__ import annotations

import datetime
import enum
import typing
from typing import Any

import attrs

from ..input.source import Span
from ..records import BLOCK_TYPES, SCHEMA_VERSION, Report
from .export import is_optional, members_of, resolved

__all__ = ["record_schema"]

Schema = dict[str, Any]

_SPAN: Schema = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
_DATE: Schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
#: Tighter rules than the types say, by field name.
_NARROWER: dict[str, Schema] = {
    "line": {"type": "integer", "minimum": 1},
    "column": {"type": "integer", "minimum": 1},
    "html_line": {"type": "integer", "minimum": 1},
}


def _type(tp: Any, name: str, defs: dict[str, Schema]) -> Schema:
    members = members_of(tp)
    if len(members) > 1:
        schema: Schema = {"$ref": "#/$defs/block"}
    elif name in _NARROWER:
        schema = dict(_NARROWER[name])
    else:
        schema = _single(members[0], defs)
    return {"anyOf": [schema, {"type": "null"}]} if is_optional(tp) else schema


def _single(kind: Any, defs: dict[str, Schema]) -> Schema:
    if kind is Span:
        return _SPAN
    if typing.get_origin(kind) is tuple:
        return {"type": "array", "items": _type(typing.get_args(kind)[0], "", defs)}
    if kind is datetime.date:
        return _DATE
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [member.value for member in kind]}
    if isinstance(kind, type) and attrs.has(kind):
        return _object(kind, defs)
    return {"type": {str: "string", int: "integer", bool: "boolean"}[kind]}


def _object(cls: type, defs: dict[str, Schema]) -> Schema:
    properties: Schema = {}
    required = []
    if hasattr(cls, "TYPE"):
        properties["type"] = {"const": cls.TYPE}
        required.append("type")
    for field in resolved(cls):
        properties[field.name] = _type(field.type, field.name, defs)
        if not field.metadata.get("span") and field.name not in ("severity", "html_line"):
            required.append(field.name)
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": True,
    }


def record_schema() -> Schema:
    """The schema every record validates against."""
    defs: dict[str, Schema] = {}
    defs["block"] = {"oneOf": [_object(cls, defs) for cls in BLOCK_TYPES.values()]}
    report = _object(Report, defs)
    report["properties"]["schema_version"] = {"const": SCHEMA_VERSION}
    report["properties"]["status"] = {"const": "ok"}
    error = {
        "type": "object",
        "properties": {
            "source": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "url": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "status": {"const": "error"},
            "error": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                "required": ["code", "message"],
            },
        },
        "required": ["source", "url", "status", "error"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://peelparse.invalid/schema/record-1.json",
        "title": "peelparse record (schema_version 1)",
        "description": "One PEEL page's record, or an error record for an input that failed.",
        "oneOf": [{"$ref": "#/$defs/report"}, {"$ref": "#/$defs/error"}],
        "$defs": {**defs, "report": report, "error": error},
    }
