"""Keys: keychain first, then the environment; a missing keychain is said plainly."""

from __future__ import annotations

import pickle

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.profiles import AzureProfile, CompatibleProfile, OpenAIProfile
from tunedeck.core.remote.secrets import SERVICE, ApiKey, KeyStore

OPENAI = OpenAIProfile(id="profile-1", name="Personal")
AZURE = AzureProfile(id="profile-2", name="Team", endpoint="https://t.openai.azure.com")
LOCAL = CompatibleProfile(id="profile-3", name="Ollama", base_url="http://localhost:11434/v1")


def test_keys_live_in_the_keychain_under_the_profile_id(memory_keyring) -> None:
    keys = KeyStore(environ={})
    assert keys.keychain_available()
    keys.save(OPENAI, "sk-test-keychain-0001")
    assert memory_keyring.passwords == {(SERVICE, "profile-1"): "sk-test-keychain-0001"}
    key = keys.require(OPENAI)
    assert key.reveal() == "sk-test-keychain-0001" and key.source == "the keychain"
    keys.delete(OPENAI)
    keys.delete(OPENAI)  # already gone: not an error
    assert keys.lookup(OPENAI) is None


def test_the_keychain_wins_over_the_environment(memory_keyring) -> None:
    keys = KeyStore(environ={"OPENAI_API_KEY": "sk-from-env-000001"})
    assert keys.require(OPENAI).source == "OPENAI_API_KEY"
    keys.save(OPENAI, "sk-from-keychain-01")
    assert keys.require(OPENAI).reveal() == "sk-from-keychain-01"


def test_each_kind_reads_its_own_environment_variable(memory_keyring) -> None:
    keys = KeyStore(environ={"AZURE_OPENAI_API_KEY": "azure-key-0000001"})
    assert keys.require(AZURE).source == "AZURE_OPENAI_API_KEY"
    assert keys.lookup(OPENAI) is None
    # An OpenAI key is never offered to a local server.
    assert KeyStore(environ={"OPENAI_API_KEY": "sk-x-00000001"}).lookup(LOCAL) is None
    assert keys.require(LOCAL) is None  # needs none


def test_without_a_keychain_saving_says_so_and_env_keys_still_work(no_keychain) -> None:
    keys = KeyStore(environ={"OPENAI_API_KEY": "sk-env-only-000001"})
    assert not keys.keychain_available()
    with pytest.raises(UserError, match="no usable keychain") as raised:
        keys.save(OPENAI, "sk-not-stored-00001")
    assert "OPENAI_API_KEY" in str(raised.value)
    assert "sk-not-stored-00001" not in str(raised.value)
    assert keys.require(OPENAI).reveal() == "sk-env-only-000001"
    with pytest.raises(UserError, match="OPENAI_API_KEY environment variable"):
        KeyStore(environ={}).require(OPENAI)


def test_a_key_never_shows_itself() -> None:
    key = ApiKey("sk-very-secret-value-42", "the keychain")
    for text in (repr(key), str(key), f"{key}", repr([key])):
        assert "sk-very-secret" not in text
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(UserError, match="empty"):
        ApiKey("  ", "OPENAI_API_KEY")
