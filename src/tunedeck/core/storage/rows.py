"""Converting between database rows and the store's values."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tunedeck.core.dataset import Example, FileLayout
from tunedeck.core.dataset.fields import MISSING
from tunedeck.core.lint.settings import LintSettings
from tunedeck.core.storage.records import (
    DatasetInfo,
    HistoryEntry,
    Review,
    Split,
    Status,
    StoredExample,
)

# Settings kept per dataset; per-example suppressions live on the examples themselves.
_SETTING_NAMES = tuple(f.name for f in dataclasses.fields(LintSettings) if f.name != "suppressed")


def utc(moment: datetime | None) -> datetime | None:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def now() -> datetime:
    return datetime.now(UTC)


def dump_record(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def dump_value(value: Any) -> str | None:
    """A history value as JSON text; None (SQL NULL) stands for MISSING."""
    return None if value is MISSING else json.dumps(value, ensure_ascii=False)


def load_value(text: str | None) -> Any:
    return MISSING if text is None else json.loads(text)


def settings_to_json(settings: LintSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in _SETTING_NAMES}


def settings_from_json(data: dict[str, Any]) -> LintSettings:
    return LintSettings(**{name: data[name] for name in _SETTING_NAMES if name in data})


def layout_columns(layout: FileLayout) -> dict[str, Any]:
    return {
        "newline": layout.newline,
        "bom": layout.bom,
        "trailing": layout.trailing,
        "ensure_ascii": layout.ensure_ascii,
        "separators": list(layout.separators),
    }


def dataset_info(row: sa.Row) -> DatasetInfo:
    layout = FileLayout(
        newline=bytes(row.newline),
        bom=row.bom,
        trailing=bytes(row.trailing),
        ensure_ascii=row.ensure_ascii,
        separators=tuple(row.separators),
    )
    return DatasetInfo(
        id=row.id,
        name=row.name,
        source=row.source,
        created_at=utc(row.created_at),
        layout=layout,
        settings=settings_from_json(row.lint_settings),
        settings_version=row.version,
    )


def current_record(row: sa.Row) -> dict[str, Any] | None:
    """The example's record now: its edited JSON, else its original line; None if quarantined."""
    if row.record is not None:
        return decoded_json(row.record)
    if row.error is not None:
        return None
    return json_from_raw(bytes(row.raw))


_raw_decode = json.JSONDecoder().raw_decode


def json_from_raw(raw: bytes) -> Any:
    """json.loads(raw), without its per-call encoding detection for the usual UTF-8 line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return json.loads(raw)  # another encoding: json.loads detects it from the bytes
    return decoded_json(text)


def decoded_json(text: str) -> Any:
    """json.loads(text) by a reused decoder: a third of the cost over 100,000 rows."""
    try:
        value, end = _raw_decode(text)
    except ValueError:
        value, end = None, -1
    if end == len(text):
        return value
    # Leading blanks, a byte-order mark, trailing text: json.loads' own rules and messages.
    return json.loads(text)


def stored_example(row: sa.Row) -> StoredExample:
    record = current_record(row)
    example = Example(
        id=row.id,
        record=record,
        line=row.line,
        # The original bytes describe the example only until its first edit.
        raw=bytes(row.raw) if row.record is None and row.raw is not None else None,
        eol=bytes(row.eol),
        prefix=bytes(row.prefix),
        error=row.error,
        error_field=row.error_field,
    )
    return StoredExample(
        example=example,
        review=review(row),
        version=row.version,
        dataset_id=row.dataset_id,
        position=row.position,
        deleted=row.deleted,
        updated_at=utc(row.updated_at),
        updated_by=row.updated_by,
    )


def review(row: Any) -> Review:
    """The review held in a row (or anything with the review columns as attributes)."""
    return Review(
        status=Status(row.status),
        split=Split(row.split),
        label=row.label,
        reviewer=row.reviewer,
        notes=row.notes,
        tags=tuple(row.tags),
        suppressed=tuple(row.suppressed),
    )


def history_entry(row: sa.Row) -> HistoryEntry:
    return HistoryEntry(
        id=row.id,
        example_id=row.example_id,
        field=row.field,
        old=load_value(row.old_value),
        new=load_value(row.new_value),
        author=row.author,
        at=utc(row.at),
        version=row.version,
        outcome=row.outcome,
    )


Decoders = Mapping[str, tuple[int, Callable[[Any], Any] | None]]


class DriverRow:
    """A row as the database driver returned it, read like an SQLAlchemy row: by column name,
    each value decoded as SQLAlchemy's own read would (JSON text to a list, SQLite's date text
    to a datetime), but only when asked for. A bulk change reads two or three columns of each
    of 100,000 rows; decoding every column up front cost more than the change itself."""

    __slots__ = ("_decoders", "values")

    def __init__(self, values: Sequence[Any], decoders: Decoders) -> None:
        self.values = values
        self._decoders = decoders

    def __getattr__(self, name: str) -> Any:
        try:
            index, decode = self._decoders[name]
        except KeyError:
            raise AttributeError(name) from None
        value = self.values[index]
        return value if decode is None else decode(value)

    def decoder(self, name: str) -> Callable[[Any], Any] | None:
        return self._decoders[name][1]


def decoders(table: sa.Table, dialect: sa.Dialect) -> Decoders:
    """Column name -> (its place in a row of all `table`'s columns, the dialect's decoder)."""
    return {
        column.name: (index, column.type.dialect_impl(dialect).result_processor(dialect, None))
        for index, column in enumerate(table.columns)
    }


def encoder(column: sa.Column, dialect: sa.Dialect) -> Callable[[Any], Any]:
    """What SQLAlchemy does to a value before handing it to the driver for this column."""
    encode = column.type.dialect_impl(dialect).bind_processor(dialect)
    return encode if encode is not None else _same


def _same(value: Any) -> Any:
    return value
