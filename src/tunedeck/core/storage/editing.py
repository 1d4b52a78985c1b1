"""Changing one example inside a transaction: version check, new values, history rows.

Every function here takes an open connection and does one user action; the caller commits.
An edit names the version it was made against; if the example has moved on since, the edit
is not applied but recorded in the history as a conflict, so that nobody's work is lost.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import sqlalchemy as sa

from tunedeck.core.dataset import FileLayout, fields
from tunedeck.core.errors import UserError
from tunedeck.core.io import parse_line
from tunedeck.core.io.style import dump
from tunedeck.core.storage import rows
from tunedeck.core.storage.records import (
    REVIEW_FIELDS,
    ConflictError,
    Split,
    Status,
    StoredExample,
)
from tunedeck.core.storage.schema import examples, history

CONTENT = "$"  # prefix of a content field in the history: "$.prompt"
LINE = "line"  # the text of a quarantined line, as the user repaired it
DELETED = "deleted"


def fetch_row(connection: sa.Connection, example_id: int) -> sa.Row:
    row = connection.execute(sa.select(examples).where(examples.c.id == example_id)).first()
    if row is None:
        raise UserError(f"example {example_id} does not exist in this project")
    return row


def change(
    connection: sa.Connection,
    example_id: int,
    expected_version: int,
    author: str,
    *,
    content: dict[str, Any] | None = None,
    review: dict[str, Any] | None = None,
) -> StoredExample | ConflictError:
    """Apply content and review changes as one new version of an example.

    Args:
        connection: An open transaction.
        example_id: The example to change.
        expected_version: The version the user's edit was made against.
        author: Who makes the change.
        content: Field path ("prompt", "messages[2].content") to new value; fields.MISSING
            removes a key.
        review: Review field ("status", "notes", "tags", ...) or "deleted" to new value.

    Returns:
        The example as changed, or, when it had moved on, the conflict (already recorded in
        the history; the caller commits, then raises it).

    Raises:
        UserError: No such example, an unknown or unreachable field, an invalid value, or a
            content edit of a quarantined line.
    """
    row = fetch_row(connection, example_id)
    columns, changes = planned_change(row, content, review, author)
    if row.version != expected_version:
        return conflict(connection, row, changes, author)
    return _commit(connection, row, columns, changes, author)


def planned_change(
    row: sa.Row, content: dict[str, Any] | None, review: dict[str, Any] | None, author: str
) -> tuple[dict[str, Any], dict[str, tuple]]:
    """(the columns to write, the history's field -> (old, new)) for a change of `row`.

    Raises:
        UserError: An unknown or unreachable field, an invalid value, or a content edit of a
            quarantined line.
    """
    columns = _review_columns(review or {}, author)
    record, content_changes = _edited_record(row, content or {})
    changes = {**content_changes, **{name: (getattr(row, name), v) for name, v in columns.items()}}
    if record is not _UNCHANGED:
        columns["record"] = None if _pristine(row, record) else rows.dump_record(record)
    return columns, changes


def repair_line(
    connection: sa.Connection,
    example_id: int,
    expected_version: int,
    author: str,
    text: str,
    layout: FileLayout,
) -> StoredExample | ConflictError:
    """Replace an example's whole line of JSON; a valid repair brings a quarantined line back.

    Text that is not a usable record quarantines the example with the reason, keeping the
    text, so that editing the raw line never loses what was typed.
    """
    row = fetch_row(connection, example_id)
    data = text.encode("utf-8", "surrogateescape")
    old_text = line_text(row, layout)
    changes = {LINE: (old_text, text)}
    if row.version != expected_version:
        return conflict(connection, row, changes, author)
    parsed = parse_line(data, row.line, example_id, layout)
    columns: dict[str, Any] = {"error": parsed.error, "error_field": parsed.error_field}
    if parsed.record is not None and b"\n" in data:
        # A record pasted over several lines is written back on one.
        columns.update(raw=None, record=rows.dump_record(parsed.record))
    else:
        columns.update(raw=data, record=None)
    return _commit(connection, row, columns, changes, author)


def line_text(row: sa.Row, layout: FileLayout) -> str:
    """The example's line as it would be exported, as text."""
    if row.record is None:
        return bytes(row.raw).decode("utf-8", "replace")
    return dump(json.loads(row.record), layout.separators, layout.ensure_ascii).decode("utf-8")


def _review_columns(review: dict[str, Any], author: str) -> dict[str, Any]:
    unknown = set(review) - REVIEW_FIELDS - {DELETED}
    if unknown:
        raise UserError(f"unknown review field {', '.join(sorted(unknown))}")
    columns = {name: _checked(name, value) for name, value in review.items()}
    if "status" in columns and "reviewer" not in columns:
        columns["reviewer"] = author  # whoever decides on an example is its reviewer
    return columns


def _checked(name: str, value: Any) -> Any:
    try:
        if name == "status":
            return Status(value).value
        if name == "split":
            return Split(value).value
        if name in ("tags", "suppressed"):
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ValueError
            return list(dict.fromkeys(value))
        if name == DELETED:
            return bool(value)
        if name == "notes" and isinstance(value, str):
            return value
        if name in ("label", "reviewer") and (value is None or isinstance(value, str)):
            return value
    except (TypeError, ValueError):
        pass
    raise UserError(f"{value!r} is not a valid {name}")


_UNCHANGED: Any = object()


def _edited_record(row: sa.Row, content: dict[str, Any]) -> tuple[Any, dict[str, tuple]]:
    if not content:
        return _UNCHANGED, {}
    record = rows.current_record(row)
    if record is None:
        raise UserError(f"example {row.id} is a quarantined line; repair its text instead")
    changes: dict[str, tuple] = {}
    for path, value in content.items():
        new = value if value is fields.MISSING else copy.deepcopy(value)
        try:
            old = fields.set_field(record, path, new)
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise UserError(f"example {row.id} has no field {path}") from error
        changes[f"{CONTENT}.{path}"] = (old, value)
    return record, changes


def _pristine(row: sa.Row, record: dict[str, Any]) -> bool:
    # Edited back to exactly what was imported (key order included): export the original
    # bytes again rather than a re-serialisation that might differ in spacing.
    if row.raw is None or row.error is not None:
        return False
    return rows.dump_record(json.loads(row.raw)) == rows.dump_record(record)


def _commit(
    connection: sa.Connection,
    row: sa.Row,
    columns: dict[str, Any],
    changes: dict[str, tuple],
    author: str,
) -> StoredExample | ConflictError:
    moment = rows.now()
    updated = connection.execute(
        sa.update(examples)
        .where(examples.c.id == row.id, examples.c.version == row.version)
        .values(**columns, version=row.version + 1, updated_at=moment, updated_by=author)
    )
    if updated.rowcount != 1:
        # Another session committed between our read and our write (PostgreSQL re-checks
        # the version under its row lock), so this is a conflict after all.
        return conflict(connection, fetch_row(connection, row.id), changes, author)
    _log(connection, row.id, changes, author, moment, row.version + 1, "applied")
    return rows.stored_example(fetch_row(connection, row.id))


def conflict(
    connection: sa.Connection, row: sa.Row, changes: dict[str, tuple], author: str
) -> ConflictError:
    _log(connection, row.id, changes, author, rows.now(), row.version, "conflict")
    attempted = {name: new for name, (_old, new) in changes.items()}
    return ConflictError(row.id, attempted, rows.stored_example(row))


def _log(
    connection: sa.Connection,
    example_id: int,
    changes: dict[str, tuple],
    author: str,
    moment: Any,
    version: int,
    outcome: str,
) -> None:
    if not changes:
        return
    connection.execute(
        sa.insert(history),
        [
            {
                "example_id": example_id,
                "field": name,
                "old_value": rows.dump_value(old),
                "new_value": rows.dump_value(new),
                "author": author,
                "at": moment,
                "version": version,
                "outcome": outcome,
            }
            for name, (old, new) in changes.items()
        ],
    )
