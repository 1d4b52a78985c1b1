"""New examples, placed between their neighbours without renumbering the whole dataset."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tunedeck.core.errors import UserError
from tunedeck.core.storage import rows
from tunedeck.core.storage.editing import CONTENT, _log, fetch_row
from tunedeck.core.storage.records import StoredExample
from tunedeck.core.storage.schema import examples

# Imports number positions in steps of GAP, so about ten insertions can land between two
# imported neighbours before a renumbering is needed.
GAP = 1024


def add_example(
    connection: sa.Connection,
    dataset_id: int,
    record: dict[str, Any],
    author: str,
    *,
    after: int | None = None,
    eol: bytes = b"\n",
) -> StoredExample:
    """Insert a new example after the example `after` (at the end when None)."""
    if not isinstance(record, dict):
        raise UserError("a new example must be a JSON object")
    position = _position_after(connection, dataset_id, after)
    moment = rows.now()
    example_id = connection.execute(
        sa.insert(examples)
        .values(
            dataset_id=dataset_id,
            position=position,
            record=rows.dump_record(record),
            eol=eol,
            prefix=b"",
            updated_at=moment,
            updated_by=author,
        )
        .returning(examples.c.id)
    ).scalar_one()
    _log(connection, example_id, {CONTENT: (None, record)}, author, moment, 1, "applied")
    return rows.stored_example(fetch_row(connection, example_id))


def _position_after(connection: sa.Connection, dataset_id: int, after: int | None) -> int:
    in_dataset = examples.c.dataset_id == dataset_id
    if after is None:
        last = connection.execute(sa.select(sa.func.max(examples.c.position)).where(in_dataset))
        return (last.scalar() or 0) + GAP
    anchor = fetch_row(connection, after)
    if anchor.dataset_id != dataset_id:
        raise UserError(f"example {after} belongs to another dataset")
    following = connection.execute(
        sa.select(sa.func.min(examples.c.position)).where(
            in_dataset, examples.c.position > anchor.position
        )
    ).scalar()
    if following is None:
        return anchor.position + GAP
    if following - anchor.position >= 2:
        return (anchor.position + following) // 2
    _renumber(connection, dataset_id)
    return _position_after(connection, dataset_id, after)


def _renumber(connection: sa.Connection, dataset_id: int) -> None:
    # Rare (no gap left between two neighbours): spread every position out again, in order.
    ids = (
        connection.execute(
            sa.select(examples.c.id)
            .where(examples.c.dataset_id == dataset_id)
            .order_by(examples.c.position, examples.c.id)
        )
        .scalars()
        .all()
    )
    connection.execute(
        sa.update(examples).where(examples.c.id == sa.bindparam("row_id")),
        [{"row_id": row_id, "position": (n + 1) * GAP} for n, row_id in enumerate(ids)],
    )
