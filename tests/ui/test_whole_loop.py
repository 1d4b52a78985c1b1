"""The issue's promise, in the window a new user gets: from the sample dataset to a tuned
sandbox model answering in the Chat tab, without reading code."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from tests.ui.chat.helpers import ask_in_chat
from tests.ui.conftest import show_window
from tests.ui.launch.conftest import WAIT_MS, checked, finished, launch
from tunedeck.ui.workspace_tabs import CHAT

pytestmark = pytest.mark.gui

QUESTION = "Ticket: I was charged twice for my March invoice."


def test_from_the_sample_to_a_tuned_model_in_chat(qtbot, sample_session, connections):
    window = show_window(qtbot, sample_session, connections)
    next(a for a in window.findChildren(QAction) if a.text() == "&Fine-tune").trigger()  # Ctrl+2
    tab = window.tabs.launch
    checked(qtbot, tab)
    assert tab.panel.models.current() == "davinci-002"  # the sample's own legacy model
    launch(qtbot, tab)
    qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
    (row,) = tab.jobs.model.rows()
    assert row.job.status == "succeeded"
    tuned = row.job.fine_tuned_model

    tab.jobs.detail.chat_button.click()
    assert window.tabs.currentIndex() == CHAT
    chat = window.tabs.chat
    qtbot.waitUntil(lambda: chat.chat.picker.current_name() == tuned, timeout=WAIT_MS)
    # Asked as it was trained (separator appended, stop set), it answers the class.
    assert ask_in_chat(qtbot, chat, tuned, QUESTION).strip() == "billing"
    base = ask_in_chat(qtbot, chat, "davinci-002", QUESTION)
    assert "SIMULATION" in base  # the base model's fixed reply says what it is
    window.close()
