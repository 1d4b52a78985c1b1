"""Deploying on Azure: where the management token comes from, and names Azure accepts."""

from __future__ import annotations

import pytest

from tests.core.remote.conftest import memory_keyring  # noqa: F401 (a fixture)
from tunedeck.core.errors import UserError
from tunedeck.core.fine_tune.azure_deploy import (
    TOKEN_VARIABLE,
    deployment_name,
    management_token,
)
from tunedeck.core.remote import AzureProfile, KeyStore


def _azure(root: str = "https://management.azure.com") -> AzureProfile:
    return AzureProfile(id="az", name="Team", endpoint="https://team.openai.azure.com",
                        management_root=root, subscription_id="s", resource_group="g",
                        account="a")  # fmt: skip


def test_a_token_in_the_environment_is_used_and_never_shown():
    token = management_token(
        _azure(), KeyStore(environ={}), environ={TOKEN_VARIABLE: "eyJ-secret"}, which=lambda _: None
    )()
    assert token.reveal() == "eyJ-secret" and "eyJ" not in repr(token)


def test_without_any_sign_in_the_user_is_told_what_to_do():
    with pytest.raises(UserError, match="az login") as raised:
        management_token(_azure(), KeyStore(environ={}), environ={}, which=lambda _: None)
    assert TOKEN_VARIABLE in str(raised.value) and "Azure AI Foundry" in str(raised.value)


@pytest.mark.usefixtures("memory_keyring")
def test_a_management_plane_on_this_computer_takes_the_resource_key():
    profile = _azure("http://127.0.0.1:8765")
    keys = KeyStore(environ={})
    keys.save(profile, "sk-resource-key")
    token = management_token(profile, keys, environ={}, which=lambda _: None)()
    assert token.reveal() == "sk-resource-key"


def test_an_azure_cli_that_is_not_signed_in_says_so(tmp_path):
    az = tmp_path / "az"
    az.write_text("#!/bin/sh\necho 'Please run az login' >&2\nexit 1\n")
    az.chmod(0o755)
    provider = management_token(_azure(), KeyStore(environ={}), environ={}, which=lambda _: str(az))
    with pytest.raises(UserError, match="not signed in"):
        provider()


@pytest.mark.parametrize(
    ("model", "suffix", "expected"),
    [
        ("gpt-4o-mini-2024-07-18.ft-0123abcd", None, "gpt-4o-mini-2024-07-18"),
        ("ft:gpt-4o-mini:org:tickets:abc", "support tickets!", "support-tickets"),
        ("x.ft-1", "a" * 80, "a" * 64),
    ],
)
def test_deployment_names_are_ones_azure_accepts(model, suffix, expected):
    assert deployment_name(model, suffix) == expected
