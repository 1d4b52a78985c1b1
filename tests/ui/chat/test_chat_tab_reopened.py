"""Conversations and spot-check results are in the project: a reopened project has them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.chat.conftest import Tuned, open_tickets
from tests.ui.chat.helpers import ask_in_chat, open_tab
from tunedeck.ui.chat.transcript import REPLACED

pytestmark = pytest.mark.gui


def test_conversations_and_spot_checks_survive_reopening_the_project(
    qtbot, tuned: Tuned, tickets_path: Path, tickets_file: Path
):
    tab = open_tab(qtbot, tuned)
    tab.chat.settings.temperature.setValue(0.3)
    ask_in_chat(qtbot, tab, tuned.chat, "Ticket: Please delete my account and all my data.")
    qtbot.mouseClick(tab.chat.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.chat.busy, timeout=10000)
    ask_in_chat(qtbot, tab, tuned.chat, "Ticket: Notifications arrive twice on my iPhone.")
    spot = tab.spot_check
    spot.setup.first.select(tuned.legacy)
    spot.setup.second.select("davinci-002")
    qtbot.mouseClick(spot.setup.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not spot.runner.running, timeout=20000)
    first_row = spot.check.items[0].row_id
    spot.rate(first_row, tuned.legacy, "good", "Right class.")
    tab.shutdown()
    tab.close()
    tuned.session.project.close()

    session = open_tickets(tickets_path, tickets_file)
    try:
        tuned.session = session
        again = open_tab(qtbot, tuned)
        conversations = again.chat.conversations
        assert conversations.count() == 1
        again.chat.open_conversation(conversations.item(0).data(Qt.ItemDataRole.UserRole))
        turns = again.chat.transcript.turns
        assert [(t.role, t.text) for t in turns] == [
            ("user", "Ticket: Please delete my account and all my data."),
            ("assistant", "account"),
            ("assistant", "account"),
            ("user", "Ticket: Notifications arrive twice on my iPhone."),
            ("assistant", "technical"),
        ]
        assert turns[1].state == REPLACED
        assert again.chat.picker.current_name() == tuned.chat
        assert again.chat.settings.temperature.value() == 0.3  # what the answers depended on

        runs = again.spot_check.runs
        assert runs.count() == 1 and "6/8 as expected" in runs.itemText(0)
        runs.activated.emit(0)  # as choosing it does
        reopened = again.spot_check
        assert reopened.check.models == [tuned.legacy, "davinci-002"]
        outcome = reopened.check.outcome(first_row, tuned.legacy)
        assert (outcome.answer, outcome.rating, outcome.note) == ("billing", "good", "Right class.")
        assert reopened.metrics.models[tuned.legacy].matrix.count("feedback", "account") == 1
        assert reopened.table.cell_text(first_row, 4) == "✓ good"
        again.shutdown()
    finally:
        session.project.close()
