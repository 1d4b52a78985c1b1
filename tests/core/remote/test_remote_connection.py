"""The "Test connection" button: each way a profile can be wrong gets its own verdict."""

from __future__ import annotations

import socket
from pathlib import Path

from tunedeck.core.remote import connection
from tunedeck.core.remote.profiles import AzureProfile, OpenAIProfile, SandboxProfile
from tunedeck.core.remote.secrets import ApiKey, KeyStore
from tunedeck.core.sandbox import Sandbox

RIGHT = ApiKey("sk-the-right-key-000001", "test")
WRONG = ApiKey("sk-the-wrong-key-000002", "test")


def test_a_good_profile_connects(sandbox, make_profile) -> None:
    for kind in ("openai", "azure", "sandbox"):
        report = connection.test_connection(make_profile(kind), RIGHT)
        assert report.ok and report.problem == connection.OK
        assert report.models_seen > 0 and "models available" in report.message


def test_a_wrong_key_is_named_as_such(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "state", api_key=RIGHT.reveal()) as sandbox:
        profile = OpenAIProfile(id="o", name="O", base_url=sandbox.openai_base_url)
        assert connection.test_connection(profile, RIGHT).ok
        report = connection.test_connection(profile, WRONG)
        assert (report.ok, report.problem) == (False, connection.BAD_KEY)
        assert "rejected the API key" in report.message and "key" in report.advice
        assert WRONG.reveal() not in report.message + report.advice


def test_a_port_nobody_listens_on_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = SandboxProfile(id="s", name="S", url=f"http://127.0.0.1:{port}")
    report = connection.test_connection(profile, None)
    assert (report.ok, report.problem) == (False, connection.UNREACHABLE)
    assert "Could not connect" in report.message and "address" in report.advice


def test_a_wrong_azure_api_version_is_named(sandbox) -> None:
    profile = AzureProfile(id="a", name="A", endpoint=sandbox.url, api_version="2019-01-01")
    report = connection.test_connection(profile, RIGHT)
    assert (report.ok, report.problem) == (False, connection.API_VERSION)
    assert "'2019-01-01'" in report.message and "API version" in report.advice


def test_a_service_too_slow_for_the_timeout(sandbox, make_profile) -> None:
    sandbox.inject("slow", path="/v1/models", seconds=1.0)
    report = connection.test_connection(make_profile("sandbox"), None, timeout_seconds=0.3)
    assert (report.ok, report.problem) == (False, connection.TIMEOUT)
    assert "0.3 seconds" in report.message


def test_a_profile_without_a_key_says_where_to_put_one(memory_keyring, sandbox) -> None:
    profile = OpenAIProfile(id="o", name="Personal", base_url=sandbox.openai_base_url)
    report = connection.test_connection(profile, KeyStore(environ={}))
    assert (report.ok, report.problem) == (False, connection.NO_KEY)
    assert "OPENAI_API_KEY" in report.message
