"""Validation helpers: check plain-dict records and Arrow tables against a schema."""
from __future__ import annotations

from typing import Any, Iterable

import pyarrow as pa


class SchemaError(ValueError):
    """A record or table does not match its schema."""


def _check(value: Any, type_: pa.DataType, nullable: bool, path: str) -> None:
    if value is None:
        if not nullable:
            raise SchemaError(f"{path}: null in a non-nullable field")
        return
    if pa.types.is_struct(type_):
        if not isinstance(value, dict):
            raise SchemaError(f"{path}: expected a struct (dict), got {type(value).__name__}")
        _check_fields(value, list(type_), path)
    elif pa.types.is_list(type_):
        if not isinstance(value, (list, tuple)):
            raise SchemaError(f"{path}: expected a list, got {type(value).__name__}")
        item = type_.value_field
        for i, v in enumerate(value):
            _check(v, item.type, item.nullable, f"{path}[{i}]")
    elif pa.types.is_string(type_):
        if not isinstance(value, str):
            raise SchemaError(f"{path}: expected str, got {type(value).__name__}")
    elif pa.types.is_boolean(type_):
        if not isinstance(value, bool):
            raise SchemaError(f"{path}: expected bool, got {type(value).__name__}")
    elif pa.types.is_integer(type_):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(f"{path}: expected int, got {type(value).__name__}")
        bits = type_.bit_width
        if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
            raise SchemaError(f"{path}: {value} does not fit {type_}")
    elif pa.types.is_floating(type_):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SchemaError(f"{path}: expected float, got {type(value).__name__}")


def _check_fields(record: dict, fields: list[pa.Field], path: str) -> None:
    names = {f.name for f in fields}
    extra = set(record) - names
    if extra:
        raise SchemaError(f"{path or 'record'}: unknown fields {sorted(extra)}")
    for f in fields:
        if f.name not in record:
            raise SchemaError(f"{path or 'record'}: missing field {f.name!r}")
        _check(record[f.name], f.type, f.nullable, f"{path}.{f.name}" if path else f.name)


def validate_record(record: dict, schema: pa.Schema) -> dict:
    """Raise SchemaError unless ``record`` has exactly the schema's fields with valid types."""
    _check_fields(record, list(schema), "")
    return record


def to_table(records: Iterable[dict], schema: pa.Schema) -> pa.Table:
    """Validate records and build an Arrow table with exactly ``schema``."""
    rows = [validate_record(r, schema) for r in records]
    return pa.Table.from_pylist(rows, schema=schema)


def validate_table(table: pa.Table, schema: pa.Schema) -> None:
    """Raise SchemaError unless ``table`` carries ``schema``'s columns with the same types and no
    nulls in non-nullable columns."""
    for f in schema:
        if f.name not in table.column_names:
            raise SchemaError(f"missing column {f.name!r}")
        col = table.column(f.name)
        if not col.type.equals(f.type):
            raise SchemaError(f"column {f.name!r}: type {col.type} != {f.type}")
        if not f.nullable and col.null_count:
            raise SchemaError(f"column {f.name!r}: {col.null_count} nulls in a non-nullable column")
