"""Closing the loop: a wrong answer, corrected by the expert, becomes a training example.

The dialog shows the question as the model was asked it and the answer to correct (the
model's, or the expected one when it gave none); accepting builds a record in the dataset's
own format and conventions (core.chat.new_example). The host adds it, unreviewed, through
its undo stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from tunedeck.core.chat import new_example
from tunedeck.core.dataset import ExampleFormat
from tunedeck.ui.text_display import display_line


class AddExampleDialog(QDialog):
    def __init__(
        self,
        dataset_format: ExampleFormat,
        prompt: str | Sequence[dict[str, str]],
        answer: str,
        *,
        separator: str | None = None,
        stop: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add to dataset")
        self._format, self._prompt = dataset_format, prompt
        self._separator, self._stop = separator, stop
        question = QPlainTextEdit(_question_text(prompt))
        question.setReadOnly(True)
        question.setFixedHeight(90)
        self.answer = QPlainTextEdit(answer)
        self.answer.setFixedHeight(90)
        conventions = [
            f"{name} “{display_line(value)}”"
            for name, value in (("separator", separator), ("stop", stop))
            if value
        ]
        note = QLabel(
            "Correct the answer as the model should have given it. The new example is added "
            "unreviewed at the end of the dataset, in its format"
            + (f" ({', '.join(conventions)})" if conventions else "")
            + "; Ctrl+Z takes it back."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add example")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Question", question)
        form.addRow("Answer", self.answer)
        form.addRow(note)
        form.addRow(buttons)
        self.resize(560, 320)

    def record(self) -> dict[str, Any]:
        """The new example's record."""
        return new_example(
            self._format,
            self._prompt,
            self.answer.toPlainText(),
            separator=self._separator,
            stop=self._stop,
        )


def _question_text(prompt: str | Sequence[dict[str, str]]) -> str:
    if isinstance(prompt, str):
        return prompt
    return "\n".join(f"{m.get('role')}: {m.get('content')}" for m in prompt)
