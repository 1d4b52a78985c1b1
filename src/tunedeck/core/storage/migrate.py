"""Bringing a project's schema to the one this TuneDeck knows, through Alembic.

A new project is created by running every migration from the first, so the first schema is
itself a migration. An older project is backed up beside itself and upgraded in place; a
project written by a newer TuneDeck is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from tunedeck.core.errors import UserError

SCRIPTS = Path(__file__).with_name("migrations")


def _config(scripts: Path, connection: sa.Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(scripts))
    config.attributes["connection"] = connection
    return config


def known_revisions(scripts: Path = SCRIPTS) -> tuple[set[str], str]:
    """(every revision this TuneDeck has a script for, the newest one)."""
    from alembic.script import ScriptDirectory

    directory = ScriptDirectory.from_config(_config(scripts))
    return {script.revision for script in directory.walk_revisions()}, directory.get_current_head()


def head_by_file_name(scripts: Path = SCRIPTS) -> str | None:
    """The newest revision, read from the script names alone ("0003_chat_….py" -> "0003").

    Every script is named after its revision (a test holds them to it), so this agrees with
    Alembic's head without importing Alembic.
    """
    names = [path.name.split("_", 1)[0] for path in (scripts / "versions").glob("[0-9]*_*.py")]
    return max(names, default=None)


def _stored_revision(connection: sa.Connection) -> str | None:
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:  # no such table: a new or foreign database, Alembic decides
        connection.rollback()
        return None


def current_revision(connection: sa.Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def bring_up_to_date(
    engine: sa.Engine,
    name: str,
    *,
    backup: Callable[[str], None] | None,
    scripts: Path = SCRIPTS,
) -> str | None:
    """Create or upgrade the schema; returns the revision the project had before (None if new).

    Args:
        engine: The project's database.
        name: The project's name for messages.
        backup: Called with the old revision before an existing project is upgraded; it must
            leave a copy of the project beside it (or raise to stop the upgrade).
        scripts: The migration scripts; tests point this at a copy with an extra revision.

    Raises:
        UserError: The database holds something other than a TuneDeck project, or a project
            from a newer TuneDeck.
    """
    fast_head = head_by_file_name(scripts)
    with engine.connect() as connection:
        stored = _stored_revision(connection)
    if stored is not None and stored == fast_head:
        return stored  # up to date: no need to load Alembic (a quarter of a second)
    revisions, head = known_revisions(scripts)
    with engine.connect() as connection:
        before = current_revision(connection)
        tables = set(sa.inspect(connection).get_table_names())
        connection.rollback()
    if before is None and tables:
        raise UserError(
            f"cannot open {name}: the database holds other tables ({', '.join(sorted(tables))})"
            " and is not a TuneDeck project"
        )
    if before is not None and before not in revisions:
        raise UserError(
            f"cannot open {name}: it was saved by a newer TuneDeck (schema {before}; this "
            f"version knows up to {head}). Update TuneDeck to open it; the project is unchanged."
        )
    if before == head:
        return before
    if before is not None and backup is not None:
        backup(before)
    from alembic import command

    # One transaction for the whole upgrade: on PostgreSQL, and on SQLite through the
    # explicit BEGIN, a failure leaves the schema exactly as it was.
    with engine.begin() as connection:
        command.upgrade(_config(scripts, connection), "head")
    return before
