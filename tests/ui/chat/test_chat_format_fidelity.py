"""Each tuned model is asked as it was trained, as the sandbox's received requests show."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.chat.conftest import SEPARATOR, STOP, SYSTEM, Tuned
from tests.ui.chat.helpers import ask_in_chat, open_tab

pytestmark = pytest.mark.gui

TICKET = "Ticket: The app crashes when I open the settings page."


def test_a_legacy_tuned_model_gets_the_separator_and_the_stop_sequence(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    answer = ask_in_chat(qtbot, tab, tuned.legacy, TICKET)
    (sent,) = tuned.relay.bodies("/v1/completions")
    assert sent["prompt"] == TICKET + SEPARATOR
    assert sent["stop"] == [STOP]
    assert sent["model"] == tuned.legacy
    assert answer == "technical"  # the class alone, as a reviewer compares it
    assert "“↵↵###↵↵” is added to each prompt" in tab.chat.settings.how.text()
    assert not tab.chat.settings.system.isEnabled()  # a completion model has none

    # The base model is asked plainly: it was never trained on the separator.
    ask_in_chat(qtbot, tab, "davinci-002", TICKET)
    assert tuned.relay.bodies("/v1/completions")[-1]["prompt"] == TICKET
    assert "stop" not in tuned.relay.bodies("/v1/completions")[-1]


def test_a_chat_tuned_model_gets_its_system_message_and_a_change_is_warned(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    settings = tab.chat.settings
    tab.chat.picker.select(tuned.chat)
    assert settings.system.text() == SYSTEM  # pre-filled with the one it was tuned with
    assert settings.warning.isHidden()

    assert ask_in_chat(qtbot, tab, tuned.chat, TICKET) == "technical"
    (sent,) = tuned.relay.bodies("/v1/chat/completions")
    assert sent["messages"] == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": TICKET},
    ]

    qtbot.keyClicks(settings.system, " Answer in French.")
    assert settings.warning.isVisible() and SYSTEM[:30] in settings.warning.text()
    ask_in_chat(qtbot, tab, tuned.chat, "Ticket: Notifications arrive twice on my iPhone.")
    edited = tuned.relay.bodies("/v1/chat/completions")[-1]["messages"][0]
    assert edited == {"role": "system", "content": SYSTEM + " Answer in French."}

    qtbot.mouseClick(settings.restore, Qt.MouseButton.LeftButton)
    assert settings.system.text() == SYSTEM and settings.warning.isHidden()
