"""Bringing a dataset file into a project in one transaction: all of it, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa

from tunedeck.core.collector import building_long_lived
from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.errors import UserError
from tunedeck.core.io import load, serialize
from tunedeck.core.lint.settings import LintSettings
from tunedeck.core.storage import rows
from tunedeck.core.storage.adding import GAP
from tunedeck.core.storage.records import DatasetInfo
from tunedeck.core.storage.schema import datasets

_COLUMNS = ("dataset_id", "position", "line", "raw", "eol", "prefix", "error", "error_field")
BATCH = 2000  # rows per INSERT round trip; progress is reported after each

Progress = Callable[[int, int], None]  # (examples stored, examples in the file)


class Cancellation(Protocol):
    def is_set(self) -> bool: ...


class ImportCancelledError(UserError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"import of {path} cancelled; the project is unchanged")


def read_for_import(
    path: Path, mapping: dict[str, str] | None = None, sheet: str | int | None = None
) -> Dataset:
    """Read a file the way an import needs it: every line's original bytes kept."""
    with building_long_lived():  # lives until stored; collections would only stall the window
        return load(path, mapping=mapping, sheet=sheet, keep_raw=True)


def insert_dataset(
    connection: sa.Connection,
    name: str,
    dataset: Dataset,
    *,
    settings: LintSettings | None = None,
    progress: Progress | None = None,
    cancel: Cancellation | None = None,
) -> DatasetInfo:
    """Store a dataset read from a file under a new name.

    Raises:
        UserError: The name is taken, or the import was cancelled (the caller's transaction
            must then be rolled back).
    """
    taken = connection.execute(sa.select(datasets.c.id).where(datasets.c.name == name)).first()
    if taken is not None:
        raise UserError(f"the project already has a dataset named {name!r}; choose another name")
    source = dataset.layout.source
    dataset_id = connection.execute(
        sa.insert(datasets)
        .values(
            name=name,
            source=str(source) if source is not None else None,
            created_at=rows.now(),
            lint_settings=rows.settings_to_json(settings or LintSettings()),
            version=1,
            **rows.layout_columns(dataset.layout),
        )
        .returning(datasets.c.id)
    ).scalar_one()
    total = len(dataset)
    done = 0
    write = _bulk_writer(connection)
    for batch in _batches(dataset, dataset_id):
        if cancel is not None and cancel.is_set():
            raise ImportCancelledError(source or Path(name))
        write(batch)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    if connection.dialect.name == "postgresql":
        # Without fresh statistics the planner takes a 100,000-row dataset for a few hundred
        # rows and sorts the whole table for every page of the window.
        connection.exec_driver_sql("ANALYZE examples")
    info = connection.execute(sa.select(datasets).where(datasets.c.id == dataset_id)).one()
    return rows.dataset_info(info)


def _bulk_writer(connection: sa.Connection) -> Callable[[list[tuple]], None]:
    """The fastest way each database offers to append many rows to `examples`.

    Both bypass SQLAlchemy's per-row parameter processing, which would double the time of a
    large import: plain executemany on SQLite, COPY on PostgreSQL (twice as fast as INSERT).
    """
    columns = ", ".join(_COLUMNS)
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()

        def copy(batch: list[tuple]) -> None:
            with cursor.copy(f"COPY examples ({columns}) FROM STDIN") as stream:
                for values in batch:
                    stream.write_row(values)

        return copy
    marks = ", ".join("?" * len(_COLUMNS))
    statement = f"INSERT INTO examples ({columns}) VALUES ({marks})"
    return lambda batch: connection.exec_driver_sql(statement, batch)


def _batches(dataset: Dataset, dataset_id: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for number, example in enumerate(dataset, start=1):
        batch.append(_row(example, dataset, dataset_id, number * GAP))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _row(example: Example, dataset: Dataset, dataset_id: int, position: int) -> tuple:
    # Tables and JSON arrays have no line of their own: the record in the file's style
    # stands in for one, so the project still holds an original to export.
    raw = serialize(example, dataset.layout)
    return (
        dataset_id,
        position,
        example.line,
        raw,
        example.eol,
        example.prefix,
        example.error,
        example.error_field,
    )
