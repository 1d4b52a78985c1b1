"""Spot-checks read real sessions on real SQLite projects, as the stats tests do."""

from tests.core.stats.conftest import make_session  # noqa: F401 (a fixture, re-exported)
