"""The files of a SQLite project: its backup before an upgrade, and cleaning up a failed create."""

from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from pathlib import Path

import sqlalchemy as sa

from tunedeck.core.errors import UserError

# SQLite keeps a project's recent commits beside it in these until they are checkpointed.
_COMPANIONS = ("-wal", "-shm", "-journal")


def backup_path(path: Path, revision: str) -> Path:
    """Where the copy made before upgrading from `revision` goes: beside the project."""
    return path.with_name(f"{path.stem}.before-upgrade-from-{revision}{path.suffix}")


def backup_before_upgrade(engine: sa.Engine, path: Path, revision: str) -> Path:
    """Copy the project, committed WAL content included, before its schema is upgraded.

    Uses SQLite's online backup, which copies a consistent snapshot even while the file is
    open; a plain file copy could miss commits still in the -wal file.

    Raises:
        UserError: The copy cannot be written (the upgrade must then not go ahead).
    """
    target = backup_path(path, revision)
    try:
        raw = engine.raw_connection()
        try:
            with closing(sqlite3.connect(target)) as copy:
                raw.driver_connection.backup(copy)
        finally:
            raw.close()
    except sqlite3.Error as error:
        remove_project_files(target)
        raise UserError(
            f"cannot upgrade {path}: the backup {target} could not be written ({error}); "
            "the project is unchanged"
        ) from error
    return target


def remove_project_files(path: Path) -> None:
    """Remove a project file and SQLite's companions (after a create that failed)."""
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in _COMPANIONS)):
        # Best effort: on a read-only or vanished folder there is nothing to clean up anyway.
        with suppress(OSError):
            candidate.unlink()
