"""A curation project: datasets, review state and history, kept safe with every call.

There is no save step. Each method that changes something commits its own short transaction
before it returns, so an edit the caller has seen succeed survives a crash or a pulled plug.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tunedeck import __version__
from tunedeck.core.dataset import Dataset
from tunedeck.core.errors import UserError
from tunedeck.core.lint.settings import LintSettings
from tunedeck.core.storage import editing, exporting, importing, migrate, rows
from tunedeck.core.storage.adding import add_example
from tunedeck.core.storage.bulk_editing import ChangedExamples, change_many
from tunedeck.core.storage.chat_store import ChatStore
from tunedeck.core.storage.database import (
    check_sqlite_file,
    create_engine,
    display_name,
    is_url,
    reported,
)
from tunedeck.core.storage.job_store import JobStore
from tunedeck.core.storage.loading import PageReader
from tunedeck.core.storage.records import (
    Change,
    ConflictError,
    DatasetInfo,
    HistoryEntry,
    LoadedDataset,
    RowKey,
    StoredExample,
)
from tunedeck.core.storage.restoring import restore_from_history
from tunedeck.core.storage.schema import datasets, examples, history, project_info
from tunedeck.core.storage.sqlite_files import backup_before_upgrade, remove_project_files


def default_author() -> str:
    try:
        return os.environ.get("TUNEDECK_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):  # no user name in containers without a passwd entry
        return "unknown"


class Project:
    """An open project. Use `Project.open`; close it (or use `with`) when done."""

    def __init__(self, engine: sa.Engine, location: str | Path, author: str) -> None:
        self._engine = engine
        self.location = location
        self.author = author
        self.jobs = JobStore(engine, location, author)
        self.chats = ChatStore(engine, location, author)

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        location: str | Path,
        *,
        create: bool = False,
        author: str | None = None,
        migrations: Path = migrate.SCRIPTS,
    ) -> Project:
        """Open a project file or PostgreSQL database, upgrading an older one in place.

        Args:
            location: A `.tunedeck` file or a PostgreSQL URL.
            create: Create the file when it does not exist (a PostgreSQL database must
                exist; its tables are created when it is empty).
            author: The name recorded with every change (default: the OS user name, or the
                TUNEDECK_AUTHOR environment variable).
            migrations: The migration scripts (tests use a copy with an extra revision).

        Raises:
            UserError: The location cannot be opened or created, is not a TuneDeck project, or
                was written by a newer TuneDeck. A project file this call created is removed
                again when creating it failed.
        """
        created = False
        if not is_url(location):
            location = Path(location)
            created = check_sqlite_file(location, create=create)
        engine = create_engine(location)
        name = display_name(location)
        try:
            with reported("open" if not created else "create", location):
                before = migrate.bring_up_to_date(
                    engine,
                    name,
                    backup=None if is_url(location) else _backup(engine, location),
                    scripts=migrations,
                )
                if before is None:
                    _record_creation(engine)
        except BaseException:
            engine.dispose()
            if created:
                remove_project_files(Path(location))
            raise
        return cls(engine, location, author or default_author())

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return display_name(self.location)

    def _reading(self) -> Any:
        return reported("read", self.location)

    def _saving(self) -> Any:
        return reported("save to", self.location)

    # --- datasets --------------------------------------------------------------------------

    def datasets(self) -> list[DatasetInfo]:
        with self._reading(), self._engine.connect() as connection:
            found = connection.execute(sa.select(datasets).order_by(datasets.c.id))
            return [rows.dataset_info(row) for row in found]

    def dataset(self, name: str) -> DatasetInfo:
        for info in self.datasets():
            if info.name == name:
                return info
        names = ", ".join(info.name for info in self.datasets()) or "none yet"
        raise UserError(f"{self.name} has no dataset named {name!r} (datasets: {names})")

    def import_file(
        self,
        path: str | os.PathLike[str],
        name: str | None = None,
        *,
        mapping: dict[str, str] | None = None,
        sheet: str | int | None = None,
        settings: LintSettings | None = None,
        progress: importing.Progress | None = None,
        cancel: importing.Cancellation | None = None,
    ) -> DatasetInfo:
        """Import a dataset file (JSONL, JSON, CSV, TSV, XLSX, Parquet) as a new dataset.

        All or nothing: on any failure or a cancel, the project is left as it was.
        """
        path = Path(path)
        dataset = importing.read_for_import(path, mapping, sheet)
        return self.import_dataset(
            dataset, name or path.stem, settings=settings, progress=progress, cancel=cancel
        )

    def import_dataset(
        self,
        dataset: Dataset,
        name: str,
        *,
        settings: LintSettings | None = None,
        progress: importing.Progress | None = None,
        cancel: importing.Cancellation | None = None,
    ) -> DatasetInfo:
        """Store a dataset already read (with `read_for_import`) under a new name."""
        with self._saving(), self._engine.begin() as connection:
            return importing.insert_dataset(
                connection, name, dataset, settings=settings, progress=progress, cancel=cancel
            )

    def export(self, name: str, path: str | os.PathLike[str], *, quarantined: bool = True) -> int:
        """Write a dataset to JSON Lines atomically; returns the number of lines written."""
        info = self.dataset(name)
        with self._reading(), self._engine.connect() as connection:
            return exporting.export_jsonl(connection, info, Path(path), quarantined=quarantined)

    def set_settings(self, name: str, settings: LintSettings, expected_version: int) -> DatasetInfo:
        """Replace a dataset's lint settings, refusing if someone changed them meanwhile."""
        info = self.dataset(name)
        with self._saving(), self._engine.begin() as connection:
            updated = connection.execute(
                sa.update(datasets)
                .where(datasets.c.id == info.id, datasets.c.version == expected_version)
                .values(
                    lint_settings=rows.settings_to_json(settings),
                    version=datasets.c.version + 1,
                )
            )
            if updated.rowcount != 1:
                raise UserError(
                    f"the settings of {name!r} were changed by someone else since you opened "
                    "them; reopen them to see the current values"
                )
        return self.dataset(name)

    # --- reading examples ------------------------------------------------------------------

    def count(self, dataset_id: int) -> int:
        with self._reading(), self._engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count()).select_from(examples).where(_live(dataset_id))
            ).scalar_one()

    def window(self, dataset_id: int, offset: int, limit: int = 200) -> list[StoredExample]:
        """The examples at positions offset..offset+limit-1 of a dataset, in order."""
        query = _in_order(sa.select(examples).where(_live(dataset_id))).offset(offset).limit(limit)
        with self._reading(), self._engine.connect() as connection:
            return [rows.stored_example(row) for row in connection.execute(query)]

    def examples(self, dataset_id: int, page: int = 2000) -> Iterator[StoredExample]:
        """Every example of a dataset in order.

        Read a page at a time, each in its own short transaction, so that a caller may stop
        early or take its time without holding the database (on SQLite, a transaction holds
        the write lock).
        """
        after: tuple[int, int] | None = None
        while True:
            query = _in_order(sa.select(examples).where(_live(dataset_id))).limit(page)
            if after is not None:
                query = query.where(sa.tuple_(examples.c.position, examples.c.id) > after)
            with self._reading(), self._engine.connect() as connection:
                found = [rows.stored_example(row) for row in connection.execute(query)]
            yield from found
            if len(found) < page:
                return
            after = (found[-1].position, found[-1].id)

    def load(self, name: str, page: int = 10_000, first: int | None = None) -> LoadedDataset:
        """A dataset in memory, for linting and the window's table: all of it, or with
        `first`, its first rows only (`LoadedDataset.rest` then says where load_rest() picks
        up, None when there was nothing more).

        Paged like `examples`, so a large load never holds the database for long.
        """
        info = self.dataset(name)
        reader = PageReader()
        rest = reader.read(self._read_connection, info.id, None, page, limit=first)
        return LoadedDataset(
            info=info,
            dataset=Dataset.from_examples(reader.examples, info.layout),
            reviews=reader.reviews,
            versions=reader.versions,
            rest=rest,
        )

    def load_rest(
        self,
        dataset_id: int,
        after: RowKey,
        page: int = 10_000,
        progress: Callable[[int], None] | None = None,
        reader: PageReader | None = None,
    ) -> PageReader:
        """The rows after `after` (a `LoadedDataset.rest`), read as `load` reads them into
        `reader` (a new one when not given); calls `progress` with the number read so far
        after each page. Safe in another thread: it only reads."""
        reader = reader or PageReader()
        reader.read(self._read_connection, dataset_id, after, page, progress=progress)
        return reader

    @contextmanager
    def _read_connection(self) -> Iterator[sa.Connection]:
        with self._reading(), self._engine.connect() as connection:
            yield connection

    def example(self, example_id: int) -> StoredExample:
        with self._reading(), self._engine.connect() as connection:
            return rows.stored_example(editing.fetch_row(connection, example_id))

    def versions(self, dataset_id: int) -> dict[int, int]:
        """Every example's current version: compare with yours to see what others changed."""
        query = sa.select(examples.c.id, examples.c.version).where(
            examples.c.dataset_id == dataset_id
        )
        with self._reading(), self._engine.connect() as connection:
            return {row_id: version for row_id, version in connection.execute(query)}

    def history(self, example_id: int) -> list[HistoryEntry]:
        query = sa.select(history).where(history.c.example_id == example_id).order_by(history.c.id)
        with self._reading(), self._engine.connect() as connection:
            return [rows.history_entry(row) for row in connection.execute(query)]

    # --- changing examples -----------------------------------------------------------------

    def set_fields(
        self, example_id: int, expected_version: int, changes: dict[str, Any]
    ) -> StoredExample:
        """Change fields of an example's record ({"prompt": "..."}; MISSING removes a key).

        Raises:
            ConflictError: The example changed since `expected_version`; nothing applied.
        """
        return self._change(example_id, expected_version, content=changes)

    def review(self, example_id: int, expected_version: int, **changes: Any) -> StoredExample:
        """Change review fields: status, split, label, reviewer, notes, tags, suppressed."""
        return self._change(example_id, expected_version, review=changes)

    def delete(self, example_id: int, expected_version: int) -> StoredExample:
        """Remove an example from its dataset; `undelete` or `restore` brings it back."""
        return self._change(example_id, expected_version, review={editing.DELETED: True})

    def undelete(self, example_id: int, expected_version: int) -> StoredExample:
        return self._change(example_id, expected_version, review={editing.DELETED: False})

    def repair(self, example_id: int, expected_version: int, text: str) -> StoredExample:
        """Replace an example's line of JSON; valid JSON brings a quarantined line back."""
        with self._saving(), self._engine.begin() as connection:
            layout = self._layout_of(connection, example_id)
            outcome = editing.repair_line(
                connection, example_id, expected_version, self.author, text, layout
            )
        return _raise_conflict(outcome)

    def add(
        self, dataset_id: int, record: dict[str, Any], *, after: int | None = None
    ) -> StoredExample:
        """Add a new example after `after` (at the end when None)."""
        with self._saving(), self._engine.begin() as connection:
            info = _dataset_row(connection, dataset_id)
            return add_example(
                connection, dataset_id, record, self.author, after=after, eol=info.newline
            )

    def restore(self, example_id: int, expected_version: int, entry_id: int) -> StoredExample:
        """Put back the value a field had before the history entry `entry_id`."""
        with self._saving(), self._engine.begin() as connection:
            layout = self._layout_of(connection, example_id)
            outcome = restore_from_history(
                connection, example_id, expected_version, entry_id, self.author, layout
            )
        return _raise_conflict(outcome)

    def apply(self, changes: Sequence[Change]) -> ChangedExamples:
        """Several changes as one transaction: all are stored, or none (a "fix all").

        Changes to the same example chain: each after the first is made against the version
        the one before produced.

        Raises:
            ConflictError: An example had moved on; nothing was applied.
        """
        with self._saving(), self._engine.begin() as connection:
            # A ConflictError raised inside rolls the whole batch back.
            return change_many(connection, changes, self.author)

    def _change(self, example_id: int, expected_version: int, **changes: Any) -> StoredExample:
        with self._saving(), self._engine.begin() as connection:
            outcome = editing.change(
                connection, example_id, expected_version, self.author, **changes
            )
        return _raise_conflict(outcome)

    def _layout_of(self, connection: sa.Connection, example_id: int):
        row = editing.fetch_row(connection, example_id)
        return rows.dataset_info(_dataset_row(connection, row.dataset_id)).layout

    # --- maintenance -----------------------------------------------------------------------

    def integrity_check(self) -> str:
        """SQLite's own check of the file ("ok" when sound); "ok" for PostgreSQL."""
        if self._engine.dialect.name != "sqlite":
            return "ok"
        with self._reading(), self._engine.connect() as connection:
            return "\n".join(connection.exec_driver_sql("PRAGMA integrity_check").scalars())


def _live(dataset_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(examples.c.dataset_id == dataset_id, examples.c.deleted == sa.false())


def _in_order(query: sa.Select) -> sa.Select:
    return query.order_by(examples.c.position, examples.c.id)


def _dataset_row(connection: sa.Connection, dataset_id: int) -> sa.Row:
    row = connection.execute(sa.select(datasets).where(datasets.c.id == dataset_id)).first()
    if row is None:
        raise UserError(f"dataset {dataset_id} does not exist in this project")
    return row


def _raise_conflict(outcome: StoredExample | ConflictError) -> StoredExample:
    # Raised only now, after the transaction that recorded the refused change committed.
    if isinstance(outcome, ConflictError):
        raise outcome
    return outcome


def _record_creation(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.insert(project_info),
            [
                {"key": "created_by", "value": f"TuneDeck {__version__}"},
                {"key": "created_at", "value": rows.now().isoformat()},
            ],
        )


def _backup(engine: sa.Engine, path: Path):
    def write_backup(revision: str) -> None:
        backup_before_upgrade(engine, path, revision)

    return write_backup
