"""Shared fixtures: the real sample files beside the repository, and a network that is off."""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import HealthCheck, settings

from tests.support.postgres import PrivateServer, find_bin_dir

# A loaded CI machine must not turn a slow example into a failure; correctness is the point.
settings.register_profile(
    "tunedeck",
    settings.default,  # on CI that is Hypothesis's own derandomized profile
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("tunedeck")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.jsonl"))
BUNDLED_SAMPLE = REPO / "resources" / "samples" / "support-tickets.jsonl"


class NetworkDisabledError(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to resolve a host or open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkDisabledError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The samples are part of the contract: a missing ../shared must fail loudly, not skip.
    assert SAMPLE_FILES, f"no sample files found in {SAMPLES}"


# --- PostgreSQL ------------------------------------------------------------------------------
# The project store runs on SQLite and PostgreSQL; the PostgreSQL tests need a real server.
# .ci/run starts one and exports its URL; otherwise the session starts its own if it can.


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A libpq URL (postgresql://...) of a server the tests may create databases on."""
    given = os.environ.get("TUNEDECK_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    if find_bin_dir() is None:
        if os.environ.get("TUNEDECK_REQUIRE_POSTGRES"):
            pytest.fail(
                "TUNEDECK_REQUIRE_POSTGRES is set but PostgreSQL is neither running "
                "(TUNEDECK_TEST_POSTGRES_URL is unset) nor installed (no initdb/pg_ctl/postgres "
                "found on PATH or in /usr/lib/postgresql/*/bin)"
            )
        pytest.skip(
            "PostgreSQL is not installed on this machine: the team-store tests need it "
            "(CI installs it; on Debian: apt-get install postgresql)"
        )
    # Not pytest's tmp_path: as root that lies under a 0700 directory the postgres user can't enter.
    server = PrivateServer()
    try:
        url = server.start(Path(tempfile.mkdtemp(prefix="tunedeck-pg-")))
    except BaseException:
        server.stop()
        raise
    try:
        yield url
    finally:
        server.stop()


def _libpq_url(url: str) -> str:
    """postgresql+psycopg://... (SQLAlchemy) -> postgresql://... (libpq)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


@pytest.fixture(scope="session")
def _postgres_test_database(postgres_server_url: str) -> Iterator[str]:
    """One database for the whole session; each test gets a schema of its own inside it.

    A schema is created and dropped in milliseconds, a database in a quarter of a second,
    which over a hundred tests is most of the suite's time.
    """
    import psycopg  # only the PostgreSQL tests need the driver
    from psycopg import sql

    name = f"td_{uuid.uuid4().hex[:12]}"
    admin_url = _libpq_url(postgres_server_url)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            # FORCE: a test that leaked a connection must not keep its database alive.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def _fresh_postgres_schema(database_url: str) -> Iterator[str]:
    """Create a uniquely named schema; yield a SQLAlchemy URL that works inside it only."""
    import psycopg
    from psycopg import sql

    name = f"td_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        parts = urlsplit(database_url)
        query = urlencode({"options": f"-csearch_path={name}"})
        yield urlunsplit(parts._replace(scheme="postgresql+psycopg", query=query))
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def make_postgres_url(_postgres_test_database: str) -> Iterator[Callable[[], str]]:
    """A factory for more than one fresh, empty place in a test; all are dropped afterwards."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(_fresh_postgres_schema(_postgres_test_database))


@pytest.fixture
def postgres_url(_postgres_test_database: str) -> Iterator[str]:
    """SQLAlchemy URL (postgresql+psycopg://...) of a fresh, empty schema for this test."""
    with _fresh_postgres_schema(_postgres_test_database) as url:
        yield url
