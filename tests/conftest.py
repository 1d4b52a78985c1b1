"""Shared fixtures: the real sample files beside the repository, and a network that is off."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
