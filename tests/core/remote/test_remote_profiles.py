"""Profiles: several kinds side by side in one JSON file, which never holds a key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.profiles import (
    AzureProfile,
    CompatibleProfile,
    OpenAIProfile,
    ProfileStore,
    SandboxProfile,
    new_profile_id,
)


def test_profiles_of_every_kind_round_trip(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "config" / "profiles.json")
    assert store.load() == []
    profiles = [
        OpenAIProfile(id=new_profile_id(), name="Personal", organization="org-1", project="p"),
        AzureProfile(
            id=new_profile_id(),
            name="Team Azure",
            endpoint="https://team.openai.azure.com",
            deployments=("chat-prod", "ft-candidate"),
            subscription_id="sub",
            resource_group="rg",
            account="team",
        ),
        CompatibleProfile(
            id=new_profile_id(), name="Local vLLM", base_url="http://localhost:8000/v1"
        ),
        SandboxProfile(id=new_profile_id(), name="Sandbox", url="http://127.0.0.1:9999"),
    ]
    for profile in profiles:
        store.save(profile)
    assert store.load() == profiles
    assert store.get(profiles[1].id).deployments == ("chat-prod", "ft-candidate")

    renamed = OpenAIProfile(id=profiles[0].id, name="Renamed")
    store.save(renamed)
    store.remove(profiles[3].id)
    assert [p.name for p in store.load()] == ["Renamed", "Team Azure", "Local vLLM"]
    with pytest.raises(UserError, match="no longer exists"):
        store.get(profiles[3].id)


def test_what_each_kind_can_do() -> None:
    azure = AzureProfile(id="a", name="A", endpoint="https://a.openai.azure.com")
    assert not azure.can_deploy
    compatible = CompatibleProfile(id="c", name="C", base_url="http://localhost:11434/v1")
    assert not compatible.can_fine_tune and not compatible.needs_key
    assert SandboxProfile(id="s", name="S", url="http://127.0.0.1:5/").base_url == (
        "http://127.0.0.1:5/v1"
    )


def test_a_damaged_or_foreign_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text("[1, 2")
    with pytest.raises(UserError, match="not a TuneDeck profiles file"):
        ProfileStore(path).load()
    path.write_text(json.dumps({"profiles": [{"kind": "bedrock", "id": "x", "name": "B"}]}))
    with pytest.raises(UserError, match="Unknown provider kind"):
        ProfileStore(path).load()


def test_fields_from_a_newer_version_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    entry = {"kind": "openai", "id": "x", "name": "N", "colour": "teal"}
    path.write_text(json.dumps({"version": 2, "profiles": [entry]}))
    assert ProfileStore(path).load() == [OpenAIProfile(id="x", name="N")]
