"""Profiles shared by the launch panel and the chat tab; the built-in sandbox on demand."""

from __future__ import annotations

import json

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote import OpenAIProfile
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections


def test_the_built_in_sandbox_comes_first_and_answers_once_started(connections: Connections):
    (builtin,) = connections.profiles()
    assert builtin.id == BUILTIN_SANDBOX_ID
    with connections.provider(builtin) as provider:
        models = [model.id for model in provider.list_models()]
    assert "gpt-4o-mini-2024-07-18" in models
    assert (connections.data / "sandbox").is_dir()  # its state is kept in the data folder


def test_a_saved_profile_keeps_its_key_in_the_keychain_only(connections: Connections, qtbot):
    profile = OpenAIProfile(id="work", name="Work account")
    with qtbot.waitSignal(connections.changed):
        connections.save(profile, key="sk-planted-0123456789")
    assert [p.id for p in connections.profiles()] == [BUILTIN_SANDBOX_ID, "work"]
    stored = (connections.config / "profiles.json").read_text(encoding="utf-8")
    assert "sk-planted" not in stored and json.loads(stored)
    assert connections.keys.lookup(profile) is not None
    connections.remove(profile)
    assert connections.keys.lookup(profile) is None
    with pytest.raises(UserError, match="key"):
        connections.provider(profile)  # no key anywhere: said plainly, before any call
