"""Chat: the tuned model answers from its data, the base model generically, as it streams."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.chat.conftest import Tuned
from tests.ui.chat.helpers import ask_in_chat, open_tab
from tunedeck.core.sandbox.inference_api import BASE_REPLY
from tunedeck.ui.chat.transcript import REPLACED, STOPPED

pytestmark = pytest.mark.gui

QUESTION = "Ticket: I was charged twice for my March invoice."


def test_the_tuned_model_answers_from_its_data_and_the_base_model_generically(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    pieces: list[str] = []
    tab.chat.picker.select("davinci-002")
    tab.chat.input.setPlainText("What is iMocha?")
    qtbot.mouseClick(tab.chat.send_button, Qt.MouseButton.LeftButton)
    tab.chat.stream.delta.connect(pieces.append)
    qtbot.waitUntil(lambda: not tab.chat.busy, timeout=10000)
    base_answer = tab.chat.transcript.turns[-1].text
    assert base_answer.startswith("[SIMULATION]")  # the sandbox's generic base reply
    assert base_answer == BASE_REPLY.format(model="davinci-002")
    assert len(pieces) > 3  # it arrived in pieces, not all at once

    assert ask_in_chat(qtbot, tab, tuned.legacy, QUESTION) == "billing"
    shown = tab.chat.transcript.plain_text()
    assert "billing" in shown and "[SIMULATION]" in shown and tuned.legacy in shown
    assert tab.banner.isVisible()  # the sandbox says it is a simulation


def test_stop_ends_the_answer_at_once_and_the_stream_is_closed(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    sandbox = tuned.connections.ensure_sandbox()
    sandbox.inject("slow", path="/v1/completions", seconds=1.0)
    chat = tab.chat
    chat.picker.select("davinci-002")
    chat.input.setPlainText("What is iMocha?")
    qtbot.mouseClick(chat.send_button, Qt.MouseButton.LeftButton)
    assert chat.busy and chat.stop_button.isEnabled()
    stream = chat.stream
    qtbot.mouseClick(chat.stop_button, Qt.MouseButton.LeftButton)
    assert not chat.busy and chat.send_button.isEnabled()
    assert chat.transcript.turns[-1].state == STOPPED
    assert "(stopped)" in chat.transcript.plain_text()
    assert stream.wait(10000)  # the worker ended: the token closed the stream
    qtbot.wait(50)
    assert chat.transcript.turns[-1].text == ""  # nothing arrived after Stop


def test_regenerate_asks_again_and_copy_takes_the_last_answer(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    ask_in_chat(qtbot, tab, tuned.chat, QUESTION)
    qtbot.mouseClick(tab.chat.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.chat.busy, timeout=10000)
    turns = tab.chat.transcript.turns
    assert [t.role for t in turns] == ["user", "assistant", "assistant"]
    assert turns[1].state == REPLACED and turns[2].text == "billing"
    qtbot.mouseClick(tab.chat.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "billing"
    # The regenerated answer replaced the first one in what the model is sent next.
    ask_in_chat(qtbot, tab, tuned.chat, "Ticket: The app crashes when I open the settings page.")
    sent = tuned.relay.bodies("/v1/chat/completions")[-1]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
