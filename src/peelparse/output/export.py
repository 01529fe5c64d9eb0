"""Records to and from the JSON contract (``docs/records.md``, schema_version 1).

Both directions are derived from the attrs definitions in ``records``: each field's type says
how its value is written and read, field order is the contract's order, and fields marked as
spans are written only with ``spans=True``. A new record field is one edit in ``records``.
With ``spans=False`` the output is exactly the contract; ``from_dict`` reads either form back
into records equal to the originals, spans restored when present.
"""

from __future__ import annotations

import datetime
import enum
import json
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import attrs

from .. import diagnostics, records
from ..diagnostics import Diagnostic
from ..input.source import Span
from ..records import BLOCK_TYPES, SCHEMA_VERSION, Report

__all__ = [
    "contract_fields",
    "from_dict",
    "from_json",
    "is_optional",
    "members_of",
    "resolved",
    "to_dict",
    "to_json",
]

JSONDict = dict[str, Any]
Convert = Callable[[Any], Any]


@cache
def resolved(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The exported fields of a record class, with their types resolved."""
    namespace = {**vars(diagnostics), **vars(records), "Span": Span}
    attrs.resolve_types(cls, globalns=namespace)
    return tuple(f for f in attrs.fields(cls) if f.metadata.get("export", True))


def contract_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields the contract requires (every exported field that is not a span)."""
    return tuple(f for f in resolved(cls) if not f.metadata.get("span"))


def members_of(tp: Any) -> tuple[Any, ...]:
    """The non-None members of a union type (the type itself otherwise)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(tp) if a is not type(None))
    return (tp,)


def is_optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in (
        typing.get_args(tp)
    )


# ------------------------------------------------------------------------------- writing


def _writer(tp: Any, spans: bool) -> Convert | None:
    """How a value of type ``tp`` becomes JSON; None when it already is."""
    members = members_of(tp)
    if len(members) > 1:  # a union of record classes: the blocks
        return lambda value: _write(value, spans)
    kind = members[0]
    if kind is Span:
        return _write_span
    if typing.get_origin(kind) is tuple:
        item = _writer(typing.get_args(kind)[0], spans)
        return list if item is None else (lambda values: [item(v) for v in values])
    if kind is datetime.date:
        return _write_date
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _write_enum
    if isinstance(kind, type) and attrs.has(kind):
        return lambda value: _write(value, spans)
    return None


def _write_span(value: Span | None) -> list[int] | None:
    return None if value is None else [value.start, value.end]


def _write_date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _write_enum(value: enum.Enum | None) -> Any:
    return None if value is None else value.value


@cache
def _plan(cls: type, spans: bool) -> tuple[tuple[str, Convert | None], ...]:
    return tuple(
        (f.name, _writer(f.type, spans))
        for f in resolved(cls)
        if spans or not f.metadata.get("span")
    )


def _write(record: Any, spans: bool) -> JSONDict | None:
    if record is None:
        return None
    cls: type = type(record)
    data: JSONDict = {"type": cls.TYPE} if hasattr(cls, "TYPE") else {}
    for name, convert in _plan(cls, spans):
        value = getattr(record, name)
        data[name] = value if convert is None else convert(value)
    return data


def to_dict(report: Report, *, spans: bool = False) -> JSONDict:
    """The report as the JSON contract's dict; ``spans=True`` adds every value's span."""
    data = _write(report, spans)
    assert data is not None
    return data


def to_json(report: Report, *, spans: bool = False, indent: int | None = 2) -> str:
    """The report as JSON text; characters are kept as they are (no ``\\u`` escapes)."""
    return json.dumps(to_dict(report, spans=spans), ensure_ascii=False, indent=indent)


# ------------------------------------------------------------------------------- reading


def _reader(tp: Any) -> Convert:
    members = members_of(tp)
    if len(members) > 1:
        return _read_block
    kind = members[0]
    if kind is Span:
        return lambda value: Span(int(value[0]), int(value[1]))
    if typing.get_origin(kind) is tuple:
        item = _reader(typing.get_args(kind)[0])
        return lambda values: tuple(item(v) for v in values)
    if kind is datetime.date:
        return datetime.date.fromisoformat
    if isinstance(kind, type) and (issubclass(kind, enum.Enum) or attrs.has(kind)):
        return kind if issubclass(kind, enum.Enum) else (lambda data: _read(kind, data))
    return _same


def _same(value: Any) -> Any:
    return value


def _read_block(data: Mapping[str, Any]) -> Any:
    cls = BLOCK_TYPES.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown block type {data.get('type')!r}")
    return _read(cls, data)


@cache
def _read_plan(cls: type) -> tuple[tuple[str, Convert, bool, bool], ...]:
    """(name, reader, required, nullable) for each field."""
    return tuple(
        (
            f.name,
            _reader(f.type),
            f.default is attrs.NOTHING or not (f.metadata.get("span") or cls is Diagnostic),
            is_optional(f.type),
        )
        for f in resolved(cls)
    )


def _read(cls: type, data: Mapping[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for name, read, required, nullable in _read_plan(cls):
        if name not in data:
            if required:
                raise ValueError(f"{cls.__name__} record lacks the field {name!r}")
            continue
        value = data[name]
        values[name] = None if value is None and nullable else read(value)
    return cls(**values)


def from_dict(data: Mapping[str, Any]) -> Report:
    """Rebuild a report from ``to_dict``'s output (or parsed JSON), spans included if given."""
    if data.get("status") == "error":
        raise ValueError(
            f"an error record (input {data.get('source')!r} could not be read: "
            f"{data.get('error')}), not a report"
        )
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"schema_version {version!r} is not supported (expected 1)")
    report: Report = _read(Report, data)
    return report


def from_json(text: str) -> Report:
    """Rebuild a report from ``to_json``'s output."""
    return from_dict(json.loads(text))
