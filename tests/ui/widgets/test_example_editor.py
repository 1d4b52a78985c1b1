"""The example editor: what it shows for each kind of row, and the edits it asks the window for."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import QApplication

from tests.conftest import BUNDLED_SAMPLE, SAMPLES
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project, Status
from tunedeck.ui.widgets.editor_fields import COMMIT_DELAY_MS
from tunedeck.ui.widgets.example_editor import ExampleEditor

CHAT_SAMPLE = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"


@pytest.fixture
def open_session(tmp_path: Path) -> Iterator[Callable[[Path], CurationSession]]:
    projects: list[Project] = []

    def opener(source: Path) -> CurationSession:
        project = Project.open(tmp_path / f"{len(projects)}.tunedeck", create=True, author="ann")
        projects.append(project)
        project.import_file(source, "data")
        session = CurationSession(project, "data")
        session.lint_all()
        return session

    yield opener
    for project in projects:
        project.close()


@pytest.fixture
def session(open_session) -> CurationSession:
    return open_session(BUNDLED_SAMPLE)


@pytest.fixture
def make_editor(qtbot) -> Callable[[CurationSession], ExampleEditor]:
    def make(session: CurationSession) -> ExampleEditor:
        editor = ExampleEditor(session)
        qtbot.addWidget(editor)
        editor.resize(480, 700)
        editor.show()
        return editor

    return make


def _row_with(session: CurationSession, rule: str) -> int:
    return next(d.row_id for d in session.linter.diagnostics() if d.rule == rule)


def _type_at_end(qtbot, field, text: str) -> None:
    field.setFocus()
    field.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(field, text)


@pytest.mark.gui
def test_a_legacy_row_shows_its_fields_whitespace_and_findings(make_editor, session):
    row_id = _row_with(session, "pii")
    editor = make_editor(session)
    editor.show_row(row_id)
    example = session.dataset[row_id]
    assert editor.prompt_edit.toPlainText() == example.prompt
    assert editor.completion_edit.toPlainText() == example.completion
    flags = editor.completion_edit.document().defaultTextOption().flags()
    assert flags & QTextOption.Flag.ShowTabsAndSpaces
    assert flags & QTextOption.Flag.ShowLineAndParagraphSeparators
    messages = editor._findings["prompt"].messages()
    assert any(message.startswith("e-mail address") for message in messages)
    assert editor._findings["completion"].messages() == []
    assert editor.title.text() == f"<b>Line {example.line}</b> · legacy"
    tokens = session.linter.facts(row_id).tokens
    assert editor.token_label.text() == f"{tokens} / 2,048 tokens"


@pytest.mark.gui
def test_typing_updates_the_count_and_sends_one_edit_after_a_pause(qtbot, make_editor, session):
    row_id = session.dataset.ids()[0]
    editor = make_editor(session)
    editor.show_row(row_id)
    before = editor.token_label.text()
    sent = []
    editor.field_edit_requested.connect(lambda *args: sent.append(args))
    _type_at_end(qtbot, editor.completion_edit, " and a refund")
    assert sent == []  # not per keystroke
    qtbot.waitUntil(lambda: editor.token_label.text() != before, timeout=1000)
    qtbot.waitUntil(lambda: bool(sent), timeout=COMMIT_DELAY_MS * 5)
    expected = session.dataset[row_id].completion + " and a refund"
    assert sent == [(row_id, "completion", expected)]


@pytest.mark.gui
def test_the_echo_of_an_edit_leaves_the_cursor_alone(qtbot, make_editor, session):
    row_id = _row_with(session, "missing-stop")
    editor = make_editor(session)
    editor.show_row(row_id)
    editor.field_edit_requested.connect(
        lambda row, path, value: session.execute(SetField(row, path, value))
    )
    field = editor.completion_edit
    _type_at_end(qtbot, field, "!")
    field.moveCursor(QTextCursor.MoveOperation.Start)
    field.moveCursor(QTextCursor.MoveOperation.Right)
    with qtbot.waitSignal(editor.field_edit_requested):  # sent after the pause, then echoed
        pass
    assert session.dataset[row_id].completion.endswith("!")
    assert field.textCursor().position() == 1


@pytest.mark.gui
def test_findings_follow_the_session_without_clobbering_typing(qtbot, make_editor, session):
    row_id = _row_with(session, "missing-stop")
    editor = make_editor(session)
    editor.show_row(row_id)
    assert editor._findings["completion"].messages()
    fix = next(d.fix for d in session.linter.diagnostics_for(row_id) if d.rule == "missing-stop")
    _type_at_end(qtbot, editor.prompt_edit, "x")  # typing, not yet sent
    session.execute(fix.command())  # a fix applied from the Problems panel meanwhile
    assert editor._findings["completion"].messages() == []
    assert editor.completion_edit.toPlainText() == session.dataset[row_id].completion
    assert editor.prompt_edit.toPlainText().endswith("x")


@pytest.mark.gui
def test_moving_to_another_row_sends_what_was_typed(qtbot, make_editor, session):
    first, second = session.dataset.ids()[:2]
    editor = make_editor(session)
    editor.show_row(first)
    _type_at_end(qtbot, editor.prompt_edit, "?")
    with qtbot.waitSignal(editor.field_edit_requested, timeout=100) as sent:
        editor.show_row(second)
    assert sent.args[:2] == [first, "prompt"]
    assert editor.prompt_edit.toPlainText() == session.dataset[second].prompt


@pytest.mark.gui
def test_a_chat_row_shows_one_block_per_turn(make_editor, open_session):
    session = open_session(CHAT_SAMPLE)
    row_id = session.dataset.ids()[0]
    editor = make_editor(session)
    editor.show_row(row_id)
    messages = session.dataset[row_id].messages
    assert [turn.role_box.currentText() for turn in editor.turns] == [m["role"] for m in messages]
    assert [turn.text.toPlainText() for turn in editor.turns] == [m["content"] for m in messages]


@pytest.mark.gui
def test_turn_changes_are_sent_as_a_new_message_list(qtbot, make_editor, open_session):
    session = open_session(CHAT_SAMPLE)
    row_id = session.dataset.ids()[0]
    messages = session.dataset[row_id].messages
    editor = make_editor(session)
    editor.show_row(row_id)
    editor.field_edit_requested.connect(
        lambda row, path, value: session.execute(SetField(row, path, value))
    )
    with qtbot.waitSignal(editor.field_edit_requested) as sent:
        qtbot.mouseClick(editor.add_turn_button, Qt.MouseButton.LeftButton)
    assert sent.args == [row_id, "messages", [*messages, {"role": "user", "content": ""}]]
    assert [turn.role_box.currentText() for turn in editor.turns][-1] == "user"
    assert len(editor.turns) == len(messages) + 1

    with qtbot.waitSignal(editor.field_edit_requested) as sent:
        qtbot.mouseClick(editor.turns[0].down_button, Qt.MouseButton.LeftButton)
    assert [m["role"] for m in sent.args[2][:2]] == ["user", "system"]

    editor.turns[0].role_box.setCurrentText("assistant")
    with qtbot.waitSignal(editor.field_edit_requested) as sent:
        editor.turns[0].role_box.activated.emit(editor.turns[0].role_box.currentIndex())
    assert sent.args[2][0]["role"] == "assistant"


@pytest.mark.gui
def test_a_quarantined_line_is_repaired_through_its_raw_text(qtbot, make_editor, session):
    broken = next(example for example in session.dataset if example.is_quarantined)
    editor = make_editor(session)
    editor.show_row(broken.id)
    assert f"Line {broken.line} could not be read" in editor.error_label.text()
    assert broken.error in editor.error_label.text()
    assert not editor.apply_button.isEnabled()
    repaired = editor.raw_edit.toPlainText() + "}"
    editor.raw_edit.setPlainText(repaired)
    editor.line_edit_requested.connect(session.replace_line)
    with qtbot.waitSignal(editor.line_edit_requested) as sent:
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert sent.args == [broken.id, repaired]
    assert editor.completion_edit.toPlainText() == " billing\n"  # now an ordinary row


@pytest.mark.gui
def test_notes_and_status_are_review_requests(qtbot, make_editor, session):
    row_id = session.dataset.ids()[0]
    editor = make_editor(session)
    editor.show_row(row_id)
    editor.notes_edit.setFocus()
    qtbot.keyClicks(editor.notes_edit, "ask billing")
    with qtbot.waitSignal(editor.review_requested) as sent:
        qtbot.keyClick(editor.notes_edit, Qt.Key.Key_Return)
    assert sent.args == [row_id, {"notes": "ask billing"}]
    session.review(row_id, status=Status.APPROVED)
    assert editor.status_box.currentText() == "approved"


@pytest.mark.gui
def test_leaving_a_field_sends_its_edit_at_once(qtbot, make_editor, session):
    row_id = session.dataset.ids()[0]
    editor = make_editor(session)
    editor.show_row(row_id)
    _type_at_end(qtbot, editor.prompt_edit, "!")
    # The offscreen platform never activates a window, so focus moves are sent by hand.
    leaving = QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(editor.field_edit_requested, timeout=COMMIT_DELAY_MS // 2) as sent:
        QApplication.sendEvent(editor.prompt_edit, leaving)
    assert sent.args == [row_id, "prompt", session.dataset[row_id].prompt + "!"]


def test_every_field_shows_all_of_a_short_text_whatever_the_panel_height(
    qtbot, make_editor, open_session, tmp_path
):
    # The form scrolls as one page; a field itself must neither scroll nor cut its text,
    # at any panel height, including those where the form only just fits or overflows.
    system = "You are the ticket triage assistant. Answer with exactly one category. " * 4
    user = "Ticket #642381 (Business plan)\nSubject: payments charged twice?\n\n" + "word " * 90
    messages = [
        {"role": "system", "content": system},
        {"role": "user", "content": user},
        {"role": "assistant", "content": "refund"},
    ]
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"messages": messages}) + "\n", encoding="utf-8")
    session = open_session(source)
    editor = make_editor(session)
    editor.show_row(session.dataset.ids()[0])
    for height in range(380, 720, 12):
        editor.resize(420, height)
        qtbot.wait(5)
        for turn in editor.turns:
            where = (height, turn.role_box.currentText())
            assert not turn.text.horizontalScrollBar().isVisible(), where
            assert turn.text.verticalScrollBar().maximum() == 0, where
