"""Writing a stored dataset back to JSON Lines, byte for byte where nothing was edited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from tunedeck.core.io import Line, atomic_write, file_chunks
from tunedeck.core.io.files import writing
from tunedeck.core.io.style import dump
from tunedeck.core.storage.records import DatasetInfo
from tunedeck.core.storage.schema import examples

_EXPORTED = (examples.c.raw, examples.c.record, examples.c.prefix, examples.c.eol)


def export_jsonl(
    connection: sa.Connection, info: DatasetInfo, path: Path, *, quarantined: bool = True
) -> int:
    """Write a dataset's examples in order, atomically; returns how many were written.

    Untouched examples (and quarantined lines, unless `quarantined` is False) are written as
    the bytes that were imported; edited and new ones as their record in the file's style.
    """
    query = (
        sa.select(*_EXPORTED)
        .where(examples.c.dataset_id == info.id, examples.c.deleted == sa.false())
        .order_by(examples.c.position, examples.c.id)
    )
    if not quarantined:
        query = query.where(examples.c.error.is_(None))
    count = 0

    def lines() -> Iterator[Line]:
        nonlocal count
        layout = info.layout
        # Streamed in partitions so that a large dataset is never all in memory at once.
        result = connection.execution_options(yield_per=2000).execute(query)
        for raw, record, prefix, eol in result:
            count += 1
            if record is None:
                yield bytes(prefix), bytes(raw), bytes(eol)
            else:
                content = dump(json.loads(record), layout.separators, layout.ensure_ascii)
                yield bytes(prefix), content, bytes(eol)

    with writing(path), atomic_write(path) as stream:
        for chunk in file_chunks(info.layout, lines()):
            stream.write(chunk)
    return count
