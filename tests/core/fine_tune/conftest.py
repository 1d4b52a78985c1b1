"""A real sandbox on loopback, and sessions on real SQLite projects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.stats.conftest import make_session  # noqa: F401 (a fixture, re-exported)
from tunedeck.core.sandbox import Sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "sandbox-state", job_seconds=0.6) as running:
        yield running
