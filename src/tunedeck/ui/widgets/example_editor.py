"""The side panel where one example is read and edited, with its findings beside each field.

Nothing here changes the session. Text edits are sent as requests a moment after the user
stops typing (or leaves the field), chat turn changes as a whole new message list, and the
window turns each into an undoable command. When the session reports the change back, fields
whose text already matches are left alone, so the cursor never jumps under the user's hands.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.dataset.fields import MISSING, get_field, parse_path, set_field
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.lint.facts import count_row
from tunedeck.core.lint.linter import Update
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Status
from tunedeck.ui.models.problems import where
from tunedeck.ui.widgets.editor_fields import FindingsList, TextField, TurnBlock

COUNT_DELAY_MS = 150  # the token count follows typing closely but skips bursts
_ROW = ""  # findings slot for what is about the whole example


def _slot(field: str | None, fmt: ExampleFormat) -> str:
    """Which findings list a finding about `field` belongs in."""
    if not field:
        return _ROW
    if fmt is ExampleFormat.CHAT:
        try:
            steps = parse_path(field)
        except ValueError:
            return _ROW
        if len(steps) >= 2 and steps[0] == "messages" and isinstance(steps[1], int):
            return f"messages[{steps[1]}]"
        return _ROW
    return field


def _shape(example: Example) -> tuple[Any, ...]:
    """What decides the editor's layout; a change in it means rebuilding the form."""
    if example.format is not ExampleFormat.CHAT:
        return (example.format,)
    return (
        example.format,
        tuple(
            (m.get("role"), isinstance(m.get("content"), str)) if isinstance(m, dict) else None
            for m in example.messages
        ),
    )


class ExampleEditor(QWidget):
    """One example of a session, editable.

    Signals:
        field_edit_requested(row_id, path, value): set a field (a text, or for a change in
            chat turns the whole "messages" list).
        line_edit_requested(row_id, text): replace a quarantined line's raw JSON.
        review_requested(row_id, changes): change review fields, e.g. {"notes": "..."}.
    """

    field_edit_requested = Signal(int, str, object)
    line_edit_requested = Signal(int, str)
    review_requested = Signal(int, object)

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._row_id: int | None = None
        self._shape: tuple[Any, ...] | None = None
        self._fields: dict[str, TextField] = {}
        self._findings: dict[str, FindingsList] = {}
        self.turns: list[TurnBlock] = []
        self.title = QLabel()
        self.token_label = QLabel()
        self.row_findings = FindingsList()
        self.scroll = QScrollArea()
        self.status_box = QComboBox()
        self.reviewer_label = QLabel()
        self.notes_edit = QLineEdit()
        self.raw_edit: QPlainTextEdit | None = None
        self.apply_button: QPushButton | None = None
        self.error_label: QLabel | None = None
        self.add_turn_button: QPushButton | None = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._show_tokens)
        self._build()
        session.findings_changed.connect(self._on_findings_changed)
        session.reviewed.connect(self._on_reviewed)
        session.relinted.connect(self._refresh)
        session.dataset.row_removed.connect(self._on_row_removed)
        self.show_row(None)

    def _build(self) -> None:
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.status_box.addItems([status.value for status in Status])
        self.status_box.activated.connect(self._on_status_chosen)
        self.notes_edit.setPlaceholderText("Notes for reviewers")
        self.notes_edit.editingFinished.connect(self._send_notes)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.token_label)
        status = QHBoxLayout()
        status.addWidget(self.status_box)
        status.addWidget(self.reviewer_label, 1)
        review = QFormLayout()
        review.addRow("Status", status)
        review.addRow("Notes", self.notes_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.row_findings)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(review)

    # --- which row -------------------------------------------------------------------------

    @property
    def row_id(self) -> int | None:
        return self._row_id

    def show_row(self, row_id: int | None) -> None:
        """Show an example (None: nothing); edits in progress on the previous one are sent."""
        if row_id == self._row_id and row_id is not None:
            self._refresh()
            return
        self.commit_pending()
        self._row_id = row_id if row_id in self._session.dataset else None
        self._rebuild()

    def commit_pending(self) -> None:
        """Send what was typed and not sent yet (before the shown row changes)."""
        for field in list(self._fields.values()):
            self._commit(field)
        if self.notes_edit.isModified():
            self._send_notes()

    def _on_findings_changed(self, update: Update) -> None:
        if self._row_id in update.rows:
            self._refresh()

    def _on_reviewed(self, row_ids: frozenset[int]) -> None:
        if self._row_id in row_ids:
            self._show_review()

    def _on_row_removed(self, example: Example) -> None:
        if example.id == self._row_id:
            self._row_id = None
            self._rebuild()

    # --- building the form -----------------------------------------------------------------

    def _rebuild(self) -> None:
        for field in self._fields.values():
            field.commit_timer.stop()
            field.blockSignals(True)  # its focus-out while going away must not send anything
        self._fields.clear()
        self._findings.clear()
        self.turns = []
        self.raw_edit = self.apply_button = self.error_label = self.add_turn_button = None
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()  # later: this may run inside a signal of one of its buttons
        body = QWidget()
        form = QVBoxLayout(body)
        form.setContentsMargins(0, 0, 4, 0)
        example = self._example()
        self._shape = _shape(example) if example else None
        if example is None:
            form.addWidget(QLabel("Select an example to see and edit it here."))
        elif example.format is ExampleFormat.INVALID:
            self._build_quarantined(form, example)
        elif example.format is ExampleFormat.LEGACY:
            self._build_legacy(form, example)
        elif example.format is ExampleFormat.CHAT:
            self._build_chat(form, example)
        else:
            self._build_unknown(form, example)
        form.addStretch(1)
        self.scroll.setWidget(body)
        for field in self._fields.values():
            field.commit_timer.timeout.connect(lambda f=field: self._commit(f))
            field.focus_lost.connect(lambda f=field: self._commit(f))
            field.textChanged.connect(self._count_timer.start)
        enabled = example is not None
        self.status_box.setEnabled(enabled)
        self.notes_edit.setEnabled(enabled)
        self._refresh()

    def _add_field(self, form: QVBoxLayout, title: str, path: str, text: str) -> None:
        label = QLabel(f"<b>{title}</b>")
        field = TextField(path, text)
        findings = FindingsList()
        form.addWidget(label)
        form.addWidget(field)
        form.addWidget(findings)
        self._fields[path] = field
        self._findings[path] = findings

    def _build_legacy(self, form: QVBoxLayout, example: Example) -> None:
        self._add_field(form, "Prompt", "prompt", example.prompt)
        self._add_field(form, "Completion", "completion", example.completion)

    @property
    def prompt_edit(self) -> TextField | None:
        return self._fields.get("prompt")

    @property
    def completion_edit(self) -> TextField | None:
        return self._fields.get("completion")

    def _build_chat(self, form: QVBoxLayout, example: Example) -> None:
        messages = example.messages
        for index, message in enumerate(messages):
            block = TurnBlock(index, message, len(messages))
            block.role_box.activated.connect(lambda _=0, i=index: self._change_role(i))
            block.up_button.clicked.connect(lambda _=False, i=index: self._move_turn(i, -1))
            block.down_button.clicked.connect(lambda _=False, i=index: self._move_turn(i, +1))
            block.remove_button.clicked.connect(lambda _=False, i=index: self._remove_turn(i))
            form.addWidget(block)
            self.turns.append(block)
            self._findings[f"messages[{index}]"] = block.findings
            if block.text is not None:
                self._fields[block.text.path] = block.text
        self.add_turn_button = QPushButton("Add turn")
        self.add_turn_button.setToolTip("Append a message (the role that usually comes next)")
        self.add_turn_button.clicked.connect(self._add_turn)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_turn_button)
        buttons.addStretch(1)
        form.addLayout(buttons)

    def _build_quarantined(self, form: QVBoxLayout, example: Example) -> None:
        self.error_label = QLabel(
            f"<b>Line {example.line} could not be read.</b><br>{example.error or ''}"
        )
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        raw = (example.raw or b"").decode("utf-8", "replace").rstrip("\r\n")
        editor = self.raw_edit = QPlainTextEdit(raw)
        editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Replace the line with this text and read it again")
        self.apply_button.setEnabled(False)
        editor.textChanged.connect(lambda: self._enable_apply(editor.toPlainText() != raw))
        self.apply_button.clicked.connect(self._apply_line)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        form.addWidget(self.error_label)
        form.addWidget(QLabel("<b>Raw line</b> (fix the JSON, then Apply)"))
        form.addWidget(self.raw_edit, 1)
        form.addLayout(buttons)

    def _enable_apply(self, enabled: bool) -> None:
        if self.apply_button is not None:
            self.apply_button.setEnabled(enabled)

    def _build_unknown(self, form: QVBoxLayout, example: Example) -> None:
        form.addWidget(QLabel("Neither prompt/completion nor chat messages:"))
        shown = QPlainTextEdit(json.dumps(example.record, ensure_ascii=False, indent=1))
        shown.setReadOnly(True)
        form.addWidget(shown, 1)

    # --- keeping it current ----------------------------------------------------------------

    def _example(self) -> Example | None:
        # The row may be gone already: the table reacts to a delete (moving the current row
        # here) before this editor hears of it.
        return self._session.dataset[self._row_id] if self._shows_a_row() else None

    def _shows_a_row(self) -> bool:
        return self._row_id is not None and self._row_id in self._session.dataset

    def _refresh(self) -> None:
        """Follow the session: values, findings, tokens and review, without clobbering typing."""
        example = self._example()
        if example is not None and _shape(example) != self._shape:
            self._rebuild()  # a turn added, a line repaired: the form itself changed
            return
        self.title.setText(
            f"<b>{where(example).capitalize()}</b> · {example.format.value}"
            if example
            else "No example"
        )
        if example is None:
            self.token_label.clear()
            self.row_findings.set_findings([])
            self._show_review()
            return
        record = example.record or {}
        for block, message in zip(self.turns, example.messages, strict=True):
            role = message.get("role") if isinstance(message, dict) else None
            if isinstance(role, str) and block.role_box.currentText() != role:
                block.role_box.setCurrentText(role)
        for field in self._fields.values():
            if not field.pending:  # never overwrite what the user is in the middle of typing
                value = _value(record, field.path)
                field.set_text_quietly(value if isinstance(value, str) else "")
        self._show_findings(example)
        self._show_tokens()
        self._show_review()

    def _show_findings(self, example: Example) -> None:
        slots: dict[str, list[Diagnostic]] = {slot: [] for slot in self._findings}
        row: list[Diagnostic] = []
        for diagnostic in self._session.linter.diagnostics_for(example.id):
            if self.error_label is not None and diagnostic.rule == "invalid-record":
                continue  # the form already shows the error, above the line it is about
            slots.get(_slot(diagnostic.field, example.format), row).append(diagnostic)
        for slot, findings in slots.items():
            self._findings[slot].set_findings(findings)
        self.row_findings.set_findings(row)

    def _show_tokens(self) -> None:
        example = self._example()
        if example is None or example.format not in (ExampleFormat.LEGACY, ExampleFormat.CHAT):
            self.token_label.clear()
            return
        linter = self._session.linter
        # What the user sees in the fields, typed or not, counted as the trainer will count it.
        edited = Example(example.id, self._edited_record())
        tokens = count_row(linter.ctx.counter, edited)
        limit = linter.settings.token_limit
        self.token_label.setText(f"{tokens:,} / {limit:,} tokens")
        over = tokens > limit
        self.token_label.setStyleSheet("color: #b00020; font-weight: bold" if over else "")

    def _show_review(self) -> None:
        review = self._session.reviews.get(self._row_id) if self._shows_a_row() else None
        status = review.status.value if review else Status.UNREVIEWED.value
        self.status_box.setCurrentText(status)
        self.reviewer_label.setText(f"by {review.reviewer}" if review and review.reviewer else "")
        notes = review.notes if review else ""
        if not self.notes_edit.isModified() and self.notes_edit.text() != notes:
            self.notes_edit.setText(notes)

    def _edited_record(self) -> dict[str, Any]:
        example = self._example()
        record = copy.deepcopy(example.record) if example and example.record else {}
        for path, field in self._fields.items():
            try:
                set_field(record, path, field.toPlainText())
            except (KeyError, IndexError, TypeError):
                continue  # the record changed shape under the form; the rebuild is coming
        return record

    # --- sending edits ---------------------------------------------------------------------

    def _commit(self, field: TextField) -> None:
        field.commit_timer.stop()
        example = self._example()
        if example is None or example.record is None or field.path not in self._fields:
            return
        text = field.toPlainText()
        if _value(example.record, field.path) != text:
            self.field_edit_requested.emit(example.id, field.path, text)

    def _send_messages(self, messages: list[Any]) -> None:
        for field in self._fields.values():
            field.commit_timer.stop()  # their text is part of the new list
        if self._row_id is not None:
            self.field_edit_requested.emit(self._row_id, "messages", messages)

    def _edited_messages(self) -> list[Any]:
        messages = self._edited_record().get("messages")
        return messages if isinstance(messages, list) else []

    def _change_role(self, index: int) -> None:
        messages = self._edited_messages()
        if isinstance(messages[index], dict):
            messages[index]["role"] = self.turns[index].role_box.currentText()
            self._send_messages(messages)

    def _move_turn(self, index: int, step: int) -> None:
        messages = self._edited_messages()
        other = index + step
        if 0 <= other < len(messages):
            messages[index], messages[other] = messages[other], messages[index]
            self._send_messages(messages)

    def _remove_turn(self, index: int) -> None:
        messages = self._edited_messages()
        del messages[index]
        self._send_messages(messages)

    def _add_turn(self) -> None:
        messages = self._edited_messages()
        last = messages[-1].get("role") if messages and isinstance(messages[-1], dict) else None
        role = "assistant" if last == "user" else "user"
        self._send_messages([*messages, {"role": role, "content": ""}])

    def _apply_line(self) -> None:
        if self._row_id is not None and self.raw_edit is not None:
            self.line_edit_requested.emit(self._row_id, self.raw_edit.toPlainText())

    def _on_status_chosen(self, index: int) -> None:
        status = Status(self.status_box.itemText(index))
        review = self._session.reviews.get(self._row_id) if self._shows_a_row() else None
        if review is not None and review.status != status:
            self.review_requested.emit(self._row_id, {"status": status})

    def _send_notes(self) -> None:
        self.notes_edit.setModified(False)
        review = self._session.reviews.get(self._row_id) if self._shows_a_row() else None
        text = self.notes_edit.text()
        if review is not None and review.notes != text:
            self.review_requested.emit(self._row_id, {"notes": text})


def _value(record: dict[str, Any], path: str) -> Any:
    try:
        return get_field(record, path)
    except (KeyError, IndexError, TypeError):
        return MISSING
