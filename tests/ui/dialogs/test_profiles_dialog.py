"""The profiles dialog: keys go to the keychain and are never shown back; the connection test
reports in words."""

from __future__ import annotations

import socket

import pytest

from tunedeck.core.remote import OpenAIProfile
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections
from tunedeck.ui.dialogs.profiles_dialog import ProfilesDialog

pytestmark = pytest.mark.gui
PLANTED = "sk-planted-9876543210"


def _dialog(qtbot, connections: Connections) -> ProfilesDialog:
    dialog = ProfilesDialog(connections)
    qtbot.addWidget(dialog)
    return dialog


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_built_in_sandbox_is_shown_but_cannot_be_changed(qtbot, connections):
    dialog = _dialog(qtbot, connections)
    assert dialog.profiles.item(0).text() == "Sandbox (offline simulation)"
    assert not dialog.save_button.isEnabled() and not dialog.remove_button.isEnabled()
    assert "nothing leaves this computer" in dialog.report.text()


def test_a_new_openai_profile_keeps_its_key_in_the_keychain_only(qtbot, connections):
    dialog = _dialog(qtbot, connections)
    dialog.add("OpenAI account")
    dialog.name.setText("Work")
    dialog.key.setText(PLANTED)
    assert dialog.save()
    (saved,) = [p for p in connections.profiles() if p.id != BUILTIN_SANDBOX_ID]
    assert saved.name == "Work" and isinstance(saved, OpenAIProfile)
    assert connections.keys.lookup(saved).reveal() == PLANTED
    assert PLANTED not in (connections.config / "profiles.json").read_text(encoding="utf-8")
    # Shown again: the key box is empty and only says a key is there.
    dialog.select(saved.id)
    assert dialog.key.text() == ""
    assert "A key is stored" in dialog.key_status.text()
    assert PLANTED not in dialog.key_status.text() + dialog.report.text()


def test_an_azure_profile_needs_its_endpoint(qtbot, connections):
    dialog = _dialog(qtbot, connections)
    dialog.add("Azure OpenAI resource")
    assert not dialog.save()
    assert "Endpoint" in dialog.report.text()
    dialog._inputs["endpoint"].setText("https://team.openai.azure.com")
    dialog._inputs["deployments"].setText("chat-a, chat-b")
    assert dialog.save()
    saved = connections.profiles()[-1]
    assert saved.endpoint == "https://team.openai.azure.com"
    assert saved.deployments == ("chat-a", "chat-b")


def test_removing_a_profile_forgets_its_key(qtbot, connections):
    work = OpenAIProfile(id="work", name="Work")
    connections.save(work, key=PLANTED)
    dialog = _dialog(qtbot, connections)
    dialog.select("work")
    dialog.remove_button.click()
    assert [p.id for p in connections.profiles()] == [BUILTIN_SANDBOX_ID]
    assert connections.keys.lookup(work) is None
    assert "Removed" in dialog.report.text()


def test_testing_a_running_sandbox_says_it_connected(qtbot, connections):
    dialog = _dialog(qtbot, connections)
    dialog.add("Sandbox on another address")
    dialog._inputs["url"].setText(connections.ensure_sandbox().url)
    dialog.test()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert dialog.report.text().startswith("Connected to")
    assert "models available" in dialog.report.text()


def test_testing_an_address_nobody_listens_on_says_what_to_check(qtbot, connections):
    dialog = _dialog(qtbot, connections)
    dialog.add("Sandbox on another address")
    dialog._inputs["url"].setText(f"http://127.0.0.1:{_free_port()}")
    dialog.test()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert "Could not connect" in dialog.report.text()
    assert "Check the address" in dialog.report.text()


def test_an_openai_profile_without_a_key_is_told_to_enter_one(qtbot, connections, no_network):
    dialog = _dialog(qtbot, connections)
    dialog.add("OpenAI account")
    dialog.test()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert "No API key" in dialog.report.text()
