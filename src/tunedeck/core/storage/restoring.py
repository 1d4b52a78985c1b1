"""Bringing back a value from an example's history, as a new change of its own."""

from __future__ import annotations

import sqlalchemy as sa

from tunedeck.core.dataset import FileLayout
from tunedeck.core.errors import UserError
from tunedeck.core.storage import editing, rows
from tunedeck.core.storage.records import ConflictError, StoredExample
from tunedeck.core.storage.schema import history


def restore_from_history(
    connection: sa.Connection,
    example_id: int,
    expected_version: int,
    entry_id: int,
    author: str,
    layout: FileLayout,
) -> StoredExample | ConflictError:
    """Undo one recorded change, or carry out one that was refused.

    For an applied change the field gets back the value it had before; for a change refused
    in a conflict, the refused value is applied now (the user has seen the other version and
    still wants theirs). Either way it is a new version with its own history entry.
    """
    row = connection.execute(
        sa.select(history).where(history.c.id == entry_id, history.c.example_id == example_id)
    ).first()
    if row is None:
        raise UserError(f"example {example_id} has no history entry {entry_id}")
    entry = rows.history_entry(row)
    value = entry.new if entry.outcome == "conflict" else entry.old
    field = entry.field
    if field == editing.LINE:
        return editing.repair_line(connection, example_id, expected_version, author, value, layout)
    if field == editing.CONTENT:  # the example's creation: undoing it removes the example
        review = {editing.DELETED: value is None}
        return editing.change(connection, example_id, expected_version, author, review=review)
    if field.startswith(editing.CONTENT + "."):
        content = {field[len(editing.CONTENT) + 1 :]: value}
        return editing.change(connection, example_id, expected_version, author, content=content)
    return editing.change(connection, example_id, expected_version, author, review={field: value})
