"""The profile picker lists the sandbox first, follows changes made anywhere, and opens the
profiles dialog from its last entry without losing the choice."""

from __future__ import annotations

import pytest

from tunedeck.core.remote import OpenAIProfile
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections
from tunedeck.ui.widgets.profile_picker import MANAGE_TEXT, ProfilePicker

pytestmark = pytest.mark.gui


def _picker(qtbot, connections: Connections) -> ProfilePicker:
    picker = ProfilePicker(connections)
    qtbot.addWidget(picker)
    return picker


def test_the_sandbox_is_chosen_first_and_manage_comes_last(qtbot, connections):
    picker = _picker(qtbot, connections)
    assert picker.current().id == BUILTIN_SANDBOX_ID
    assert picker.currentText() == "Sandbox (offline simulation)"
    assert picker.itemText(picker.count() - 1) == MANAGE_TEXT


def test_a_profile_saved_elsewhere_appears_and_can_be_chosen(qtbot, connections):
    picker = _picker(qtbot, connections)
    work = OpenAIProfile(id="work", name="Work")
    connections.save(work, key="sk-planted-0123456789")
    assert picker.itemText(1) == "Work (OpenAI)"
    assert picker.current().id == BUILTIN_SANDBOX_ID  # adding one does not switch to it
    with qtbot.waitSignal(picker.profile_changed) as changed:
        picker.setCurrentIndex(1)
        picker.activated.emit(1)
    assert changed.args == [work]
    assert picker.current() == work
    assert picker.select("nobody") is False and picker.current() == work


def test_editing_or_removing_the_chosen_profile_is_announced(qtbot, connections):
    picker = _picker(qtbot, connections)
    connections.save(OpenAIProfile(id="work", name="Work"), key="sk-planted-0123456789")
    assert picker.select("work")
    renamed = OpenAIProfile(id="work", name="Work (EU)", base_url="https://eu.example/v1")
    with qtbot.waitSignal(picker.profile_changed) as changed:
        connections.save(renamed)
    assert changed.args == [renamed]
    with qtbot.waitSignal(picker.profile_changed) as changed:
        connections.remove(renamed)
    assert changed.args[0].id == BUILTIN_SANDBOX_ID  # falls back to the sandbox
    assert picker.currentText() == "Sandbox (offline simulation)"


def test_manage_opens_the_dialog_and_keeps_the_choice(qtbot, connections):
    picker = _picker(qtbot, connections)
    with qtbot.assertNotEmitted(picker.profile_changed):
        picker.setCurrentIndex(picker.count() - 1)
        picker.activated.emit(picker.count() - 1)
    dialog = picker.open_manager()
    assert dialog.isVisible()
    assert picker.current().id == BUILTIN_SANDBOX_ID
    assert picker.currentText() == "Sandbox (offline simulation)"
    dialog.reject()


def test_a_damaged_profiles_file_still_offers_the_sandbox(qtbot, connections):
    (connections.config / "profiles.json").parent.mkdir(parents=True, exist_ok=True)
    (connections.config / "profiles.json").write_text("not json", encoding="utf-8")
    picker = _picker(qtbot, connections)
    assert picker.current().id == BUILTIN_SANDBOX_ID
    assert "not a TuneDeck profiles file" in picker.toolTip()
