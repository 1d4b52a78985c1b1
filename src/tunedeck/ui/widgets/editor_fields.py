"""The pieces the example editor is built of: a text field that shows its whitespace and
grows with its text, the list of findings under a field, and one chat turn's block."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFontDatabase, QResizeEvent, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.ui.models.problems import severity_icon

ROLES = ("system", "user", "assistant", "tool")
COMMIT_DELAY_MS = 400  # an edit is sent once the user pauses, not on every keystroke
MAX_LINES = 14  # a field grows with its text up to this many lines, then scrolls


class TextField(QPlainTextEdit):
    """A text editor for one field that shows its whitespace and tells when it is left.

    Whitespace is what several rules are about (a leading space, a trailing newline), so
    spaces, tabs and line ends are drawn.
    """

    focus_lost = Signal()

    def __init__(
        self, path: str, text: str, min_lines: int = 3, parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)  # before textChanged is connected: not an edit
        self.path = path
        self.min_lines = min_lines
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setTabChangesFocus(True)
        # It wraps at its width, so it never needs to scroll sideways. Allowed to, it showed
        # a sideways scroll bar whenever a layout pass left it narrow for a moment; the bar
        # took height from the text, the field grew to make up for it, the form relaid, and
        # so on: a thousand layouts (seconds, on a long reply) per example shown, and at
        # the end a field that hid its last lines behind a scroll bar nobody needed.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        option = self.document().defaultTextOption()
        option.setFlags(
            option.flags()
            | QTextOption.Flag.ShowTabsAndSpaces
            | QTextOption.Flag.ShowLineAndParagraphSeparators
        )
        self.document().setDefaultTextOption(option)
        self.commit_timer = QTimer(self)
        self.commit_timer.setSingleShot(True)
        self.commit_timer.setInterval(COMMIT_DELAY_MS)
        self.textChanged.connect(self.commit_timer.start)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    @property
    def pending(self) -> bool:
        """Typed but not yet sent."""
        return self.commit_timer.isActive()

    def set_text_quietly(self, text: str) -> None:
        """Show `text` without it counting as an edit, keeping the cursor where it was."""
        if self.toPlainText() == text:
            return
        position = self.textCursor().position()
        self.blockSignals(True)
        try:
            self.setPlainText(text)
        finally:
            self.blockSignals(False)
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.setTextCursor(cursor)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focus_lost.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # the text wraps differently
            self._fit_height()

    def _fit_height(self) -> None:
        # Grow with the text, wrapped lines included, so a form of several fields scrolls as
        # one page. blockBoundingRect lays a block out on demand; the plain layout otherwise
        # only lays out what is visible, and its line count would miss the wrapped lines.
        spacing = self.fontMetrics().lineSpacing()
        most = MAX_LINES * spacing
        layout = self.document().documentLayout()
        height = 0.0
        block = self.document().begin()
        while block.isValid() and height < most:
            height += layout.blockBoundingRect(block).height()
            block = block.next()
        content = min(max(height, self.min_lines * spacing), most)
        margins = self.contentsMargins()
        chrome = margins.top() + margins.bottom() + 2 * self.document().documentMargin()
        self.setFixedHeight(int(content + chrome) + 1)


class FindingsList(QWidget):
    """The findings about one field: severity icon and message, one per line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown: list[Diagnostic] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 0, 0, 4)
        self._layout.setSpacing(2)
        self.hide()

    def set_findings(self, findings: list[Diagnostic]) -> None:
        if findings == self._shown:
            return
        self._shown = list(findings)
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for diagnostic in findings:
            self._layout.addWidget(_finding_line(diagnostic))
        self.setVisible(bool(findings))

    def messages(self) -> list[str]:
        return [diagnostic.message for diagnostic in self._shown]


def _finding_line(diagnostic: Diagnostic) -> QWidget:
    line = QWidget()
    row = QHBoxLayout(line)
    row.setContentsMargins(0, 0, 0, 0)
    icon = QLabel()
    icon.setPixmap(severity_icon(diagnostic.severity).pixmap(QSize(14, 14)))
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    text = QLabel(f"{diagnostic.message} <span style='color:gray'>({diagnostic.rule})</span>")
    text.setTextFormat(Qt.TextFormat.RichText)
    text.setWordWrap(True)
    if diagnostic.fix is not None:
        text.setToolTip(f"Fix available: {diagnostic.fix.description}")
    row.addWidget(icon)
    row.addWidget(text, 1)
    return line


class TurnBlock(QFrame):
    """One chat message: its role, its text and the buttons that move or remove it."""

    def __init__(self, index: int, message: Any, count: int) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.role_box = QComboBox()
        role = message.get("role") if isinstance(message, dict) else None
        roles = ROLES if role in ROLES or not isinstance(role, str) else (*ROLES, role)
        self.role_box.addItems(list(roles))
        self.role_box.setCurrentText(role if isinstance(role, str) else "")
        self.up_button = _tool_button("↑", "Move this turn up", enabled=index > 0)
        self.down_button = _tool_button("↓", "Move this turn down", enabled=index < count - 1)
        self.remove_button = _tool_button("✕", "Remove this turn")
        header = QHBoxLayout()
        header.addWidget(QLabel(f"<b>#{index + 1}</b>"))
        header.addWidget(self.role_box)
        header.addStretch(1)
        header.addWidget(self.up_button)
        header.addWidget(self.down_button)
        header.addWidget(self.remove_button)
        self.text: TextField | None = None
        self.findings = FindingsList()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(header)
        content = message.get("content") if isinstance(message, dict) else message
        if isinstance(content, str):
            self.text = TextField(f"messages[{index}].content", content, min_lines=2)
            layout.addWidget(self.text)
        else:  # tool calls, content parts or a broken entry: shown, edited in the raw JSON
            shown = QPlainTextEdit(json.dumps(message, ensure_ascii=False, indent=1))
            shown.setReadOnly(True)
            shown.setMaximumHeight(120)
            layout.addWidget(shown)
        layout.addWidget(self.findings)


def _tool_button(text: str, tip: str, *, enabled: bool = True) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setEnabled(enabled)
    return button
