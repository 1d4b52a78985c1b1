"""Many examples changed in one transaction with a handful of statements, not four per row.

`editing.change` reads the row, updates it, writes its history and reads it back: about a
millisecond each, so applying a split to 100,000 examples took minutes. Here the rows are read
in chunks, the updates that set the same columns go out as one executemany, the history as
another, and the changed examples are built from what was read plus what was written. The
rules are editing.change's own (same validation, same history, same conflict check); a batch
that changes one example twice keeps the one-by-one path, where each change sees the last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from tunedeck.core.storage import editing, rows
from tunedeck.core.storage.records import Change, ConflictError, StoredExample
from tunedeck.core.storage.schema import examples, history

_CHUNK = 500  # ids per SELECT ... IN (...): well under every driver's parameter limit


def change_many(
    connection: sa.Connection, changes: Sequence[Change], author: str
) -> dict[int, StoredExample]:
    """Apply every change or raise the first ConflictError (the caller rolls back)."""
    ids = [item.example_id for item in changes]
    if len(set(ids)) != len(ids):
        return _one_by_one(connection, changes, author)
    current = _fetch(connection, ids)
    moment = rows.now()
    planned = []
    for item in changes:
        row = current.get(item.example_id) or editing.fetch_row(connection, item.example_id)
        columns, logged = editing.planned_change(row, item.content, item.review, author)
        if row.version != item.expected_version:
            raise editing.conflict(connection, row, logged, author)
        planned.append((row, columns, logged))
    _update(connection, planned, author, moment)
    _log(connection, planned, author, moment)
    return {row.id: _after(row, columns, author, moment) for row, columns, _ in planned}


def _one_by_one(
    connection: sa.Connection, changes: Sequence[Change], author: str
) -> dict[int, StoredExample]:
    results: dict[int, StoredExample] = {}
    for item in changes:
        done = results.get(item.example_id)
        version = done.version if done is not None else item.expected_version
        outcome = editing.change(
            connection, item.example_id, version, author, content=item.content, review=item.review
        )
        if isinstance(outcome, ConflictError):
            raise outcome
        results[item.example_id] = outcome
    return results


def _fetch(connection: sa.Connection, ids: list[int]) -> dict[int, sa.Row]:
    found: dict[int, sa.Row] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = sa.select(examples).where(examples.c.id.in_(chunk))
        found.update((row.id, row) for row in connection.execute(query))
    return found


def _update(connection: sa.Connection, planned: list, author: str, moment: Any) -> None:
    row_params: dict[int, dict[str, Any]] = {}
    # One executemany per set of columns changed: a split sets "split" on every row.
    groups: dict[tuple[str, ...], list[tuple[sa.Row, dict[str, Any]]]] = defaultdict(list)
    for row, columns, logged in planned:
        groups[tuple(sorted(columns))].append((row, logged))
        params = {f"new_{name}": value for name, value in columns.items()}
        params.update(b_id=row.id, b_version=row.version, b_next=row.version + 1)
        row_params[row.id] = params
    for names, members in groups.items():
        statement = (
            sa.update(examples)
            .where(
                examples.c.id == sa.bindparam("b_id"),
                examples.c.version == sa.bindparam("b_version"),
            )
            .values(
                {
                    **{name: sa.bindparam(f"new_{name}") for name in names},
                    "version": sa.bindparam("b_next"),
                    "updated_at": moment,
                    "updated_by": author,
                }
            )
        )
        params = [row_params[row.id] for row, _ in members]
        updated = connection.execute(statement, params).rowcount
        if updated != len(params):  # -1 when the driver does not count an executemany
            _refuse_if_overtaken(connection, members, author, moment)


def _refuse_if_overtaken(
    connection: sa.Connection, members: list, author: str, moment: Any
) -> None:
    """Someone may have committed between our read and our write: find whom, and refuse."""
    current = _fetch(connection, [row.id for row, _ in members])
    for row, logged in members:
        fresh = current[row.id]
        if fresh.version != row.version + 1 or rows.utc(fresh.updated_at) != moment:
            raise editing.conflict(connection, fresh, logged, author)


def _log(connection: sa.Connection, planned: list, author: str, moment: Any) -> None:
    entries = [
        {
            "example_id": row.id,
            "field": name,
            "old_value": rows.dump_value(old),
            "new_value": rows.dump_value(new),
            "author": author,
            "at": moment,
            "version": row.version + 1,
            "outcome": "applied",
        }
        for row, _columns, logged in planned
        for name, (old, new) in logged.items()
    ]
    if entries:
        connection.execute(sa.insert(history), entries)


def _after(row: sa.Row, columns: dict[str, Any], author: str, moment: Any) -> StoredExample:
    values = dict(row._mapping)
    values.update(columns, version=row.version + 1, updated_at=moment, updated_by=author)
    return rows.stored_example(SimpleNamespace(**values))
