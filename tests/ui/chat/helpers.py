"""Driving the chat tab as a user would: choose, type, click, wait for the answer."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.chat.conftest import RELAY_PROFILE, Tuned
from tunedeck.ui.chat import ChatTab


def open_tab(qtbot, tuned: Tuned, visible_rows=lambda: []) -> ChatTab:
    """The tab on the relay profile, with the models listed (the service's list included)."""
    tab = ChatTab(tuned.session, tuned.connections, visible_rows=visible_rows)
    qtbot.addWidget(tab)
    tab.resize(1100, 760)
    tab.show()
    assert tab.profiles.select(RELAY_PROFILE)
    qtbot.waitUntil(lambda: not tab.catalog.loading and len(tab.catalog.choices) > 2)
    return tab


def ask_in_chat(qtbot, tab: ChatTab, model: str, text: str) -> str:
    """Ask `model` in the Chat part and wait for the whole answer; returns it."""
    chat = tab.chat
    chat.picker.select(model)
    chat.input.setPlainText(text)
    qtbot.mouseClick(chat.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not chat.busy, timeout=10000)
    return chat.transcript.turns[-1].text
