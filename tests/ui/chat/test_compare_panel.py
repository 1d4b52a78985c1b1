"""Compare: one question to the tuned model and its base, side by side, each answer rated."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.chat.conftest import Tuned
from tests.ui.chat.helpers import open_tab

pytestmark = pytest.mark.gui


def test_both_models_answer_side_by_side_and_the_ratings_are_kept(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    compare = tab.compare
    tab.parts.setCurrentWidget(compare)
    first, second = compare.panes
    # By default: the newest tuned model against the model it was trained from.
    assert first.picker.current_name() == tuned.chat
    assert second.picker.current_name() == "gpt-4o-mini-2024-07-18"

    compare.prompt.setPlainText("Ticket: Notifications arrive twice on my iPhone.")
    qtbot.mouseClick(compare.ask_button, Qt.MouseButton.LeftButton)
    assert compare.busy
    qtbot.waitUntil(lambda: not compare.busy, timeout=10000)
    assert first.answer.toPlainText() == "technical"
    assert second.answer.toPlainText().startswith("[SIMULATION]")

    qtbot.mouseClick(first.good, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(second.bad, Qt.MouseButton.LeftButton)
    second.note.setText("Generic: does not know our ticket classes.")
    second.note.editingFinished.emit()
    qtbot.mouseClick(second.good, Qt.MouseButton.LeftButton)  # changed my mind...
    qtbot.mouseClick(second.bad, Qt.MouseButton.LeftButton)  # ...and back
    assert not second.good.isChecked()

    messages = tuned.session.project.chats.messages(compare.conversation)
    verdicts = {m.model: (m.rating, m.note) for m in messages if m.role == "assistant"}
    assert verdicts == {
        tuned.chat: ("good", ""),
        "gpt-4o-mini-2024-07-18": ("bad", "Generic: does not know our ticket classes."),
    }

    # A new comparison, then the first one reopened from the list, ratings and all.
    first_id = compare.conversation
    compare.prompt.setPlainText("Ticket: Love the new dark mode, thank you!")
    qtbot.mouseClick(compare.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not compare.busy, timeout=10000)
    assert first.answer.toPlainText() == "feedback" and not first.good.isChecked()
    assert compare.earlier.count() == 2
    compare.open_comparison(first_id)
    assert first.answer.toPlainText() == "technical" and first.good.isChecked()
    assert second.bad.isChecked() and second.note.text().startswith("Generic")
    assert "Notifications" in compare.prompt.toPlainText()
