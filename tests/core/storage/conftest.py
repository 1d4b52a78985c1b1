"""A project on each backend: every test that takes `project` runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tunedeck.core.storage import Project


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path) -> str:
    """Where a fresh project lives: a new .tunedeck file, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "project.tunedeck")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def project(location: str) -> Iterator[Project]:
    with Project.open(location, create=True, author="ann") as opened:
        yield opened
