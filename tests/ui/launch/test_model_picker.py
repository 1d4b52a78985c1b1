"""The base-model list: trainable models first, retirements and OpenAI's cut-off shown, and
a plain word when the provider cannot be asked."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from tunedeck.core.remote import CompatibleProfile, OpenAIProfile, SandboxProfile
from tunedeck.ui.launch.model_picker import ModelPicker

pytestmark = pytest.mark.gui


def _picker(qtbot, connections) -> ModelPicker:
    picker = ModelPicker(connections)
    qtbot.addWidget(picker)
    return picker


def _loaded(qtbot, picker: ModelPicker) -> None:
    qtbot.waitUntil(lambda: not picker._tasks.busy, timeout=10000)


def test_trainable_models_come_first_with_their_retirement(qtbot, connections):
    picker = _picker(qtbot, connections)
    picker.prefer("gpt-4o")
    picker.load(connections.profiles()[0])
    _loaded(qtbot, picker)
    assert picker.current() == "gpt-4o-2024-08-06"  # the snapshot of the preferred model
    texts = [picker.combo.itemText(i) for i in range(picker.combo.count())]
    usable = [picker.combo.itemData(i, Qt.ItemDataRole.UserRole) for i in range(len(texts))]
    first_unusable = usable.index(None) if None in usable else len(usable)
    assert all(usable[:first_unusable]) and not any(usable[first_unusable:])
    assert any("retires 2027-01-14" in text for text in texts)
    assert "shuts down on 2027-01-14" in picker.note.text()


def test_openai_shows_its_job_cut_off(qtbot, connections):
    sandbox = connections.ensure_sandbox()
    profile = OpenAIProfile(id="oa", name="Work", base_url=sandbox.openai_base_url)
    connections.save(profile, key="sk-test-0123456789")
    picker = _picker(qtbot, connections)
    picker.load(profile)
    _loaded(qtbot, picker)
    assert picker.current()
    assert "only until 2027-01-06" in picker.note.text()


def test_a_chat_only_server_and_an_unreachable_one_are_explained(qtbot, connections):
    picker = _picker(qtbot, connections)
    picker.load(CompatibleProfile(id="llm", name="Local LLM", base_url="http://127.0.0.1:9/v1"))
    assert picker.current() == ""
    assert "chat-only server" in picker.note.text()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    picker.load(SandboxProfile(id="gone", name="Gone", url=f"http://127.0.0.1:{port}"))
    _loaded(qtbot, picker)
    assert picker.current() == ""
    assert "could not reach" in picker.note.text()
