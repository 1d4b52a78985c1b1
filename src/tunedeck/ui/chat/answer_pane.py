"""One model's side of a comparison: its streamed answer, and the reviewer's verdict on it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tunedeck.ui.chat.ask_settings import HINT_STYLE, describe
from tunedeck.ui.chat.model_picker import ModelPicker

GOOD, BAD = "good", "bad"
_VERDICT_STYLE = (
    "QPushButton#good:checked {background:#2e7d32; color:white;}"
    "QPushButton#bad:checked {background:#c62828; color:white;}"
)
_STATE_STYLES = {
    "failed": "color:#a4262c;",
    "stopped": "color:#8a5a00;",
}


class AnswerPane(QWidget):
    """Signals:
    rated(rating or None, note): the reviewer changed the verdict or the note.
    """

    rated = Signal(object, str)

    def __init__(self, title: str, picker: ModelPicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = picker
        self.answer = QTextBrowser()
        self.answer.setPlaceholderText("The answer appears here as it is written.")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.how = QLabel()
        self.how.setWordWrap(True)
        self.how.setStyleSheet(HINT_STYLE)
        self.good = QPushButton("✓ Good")
        self.bad = QPushButton("✗ Bad")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (what is right or wrong about it)")
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # a second click takes the verdict back
        for button, name in ((self.good, "good"), (self.bad, "bad")):
            button.setObjectName(name)
            button.setCheckable(True)
            self._group.addButton(button)
        self.setStyleSheet(_VERDICT_STYLE)
        self._build(title)
        self.good.toggled.connect(lambda on: self._on_toggled(self.good, on))
        self.bad.toggled.connect(lambda on: self._on_toggled(self.bad, on))
        self.note.editingFinished.connect(self._emit)
        picker.model_changed.connect(self._on_model_changed)
        self.set_rateable(False)

    def _build(self, title: str) -> None:
        head = QHBoxLayout()
        head.addWidget(QLabel(f"<b>{title}</b>"))
        head.addWidget(self.picker, 1)
        verdict = QHBoxLayout()
        verdict.addWidget(self.good)
        verdict.addWidget(self.bad)
        verdict.addWidget(self.note, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(head)
        column.addWidget(self.how)
        column.addWidget(self.status)
        column.addWidget(self.answer, 1)
        column.addLayout(verdict)

    @property
    def rating(self) -> str | None:
        if self.good.isChecked():
            return GOOD
        return BAD if self.bad.isChecked() else None

    def show_answer(self, text: str, state: str = "") -> None:
        """Show an answer: "" finished, "streaming", "stopped" or "failed" (text: why)."""
        self.answer.setPlainText(text + ("▍" if state == "streaming" else ""))
        self.answer.setStyleSheet(_STATE_STYLES.get(state, ""))
        self.status.setText({"stopped": "Stopped.", "failed": "No answer."}.get(state, ""))
        self.status.setVisible(state in ("stopped", "failed"))

    def show_rating(self, rating: str | None, note: str) -> None:
        for button, value in ((self.good, GOOD), (self.bad, BAD)):
            button.blockSignals(True)
            button.setChecked(rating == value)
            button.blockSignals(False)
        self.note.setText(note)

    def set_rateable(self, rateable: bool) -> None:
        for widget in (self.good, self.bad, self.note):
            widget.setEnabled(rateable)

    def _on_model_changed(self, choice) -> None:
        self.how.setText(describe(choice.fmt) if choice is not None else "")

    def _on_toggled(self, button: QPushButton, on: bool) -> None:
        if on:
            other = self.bad if button is self.good else self.good
            other.blockSignals(True)
            other.setChecked(False)
            other.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.rated.emit(self.rating, self.note.text())
