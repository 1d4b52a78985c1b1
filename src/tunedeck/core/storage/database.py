"""Opening the database behind a project: a SQLite file, or a PostgreSQL server by URL.

Everything the database can refuse (a file that is not a project, a damaged one, a read-only
folder, a full disk, a server that does not answer) comes out of `reported` as a UserError
that names the project and says what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc

from tunedeck.core.errors import UserError

SQLITE_HEADER = b"SQLite format 3\x00"
PROJECT_SUFFIX = ".tunedeck"
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_url(location: str | Path) -> bool:
    return isinstance(location, str) and bool(_URL.match(location))


def display_name(location: str | Path) -> str:
    """How to name a project in messages: a path, or a URL without its password."""
    if is_url(location):
        return sa.make_url(str(location)).render_as_string(hide_password=True)
    return str(location)


def without_password(location: str) -> str:
    """A location safe to keep in settings: a URL loses its password (libpq finds it in
    ~/.pgpass or PGPASSWORD when the project is opened again)."""
    if not is_url(location):
        return location
    url = sa.make_url(location)
    # URL.set() reads None as "leave as is", so the URL is rebuilt without the password.
    bare = sa.URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )
    return bare.render_as_string(hide_password=False)


def create_engine(location: str | Path) -> sa.Engine:
    """An engine for a project location; nothing is opened until the first query.

    Args:
        location: A path to a SQLite project file, or a PostgreSQL URL
            (postgresql://user@host/db; the psycopg driver is used whatever the URL names).

    Raises:
        UserError: The URL names a database other than PostgreSQL.
    """
    if not is_url(location):
        return _sqlite_engine(Path(location))
    url = sa.make_url(str(location))
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(Path(url.database or ""))
    if url.get_backend_name() != "postgresql":
        raise UserError(
            f"cannot open {display_name(location)}: a project is a .tunedeck file or a "
            "PostgreSQL URL (postgresql://user@host/database)"
        )
    url = url.set(drivername="postgresql+psycopg")
    # A short connect timeout: an unreachable server should say so, not hang the window.
    return sa.create_engine(url, connect_args={"connect_timeout": 10}, pool_pre_ping=True)


def _sqlite_engine(path: Path) -> sa.Engine:
    # The pool hands a connection to one thread at a time, so the window may open the project
    # in a worker (an import) and go on using it from the GUI thread.
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event, not the sqlite3 module, decide when transactions
        # start, so that every transaction takes the write lock up front (BEGIN IMMEDIATE)
        # and two writers queue instead of failing half-way with "database is locked".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit has reached the disk before the call returns, so an edit survives
        # a pulled plug as well as a crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def check_sqlite_file(path: Path, *, create: bool) -> bool:
    """Refuse what cannot be a project before SQLite gets to it; True when `path` is new.

    Raises:
        UserError: The file is missing (and `create` is False), is a folder, or is not a
            SQLite database.
    """
    if path.is_dir():
        raise UserError(f"cannot open {path}: it is a folder, not a project file")
    if not path.exists():
        if not create:
            raise UserError(f"cannot open {path}: there is no project there")
        if not path.parent.is_dir():
            raise UserError(f"cannot create {path}: the folder {path.parent} does not exist")
        return True
    try:
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except OSError as error:
        raise UserError(f"cannot open {path}: {error.strerror or error}") from error
    if header != SQLITE_HEADER:
        raise UserError(f"cannot open {path}: it is not a TuneDeck project (not a database file)")
    return False


# What the database said, and what the user should read instead. Matched on the driver's
# message because SQLite reports these only as text.
_SQLITE_MESSAGES = (
    ("file is not a database", "it is not a TuneDeck project, or it is damaged"),
    ("malformed", "the project file is damaged; open its most recent backup instead"),
    ("disk is full", "the disk is full; free some space and try again"),
    ("readonly", "the project file or its folder is read-only"),
    ("read-only", "the project file or its folder is read-only"),
    ("unable to open database file", "the file or its folder cannot be opened for writing"),
    ("database is locked", "another program is using the project; try again in a moment"),
    ("disk i/o error", "the disk reported an error while saving"),
)


def explain(error: exc.DBAPIError) -> str:
    """A user's reason for a database failure (never containing a password)."""
    message = str(error.orig) if error.orig is not None else str(error)
    lowered = message.lower()
    for needle, reason in _SQLITE_MESSAGES:
        if needle in lowered:
            return reason
    if error.connection_invalidated or isinstance(error, exc.OperationalError):
        first = message.strip().splitlines()[0] if message.strip() else "no answer"
        return f"the database server cannot be reached or refused the connection ({first})"
    return message.strip().splitlines()[0] if message.strip() else type(error).__name__


@contextmanager
def reported(verb: str, location: str | Path) -> Iterator[None]:
    """Turn database failures inside the block into "cannot <verb> <project>: <reason>"."""
    try:
        yield
    except exc.DBAPIError as error:
        raise UserError(f"cannot {verb} {display_name(location)}: {explain(error)}") from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise UserError(f"cannot {verb} {display_name(location)}: {reason}") from error
